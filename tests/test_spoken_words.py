"""Abbreviations expanded (`text/spoken/words.py`).

Rules found on package leaflets after the golden tables (`tests/golden/`) were written.
"""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        ("it", "Eviti, per es. il pompelmo.", "Eviti, per esempio il pompelmo."),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken
