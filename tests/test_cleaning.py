"""Cleaning rules, one table each: markers go, content stays, every removal is listed."""

from __future__ import annotations

import pytest

from audioleaflet.model import Block, BlockKind, Chapter, Document, Reason, Removal
from audioleaflet.text.cleaning import Removed, clean_document, clean_inline
from audioleaflet.text.furniture import remove_page_furniture
from audioleaflet.text.lines import NOTE_GAP
from audioleaflet.text.vocabulary import vocabulary


@pytest.mark.parametrize(
    ("text", "cleaned", "removed"),
    [
        (
            "meget få muligheder.1-3 Disse behandlinger",
            "meget få muligheder. Disse behandlinger",
            "1-3",
        ),
        ("et ‘gennembrud’4 inden for", "et ‘gennembrud’ inden for", "4"),
        ("tumorer (monoklonale antistoffer).6", "tumorer (monoklonale antistoffer).", "6"),
        ("modermærkekræft1 og prostatakræft", "modermærkekræft og prostatakræft", "1"),
        (
            "fremskreden modermærkekræft,1 lungekræft",
            "fremskreden modermærkekræft, lungekræft",
            "1",
        ),
        ("shown in trials [12].", "shown in trials.", "[12]"),
        ("shown in trials [1, 3-5].", "shown in trials.", "[1, 3-5]"),
        ("as reported[^2] before", "as reported before", "[^2]"),
        ("headache and dizziness* were", "headache and dizziness were", "*"),
    ],
)
def test_markers_are_removed_and_listed(text: str, cleaned: str, removed: str) -> None:
    record: Removed = []
    assert clean_inline(text, record) == cleaned
    assert [r.text for r in record] == [removed]


@pytest.mark.parametrize(
    "text",
    [
        "Tag 2,5 mg to gange dagligt.",
        "Take 2.5 mg, 1,000 times, on day 3.",
        "COVID-19 og PD-1 og type 2-diabetes og vitamin B12 og H2O.",
        "Se afsnit 4.2 og tabel 3.",
        "Ring på tlf. 70 12 34 56.",
    ],
)
def test_numbers_that_are_content_stay(text: str) -> None:
    record: Removed = []
    assert clean_inline(text, record) == text and record == []


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("da", "Side 2 af 6"),
        ("en", "Page 3 of 8"),
        ("it", "Pagina 1 di 2"),
        ("de", "Seite 4 von 5"),
    ],
)
def test_page_numbers_are_furniture(lang: str, line: str) -> None:
    text, removed = remove_page_furniture(
        f"Første del af en sætning\n{line}\nsom fortsætter.", vocabulary(lang)
    )
    assert removed == [Removal(Reason.PAGE_NUMBER, line)] and line not in text


@pytest.mark.parametrize(
    "line",
    [
        "Forgotten password",
        "Reset password",
        "versione italiana",
        "Glemt adgangskode",
        "Passwort vergessen",
    ],
)
def test_web_leftovers_in_any_language(line: str) -> None:
    _, removed = remove_page_furniture(
        f"Real text here.\n\n{line}\n\nMore real text.", vocabulary("en")
    )
    assert removed == [Removal(Reason.WEB_LEFTOVER, line)]


def test_imprint_at_the_end_is_removed_but_not_a_sentence_after_it() -> None:
    vocab = vocabulary("en")
    imprint = "Last sentence.\n\n© Example Ltd\nVAT No. GB123456789\n1 Main Street\n"
    _, removed = remove_page_furniture(imprint, vocab)
    assert [r.text for r in removed] == [
        "© Example Ltd",
        "VAT No. GB123456789",
        "1 Main Street",
    ]
    assert {r.reason for r in removed} == {Reason.IMPRINT}
    followed = (
        imprint
        + "\nThis long sentence goes on well beyond any address line and is plainly content.\n"
    )
    _, removed = remove_page_furniture(followed + "x" * 100, vocab)
    assert removed == []


def document(*blocks: str, lang: str = "da") -> Document:
    chapter = Chapter("Kapitel", tuple(Block(BlockKind.PARAGRAPH, b) for b in blocks))
    return Document(lang=lang, title=None, chapters=(chapter, Chapter("Næste", ())))


def test_footnote_is_spoken_at_the_end_of_its_chapter_and_its_letter_removed() -> None:
    doc = document(
        "Patientvejledning",
        f"a{NOTE_GAP}Bemærk, at behandlingerne kaldes immunterapier.",
        "Immunonkologiske behandlingera er medicin.",
        "Behandlinger virker. Behandlinger hjælper.",
    )
    cleaned = clean_document(doc)
    texts = [b.text for b in cleaned.chapters[0].blocks]
    assert texts == [
        "Patientvejledning",
        "Immunonkologiske behandlinger er medicin.",
        "Behandlinger virker. Behandlinger hjælper.",
        "Note: Bemærk, at behandlingerne kaldes immunterapier.",
    ]
    assert Removal(Reason.NOTE_LETTER, "behandlingera", "behandlinger") in cleaned.removed
    assert "note letter: behandlingera -> behandlinger" in map(str, cleaned.removed)


def test_notes_can_stay_in_place() -> None:
    doc = document(f"a{NOTE_GAP}Bemærk dette.", "Tekst her.")
    cleaned = clean_document(doc, notes="in-place")
    assert [b.text for b in cleaned.chapters[0].blocks] == ["Note: Bemærk dette.", "Tekst her."]


def test_repeated_link_text_is_removed() -> None:
    cleaned = clean_document(document("Find out more Find out more", "Real text.", lang="en"))
    assert [b.text for b in cleaned.chapters[0].blocks] == ["Real text."]
    assert cleaned.removed == (Removal(Reason.LINK_TEXT, "Find out more Find out more"),)


def test_query_strings_are_listed() -> None:
    cleaned = clean_document(document("Se www.youtube.com/watch?v=_HUo7kVhRRU", lang="da"))
    assert Removal(Reason.QUERY_STRING, "?v=_HUo7kVhRRU") in cleaned.removed


@pytest.mark.parametrize(
    "text",
    [
        "Nell'80 per cento dei casi.",
        "Nell’80 per cento dei casi.",
        "Dall'1 gennaio cambia tutto.",
        "Kom kl.8 i morgen.",
        "Tag ca.5 mg om dagen.",
        "Dosis 75 mg/m² dagligt.",
        "Se Nr.1 herunder.",
    ],
)
def test_numbers_after_apostrophes_abbreviations_and_units_stay(text: str) -> None:
    record: Removed = []
    assert clean_inline(text, record) == text and record == []


def test_a_note_letter_that_ends_ordinary_words_is_never_stripped() -> None:
    doc = document(
        f"d{NOTE_GAP}Reported in one study.",
        "The medicine has caused headache.",
        "Tell your doctor the cause. The cause matters.",
        lang="en",
    )
    texts = [b.text for b in clean_document(doc).chapters[0].blocks]
    assert "The medicine has caused headache." in texts


def test_two_spaces_inside_a_paragraph_are_not_a_footnote() -> None:
    from audioleaflet.text.lines import logical_lines

    text = "Behandlingerne er godkendt til patienter\ni  Europa til behandling af kræft.\n"
    assert [line for line, _ in logical_lines(text)] == [
        "Behandlingerne er godkendt til patienter i Europa til behandling af kræft."
    ]


def test_a_photo_credit_at_the_top_is_not_an_imprint() -> None:
    text = "© Foto: Colourbox\n\nSådan tager du medicinen\n\nTag en tablet hver morgen.\n" + (
        "Ring til lægen, hvis du bliver syg.\n" * 20
    )
    kept, removed = remove_page_furniture(text, vocabulary("da"))
    assert removed == [] and "Tag en tablet hver morgen." in kept


def test_the_first_line_of_a_page_is_kept_when_it_continues_the_sentence() -> None:
    text = (
        "Undgå medicinen ved leverproblemer og\n\f\nsygdomme, hvor man har\nnedsat immunforsvar.\n"
    )
    kept, removed = remove_page_furniture(text, vocabulary("da"))
    assert removed == [] and "sygdomme, hvor man har" in kept


def test_a_wrapped_line_that_reads_like_a_menu_item_is_kept() -> None:
    text = "Halten Sie den Pen mit der Nadel\nnach oben.\n"
    kept, removed = remove_page_furniture(text, vocabulary("de"))
    assert removed == [] and "nach oben." in kept


def test_pathological_input_is_spoken_without_crashing() -> None:
    from audioleaflet.text.spoken import to_spoken

    assert to_spoken("a." * 15000, "en")
    spoken = to_spoken("9" * 5000, "es")
    assert spoken.startswith("nueve nueve") and not any(c.isdigit() for c in spoken)


def test_superscript_footnote_marks_and_notes() -> None:
    from audioleaflet.model import Document
    from audioleaflet.readers.plaintext import parse_plain_text
    from audioleaflet.text.cleaning import clean_document
    from audioleaflet.text.vocabulary import vocabulary

    text = "L'acidosi lattica¹ è rara.\n\n¹ L'acidosi lattica è un accumulo di acido.\n"
    chapters, _ = parse_plain_text(text, vocabulary("it"), "Introduzione")
    cleaned = clean_document(Document("it", None, tuple(chapters)))
    assert [b.text for b in cleaned.chapters[0].blocks] == [
        "L'acidosi lattica è rara.",
        "Nota: L'acidosi lattica è un accumulo di acido.",
    ]
    assert "footnote number: ¹" in map(str, cleaned.removed)
