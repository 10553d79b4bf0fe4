"""Podcasting 2.0 chapters JSON from a real build, parsed back and held to the 1.2.0 format."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from audioleaflet.build import BuiltLeaflet
from audioleaflet.outputs.chapters_json import chapters_json, write_chapters_json
from tests.audio_checks import decoded_ms
from tests.leaflet_builds import HAND_HYGIENE, build_leaflet


@pytest.fixture(scope="module")
def hygiene(tmp_path_factory: pytest.TempPathFactory) -> BuiltLeaflet:
    return build_leaflet(HAND_HYGIENE, tmp_path_factory.mktemp("hygiene"), "da")


def test_chapters_start_at_zero_ascend_and_match_the_timings(
    hygiene: BuiltLeaflet, tmp_path: Path
) -> None:
    dest = tmp_path / "chapters.json"
    write_chapters_json(dest, hygiene.timings)
    document = json.loads(dest.read_text(encoding="utf-8"))
    assert list(document) == ["version", "chapters"]
    assert document["version"] == "1.2.0"
    chapters = document["chapters"]
    assert [c["title"] for c in chapters] == [t.title for t in hygiene.timings]
    assert chapters[0]["startTime"] == 0
    for before, after in itertools.pairwise(chapters):
        assert before["startTime"] < after["startTime"]
        assert before["endTime"] == after["startTime"]
    for chapter, timing in zip(chapters, hygiene.timings, strict=True):
        assert set(chapter) == {"startTime", "endTime", "title"}
        assert isinstance(chapter["startTime"], int | float)
        assert round(chapter["startTime"] * 1000) == timing.start_ms
        assert round(chapter["endTime"] * 1000) == timing.end_ms
    assert chapters[-1]["endTime"] * 1000 <= decoded_ms(hygiene.book)


def test_episode_keys_when_given_and_letters_written_as_utf8(hygiene: BuiltLeaflet) -> None:
    data = chapters_json(
        hygiene.timings,
        title="Rene hænder",
        podcast_name="Patientinformation",
        author="Audioleaflet Example Clinic",
        file_name="hand-hygiene.mp3",
    )
    document = json.loads(data)
    assert list(document) == ["version", "author", "title", "podcastName", "fileName", "chapters"]
    assert document["title"] == "Rene hænder"
    assert "Før dit besøg".encode() in data  # not \u00f8 escapes
    assert json.loads(chapters_json(hygiene.timings, title="", author=None)).keys() == {
        "version",
        "chapters",
    }


def test_same_timings_same_bytes(hygiene: BuiltLeaflet, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_chapters_json(first, hygiene.timings, title="Rene hænder")
    write_chapters_json(second, hygiene.timings, title="Rene hænder")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == chapters_json(hygiene.timings, title="Rene hænder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]  # no temporaries
