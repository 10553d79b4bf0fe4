"""Reading one leaflet text into a `Document`, by the reader registered for its file type."""

from __future__ import annotations

from collections.abc import Callable

from audioleaflet.config.manifest import TextOverrides
from audioleaflet.errors import InputError
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.languages import get_language
from audioleaflet.model import Chapter, Document, LeafletText, Reason, Removal
from audioleaflet.readers.markdown import parse_markdown
from audioleaflet.readers.plaintext import parse_plain_text
from audioleaflet.readers.textfile import PAGE_BREAK, read_text_file
from audioleaflet.text.vocabulary import vocabulary

# text, language, manifest overrides -> (document title, chapters, what was removed)
Reader = Callable[[str, str, TextOverrides], tuple[str | None, list[Chapter], list[Removal]]]


def _plain(
    text: str, lang: str, overrides: TextOverrides
) -> tuple[str | None, list[Chapter], list[Removal]]:
    introduction = get_language(lang).introduction
    headings = frozenset(overrides.headings)
    chapters, removed = parse_plain_text(text, vocabulary(lang), introduction, headings)
    return None, chapters, removed


def _markdown(
    text: str, lang: str, overrides: TextOverrides
) -> tuple[str | None, list[Chapter], list[Removal]]:
    removed: list[Removal] = []
    # Markdown has no pages: a form feed left in by a converter is a line break.
    title, chapters = parse_markdown(
        text.replace(PAGE_BREAK, "\n"), get_language(lang).introduction, removed
    )
    return title, chapters, removed


def _skip_lines(text: str, skip: tuple[str, ...]) -> tuple[str, list[Removal]]:
    """Lines the manifest says not to read, taken out before anything else."""
    if not skip:
        return text, []
    kept: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        (removed if normalise_spaces(line) in skip else kept).append(line)
    return "\n".join(kept), [Removal(Reason.SKIPPED, normalise_spaces(r)) for r in removed]


# File suffix -> reader. A new format (HTML, DOCX, FHIR ePI) registers here.
READERS: dict[str, Reader] = {".txt": _plain, ".md": _markdown, ".markdown": _markdown}


NO_OVERRIDES = TextOverrides()


def read_document(text_file: LeafletText, overrides: TextOverrides = NO_OVERRIDES) -> Document:
    """The chapters of one language's text; an error if nothing in it can be spoken."""
    reader = READERS.get(text_file.path.suffix.lower())
    if reader is None:
        known = ", ".join(READERS)
        raise InputError(f"{text_file.path}: cannot read this kind of file; use one of {known}")
    read = read_text_file(text_file.path)
    text, skipped = _skip_lines(read.text, overrides.skip)
    title, chapters, removed = reader(text, text_file.lang, overrides)
    removed = skipped + removed
    if not chapters:
        raise InputError(f"{text_file.path}: nothing to read aloud (only headings or markup)")
    return Document(
        lang=text_file.lang,
        title=title,
        chapters=tuple(chapters),
        removed=tuple(removed),
        notices=(read.notice,) if read.notice else (),
    )
