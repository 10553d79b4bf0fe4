"""Numbers as words (`text/spoken/numbers.py`): numbered headings, service numbers, codes,
decimals written the other way, and a 1 agreeing with its noun.

Rules found on package leaflets after the golden tables (`tests/golden/`) were written.
"""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken
from audioleaflet.text.spoken.numerals import numerals


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        ("da", "1. Virkning og anvendelse", "en. Virkning og anvendelse"),
        (
            "de",
            "2. Was sollten Sie vor der Einnahme beachten?",
            "zwei. Was sollten Sie vor der Einnahme beachten?",
        ),
        ("en", "3. How to take Norvasol", "three. How to take Norvasol"),
        ("it", "4. Possibili effetti indesiderati", "quattro. Possibili effetti indesiderati"),
        ("da", "Ring 112 ved alvorlige symptomer.", "Ring en en to ved alvorlige symptomer."),
        ("en", "Call 999 or 112.", "Call nine nine nine or one one two."),
        (
            "de",
            "Nehmen Sie die Tabletten mit 1 Glas Wasser.",
            "Nehmen Sie die Tabletten mit einem Glas Wasser.",
        ),
        (
            "de",
            "Nach 1 Woche mit 1 Tablette beginnen.",
            "Nach einer Woche mit einer Tablette beginnen.",
        ),
        (
            "de",
            "Das betrifft bis zu 1 von 10 Behandelten.",
            "Das betrifft bis zu einem von zehn Behandelten.",
        ),
        (
            "it",
            "Prenda la compressa con 1 bicchiere d'acqua.",
            "Prenda la compressa con un bicchiere d'acqua.",
        ),
        ("en", "It contains vitamin B12.", "It contains vitamin B twelve."),
        ("en", "The dose is 2,5 mg a day.", "The dose is two point five milligrams a day."),
        ("da", "Dosis er 2.5 mg om dagen.", "Dosis er to komma fem milligram om dagen."),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken


def test_german_ordinals_decline_as_the_data_file_says() -> None:
    """The declension is in de.toml ([numbers.ordinals]), not in code."""
    german = numerals("de")
    assert german.declined_ordinal(3, "am") == "dritten"
    assert german.declined_ordinal(13, "ab der") == "dreizehnten"
    assert german.declined_ordinal(3, "die") == "dritte"
    assert german.declined_ordinal(1, "") == "erster"
    assert numerals("da").declined_ordinal(3, "den") == numerals("da").ordinal(3)


def test_only_a_language_that_capitalises_nouns_agrees_by_the_capital() -> None:
    assert numerals("de").is_noun_like("Beutel") and not numerals("de").is_noun_like("und")
    assert numerals("en").is_noun_like("and")


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        # A ward or room: the number, then its letter said as a letter.
        ("en", "Go to Ward 7B or room 12a.", "Go to Ward seven B or room twelve A."),
        ("da", "Afsnit 7B, stue 12a.", "Afsnit syv B, stue tolv A."),
        ("it", "Stanza 4B.", "Stanza quattro B."),
        # An additive's code with its letter (an EMA leaflet's excipients).
        (
            "en",
            "Magnesium stearate (E470b), talc (E553b).",
            "Magnesium stearate (E four seven zero B), talc (E five five three B).",
        ),
        # Durations after a number: "min." is not "minimum" there.
        ("en", "Wait 2 h and 30 min.", "Wait two hours and thirty minutes."),
        ("da", "Vent 2 h og 30 min.", "Vent to timer og tredive minutter."),
        ("de", "Warten Sie 1 min.", "Warten Sie eine Minute."),
        # French ordinals written with their ending; Spanish with the ordinal indicator.
        ("fr", "Au 2e étage, le 1er jour.", "Au deuxième étage, le premier jour."),
        ("es", "La 2ª semana.", "La segunda semana."),
        # Found by transcribing SVOX Pico with Whisper: abbreviations said wrong or run together.
        ("it", "Altri medicinali (ad es. warfarin).", "Altri medicinali (ad esempio warfarin)."),
        ("it", "Medix S.p.A., Milano.", "Medix società per azioni, Milano."),
        ("it", "Salus S.r.l., Bologna.", "Salus società a responsabilità limitata, Bologna."),
        ("de", "Beispiel Pharma GmbH.", "Beispiel Pharma G m b H."),
        ("de", "Saft und/oder Tabletten.", "Saft und oder Tabletten."),
        ("de", "Nehmen Sie 1 bis 2 Tabletten.", "Nehmen Sie ein bis zwei Tabletten."),
        ("da", "Medix Pharma A/S.", "Medix Pharma A/S."),  # not two words: left as it is
    ],
)
def test_forms_found_by_the_audit_and_by_transcription(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken
