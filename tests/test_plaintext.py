"""Plain-text structure: heading rules, and the real sections of both shared leaflets."""

from __future__ import annotations

import pytest

from audioleaflet.model import BlockKind
from audioleaflet.readers.plaintext import heading_strength, parse_plain_text
from tests.conftest import DANISH, ENGLISH


@pytest.mark.parametrize(
    ("line", "strength"),
    [
        ("Hvad er immunonkologi?", "strong"),
        ("1. What Examplopril is and what it is used for", "strong"),
        ("2. Was müssen Sie vor der Einnahme beachten?", "strong"),
        ("1. Virkning og anvendelse", "strong"),
        ("Mere information", "weak"),
        ("Kvalitet, langsigtet overlevelse for patienter", "weak"),
        ("Tag en tablet om dagen.", ""),
        ("versione italiana", ""),
        ("Find out more Find out more", ""),
        ("Se www.ecpc.org", ""),
        ("P. IVA 10756900154", ""),
        ("© Effetti srl", ""),
        ("Cancer Research Institute [Kræftforskningsinstituttet]:", ""),
        ("A line that goes on and on " * 5, ""),
    ],
)
def test_heading_strength(line: str, strength: str) -> None:
    assert heading_strength(line) == strength


def titles(text: str) -> list[str]:
    return [chapter.title for chapter in parse_plain_text(text, "Introduction")]


def test_danish_leaflet_splits_into_its_real_sections() -> None:
    assert titles(DANISH.read_text(encoding="utf-8")) == [
        "Hvorfor denne folder?",
        "Hvad er immunonkologi?",
        "Hvad er anderledes ved immunonkologiske behandlinger?",
        "Hvad er immunonkologi (io)?",
        "Kvalitet, langsigtet overlevelse for patienter",
        "Hvilke typer kræft virker de imod?",
        "Hvilke lægemidler er til rådighed for patienterne?",
        "Hvad betyder det for din behandling?",
        "Mere information",
        "Om denne folder",
    ]


def test_danish_subtitle_and_text_boxes_stay_as_text() -> None:
    chapters = parse_plain_text(DANISH.read_text(encoding="utf-8"), "Indledning")
    second = [block.text for block in chapters[1].blocks]
    assert second[0] == "Patientvejledning"
    assert second[1].startswith("a Bemærk, at immunonkologiske behandlinger")
    box = [block.text for block in chapters[2].blocks]
    assert (
        box[0]
        == "De sætter immunsystemet i stand til selektivt at genkende og angribe kræftceller."
    )


def test_english_page_sections_and_intro() -> None:
    found = titles(ENGLISH.read_text(encoding="utf-8"))
    assert found[0] == "Introduction"  # "versione italiana" comes before the first heading
    assert found[1:3] == [
        "How it works",
        "Differences between immunotherapy and traditional therapies",
    ]
    assert "Find out more Find out more" not in found
    assert "Medical researchers using microscope" not in found


def test_table_of_contents_is_not_a_run_of_empty_chapters() -> None:
    text = (
        "What is in this leaflet\n"
        "1. What X is and what it is used for\n"
        "2. What you need to know before you take X\n"
        "3. How to take X\n\n"
        "1. What X is and what it is used for\n"
        "X is a medicine that lowers blood pressure.\n"
    )
    chapters = parse_plain_text(text, "Introduction")
    assert [c.title for c in chapters] == [
        "What is in this leaflet",
        "1. What X is and what it is used for",
    ]
    assert [b.kind for b in chapters[0].blocks] == [BlockKind.LIST_ITEM] * 3


def test_every_word_of_the_source_is_kept() -> None:
    for path in (DANISH, ENGLISH):
        text = path.read_text(encoding="utf-8")
        chapters = parse_plain_text(text, "Introduction")
        spoken = " ".join(c.title + " " + " ".join(b.text for b in c.blocks) for c in chapters)
        source_words = {w.strip(".,;:!?()[]'\"“”’‘") for w in text.split()}
        spoken_words = {w.strip(".,;:!?()[]'\"“”’‘") for w in spoken.split()}
        # Words cut at a line end are rejoined, so only whole words are compared.
        lost = {w for w in source_words - spoken_words if any(c.isalnum() for c in w)}
        lost = {w for w in lost if not w.endswith(("-", "@"))}
        lost = {w for w in lost if not any(w in s for s in spoken_words)}
        assert not lost, f"{path.name}: {sorted(lost)[:10]}"
