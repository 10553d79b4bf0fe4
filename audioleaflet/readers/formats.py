"""Documents that are not text files (PDF, HTML, DOCX, FHIR ePI): what every format reader gives.

Each format has one reader module (`readers/pdf.py`, `html.py`, `docx.py`, `epi.py`) that turns
a file into a `ReadFile`: the document's own language and metadata, and one `Part` per leaflet
in it (an EMA product-information PDF holds one package leaflet per strength or form). A part
is either plain text, as a PDF gives it, for the plain-text reader with the headings the
layout showed, or headings and blocks already found, as structured formats give them.

A file is read once per process however often discovery, planning and `script` ask for it
(`read_file` caches by path, size and modification time): a 62-page PDF takes seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from audioleaflet.errors import InputError
from audioleaflet.model import Block, Removal

EXTRA = "audioleaflet[documents]"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a document says about itself, where it says it."""

    title: str | None = None
    """The document's title (PDF metadata, HTML `<title>`, `Composition.title`)."""
    organisation: str | None = None
    """The marketing-authorisation holder or publisher."""
    date: dt.date | None = None
    """When the text was last revised ("This leaflet was last revised in …", ePI date)."""
    version: str | None = None
    """The document's own version label."""


@dataclass(frozen=True, slots=True)
class Part:
    """One leaflet of a document, ready for the chapter finder."""

    label: str
    """Where it came from, for `script` and `chapters` ("package leaflet 2 of 3, pages 53-62")."""
    title: str | None
    """The leaflet's own title, from its first lines (QRD) or the document's metadata."""
    info: DocumentInfo = DocumentInfo()
    """Organisation, date and version the part states."""
    text: str | None = None
    """Plain text (a PDF's), for the plain-text reader; None when `items` hold the structure."""
    headings: frozenset[str] = frozenset()
    """Lines of `text` that the layout shows to be headings (bold, larger type)."""
    items: tuple[tuple[int, Block], ...] = ()
    """Structured formats: (heading level 1-6, heading block) or (0, body block), in order."""
    removed: tuple[Removal, ...] = ()
    """What reading took out before the text rules ran (boilerplate, page furniture)."""


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A document file as its reader understood it."""

    reader: str
    """Which reader read it ("PDF", "HTML", "DOCX", "FHIR ePI")."""
    parts: tuple[Part, ...]
    """One per leaflet in the file; never empty."""
    lang: str | None = None
    """The language the document declares (HTML `lang`, `Composition.language`), if any."""
    lang_source: str = ""
    """Where `lang` was declared, for the notice that says so."""
    notices: tuple[str, ...] = field(default_factory=tuple)
    """Warnings about the file as read."""

    def sample(self) -> str:
        """Text to detect the language from, when nothing declares it."""
        texts = [p.text or " ".join(b.text for _level, b in p.items) for p in self.parts]
        return "\n".join(texts)[:20000]


FileReader = Callable[[Path], ReadFile]


def need(module: str, what: str) -> object:
    """Import an optional library, or say in one line which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(
            f"reading {what} needs the documents extra; install it with: pip install '{EXTRA}'"
        ) from None


def _pdf(path: Path) -> ReadFile:
    from audioleaflet.readers.pdf import read_pdf

    return read_pdf(path)


def _html(path: Path) -> ReadFile:
    from audioleaflet.readers.html import read_html

    return read_html(path)


def _docx(path: Path) -> ReadFile:
    from audioleaflet.readers.docx import read_docx

    return read_docx(path)


def _epi(path: Path) -> ReadFile:
    from audioleaflet.readers.epi import read_epi

    return read_epi(path)


# File suffix -> reader; text files (`.txt`, `.md`) have their own readers in `document.py`.
FORMATS: dict[str, FileReader] = {
    ".pdf": _pdf,
    ".html": _html,
    ".htm": _html,
    ".xhtml": _html,
    ".docx": _docx,
    ".json": _epi,
    ".xml": _epi,
}
DOCUMENT_SUFFIXES = tuple(FORMATS)


def is_url(path: Path | str) -> bool:
    """A web address given where a file was expected (`Path` folds `//` into `/`)."""
    return str(path).startswith(("http:/", "https:/"))


def url_of(path: Path | str) -> str:
    """The address a `Path` made of a URL stands for."""
    text = str(path)
    scheme, _, rest = text.partition(":/")
    return f"{scheme}://{rest.lstrip('/')}"


def is_document(path: Path) -> bool:
    return is_url(path) or path.suffix.lower() in FORMATS


def read_file(path: Path) -> ReadFile:
    """The document at `path` (a file or a web address), read by its format's reader."""
    if is_url(path):
        return _read_url(url_of(path))
    reader = FORMATS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"{path}: not a document format audioleaflet reads")
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    return _cached(path.resolve(), stat.st_size, stat.st_mtime_ns, path)


@functools.lru_cache(maxsize=16)
def _cached(_real: Path, _size: int, _mtime: int, path: Path) -> ReadFile:
    return FORMATS[path.suffix.lower()](path)


@functools.lru_cache(maxsize=4)
def _read_url(url: str) -> ReadFile:
    from audioleaflet.readers.html import read_url

    return read_url(url)
