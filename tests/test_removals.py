"""Nothing of a leaflet is lost silently: every word of the source is spoken, or listed as
removed with its reason and counted in the build's summary.

The integrity corpus in tests/data/integrity repeats content on purpose (a warning said twice,
the same paragraph, heading or list item again, a sentence on two pages, a line that looks like
a running header but is not) next to real furniture; the two shared leaflets carry real
extraction artifacts. The words compared are the sentences' printed `source`, since the spoken
form says numbers as words.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from audioleaflet.build import build
from audioleaflet.config.saved import resolve_settings
from audioleaflet.model import Reason, Removal
from audioleaflet.planning.plan import PlannedLeaflet, plan
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.text.removals import WARN_SHARE, counted, removal_report, summarise
from tests.conftest import SHARED_FILES
from tests.word_counts import words

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "integrity").glob("*.txt"))
EXTRACTIONS = [DATA / name for name in ("en-pagebreak.txt", "en-running-header.txt")]
EXTRACTIONS += sorted(DATA.glob("qrd-*.txt"))


def _lang(path: Path) -> str:
    """`pages.en.txt` and `qrd-en.txt` are English; the shared leaflets are named `da-…`."""
    match = re.search(r"[.-]([a-z]{2})\.txt$", path.name) or re.match(r"([a-z]{2})-", path.name)
    assert match, path
    return match[1]


def _planned(path: Path, lang: str) -> PlannedLeaflet:
    (item,) = plan(find_leaflets([path], lang), lang)
    return item


def unaccounted(source: str, item: PlannedLeaflet) -> Counter[str]:
    """The source's words, as many times as they occur, that are neither in a sentence of the
    script nor in a listed removal."""
    said = words(" ".join(s.source for _title, sentences in item.chapters for s in sentences))
    removed = words(" ".join(r.text for r in item.document.removed))
    return words(source) - said - removed


def check_integrity(path: Path, lang: str) -> PlannedLeaflet:
    item = _planned(path, lang)
    missing = unaccounted(path.read_text(encoding="utf-8"), item)
    assert not missing, f"{path.name}: lost without a listed reason: {dict(missing)}"
    summary = summarise(item.document)
    # Every removal is counted in the build's summary, under its own reason.
    assert sum(count for _reason, count in summary.counts) == len(item.document.removed)
    report = removal_report(f"{lang}/{item.leaflet.slug}", path, item.document)
    for reason, count in summary.counts:
        assert f" {counted(reason, count)}" in report[0], report
    return item


@pytest.mark.parametrize("path", CORPUS + EXTRACTIONS, ids=lambda p: p.name)
def test_every_word_is_spoken_or_listed_as_removed(path: Path) -> None:
    check_integrity(path, _lang(path))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_word_of_the_real_leaflets_is_spoken_or_listed_as_removed(
    lang: str, shared_leaflets: Path
) -> None:
    check_integrity(shared_leaflets / SHARED_FILES[lang], lang)


def test_the_check_finds_a_repeated_sentence_that_went_missing() -> None:
    """The check itself can fail: a sentence dropped once out of two is found."""
    item = _planned(CORPUS[0], "en")
    source = CORPUS[0].read_text(encoding="utf-8") + "\nDo not drive after the test.\n"
    assert unaccounted(source, item) == words("Do not drive after the test.")


def spoken_sources(item: PlannedLeaflet) -> list[str]:
    return [s.source for _title, sentences in item.chapters for s in sentences]


def test_a_warning_said_twice_is_said_twice() -> None:
    item = check_integrity(DATA / "integrity" / "repeated-sentences.en.txt", "en")
    said = spoken_sources(item)
    assert said.count("Do not drive after the test.") == 3
    assert said.count("Do not drink alcohol.") == 2
    assert said.count("Call us on 0800 123 456 if you feel unwell.") == 2
    assert item.document.removed == ()


def test_repeated_list_items_and_paragraphs_are_all_spoken() -> None:
    item = check_integrity(DATA / "integrity" / "repeated-list-items.en.txt", "en")
    said = spoken_sources(item)
    assert said.count("Take with water.") == 2
    assert said.count("1. Take with water.") == 1 and said.count("2. Take with water.") == 1
    assert said.count("Never double a dose") == 2
    item = check_integrity(DATA / "integrity" / "repeated-paragraphs.en.txt", "en")
    assert spoken_sources(item).count("Stop eating six hours before the test.") == 3
    # The heading of the first chapter, said again later: no page marks, so not a header.
    assert [title for title, _ in item.chapters].count("Before the test") == 2


def test_a_heading_said_again_is_spoken_again() -> None:
    item = check_integrity(DATA / "integrity" / "repeated-headings.en.txt", "en")
    titles = [title for title, _sentences in item.chapters]
    assert titles.count("Side effects") == 2
    assert item.document.removed == ()


def test_running_headers_go_and_content_at_a_page_break_stays() -> None:
    """The product name on top of every page is a header; a sentence repeated on the next page,
    the contents' "Side effects" as its section heading after the break, and the child-safety
    line that reads like a header, are content."""
    item = check_integrity(DATA / "integrity" / "pages.en.txt", "en")
    assert [str(r) for r in item.document.removed] == [
        "page number: Page 1 of 3",
        "running header: Examplex 10 mg tablets",
        "page number: Page 2 of 3",
        "running header: Examplex 10 mg tablets",
        "page number: Page 3 of 3",
    ]
    said = spoken_sources(item)
    assert said.count("Keep this leaflet.") == 3
    assert "Side effects" in said
    assert sum("Keep out of the sight and reach of children" in s for s in said) == 2


def test_link_labels_said_twice_go_and_nothing_else() -> None:
    item = check_integrity(DATA / "integrity" / "link-labels.en.txt", "en")
    assert item.document.removed == (Removal(Reason.LINK_TEXT, "Find out more Find out more"),)
    said = spoken_sources(item)
    assert "Read more" in said and "Yes Yes" in said
    assert "Wash your hands Wash your hands." in said


def test_a_phrase_said_twice_is_a_link_only_by_what_it_says(tmp_path: Path) -> None:
    """The shape of a doubled link label is no reason to drop a warning: only a phrase from the
    languages' lists of link texts goes (any language: a page links in more than one)."""
    source = tmp_path / "repeats.en.txt"
    source.write_text(
        "Before the test\n\nDo not drive Do not drive\n\nRing 112 Ring 112\n\n"
        "Læs mere Læs mere\n\nStop taking it Stop taking it\n",
        encoding="utf-8",
    )
    item = check_integrity(source, "en")
    said = spoken_sources(item)
    for warning in (
        "Do not drive Do not drive",
        "Ring 112 Ring 112",
        "Stop taking it Stop taking it",
    ):
        assert warning in said
    assert item.document.removed == (Removal(Reason.LINK_TEXT, "Læs mere Læs mere"),)


def test_danish_repeats_stay_and_markers_are_listed() -> None:
    item = check_integrity(DATA / "integrity" / "gentagelser.da.txt", "da")
    said = spoken_sources(item)
    assert said.count("Kør ikke bil efter undersøgelsen.") == 3
    assert said.count("Tag medicinen med vand.") == 4
    assert [str(r) for r in item.document.removed] == [
        "page number: Side 1 af 2",
        "page number: Side 2 af 2",
        "footnote number: 1-3",
    ]


def test_a_run_on_of_one_word_is_kept(tmp_path: Path) -> None:
    """Ten thousand words of one word, an even number of them: not a link label said twice.
    The sentence splitter bounds what is spoken at once."""
    source = tmp_path / "run-on.en.txt"
    source.write_text("Water\n\n" + " ".join(["water"] * 10_000) + "\n", encoding="utf-8")
    item = check_integrity(source, "en")
    assert item.document.removed == ()
    assert sum(words(s)["water"] for s in spoken_sources(item)) == 10_001


def test_summary_counts_each_reason_and_warns_above_the_share(danish: Path, english: Path) -> None:
    item = _planned(english, "en")
    summary = summarise(item.document)
    assert summary.describe() == (
        "4 web-page leftovers, 3 image captions, 6 lines of publisher's imprint, "
        "1 repeated link text"
    )
    # The shared web page is the most a real leaflet has lost to furniture: no warning.
    assert 0.10 < summary.share < WARN_SHARE
    (line,) = removal_report("en/page", english, item.document)
    assert line == (
        f"en/page: removed {summary.describe()} "
        f"(see: audioleaflet script {english} --lang en --diff)"
    )
    assert summarise(_planned(danish, "da").document).share < 0.02


def test_build_reports_what_was_removed_and_warns(tmp_path: Path) -> None:
    """A real build of a short page that is mostly a login form."""
    source = tmp_path / "login.en.txt"
    source.write_text(
        "Wash your hands before you visit.\n\nForgotten password\n\nReset password\n\n"
        "Sign in\n\nPage 1 of 1\n",
        encoding="utf-8",
    )
    lines: list[str] = []
    output = tmp_path / "out"
    build([source], output, resolve_settings([source], output, None), "en", report=lines.append)
    see = f"(see: audioleaflet script {source} --lang en --diff)"
    assert f"en/login: removed 1 page number, 3 web-page leftovers {see}" in lines
    warning = next(line for line in lines if line.startswith("warning: en/login:"))
    # 10 words removed; 6 kept, and the one of the "Introduction" chapter title.
    assert "cleaning removed 59% of the words (10 of 17)" in warning
    assert warning.endswith(f"audioleaflet script {source} --lang en --diff")


def test_markdown_repeats_stay_and_what_is_not_spoken_is_listed() -> None:
    """Markdown's markup is not spoken; what it holds of words is spoken or listed."""
    item = _planned(DATA / "integrity" / "repeated.en.md", "en")
    said = spoken_sources(item)
    assert said.count("Somebody must take you home.") == 2
    assert said.count("Take with water.") == 2
    assert [title for title, _ in item.chapters].count("Going home") == 2
    assert "Call 112 if you bleed heavily." in said  # an HTML block is text, not markup
    assert [str(r) for r in item.document.removed] == [
        "front matter: --- title: After the test ---",
        "image caption: A nurse helping a patient into a car",
        "comment in the markup: <!-- check the phone number with the ward -->",
        "link address: https://example.org/sedation",
    ]


def test_every_reason_has_a_name_in_the_summary() -> None:
    assert [counted(reason, 2).startswith("2 ") for reason in Reason] == [True] * len(Reason)
    assert counted(Reason.PAGE_NUMBER, 1) == "1 page number"
    assert counted(Reason.IMPRINT, 6) == "6 lines of publisher's imprint"


def test_a_markdown_title_above_its_sections_is_spoken(tmp_path: Path) -> None:
    """`# Warfarin` over `## Important`: the title is no chapter's heading, and a bare file has
    no manifest for an introduction; it is still the leaflet's word, and said first."""
    source = tmp_path / "warfarin.md"
    source.write_text("# Warfarin\n\n## Important\n\nKeep it safe.\n", encoding="utf-8")
    item = check_integrity(source, "en")
    assert [(title, [s.source for s in said]) for title, said in item.chapters] == [
        ("Warfarin", ["Warfarin"]),
        ("Important", ["Important", "Keep it safe."]),
    ]
    # Text under the title: its chapter is the introduction, and the title comes before it.
    source.write_text("# Warfarin\n\nRead this first.\n\n## Important\n\nKeep it.\n", "utf-8")
    said = spoken_sources(check_integrity(source, "en"))
    assert said.count("Warfarin") == 1 and said.index("Warfarin") < said.index("Read this first.")


def test_bare_page_numbers_at_the_foot_of_every_page_go_and_other_numbers_stay(
    tmp_path: Path,
) -> None:
    """`3` alone above a form feed, counting the pages, is the page's number; a lone number
    that does not stand at every page's foot and count them is the leaflet's."""
    pages = [f"Section {n}\n\nThis is part {n} of your treatment.\n\n{n}\n" for n in (1, 2, 3)]
    source = tmp_path / "pages.en.txt"
    source.write_text("\f".join(pages), encoding="utf-8")
    item = check_integrity(source, "en")
    assert [str(r) for r in item.document.removed] == [f"page number: {n}" for n in (1, 2, 3)]
    # Numbers at the foot that do not count the pages (scores): spoken.
    pages = [
        f"Section {n}\n\nYour score is below.\n\n{score}\n" for n, score in ((1, 5), (2, 2), (3, 7))
    ]
    source.write_text("\f".join(pages), encoding="utf-8")
    item = check_integrity(source, "en")
    assert item.document.removed == () and {"5", "2", "7"} <= set(spoken_sources(item))
