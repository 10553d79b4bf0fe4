"""The timing model's sentences as cues: the text a transcript shows, and when.

The transcripts (`transcripts.py`) and the web edition's player page (`web/`) show the same
text at the same times, so both take their cues from here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from audioleaflet.model import ChapterTiming

TextChoice = Literal["spoken", "source"]


@dataclass(frozen=True, slots=True)
class Cue:
    """One sentence as a transcript shows it."""

    chapter: int
    """1-based number of the chapter the sentence belongs to."""
    number: int
    """1-based number of the sentence within its chapter."""
    start_ms: int
    end_ms: int
    text: str
    """One line of plain text (not yet escaped for any format)."""


_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def one_line(text: str) -> str:
    # A line break inside a cue is allowed, but a blank line would end it early; sentences
    # are one line anyway, so any break left over from extraction becomes a space.
    return _LINE_BREAKS.sub(" ", text).strip()


def cues(timings: Sequence[ChapterTiming], use: TextChoice = "spoken") -> tuple[Cue, ...]:
    """Every sentence of the book as a cue, checked to be in order and inside the book.

    Raises ValueError when the timings would give cues that overlap, run backwards or end after
    the book: a transcript like that is a bug upstream, better refused than published.
    """
    if use not in ("spoken", "source"):
        raise ValueError(f"use must be 'spoken' or 'source', not {use!r}")
    made = tuple(
        Cue(
            chapter=chapter_no,
            number=sentence_no,
            start_ms=sentence.start_ms,
            end_ms=sentence.end_ms,
            text=one_line(
                (sentence.source if use == "source" else "") or sentence.text,
            ),
        )
        for chapter_no, chapter in enumerate(timings, start=1)
        for sentence_no, sentence in enumerate(chapter.sentences, start=1)
    )
    book_end_ms = timings[-1].end_ms if timings else 0
    for cue in made:
        if not 0 <= cue.start_ms < cue.end_ms <= book_end_ms:
            raise ValueError(f"cue {cue.chapter}.{cue.number} has impossible times: {cue}")
    for before, after in itertools.pairwise(made):
        if after.start_ms < before.end_ms:
            raise ValueError(
                f"cue {after.chapter}.{after.number} starts before "
                f"cue {before.chapter}.{before.number} ends"
            )
    return made
