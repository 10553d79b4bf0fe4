"""The output layout names every path of the output folder in one place (`layout.py`)."""

from __future__ import annotations

from pathlib import Path

from audioleaflet.layout import COMPANIONS, LeafletLayout, OutputLayout, chapter_names
from audioleaflet.outputs.selection import OPTIONAL


def test_a_leaflets_files_are_named_after_its_slug_in_its_language_folder() -> None:
    leaflet = OutputLayout(Path("/out")).leaflet("da", "hand-hygiene")
    named = [leaflet.book, leaflet.audiobook, leaflet.transcript, leaflet.subtitles,
             leaflet.chapters_json, leaflet.daisy, leaflet.chapter_folder,
             leaflet.record]  # fmt: skip
    assert [p.relative_to("/out/da").as_posix() for p in named] == [
        "hand-hygiene.mp3",
        "hand-hygiene.m4b",
        "hand-hygiene.vtt",
        "hand-hygiene.srt",
        "hand-hygiene.chapters.json",
        "hand-hygiene.daisy",
        "hand-hygiene",
        ".episodes/hand-hygiene.json",
    ]


def test_the_output_folders_own_files() -> None:
    out = OutputLayout(Path("/out"))
    assert out.feed("it") == Path("/out/it/feed.xml")
    assert out.cover(".jpg") == Path("/out/cover.jpg")
    assert (out.settings.name, out.lock.name) == (".feed-settings.json", ".audioleaflet.lock")
    assert (out.index, out.leaflet("en", "x").page) == (
        Path("/out/index.html"),
        Path("/out/en/x.html"),
    )


def test_chapter_files_are_numbered_so_they_sort_in_order() -> None:
    assert chapter_names(["Intro", "Før du går"]) == ["01-intro.mp3", "02-foer-du-gaar.mp3"]
    assert chapter_names(["x"] * 100)[99] == "100-x.mp3"
    assert chapter_names(["x"] * 100)[0] == "001-x.mp3"


def test_a_leaflets_set_is_every_file_it_may_own() -> None:
    entries = LeafletLayout(Path("/out/en"), "x").entries()
    assert set(entries) == {"x", "x.mp3", "x.m4b", "x.vtt", "x.srt", "x.chapters.json",
                            "x.daisy", ".episodes/x.json"}  # fmt: skip


def test_a_companion_file_leads_back_to_its_leaflet() -> None:
    for name in ("a-b.vtt", "a-b.srt", "a-b.chapters.json", "a-b.m4b", "a-b.mp3"):
        owner = LeafletLayout.owning(Path("/out/en") / name)
        assert owner == LeafletLayout(Path("/out/en"), "a-b"), name
    assert LeafletLayout.owning(Path("/out/en/feed.xml")) is None


def test_outputs_chooses_among_the_companions_the_layout_names() -> None:
    assert OPTIONAL == tuple(COMPANIONS) == ("m4b", "transcripts", "chapters", "daisy")
