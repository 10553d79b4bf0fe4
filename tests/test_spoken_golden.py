"""Hand-written golden tables: leaflet sentences and how a careful reader says them.

The tables in tests/golden/ were written by hand from real leaflet phrasing, following
docs/spoken-form.md; every rule has cases in every language.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from audioleaflet.text.cleaning import clean_inline
from audioleaflet.text.spoken import to_spoken

GOLDEN = Path(__file__).parent / "golden"
CASES = [
    pytest.param(lang, case["source"], case["spoken"], id=f"{lang}-{case['rule']}-{i}")
    for lang in ("da", "en", "it", "de")
    for i, case in enumerate(tomllib.loads((GOLDEN / f"spoken_{lang}.toml").read_text())["case"])
]
RULES = {
    "number", "decimal", "thousands", "agreement", "ordinal", "range", "multiply", "fraction",
    "comparison", "dose", "unit", "frequency", "time", "date", "year", "url", "email", "phone",
    "abbreviation", "symbol", "footnote",
}  # fmt: skip


@pytest.mark.parametrize(("lang", "source", "spoken"), CASES)
def test_golden(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(clean_inline(source), lang) == spoken


@pytest.mark.parametrize("lang", ["da", "en", "it", "de"])
def test_tables_cover_every_rule_in_every_language(lang: str) -> None:
    cases = tomllib.loads((GOLDEN / f"spoken_{lang}.toml").read_text())["case"]
    assert len(cases) >= 40
    assert {case["rule"] for case in cases} >= RULES
    assert not any(c.isdigit() for case in cases for c in case["spoken"])
