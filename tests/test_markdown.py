"""Markdown structure through a real CommonMark parser."""

from __future__ import annotations

from audioleaflet.model import BlockKind
from audioleaflet.readers.markdown import parse_markdown

LEAFLET = """# Taking Examplopril

Read this leaflet before you start.

## How to take it

Take **one** tablet a day with [water](https://example.org/water).
The usual dose is 5 mg, but your doctor may change the dose after 2-3
weeks of treat-
ment.

![A tablet on a hand](tablet.png)

### If you forget

- Take it when you remember.
- Never take two at once.

## Side effects

1. Dizziness
2. Dry cough
"""


def test_title_chapters_and_subheadings() -> None:
    title, chapters = parse_markdown(LEAFLET, "Introduction")
    assert title == "Taking Examplopril"
    assert [c.title for c in chapters] == ["Introduction", "How to take it", "Side effects"]
    kinds = [(b.kind, b.text) for b in chapters[1].blocks]
    assert kinds[0][0] is BlockKind.PARAGRAPH
    assert kinds[0][1].startswith("Take one tablet a day with water. The usual dose is 5 mg")
    assert kinds[0][1].endswith("after 2-3 weeks of treatment.")
    assert (BlockKind.SUBHEADING, "If you forget") in kinds
    assert (BlockKind.LIST_ITEM, "Never take two at once.") in kinds
    assert not any("tablet on a hand" in text or "https" in text for _, text in kinds)
    assert [b.text for b in chapters[2].blocks] == ["1. Dizziness", "2. Dry cough"]


def test_front_matter_is_not_read_aloud() -> None:
    text = "---\ntitle: Aftercare\nlayout: leaflet\n---\n# Aftercare\n\nRest today.\n"
    title, chapters = parse_markdown(text, "Introduction")
    assert title == "Aftercare"
    assert [b.text for c in chapters for b in c.blocks] == ["Rest today."]


def test_no_headings_is_one_introduction_chapter() -> None:
    title, chapters = parse_markdown("Just a paragraph.\n\nAnd another.", "Indledning")
    assert title is None
    assert [c.title for c in chapters] == ["Indledning"]
    assert len(chapters[0].blocks) == 2


def test_several_level_one_headings_are_chapters() -> None:
    title, chapters = parse_markdown("# One\n\nText.\n\n# Two\n\nMore.", "Intro")
    assert title is None
    assert [c.title for c in chapters] == ["One", "Two"]


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
