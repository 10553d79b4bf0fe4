"""`audioleaflet check` on a real build, and on copies of it with one thing broken."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from audioleaflet.cli import cli
from audioleaflet.config.saved import resolve_settings
from audioleaflet.layout import OutputLayout
from audioleaflet.outputs.transcripts import read_srt, read_webvtt
from audioleaflet.programs.ffmpeg import run_ffmpeg
from audioleaflet.publish.web import write_front_page
from audioleaflet.verify import CheckResult, check_output
from tests.conftest import runner
from tests.one_line import assert_one_line_error


@pytest.fixture(scope="module")
def checked(content_build: Path) -> list[CheckResult]:
    return check_output(content_build)


def _copy(content_build: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "output"
    shutil.copytree(content_build, copy)
    return copy


def _failures(folder: Path) -> list[CheckResult]:
    return [row for row in check_output(folder) if not row.ok]


def test_a_fresh_build_passes_every_check(checked: list[CheckResult]) -> None:
    assert [row for row in checked if not row.ok] == []
    kinds = {row.check for row in checked}
    assert {"decode", "chapters", "loudness", "feed enclosure", "feed alternateEnclosure"} <= kinds
    assert {"vtt", "srt", "chapters-json", "daisy"} <= kinds
    loudness = [row.file for row in checked if row.check == "loudness"]
    assert any(name.endswith(".m4b") for name in loudness)
    assert any(name.endswith(".daisy/ch01.mp3") for name in loudness)


def test_the_command_prints_the_table_and_exits_0(
    content_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative folder, as the README runs it: `audioleaflet check output/`.
    monkeypatch.chdir(content_build.parent)
    result = runner().invoke(cli, ["check", content_build.name + "/"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ffmpeg: ffmpeg version ")
    assert "bundled with imageio-ffmpeg" in result.output.splitlines()[0]
    assert result.output.splitlines()[1].split() == ["FILE", "CHECK", "RESULT", "DETAIL"]
    assert re.search(r"^\S+\.m4b\s+loudness\s+ok\s+-1\d\.\d LUFS", result.output, re.MULTILINE)
    assert "all passed" in result.output.splitlines()[-1]


def test_a_truncated_chapter_mp3_fails_naming_it(content_build: Path, tmp_path: Path) -> None:
    output = _copy(content_build, tmp_path)
    chapter = sorted(output.glob("*/*/01-*.mp3"))[0]
    chapter.write_bytes(chapter.read_bytes()[: chapter.stat().st_size // 2])
    name = chapter.relative_to(output).as_posix()
    failures = _failures(output)
    assert [(row.file, row.check) for row in failures] == [(name, "decode")]
    # Cut in the middle of a frame: ffmpeg names the broken frame (our MP3s have no bit
    # reservoir, so its decoder notices the missing data) or, if it does not, the short length.
    detail = failures[0].detail
    assert "truncated" in detail or "decoding error" in detail, detail

    result = runner().invoke(cli, ["check", str(output)])
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(name)}\s+decode\s+FAIL", result.output, re.MULTILINE)
    assert "1 failed" in result.output.splitlines()[-1]


def test_a_truncated_book_fails_its_decode_and_chapters(
    content_build: Path, tmp_path: Path
) -> None:
    output = _copy(content_build, tmp_path)
    book = sorted(output.glob("*/*.mp3"))[0]
    book.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    failed = {(row.file, row.check) for row in _failures(output)}
    name = book.relative_to(output).as_posix()
    assert {(name, "decode"), (name, "chapters")} <= failed
    # The feed still states the old length; the transcripts now run past the audio.
    feed = f"{book.parent.name}/feed.xml"
    assert (feed, "feed enclosure") in failed
    assert (name.replace(".mp3", ".vtt"), "vtt") in failed


def test_a_wrong_length_in_the_feed_fails_naming_feed_and_enclosure(
    content_build: Path, tmp_path: Path
) -> None:
    output = _copy(content_build, tmp_path)
    feed = sorted(output.glob("*/feed.xml"))[0]
    text = feed.read_text(encoding="utf-8")
    length = re.search(r'<enclosure [^>]*length="(\d+)"', text)
    assert length
    feed.write_text(text.replace(f'length="{length[1]}"', 'length="12345"', 1), encoding="utf-8")
    (failure,) = _failures(output)
    assert failure.file == feed.relative_to(output).as_posix()
    assert failure.check == "feed enclosure"
    assert f"{feed.parent.name}/" in failure.detail and ".mp3" in failure.detail
    assert "12345" in failure.detail and length[1] in failure.detail


def test_a_missing_daisy_smil_fails_naming_it(content_build: Path, tmp_path: Path) -> None:
    output = _copy(content_build, tmp_path)
    smil = sorted(output.glob("*/*.daisy/ch02.smil"))[0]
    smil.unlink()
    failures = _failures(output)
    assert failures and all(row.check == "daisy" for row in failures)
    assert any("ch02.smil" in f"{row.file} {row.detail}" for row in failures)
    assert all(row.file.startswith(smil.parent.relative_to(output).as_posix()) for row in failures)


def test_no_output_is_one_error_line(tmp_path: Path) -> None:
    for folder in (tmp_path / "missing", tmp_path):
        assert_one_line_error(runner().invoke(cli, ["check", str(folder)]))


def test_the_transcript_parsers_are_strict() -> None:
    vtt = (
        "WEBVTT\n\nNOTE hi\n\n1.1\n00:00.000 --> 00:01.500\nHello\n\n"
        "00:00:02.000 --> 00:00:03.000\nBye\n"
    )
    assert read_webvtt(vtt) == [(0, 1500), (2000, 3000)]
    for broken in (
        vtt.replace("WEBVTT", "WEBVTX"),
        vtt.replace("00:01.500", "00:01,500"),
        vtt.replace("00:00:02.000", "00:00:00.000").replace("00:00:03.000", "00:00:00.000"),
        vtt + "\n00:00:01.000 --> 00:00:04.000\nBack in time\n",
    ):
        with pytest.raises(ValueError):
            read_webvtt(broken)
    srt = "1\n00:00:00,000 --> 00:00:01,500\nHello\n\n2\n00:00:02,000 --> 00:00:03,000\nBye\n"
    assert read_srt(srt) == [(0, 1500), (2000, 3000)]
    for broken in (srt.replace("2\n", "3\n", 1), srt.replace(",500", ".500"), "1\n"):
        with pytest.raises(ValueError):
            read_srt(broken)


# Faults a damaged cache produces (issue 17): audio that no longer follows its transcript, a
# chapter file that is not its span of the book, feed links that do not match the files.


def _copy_english(content_build: Path, tmp_path: Path) -> Path:
    """One language of the build is enough for these, and a third of the checking."""
    copy = tmp_path / "output"
    shutil.copytree(content_build / "en", copy / "en")
    # The settings it was built with (the QR codes lead under their base_url), and the front
    # page as a build of English alone writes it (the language page links to it).
    shutil.copy2(OutputLayout(content_build).settings, OutputLayout(copy).settings)
    write_front_page(copy, resolve_settings([], copy, None).feed)
    return copy


def _reencode(path: Path, audio_filter: str, tmp_path: Path) -> None:
    """Encode `path` again as the build encodes, through `audio_filter`, keeping its ID3 tags."""
    encoded = tmp_path / "reencoded.mp3"
    run_ffmpeg(
        ["-y", "-i", path, "-map", "0:a", "-af", audio_filter, "-map_metadata", "-1",
         "-ac", "1", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k",
         "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3", encoded]
    )  # fmt: skip
    ID3(path).save(encoded)
    encoded.replace(path)


def _cli_fails_naming(folder: Path, name: str, check: str) -> None:
    result = runner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(name)}\s+{check}\s+FAIL", result.output, re.MULTILINE)


def test_a_fresh_build_checks_speech_and_every_chapter_file(checked: list[CheckResult]) -> None:
    speech = [row for row in checked if row.check == "speech"]
    books = {row.file for row in checked if row.check == "chapters" and row.file.endswith(".mp3")}
    assert {row.file for row in speech} == books and all(row.ok for row in speech)
    assert all("pauses silent" in row.detail for row in speech)
    same = [row for row in checked if row.check == "same as book"]
    chapter_files = {row.file for row in checked if row.check == "decode"
                     if re.fullmatch(r"[a-z]+/[^/]+/\d\d-[^/]+\.mp3", row.file)}  # fmt: skip
    assert {row.file for row in same} == chapter_files and all(row.ok for row in same)


def test_a_cue_without_speech_fails_naming_the_book(content_build: Path, tmp_path: Path) -> None:
    output = _copy_english(content_build, tmp_path)
    book = output / "en" / "blood-pressure-tablets.mp3"
    cues = read_webvtt(book.with_suffix(".vtt").read_text(encoding="utf-8"))
    start, end = cues[len(cues) // 2]
    _reencode(book, f"volume=enable='between(t,{start / 1000},{end / 1000})':volume=0", tmp_path)
    name = "en/blood-pressure-tablets.mp3"
    (row,) = [row for row in _failures(output) if row.check == "speech"]
    assert row.file == name
    assert f"no speech under cue {len(cues) // 2 + 1} of blood-pressure-tablets.vtt" in row.detail
    _cli_fails_naming(output, name, "speech")


def test_audio_out_of_step_with_its_transcript_fails(content_build: Path, tmp_path: Path) -> None:
    """What a truncated clip did (issue 17): the rest of its chapter came early, same length."""
    output = _copy_english(content_build, tmp_path)
    book = output / "en" / "hand-hygiene.mp3"
    start = read_webvtt(book.with_suffix(".vtt").read_text(encoding="utf-8"))[5][0] / 1000
    _reencode(book, f"aselect='not(between(t,{start},{start + 0.5}))',asetpts=N/SR/TB,"
                    "apad=pad_dur=0.5", tmp_path)  # fmt: skip
    (row,) = [row for row in _failures(output) if row.check == "speech"]
    assert row.file == "en/hand-hygiene.mp3"
    assert "out of step with the transcript" in row.detail or "no speech under" in row.detail


def test_a_chapter_file_unlike_its_span_of_the_book_fails(
    content_build: Path, tmp_path: Path
) -> None:
    output = _copy_english(content_build, tmp_path)
    chapter = max((output / "en" / "hand-hygiene").glob("*.mp3"), key=lambda p: p.stat().st_size)
    _reencode(chapter, "volume=enable='between(t,2,3)':volume=0", tmp_path)
    name = chapter.relative_to(output).as_posix()
    failures = _failures(output)
    assert [(row.file, row.check) for row in failures] == [(name, "same as book")]
    assert "differs from chapter" in failures[0].detail and "hand-hygiene.mp3" in failures[0].detail
    _cli_fails_naming(output, name, "same as book")


def test_another_chapter_under_a_chapter_files_name_fails(
    content_build: Path, tmp_path: Path
) -> None:
    output = _copy_english(content_build, tmp_path)
    second, third = sorted((output / "en" / "hand-hygiene").glob("*.mp3"))[1:3]
    shutil.copyfile(third, second)
    name = second.relative_to(output).as_posix()
    (row,) = _failures(output)
    assert (row.file, row.check) == (name, "same as book")
    assert "chapter 2 of en/hand-hygiene.mp3" in row.detail


def test_feed_links_are_checked_in_every_item(content_build: Path, tmp_path: Path) -> None:
    output = _copy_english(content_build, tmp_path)
    feed = output / "en" / "feed.xml"
    text = feed.read_text(encoding="utf-8")
    items = text.split("<item>")
    assert len(items) == 3  # The channel, then two leaflets: the last item is damaged.
    last = items[-1]
    alternate = re.search(r'(<podcast:alternateEnclosure [^>]*length=")(\d+)"', last)
    enclosure = re.search(r'<enclosure url="([^"]+)"', last)
    assert alternate and enclosure
    last = last.replace(alternate[0], f'{alternate[1]}{int(alternate[2]) + 1}"')
    last = last.replace(enclosure[1], enclosure[1].replace(".mp3", "-gone.mp3"))
    feed.write_text("<item>".join([*items[:-1], last]), encoding="utf-8")
    failures = _failures(output)
    assert {(row.file, row.check) for row in failures} == {
        ("en/feed.xml", "feed enclosure"),
        ("en/feed.xml", "feed alternateEnclosure"),
    }
    details = " ".join(row.detail for row in failures)
    assert "-gone.mp3: no such file" in details and f"{int(alternate[2]) + 1}" in details


def test_an_enclosure_whose_type_or_duration_contradicts_its_file_fails(
    content_build: Path, tmp_path: Path
) -> None:
    output = _copy_english(content_build, tmp_path)
    feed = output / "en" / "feed.xml"
    text = feed.read_text(encoding="utf-8")
    durations = re.findall(r"<itunes:duration>([\d:]+)</itunes:duration>", text)
    assert len(durations) == 2
    # The last item states a duration a minute too long; the first calls its M4B an MP3.
    last = text.rindex(f"<itunes:duration>{durations[-1]}<")
    hours, minutes, seconds = (int(n) for n in durations[-1].split(":"))
    longer = f"{hours:02d}:{minutes + 1:02d}:{seconds:02d}"
    text = text[:last] + text[last:].replace(durations[-1], longer, 1)
    text = text.replace(
        'alternateEnclosure type="audio/mp4"', 'alternateEnclosure type="audio/mpeg"', 1
    )
    feed.write_text(text, encoding="utf-8")
    failures = _failures(output)
    assert {(row.file, row.check) for row in failures} == {
        ("en/feed.xml", "feed enclosure"),
        ("en/feed.xml", "feed alternateEnclosure"),
    }
    details = " ".join(row.detail for row in failures)
    assert f"itunes:duration {longer} in the feed" in details
    assert "type='audio/mpeg' in the feed, the file is audio/mp4" in details
