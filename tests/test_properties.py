"""Properties over arbitrary input: no rule crashes, and no word of body text is silently lost."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audioleaflet.model import Block, BlockKind, Chapter, Document
from audioleaflet.readers.plaintext import parse_plain_text
from audioleaflet.text.cleaning import clean_document, clean_inline
from audioleaflet.text.sentences import body_sentences
from audioleaflet.text.spoken import to_spoken
from audioleaflet.text.vocabulary import vocabulary
from tests.word_counts import words

LANGS = st.sampled_from(["da", "en", "it", "de", "fr", "es", "sv", "nb", "nl"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(max_size=200), lang=LANGS)
def test_no_rule_crashes_on_arbitrary_unicode(text: str, lang: str) -> None:
    cleaned = clean_inline(text, [])
    to_spoken(cleaned, lang)
    parse_plain_text(text, vocabulary(lang), "Intro")


WORDS = st.sampled_from(
    [
        "tablet",
        "Tag",
        "dosis",
        "læge",
        "kræft",
        "ring",
        "vand",
        "mg",
        "dagligt",
        "hvis",
        "Behandling",
    ]
)
TOKENS = st.one_of(
    WORDS,
    st.integers(0, 2000).map(str),
    st.sampled_from([".", ",", "-", "–", "%", "(", ")", "\n", "\n\n", "2,5", "1.000", "f.eks."]),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tokens=st.lists(TOKENS, min_size=1, max_size=60))
def test_every_word_ends_up_spoken_or_removed(tokens: list[str]) -> None:
    text = " ".join(tokens)
    chapters, furniture = parse_plain_text(text, vocabulary("da"), "Intro")
    document = clean_document(Document("da", None, tuple(chapters), tuple(furniture)))
    said = " ".join(c.title for c in document.chapters)
    for chapter in document.chapters:
        said += " " + " ".join(s.source for s in body_sentences(chapter, "da"))
    said += " " + " ".join(r.text for r in document.removed)
    # As many times as written: a word said twice on purpose is said twice.
    assert not words(text) - words(said)


@settings(deadline=None)
@given(st.text(alphabet="0123456789.,- x%", min_size=1, max_size=30), LANGS)
def test_spoken_numbers_have_no_digits(text: str, lang: str) -> None:
    assert not re.search(r"\d", to_spoken(text, lang))


def test_a_block_of_only_markers_speaks_nothing() -> None:
    chapter = Chapter("Titel", (Block(BlockKind.PARAGRAPH, "[12]"),))
    document = clean_document(Document("da", None, (chapter,)))
    assert body_sentences(document.chapters[0], "da") == []
