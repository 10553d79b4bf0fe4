"""Spoken-form rules found on package leaflets after the golden tables were written."""

from __future__ import annotations

import pytest

from audioleaflet.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("lang", "source", "spoken"),
    [
        ("da", "1. Virkning og anvendelse", "en. Virkning og anvendelse"),
        (
            "de",
            "2. Was sollten Sie vor der Einnahme beachten?",
            "zwei. Was sollten Sie vor der Einnahme beachten?",
        ),
        ("en", "3. How to take Norvasol", "three. How to take Norvasol"),
        ("it", "4. Possibili effetti indesiderati", "quattro. Possibili effetti indesiderati"),
        (
            "da",
            "1. januar 2026 trådte reglerne i kraft.",
            "første januar totusinde og seksogtyve trådte reglerne i kraft.",
        ),
        ("en", "Norvasol 5 mg tablets", "Norvasol five milligram tablets"),
        ("en", "Take 5 mg daily.", "Take five milligrams daily."),
        (
            "en",
            "Each 10 mg film-coated tablet contains lactose.",
            "Each ten milligram film-coated tablet contains lactose.",
        ),
        ("en", "Take 1 1/2 tablets.", "Take one and a half tablets."),
        ("en", "(1½ tablets of 2.5 mg)", "(one and a half tablets of two point five milligrams)"),
        ("en", "Take ½ of a tablet.", "Take half of a tablet."),
        ("da", "Tag 1 ½ tablet.", "Tag halvanden tablet."),
        ("da", "Tag 2½ tablet.", "Tag to og en halv tablet."),
        ("de", "Nehmen Sie 1 1/2 Tabletten.", "Nehmen Sie eineinhalb Tabletten."),
        ("da", "Ring 112 ved alvorlige symptomer.", "Ring en en to ved alvorlige symptomer."),
        ("en", "Call 999 or 112.", "Call nine nine nine or one one two."),
        (
            "de",
            "Nehmen Sie die Tabletten mit 1 Glas Wasser.",
            "Nehmen Sie die Tabletten mit einem Glas Wasser.",
        ),
        (
            "de",
            "Nach 1 Woche mit 1 Tablette beginnen.",
            "Nach einer Woche mit einer Tablette beginnen.",
        ),
        (
            "de",
            "Das betrifft bis zu 1 von 10 Behandelten.",
            "Das betrifft bis zu einem von zehn Behandelten.",
        ),
        (
            "it",
            "Prenda la compressa con 1 bicchiere d'acqua.",
            "Prenda la compressa con un bicchiere d'acqua.",
        ),
        ("da", "Opbevares ved (2 °C - 8 °C).", "Opbevares ved (to til otte grader celsius)."),
        (
            "en",
            "Your blood pressure was 140/90 mmHg.",
            "Your blood pressure was one hundred and forty over ninety millimetres of mercury.",
        ),
        ("da", "Udløbsdato 01/2026.", "Udløbsdato januar totusinde og seksogtyve."),
        ("en", "It contains vitamin B12.", "It contains vitamin B twelve."),
        ("de", "die 3-fache Menge", "die dreifache Menge"),
        ("it", "Eviti, per es. il pompelmo.", "Eviti, per esempio il pompelmo."),
        ("en", "Take ¼ of the dose.", "Take a quarter of the dose."),
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
        ("en", "The dose is 2,5 mg a day.", "The dose is two point five milligrams a day."),
        ("da", "Dosis er 2.5 mg om dagen.", "Dosis er to komma fem milligram om dagen."),
        ("en", "Come back at 15:00.", "Come back at fifteen hundred."),
        ("en", "Bend your knee to 90°.", "Bend your knee to ninety degrees."),
        ("en", "Use the 5 ml syringe.", "Use the five millilitre syringe."),
        ("da", "Tag ¾ af dosis.", "Tag tre kvart af dosis."),
    ],
)
def test_rule(lang: str, source: str, spoken: str) -> None:
    assert to_spoken(source, lang) == spoken


def test_a_sentence_ends_after_an_abbreviation_before_a_capital() -> None:
    from audioleaflet.text.sentences import split_sentences

    assert split_sentences("Avoid alcohol, coffee etc. Do not drive.", "en") == [
        "Avoid alcohol, coffee etc.",
        "Do not drive.",
    ]


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


def test_markdown_footnote_is_spoken_as_a_note_in_the_chapter_that_cites_it() -> None:
    from audioleaflet.model import Document
    from audioleaflet.readers.markdown import parse_markdown
    from audioleaflet.text.cleaning import clean_document

    text = (
        "# T\n\n## One\n\nIt thins the blood.[^1]\n\n## Two\n\nCall us.\n\n[^1]: Clots can form.\n"
    )
    _title, chapters = parse_markdown(text, "Introduction")
    cleaned = clean_document(Document("en", "T", tuple(chapters)))
    assert [b.text for b in cleaned.chapters[0].blocks] == [
        "It thins the blood.",
        "Note: Clots can form.",
    ]
    assert [b.text for b in cleaned.chapters[1].blocks] == ["Call us."]


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
