"""Headings and blocks of a structured document (HTML, DOCX, ePI) -> chapters.

The rule is the Markdown reader's: the highest heading level that occurs makes the chapters,
deeper headings are spoken sub-headings, and text before the first heading is the
introduction. One QRD-aware step comes first: when the leaflet has numbered sections ("1. What
X is …" to "6. Contents of the pack …"), those are the chapters, whatever level the document
set them at, and other headings in them are sub-headings; so a page that sets the section
headings as `<h2>` and the leaflet's title as another `<h2>` still gets the six sections.
"""

from __future__ import annotations

import re

from audioleaflet.model import Block, BlockKind, Chapter

Item = tuple[int, Block]
_NUMBERED = re.compile(r"^\d{1,2}\.\s+\S")


def _chapter_headings(items: list[Item]) -> set[int]:
    """Indexes of the headings that start chapters."""
    headings = [i for i, (level, _block) in enumerate(items) if level]
    numbered = [i for i in headings if _NUMBERED.match(items[i][1].text)]
    if len(numbered) >= 2:
        level = min(items[i][0] for i in numbered)
        first = numbered[0]
        # Headings of that level before section 1 (the title, "What is in this leaflet")
        # still make chapters; after it, only the numbered ones do.
        return {i for i in headings if items[i][0] <= level and (i < first or i in numbered)}
    if not headings:
        return set()
    level = min(items[i][0] for i in headings)
    return {i for i in headings if items[i][0] == level}


def chapters_from_items(items: list[Item], introduction: str) -> list[Chapter]:
    """The chapters of a document given as (heading level or 0, block) items."""
    starts = _chapter_headings(items)
    chapters: list[Chapter] = []
    title: str | None = None
    blocks: list[Block] = []
    for index, (level, block) in enumerate(items):
        if index in starts and title is not None and not blocks and not _NUMBERED.match(block.text):
            # A heading straight under another ("Package leaflet: …" over the medicine's
            # name): one chapter, not one left empty.
            blocks.append(Block(BlockKind.SUBHEADING, block.text))
        elif index in starts:
            if title is not None or blocks:
                chapters.append(Chapter(title or introduction, tuple(blocks)))
            title, blocks = block.text, []
        elif level:
            blocks.append(Block(BlockKind.SUBHEADING, block.text))
        else:
            blocks.append(block)
    if title is not None or blocks:
        chapters.append(Chapter(title or introduction, tuple(blocks)))
    return chapters
