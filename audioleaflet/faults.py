"""Fault injection for tests: SIGKILL this process right after a named step of publishing.

Tests prove that a build killed at any step leaves every leaflet's published set whole, old or
new. Set `AUDIOLEAFLET_FAULT_AFTER` in a build's environment:

- `<step>`: die the first time that step is done, e.g. `record`;
- `<step>:<n>`: die the n-th time it is done, e.g. `record:2` (the second leaflet's record);
- `<n>`: die after the n-th step of any name, so a test can walk every step in turn until a
  build finishes.

Before dying the process writes `audioleaflet: fault injected after step <n> (<step>)` to
stderr, so the test knows which step it hit. The steps, in the order a build takes them
(`publish/staging.py` says what each one leaves behind):

- per leaflet, written into the language's staging folder: `book`, `companions`, `chapters`,
  `daisy`, `record`;
- per language: `merged` (the unchanged files linked into the staging folder), `feed`,
  `settings` (once, before the first language is switched), `swapped` (the staging folder and
  the live one exchanged), `tidied` (the old copy deleted);
- `aside`, only where `renameat2` cannot exchange: between moving the live folder aside and
  moving the staging folder in.

The variable is read once at import; unset, `after()` is one comparison with None.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter

FAULT_ENV = "AUDIOLEAFLET_FAULT_AFTER"
STEPS = (
    "book",
    "companions",
    "chapters",
    "daisy",
    "web",
    "record",
    "merged",
    "feed",
    "settings",
    "swapped",
    "tidied",
    "front",
    "aside",
)

_WANTED = os.environ.get(FAULT_ENV) or None
_done: Counter[str] = Counter()


def after(step: str) -> None:
    """Mark `step` done; die here if the environment asks for it."""
    if _WANTED is None:
        return
    _done[step] += 1
    number = _done.total()
    name, _, nth = _WANTED.partition(":")
    if str(number) == _WANTED or (name == step and _done[step] == int(nth or 1)):
        sys.stderr.write(f"audioleaflet: fault injected after step {number} ({step})\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
