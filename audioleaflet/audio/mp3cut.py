"""Chapter MP3s cut out of the book MP3, frame by frame: one encode makes both.

The book is one continuous LAME stream (`encode.py`), MPEG-1 (32-48 kHz, 1152 samples a frame)
or MPEG-2 (16-24 kHz, 576), encoded without the bit reservoir, so every frame holds its own data
and a run of frames decodes on its own. A chapter spanning samples [a, b) of the book's input
comes out of the encoder at [a + delay, ...) in the frames' own sample positions, where delay is
the encoder's, as the book's LAME header states it (576); its file takes the frames covering
that span behind a Xing/LAME "Info" frame of its own, whose delay and padding say exactly which
samples to drop at each end.
A decoder that honours the LAME header (ffmpeg does, and so do the players that play gapless)
then gives back the book's samples [a, b): exactly, but for the first frame, where a decoder
starting cold lacks the previous frame's overlap; a chapter starts in the silence of the pause
before it and its heading's own lead-in, where that came to a few units of 16-bit PCM
(measured). So a chapter file and its chapter of the book are the same audio, not two encodes
of it. No lead frame is taken: ffmpeg 5.1 states a file's length without the padding, which
must stay within `check`'s 50 ms (it comes to 20-40 ms on the Danish leaflet).

The Info frame is the book's own, with the frame and byte counts, the seek table, the delay and
padding, the music length and both CRCs written for the chapter. Music CRCs are CRC-16/ARC of
the audio frames; they are computed frame by frame with numpy and combined (CRC is linear), so
cutting an hour-long book costs a fraction of a second and never holds the book in memory.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from audioleaflet.audio.mp3_header import (
    INFO_LENGTH,
    FrameVersion,
    frame_size,
    frame_version,
    gapless_field,
)
from audioleaflet.errors import ToolError

DECODER_DELAY = 529
"""The decoder's own delay (its filter bank), which decoders add to the header's delay: input
sample i comes out of a decoder at the header's delay + DECODER_DELAY + i, so the frames of a
chapter must reach that far past its last sample."""
_FIELD_MAX = 4095  # The LAME header's delay and padding fields are 12 bits each.
_TAG_CRC_SPAN = 190
_CHUNK_FRAMES = 4096


def _frame_size(header: bytes, version: FrameVersion) -> int:
    if frame_version(header) is not version:
        raise ToolError(f"an MP3 frame of another MPEG version: {header.hex()}")
    return frame_size(header, version)


def _crc_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint32)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table[byte] = crc
    return table


_TABLE = _crc_table()
_TABLE_LIST: list[int] = _TABLE.tolist()  # Python ints: much faster than numpy one at a time.


def crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16/ARC, as the LAME header's CRCs are."""
    table = _TABLE_LIST
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


def _shift_tables(length: int) -> tuple[list[int], list[int]]:
    """What a CRC becomes after `length` more zero bytes, as two lookups (CRC is linear)."""
    zeros = bytes(length)
    return [crc16(zeros, c) for c in range(256)], [crc16(zeros, c << 8) for c in range(256)]


@dataclass(frozen=True, slots=True)
class BookFrames:
    """Where the book's frames are, and each audio frame's own CRC."""

    info: bytes
    """The book's Xing/LAME Info frame."""
    version: FrameVersion
    delay: int
    """The encoder's delay, from the book's LAME header: input sample 0 is this sample of the
    frames."""
    offsets: array[int]
    """Byte offset of each audio frame, and the end of the last (8 bytes a frame: an hour's
    book has 150,000 frames, and memory must not grow with the audio)."""
    crcs: array[int]


def _frame_crcs(handle: BinaryIO, offsets: Sequence[int]) -> array[int]:
    """Each frame's CRC-16, many frames at a time: one table step per byte position."""
    crcs = array("H")
    for first in range(0, len(offsets) - 1, _CHUNK_FRAMES):
        last = min(first + _CHUNK_FRAMES, len(offsets) - 1)
        handle.seek(offsets[first])
        data = np.frombuffer(handle.read(offsets[last] - offsets[first]), dtype=np.uint8)
        starts = np.array(offsets[first:last], dtype=np.int64) - offsets[first]
        sizes = np.diff(np.array(offsets[first : last + 1], dtype=np.int64))
        crc = np.zeros(len(starts), dtype=np.uint32)
        for position in range(int(sizes.max())):
            live = sizes > position
            byte = data[np.minimum(starts + position, len(data) - 1)]
            stepped = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
            crc = np.where(live, stepped, crc)
        crcs.extend(crc.astype(np.uint16).tolist())
    return crcs


def read_book(path: Path) -> BookFrames:
    """The frames of an MP3 our encoder wrote: an Info frame, then audio frames only."""
    with path.open("rb") as handle:
        size = path.stat().st_size
        version = frame_version(handle.read(4))
        offsets = array("q")
        position = 0
        while position < size:
            handle.seek(position)
            offsets.append(position)
            position += _frame_size(handle.read(4), version)
        if position != size or len(offsets) < 2:
            raise ToolError(f"{path} does not end on a whole MP3 frame")
        handle.seek(0)
        info = handle.read(offsets[1])
        at = version.info_at
        if info[at : at + 4] != b"Info":
            raise ToolError(f"{path} has no Info frame where a mono CBR MP3 has it")
        delay = int.from_bytes(info[gapless_field(version)]) >> 12
        audio = offsets[1:]
        audio.append(size)
        return BookFrames(info, version, delay, audio, _frame_crcs(handle, audio))


def _span(book: BookFrames, start: int, end: int) -> tuple[int, int, int, int]:
    """(first frame, frames, delay, padding) of the chapter of samples [start, end)."""
    samples = book.version.samples
    first = (start + book.delay) // samples
    stop = -(-(end + book.delay + DECODER_DELAY) // samples)
    if stop > len(book.crcs):
        raise ToolError(f"the book MP3 ends before sample {end}")
    delay = start + book.delay - first * samples
    padding = stop * samples - end - book.delay
    if not (0 <= delay <= _FIELD_MAX and 0 <= padding <= _FIELD_MAX):
        raise ToolError(f"samples {start}-{end} cannot be cut on MP3 frames")
    return first, stop - first, delay, padding


_Shifts = dict[int, tuple[list[int], list[int]]]


def _music_crc(book: BookFrames, first: int, count: int, shifts: _Shifts) -> int:
    crc = 0
    for index in range(first, first + count):
        length = book.offsets[index + 1] - book.offsets[index]
        if length not in shifts:
            shifts[length] = _shift_tables(length)
        low, high = shifts[length]
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ book.crcs[index]
    return crc


_SHIFTS: _Shifts = {}


def _info(book: BookFrames, first: int, count: int, delay: int, padding: int, crc: int) -> bytes:
    info = bytearray(book.info)
    at = book.version.info_at
    lame = at + INFO_LENGTH
    audio_bytes = book.offsets[first + count] - book.offsets[first]
    total = len(info) + audio_bytes
    struct.pack_into(">II", info, at + 8, count, total)
    starts = [len(info) + book.offsets[first + i] - book.offsets[first] for i in range(count)]
    toc = bytes(min(255, starts[i * count // 100] * 256 // total) for i in range(100))
    info[at + 16 : at + 116] = toc
    info[lame + 21 : lame + 24] = ((delay << 12) | padding).to_bytes(3, "big")
    struct.pack_into(">IH", info, lame + 28, total, crc)
    info[lame + 34 : lame + 36] = b"\0\0"
    # ffmpeg's LAME tag CRC: the frame's first 190 bytes with the CRC itself zeroed (checked
    # against the books it writes at 16, 22.05 and 44.1 kHz).
    struct.pack_into(">H", info, lame + 34, crc16(bytes(info[:_TAG_CRC_SPAN])))
    return bytes(info)


def _copy(source: Path, start: int, end: int) -> Iterator[bytes]:
    with source.open("rb") as handle:
        handle.seek(start)
        while start < end:
            chunk = handle.read(min(1 << 20, end - start))
            if not chunk:
                raise ToolError(f"{source} ended while a chapter was cut from it")
            start += len(chunk)
            yield chunk


def cut_chapter(book_path: Path, book: BookFrames, start: int, end: int, dest: Path) -> int:
    """Write the chapter of samples [start, end) as its own MP3 at `dest`; return its frames."""
    first, count, delay, padding = _span(book, start, end)
    crc = _music_crc(book, first, count, _SHIFTS)
    with dest.open("wb") as out:
        out.write(_info(book, first, count, delay, padding, crc))
        for chunk in _copy(book_path, book.offsets[first], book.offsets[first + count]):
            out.write(chunk)
    return count
