"""Reading a leaflet's text file: UTF-8 only, a byte-order mark is allowed, never empty."""

from __future__ import annotations

from pathlib import Path

from audioleaflet.errors import InputError

# Kept in step with `readers.document.READERS`.
TEXT_SUFFIXES = (".txt", ".md", ".markdown")


def read_text(path: Path) -> str:
    """The file's text with a BOM dropped and line ends normalised to `\\n`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a .txt or .md file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: not UTF-8 text (bad byte 0x{data[exc.start]:02x} on line {line}); "
            "save the file as UTF-8 and try again"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: the file is empty; put the leaflet's text in it")
    return text
