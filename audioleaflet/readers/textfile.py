"""Reading a leaflet's text file: decoded (`intake/decoding.py`), cleaned, never empty.

The characters no output can hold are removed here (`intake/characters.py`), once, with a notice
for the user; form feeds stay, as the plain-text reader's page breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audioleaflet.errors import InputError
from audioleaflet.intake.characters import clean_text, text_notice
from audioleaflet.intake.decoding import decode, read_bytes

# Kept in step with `readers.document.READERS`.
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
PAGE_BREAK = "\f"


@dataclass(frozen=True, slots=True)
class TextFile:
    """A text file's text, ready for a reader, and the warning about what was removed."""

    text: str
    notice: str | None = None


def read_text_file(path: Path) -> TextFile:
    """The file's text for a reader, without the characters no output can hold."""
    cleaned = clean_text(decode(read_bytes(path), path), keep=PAGE_BREAK)
    if not cleaned.text.strip():
        if cleaned.removed:
            raise InputError(f"{path}: has only control characters, no text; check the file")
        raise InputError(f"{path}: the file is empty; put the leaflet's text in it")
    return TextFile(cleaned.text, text_notice(str(path), cleaned))


def read_text(path: Path) -> str:
    """The file's text with a BOM dropped, line ends normalised to `\\n`, unsafe characters
    removed (see `read_text_file` for the warning about them)."""
    return read_text_file(path).text
