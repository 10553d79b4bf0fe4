"""Page furniture: page numbers and running headers from a PDF, menus and forms from a web page.

They are removed before the text is joined into paragraphs, so a sentence cut by a page break
(`…leverproblemer og` / `Side 1 af 3` / `sygdomme, hvor …`) flows on as one sentence.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_left, bisect_right

from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.model import Reason, Removal
from audioleaflet.text.lines import ends_sentence, is_bullet
from audioleaflet.text.vocabulary import Vocabulary

# Non-blank lines on each side of a page break within which a running header or footer sits.
_NEAR = 2
_MAX_HEADER = 100


def _looks_like_content(line: str) -> bool:
    """List items and sentences repeat in leaflets on purpose; headers are bare titles."""
    return is_bullet(line) or ends_sentence(line) or len(line) > _MAX_HEADER


def remove_page_furniture(text: str, vocab: Vocabulary) -> tuple[str, list[Removal]]:
    """The text without furniture, and each line removed with the reason."""
    raw = text.replace("\f", "\n\f\n").split("\n")
    # Compared normalised, kept raw: a footnote's two-space gap (`a  Bemærk`) must survive.
    lines = [line if line == "\f" else normalise_spaces(line) for line in raw]
    text_rows = [i for i, line in enumerate(lines) if line and line != "\f"]
    breaks = {i for i, line in enumerate(lines) if line == "\f" or vocab.is_furniture(line)}
    why: dict[int, Reason] = dict.fromkeys(breaks, Reason.PAGE_NUMBER)
    # Menus, language links and login forms of a web page go the same way, when they stand on
    # a line of their own ("nach oben." ending a wrapped sentence is content).
    for i in text_rows:
        if vocab.is_web_leftover(lines[i]) and _alone(lines, i):
            why.setdefault(i, Reason.WEB_LEFTOVER)
    if _is_web_page(lines, text_rows):
        # An image description standing between blank lines: the page's pictures, unseen.
        for i in text_rows:
            if vocab.is_caption(lines[i]) and _between_blanks(lines, i):
                why.setdefault(i, Reason.IMAGE_CAPTION)
    for i in _bare_page_numbers(lines, text_rows):
        why.setdefault(i, Reason.PAGE_NUMBER)
    for i in _imprint(lines, [i for i in text_rows if i not in why], vocab):
        why.setdefault(i, Reason.IMPRINT)
    rows = [i for i in text_rows if i not in why]
    for i in _running_headers(lines, rows, breaks):
        why.setdefault(i, Reason.RUNNING_HEADER)
    removed = [Removal(why[i], lines[i]) for i in sorted(why) if lines[i] and lines[i] != "\f"]
    kept = [line for i, line in enumerate(raw) if i not in why]
    return "\n".join(kept), removed


# A page number alone on its line: `3`, `- 3 -`, `(3)`, `3/12`.
_BARE_NUMBER = re.compile(r"[-–—(\[]?\s*(\d{1,4})\s*(?:/\s*\d{1,4})?\s*[-–—)\]]?")


def _bare_page_numbers(lines: list[str], rows: list[int]) -> set[int]:
    """Page numbers without a word (`3` above a form feed), decided by where they stand: the
    line at the same edge of every page (the last before each form feed and at the end, or the
    first after each and at the start), counting up by one from page to page. A lone number
    anywhere else, or numbers that do not count the pages, are the leaflet's own."""
    feeds = [i for i, line in enumerate(lines) if line == "\f"]
    if not feeds or not rows:
        return set()
    found: set[int] = set()
    bounds = [-1, *feeds, len(lines)]
    pages = [rows[bisect_right(rows, start) : bisect_left(rows, end)]
             for start, end in itertools.pairwise(bounds)]  # fmt: skip
    pages = [page for page in pages if page]
    for edge in (-1, 0):  # the foot of each page, then the head
        spots = [page[edge] for page in pages]
        numbers = [_BARE_NUMBER.fullmatch(lines[i]) for i in spots]
        matched = [(i, int(m[1])) for i, m in zip(spots, numbers, strict=True) if m]
        counting = all(b[1] == a[1] + 1 for a, b in itertools.pairwise(matched))
        if len(matched) >= 2 and len(matched) >= len(pages) - 1 and counting:
            found.update(i for i, _number in matched)
    return found


def _page_breaks(rows: list[int], breaks: set[int]) -> list[tuple[list[int], list[int]]]:
    """The lines just before and just after each break between two pages. A page number and a
    form feed with no text between them are one break; one at the very start or end of the
    text (the last page's number) separates no pages."""
    groups: list[tuple[int, int]] = []
    for page_break in sorted(breaks):
        text_between = groups and bisect_left(rows, page_break) > bisect_right(rows, groups[-1][1])
        if groups and not text_between:
            groups[-1] = (groups[-1][0], page_break)
        else:
            groups.append((page_break, page_break))
    pages = []
    for first, last in groups:
        before = rows[max(0, bisect_left(rows, first) - _NEAR) : bisect_left(rows, first)]
        after = rows[bisect_right(rows, last) : bisect_right(rows, last) + _NEAR]
        if before and after:
            pages.append((before, after))
    return pages


def _running_headers(lines: list[str], rows: list[int], breaks: set[int]) -> set[int]:
    """Running headers and footers, decided by where they stand, never by what they say.

    Only a text whose pages are marked (form feeds, page numbers) has them. A header is a
    title line (not a sentence, not a list item) that stands at the same place next to the page
    breaks (the first line after it, the last before it) on every page of a two-page text, and
    at two breaks or half of them, whichever is more, in a longer one. Its first occurrence,
    the title on the first page, stays. A heading that happens to come back near one break
    (a contents list, then the section) is spoken.
    """
    pages = _page_breaks(rows, breaks)
    if not pages:
        return set()
    first_seen: dict[str, int] = {}
    for i in rows:
        first_seen.setdefault(lines[i], i)
    # (line, place) -> the breaks it stands at; place -1 is the last line before a break, 1
    # the first after it.
    places: dict[tuple[str, int], set[int]] = {}
    for number, (before, after) in enumerate(pages):
        spots = [(i, -k) for k, i in enumerate(reversed(before), 1)]
        spots += [(i, k) for k, i in enumerate(after, 1)]
        for i, place in spots:
            places.setdefault((lines[i], place), set()).add(number)
    need = 1 if len(pages) == 1 else max(2, math.ceil(len(pages) / 2))
    headers = {
        line
        for (line, _place), at in places.items()
        if len(at) >= need and not _looks_like_content(line)
    }
    found = {
        i
        for before, after in pages
        for i in before + after
        if lines[i] in headers and first_seen[lines[i]] != i
    }
    for before, after in pages:
        # A header inside a sentence that runs on across the page break: a capitalised title
        # line between an unfinished sentence and its lower-case continuation.
        if (
            len(after) == 2
            and not _looks_like_content(lines[after[0]])
            and lines[after[0]][:1].isupper()
            and not ends_sentence(lines[before[-1]])
            and lines[after[1]][:1].islower()
        ):
            found.add(after[0])
    return found


# Imprint lines are addresses and numbers, never long sentences, and come last.
_MAX_IMPRINT_LINE = 90
_IMPRINT_TAIL = 12


def _imprint(lines: list[str], rows: list[int], vocab: Vocabulary) -> set[int]:
    """The publisher's imprint at the end of a text: from a copyright or VAT line to the end,
    when everything after it is short lines (company name, address, phone)."""
    for position, i in enumerate(rows):
        if position < len(rows) - _IMPRINT_TAIL:
            continue  # A © photo credit near the top is not the imprint.
        if vocab.is_legal_footer(lines[i]):
            rest = rows[position:]
            # A sentence after it ("Call 112 in an emergency.") is content: no imprint then.
            if all(len(lines[k]) <= _MAX_IMPRINT_LINE and not _is_sentence(lines[k]) for k in rest):
                return set(rest)
    return set()


def _is_sentence(line: str) -> bool:
    """Four words or more and a full stop: "All rights reserved." is still the imprint."""
    return line.rstrip().endswith((".", "!", "?")) and len(line.split()) >= 4


def _alone(lines: list[str], i: int) -> bool:
    """A blank line (or the text's edge) before it, and it does not continue a sentence."""
    before = lines[i - 1] if i > 0 else ""
    return not before.strip() or ends_sentence(before) or lines[i][:1].isupper()


# Web pages come out one paragraph per line; PDFs wrap at a column width under this.
_WEB_PARAGRAPH = 150


def _is_web_page(lines: list[str], rows: list[int]) -> bool:
    return sum(len(lines[i]) > _WEB_PARAGRAPH for i in rows) >= max(2, len(rows) // 5)


def _between_blanks(lines: list[str], i: int) -> bool:
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    return not before.strip() and not after.strip()
