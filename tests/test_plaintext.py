"""Plain-text structure: heading rules, and the real sections of both shared leaflets."""

from __future__ import annotations

from pathlib import Path

import pytest

from audioleaflet.model import BlockKind, Chapter, Reason
from audioleaflet.readers.plaintext import heading_strength, parse_plain_text
from audioleaflet.text.vocabulary import vocabulary


def parse(text: str, lang: str = "en", introduction: str = "Introduction") -> list[Chapter]:
    chapters, _removed = parse_plain_text(text, vocabulary(lang), introduction)
    return chapters


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
        ("Doctor interviewing a patient", ""),
        ("Medical researchers using microscope", ""),
        ("Find out more Find out more", ""),
        ("Se www.ecpc.org", ""),
        ("P. IVA 10756900154", ""),
        ("© Effetti srl", ""),
        ("Cancer Research Institute [Kræftforskningsinstituttet]:", ""),
        ("A line that goes on and on " * 5, ""),
    ],
)
def test_heading_strength(line: str, strength: str) -> None:
    assert heading_strength(line, vocabulary("en")) == strength


def titles(text: str, lang: str = "en") -> list[str]:
    return [chapter.title for chapter in parse(text, lang)]


def test_danish_leaflet_splits_into_its_real_sections(danish: Path) -> None:
    assert titles(danish.read_text(encoding="utf-8"), "da") == [
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


def test_danish_subtitle_and_text_boxes_stay_as_text(danish: Path) -> None:
    chapters = parse(danish.read_text(encoding="utf-8"), "da", "Indledning")
    second = [block.text for block in chapters[1].blocks]
    assert second[0] == "Patientvejledning"
    assert second[1].startswith("a\u00a0Bemærk, at immunonkologiske behandlinger")
    box = [block.text for block in chapters[2].blocks]
    assert (
        box[0]
        == "De sætter immunsystemet i stand til selektivt at genkende og angribe kræftceller."
    )


def test_english_page_splits_into_its_real_sections(english: Path) -> None:
    chapters, removals = parse_plain_text(english.read_text(encoding="utf-8"), vocabulary("en"), "")
    removed = [str(r) for r in removals]
    assert [c.title for c in chapters] == [
        "How it works",
        "Differences between immunotherapy and traditional therapies",
    ]
    # The language link, the imprint and the login form are web-page leftovers, listed for the
    # proofreader.
    assert removed[0] == "web-page leftover: versione italiana"
    assert {
        "publisher's imprint: © Effetti srl",
        "publisher's imprint: P. IVA 10756900154",
        "web-page leftover: Forgotten password",
        "web-page leftover: Reset password",
    } <= set(removed)
    # Image descriptions on a web page are the page's pictures: removed and listed.
    body = [b.text for c in chapters for b in c.blocks]
    assert "Doctor interviewing a patient" not in body
    assert "image caption: Doctor interviewing a patient" in removed


def test_a_qrd_sub_heading_is_not_a_caption() -> None:
    vocab = vocabulary("en")
    assert not vocab.is_caption("Driving and using machines")
    assert not vocab.is_caption("Patients taking this medicine should avoid alcohol.")
    assert vocab.is_caption("Doctor interviewing a patient")


def test_table_of_contents_is_not_a_run_of_empty_chapters() -> None:
    text = (
        "What is in this leaflet\n"
        "1. What X is and what it is used for\n"
        "2. What you need to know before you take X\n"
        "3. How to take X\n\n"
        "1. What X is and what it is used for\n"
        "X is a medicine that lowers blood pressure.\n"
    )
    chapters = parse(text)
    assert [c.title for c in chapters] == [
        "What is in this leaflet",
        "1. What X is and what it is used for",
    ]
    assert [b.kind for b in chapters[0].blocks] == [BlockKind.LIST_ITEM] * 3


def test_every_word_of_the_source_is_kept_or_listed_as_removed(danish: Path, english: Path) -> None:
    for path in (danish, english):
        text = path.read_text(encoding="utf-8")
        chapters, removed = parse_plain_text(text, vocabulary(path.name[:2]), "")
        spoken = " ".join(c.title + " " + " ".join(b.text for b in c.blocks) for c in chapters)
        lines = [r.text for r in removed]
        assert not any(line in spoken for line in lines)
        spoken += " " + " ".join(lines)
        source_words = {w.strip(".,;:!?()[]'\"“”’‘") for w in text.split()}
        spoken_words = {w.strip(".,;:!?()[]'\"“”’‘") for w in spoken.split()}
        # Words cut at a line end are rejoined, so only whole words are compared.
        lost = {w for w in source_words - spoken_words if any(c.isalnum() for c in w)}
        lost = {w for w in lost if not w.endswith(("-", "@"))}
        lost = {w for w in lost if not any(w in s for s in spoken_words)}
        assert not lost, f"{path.name}: {sorted(lost)[:10]}"


DATA = Path(__file__).parent / "data"
QRD_SECTIONS = {
    "en": [
        "1. What Norvasol is and what it is used for",
        "2. What you need to know before you take Norvasol",
        "3. How to take Norvasol",
        "4. Possible side effects",
        "5. How to store Norvasol",
        "6. Contents of the pack and other information",
    ],
    "da": [
        "1. Virkning og anvendelse",
        "2. Det skal du vide, før du begynder at tage Metformax",
        "3. Sådan skal du tage Metformax",
        "4. Bivirkninger",
        "5. Opbevaring",
        "6. Pakningsstørrelser og yderligere oplysninger",
    ],
    "it": [
        "1. Che cos'è Ibuprofene Esempio e a cosa serve",
        "2. Cosa deve sapere prima di prendere Ibuprofene Esempio",
        "3. Come prendere Ibuprofene Esempio",
        "4. Possibili effetti indesiderati",
        "5. Come conservare Ibuprofene Esempio",
        "6. Contenuto della confezione e altre informazioni",
    ],
    "de": [
        "1. Was ist Paracetamol Beispiel und wofür wird es angewendet?",
        "2. Was sollten Sie vor der Einnahme von Paracetamol Beispiel beachten?",
        "3. Wie ist Paracetamol Beispiel einzunehmen?",
        "4. Welche Nebenwirkungen sind möglich?",
        "5. Wie ist Paracetamol Beispiel aufzubewahren?",
        "6. Inhalt der Packung und weitere Informationen",
    ],
}


@pytest.mark.parametrize("lang", sorted(QRD_SECTIONS))
def test_package_leaflet_chapters_are_the_template_sections(lang: str) -> None:
    """pdftotext-style QRD leaflets: contents list, page footers, sub-headings, bullets."""
    text = (DATA / f"qrd-{lang}.txt").read_text(encoding="utf-8")
    chapters, removed = parse_plain_text(text, vocabulary(lang), "Intro")
    found = [c.title for c in chapters]
    assert found[-6:] == QRD_SECTIONS[lang]
    assert len(found) <= 8  # the title block and the contents list, then the six sections
    assert not any(title.startswith(("Page ", "Side ", "Pagina ", "Seite ")) for title in found)
    kinds = {b.kind for c in chapters for b in c.blocks}
    assert BlockKind.SUBHEADING in kinds and BlockKind.LIST_ITEM in kinds
    spoken = " ".join(b.text for c in chapters for b in c.blocks)
    lines = [r.text for r in removed]
    assert removed and all(r.reason is Reason.PAGE_NUMBER for r in removed)
    assert not any(line in spoken for line in lines)


def test_page_break_inside_a_sentence_rejoins_it() -> None:
    chapters = parse((DATA / "en-pagebreak.txt").read_text(encoding="utf-8"))
    first = chapters[0].blocks[0].text
    assert "a serious reaction that needs urgent treatment in hospital." in first
    assert "Page 4 of 6" not in first and "Norvasol 5 mg tablets" not in first


def test_running_header_is_not_a_heading() -> None:
    """pdftotext puts a form feed between pages: the product name at the top of page 2, which
    page 1 opens with, is a running header, removed and listed."""
    text = (DATA / "en-running-header.txt").read_text(encoding="utf-8")
    paged = text.replace("\nNorvasol 5 mg tablets\nElderly", "\n\fNorvasol 5 mg tablets\nElderly")
    chapters, removed = parse_plain_text(paged, vocabulary("en"), "Introduction")
    body = [b.text for c in chapters[1:] for b in c.blocks]
    assert "Norvasol 5 mg tablets" not in body
    assert [str(r) for r in removed] == ["running header: Norvasol 5 mg tablets"]
    assert [c.title for c in chapters][1:] == [
        "2. What you need to know before you take Norvasol",
        "3. How to take Norvasol",
    ]


def test_a_repeated_title_line_is_spoken_when_nothing_marks_the_pages() -> None:
    """Without page breaks nothing shows where a page starts, and a line said again is as
    likely a heading said again (contents list, then section): it is spoken, not a chapter."""
    chapters, removed = parse_plain_text(
        (DATA / "en-running-header.txt").read_text(encoding="utf-8"), vocabulary("en"), "Intro"
    )
    assert removed == []
    assert "Norvasol 5 mg tablets" in [b.text for b in chapters[1].blocks]
    assert [c.title for c in chapters][1:] == [
        "2. What you need to know before you take Norvasol",
        "3. How to take Norvasol",
    ]


def test_numbered_steps_are_a_list_not_sections() -> None:
    chapters = parse((DATA / "en-inhaler.txt").read_text(encoding="utf-8"))
    assert chapters[0].title == "3. How to use Breathex"
    items = [b.text for b in chapters[0].blocks if b.kind is BlockKind.LIST_ITEM]
    assert items[0] == "1. Remove the mouthpiece cover"
    assert items[-1] == "5. Hold your breath for about 10 seconds"


@pytest.mark.parametrize(
    ("name", "lang"), [("da-longheading.txt", "da"), ("it-longheading.txt", "it")]
)
def test_long_numbered_headings_stay_headings(name: str, lang: str) -> None:
    found = titles((DATA / name).read_text(encoding="utf-8"), lang)
    assert len(found) == 3 and all(t[:2] in ("1.", "2.", "3.", "4.") for t in found)
    assert any("filmovertrukne tabletter" in t or "rivestite con film" in t for t in found)


def test_a_sub_heading_is_not_glued_to_the_first_bullet() -> None:
    text = (
        "Do not take Norvasol\n\n"
        "- if you are allergic to amlodipine.\n- if you have low blood pressure.\n"
    )
    chapters = parse(text)
    assert chapters[0].title == "Do not take Norvasol"
    assert [b.text for b in chapters[0].blocks] == [
        "if you are allergic to amlodipine.",
        "if you have low blood pressure.",
    ]


def test_web_page_banners_and_breadcrumbs_are_leftovers() -> None:
    from audioleaflet.text.vocabulary import vocabulary

    vocab = vocabulary("en")
    for line in [
        "We use cookies to make this site work. Accept all cookies",
        "Home > Patients > Leaflets",
        "Was this page helpful? Yes No",
        "Share on Facebook Share on Twitter",
    ]:
        assert vocab.is_web_leftover(line), line
