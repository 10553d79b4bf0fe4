"""Chapter -> spoken sentences with the pause after each.

Splitting uses sentencex, which knows each language's abbreviations (`f.eks.`, `e.g.`, `ecc.`),
so sentences are not cut inside them. The heading is spoken first so that a listener who jumps
to a chapter hears where they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentencex import segment

from audioleaflet.model import Block, BlockKind, Chapter, Sentence


@dataclass(frozen=True, slots=True)
class Pauses:
    """Silence lengths, in milliseconds, by what has just ended."""

    sentence_ms: int = 400
    """Between sentences of one paragraph."""
    list_item_ms: int = 600
    """After each list item."""
    paragraph_ms: int = 800
    """After a paragraph or sub-heading."""
    heading_ms: int = 1000
    """After the chapter's spoken heading."""
    chapter_ms: int = 1600
    """After the last sentence of a chapter, before the next chapter's heading."""


def split_sentences(text: str, lang: str) -> list[str]:
    """`text` as sentences, each stripped; never splits inside the language's abbreviations."""
    return [s.strip() for s in segment(lang, text) if s.strip()]


def _block_sentences(block: Block, lang: str, pauses: Pauses) -> list[Sentence]:
    parts = split_sentences(block.text, lang)
    end = {
        BlockKind.PARAGRAPH: pauses.paragraph_ms,
        BlockKind.LIST_ITEM: pauses.list_item_ms,
        BlockKind.SUBHEADING: pauses.paragraph_ms,
    }[block.kind]
    return [
        Sentence(text=part, pause_after_ms=end if i == len(parts) - 1 else pauses.sentence_ms)
        for i, part in enumerate(parts)
    ]


DEFAULT_PAUSES = Pauses()


def body_sentences(chapter: Chapter, lang: str, pauses: Pauses = DEFAULT_PAUSES) -> list[Sentence]:
    """The sentences of a chapter's body, without its heading."""
    return [s for block in chapter.blocks for s in _block_sentences(block, lang, pauses)]


def chapter_sentences(
    chapter: Chapter, lang: str, pauses: Pauses = DEFAULT_PAUSES
) -> list[Sentence]:
    """Everything spoken in a chapter: heading, then body; the last pause is the chapter's."""
    spoken = [Sentence(chapter.title, pauses.heading_ms), *body_sentences(chapter, lang, pauses)]
    last = spoken[-1]
    spoken[-1] = Sentence(last.text, pauses.chapter_ms)
    return spoken
