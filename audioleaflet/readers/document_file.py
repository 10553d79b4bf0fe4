"""One leaflet of a document file (PDF, HTML, DOCX, ePI) -> `Document`.

A part that is plain text (a PDF's) goes through the plain-text reader, with the lines the
layout showed as headings; a structured part (HTML, DOCX, ePI) becomes chapters by its heading
levels. Either way the lines the manifest says to skip are taken out first, and what the
format reader removed (boilerplate, page furniture, the SmPC) comes first in the removals.
"""

from __future__ import annotations

import re
from dataclasses import replace

from audioleaflet.config.manifest import TextOverrides
from audioleaflet.errors import InputError
from audioleaflet.intake.characters import clean_text, normalise_spaces
from audioleaflet.languages import get_language
from audioleaflet.model import Chapter, Document, LeafletText, Reason, Removal
from audioleaflet.readers.formats import Part, ReadFile, read_file
from audioleaflet.readers.plaintext import parse_plain_text
from audioleaflet.readers.structure import Item, chapters_from_items
from audioleaflet.text.vocabulary import vocabulary


def document_part(text_file: LeafletText) -> tuple[ReadFile, Part]:
    """The file's reading and the part (leaflet) of it that `text_file` is."""
    read = read_file(text_file.path)
    if text_file.part >= len(read.parts):
        raise InputError(
            f"{text_file.path}: has {len(read.parts)} leaflets now, not {text_file.part + 1}; "
            "run the command again"
        )
    return read, read.parts[text_file.part]


def _skip_items(items: list[Item], skip: tuple[str, ...]) -> tuple[list[Item], list[Removal]]:
    kept = [(level, block) for level, block in items if block.text not in skip]
    removed = [Removal(Reason.SKIPPED, b.text) for _level, b in items if b.text in skip]
    return kept, removed


def _skip_lines(text: str, skip: tuple[str, ...]) -> tuple[str, list[Removal]]:
    kept: list[str] = []
    removed: list[Removal] = []
    for line in text.split("\n"):
        if skip and normalise_spaces(line) in skip:
            removed.append(Removal(Reason.SKIPPED, normalise_spaces(line)))
        else:
            kept.append(line)
    return "\n".join(kept), removed


def read_document_file(text_file: LeafletText, overrides: TextOverrides) -> Document:
    """The chapters of one leaflet in a document file."""
    read, part = document_part(text_file)
    language = get_language(text_file.lang)
    removed: list[Removal] = list(part.removed)
    if part.text is not None:
        # Control characters and the like are removed where text enters, as for text files.
        text = clean_text(part.text, keep="\f").text
        text, skipped = _skip_lines(text, overrides.skip)
        headings = part.headings | frozenset(overrides.headings)
        chapters, cleaned = parse_plain_text(
            text, vocabulary(language.tag), language.introduction, headings
        )
        removed += skipped + cleaned
    else:
        items, skipped = _skip_items(list(part.items), overrides.skip)
        chapters = chapters_from_items(items, language.introduction)
        removed += skipped
    chapters = _with_words(chapters, removed)
    if not chapters:
        raise InputError(f"{text_file.path}: nothing to read aloud in {part.label}")
    return Document(
        lang=language.tag,
        title=part.title,
        chapters=tuple(chapters),
        removed=tuple(removed),
        notices=read.notices,
        origin=f"{read.reader}, {part.label}" if part.label else read.reader,
    )


# A word of question marks or replacement characters: letters a converter could not encode.
_LOST = re.compile(r"(?<![^\s(])[?\ufffd]{2,}(?=[\s.,;:)]|$)")


def _with_words(chapters: list[Chapter], removed: list[Removal]) -> list[Chapter]:
    """Blocks with no letter or digit (a stray `.`, `????` where a converter lost Greek
    letters) have nothing to say: a speech engine gives no audio for them."""
    result: list[Chapter] = []
    for chapter in chapters:
        blocks = []
        for block in chapter.blocks:
            lost = _LOST.findall(block.text)
            if lost:
                removed.extend(Removal(Reason.NO_WORDS, mark) for mark in lost)
                block = replace(block, text=normalise_spaces(_LOST.sub("", block.text)))
            if any(c.isalnum() for c in block.text):
                blocks.append(block)
            else:
                removed.append(Removal(Reason.NO_WORDS, block.text))
        result.append(replace(chapter, blocks=tuple(blocks)))
    return result
