"""Undoing hard line wraps and line-end hyphenation, as text comes out of a PDF or web page.

Each rule is a small named predicate or function so that it can be tested on its own.
"""

from __future__ import annotations

import re
from collections import Counter

from audioleaflet.intake.characters import normalise_spaces

_TERMINAL = tuple(".!?:;")
_BULLET = re.compile(r"^(?:[•▪◦●○■□➢►‣∙·]|[-–—*](?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))")
_ADDRESS = re.compile(r"/|www\.|@|\.(?:com|org|net|gov|eu|dk|it|de|uk)$", re.IGNORECASE)
# `a  Bemærk, at …`: a footnote's letter, set apart by a wide gap (two spaces or a tab) from
# its text. One space is a word: Danish `i Europa`, Italian `e Roma` continue their sentence.
_RAW_NOTE = re.compile(r"^\s*([a-z](?= {2,}|\t)|[¹²³⁴⁵⁶⁷⁸⁹⁰])\s*(?=[^\W\d_])")
NOTE_GAP = "\u00a0"
"""Kept between a footnote's letter and its text so later stages can still tell it is one."""
_WORD_CUT = re.compile(r"(\w+)-$")


def is_bullet(line: str) -> bool:
    """A list item: `• text`, `- text`, `1. text`, `a) text`."""
    return bool(_BULLET.match(line))


# An article or preposition, a number and a dot: German and Danish ordinals (`am 3.`, `den 1.`).
_ORDINAL_AT_END = re.compile(
    r"\b(?:der|die|das|dem|den|des|am|vom|zum|ab|bis|im|ved|på|fra|til|det)\s+\d{1,2}\.$",
    re.IGNORECASE,
)
# A label that introduces what follows ("Rare (may affect up to 1 in 1,000 people):").
_LABEL = re.compile(r"^[A-ZÆØÅÄÖÜ].{0,70}:$")
_SECTION = re.compile(r"^\d{1,2}\.(?:\d{1,2}\.?)*\s+[^\W\d_]")
_UNORDERED = re.compile(r"^(?:[•▪◦●○■□➢►‣∙·]|[-–—*](?=\s))")


def strip_bullet(line: str) -> str:
    """The item without its bullet; a number or letter (`3.`, `b)`) is kept: it is content."""
    return _UNORDERED.sub("", line, count=1).strip()


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_TERMINAL)


def has_open_bracket(line: str) -> bool:
    """More `(` or `[` opened than closed: the line cannot end there."""
    return line.count("(") > line.count(")") or line.count("[") > line.count("]")


def word_counts(text: str) -> Counter[str]:
    """How often each lower-cased word occurs, to judge a hyphen at a line end."""
    return Counter(w.lower() for w in re.findall(r"\w[\w-]*\w|\w", text))


def join_hyphenated(head: str, tail: str, vocabulary: Counter[str]) -> str:
    """Join `behand-` + `linger` -> `behandlinger`, keeping real compounds (`EU-` + `lande`).

    A lower-case word cut by a hyphen is rejoined without it, unless the text elsewhere writes
    the same word with the hyphen (`well-known`), and never when the part before the hyphen is
    upper case or a digit.
    """
    first = _WORD_CUT.search(head)
    second = re.match(r"\w+", tail)
    # Upper case or a digit before the hyphen marks a real compound (`EU-lande`, `COVID-19-`).
    cut_word = len(head) >= 2 and head[-2].islower()
    if not (first and second and cut_word and tail[:1].islower()):
        return head + tail
    hyphenated = f"{first[1]}-{second[0]}".lower()
    closed = f"{first[1]}{second[0]}".lower()
    if vocabulary[hyphenated] > vocabulary[closed]:
        return head + tail
    return head[:-1] + tail


def continues(previous: str, line: str, same_block: bool, width: int = 80) -> bool:
    """Does `line` continue the logical line `previous` (a hard wrap), rather than start anew?

    `width` is the text's usual line length: a line that nearly fills it was wrapped there.
    """
    if not previous:
        return False
    decided = _decided_by_the_break(previous, line, same_block)
    if decided is not None:
        return decided
    return _continues_the_sentence(previous, line, same_block, width)


def _decided_by_the_break(previous: str, line: str, same_block: bool) -> bool | None:
    """What the end of `previous` and the start of `line` decide alone: an address or a word
    cut at the break, a note or bullet starting, an ordinal or a sentence ending; else None."""
    if previous.endswith("@"):
        return True
    if re.search(r"\w-$", previous) and line[:1].isalnum() and (same_block or line[:1].islower()):
        return True
    if line[1:2] == NOTE_GAP:
        return False
    if is_bullet(line) and not line.startswith(("– ", "— ")):
        return False
    if _ORDINAL_AT_END.search(previous) and line[:1].isalpha():
        return True  # "Ab der 13." / "Woche": an ordinal, not the end of a sentence.
    if ends_sentence(previous):
        return False
    return None


def _continues_the_sentence(previous: str, line: str, same_block: bool, width: int) -> bool:
    """`previous` ends mid-sentence: whether `line` carries it on or is a line of its own."""
    first = line[:1]
    if first.islower() or first in ",;)]":
        return True
    if line.startswith(("– ", "— ")):
        # An en dash continuing a lead-in on the next line ("Academy [..]" / "– Academy (IOA)
        # er ..."); a hyphen-minus there is a bullet, which starts its own item.
        return same_block and not is_bullet(previous)
    if _SECTION.match(previous) and not first.islower():
        # A numbered section heading is a line of its own, however long ("2. Det skal du vide,
        # før du begynder at tage X 500 mg filmovertrukne tabletter").
        return False
    if _LABEL.match(line) and not has_open_bracket(previous):
        return False
    return same_block and (has_open_bracket(previous) or _is_long_wrapped(previous, width))


def _is_long_wrapped(line: str, width: int) -> bool:
    """A line that nearly fills the text's width and ends in a word: wrapped at the margin.

    Headings are shorter than the margin; a line that ends in a web address is its own line.
    """
    last = line.rsplit(" ", 1)[-1]
    long_enough = len(line) >= max(40, int(0.8 * width))
    return long_enough and bool(re.search(r"[\w,]$", line)) and not _ADDRESS.search(last)


def line_width(text: str) -> int:
    """The text's wrap width: the length most full lines reach (90th percentile)."""
    lengths = sorted(len(normalise_spaces(line)) for line in text.split("\n") if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80


def join(previous: str, line: str, vocabulary: Counter[str]) -> str:
    """The two lines as one, with the right separator."""
    if previous.endswith("@"):
        return previous + line
    if previous.endswith("-"):
        return join_hyphenated(previous, line, vocabulary)
    return f"{previous} {line}"


def logical_lines(text: str) -> list[tuple[str, bool]]:
    """The text as logical lines, each with `True` when a blank line came before it.

    Hard-wrapped lines are joined, even across blank lines when the next one starts in lower
    case and the previous one did not end a sentence (text boxes broken into short lines).
    """
    vocabulary = word_counts(text)
    width = line_width(text)
    result: list[tuple[str, bool]] = []
    blank_before = False
    for raw in text.split("\n"):
        line = normalise_spaces(raw)
        note = _RAW_NOTE.match(raw)
        # A note starts after a blank line or a finished sentence; inside a paragraph
        # "i  Europa" is justified text, not footnote i.
        if note and (blank_before or not result or ends_sentence(result[-1][0])):
            line = note[1] + NOTE_GAP + normalise_spaces(raw[note.end() :])
        if not line:
            blank_before = True
            continue
        if result and continues(result[-1][0], line, not blank_before, width):
            previous, previous_blank = result[-1]
            result[-1] = (join(previous, line, vocabulary), previous_blank)
        else:
            result.append((line, blank_before))
        blank_before = False
    return result


# A link's label is a few words; a sentence, or anything longer, repeated is content.
_LINK_LABEL_WORDS = range(2, 7)
_SENTENCE_PUNCTUATION = re.compile(r"[.,;:!?…]")


def doubled_label(line: str) -> str | None:
    """`Find out more Find out more` -> `Find out more`: a short phrase said twice and nothing
    else, as web pages extract a button's text next to its link's; None for any other line.

    The shape only: two to six words with no sentence punctuation, twice. "Do not drive after
    the test. Do not drive after the test." is a warning said twice on purpose; whether a
    doubled phrase is a link's label is for the language's list of them (`cleaning.py`).
    """
    words = line.split()
    half = len(words) // 2
    if (
        half in _LINK_LABEL_WORDS
        and len(words) == 2 * half
        and words[:half] == words[half:]
        and not _SENTENCE_PUNCTUATION.search(line)
    ):
        return " ".join(words[:half])
    return None


def is_repeated_link_label(line: str) -> bool:
    """A line shaped like a doubled link label (`doubled_label`): never a heading."""
    return doubled_label(line) is not None
