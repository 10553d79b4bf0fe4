"""Doses, units, ranges, fractions and multiplications as words (`text/spoken/quantities.py`).

Rules found on package leaflets after the golden tables (`tests/golden/`) were written.
"""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        ("en", "Norvasol 5 mg tablets", "Norvasol five milligram tablets"),
        ("en", "Take 5 mg daily.", "Take five milligrams daily."),
        (
            "en",
            "Each 10 mg film-coated tablet contains lactose.",
            "Each ten milligram film-coated tablet contains lactose.",
        ),
        ("en", "Take 1 1/2 tablets.", "Take one and a half tablets."),
        ("en", "(1½ tablets of 2.5 mg)", "(one and a half tablets of two point five milligrams)"),
        ("en", "Take ½ of a tablet.", "Take half of a tablet."),
        ("da", "Tag 1 ½ tablet.", "Tag halvanden tablet."),
        ("da", "Tag 2½ tablet.", "Tag to og en halv tablet."),
        ("de", "Nehmen Sie 1 1/2 Tabletten.", "Nehmen Sie eineinhalb Tabletten."),
        ("da", "Opbevares ved (2 °C - 8 °C).", "Opbevares ved (to til otte grader celsius)."),
        (
            "en",
            "Your blood pressure was 140/90 mmHg.",
            "Your blood pressure was one hundred and forty over ninety millimetres of mercury.",
        ),
        ("de", "die 3-fache Menge", "die dreifache Menge"),
        ("en", "Take ¼ of the dose.", "Take a quarter of the dose."),
        ("en", "Bend your knee to 90°.", "Bend your knee to ninety degrees."),
        ("en", "Use the 5 ml syringe.", "Use the five millilitre syringe."),
        ("da", "Tag ¾ af dosis.", "Tag tre kvart af dosis."),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken
