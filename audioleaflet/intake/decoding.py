"""Bytes a user gave us -> text: UTF-8, or UTF-16/UTF-32 when a byte-order mark says so.

UTF-8 is the rule, with or without a byte-order mark. A file that starts with a UTF-16 or UTF-32
byte-order mark is read too: Windows Notepad saves "Unicode" as UTF-16 with one, and the mark
says unambiguously how to read it. Anything else that is not UTF-8 is refused with the line of
the first bad byte, since guessing an 8-bit code page would put wrong letters in the leaflet.
Leaflet texts (`readers/textfile.py`) and settings files (`config/toml_file.py`) are read here.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from audioleaflet.errors import InputError

# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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
