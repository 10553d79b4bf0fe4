"""The M4B talking book from a real build: chapters, tags and cover read back, audio decoded."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
from array import array
from pathlib import Path

import mutagen.mp4
import pytest

from audioleaflet.audio.tags import Tags
from audioleaflet.build import BuiltLeaflet
from audioleaflet.errors import ToolError
from audioleaflet.model import ChapterTiming
from audioleaflet.programs.ffmpeg import decode_pcm, run_ffmpeg
from tests.audio_checks import RATE, decoded_ms, rms_dbfs, write_tagged_m4b
from tests.conftest import CONTENT
from tests.leaflet_builds import HAND_HYGIENE, build_leaflet

COVER = CONTENT / "cover.png"
# A title with every character FFMETADATA must escape, to see it arrive whole.
ODD_TITLE = "Før; #1 = a\\b"

TAGS = Tags(
    title="Rene hænder, når du besøger hospitalet",
    album="Rene hænder & hospitaler",
    language="dan",
    date="2026-03-16",
    track=1,
    track_total=3,
    artist="Audioleaflet Example Clinic",
    comment="Sådan vasker du hænderne. Voice: espeak:da.",
    genre="Audiobook",
    voice="espeak:da",
)


@dataclasses.dataclass(frozen=True)
class Book:
    built: BuiltLeaflet
    timings: tuple[ChapterTiming, ...]
    path: Path


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    folder = tmp_path_factory.mktemp("m4b")
    built = build_leaflet(HAND_HYGIENE, folder / "out", "da")
    first = dataclasses.replace(built.timings[0], title=ODD_TITLE)
    timings = (first, *built.timings[1:])
    path = folder / "book.m4b"
    write_tagged_m4b(path, built.chapter_files, timings, TAGS, cover=COVER)
    return Book(built, timings, path)


def ffmpeg_chapters(path: Path) -> list[tuple[int, int, str]]:
    """(start ms, end ms, title) of each chapter as ffmpeg reads it, whatever its time base."""
    metadata = run_ffmpeg(["-i", path, "-f", "ffmetadata", "-"])
    chapters = []
    for block in metadata.split("[CHAPTER]\n")[1:]:
        fields = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        numerator, denominator = (int(n) for n in fields["TIMEBASE"].split("/"))
        start, end = (int(fields[key]) * numerator * 1000 / denominator for key in ("START", "END"))
        # FFMETADATA escapes `=`, `;`, `#` and `\\` with a backslash; the split above stops at
        # the first `=`, which is the key's, since the title's own are escaped.
        chapters.append((round(start), round(end), re.sub(r"\\(.)", r"\1", fields["title"])))
    return chapters


def test_chapters_are_where_the_timings_say(book: Book) -> None:
    # Exact to the ms: the marks go in with a 1/1000 time base and come back (in samples at
    # 44.1 kHz) as the same instants, because the edit list hides the AAC priming.
    assert ffmpeg_chapters(book.path) == [(c.start_ms, c.end_ms, c.title) for c in book.timings]
    # The Nero chpl atom as well, which is what mutagen (and many players) read.
    chapters = mutagen.mp4.MP4(book.path).chapters
    assert chapters is not None
    assert [(round(c.start * 1000), c.title) for c in chapters] == [
        (c.start_ms, c.title) for c in book.timings
    ]


def test_audio_is_the_book_and_speech_lies_in_the_sentence_spans(book: Book) -> None:
    # The decoder drops the 1024 priming samples and the final frame's padding (edit list), so
    # the length is the book's; 1 ms allows for rounding to whole samples.
    assert abs(decoded_ms(book.path) - book.built.duration_ms) <= 1
    assert rms_dbfs(book.path) > -35
    samples = array("h")
    samples.frombytes(decode_pcm(book.path, RATE))

    def loudest(start_ms: int, end_ms: int) -> int:
        span = samples[start_ms * RATE // 1000 : end_ms * RATE // 1000]
        return max((abs(s) for s in span), default=0)

    # Any shift of the audio against the timings (a priming offset, a gap between inputs) would
    # put speech into the pauses. AAC smears a transient over a frame (23 ms) either side.
    said = [s for chapter in book.timings for s in chapter.sentences]
    for before, after in itertools.pairwise(said):
        assert loudest(before.start_ms, before.end_ms) > 3000
        if after.start_ms - before.end_ms > 100:
            assert loudest(before.end_ms + 30, after.start_ms - 30) < 600


def test_tags_cover_and_language_are_read_back(book: Book) -> None:
    tags = mutagen.mp4.MP4(book.path).tags
    assert tags is not None
    assert tags["\xa9nam"] == [TAGS.title]
    assert tags["\xa9alb"] == [TAGS.album]
    assert tags["\xa9ART"] == [TAGS.artist]
    assert tags["\xa9day"] == [TAGS.date]
    assert tags["\xa9gen"] == ["Audiobook"]
    assert tags["\xa9cmt"] == [TAGS.comment]
    assert tags["\xa9nrt"] == ["espeak:da"]  # the narrator
    assert tags["trkn"] == [(1, 3)]
    assert tags["stik"] == [2]  # iTunes media kind: audiobook
    (cover,) = tags["covr"]
    assert bytes(cover) == COVER.read_bytes()
    assert cover.imageformat == mutagen.mp4.MP4Cover.FORMAT_PNG
    described = run_ffmpeg(["-i", book.path, "-map", "0:a", "-c", "copy", "-f", "null", "-"],
                           quiet=False)  # fmt: skip
    assert re.search(r"Stream #0:0\S*\(dan\): Audio: aac", described)
    # No creation time and no encoder version: they would make every build's bytes differ.
    assert "creation_time" not in described
    assert "Lavf" not in described.split("Output #0")[0]


def test_two_writes_are_byte_identical(book: Book, tmp_path: Path) -> None:
    again = tmp_path / "again.m4b"
    write_tagged_m4b(again, book.built.chapter_files, book.timings, TAGS, cover=COVER)
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (book.path, again)}
    assert len(digests) == 1, digests


def test_wav_inputs_give_the_same_chapters_and_length(book: Book, tmp_path: Path) -> None:
    # In the build the inputs may be the chapter WAVs rather than the chapter MP3s; WAVs start
    # at time 0 where MP3s start at minus the encoder delay, and both must line up the same.
    wavs = []
    for number, mp3 in enumerate(book.built.chapter_files):
        wav = tmp_path / f"{number}.wav"
        run_ffmpeg(["-i", mp3, "-map", "0:a", "-c:a", "pcm_s16le", "-ac", "1", wav])
        wavs.append(wav)
    dest = tmp_path / "from-wavs.m4b"
    write_tagged_m4b(dest, wavs, book.timings, dataclasses.replace(TAGS, cover=COVER))
    assert ffmpeg_chapters(dest) == [(c.start_ms, c.end_ms, c.title) for c in book.timings]
    assert abs(decoded_ms(dest) - book.built.duration_ms) <= 1
    covers = (mutagen.mp4.MP4(dest).tags or {})["covr"]
    assert [bytes(c) for c in covers] == [COVER.read_bytes()]  # `cover` defaults to tags.cover


def test_a_failed_encode_leaves_the_previous_book(book: Book, tmp_path: Path) -> None:
    dest = tmp_path / "book.m4b"
    dest.write_bytes(book.path.read_bytes())
    not_audio = tmp_path / "chapter.wav"
    not_audio.write_text("not audio at all", encoding="utf-8")
    with pytest.raises(ToolError, match="ffmpeg failed"):
        write_tagged_m4b(dest, [not_audio], book.timings, TAGS)
    assert dest.read_bytes() == book.path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.m4b", "chapter.wav"]


def test_timings_out_of_order_are_refused_before_encoding(book: Book, tmp_path: Path) -> None:
    swapped = (book.timings[1], book.timings[0], *book.timings[2:])
    with pytest.raises(ValueError, match="out of order"):
        write_tagged_m4b(tmp_path / "book.m4b", book.built.chapter_files, swapped, TAGS)
    assert list(tmp_path.iterdir()) == []
