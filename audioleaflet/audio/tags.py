"""Tags described as data, written to MP3 as ID3v2.4 with chapter frames.

Chapters are one CHAP frame each (with a TIT2 sub-frame for the title) under one top-level,
ordered CTOC frame: players show no chapter list without the CTOC.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPUB,
    TRCK,
    TXXX,
    CTOCFlags,
    Frame,
)

from audioleaflet.images import image_mime
from audioleaflet.model import ChapterTiming

_UTF8 = 3
# CHAP offsets are not given: players use the times (ID3v2 chapter spec, section 3).
_NO_OFFSET = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class Tags:
    """What we say about an audio file, independent of its format."""

    title: str
    album: str
    language: str
    """ISO 639-2 code, as TLAN requires."""
    date: str
    """ISO date, YYYY-MM-DD."""
    track: int
    track_total: int
    artist: str | None = None
    publisher: str | None = None
    comment: str | None = None
    cover: Path | None = None
    genre: str = "Speech"
    voice: str | None = None
    """The engine and voice that spoke it, e.g. `piper:en_US-joe-medium`."""


def _text(frame: Callable[..., Frame]) -> Callable[[str], Frame]:
    return lambda value: frame(encoding=_UTF8, text=[value])


# Our field -> how to make its ID3 frame.
_ID3_TEXT_FRAMES: dict[str, Callable[[str], Frame]] = {
    "title": _text(TIT2),
    "album": _text(TALB),
    "artist": _text(TPE1),
    "publisher": _text(TPUB),
    "language": _text(TLAN),
    "date": _text(TDRC),
    "genre": _text(TCON),
}


def id3_frames(tags: Tags) -> list[Frame]:
    frames = [
        make(value)
        for field, make in _ID3_TEXT_FRAMES.items()
        if (value := getattr(tags, field)) is not None
    ]
    frames.append(TRCK(encoding=_UTF8, text=[f"{tags.track}/{tags.track_total}"]))
    if tags.voice:
        # Audiobook tools read the reader from TXXX:NARRATOR (Audiobookshelf, Mp3tag's
        # audiobook field set); the comment repeats it for players that show only that.
        frames.append(TXXX(encoding=_UTF8, desc="NARRATOR", text=[tags.voice]))
    if tags.comment:
        frames.append(COMM(encoding=_UTF8, lang=tags.language, desc="", text=[tags.comment]))
    if tags.cover is not None:
        mime = image_mime(tags.cover) or "image/jpeg"
        frames.append(
            APIC(encoding=_UTF8, mime=mime, type=3, desc="Cover", data=tags.cover.read_bytes())
        )
    return frames


def chapter_frames(chapters: Sequence[ChapterTiming], toc_title: str) -> list[Frame]:
    ids = [f"chp{i}" for i in range(len(chapters))]
    frames: list[Frame] = [
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=_UTF8, text=[toc_title])],
        )
    ]
    frames += [
        CHAP(
            element_id=element_id,
            start_time=chapter.start_ms,
            end_time=chapter.end_ms,
            start_offset=_NO_OFFSET,
            end_offset=_NO_OFFSET,
            sub_frames=[TIT2(encoding=_UTF8, text=[chapter.title])],
        )
        for element_id, chapter in zip(ids, chapters, strict=True)
    ]
    return frames


def write_mp3_tags(
    path: Path,
    tags: Tags,
    chapters: Sequence[ChapterTiming] = (),
    toc_title: str = "Chapters",
) -> None:
    """Replace all tags of the MP3 at `path` with `tags` (and chapters, if any)."""
    id3 = ID3()
    for frame in id3_frames(tags):
        id3.add(frame)
    if chapters:
        for frame in chapter_frames(chapters, toc_title):
            id3.add(frame)
    id3.save(path, v2_version=4, padding=lambda info: 0)
    if chapters:
        order_chapter_frames(path)


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def order_chapter_frames(path: Path) -> None:
    """Put the CHAP frames in time order within the tag, in place.

    mutagen writes frames sorted by size, but ffmpeg (and so ffprobe and many players that use
    it) lists chapters in the order their CHAP frames appear, ignoring the CTOC. Frames are
    moved as whole byte ranges (ID3v2.4 section 4: 10-byte header, syncsafe size), so the tag
    keeps its size and the audio is untouched.
    """
    with path.open("r+b") as handle:
        header = handle.read(10)
        if header[:3] != b"ID3" or header[3] != 4 or header[5] & 0x40:
            return  # Not a tag we wrote (v2.4, no extended header): leave it alone.
        body = handle.read(_syncsafe(header[6:10]))
        frames: list[bytes] = []
        offset = 0
        while offset + 10 <= len(body) and body[offset : offset + 4] != b"\0\0\0\0":
            size = _syncsafe(body[offset + 4 : offset + 8])
            frames.append(body[offset : offset + 10 + size])
            offset += 10 + size
        padding = body[offset:]

        def start_time(frame: bytes) -> int:
            element_end = frame.index(b"\0", 10)
            return int.from_bytes(frame[element_end + 1 : element_end + 5], "big")

        chaps = sorted((f for f in frames if f[:4] == b"CHAP"), key=start_time)
        others = [f for f in frames if f[:4] != b"CHAP"]
        handle.seek(10)
        handle.write(b"".join(others + chaps) + padding)
