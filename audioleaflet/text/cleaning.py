"""Removing extraction artifacts inside the text: footnote markers and reference numbers.

Each rule is a small named function `(text, removed) -> text` that records what it took out,
so the proofreader sees every removal (`audioleaflet script --diff`). They remove markers, never
content. Whole-line furniture (page numbers, web menus) is removed earlier, in
`text/furniture.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

Removed = list[tuple[str, str]]
"""(rule name, text removed)."""

# `kræft.1-3 Disse`, `antistoffer).6`, `gennembrud’4`, `modermærkekræft,1 lungekræft`: digits
# right after punctuation that follows a word (not a digit: `2,5` is a decimal).
_AFTER_PUNCTUATION = re.compile(
    r"(?:(?<=[^\W\d_][.,;:!?])|(?<=[)\]’”'\"][.,;:!?])|(?<=[)\]’”'\"]))"
    r"\d{1,2}(?:[-–,]\d{1,2})*(?=\s|$)"
)
# `modermærkekræft1 og`, `prostatakræft3,`: digits glued to the end of a lower-case word.
_GLUED = re.compile(r"(?<=[^\W\dA-Z_ÆØÅÄÖÜ]{3})\d{1,2}(?:[-–,]\d{1,2})*(?=[\s.,;:!?)]|$)")
# `[12]`, `[1, 3-5]`, Markdown's `[^1]`.
_BRACKETED = re.compile(r"\s?\[(?:\^\w+|\d{1,3}(?:\s?[-–,]\s?\d{1,3})*)\]")


def _remove(pattern: re.Pattern[str], name: str) -> Callable[[str, Removed], str]:
    def rule(text: str, removed: Removed) -> str:
        def drop(match: re.Match[str]) -> str:
            removed.append((name, match[0].strip()))
            return ""

        return pattern.sub(drop, text)

    rule.__name__ = name
    return rule


# `dizziness*`: an asterisk pointing at a note.
_ASTERISK = re.compile(r"(?<=[^\W\d_])\*+(?=[\s.,;:!?)]|$)")

remove_bracketed_references = _remove(_BRACKETED, "reference number")
remove_asterisks = _remove(_ASTERISK, "note mark")
remove_markers_after_punctuation = _remove(_AFTER_PUNCTUATION, "footnote number")
remove_glued_markers = _remove(_GLUED, "footnote number")

INLINE_RULES: tuple[Callable[[str, Removed], str], ...] = (
    remove_bracketed_references,
    remove_markers_after_punctuation,
    remove_glued_markers,
    remove_asterisks,
)


def clean_inline(text: str, removed: Removed | None = None) -> str:
    """`text` without footnote markers and reference numbers."""
    record: Removed = [] if removed is None else removed
    for rule in INLINE_RULES:
        text = rule(text, record)
    return text


_NOTE = re.compile(r"^([a-z])\s+(?=[^\W\d_])")


def note_letter(text: str) -> str | None:
    """`a  Bemærk, at …` is footnote a; its text follows the letter."""
    match = _NOTE.match(text)
    return match[1] if match and not re.match(r"^[a-z]\s+[a-z]", text) else None


def remove_note_letters(texts: list[str], letters: set[str], removed: Removed) -> list[str]:
    """`behandlingera` -> `behandlinger` when note `a` exists and `behandlinger` is a word here.

    A superscript letter lands glued to a word; it is told apart from a real word ending in
    that letter by the word without it occurring elsewhere while the word with it does not.
    """
    words = Counter(w.lower() for t in texts for w in re.findall(r"[^\W\d_]+", t))

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        if word[-1] in letters and words[word.lower()] == 1 and words[word[:-1].lower()] >= 2:
            removed.append(("note letter", f"{word} -> {word[:-1]}"))
            return word[:-1]
        return word

    return [re.sub(r"[^\W\d_]{4,}", fix, t) for t in texts]
