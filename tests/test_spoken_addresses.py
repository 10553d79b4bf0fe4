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
