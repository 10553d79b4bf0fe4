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
from dataclasses import replace

from audioleaflet.model import Block, BlockKind, Chapter, Document, Reason, Removal
from audioleaflet.text.lines import NOTE_GAP, doubled_label
from audioleaflet.text.spoken.addresses import URL, sub_in_tokens
from audioleaflet.text.vocabulary import vocabulary

Removed = list[Removal]
"""What the rules took out so far, in order."""

# `kræft.1-3 Disse`, `antistoffer).6`, `gennembrud’4`, `modermærkekræft,1 lungekræft`: digits
# right after punctuation that follows a word (not a digit: `2,5` is a decimal).
# After a sentence's full stop the marker is followed by the next sentence or the end
# (`kræft.1-3 Disse`, `på.5`); `ca.5 mg`, `kl.8 i morgen` go on in small letters: content.
# After a comma or semicolon the word before has three letters at least (`kræft,1 lunge…`).
_AFTER_PUNCTUATION = re.compile(
    r"(?:(?<=[^\W\d_][.!?])|(?<=[)\]”\"][.!?]))\d{1,2}(?:[-–,]\d{1,2})*(?=\s+[^\W\d_a-zæøåäöüß]|\s*$)"
    r"|(?:(?<=[^\W\d_]{3}[,;:])|(?<=[)\]”\"][,;:])|(?<=[)\]”\"]))\d{1,2}(?:[-–,]\d{1,2})*(?=\s|$)"
)
# `et ‘gennembrud’4 inden`: after a closing quote that has its opening one; an apostrophe
# (`Nell’80 per cento`, `l'8 marzo`) is part of the word and its number is content.
_AFTER_QUOTE = re.compile(r"(‘[^‘’\n]{1,60}’)(\d{1,2}(?:[-–,]\d{1,2})*)(?=\s|$)")
# `modermærkekræft1 og`, `prostatakræft3,`: digits glued to the end of a lower-case word.
_GLUED = re.compile(r"(?<=[^\W\dA-Z_ÆØÅÄÖÜ]{3})\d{1,2}(?:[-–,]\d{1,2})*(?=[\s.,;:!?)]|$)")
# `lattica¹`: superscript digits glued to a word; `m²` and `cm³` are units, not marks.
_SUPERSCRIPT = re.compile(r"(?<=[^\W\d_]|[.,;:)])(?<![^\W\d_]m)(?<!\bm)[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
# `[12]`, `[1, 3-5]`, Markdown's `[^1]`.
_BRACKETED = re.compile(r"\s?\[(?:\^\w+|\d{1,3}(?:\s?[-–,]\s?\d{1,3})*)\]")


def _remove(pattern: re.Pattern[str], reason: Reason) -> Callable[[str, Removed], str]:
    def rule(text: str, removed: Removed) -> str:
        def drop(match: re.Match[str]) -> str:
            removed.append(Removal(reason, match[0].strip()))
            # `tablet[1]tablet`: the two words stay two.
            start, end = match.span()
            glued = text[start - 1 : start].isalnum() and text[end : end + 1].isalnum()
            return " " if glued else ""

        return pattern.sub(drop, text)

    rule.__name__ = reason.name.lower()
    return rule


# `dizziness*`: an asterisk pointing at a note.
_ASTERISK = re.compile(r"(?<=[^\W\d_])\*+(?=[\s.,;:!?)]|$)")

remove_bracketed_references = _remove(_BRACKETED, Reason.REFERENCE_NUMBER)
remove_superscripts = _remove(_SUPERSCRIPT, Reason.FOOTNOTE_NUMBER)
remove_asterisks = _remove(_ASTERISK, Reason.NOTE_MARK)
remove_markers_after_punctuation = _remove(_AFTER_PUNCTUATION, Reason.FOOTNOTE_NUMBER)


def remove_markers_after_quotes(text: str, removed: Removed) -> str:
    def drop(match: re.Match[str]) -> str:
        removed.append(Removal(Reason.FOOTNOTE_NUMBER, match[2]))
        return match[1]

    return _AFTER_QUOTE.sub(drop, text)


remove_glued_markers = _remove(_GLUED, Reason.FOOTNOTE_NUMBER)


def note_query_strings(text: str, removed: Removed) -> str:
    """A web address's query string (`?v=_HUo7k…`) is not said; the proofreader sees it."""

    def note(match: re.Match[str]) -> str:
        query = re.search(r"[?#]\S*", match[0])
        if query:
            removed.append(Removal(Reason.QUERY_STRING, query[0].rstrip(".,;:)")))
        return match[0]

    return sub_in_tokens(URL, note, text)


INLINE_RULES: tuple[Callable[[str, Removed], str], ...] = (
    remove_bracketed_references,
    remove_superscripts,
    remove_markers_after_punctuation,
    remove_markers_after_quotes,
    remove_glued_markers,
    remove_asterisks,
    note_query_strings,
)


def clean_inline(text: str, removed: Removed | None = None) -> str:
    """`text` without footnote markers and reference numbers."""
    record: Removed = [] if removed is None else removed
    for rule in INLINE_RULES:
        text = rule(text, record)
    return text


def note_letter(text: str) -> str | None:
    """`a  Bemærk, at …` is footnote a (`¹ L'acidosi …` footnote 1); its text follows the gap."""
    return (
        text[0]
        if text[1:2] == NOTE_GAP and (text[:1].islower() or not text[:1].isalpha())
        else None
    )


def remove_note_letters(texts: list[str], letters: set[str], removed: Removed) -> list[str]:
    """`behandlingera` -> `behandlinger` when note `a` exists and `behandlinger` is a word here.

    A superscript letter lands glued to a word; it is told apart from a real word ending in
    that letter by the word without it occurring elsewhere while the word with it does not.
    """
    words = Counter(w.lower() for t in texts for w in re.findall(r"[^\W\d_]+", t))

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        if word[-1] in letters and words[word.lower()] == 1 and words[word[:-1].lower()] >= 2:
            removed.append(Removal(Reason.NOTE_LETTER, word, kept=word[:-1]))
            return word[:-1]
        return word

    return [re.sub(r"[^\W\d_]{4,}", fix, t) for t in texts]


def clean_document(document: Document, notes: str = "chapter-end") -> Document:
    """The document without markers and link leftovers; every removal recorded in `removed`.

    Footnote texts (`a  Bemærk, at …`) are kept: with `notes="chapter-end"` each is spoken at
    the end of its chapter after the language's note label ("Note:"); with "in-place" it stays
    where it stood.
    """
    vocab = vocabulary(document.lang)
    label = str(vocab.section("notes").get("label", "Note:"))
    removed: Removed = []
    blocks = [[block for block in chapter.blocks] for chapter in document.chapters]
    letters = {letter for chapter in blocks for b in chapter if (letter := note_letter(b.text))}
    endings = set(str(vocab.section("cleaning").get("word_endings", "")))
    strippable = {letter for letter in letters if letter.isalpha() and letter not in endings}
    if strippable:
        texts = remove_note_letters(
            [b.text for chapter in blocks for b in chapter], strippable, removed
        )
        flat = iter(texts)
        blocks = [[replace(b, text=next(flat)) for b in chapter] for chapter in blocks]
    chapters: list[Chapter] = []
    for chapter, chapter_blocks in zip(document.chapters, blocks, strict=True):
        body: list[Block] = []
        notes_at_end: list[Block] = []
        for block in chapter_blocks:
            link = doubled_label(block.text)
            if link is not None and vocab.is_link_label(link):
                # Removed by what it says, never by its repetition: "Do not drive Do not
                # drive" is a warning said twice, and spoken twice.
                removed.append(Removal(Reason.LINK_TEXT, block.text))
                continue
            text = clean_inline(block.text, removed)
            letter = note_letter(text)
            if letter and letter in letters:
                if letter.isalnum():
                    # The note's own letter is said as the label ("a" -> "Note:").
                    removed.append(Removal(Reason.NOTE_LETTER, letter, kept=label))
                note = Block(BlockKind.PARAGRAPH, f"{label} {text[1:].strip()}")
                (notes_at_end if notes == "chapter-end" else body).append(note)
                continue
            if text.strip():
                body.append(replace(block, text=text))
        chapters.append(Chapter(chapter.title, tuple(body + notes_at_end)))
    return replace(document, chapters=tuple(chapters), removed=document.removed + tuple(removed))
