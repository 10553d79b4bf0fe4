"""Reading one leaflet text into a `Document`: by file type, Markdown or plain text."""

from __future__ import annotations

from audioleaflet.errors import InputError
from audioleaflet.languages import get_language
from audioleaflet.model import Chapter, Document, LeafletText
from audioleaflet.readers.markdown import parse_markdown
from audioleaflet.readers.plaintext import parse_plain_text
from audioleaflet.readers.textfile import read_text


def read_document(text_file: LeafletText) -> Document:
    """The chapters of one language's text; an error if nothing in it can be spoken."""
    text = read_text(text_file.path)
    introduction = get_language(text_file.lang).introduction
    title: str | None = None
    chapters: list[Chapter]
    if text_file.path.suffix.lower() in (".md", ".markdown"):
        title, chapters = parse_markdown(text, introduction)
    else:
        chapters = parse_plain_text(text, introduction)
    if not chapters:
        raise InputError(f"{text_file.path}: nothing to read aloud (only headings or markup)")
    return Document(lang=text_file.lang, title=title, chapters=tuple(chapters))
