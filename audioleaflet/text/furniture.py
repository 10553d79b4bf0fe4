"""Page furniture: page numbers and running headers from a PDF, menus and forms from a web page.

They are removed before the text is joined into paragraphs, so a sentence cut by a page break
(`…leverproblemer og` / `Side 1 af 3` / `sygdomme, hvor …`) flows on as one sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from audioleaflet.text.lines import ends_sentence, is_bullet, normalise_spaces
from audioleaflet.text.vocabulary import Vocabulary

# Non-blank lines on each side of a page break within which a running header or footer sits.
_NEAR = 2
# A running header repeats a line from the top of the first page (the product's name).
_TITLE_BLOCK = 10
_MAX_HEADER = 100


def _looks_like_content(line: str) -> bool:
    """List items and sentences repeat in leaflets on purpose; headers are bare titles."""
    return is_bullet(line) or ends_sentence(line) or len(line) > _MAX_HEADER


def remove_page_furniture(text: str, vocab: Vocabulary) -> tuple[str, list[tuple[str, str]]]:
    """The text without furniture, and each line removed with the reason."""
    raw = text.replace("\f", "\n\f\n").split("\n")
    # Compared normalised, kept raw: a footnote's two-space gap (`a  Bemærk`) must survive.
    lines = [line if line == "\f" else normalise_spaces(line) for line in raw]
    text_rows = [i for i, line in enumerate(lines) if line and line != "\f"]
    breaks = {i for i, line in enumerate(lines) if line == "\f" or vocab.is_furniture(line)}
    why: dict[int, str] = dict.fromkeys(breaks, "page number")
    # Menus, language links and login forms of a web page go the same way, when they stand on
    # a line of their own ("nach oben." ending a wrapped sentence is content).
    for i in text_rows:
        if vocab.is_web_leftover(lines[i]) and _alone(lines, i):
            why.setdefault(i, "web-page leftover")
    if _is_web_page(lines, text_rows):
        # An image description standing between blank lines: the page's pictures, unseen.
        for i in text_rows:
            if vocab.is_caption(lines[i]) and _between_blanks(lines, i):
                why.setdefault(i, "image caption")
    counts = Counter(lines[i] for i in text_rows)
    first_seen: dict[str, int] = {}
    for i in text_rows:
        first_seen.setdefault(lines[i], i)
    # The title block: the first lines, but never more than a fifth of a short text.
    top = set(text_rows[: min(_TITLE_BLOCK, max(2, len(text_rows) // 5))])

    def repeated_header(i: int) -> bool:
        line = lines[i]
        return counts[line] >= 2 and first_seen[line] != i and not _looks_like_content(line)

    # A title-page line that comes back on its own later is a running header.
    for i in text_rows:
        if i not in top and first_seen[lines[i]] in top and repeated_header(i):
            why.setdefault(i, "running header")
    for i in _imprint(lines, [i for i in text_rows if i not in why], vocab):
        why.setdefault(i, "publisher's imprint")
    rows = [i for i in text_rows if i not in why]
    for page_break in sorted(breaks):
        # rows is sorted and holds no break: a search, not a scan per break (quadratic).
        at = bisect_left(rows, page_break)
        before, after = rows[max(0, at - _NEAR) : at], rows[at : at + _NEAR]
        for i in before + after:
            if repeated_header(i):
                why.setdefault(i, "running header")
        # A header inside a sentence that runs on across the page break: a capitalised title
        # line between an unfinished sentence and its lower-case continuation.
        if (
            before
            and len(after) == 2
            and not _looks_like_content(lines[after[0]])
            and lines[after[0]][:1].isupper()
        ):
            runs_on = not ends_sentence(lines[before[-1]]) and lines[after[1]][:1].islower()
            if runs_on:
                why.setdefault(after[0], "running header")
    removed = [(why[i], lines[i]) for i in sorted(why) if lines[i] and lines[i] != "\f"]
    kept = [line for i, line in enumerate(raw) if i not in why]
    return "\n".join(kept), removed


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
            if all(len(lines[k]) <= _MAX_IMPRINT_LINE for k in rest):
                return set(rest)
    return set()


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
