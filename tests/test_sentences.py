"""Sentence splitting: never inside abbreviations, numbers or addresses; long ones at clauses."""

from __future__ import annotations

import pytest

from audioleaflet.text.sentences import MAX_SENTENCE_CHARS, split_sentences


@pytest.mark.parametrize(
    ("lang", "text", "count"),
    [
        ("da", "Tag f.eks. en tablet. Spørg bl.a. lægen.", 2),
        ("da", "Dosis er 2,5 mg. Tag 1.000 mg højst.", 2),
        ("da", "Kom på 3. dag. Ring kl. 8.00 i morgen.", 2),
        ("da", "Se www.ecpc.org for mere. Skriv til info@ecpc.org i dag.", 2),
        ("en", "Some areas are affected, e.g. the skin. Ask Dr. Smith.", 2),
        ("en", "Take 2.5 mg daily. See www.medicines.org.uk today.", 2),
        ("it", "Evitare alcol, caffè ecc. durante la terapia. Chieda al medico.", 2),
        ("it", "Prenda 2,5 mg. Poi 1.000 mg.", 2),
        ("de", "Nehmen Sie z. B. eine Tablette. Fragen Sie Dr. Meier.", 2),
        ("de", "Am 3. Tag sinkt die Dosis. Sie beträgt 2,5 mg.", 2),
    ],
)
def test_no_split_inside_abbreviations_numbers_or_addresses(
    lang: str, text: str, count: int
) -> None:
    assert len(split_sentences(text, lang)) == count


def test_over_long_sentences_split_at_clause_boundaries() -> None:
    clause = "Tal med lægen, hvis du får hovedpine, svimmelhed eller kvalme"
    text = "; ".join([clause] * 8) + "."
    parts = split_sentences(text, "da")
    assert len(parts) > 1 and all(len(p) <= MAX_SENTENCE_CHARS for p in parts)
    assert " ".join(parts) == text


def test_a_sentence_ends_after_an_abbreviation_before_a_capital() -> None:
    from audioleaflet.text.sentences import split_sentences

    assert split_sentences("Avoid alcohol, coffee etc. Do not drive.", "en") == [
        "Avoid alcohol, coffee etc.",
        "Do not drive.",
    ]
