"""Phone numbers as words (`text/spoken/addresses.py`).

Rules found on package leaflets after the golden tables (`tests/golden/`) were written.
"""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        (
            "it",
            "Chiami il numero 02 6610 1029, 24 ore su 24.",
            "Chiami il numero zero due, sei sei uno zero, uno zero due nove, "
            "ventiquattro ore su ventiquattro.",
        ),
        (
            "en",
            "Call 0161 496 0842, 24 hours a day.",
            "Call zero one six one, four nine six, zero eight four two, twenty-four hours a day.",
        ),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        # Found transcribing SVOX Pico: "ventimilacento Milano" is not how a postcode is read.
        ("it", "Via Roma 10 20100 Milano", "Via Roma dieci due zero uno zero zero Milano"),
        ("it", "Via Po 5/A, 00185 Roma", "Via Po cinque/A, zero zero uno otto cinque Roma"),
        ("it", "I-20100 Milano", "I due zero uno zero zero Milano"),
        ("de", "Allee 3, 53175 Bonn", "Allee drei, fünf drei eins sieben fünf Bonn"),
        (
            "de",
            "Hauptstraße 12 80331 München",
            "Hauptstraße zwölf acht null drei drei eins München",
        ),
        ("de", "80331 München", "acht null drei drei eins München"),
        ("it", "40121 Bologna.", "quattro zero uno due uno Bologna."),
        # Not an address: a quantity stays a number.
        ("de", "10000 Einheiten täglich.", "zehntausend Einheiten täglich."),
        ("it", "Confezioni da 20100 compresse.", "Confezioni da ventimilacento compresse."),
        ("de", "Bei 1 von 10000 Behandelten.", "Bei einem von zehntausend Behandelten."),
        # Languages whose data gives no postcode length are left as they were.
        (
            "en",
            "Riverside Way 10 20100 Milano",
            "Riverside Way ten twenty thousand, one hundred Milano",
        ),
    ],
)
def test_a_postcode_in_an_address_is_said_digit_by_digit(
    lang: str, source: str, spoken: str
) -> None:
    assert to_spoken(source, lang) == spoken
