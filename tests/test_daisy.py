"""DAISY 2.02 books from a real build: valid files, a player's walk through them, exact times."""

from __future__ import annotations

import dataclasses
import importlib
import shutil
import sys
import typing
from array import array
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
import typing_extensions
from loguru import logger
from lxml import etree

from audioleaflet.build import BuiltLeaflet, build
from audioleaflet.config.saved import resolve_settings
from audioleaflet.model import ChapterTiming
from audioleaflet.outputs.daisy import BookInfo, clock, printed, whole_clock, write_daisy
from audioleaflet.programs.ffmpeg import decode_pcm
from audioleaflet.verify.daisy import DTD_DIR, parse_time, validate_daisy
from tests.audio_checks import RATE, decoded_ms
from tests.conftest import CONTENT

X = {"x": "http://www.w3.org/1999/xhtml"}
XHTML = ("-//W3C//DTD XHTML 1.0 Transitional//EN", "xhtml1-transitional.dtd")
SMIL = ("-//W3C//DTD SMIL 1.0//EN", "SMIL10.dtd")

INFO = BookInfo(
    title="Rene hænder, når du besøger hospitalet",
    creator="Audioleaflet Example Clinic",
    publisher="Audioleaflet Example Clinic",
    date="2026-03-16",
    language="da",
    identifier="urn:uuid:6f1c1b2e-58c4-5d0e-9a57-2f3c9d0b7a11",
    narrator="espeak:da",
    source_version="1.0",
)


@pytest.fixture(scope="module")
def leaflet(tmp_path_factory: pytest.TempPathFactory) -> BuiltLeaflet:
    """The Danish hand-hygiene leaflet, really spoken and encoded, one MP3 per chapter."""
    source = CONTENT / "hand-hygiene"
    out = tmp_path_factory.mktemp("daisy-build")
    (built,) = build([source], out, resolve_settings([source], out, None), lang="da").built
    return built


@pytest.fixture(scope="module")
def book(leaflet: BuiltLeaflet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("daisy") / "hand-hygiene-da"
    write_daisy(dest, INFO, leaflet.timings, leaflet.chapter_files)
    return dest


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True))


def samples(path: Path) -> array[int]:
    decoded = array("h")
    decoded.frombytes(decode_pcm(path, RATE))
    return decoded


# A small DAISY player: ncc.html -> heading -> SMIL -> text and audio clips, as players walk it:
# each <par> of the SMIL's <seq> shows its <text> and plays the <audio> clips of its inner <seq>.


@dataclass(frozen=True)
class Clip:
    text: str
    audio: Path
    begin_ms: int
    end_ms: int


@dataclass(frozen=True)
class Heading:
    title: str
    clips: tuple[Clip, ...]
    time_in_smil: str
    elapsed: str
    dur: str


def _by_id(tree: etree._ElementTree, ident: str) -> etree._Element:
    (found,) = tree.xpath("//*[@id=$id]", id=ident)
    assert isinstance(found, etree._Element)
    return found


def _meta(tree: etree._ElementTree, name: str) -> str:
    return str(tree.xpath("string(//*[local-name()='meta'][@name=$n]/@content)", n=name))


def play(folder: Path) -> list[Heading]:
    """Every heading of the book with the clips a player plays from it to the next heading."""
    ncc = parse(folder / "ncc.html")
    headings = []
    for link in ncc.xpath("/x:html/x:body/x:h1/x:a", namespaces=X):
        smil_name, _, fragment = link.get("href").partition("#")
        smil = parse(folder / smil_name)
        start = _by_id(smil, fragment).getparent()
        assert start is not None and start.tag == "par"
        clips = []
        for par in [start, *start.itersiblings("par")]:
            text_file, _, text_id = par.find("text").get("src").partition("#")
            (audio,) = par.findall("seq/audio")
            clips.append(
                Clip(
                    text="".join(_by_id(parse(folder / text_file), text_id).itertext()),
                    audio=folder / audio.get("src"),
                    begin_ms=parse_time(audio.get("clip-begin")) or 0,
                    end_ms=parse_time(audio.get("clip-end")) or 0,
                )
            )
        time_in_smil = _meta(smil, "ncc:timeInThisSmil")
        elapsed = _meta(smil, "ncc:totalElapsedTime")
        dur = str(smil.xpath("string(/smil/body/seq/@dur)"))
        headings.append(Heading(link.text, tuple(clips), time_in_smil, elapsed, dur))
    return headings


def test_every_file_is_valid_against_the_xhtml_and_smil_dtds(book: Path) -> None:
    expected = {"ncc.html": XHTML, "content.html": XHTML}
    expected |= {smil.name: SMIL for smil in book.glob("*.smil")}
    assert len(expected) == 2 + 5
    for name, (public_id, dtd_file) in expected.items():
        tree = parse(book / name)
        assert tree.docinfo.public_id == public_id, name
        assert tree.docinfo.encoding.lower() == "utf-8"
        dtd = etree.DTD(str(DTD_DIR / dtd_file))
        assert dtd.validate(tree), f"{name}: {dtd.error_log.filter_from_errors()}"


def test_a_player_finds_every_heading_and_a_spoken_clip_for_every_sentence(
    book: Path, leaflet: BuiltLeaflet
) -> None:
    headings = play(book)
    assert [h.title for h in headings] == [c.title for c in leaflet.timings]
    audio: dict[Path, array[int]] = {}
    for heading, chapter in zip(headings, leaflet.timings, strict=True):
        assert [c.text for c in heading.clips] == [printed(s) for s in chapter.sentences]
        for clip, sentence in zip(heading.clips, chapter.sentences, strict=True):
            pcm = audio.setdefault(clip.audio, samples(clip.audio))
            assert clip.end_ms <= len(pcm) * 1000 / RATE
            # The sentence's speech lies inside its clip; the clip is not silence.
            assert clip.begin_ms <= sentence.start_ms - chapter.start_ms
            assert sentence.end_ms - chapter.start_ms <= clip.end_ms
            span = pcm[clip.begin_ms * RATE // 1000 : clip.end_ms * RATE // 1000]
            assert max(abs(s) for s in span) > 3000, clip.text
        # Clips follow each other without a gap and cover the whole chapter file.
        assert heading.clips[0].begin_ms == 0
        for before, after in zip(heading.clips, heading.clips[1:], strict=False):
            assert before.end_ms == after.begin_ms
        assert heading.clips[-1].end_ms == chapter.end_ms - chapter.start_ms


def _second(ms: int) -> int:
    """`ms` rounded to the nearest whole second, in ms."""
    return (ms + 500) // 1000 * 1000


def test_stated_times_are_the_chapter_lengths_to_the_second_and_add_up(
    book: Path, leaflet: BuiltLeaflet
) -> None:
    total = _meta(parse(book / "ncc.html"), "ncc:totalTime")
    assert total == whole_clock(leaflet.duration_ms)
    assert parse_time(total) == _second(leaflet.timings[-1].end_ms) == _second(leaflet.duration_ms)
    elapsed = 0
    for heading, chapter in zip(play(book), leaflet.timings, strict=True):
        # hh:mm:ss, as DAISY 2.02 recommends: each SMIL starts where the ones before it end.
        assert len(heading.time_in_smil) == len(heading.elapsed) == len("00:00:00")
        assert parse_time(heading.elapsed) == elapsed == _second(chapter.start_ms)
        length = parse_time(heading.time_in_smil) or 0
        assert length == _second(chapter.end_ms) - _second(chapter.start_ms)
        assert abs(length - (chapter.end_ms - chapter.start_ms)) < 1000
        elapsed += length
        # The SMIL's own duration is exact to the millisecond.
        assert parse_time(heading.dur) == chapter.end_ms - chapter.start_ms
    assert elapsed == parse_time(total)
    # The MP3s decode to their exact length (encoder delay and padding are undone).
    assert abs(sum(decoded_ms(mp3) for mp3 in book.glob("*.mp3")) - leaflet.duration_ms) < 1


def test_the_ncc_carries_the_daisy_metadata(book: Path) -> None:
    ncc = parse(book / "ncc.html")
    assert ncc.xpath("string(/x:html/x:head/x:title)", namespaces=X) == INFO.title
    expected = {
        "dc:title": INFO.title,
        "dc:creator": INFO.creator,
        "dc:format": "Daisy 2.02",
        "dc:identifier": INFO.identifier,
        "dc:language": "da",
        "dc:date": "2026-03-16",
        "ncc:narrator": "espeak:da",
        "ncc:multimediaType": "audioFullText",
        "ncc:tocItems": "5",
        "ncc:depth": "1",
        "ncc:files": "12",
        "ncc:setInfo": "1 of 1",
        "ncc:pageNormal": "0",
        "ncc:sourceEdition": "1.0",
    }
    assert {name: _meta(ncc, name) for name in expected} == expected
    kbytes = sum(path.stat().st_size for path in book.iterdir()) / 1024
    assert abs(int(_meta(ncc, "ncc:kByteSize")) - kbytes) <= 0.5
    assert len(list(book.iterdir())) == 12
    for document in ("ncc.html", "content.html"):
        # DAISY 2.02: the NCC and the text document open with the title as h1 class="title".
        (first, *rest) = parse(book / document).xpath("/x:html/x:body/x:h1", namespaces=X)
        assert first.get("class") == "title"
        assert "".join(first.itertext()) == INFO.title
        assert all(heading.get("class") is None for heading in rest)


def test_the_written_book_has_no_problems(book: Path) -> None:
    assert validate_daisy(book) == []


# daisy-dtb (PyPI): a DAISY 2.02 reader library written by others, reading the book as its
# players do. It follows only `<par><text/><seq><audio/></seq></par>`, as some hardware does.


@pytest.fixture(scope="module")
def daisy_dtb() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        if sys.version_info < (3, 12):
            # It imports typing.override (new in 3.12) at import time; lend it the backport.
            patch.setattr(typing, "override", typing_extensions.override, raising=False)
        module = importlib.import_module("daisy_dtb")
    logger.disable("daisy_dtb")  # Its debug log of every file it opens.
    return module


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_an_independent_daisy_reader_plays_every_clip_of_every_heading(
    book: Path, leaflet: BuiltLeaflet, daisy_dtb: ModuleType
) -> None:
    read = daisy_dtb.DaisyBook(daisy_dtb.FolderDtbSource(str(book)))
    assert (read.title, read.langage, read.navigation_depth) == (INFO.title, "da", 1)
    assert read.get_metadata("ncc:totalTime").content == whole_clock(leaflet.duration_ms)
    entries = read.toc_entries
    assert [(e.level, e.text) for e in entries] == [(1, c.title) for c in leaflet.timings]
    clip_count = 0
    for entry, chapter in zip(entries, leaflet.timings, strict=True):
        assert entry.smil.total_duration * 1000 == _second(chapter.end_ms) - _second(
            chapter.start_ms
        )
        sections = entry.sections
        assert [_one_line(s.text.content) for s in sections] == [
            _one_line(printed(sentence)) for sentence in chapter.sentences
        ]
        # The clips, from the timing model: each sentence's start to the next one's, the last
        # to the chapter's end, in the chapter's own MP3.
        starts = [s.start_ms - chapter.start_ms for s in chapter.sentences]
        length = chapter.end_ms - chapter.start_ms
        expected = list(zip([0, *starts[1:]], [*starts[1:], length], strict=True))
        clips = [clip for section in sections for clip in section.clips]
        assert [len(section.clips) for section in sections] == [1] * len(sections)
        assert [(round(c.begin * 1000), round(c.end * 1000)) for c in clips] == expected
        for clip, sentence in zip(clips, chapter.sentences, strict=True):
            # The sentence as spoken lies inside the clip the reader plays for it.
            assert clip.begin * 1000 <= sentence.start_ms - chapter.start_ms
            assert sentence.end_ms - chapter.start_ms <= clip.end * 1000
        (audio,) = {clip.src for clip in clips}
        assert clips[0].get_sound() == (book / audio).read_bytes() != b""
        clip_count += len(clips)
    assert clip_count == sum(len(c.sentences) for c in leaflet.timings) > 5


def _audio_straight_in_par(book: Path, tmp_path: Path) -> Path:
    """A copy of `book` whose SMIL files hold each clip directly in its `<par>`, no `<seq>`."""
    copy = _copy(book, tmp_path)
    for smil in copy.glob("*.smil"):
        tree = parse(smil)
        for inner in tree.xpath("//par/seq"):
            par = inner.getparent()
            par.replace(inner, inner[0])
        tree.write(str(smil), encoding="utf-8", xml_declaration=True)
    return copy


def test_a_clip_outside_a_seq_is_reported_as_one_some_players_skip(
    book: Path, tmp_path: Path, daisy_dtb: ModuleType
) -> None:
    copy = _audio_straight_in_par(book, tmp_path)
    problems = validate_daisy(copy)
    # Still valid SMIL 1.0: the only problems are the clips that readers like daisy-dtb skip.
    assert problems and all("not inside a <seq>" in p for p in problems), problems
    assert "ch02.smil: clip a2 is not inside a <seq> in its <par>" in "\n".join(problems)
    read = daisy_dtb.DaisyBook(daisy_dtb.FolderDtbSource(str(copy)))
    assert [c for e in read.toc_entries for s in e.sections for c in s.clips] == []


def test_a_wrong_depth_and_a_text_document_without_its_title_heading_are_reported(
    book: Path, tmp_path: Path
) -> None:
    copy = _copy(book, tmp_path)
    ncc = copy / "ncc.html"
    ncc.write_text(
        ncc.read_text().replace('name="ncc:depth" content="1"', 'name="ncc:depth" content="2"')
    )
    text = copy / "content.html"
    text.write_text(text.read_text().replace('<h1 class="title" ', "<h1 "))
    assert validate_daisy(copy) == [
        "ncc.html: ncc:depth is 2, but the deepest heading is h1",
        'content.html: the first heading is not class="title"',
    ]


def test_two_writes_are_byte_identical(book: Path, leaflet: BuiltLeaflet, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_daisy(again, INFO, leaflet.timings, leaflet.chapter_files)
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in book.iterdir())
    for path in book.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_failed_write_leaves_the_previous_book(leaflet: BuiltLeaflet, tmp_path: Path) -> None:
    dest = tmp_path / "book"
    write_daisy(dest, INFO, leaflet.timings, leaflet.chapter_files)
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    # The last chapter's MP3 has gone: the write fails half-way, after other files were written.
    broken = [*leaflet.chapter_files[:-1], tmp_path / "gone.mp3"]
    retitled = dataclasses.replace(INFO, title="Ny titel")
    with pytest.raises(FileNotFoundError):
        write_daisy(dest, retitled, leaflet.timings, broken)
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before
    assert list(tmp_path.iterdir()) == [dest]


def _copy(book: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(book, copy)
    return copy


def test_a_removed_smil_file_is_reported_by_name(book: Path, tmp_path: Path) -> None:
    copy = _copy(book, tmp_path)
    (copy / "ch02.smil").unlink()
    problems = validate_daisy(copy)
    assert problems == ["ncc.html: links to ch02.smil#t1, but ch02.smil is missing or unreadable"]


def test_a_broken_text_reference_is_reported_by_name(book: Path, tmp_path: Path) -> None:
    copy = _copy(book, tmp_path)
    smil = copy / "ch03.smil"
    smil.write_text(smil.read_text().replace("content.html#c3s2", "content.html#c9s9"))
    problems = validate_daisy(copy)
    assert problems == ["ch03.smil: links to content.html#c9s9, but content.html has no id 'c9s9'"]


def test_a_truncated_mp3_is_reported_by_name(book: Path, tmp_path: Path) -> None:
    copy = _copy(book, tmp_path)
    mp3 = copy / "ch04.mp3"
    mp3.write_bytes(mp3.read_bytes()[: mp3.stat().st_size // 2])
    problems = validate_daisy(copy)
    assert any(p.startswith("ch04.smil: clip") and "ch04.mp3" in p for p in problems), problems
    assert any(p.startswith("ncc.html:") and "audio" in p for p in problems), problems


def test_markup_the_dtd_forbids_is_reported_with_its_line(book: Path, tmp_path: Path) -> None:
    copy = _copy(book, tmp_path)
    text = copy / "content.html"
    text.write_text(text.read_text().replace("<h1 id=", "<blink>!</blink><h1 id=", 1))
    problems = validate_daisy(copy)
    assert problems and all(p.startswith("content.html: line ") for p in problems), problems


def test_a_stated_time_that_does_not_add_up_is_reported(
    book: Path, leaflet: BuiltLeaflet, tmp_path: Path
) -> None:
    copy = _copy(book, tmp_path)
    ncc = copy / "ncc.html"
    total = _meta(parse(ncc), "ncc:totalTime")
    ncc.write_text(ncc.read_text().replace(total, "00:09:00"))
    problems = validate_daisy(copy)
    clips = clock(leaflet.duration_ms)
    assert problems == [f"ncc.html: ncc:totalTime is 00:09:00, but the clips add up to {clips}"]


def test_ampersands_angle_brackets_quotes_and_danish_letters_survive(
    leaflet: BuiltLeaflet, tmp_path: Path
) -> None:
    title = 'Råd & regler: "5 < 10" for Ærø'
    first, *rest = leaflet.timings
    said = dataclasses.replace(first.sentences[1], source="Brug <2 ml> & skyl – også ØÅ’s")
    unprinted = dataclasses.replace(first.sentences[2], source="")
    sentences = (first.sentences[0], said, unprinted, *first.sentences[3:])
    timings = [dataclasses.replace(first, title=title, sentences=sentences), *rest]
    info = dataclasses.replace(INFO, title="Hænder & <sæbe>", creator="Klinik «Øst»")
    dest = tmp_path / "book"
    write_daisy(dest, info, timings, leaflet.chapter_files)
    assert validate_daisy(dest) == []
    headings = play(dest)
    assert headings[0].title == title
    assert [c.text for c in headings[0].clips[:3]] == [
        first.sentences[0].source,
        "Brug <2 ml> & skyl – også ØÅ’s",
        first.sentences[2].text,  # no printed form: the spoken one is shown
    ]
    ncc = parse(dest / "ncc.html")
    assert (_meta(ncc, "dc:title"), _meta(ncc, "dc:creator")) == ("Hænder & <sæbe>", "Klinik «Øst»")
    assert "Hænder &amp; &lt;sæbe&gt;".encode() in (dest / "ncc.html").read_bytes()


def test_a_chapter_without_sentences_plays_as_one_clip_under_its_heading(
    leaflet: BuiltLeaflet, tmp_path: Path
) -> None:
    timings = [dataclasses.replace(leaflet.timings[0], sentences=()), *leaflet.timings[1:]]
    dest = tmp_path / "book"
    write_daisy(dest, INFO, timings, leaflet.chapter_files)
    assert validate_daisy(dest) == []
    (only,) = play(dest)[0].clips
    assert (only.text, only.begin_ms) == (timings[0].title, 0)
    assert only.end_ms == timings[0].end_ms


def test_timings_that_do_not_describe_the_files_are_refused(
    leaflet: BuiltLeaflet, tmp_path: Path
) -> None:
    timings = list(leaflet.timings)
    with pytest.raises(ValueError, match="5 chapters but 3 chapter MP3s"):
        write_daisy(tmp_path / "b", INFO, timings, leaflet.chapter_files[:3])
    gap = ChapterTiming(timings[1].title, timings[1].start_ms + 5, timings[1].end_ms)
    with pytest.raises(ValueError, match="without gaps"):
        write_daisy(tmp_path / "b", INFO, [timings[0], gap, *timings[2:]], leaflet.chapter_files)
    with pytest.raises(ValueError):
        dataclasses.replace(INFO, date="16-03-2026")
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("npt=1.234s", 1234),
        ("npt=0.000s", 0),
        ("12.5", 12500),
        ("250ms", 250),
        ("2min", 120_000),
        ("00:01:24.040", 84_040),
        ("01:02", 62_000),
        ("1:00:00", 3_600_000),
        ("npt=abc", None),
        ("1:2:3:4", None),
    ],
)
def test_smil_times_are_read_as_milliseconds(value: str, ms: int | None) -> None:
    assert parse_time(value) == ms
