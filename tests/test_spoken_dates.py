"""Dates and times as words (`text/spoken/dates.py`).

Rules found on package leaflets after the golden tables (`tests/golden/`) were written.
"""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        (
            "da",
            "1. januar 2026 trådte reglerne i kraft.",
            "første januar totusinde og seksogtyve trådte reglerne i kraft.",
        ),
        ("da", "Udløbsdato 01/2026.", "Udløbsdato januar totusinde og seksogtyve."),
        ("en", "Come back at 15:00.", "Come back at fifteen hundred."),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken
