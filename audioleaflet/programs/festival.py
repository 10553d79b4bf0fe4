"""The wrapper around Festival's programs: `text2wave` speaks, `festival --version` names it.

Festival is not a Python package but the system's (Debian: `festival`, voices such as
`festvox-itapc16k`), found on PATH. As with ffmpeg, arguments are always a list (no shell), the
program dies with this process, and the exit status is checked; Festival also reports a Scheme
error on stderr and still exits 0, so its stderr is read too. A failure names what was being
spoken and the end of Festival's own message.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from audioleaflet.errors import ToolError, VoiceError
from audioleaflet.lifetime import child_hook

PROGRAM = "text2wave"
INSTALL_HINT = (
    "install Festival and a voice, e.g. on Debian or Ubuntu: "
    "apt-get install festival festvox-itapc16k festvox-italp16k"
)
TIMEOUT_S = 120
"""A sentence takes under a second; a run past this is stuck, not slow."""


@functools.cache
def text2wave_path() -> str | None:
    """The `text2wave` program on PATH, if Festival is installed."""
    return shutil.which(PROGRAM)


def require_festival() -> str:
    """`text2wave`'s path, or one clear error saying how to install Festival."""
    found = text2wave_path()
    if found is None:
        raise VoiceError(f"Festival is not installed; {INSTALL_HINT}")
    return found


def run_text2wave(args: list[str], what: str) -> None:
    """Run `text2wave` with `args` (speaking `what`): exit status and stderr checked."""
    command = [require_festival(), *args]
    try:
        done = subprocess.run(
            command, capture_output=True, check=False, timeout=TIMEOUT_S, preexec_fn=child_hook()
        )
    except subprocess.TimeoutExpired:
        raise ToolError(f"Festival took over {TIMEOUT_S} s on {what}; it is stuck") from None
    except OSError as exc:
        raise ToolError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    log = done.stderr.decode("latin-1", errors="replace").strip()
    if done.returncode != 0 or "SIOD ERROR" in log:
        tail = " | ".join(log.splitlines()[-3:]) or "no message"
        how = f"exit {done.returncode}" if done.returncode >= 0 else f"signal {-done.returncode}"
        raise ToolError(f"Festival failed ({how}) on {what}: {tail}")


@functools.cache
def festival_version() -> str:
    """Festival's version line; changes when an upgrade could change how a sentence sounds."""
    found = text2wave_path()
    if found is None:
        return "festival (not installed)"
    # text2wave has no --version; the festival program beside it answers for both.
    festival = str(Path(found).with_name("festival"))
    try:
        done = subprocess.run(
            [festival, "--version"], capture_output=True, check=False, timeout=TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired):
        return "festival (version unknown)"
    if done.returncode != 0:
        return "festival (version unknown)"
    # "/usr/bin/festival: Festival Speech Synthesis System: 2.5.0:release December 2017"
    said = done.stdout.decode("latin-1", errors="replace").strip().split(": ", 1)[-1]
    return said or "festival"
