"""DAISY 2.02 talking books from the chapter MP3s and the one timing model.

A book is a folder: `ncc.html` (the navigation centre: book metadata and one heading per
chapter), one SMIL 1.0 file per chapter pairing each sentence of the text document with its clip
of that chapter's MP3, the text document itself, and the MP3s. A DAISY player lists the NCC's
headings, follows a heading to its SMIL file and plays the clips in order, highlighting the text.

Each sentence is a `<par>` of its `<text>` and a `<seq>` holding its `<audio>` clip. DAISY 2.02
also allows the `<audio>` straight in the `<par>`, but some readers (the daisy-dtb library, some
hardware players) only play audio they find in a `<seq>`; every reader plays this form.

The clips of a chapter are contiguous: each runs from its sentence's start to the next sentence's
start (the pause after a sentence belongs to it), the last to the chapter's end. So the clips
cover every millisecond of the audio, and the SMIL's `dur` is exactly the chapter length. The
times stated as metadata (the SMIL's `ncc:timeInThisSmil` and `ncc:totalElapsedTime`, the NCC's
`ncc:totalTime`) are in whole seconds, `hh:mm:ss`, as the DAISY 2.02 specification recommends and
real books and validators expect; they are differences of the chapter boundaries rounded to the
second, so each SMIL's elapsed time is the one before it plus that one's length, to the second.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from audioleaflet import __version__
from audioleaflet.atomic import atomic_folder
from audioleaflet.model import ChapterTiming, SentenceTiming

NCC_NAME = "ncc.html"
TEXT_NAME = "content.html"
DAISY_FORMAT = "Daisy 2.02"
GENERATOR = f"audioleaflet {__version__}"

XHTML_NS = "http://www.w3.org/1999/xhtml"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_PUBLIC_ID = "-//W3C//DTD XHTML 1.0 Transitional//EN"
SMIL_PUBLIC_ID = "-//W3C//DTD SMIL 1.0//EN"
# DAISY 2.02 books and their tools cite these system identifiers; a checker maps the public
# identifiers to the DTDs shipped in `audioleaflet/data/dtd`, never fetching these addresses.
_XHTML_DOCTYPE = (
    f'<!DOCTYPE html PUBLIC "{XHTML_PUBLIC_ID}" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
_SMIL_DOCTYPE = (
    f'<!DOCTYPE smil PUBLIC "{SMIL_PUBLIC_ID}" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)


@dataclass(frozen=True, slots=True)
class BookInfo:
    """What the NCC says about the book (its Dublin Core and `ncc:` metadata)."""

    title: str
    """dc:title, and the NCC's and text document's `<title>`."""
    creator: str
    """dc:creator: the organisation that wrote the leaflet."""
    publisher: str
    """dc:publisher: who publishes the talking book."""
    date: str
    """dc:date, ISO `yyyy-mm-dd`: the leaflet's publication date (also the source's date)."""
    language: str
    """dc:language, a BCP 47 tag such as `da`."""
    identifier: str
    """dc:identifier: stable across rebuilds (a `urn:uuid:`), so players keep bookmarks."""
    narrator: str
    """ncc:narrator: the voice, e.g. `espeak:da`."""
    source_version: str | None = None
    """ncc:sourceEdition: the leaflet's own version label, if it has one."""
    description: str | None = None
    """dc:description: one sentence about the book, if there is one."""

    def __post_init__(self) -> None:
        # A wrong date would only show up in a player's book list; refuse it here instead.
        dt.date.fromisoformat(self.date)


@dataclass(frozen=True, slots=True)
class _Clip:
    """One sentence as the book plays it: its text and its span of the chapter's MP3."""

    text_id: str
    """The id of the sentence's element in the text document."""
    text: str
    begin_ms: int
    end_ms: int
    """Times inside the chapter file."""


@dataclass(frozen=True, slots=True)
class _Section:
    """One chapter laid out as book files."""

    number: int
    title: str
    heading_id: str
    """The id of the chapter's heading in the text document."""
    smil: str
    audio: str
    elapsed_ms: int
    """Book time before the chapter starts."""
    length_ms: int
    clips: tuple[_Clip, ...]


def write_daisy(
    dest: Path, info: BookInfo, timings: Sequence[ChapterTiming], chapter_mp3s: Sequence[Path]
) -> None:
    """Write the DAISY 2.02 book folder `dest`, replacing any previous one as a whole.

    `chapter_mp3s[i]` holds exactly chapter `timings[i]`; it is hard-linked into the book where
    it can be (same file system), otherwise copied. The same input gives byte-identical files.
    """
    sections = _layout(timings, len(chapter_mp3s))
    with atomic_folder(dest) as tmp:
        for section, mp3 in zip(sections, chapter_mp3s, strict=True):
            _place(mp3, tmp / section.audio)
            (tmp / section.smil).write_bytes(_smil(info, section))
        (tmp / TEXT_NAME).write_bytes(_text_document(info, sections))
        (tmp / NCC_NAME).write_bytes(_ncc_sized(info, sections, _folder_bytes(tmp)))


def printed(sentence: SentenceTiming) -> str:
    """The sentence as the text document shows it: as printed, or as spoken when not printed."""
    return sentence.source or sentence.text


def clock(ms: int) -> str:
    """A SMIL full clock value, `hh:mm:ss.sss`: exact to the millisecond, unlike `hh:mm:ss`."""
    whole, milli = divmod(ms, 1000)
    minutes, second = divmod(whole, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}.{milli:03d}"


def whole_clock(ms: int) -> str:
    """`hh:mm:ss`, rounded to the nearest second: DAISY 2.02's syntax for its metadata times."""
    return clock((ms + 500) // 1000 * 1000)[:-4]


def seconds(ms: int) -> str:
    """A SMIL timecount in seconds, `12.345s`, as DAISY uses for `dur` and clip times."""
    return f"{ms // 1000}.{ms % 1000:03d}s"


def _layout(timings: Sequence[ChapterTiming], mp3_count: int) -> tuple[_Section, ...]:
    if not timings:
        raise ValueError("a DAISY book needs at least one chapter")
    if len(timings) != mp3_count:
        raise ValueError(f"{len(timings)} chapters but {mp3_count} chapter MP3s")
    width = max(2, len(str(len(timings))))
    sections = []
    elapsed = 0
    for number, chapter in enumerate(timings, start=1):
        if chapter.start_ms != elapsed or chapter.end_ms <= chapter.start_ms:
            raise ValueError(
                f"chapter {number} ({chapter.title!r}) spans {chapter.start_ms}-{chapter.end_ms}"
                f" ms; chapters must follow each other from 0 without gaps"
            )
        stem = f"ch{number:0{width}d}"
        heading_id = f"c{number}"
        sections.append(
            _Section(
                number=number,
                title=chapter.title,
                heading_id=heading_id,
                smil=f"{stem}.smil",
                audio=f"{stem}.mp3",
                elapsed_ms=elapsed,
                length_ms=chapter.end_ms - chapter.start_ms,
                clips=_clips(chapter, heading_id),
            )
        )
        elapsed = chapter.end_ms
    return tuple(sections)


def _clips(chapter: ChapterTiming, heading_id: str) -> tuple[_Clip, ...]:
    """The chapter's sentences as contiguous clips covering the whole chapter file."""
    length = chapter.end_ms - chapter.start_ms
    sentences = chapter.sentences
    if not sentences:
        # Nothing to pair the audio with but the heading: one clip of the whole chapter.
        return (_Clip(heading_id, chapter.title, 0, length),)
    starts = [s.start_ms - chapter.start_ms for s in sentences]
    if starts != sorted(set(starts)) or starts[0] < 0 or starts[-1] >= length:
        raise ValueError(f"chapter {chapter.title!r}: sentences out of order or outside it")
    # Audio before the first sentence (there is normally none) is played with it.
    begins = [0, *starts[1:]]
    ends = [*starts[1:], length]
    spoken_heading = printed(sentences[0]).strip() == chapter.title.strip()
    clips = []
    for index, (sentence, begin, end) in enumerate(zip(sentences, begins, ends, strict=True)):
        # The spoken heading is the heading element itself, so the player highlights it.
        text_id = heading_id if index == 0 and spoken_heading else f"{heading_id}s{index + 1}"
        clips.append(_Clip(text_id, printed(sentence), begin, end))
    return tuple(clips)


def _place(source: Path, target: Path) -> None:
    # A hard link costs no space; the build replaces its MP3s by renaming, never in place, so a
    # later build cannot change the book's audio through the link.
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _serialise(root: etree._Element, doctype: str) -> bytes:
    # The declaration in double quotes, as DAISY tools write it (lxml's has single quotes).
    body = etree.tostring(root, encoding="utf-8", doctype=doctype, pretty_print=True)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _xhtml(
    tag: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> etree._Element:
    element = etree.Element(f"{{{XHTML_NS}}}{tag}", attrs or {}, nsmap={None: XHTML_NS})
    element.text = text
    return element


def _child(
    parent: etree._Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> etree._Element:
    namespace = etree.QName(parent).namespace
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}" if namespace else tag, attrs or {})
    element.text = text
    return element


def _html_root(info: BookInfo) -> etree._Element:
    root = _xhtml("html", {"lang": info.language, _XML_LANG: info.language})
    head = _child(root, "head")
    _child(head, "meta", {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"})
    _child(head, "title", text=info.title)
    return root


def _text_document(info: BookInfo, sections: Sequence[_Section]) -> bytes:
    root = _html_root(info)
    body = _child(root, "body")
    for section in sections:
        # DAISY 2.02 wants every text document to open with an h1 of class "title".
        attrs = {"class": "title"} if section.number == 1 else {}
        _child(body, "h1", {**attrs, "id": section.heading_id}, section.title)
        for clip in section.clips:
            if clip.text_id != section.heading_id:
                _child(body, "p", {"id": clip.text_id}, clip.text)
    return _serialise(root, _XHTML_DOCTYPE)


def _smil(info: BookInfo, section: _Section) -> bytes:
    root = etree.Element("smil")
    head = _child(root, "head")
    for name, content in (
        ("dc:format", DAISY_FORMAT),
        ("dc:identifier", info.identifier),
        ("dc:title", info.title),
        ("title", section.title),
        ("ncc:generator", GENERATOR),
        ("ncc:totalElapsedTime", whole_clock(section.elapsed_ms)),
        ("ncc:timeInThisSmil", _whole_length(section.elapsed_ms, section.length_ms)),
    ):
        _child(head, "meta", {"name": name, "content": content})
    _child(_child(head, "layout"), "region", {"id": "txtView"})
    seq = _child(_child(root, "body"), "seq", {"dur": seconds(section.length_ms)})
    for index, clip in enumerate(section.clips, start=1):
        par = _child(seq, "par", {"endsync": "last", "id": f"p{index}"})
        _child(par, "text", {"src": f"{TEXT_NAME}#{clip.text_id}", "id": f"t{index}"})
        clip_attrs = {
            "src": section.audio,
            "clip-begin": f"npt={seconds(clip.begin_ms)}",
            "clip-end": f"npt={seconds(clip.end_ms)}",
            "id": f"a{index}",
        }
        _child(_child(par, "seq"), "audio", clip_attrs)
    return _serialise(root, _SMIL_DOCTYPE)


def _whole_length(elapsed_ms: int, length_ms: int) -> str:
    """A length in whole seconds that adds up: the rounded end less the rounded start."""
    rounded = (elapsed_ms + length_ms + 500) // 1000 - (elapsed_ms + 500) // 1000
    return whole_clock(rounded * 1000)


def _ncc_meta(info: BookInfo, sections: Sequence[_Section], kbytes: int) -> list[tuple[str, str]]:
    total_ms = sections[-1].elapsed_ms + sections[-1].length_ms
    optional = [("dc:description", info.description), ("ncc:sourceEdition", info.source_version)]
    return [
        ("dc:title", info.title),
        ("dc:creator", info.creator),
        ("dc:publisher", info.publisher),
        ("dc:date", info.date),
        ("dc:format", DAISY_FORMAT),
        ("dc:identifier", info.identifier),
        ("dc:language", info.language),
        *[(name, value) for name, value in optional if value],
        ("ncc:charset", "utf-8"),
        ("ncc:generator", GENERATOR),
        ("ncc:narrator", info.narrator),
        ("ncc:producer", info.publisher),
        ("ncc:producedDate", info.date),
        ("ncc:sourceDate", info.date),
        ("ncc:sourcePublisher", info.creator),
        ("ncc:sourceTitle", info.title),
        ("ncc:multimediaType", "audioFullText"),
        ("ncc:setInfo", "1 of 1"),
        ("ncc:totalTime", whole_clock(total_ms)),
        ("ncc:tocItems", str(len(sections))),
        ("ncc:depth", "1"),
        # ncc.html, the text document, and a SMIL file and an MP3 per chapter.
        ("ncc:files", str(2 + 2 * len(sections))),
        ("ncc:kByteSize", str(kbytes)),
        # Leaflets are not paginated and have no footnotes, sidebars or producer's notes.
        ("ncc:pageFront", "0"),
        ("ncc:pageNormal", "0"),
        ("ncc:pageSpecial", "0"),
        ("ncc:maxPageNormal", "0"),
        ("ncc:footnotes", "0"),
        ("ncc:sidebars", "0"),
        ("ncc:prodNotes", "0"),
    ]


def _ncc(info: BookInfo, sections: Sequence[_Section], kbytes: int) -> bytes:
    root = _html_root(info)
    head = root[0]
    for name, content in _ncc_meta(info, sections, kbytes):
        attrs = {"name": name, "content": content}
        if name in ("dc:date", "ncc:producedDate", "ncc:sourceDate"):
            attrs["scheme"] = "yyyy-mm-dd"
        _child(head, "meta", attrs)
    body = _child(root, "body")
    for section in sections:
        # The first heading is the one a player announces as the book's title.
        attrs = {"class": "title"} if section.number == 1 else {}
        # Empty text keeps the pretty-printer from putting whitespace around the link.
        heading = _child(body, "h1", {**attrs, "id": f"h{section.number}"}, "")
        _child(heading, "a", {"href": f"{section.smil}#t1"}, section.title)
    return _serialise(root, _XHTML_DOCTYPE)


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())


def _ncc_sized(info: BookInfo, sections: Sequence[_Section], others: int) -> bytes:
    """The NCC, its `ncc:kByteSize` counting the whole book including the NCC itself."""
    kbytes = round(others / 1024)
    while True:
        ncc = _ncc(info, sections, kbytes)
        # A larger size can lengthen the NCC by a digit, never shorten it: this settles.
        settled = round((others + len(ncc)) / 1024)
        if settled == kbytes:
            return ncc
        kbytes = settled
