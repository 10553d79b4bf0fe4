"""A real build of content/ and of the Danish shared leaflet: decode, measure, read tags back."""

from __future__ import annotations

import itertools
from pathlib import Path

import mutagen.mp3
from mutagen.id3 import CTOCFlags

from audioleaflet.audio.ffmpeg import run_ffmpeg
from audioleaflet.build import BuildResult
from tests.audio_checks import decoded_ms, ffmpeg_chapter_titles, rms_dbfs

Built = tuple[Path, BuildResult]


def test_content_builds_every_leaflet_and_language(content_build: Built) -> None:
    output, _ = content_build
    books = sorted(p.relative_to(output).as_posix() for p in output.glob("*/*.mp3"))
    assert books == [
        "da/after-colonoscopy.mp3",
        "da/hand-hygiene.mp3",
        "en/blood-pressure-tablets.mp3",
        "en/hand-hygiene.mp3",
        "it/after-colonoscopy.mp3",
        "it/hand-hygiene.mp3",
    ]
    assert sorted(p.parent.name for p in output.glob("*/feed.xml")) == ["da", "en", "it"]
    assert not list(output.rglob(".*partial*")), "temporary files left behind"


def test_every_mp3_decodes_to_its_length_and_is_not_silent(content_build: Built) -> None:
    _, result = content_build
    for built in result.built:
        # Exact: the encoder's delay and padding are recorded and undone by the decoder.
        assert abs(decoded_ms(built.book) - built.audio.duration_ms) < 1
        assert rms_dbfs(built.book) > -35
        for chapter_file, timing in zip(built.chapter_files, built.audio.timings, strict=True):
            assert abs(decoded_ms(chapter_file) - (timing.end_ms - timing.start_ms)) < 1
            assert rms_dbfs(chapter_file) > -35


def test_book_is_mono_64k_with_id3v24_tags(content_build: Built) -> None:
    output, _ = content_build
    audio = mutagen.mp3.MP3(output / "da" / "hand-hygiene.mp3")
    assert (audio.info.channels, audio.info.bitrate, audio.info.sample_rate) == (1, 64000, 44100)
    tags = audio.tags
    assert tags is not None and tags.version == (2, 4, 0)
    assert str(tags["TIT2"]) == "Rene hænder, når du besøger hospitalet"
    assert str(tags["TALB"]) == "Rene hænder, når du besøger hospitalet"
    assert str(tags["TPE1"]) == "Audioleaflet Example Clinic"
    assert str(tags["TLAN"]) == "dan"
    assert str(tags["TDRC"]) == "2026-03-16"
    assert str(tags["TRCK"]) == "1/1"
    assert tags.getall("COMM")[0].text[0].startswith("Sådan vasker")
    cover = tags.getall("APIC")[0]
    assert cover.mime == "image/png" and cover.type == 3 and cover.data[:4] == b"\x89PNG"


def test_chapters_are_contiguous_exact_and_cover_the_file(content_build: Built) -> None:
    _, result = content_build
    for built in result.built:
        tags = mutagen.mp3.MP3(built.book).tags
        assert tags is not None
        (toc,) = tags.getall("CTOC")
        assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
        chaps = {c.element_id: c for c in tags.getall("CHAP")}
        ordered = [chaps[element_id] for element_id in toc.child_element_ids]
        assert len(ordered) == len(built.planned.document.chapters)
        assert ordered[0].start_time == 0
        for before, after in itertools.pairwise(ordered):
            assert before.end_time == after.start_time
        assert ordered[-1].end_time == built.audio.duration_ms
        assert abs(decoded_ms(built.book) - ordered[-1].end_time) < 1
        titles = [str(c.sub_frames["TIT2"]) for c in ordered]
        assert titles == [chapter.title for chapter in built.planned.document.chapters]


def test_ffmpeg_reads_the_chapters_in_order_at_the_exact_times(content_build: Built) -> None:
    _, result = content_build
    built = result.built[0]
    assert ffmpeg_chapter_titles(built.book) == [t.title for t in built.audio.timings]
    # -copyts: report the times as stored, without ffmpeg's shift by the encoder delay.
    metadata = run_ffmpeg(["-copyts", "-i", built.book, "-f", "ffmetadata", "-"])
    starts = [int(line[6:]) for line in metadata.splitlines() if line.startswith("START=")]
    assert starts == [t.start_ms for t in built.audio.timings]


def test_per_chapter_files_are_numbered_and_tagged(content_build: Built) -> None:
    output, _ = content_build
    files = sorted((output / "en" / "blood-pressure-tablets").glob("*.mp3"))
    assert [f.name[:3] for f in files] == ["01-", "02-", "03-", "04-", "05-"]
    assert files[0].name == "01-what-examplopril-does.mp3"
    first = mutagen.mp3.MP3(files[0]).tags
    assert first is not None
    assert str(first["TIT2"]) == "What Examplopril does"
    assert str(first["TALB"]) == "Taking your Examplopril blood pressure tablet"
    assert str(first["TRCK"]) == "1/5"
    assert str(first["TLAN"]) == "eng"


def test_danish_shared_leaflet_chapters_as_players_see_them(danish_build: Built) -> None:
    output, _ = danish_build
    titles = ffmpeg_chapter_titles(output / "da" / "immunonkologi-patientvejledning.mp3")
    assert titles[0] == "Hvorfor denne folder?"
    for expected in (
        "Hvad er immunonkologi?",
        "Hvilke typer kræft virker de imod?",
        "Mere information",
    ):
        assert expected in titles
    assert len(titles) == 10


def test_failed_build_leaves_previous_outputs_intact(content_build: Built, tmp_path: Path) -> None:
    from audioleaflet.atomic import atomic_file

    target = tmp_path / "book.mp3"
    target.write_bytes(b"previous")
    try:
        with atomic_file(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]
