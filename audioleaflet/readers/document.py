"""Reading one leaflet text into a `Document`, by the reader registered for its file type."""

from __future__ import annotations

from collections.abc import Callable

from audioleaflet.errors import InputError
from audioleaflet.languages import get_language
from audioleaflet.model import Chapter, Document, LeafletText
from audioleaflet.readers.markdown import parse_markdown
from audioleaflet.readers.plaintext import parse_plain_text
from audioleaflet.readers.textfile import read_text
from audioleaflet.text.vocabulary import vocabulary

# text, language -> (document title, chapters, what was removed as furniture)
Reader = Callable[[str, str], tuple[str | None, list[Chapter], list[str]]]


def _plain(text: str, lang: str) -> tuple[str | None, list[Chapter], list[str]]:
    chapters, removed = parse_plain_text(text, vocabulary(lang), get_language(lang).introduction)
    return None, chapters, removed


def _markdown(text: str, lang: str) -> tuple[str | None, list[Chapter], list[str]]:
    title, chapters = parse_markdown(text, get_language(lang).introduction)
    return title, chapters, []


# File suffix -> reader. A new format (HTML, DOCX, FHIR ePI) registers here.
READERS: dict[str, Reader] = {".txt": _plain, ".md": _markdown, ".markdown": _markdown}


def read_document(text_file: LeafletText) -> Document:
    """The chapters of one language's text; an error if nothing in it can be spoken."""
    reader = READERS.get(text_file.path.suffix.lower())
    if reader is None:
        known = ", ".join(READERS)
        raise InputError(f"{text_file.path}: cannot read this kind of file; use one of {known}")
    text = read_text(text_file.path)
    title, chapters, removed = reader(text, text_file.lang)
    if not chapters:
        raise InputError(f"{text_file.path}: nothing to read aloud (only headings or markup)")
    return Document(
        lang=text_file.lang, title=title, chapters=tuple(chapters), removed=tuple(removed)
    )
