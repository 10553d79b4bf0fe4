"""The characters no output can hold, taken out once, where text enters.

Leaflet text, manifests, feed settings and command-line options end up in XML (the feed, DAISY),
WebVTT and SRT, JSON, ID3 and MP4 tags, ffmpeg's FFMETADATA and file names. XML 1.0 cannot hold
control characters (lxml refuses them), a NUL separates values in ID3 and ends a string in
ffmpeg, an unpaired surrogate (from a command-line argument that is not UTF-8) cannot be written
as UTF-8 at all, and a bidi override or isolate makes a screen reader or a player show the words
in an order the leaflet does not have. So they are removed as text is read: every later stage
sees clean text, and each writer escapes only what is special in its own format.

Kept: tab and line feed (they mean something in a text and every format holds them), form feed
where the caller says so (the plain-text reader's page break, which furniture removal consumes),
and the ordinary invisible marks (LRM/RLM, ZWJ/ZWNJ, and soft hyphens, which `normalise_spaces`
below drops from the text it reads).
Line breaks in other spellings (CR, VT as Word writes a manual line break, NEL, U+2028/U+2029)
become line feeds: nothing is lost, so they are not counted as removed. A setting (a value in
`leaflet.toml` or `podcast.toml`, a command-line option) is one line: `clean_line` also makes
its line breaks and tabs spaces, since a title or a name is one line in every output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# U+FDD0..U+FDEF and the last two code points of every plane: never meant for interchange, and
# U+FFFE/U+FFFF are not XML characters.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls and DEL; tab and line feed are kept
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\ud800-\udfff" + _NONCHARACTERS  # surrogates: a Python string holds them only unpaired
)
_LINE_BREAKS = {
    "\r\n": "\n",
    "\r": "\n",
    "\v": "\n",
    "\x85": "\n",
    "\u2028": "\n",
    "\u2029": "\n\n",
}
# A terminal's colour or cursor code (ESC [ 3 1 m) goes whole: without its ESC, `[31m` would be
# read out as "thirty-one m".
_ANSI_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]"
_PATTERN = re.compile(_ANSI_SEQUENCE + r"|\r\n|[\r\v\x85\u2028\u2029]|[" + _UNSAFE + "]")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A text without the characters no output can hold, and what was taken out."""

    text: str
    removed: int = 0
    """How many characters were removed (line breaks made line feeds are not counted)."""
    first_line: int | None = None
    """The 1-based line of the first removed character, counting line feeds of the input."""


def clean_text(text: str, keep: str = "") -> Cleaned:
    """`text` with its line breaks made line feeds and every unsafe character removed.

    `keep` names control characters to leave in (the plain-text reader keeps `\\f`).
    """
    removed: list[tuple[int, int]] = []
    """(offset, length) of each removal."""

    def replace(match: re.Match[str]) -> str:
        found = match[0]
        if found in _LINE_BREAKS:
            return _LINE_BREAKS[found]
        if found in keep:
            return found
        removed.append((match.start(), len(found)))
        return ""

    cleaned = _PATTERN.sub(replace, text)
    if not removed:
        return Cleaned(cleaned)
    count = sum(length for _offset, length in removed)
    return Cleaned(cleaned, count, text.count("\n", 0, removed[0][0]) + 1)


_BREAKS_AND_TABS = re.compile(r"[ \t]*[\n\t][ \t\n]*")


def clean_line(text: str) -> Cleaned:
    """`clean_text` for a setting (a title, a name, an option): one line, its line breaks and
    tabs made single spaces, since a title or a name is one line in every output."""
    cleaned = clean_text(text)
    return Cleaned(_BREAKS_AND_TABS.sub(" ", cleaned.text), cleaned.removed, cleaned.first_line)


def is_clean(text: str, keep: str = "") -> bool:
    """True when `clean_text` would change nothing."""
    return clean_text(text, keep).text == text


def removal_notice(where: str, count: int, place: str = "") -> str:
    """The one warning line for a file or option that had characters removed.

    `place` says where the first one was: `on line 4`, `in title`.
    """
    noun = "character" if count == 1 else "characters"
    first = f" (first {place})" if place else ""
    return f"{where}: {count} control {noun} removed{first}"


def text_notice(where: str, cleaned: Cleaned) -> str | None:
    """The warning for a cleaned text file, or None when nothing was removed."""
    if not cleaned.removed:
        return None
    return removal_notice(where, cleaned.removed, f"on line {cleaned.first_line}")


@dataclass(frozen=True, slots=True)
class CleanedData:
    """Parsed settings (TOML, JSON) with every string cleaned as a line, keys included."""

    data: Any
    removed: int = 0
    first_key: tuple[str, ...] = ()
    """The key path to the first string that had characters removed."""


def clean_data(data: Any) -> CleanedData:
    """Every string in nested dicts and lists cleaned by `clean_line`; other values as they
    are."""
    removed = 0
    first_key: tuple[str, ...] = ()

    def walk(value: Any, path: tuple[str, ...]) -> Any:
        nonlocal removed, first_key
        if isinstance(value, str):
            cleaned = clean_line(value)
            if cleaned.removed and not removed:
                first_key = path
            removed += cleaned.removed
            return cleaned.text
        if isinstance(value, Mapping):
            return {walk(k, (*path, str(k))): walk(v, (*path, str(k))) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(walk(item, path) for item in value)
        return value

    return CleanedData(walk(data, ()), removed, first_key)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Typographic ligatures that PDF extraction leaves in words (`ﬁlm`, `ﬂuid`).
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\u00ad": ""}
)


def normalise_spaces(line: str) -> str:
    """One space for every run of spaces (no-break and thin ones too), soft hyphens dropped,
    ligatures spelled out; ends trimmed."""
    return _SPACES.sub(" ", line.translate(_LIGATURES)).strip()
