"""Plain text (as extracted from a PDF or web page) -> chapters.

Page numbers and running headers are dropped first, then hard wraps are undone, then headings
are found line by line:
- strong: a question (`Hvad er immunonkologi?`) or a numbered section (`1. What X is ...`);
- weak: a short capitalised line without final punctuation (`Mere information`).
A run of heading-like lines with no body between them is a heading plus its subtitle or a
caption, or a table of contents (several numbered lines), never several empty chapters.
A weak heading must be followed by prose; otherwise it is page furniture or a form label and
stays as text. When a leaflet has numbered sections (the EU package-leaflet template), those
are its chapters and the other headings are sub-headings inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audioleaflet.model import Block, BlockKind, Chapter, Removal
from audioleaflet.text.furniture import remove_page_furniture
from audioleaflet.text.lines import is_bullet, is_repeated_link_label, logical_lines, strip_bullet
from audioleaflet.text.vocabulary import Vocabulary

MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 18
# `1. What X is`, `2.1. Dosering`; the dot after the first number is required (`8 Tabletten`
# is a table cell, `12 Riverside Way` an address).
_NUMBERED = re.compile(r"^(\d{1,2})\.(?:\d{1,2}\.?)*\s+\w")
_ITEM_NUMBER = re.compile(r"^(\d{1,2})[.)]\s")
_ADDRESS = re.compile(r"www\.|https?://|\S@\S|\.(?:com|org|net|gov|eu)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    heading: bool


def heading_strength(line: str, vocab: Vocabulary | None = None) -> str:
    """'strong', 'weak' or '' for a logical line."""
    if len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return ""
    if vocab is not None and vocab.is_caption(line):
        return ""
    numbered = bool(_NUMBERED.match(line))
    body = re.sub(r"^\d{1,2}\.(?:\d{1,2}\.?)*\s+", "", line) if numbered else line
    if not body[:1].isupper() or _ADDRESS.search(line) or is_repeated_link_label(line):
        return ""
    if line.endswith("?"):
        return "strong"
    non_space = [c for c in line if not c.isspace()]
    letters = sum(c.isalpha() for c in non_space)
    if line.endswith(tuple(".,;:!")) or letters < 0.6 * len(non_space) or letters < 3:
        return ""
    return "strong" if numbered else "weak"


def _is_prose(line: str) -> bool:
    if line.endswith(tuple(".!?:")):
        return True
    letters = sum(c.isalpha() for c in line)
    return len(line.split()) >= 8 and letters >= 0.6 * len(line.replace(" ", ""))


def _continues_numbered_list(previous: str | None, line: str) -> bool:
    """`5. Hold your breath` right after `4. Breathe out.` is step 5, not section 5."""
    if previous is None:
        return False
    before, this = _ITEM_NUMBER.match(previous), _ITEM_NUMBER.match(line)
    return bool(before and this and int(this[1]) == int(before[1]) + 1)


def _restarts_numbering(lines: list[str], numbered: list[int]) -> bool:
    """The run ends where numbering starts again (`6. …` then `1. …`): a contents list followed
    by section 1, not steps 1 to 5 of one list."""
    numbers = [int(match[1]) for k in numbered if (match := _NUMBERED.match(lines[k]))]
    return len(numbers) >= 2 and numbers[-1] <= numbers[-2]


def _strengths(lines: list[str], vocab: Vocabulary, forced: frozenset[str]) -> list[str]:
    strengths = ["strong" if line in forced else heading_strength(line, vocab) for line in lines]
    for i in range(1, len(lines)):
        if (
            strengths[i]
            and not strengths[i - 1]
            and _continues_numbered_list(lines[i - 1], lines[i])
        ):
            strengths[i] = ""
    return strengths


def _classify(
    lines: list[str], vocab: Vocabulary, forced: frozenset[str] = frozenset()
) -> list[_Line]:
    strengths = _strengths(lines, vocab, forced)
    result: list[_Line] = []
    i = 0
    while i < len(lines):
        if not strengths[i]:
            result.append(_Line(lines[i], False))
            i += 1
            continue
        end = i
        while end < len(lines) and strengths[end]:
            end += 1
        run = list(range(i, end))
        following = end
        while following < len(lines) and vocab.is_caption(lines[following]):
            following += 1  # A picture between a heading and its text.
        followed_by_prose = following < len(lines) and _is_prose(lines[following])
        numbered = [k for k in run if _NUMBERED.match(lines[k])]
        if len(numbered) >= 2:
            # A table of contents ("What is in this leaflet" + 1. … 6.), often followed at once
            # by the first real section: its title heads the list, the list is text, and the
            # last line starts a chapter when prose follows it.
            chosen: set[int] = set()
            if run[0] not in numbered:
                chosen.add(run[0])
            if followed_by_prose and run[-1] != run[0] and _restarts_numbering(lines, numbered):
                chosen.add(run[-1])
        elif any(strengths[k] == "strong" for k in run):
            chosen = {k for k in run if strengths[k] == "strong"}
        else:
            chosen = {i} if followed_by_prose else set()
        result.extend(_Line(lines[k], k in chosen) for k in run)
        i = end
    return result


def _block(text: str) -> Block:
    if is_bullet(text):
        return Block(BlockKind.LIST_ITEM, strip_bullet(text))
    return Block(BlockKind.PARAGRAPH, text)


def parse_plain_text(
    text: str, vocab: Vocabulary, introduction: str, headings: frozenset[str] = frozenset()
) -> tuple[list[Chapter], list[Removal]]:
    """The chapters of a plain-text leaflet, and the page furniture removed from it.

    Text before the first heading becomes a chapter called `introduction`; lines in `headings`
    (from the leaflet's manifest) are headings whatever they look like.
    """
    text, removed = remove_page_furniture(text, vocab)
    classified = _classify([line for line, _blank in logical_lines(text)], vocab, headings)
    numbered_sections = sum(1 for line in classified if line.heading and _NUMBERED.match(line.text))
    chapters: list[Chapter] = []
    title: str | None = None
    blocks: list[Block] = []
    in_sections = False
    for line in classified:
        is_section = line.heading and bool(_NUMBERED.match(line.text))
        in_sections = in_sections or is_section
        if line.heading and numbered_sections >= 2 and in_sections and not is_section:
            blocks.append(Block(BlockKind.SUBHEADING, line.text))
        elif line.heading:
            if title is not None or blocks:
                chapters.append(Chapter(title or introduction, tuple(blocks)))
            title, blocks = line.text, []
        else:
            blocks.append(_block(line.text))
    if title is not None or blocks:
        chapters.append(Chapter(title or introduction, tuple(blocks)))
    return chapters, removed
