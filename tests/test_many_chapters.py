"""More chapters than one ID3 table of contents can count (255): nested CTOCs, end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from mutagen.id3 import ID3, CTOCFlags

from audioleaflet.audio.tags import (
    CTOC_MAX_ENTRIES,
    MAX_CHAPTERS,
    Tags,
    check_chapter_count,
    read_mp3_chapters,
    write_mp3_tags,
)
from audioleaflet.errors import InputError
from audioleaflet.model import ChapterTiming
from audioleaflet.programs.ffmpeg import run_ffmpeg
from audioleaflet.verify import check_output
from audioleaflet.verify.daisy import validate_daisy
from tests.audio_checks import ffmpeg_chapter_titles
from tests.leaflet_builds import build_leaflet

TAGS = Tags(title="Bog", album="Bog", language="dan", date="2026-01-01", track=1, track_total=1)


def _timings(count: int, step_ms: int = 100) -> list[ChapterTiming]:
    return [ChapterTiming(f"Kapitel {i + 1}", i * step_ms, (i + 1) * step_ms) for i in range(count)]


@pytest.fixture(scope="module")
def tone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minute of MP3: room for 600 chapters of 100 ms."""
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=f=440:d=60", "-ac", "1", "-b:a", "64k", path])
    return path


def _tagged(tone: Path, folder: Path, count: int) -> Path:
    mp3 = folder / f"{count}.mp3"
    mp3.write_bytes(tone.read_bytes())
    write_mp3_tags(mp3, TAGS, _timings(count), "Kapitler")
    return mp3


def test_600_chapters_are_written_and_read_back_in_order(tone: Path, tmp_path: Path) -> None:
    mp3 = _tagged(tone, tmp_path, 600)
    assert read_mp3_chapters(mp3) == _timings(600)
    tocs = ID3(mp3).getall("CTOC")
    (top,) = [toc for toc in tocs if toc.flags & CTOCFlags.TOP_LEVEL]
    assert top.child_element_ids == ["toc1", "toc2", "toc3"]
    children = {toc.element_id: toc for toc in tocs if toc is not top}
    assert [len(children[i].child_element_ids) for i in top.child_element_ids] == [255, 255, 90]
    assert all(children[i].flags & CTOCFlags.ORDERED for i in top.child_element_ids)
    assert str(children["toc2"].sub_frames["TIT2"]) == "Kapitler 256–510"
    # ffmpeg (and mpv, VLC, AntennaPod) ignore the CTOC and list the CHAP frames as they lie.
    assert ffmpeg_chapter_titles(mp3) == [t.title for t in _timings(600)]
    # A reader that takes the first CTOC in the tag for the table of contents finds the top.
    data = mp3.read_bytes()
    first = data.index(b"CTOC")
    assert data[first + 10 : first + 14] == b"toc\0"


def test_255_chapters_keep_the_flat_table_every_player_knows(tone: Path, tmp_path: Path) -> None:
    mp3 = _tagged(tone, tmp_path, CTOC_MAX_ENTRIES)
    (toc,) = ID3(mp3).getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and len(toc.child_element_ids) == 255
    assert read_mp3_chapters(mp3) == _timings(255)


def test_a_chapter_left_out_of_the_nested_table_is_found(tone: Path, tmp_path: Path) -> None:
    mp3 = _tagged(tone, tmp_path, 300)
    id3 = ID3(mp3)
    (second,) = [toc for toc in id3.getall("CTOC") if toc.element_id == "toc2"]
    second.child_element_ids = second.child_element_ids[1:]
    id3.save(mp3, v2_version=4)
    with pytest.raises(ValueError, match="1 CHAP frames are not in the table of contents"):
        read_mp3_chapters(mp3)


def test_more_chapters_than_id3_can_list_are_refused_before_any_audio() -> None:
    check_chapter_count(MAX_CHAPTERS, "x.txt")
    with pytest.raises(InputError, match=r"^x\.txt: 65026 chapters, .* at most 65025; "):
        check_chapter_count(MAX_CHAPTERS + 1, "x.txt")


def test_a_leaflet_of_300_chapters_builds_and_checks_in_every_format(tmp_path: Path) -> None:
    source = tmp_path / "da-mange.md"
    body = "".join(f"## Afsnit {n}\n\nTag en pille.\n\n" for n in range(1, 300))
    source.write_text(f"# Mange afsnit\n\n{body}", encoding="utf-8")
    out = tmp_path / "out"
    built = build_leaflet(source, out, "da")
    # The file's title is said first, in a chapter of its own: 300 chapters in all.
    titles = ["Mange afsnit", *(f"Afsnit {n}" for n in range(1, 300))]
    assert [t.title for t in built.timings] == titles

    assert [c.title for c in read_mp3_chapters(built.book)] == titles
    assert ffmpeg_chapter_titles(built.book) == titles
    # The M4B's QuickTime chapter track (what Apple and ffmpeg read) holds every chapter.
    assert ffmpeg_chapter_titles(built.book.with_suffix(".m4b")) == titles
    document = json.loads(built.book.with_suffix(".chapters.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in document["chapters"]] == titles
    assert [p.name[:4] for p in built.chapter_files] == [f"{n:03d}-" for n in range(1, 301)]
    ncc = etree.parse(str(out / "da" / "mange.daisy" / "ncc.html"))
    headings = ncc.getroot().iterfind(".//{http://www.w3.org/1999/xhtml}h1")
    assert [h.findtext("{http://www.w3.org/1999/xhtml}a") for h in headings] == titles

    # `check` on the book MP3 and M4B, their feed, transcripts and chapters JSON; the 600
    # chapter MP3s (each also in the DAISY book) are left out, as decoding them all is slow.
    shutil.rmtree(out / "da" / "mange")
    daisy = out / "da" / "mange.daisy"
    shutil.move(daisy, tmp_path / "mange.daisy")
    rows = check_output(out)
    assert [row for row in rows if not row.ok] == []
    chapter_rows = [row for row in rows if row.check == "chapters"]
    assert [row.file for row in chapter_rows] == ["da/mange.m4b", "da/mange.mp3"]
    assert {row.detail.split(",")[0] for row in chapter_rows} == {"300 chapters"}
    # The DAISY book's 300 SMIL files against the lengths of the chapters they play.
    lengths = {f"ch{n:03d}.mp3": t.end_ms - t.start_ms for n, t in enumerate(built.timings, 1)}
    assert validate_daisy(tmp_path / "mange.daisy", lambda mp3: lengths.get(mp3.name)) == []
