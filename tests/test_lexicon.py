"""The pronunciation lexicon: shared file, leaflet entries, patterns, phonemes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audioleaflet.cli import cli
from audioleaflet.config.speech import cli_choices
from audioleaflet.errors import InputError
from audioleaflet.planning.plan import plan
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.text.lexicon import lexicon_from_tables
from audioleaflet.voices.choice import Voicing
from tests.conftest import runner


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


def test_phonemes_only_for_engines_that_read_them_and_a_warning_for_the_others() -> None:
    """A voice that reads no espeak-ng phonemes is never handed `[[...]]`: it gets the
    word's `[words]` form, or the word as written with a warning naming the entry."""
    tables = {
        "words": {"nivolumab": "nivo lumab"},
        "phonemes": {"nivolumab": "nivO'lu:mab", "ipilimumab": "ipili'mu:mab"},
    }
    lexicon = lexicon_from_tables(tables, "lexicon/da.toml")
    espeak = lexicon.for_voice(phonemes=True, who="espeak:da")
    assert espeak.apply("nivolumab og ipilimumab") == "[[nivO'lu:mab]] og [[ipili'mu:mab]]"
    warnings: list[str] = []
    pico = lexicon.for_voice(phonemes=False, who="pico:it-IT", warn=warnings.append)
    assert pico.apply("Tag en tablet.") == "Tag en tablet." and not warnings
    assert pico.apply("nivolumab og ipilimumab") == "nivo lumab og ipilimumab"
    (warning,) = warnings
    assert warning.startswith("warning: lexicon/da.toml: [phonemes] 'ipilimumab': pico:it-IT")
    assert "add it to [words]" in warning


def test_a_piper_build_gets_no_phoneme_brackets(tmp_path: Path) -> None:
    leaflet = tmp_path / "x"
    leaflet.mkdir()
    (leaflet / "leaflet.toml").write_text(
        'title = "Nivolumab"\ndate = 2026-01-01\n[voices]\nen = "piper:en_US-joe-medium"\n'
        '[lexicon.en.phonemes]\nnivolumab = "nIvQ\'lu:mab"\n'
    )
    (leaflet / "en.md").write_text("# Nivolumab\n\nNivolumab is a medicine.\n")
    warnings: list[str] = []
    (item,) = plan(find_leaflets([leaflet]), warn=warnings.append)
    spoken = [s.text for _title, sentences in item.chapters for s in sentences]
    assert "Nivolumab is a medicine." in spoken and not any("[[" in s for s in spoken)
    assert sum("cannot use espeak-ng phonemes" in w for w in warnings) == 1
    espeak = plan(find_leaflets([leaflet]), voicing=Voicing(cli_choices([], "espeak", {})))
    said = [s.text for _title, sentences in espeak[0].chapters for s in sentences]
    assert "[[nIvQ'lu:mab]] is a medicine." in said


def test_bad_section_and_bad_pattern_are_clear_errors() -> None:
    with pytest.raises(InputError, match=r"unknown lexicon section \[word\]"):
        lexicon_from_tables({"word": {}}, "x.toml")
    with pytest.raises(InputError, match="is not a valid regular expression"):
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


def _leaflet(folder: Path, patterns: str, text: str = "Tag en tablet.") -> Path:
    """A leaflet whose leaflet.toml has `patterns` as its [lexicon.da.patterns], from line 6."""
    leaflet = folder / "x"
    leaflet.mkdir()
    (leaflet / "leaflet.toml").write_text(
        'title = "X"\ndate = 2026-01-01\n\n[lexicon.da.words]\n"PD-1" = "P D en"\n'
        f"[lexicon.da.patterns]\n{patterns}\n",
        encoding="utf-8",
    )
    (leaflet / "da.md").write_text(f"# X\n\n{text}\n", encoding="utf-8")
    return leaflet


def _one_error_line(leaflet: Path) -> str:
    result = runner().invoke(cli, ["script", str(leaflet), "--lang", "da"])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(
        result.exception, SystemExit
    ), result.output
    (line,) = result.stderr.splitlines()
    return line


@pytest.mark.parametrize(
    ("patterns", "message"),
    [
        (
            '"tablet" = "pill \\\\2"',
            r"line 7: \[lexicon\.da\.patterns\] 'tablet': its replacement 'pill \\\\2' is "
            r"unusable: invalid group reference 2 at position 6; the pattern has no groups$",
        ),
        (
            r"'(?P<n>\d) mg' = '\g<m> milligram'",
            r"line 7: .* unknown group name 'm'; the pattern has 1 group, \\1$",
        ),
        (
            r"'(a+)+b' = 'x'",
            r"line 7: .* took over 0\.2 s on a test text of 1000 'a'; a repeat inside",
        ),
        (r"'(a|aa)+c' = 'x'", r"line 7: .* took over 0\.2 s .*; a repeat inside a repeat"),
        (r"'[0-9' = 'x'", r"line 7: .* '\[0-9' is not a valid regular expression: unterminated"),
        (r"'x*' = 'y'", r"line 7: .* 'x\*' matches an empty text, so it would put 'y' between"),
        ("'tablet' = 2", r"line 7: \[lexicon\.da\.patterns\] 'tablet' must be a text in quotes"),
    ],
)
def test_a_bad_pattern_is_one_line_naming_file_and_line(
    tmp_path: Path, patterns: str, message: str
) -> None:
    # A good entry first, so the line found is the bad entry's own.
    leaflet = _leaflet(tmp_path, f"'CTLA-(\\d)' = 'C T L A \\1'\n{patterns}")
    line = _one_error_line(leaflet)
    assert line.startswith(f"Error: {leaflet / 'leaflet.toml'}, line 8: ")
    assert re.search(message.replace("line 7", "line 8"), line), line


def test_the_shared_lexicon_names_its_own_file_and_line(tmp_path: Path) -> None:
    leaflet = _leaflet(tmp_path, "")
    shared = tmp_path / "lexicon" / "da.toml"
    shared.parent.mkdir()
    shared.write_text('[words]\nio = "i o"\n\n[patterns]\n"(\\\\d+)+x" = "y"\n', encoding="utf-8")
    line = _one_error_line(leaflet)
    assert line.startswith(f"Error: {shared}, line 5: [patterns] '(\\\\d+)+x' took over 0.2 s")


def test_a_pattern_that_only_a_real_sentence_makes_slow_stops_with_one_line(
    tmp_path: Path,
) -> None:
    # Backtracks exponentially on "abab…" only, which the probes (runs of one letter) miss:
    # the limit on every match ends the build instead.
    pattern = "'(?:a|ab|ba|b)+$' = 'x'"
    assert lexicon_from_tables({"patterns": {"(?:a|ab|ba|b)+$": "x"}}, "x.toml").entries
    leaflet = _leaflet(tmp_path, pattern, text="Sig " + "ab" * 30 + "!")
    line = _one_error_line(leaflet)
    assert line.startswith(f"Error: {leaflet / 'leaflet.toml'}, line 7: [lexicon.da.patterns] ")
    assert "'(?:a|ab|ba|b)+$' took over 1 s on the sentence 'Sig abab" in line
    assert line.endswith("can take forever; simplify it")
