"""Undoing hard wraps and line-end hyphenation: one table per rule."""

from __future__ import annotations

from collections import Counter

import pytest

from audioleaflet.text.lines import continues, join_hyphenated, logical_lines


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("behand-", "linger er nye", "behandlinger er nye"),
        ("kræft-", "behandling", "kræftbehandling"),
        ("EU-", "lande", "EU-lande"),
        ("COVID-19-", "vaccine", "COVID-19-vaccine"),
        ("immun-", "Onkologi", "immun-Onkologi"),
    ],
)
def test_line_end_hyphen(head: str, tail: str, joined: str) -> None:
    assert join_hyphenated(head, tail, Counter()) == joined


def test_hyphen_kept_when_the_text_writes_the_compound_with_it() -> None:
    vocabulary = Counter({"well-known": 2})
    assert join_hyphenated("a well-", "known drug", vocabulary) == "a well-known drug"


@pytest.mark.parametrize(
    ("previous", "line", "same_block", "expected"),
    [
        (
            "Forskere har i flere årtier studeret den rolle, som immunsystemet kan",
            "spille i",
            True,
            True,
        ),
        ("De sætter immunsystemet i", "stand til selektivt at", False, True),
        ("Patientvejledning", "a\u00a0Bemærk, at behandlingerne", False, False),
        ("tilgængelige for patienter", "i Europa til behandling", True, True),
        ("bekæmpelsen af kræft.", "Det er", True, False),
        ("Hvad er anderledes ved immunonkologiske", "behandlinger?", True, True),
        (
            "ECPC Academy [Det immunonkologiske akademi]",
            "– Academy (IOA) er et samarbejde",
            True,
            True,
        ),
        ("- første punkt", "- andet punkt", True, False),
        ("kontakt venligst Mihaela Militaru, mihaela.militaru@", "ecpc.org.", True, True),
        (
            "Dokumentet er produceret af European Expert Group on Immuno-Oncology [den",
            "Europæiske",
            True,
            True,
        ),
        (
            "Kvalitet, langsigtet overlevelse for patienter",
            "Resultater fra kliniske forsøg",
            True,
            False,
        ),
        (
            "www.cancerresearch.org/cancer-immunotherapy/what-is-cancer-immunotherapy-and-more",
            "Patienthistorier",
            True,
            False,
        ),
        ("web: -", "Forgotten password", False, False),
    ],
)
def test_continues(previous: str, line: str, same_block: bool, expected: bool) -> None:
    assert continues(previous, line, same_block) is expected


def test_logical_lines_join_a_text_box_broken_across_blank_lines() -> None:
    text = (
        "De sætter  \nimmunsystemet i  \n\n"
        "stand til selektivt at \ngenkende og angribe \n\nkræftceller.\n"
    )
    assert [line for line, _ in logical_lines(text)] == [
        "De sætter immunsystemet i stand til selektivt at genkende og angribe kræftceller."
    ]


def test_ligatures_are_spelled_out() -> None:
    assert logical_lines("ﬁlmovertrukne tabletter med ﬂuor og eﬃcacy.\n") == [
        ("filmovertrukne tabletter med fluor og efficacy.", False)
    ]


def test_logical_lines_normalise_odd_spaces_and_soft_hyphens() -> None:
    text = "Immun\u00adterapi\u00a0 virker.\n"
    assert logical_lines(text) == [("Immunterapi virker.", False)]


def test_german_ordinal_cut_by_a_line_wrap_is_rejoined_and_declined() -> None:
    from audioleaflet.readers.plaintext import parse_plain_text
    from audioleaflet.text.sentences import body_sentences
    from audioleaflet.text.vocabulary import vocabulary

    chapters, _ = parse_plain_text(
        "Ab der 13.\nWoche kann die Dosis steigen.\n", vocabulary("de"), ""
    )
    (sentence,) = body_sentences(chapters[0], "de")
    assert sentence.text == "Ab der dreizehnten Woche kann die Dosis steigen."


def test_a_label_line_is_not_glued_to_the_wrapped_line_above() -> None:
    from audioleaflet.text.lines import logical_lines

    text = (
        "- dizziness and a fall in blood pressure of more than 20 mmHg when you stand up quickly\n"
        "Rare (may affect up to 1 in 1,000 people):\n"
        "- rash\n"
    )
    lines = [line for line, _ in logical_lines(text)]
    assert lines[1] == "Rare (may affect up to 1 in 1,000 people):"
