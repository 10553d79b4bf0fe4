"""The pronunciation lexicon: shared file, leaflet entries, patterns, phonemes."""

from __future__ import annotations

from pathlib import Path

import pytest

from audioleaflet.build import plan
from audioleaflet.errors import InputError
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.text.lexicon import lexicon_from_tables


def test_words_patterns_and_phonemes() -> None:
    lexicon = lexicon_from_tables(
        {
            "words": {"PD-1": "P D en", "PD": "P D"},
            "patterns": {r"CTLA-(\d)": r"C T L A \1"},
            "phonemes": {"nivolumab": "nivO'lu:mab"},
        },
        "test",
    )
    assert lexicon.apply("PD-1 og PD-L1 og CTLA-4, nivolumab.") == (
        "P D en og PD-L1 og C T L A 4, [[nivO'lu:mab]]."
    )


def test_bad_section_and_bad_pattern_are_clear_errors() -> None:
    with pytest.raises(InputError, match=r"unknown lexicon section \[word\]"):
        lexicon_from_tables({"word": {}}, "x.toml")
    with pytest.raises(InputError, match="is not a valid expression"):
        lexicon_from_tables({"patterns": {"(": "x"}}, "x.toml")


def test_leaflet_entries_win_over_the_shared_file(tmp_path: Path) -> None:
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "da.toml").write_text('[words]\n"PD-1" = "P D en"\nio = "i o"\n')
    leaflet = tmp_path / "x"
    leaflet.mkdir()
    (leaflet / "leaflet.toml").write_text(
        'title = "X"\ndate = 2026-01-01\n[lexicon.da.words]\n"PD-1" = "programmeret død en"\n'
    )
    (leaflet / "da.md").write_text("# X\n\nPD-1 hæmmere og IO.\n")
    (item,) = plan(find_leaflets([leaflet]))
    spoken = [s.text for _title, sentences in item.chapters for s in sentences]
    assert "programmeret død en hæmmere og i o." in spoken
