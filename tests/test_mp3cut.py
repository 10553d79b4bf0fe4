"""Chapter MP3s cut from the book's frames decode to exactly the book's samples for their span,
and carry a LAME header as ffmpeg would write it (its CRCs, counts and gapless fields)."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest

from audioleaflet.audio.encode import MP3_SAMPLE_RATE, encode_mp3
from audioleaflet.audio.mp3cut import crc16, cut_chapter, read_book
from audioleaflet.audio.pcm import write_wav
from audioleaflet.errors import ToolError
from audioleaflet.programs.ffmpeg import decode_pcm

RATE = 22050
SECONDS = 6


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six seconds of a gliding tone (never silent, so every sample tells), encoded as ours are."""
    folder = tmp_path_factory.mktemp("mp3cut")
    frames = RATE * SECONDS
    samples = (
        round(8000 * math.sin(2 * math.pi * (200 + i / 100) * i / RATE)) for i in range(frames)
    )
    wav = folder / "tone.wav"
    write_wav(wav, struct.pack(f"<{frames}h", *samples), RATE)
    mp3 = folder / "book.mp3"
    encode_mp3([wav], mp3)
    return mp3


def _samples(path: Path) -> bytes:
    return decode_pcm(path, MP3_SAMPLE_RATE)


@pytest.mark.parametrize(
    ("start_ms", "end_ms"), [(0, 1000), (1000, 2340), (2340, 4020), (4020, 6000)]
)
def test_a_cut_chapter_decodes_to_its_span_of_the_book(
    book: Path, tmp_path: Path, start_ms: int, end_ms: int
) -> None:
    whole = _samples(book)
    start, end = start_ms * MP3_SAMPLE_RATE // 1000, end_ms * MP3_SAMPLE_RATE // 1000
    chapter = tmp_path / "chapter.mp3"
    cut_chapter(book, read_book(book), start, end, chapter)
    cut = _samples(chapter)
    assert len(cut) == (end - start) * 2
    # The first frame decodes cold (no overlap from the frame before), so its samples may differ
    # (here, where the tone is loud; a chapter starts in silence, where they do not audibly);
    # everything after it is the book's, sample for sample.
    settle = 2 * 1152 * 2
    assert cut[settle:] == whole[start * 2 + settle : end * 2]


def test_the_header_is_what_ffmpeg_writes_for_the_same_frames(book: Path, tmp_path: Path) -> None:
    """Cut the whole book: it must come back byte for byte, but for the seek table (ours is
    computed from the frames, ffmpeg's from its own seek points) and the tag CRC over it."""
    frames = read_book(book)
    total = len(_samples(book)) // 2
    again = tmp_path / "again.mp3"
    cut_chapter(book, frames, 0, total, again)
    ours, theirs = again.read_bytes(), book.read_bytes()
    toc = slice(21 + 16, 21 + 116)
    assert len(ours) == len(theirs) and ours[toc.stop : 175] == theirs[toc.stop : 175]
    assert ours[: toc.start] == theirs[: toc.start] and ours[177:] == theirs[177:]
    assert list(ours[toc]) == sorted(ours[toc])  # A seek table only goes forwards.
    for data in (ours, theirs):  # The tag CRC as ffmpeg computes it, over our header too.
        assert crc16(data[:175] + b"\0\0" + data[177:190]) == struct.unpack(">H", data[175:177])[0]


def test_a_span_past_the_end_of_the_book_is_refused(book: Path, tmp_path: Path) -> None:
    frames = read_book(book)
    end = (SECONDS + 1) * MP3_SAMPLE_RATE
    with pytest.raises(ToolError, match="ends before sample"):
        cut_chapter(book, frames, 0, end, tmp_path / "too-long.mp3")
