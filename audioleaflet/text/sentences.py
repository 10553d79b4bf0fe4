"""Chapter -> spoken sentences with the pause after each.

Splitting uses sentencex, which knows each language's abbreviations, plus our own guard: dots
inside the language's abbreviations (`f.eks.`, `z. B.`), numbers (`2.5`, `1.000`, `15.03.2026`),
ordinals (`3. dag`) and web or e-mail addresses are masked first, so a sentence is never cut
there. Sentences too long for one breath are split at clause boundaries. The heading is spoken
first so that a listener who jumps to a chapter hears where they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from sentencex import segment

from audioleaflet.config.speech import DEFAULT_PAUSES, Pauses
from audioleaflet.model import Block, BlockKind, Chapter, Sentence
from audioleaflet.text.lexicon import Lexicon
from audioleaflet.text.spoken import to_spoken
from audioleaflet.text.spoken.addresses import EMAIL, URL, sub_in_tokens
from audioleaflet.text.vocabulary import vocabulary

# A character that never occurs in leaflets stands in for a protected dot while splitting.
_MASK = "\ue000"
MAX_SENTENCE_CHARS = 250
"""Longer sentences are split at `;` and commas, for breath."""
LONGEST_SENTENCE_CHARS = 600
"""No sentence is longer: a run-on without clause marks is cut between words."""


NO_LEXICON = Lexicon()


def _mask(text: str, lang: str) -> str:
    def hide(match: re.Match[str]) -> str:
        return match[0].replace(".", _MASK)

    text = sub_in_tokens(URL, hide, sub_in_tokens(EMAIL, hide, text))
    text = re.sub(r"\d[.,]\d", hide, text)
    text = re.sub(r"\b\d{1,2}\.(?= [^\W\d_]*[a-zæøåäöüß])", hide, text)  # `3. dag`
    vocab = vocabulary(lang)
    for table in ("abbreviations", "abbreviations_before_number"):
        for short in sorted(vocab.section(table), key=len, reverse=True):
            # Before a capital the dot may also end the sentence ("… etc. Do not"): the
            # splitter decides; before a small letter or a number it never does.
            text = re.sub(rf"(?<![\w.]){re.escape(short)}(?=\s*[^\W_A-ZÆØÅÄÖÜ])", hide, text)
    return text


def _split_long(sentence: str) -> list[str]:
    """Split at `;`, then at the comma nearest the middle, until every part is short enough;
    a part still over LONGEST_SENTENCE_CHARS (a run-on without clause marks) at spaces."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    for pattern in (r"(?<=;)\s+", r"(?<=,)\s+"):
        cuts = [m.end() for m in re.finditer(pattern, sentence)]
        if cuts:
            return _split_at(sentence, cuts, _split_long)
    return _split_run_on(sentence)


def _split_run_on(sentence: str) -> list[str]:
    """A cut between words only where a sentence would otherwise grow without bound: a pause
    inside a long but ordinary sentence ("alment | praktiserende læger") misleads the ear."""
    if len(sentence) <= LONGEST_SENTENCE_CHARS:
        return [sentence]
    cuts = [m.end() for m in re.finditer(r"\s+", sentence)]
    if cuts:
        return _split_at(sentence, cuts, _split_run_on)
    # One "word" longer than that (a pasted hash, a line of symbols): cut it, but not between
    # a letter and its combining accent.
    middle = len(sentence) // 2
    while middle < len(sentence) - 1 and unicodedata.combining(sentence[middle]):
        middle += 1
    return _split_run_on(sentence[:middle]) + _split_run_on(sentence[middle:])


def _split_at(sentence: str, cuts: list[int], split: Callable[[str], list[str]]) -> list[str]:
    """`sentence` cut at the one of `cuts` nearest its middle, each half split further."""
    middle = min(cuts, key=lambda c: abs(c - len(sentence) / 2))
    return split(sentence[:middle].strip()) + split(sentence[middle:].strip())


def _unit_ends(lang: str) -> re.Pattern[str]:
    """`… 2,5 mg. Poi …`: a unit's dot before a capital ends the sentence, whatever a splitter's
    abbreviation list says (sentencex's Italian one holds `mg.`)."""
    units = [u for u in vocabulary(lang).section("units") if u.isalpha()]
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    # Also a clock time or degrees: "at 15:00. Bend", "to 90°. Then".
    return re.compile(rf"(\d(?:\s?(?:{alternatives})|:\d\d|°)\.)\s+(?=[A-ZÆØÅÄÖÜÀ-Ý])")


def split_sentences(text: str, lang: str) -> list[str]:
    """`text` as sentences; never split inside abbreviations, numbers or addresses."""
    parts = [s.strip().replace(_MASK, ".") for s in segment(lang, _mask(text, lang)) if s.strip()]
    ends = _unit_ends(lang)
    parts = [piece for part in parts for piece in ends.sub("\\1\n", part).split("\n")]
    return [piece for part in parts for piece in _split_long(part)]


def _block_sentences(block: Block, lang: str, pauses: Pauses, lexicon: Lexicon) -> list[Sentence]:
    parts = split_sentences(block.text, lang)
    end = {
        BlockKind.PARAGRAPH: pauses.paragraph_ms,
        BlockKind.LIST_ITEM: pauses.list_item_ms,
        BlockKind.SUBHEADING: pauses.paragraph_ms,
    }[block.kind]
    return [
        Sentence(
            text=to_spoken(lexicon.apply(part), lang),
            pause_after_ms=end if i == len(parts) - 1 else pauses.sentence_ms,
            source=part,
        )
        for i, part in enumerate(parts)
    ]


def body_sentences(
    chapter: Chapter, lang: str, pauses: Pauses = DEFAULT_PAUSES, lexicon: Lexicon = NO_LEXICON
) -> list[Sentence]:
    """The sentences of a chapter's body, without its heading."""
    spoken = [s for block in chapter.blocks for s in _block_sentences(block, lang, pauses, lexicon)]
    return [s for s in spoken if s.text]


def chapter_sentences(
    chapter: Chapter, lang: str, pauses: Pauses = DEFAULT_PAUSES, lexicon: Lexicon = NO_LEXICON
) -> list[Sentence]:
    """Everything spoken in a chapter: heading, then body; the last pause is the chapter's."""
    heading_text = to_spoken(lexicon.apply(chapter.title), lang)
    heading = Sentence(heading_text, pauses.heading_ms, chapter.title)
    spoken = [heading, *body_sentences(chapter, lang, pauses, lexicon)]
    last = spoken[-1]
    spoken[-1] = Sentence(last.text, pauses.chapter_ms, last.source)
    return spoken
