"""Spoken-form rules found on package leaflets after the golden tables were written."""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken


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
        (
            "da",
            "1. januar 2026 trådte reglerne i kraft.",
            "første januar totusinde og seksogtyve trådte reglerne i kraft.",
        ),
        ("en", "Norvasol 5 mg tablets", "Norvasol five milligram tablets"),
        ("en", "Take 5 mg daily.", "Take five milligrams daily."),
        (
            "en",
            "Each 10 mg film-coated tablet contains lactose.",
            "Each ten milligram film-coated tablet contains lactose.",
        ),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken
