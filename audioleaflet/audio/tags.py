"""Tags described as data, written to MP3 as ID3v2.4 with chapter frames.

Chapters are one CHAP frame each (with a TIT2 sub-frame for the title) under one top-level,
ordered CTOC frame: players show no chapter list without the CTOC.

A CTOC counts its entries in one byte (ID3v2 Chapter Frame Addendum 1.0, section 4.2), so it
lists at most 255. A longer book gets the addendum's nested layout: the top-level CTOC lists
ordered child CTOCs of up to 255 chapters each. Every CHAP frame is still in the tag, in time
order, which is what ffmpeg (and mpv, VLC and Android podcast apps such as AntennaPod) read;
they ignore the CTOC. Books of up to 255 chapters keep the flat layout every player knows.
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
    ID3NoHeaderError,
)

from audioleaflet.errors import InputError
from audioleaflet.images import image_mime
from audioleaflet.model import ChapterTiming

_UTF8 = 3
# CHAP offsets are not given: players use the times (ID3v2 chapter spec, section 3).
_NO_OFFSET = 0xFFFFFFFF
CTOC_MAX_ENTRIES = 255
"""A CTOC's entry count is one byte."""
MAX_CHAPTERS = CTOC_MAX_ENTRIES * CTOC_MAX_ENTRIES
"""Chapters one top-level CTOC can reach through child CTOCs of 255 each."""
_TOP_TOC = "toc"


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


def check_chapter_count(count: int, where: str) -> None:
    """Before any audio is made: a book of more chapters than ID3 can list is refused."""
    if count > MAX_CHAPTERS:
        raise InputError(
            f"{where}: {count} chapters, but an MP3's table of contents holds at most "
            f"{MAX_CHAPTERS}; make fewer lines headings, or split the text into several leaflets"
        )


def chapter_frames(chapters: Sequence[ChapterTiming], toc_title: str) -> list[Frame]:
    """The CTOC frames (top level first) and one CHAP frame per chapter, in time order."""
    ids = [f"chp{i}" for i in range(len(chapters))]
    tocs: list[Frame] = []
    top_children = ids
    if len(ids) > CTOC_MAX_ENTRIES:
        groups = [ids[i : i + CTOC_MAX_ENTRIES] for i in range(0, len(ids), CTOC_MAX_ENTRIES)]
        if len(groups) > CTOC_MAX_ENTRIES:
            raise ValueError(f"{len(ids)} chapters; ID3 chapter frames list {MAX_CHAPTERS}")
        top_children = [f"{_TOP_TOC}{n}" for n in range(1, len(groups) + 1)]
        first = 1
        for element_id, group in zip(top_children, groups, strict=True):
            # Numbered, not titled: the numbers are the same in every language.
            title = f"{toc_title} {first}–{first + len(group) - 1}"
            tocs.append(_toc(element_id, CTOCFlags.ORDERED, group, title))
            first += len(group)
    top = _toc(_TOP_TOC, CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, top_children, toc_title)
    frames: list[Frame] = [top, *tocs]
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


def _toc(element_id: str, flags: int, children: list[str], title: str) -> Frame:
    return CTOC(
        element_id=element_id,
        flags=flags,
        child_element_ids=children,
        sub_frames=[TIT2(encoding=_UTF8, text=[title])],
    )


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
    """Put the CHAP frames in time order, and the CTOC frames top level first, in place.

    mutagen writes frames sorted by size, but ffmpeg (and so ffprobe and many players that use
    it) lists chapters in the order their CHAP frames appear, ignoring the CTOC; and a reader
    that takes the first CTOC for the table of contents must find the top-level one. Frames are
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

        def element_id(frame: bytes) -> tuple[bytes, int]:
            """The frame's element ID and where the bytes after it start."""
            end = frame.index(b"\0", 10)
            return frame[10:end], end + 1

        def start_time(frame: bytes) -> int:
            _id, after = element_id(frame)
            return int.from_bytes(frame[after : after + 4], "big")

        def toc_rank(frame: bytes) -> int:
            # "toc" is the top level, "toc1", "toc2", ... its children in order.
            name, _after = element_id(frame)
            return int(name.removeprefix(_TOP_TOC.encode()) or 0)

        chaps = sorted((f for f in frames if f[:4] == b"CHAP"), key=start_time)
        tocs = iter(sorted((f for f in frames if f[:4] == b"CTOC"), key=toc_rank))
        # The CTOCs take the places mutagen gave them, in their own order.
        others = [next(tocs) if f[:4] == b"CTOC" else f for f in frames if f[:4] != b"CHAP"]
        handle.seek(10)
        handle.write(b"".join(others + chaps) + padding)


def read_mp3_chapters(path: Path) -> list[ChapterTiming]:
    """The chapters as a player that follows the table of contents finds them.

    From the top-level CTOC, through any nested CTOCs, in their order. ValueError if the
    CHAP and CTOC frames do not make one table of contents that lists every chapter once.
    An MP3 without chapter frames has no chapters: [].
    """
    try:
        id3 = ID3(path)
    except ID3NoHeaderError:
        return []
    chaps = {frame.element_id: frame for frame in id3.getall("CHAP")}
    tocs = {frame.element_id: frame for frame in id3.getall("CTOC")}
    if not chaps and not tocs:
        return []
    tops = [toc for toc in tocs.values() if toc.flags & CTOCFlags.TOP_LEVEL]
    if len(tops) != 1:
        raise ValueError(f"{len(tops)} top-level CTOC frames, not 1")
    found: list[ChapterTiming] = []
    seen: set[str] = set()

    def visit(element_id: str) -> None:
        if element_id in seen:
            raise ValueError(f"element {element_id!r} is listed twice in the table of contents")
        seen.add(element_id)
        if element_id in tocs:
            for child in tocs[element_id].child_element_ids:
                visit(child)
        elif element_id in chaps:
            chap = chaps[element_id]
            title = chap.sub_frames.get("TIT2")
            found.append(ChapterTiming(str(title or ""), chap.start_time, chap.end_time))
        else:
            raise ValueError(f"the table of contents lists {element_id!r}, which has no frame")

    visit(tops[0].element_id)
    unlisted = sorted(set(chaps) - seen)
    if unlisted:
        raise ValueError(f"{len(unlisted)} CHAP frames are not in the table of contents")
    return found
