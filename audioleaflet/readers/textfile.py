"""Reading a leaflet's text file: UTF-8 (or UTF-16 with a byte-order mark), never empty.

UTF-8 is the rule, with or without a byte-order mark. A file that starts with a UTF-16 or UTF-32
byte-order mark is read too: Windows Notepad saves "Unicode" as UTF-16 with one, and the mark
says unambiguously how to read it. Anything else that is not UTF-8 is refused with the line of
the first bad byte, since guessing an 8-bit code page would put wrong letters in the leaflet.

The characters no output can hold are removed here (`text.characters`), once, with a notice for
the user; form feeds stay, as the plain-text reader's page breaks.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.errors import InputError
from audioleaflet.text.characters import clean_text, text_notice

# Kept in step with `readers.document.READERS`.
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
PAGE_BREAK = "\f"
# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class TextFile:
    """A text file's text, ready for a reader, and the warning about what was removed."""

    text: str
    notice: str | None = None


def read_bytes(path: Path, expected: str = "a .txt or .md file") -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected {expected}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def decode(data: bytes, path: Path) -> str:
    """The text of a file's bytes, line ends as `\\n`; UTF-8, or as its byte-order mark says."""
    encoding = next((name for mark, name in _BYTE_ORDER_MARKS if data.startswith(mark)), "utf-8")
    if encoding == "utf-8" and len(data) >= 4 and data.count(0) * 4 > len(data):
        # Every other byte zero: UTF-16 without the mark that says which byte comes first.
        raise InputError(
            f"{path}: looks like UTF-16 text without a byte-order mark; "
            "save the file as UTF-8 and try again"
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(
                f"{path}: starts like {encoding.upper()} text but has bytes that are not "
                f"(at byte {exc.start}); save the file as UTF-8 and try again"
            ) from None
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: not UTF-8 text (bad byte 0x{data[exc.start]:02x} on line {line}); "
            "save the file as UTF-8 and try again"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
