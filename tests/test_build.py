"""A real build of content/ and of the Danish shared leaflet: decode, measure, read tags back."""

from __future__ import annotations

import itertools
from pathlib import Path

import mutagen.mp3
import pytest
from mutagen.id3 import CTOCFlags

from audioleaflet.atomic import atomic_file, atomic_folder
from audioleaflet.planning.plan import plan
from audioleaflet.programs.ffmpeg import run_ffmpeg
from audioleaflet.readers.sources import find_leaflets
from tests.audio_checks import decoded_ms, ffmpeg_chapter_titles, rms_dbfs
from tests.conftest import CONTENT, cli_build, episodes


def planned_chapters() -> dict[tuple[str, str], list[str]]:
    """Chapter titles per (lang, slug), straight from the text, without the build."""
    return {
        (item.text.lang, item.leaflet.slug): [title for title, _sentences in item.chapters]
        for item in plan(find_leaflets([CONTENT]))
    }


def test_every_leaflet_opens_with_its_title_organisation_version_and_date() -> None:
    for item in plan(find_leaflets([CONTENT])):
        (first_title, intro), *rest = item.chapters
        assert first_title == item.title
        assert [title for title, _ in rest] == [c.title for c in item.document.chapters]
        sources = [s.source for s in intro]
        assert sources[0] == item.title
        assert any(item.leaflet.organisation in s for s in sources if item.leaflet.organisation)
        assert item.leaflet.date.isoformat() in sources[-1]
        if item.leaflet.version:
            assert any(item.leaflet.version in s for s in sources)
        assert all(not any(ch.isdigit() for ch in s.text) for s in intro)  # all said as words


def test_content_builds_every_leaflet_and_language(content_build: Path) -> None:
    output = content_build
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


def test_every_mp3_decodes_to_its_length_and_is_not_silent(content_build: Path) -> None:
    for episode in episodes(content_build):
        lang_dir = content_build / episode.lang
        book = lang_dir / episode.audio_file
        # Exact: the encoder's delay and padding are recorded and undone by the decoder.
        assert abs(decoded_ms(book) - episode.duration_ms) < 1
        assert rms_dbfs(book) > -35
        files = sorted((lang_dir / episode.slug).glob("*.mp3"))
        assert len(files) == len(episode.chapters)
        for chapter_file, timing in zip(files, episode.chapters, strict=True):
            assert abs(decoded_ms(chapter_file) - (timing.end_ms - timing.start_ms)) < 1
            assert rms_dbfs(chapter_file) > -35


def test_book_is_mono_64k_at_the_voices_rate_with_id3v24_tags(content_build: Path) -> None:
    audio = mutagen.mp3.MP3(content_build / "da" / "hand-hygiene.mp3")
    # espeak-ng speaks at 22.05 kHz: the MP3 keeps that rate (MPEG-2 Layer III).
    assert (audio.info.channels, audio.info.bitrate, audio.info.sample_rate) == (1, 64000, 22050)
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


def test_chapters_are_contiguous_exact_and_cover_the_file(content_build: Path) -> None:
    expected_titles = planned_chapters()
    for episode in episodes(content_build):
        book = content_build / episode.lang / episode.audio_file
        tags = mutagen.mp3.MP3(book).tags
        assert tags is not None
        (toc,) = tags.getall("CTOC")
        assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
        chaps = {c.element_id: c for c in tags.getall("CHAP")}
        ordered = [chaps[element_id] for element_id in toc.child_element_ids]
        titles = [str(c.sub_frames["TIT2"]) for c in ordered]
        assert titles == expected_titles[(episode.lang, episode.slug)]
        assert ordered[0].start_time == 0
        for before, after in itertools.pairwise(ordered):
            assert before.end_time == after.start_time
        assert ordered[-1].end_time == episode.duration_ms
        assert abs(decoded_ms(book) - ordered[-1].end_time) < 1


def test_ffmpeg_reads_the_chapters_in_order_at_the_exact_times(content_build: Path) -> None:
    for episode in episodes(content_build):
        book = content_build / episode.lang / episode.audio_file
        assert ffmpeg_chapter_titles(book) == [t.title for t in episode.chapters]
        # -copyts: the times as stored, without ffmpeg's shift by the encoder delay.
        metadata = run_ffmpeg(["-copyts", "-i", book, "-f", "ffmetadata", "-"])
        starts = [int(line[6:]) for line in metadata.splitlines() if line.startswith("START=")]
        assert starts == [t.start_ms for t in episode.chapters]


def test_per_chapter_files_are_numbered_and_tagged(content_build: Path) -> None:
    files = sorted((content_build / "en" / "blood-pressure-tablets").glob("*.mp3"))
    assert [f.name[:3] for f in files] == ["01-", "02-", "03-", "04-", "05-", "06-"]
    assert files[0].name == "01-taking-your-examplopril-blood-pressure-tablet.mp3"
    assert files[1].name == "02-what-examplopril-does.mp3"
    first = mutagen.mp3.MP3(files[1]).tags
    assert first is not None
    assert str(first["TIT2"]) == "What Examplopril does"
    assert str(first["TALB"]) == "Taking your Examplopril blood pressure tablet"
    assert str(first["TRCK"]) == "2/6"
    assert str(first["TLAN"]) == "eng"


def test_danish_shared_leaflet_chapters_as_players_see_them(danish_build: Path) -> None:
    book = danish_build / "da" / "immunonkologi-patientvejledning.mp3"
    titles = ffmpeg_chapter_titles(book)
    assert titles[0] == "Hvorfor denne folder?"
    for expected in ("Hvad er immunonkologi?", "Hvilke typer kræft virker de imod?"):
        assert expected in titles
    assert titles[-2:] == ["Mere information", "Om denne folder"]
    assert len(titles) == 10
    (episode,) = episodes(danish_build)
    assert abs(decoded_ms(book) - episode.duration_ms) < 1


def test_a_text_without_headings_is_one_chapter_named_after_the_leaflet(tmp_path: Path) -> None:
    source = tmp_path / "ring-til-os.da.txt"
    source.write_text("Ring til os, hvis du har spørgsmål.\n", encoding="utf-8")
    (item,) = plan(find_leaflets([source]))
    assert [c.title for c in item.document.chapters] == ["Ring til os"]


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "book.mp3"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_folder_write_leaves_the_previous_folder(tmp_path: Path) -> None:
    target = tmp_path / "chapters"
    target.mkdir()
    (target / "01-old.mp3").write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_folder(target) as tmp:
        (tmp / "01-new.mp3").write_bytes(b"new")
        raise RuntimeError("killed")
    assert [p.name for p in target.iterdir()] == ["01-old.mp3"]
    with atomic_folder(target) as tmp:
        (tmp / "01-new.mp3").write_bytes(b"new")
    assert [p.name for p in target.iterdir()] == ["01-new.mp3"]
    assert list(tmp_path.iterdir()) == [target]


def test_builds_are_byte_identical_whatever_the_job_count(tmp_path: Path) -> None:
    source = str(CONTENT / "hand-hygiene")
    # Separate caches: both builds really speak every sentence.
    for name, jobs in (("one", "1"), ("two", "2")):
        cache = str(tmp_path / f"cache-{name}")
        cli_build(
            source, "--lang", "it", "--jobs", jobs, "-o", str(tmp_path / name), "--cache-dir", cache
        )

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert not any(name.startswith("cache") for name in one)
    assert len(one) > 5 and one == two


def test_danish_shared_leaflet_audio_is_speech_in_every_chapter(danish_build: Path) -> None:
    (episode,) = episodes(danish_build)
    files = sorted((danish_build / "da" / episode.slug).glob("*.mp3"))
    assert len(files) == len(episode.chapters) == 10
    for chapter_file, timing in zip(files, episode.chapters, strict=True):
        assert abs(decoded_ms(chapter_file) - (timing.end_ms - timing.start_ms)) < 1
        assert rms_dbfs(chapter_file) > -35
    assert rms_dbfs(danish_build / "da" / episode.audio_file) > -35


def test_a_kill_between_the_folder_renames_is_repaired(tmp_path: Path) -> None:
    from audioleaflet.atomic import remove_leftovers

    # What a kill between "move the old folder aside" and "move the new one in" leaves.
    aside = tmp_path / ".chapters.old-999999999"
    aside.mkdir()
    (aside / "01-old.mp3").write_bytes(b"old")
    (tmp_path / ".chapters.partial-999999999").mkdir()
    remove_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chapters"]
    assert (tmp_path / "chapters" / "01-old.mp3").read_bytes() == b"old"


def test_another_running_builds_temporaries_are_left_alone(tmp_path: Path) -> None:
    import os

    from audioleaflet.atomic import remove_leftovers

    parent = os.getppid()  # Alive for as long as this test runs, and not us.
    live = tmp_path / f".book.mp3.partial-{parent}"
    live.write_bytes(b"being written")
    dead = tmp_path / ".book.mp3.partial-999999999"
    dead.write_bytes(b"left by a kill")
    remove_leftovers(tmp_path)
    assert live.exists() and not dead.exists()


def test_sentence_timings_mark_speech_and_the_pauses_between_are_silent(tmp_path: Path) -> None:
    from array import array

    from audioleaflet.build import build
    from audioleaflet.config.saved import resolve_settings
    from audioleaflet.programs.ffmpeg import decode_pcm

    source = CONTENT / "hand-hygiene"
    out = tmp_path / "out"
    result = build([source], out, resolve_settings([source], out, None), lang="en")
    (leaflet,) = result.built
    samples = array("h")
    samples.frombytes(decode_pcm(leaflet.book, 44100))

    def loudest(start_ms: int, end_ms: int) -> int:
        span = samples[start_ms * 441 // 10 : end_ms * 441 // 10]
        return max((abs(s) for s in span), default=0)

    said = [s for chapter in leaflet.timings for s in chapter.sentences]
    spoken = [s for item in leaflet.planned.chapters for s in item[1]]
    assert [s.text for s in said] == [s.text for s in spoken]
    for chapter in leaflet.timings:
        assert chapter.sentences[0].start_ms == chapter.start_ms
        assert chapter.sentences[-1].end_ms <= chapter.end_ms
    for before, after in itertools.pairwise(said):
        assert before.start_ms < before.end_ms <= after.start_ms
        assert loudest(before.start_ms, before.end_ms) > 3000  # speech
        # The pause between two sentences, less a few ms for the MP3 codec's smearing.
        if after.start_ms - before.end_ms > 60:
            assert loudest(before.end_ms + 25, after.start_ms - 25) < 600
