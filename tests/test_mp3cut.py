"""Chapter MP3s cut from the book's frames decode to exactly the book's samples for their span,
and carry a LAME header as ffmpeg would write it (its CRCs, counts and gapless fields), at an
MPEG-1 rate (44.1 kHz, 1152 samples a frame) and at MPEG-2 rates (22.05 and 16 kHz, 576: where
the voices we have speak)."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import mutagen.id3
import mutagen.mp3
import pytest

from audioleaflet.audio.encode import encode_mp3
from audioleaflet.audio.mp3_header import gapless_ms
from audioleaflet.audio.mp3cut import crc16, cut_chapter, read_book
from audioleaflet.audio.pcm import write_wav
from audioleaflet.errors import ToolError
from audioleaflet.programs.ffmpeg import decode_pcm

RATE = 22050
SECONDS = 6
SIDE_INFO = {44100: 17, 22050: 9, 16000: 9}
"""Bytes of mono side information after a frame's header: MPEG-1 17, MPEG-2 9."""


@pytest.fixture(scope="module", params=sorted(SIDE_INFO))
def book(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Six seconds of a gliding tone (never silent, so every sample tells), encoded as ours are,
    at the MP3 rate in `request.param` (the file's name says which)."""
    folder = tmp_path_factory.mktemp(f"mp3cut-{request.param}")
    frames = RATE * SECONDS
    samples = (
        round(8000 * math.sin(2 * math.pi * (200 + i / 100) * i / RATE)) for i in range(frames)
    )
    wav = folder / "tone.wav"
    write_wav(wav, struct.pack(f"<{frames}h", *samples), RATE)
    mp3 = folder / f"book-{request.param}.mp3"
    encode_mp3([wav], mp3, request.param)
    return mp3


def _rate(book: Path) -> int:
    return int(book.stem.split("-")[1])


def _samples(path: Path, rate: int) -> bytes:
    return decode_pcm(path, rate)


@pytest.mark.parametrize(
    ("start_ms", "end_ms"), [(0, 1000), (1000, 2340), (2340, 4020), (4020, 6000)]
)
def test_a_cut_chapter_decodes_to_its_span_of_the_book(
    book: Path, tmp_path: Path, start_ms: int, end_ms: int
) -> None:
    rate = _rate(book)
    whole = _samples(book, rate)
    start, end = start_ms * rate // 1000, end_ms * rate // 1000
    chapter = tmp_path / "chapter.mp3"
    cut_chapter(book, read_book(book), start, end, chapter)
    cut = _samples(chapter, rate)
    assert len(cut) == (end - start) * 2
    # The first frame decodes cold (no overlap from the frame before), so its samples may differ
    # (here, where the tone is loud; a chapter starts in silence, where they do not audibly);
    # everything after it is the book's, sample for sample.
    settle = 2 * 1152 * 2
    assert cut[settle:] == whole[start * 2 + settle : end * 2]


def test_the_header_is_what_ffmpeg_writes_for_the_same_frames(book: Path, tmp_path: Path) -> None:
    """A chapter's Info frame is the book's own but for what it says about the chapter's frames:
    their count and bytes, the seek table, the gapless delay and padding (checked by decoding,
    above), the music length and CRC and the tag CRC, each right for the file written."""
    frames = read_book(book)
    rate = _rate(book)
    chapter = tmp_path / "chapter.mp3"
    count = cut_chapter(book, frames, rate // 3, rate * 4, chapter)
    ours, theirs = chapter.read_bytes(), book.read_bytes()
    info = 4 + SIDE_INFO[rate]
    lame = info + 120
    size = len(frames.info)
    assert ours[info : info + 4] == b"Info" and ours[:size].startswith(theirs[: info + 8])
    assert struct.unpack(">II", ours[info + 8 : info + 16]) == (count, len(ours))
    toc = list(ours[info + 16 : info + 116])
    assert toc == sorted(toc)  # A seek table only goes forwards.
    assert ours[info + 116 : lame + 21] == theirs[info + 116 : lame + 21]
    assert ours[lame + 24 : lame + 28] == theirs[lame + 24 : lame + 28]
    music_length, music_crc, tag_crc = struct.unpack(">IHH", ours[lame + 28 : lame + 36])
    assert music_length == len(ours) and music_crc == crc16(ours[size:])
    assert ours[lame + 36 : size] == theirs[lame + 36 : size]
    for data in (ours, theirs):  # The tag CRC as ffmpeg computes it, over our header too.
        zeroed = data[: lame + 34] + b"\0\0" + data[lame + 36 : 190]
        assert crc16(zeroed) == struct.unpack(">H", data[lame + 34 : lame + 36])[0]
    assert tag_crc == crc16(ours[: lame + 34] + b"\0\0" + ours[lame + 36 : 190])


def test_a_span_past_the_end_of_the_book_is_refused(book: Path, tmp_path: Path) -> None:
    frames = read_book(book)
    end = (SECONDS + 1) * _rate(book)
    with pytest.raises(ToolError, match="ends before sample"):
        cut_chapter(book, frames, 0, end, tmp_path / "too-long.mp3")


def test_the_stated_delay_and_padding_are_what_a_header_length_counts_beyond_the_audio(
    book: Path, tmp_path: Path
) -> None:
    """A player that takes an MP3's length from its frame count (mutagen, ffmpeg 5.1) finds the
    LAME tag's delay and padding beyond the audio: `check` allows for exactly that much."""
    rate = _rate(book)
    chapter = tmp_path / "chapter.mp3"
    start, end = rate // 3 + 17, rate * 5 + 5
    cut_chapter(book, read_book(book), start, end, chapter)
    stated_ms = mutagen.mp3.MP3(chapter).info.length * 1000
    assert stated_ms - gapless_ms(chapter) == pytest.approx((end - start) * 1000 / rate, abs=0.01)
    tagged = mutagen.mp3.MP3(chapter)
    tagged.add_tags()
    assert tagged.tags is not None
    tagged.tags.add(mutagen.id3.TIT2(text=["A chapter title"]))
    tagged.save()
    assert chapter.read_bytes()[:3] == b"ID3"
    assert stated_ms - gapless_ms(chapter) == pytest.approx((end - start) * 1000 / rate, abs=0.01)
    assert gapless_ms(tmp_path / "missing.mp3") == 0.0
