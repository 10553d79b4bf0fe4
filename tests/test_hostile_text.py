"""Hostile text: controls, NUL, surrogates, bidi overrides, `-->`, `]]>`, `<`, `&`, line breaks.

Whatever a leaflet, a manifest or an option holds, it is cleaned once where it enters
(`intake.characters`), and every writer turns the clean text into a file its strictest parser
accepts, with the text read back as it went in. The writers here are the real ones, on real
audio made once with ffmpeg; nothing is spoken inside a property's loop.
"""

from __future__ import annotations

import codecs
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import mutagen.mp4
import podcastparser
import pytest
import srt
import webvtt
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from mutagen.id3 import ID3

from audioleaflet.audio.tags import Tags, write_mp3_tags
from audioleaflet.cli import cli
from audioleaflet.config.manifest import MAX_VERSION
from audioleaflet.config.podcast import FeedSettings, load_settings
from audioleaflet.errors import InputError
from audioleaflet.intake.characters import clean_line, clean_text, is_clean
from audioleaflet.model import ChapterTiming, LeafletText, SentenceTiming
from audioleaflet.outputs.chapters_json import chapters_json
from audioleaflet.outputs.daisy import TEXT_NAME, BookInfo, write_daisy
from audioleaflet.outputs.transcripts import srt as srt_text
from audioleaflet.outputs.transcripts import webvtt as webvtt_text
from audioleaflet.programs.ffmpeg import decode_pcm, run_ffmpeg
from audioleaflet.publish.episodes import Episode, load_episodes, save_episode
from audioleaflet.publish.feed import render_feed
from audioleaflet.readers.document import read_document
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.readers.textfile import read_text, read_text_file
from audioleaflet.slug import slugify
from audioleaflet.text.cleaning import clean_document
from audioleaflet.text.sentences import body_sentences
from audioleaflet.text.spoken import to_spoken
from audioleaflet.verify.daisy import validate_daisy
from tests.audio_checks import write_tagged_m4b
from tests.conftest import runner
from tests.test_transcripts import check_webvtt_syntax

# What a hostile or careless source puts in text: every kind of character the outputs cannot
# hold, and every sequence that means something in one of the formats.
PIECES = [
    *("\x00", "\x07", "\x08", "\x1b", "\x1b[31m", "\x1f", "\x7f", "\x85", "\x9f"),
    *("\ud800", "\udcff", "\udfff", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff"),
    *("\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u200d", "\u00ad", "\ufeff"),
    *("\n", "\n\n", "\r\n", "\r", "\t", "\f", "\v", "\u2028", "\u2029", " ", "\xa0"),
    *("-->", "--->", "]]>", "<![CDATA[", "<", ">", "&", "&amp;", "<b>", "</p>", '"', "'"),
    *("NOTE", "WEBVTT", "00:00:01.000 --> 00:00:02.000", "1", "[CHAPTER]", "=", ";", "#", "\\"),
    *("Ærø", "æbler", "Tag 2 tabletter", "مرحبا", "שלום"),
]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Co", "Cn"]), max_size=3),
        st.text(max_size=6),
    ),
    max_size=12,
).map("".join)
QUICK = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def as_line(raw: str) -> str:
    """A setting as the build holds it: cleaned, one line, trimmed, never empty."""
    return clean_line(raw).text.strip() or "x"


def as_text(raw: str) -> str:
    """A sentence as the build holds it: cleaned (line breaks kept), trimmed, never empty."""
    return clean_text(raw).text.strip() or "x"


def one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def squashed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Real audio, made once: two chapter MP3s of tone, lengths as ffmpeg decodes them.


class Audio:
    def __init__(self, folder: Path) -> None:
        self.chapters: list[Path] = []
        self.lengths: list[int] = []
        for number, seconds in enumerate((1.2, 0.9), start=1):
            path = folder / f"ch{number}.mp3"
            tone = f"sine=frequency={300 * number}:duration={seconds}:sample_rate=44100"
            run_ffmpeg(["-y", "-f", "lavfi", "-i", tone, "-ac", "1", "-b:a", "64k", path])
            self.chapters.append(path)
            self.lengths.append(int(len(decode_pcm(path, 44100)) / 2 / 44100 * 1000))

    def timings(self, titles: list[str], sentences: list[str]) -> list[ChapterTiming]:
        """Two chapters of the tone files, each with two sentences of the given texts."""
        timings = []
        start = 0
        for number, length in enumerate(self.lengths):
            texts = sentences[2 * number : 2 * number + 2]
            half = length // 2
            said = (
                SentenceTiming(texts[0], texts[0], start, start + half - 50),
                SentenceTiming(texts[1], "", start + half, start + length - 20),
            )
            timings.append(ChapterTiming(titles[number], start, start + length, said))
            start += length
        return timings


@pytest.fixture(scope="module")
def audio(tmp_path_factory: pytest.TempPathFactory) -> Audio:
    return Audio(tmp_path_factory.mktemp("tone"))


TITLES = st.lists(HOSTILE, min_size=2, max_size=2)
# Long enough, at times, to pass the 255 bytes an M4B chapter title can have.
LONG = st.one_of(HOSTILE, HOSTILE.map(lambda text: text * 30))
SENTENCES = st.lists(HOSTILE, min_size=4, max_size=4)


# Entry: whatever comes in, what goes on is clean.


@settings(deadline=None)  # no timing: a loaded machine must not fail it
@given(HOSTILE)
def test_cleaned_text_holds_only_what_every_output_can(raw: str) -> None:
    cleaned = clean_text(raw).text
    assert is_clean(cleaned)
    cleaned.encode("utf-8")  # no surrogate left
    assert not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]", cleaned
    )
    # XML 1.0 can hold it: lxml refuses what it cannot.
    etree.Element("p").text = cleaned
    line = clean_line(raw).text
    assert "\n" not in line and "\t" not in line


def test_what_is_removed_and_what_is_kept() -> None:
    cleaned = clean_text("Tag\x07 2\x00 tab\u202eletter\ud800.\r\nBrug \x1b[1mikke\x1b[0m\ufffe.")
    assert cleaned.text == "Tag 2 tabletter.\nBrug ikke."
    assert (cleaned.removed, cleaned.first_line) == (13, 1)
    # Marks that belong in text stay; other spellings of a line break become line feeds.
    kept = "a\u200eb\u200fc\u200dd\u200ce\u00adf\tg"
    assert clean_text(kept).text == kept
    assert clean_text("a\vb\x85c\u2028d\u2029e").text == "a\nb\nc\nd\n\ne"
    assert clean_text("page\fbreak", keep="\f").text == "page\fbreak"
    assert clean_text("x\n\ny\x07").first_line == 3


@settings(deadline=None)
@given(HOSTILE)
def test_a_slug_is_a_portable_file_name(raw: str) -> None:
    slug = slugify(raw)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 60
    assert slug not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


def test_windows_device_names_are_never_slugs() -> None:
    assert slugify("CON") == "con-leaflet"
    assert slugify("Nul") == "nul-leaflet"
    assert slugify("Control") == "control"


@QUICK
@given(raw=HOSTILE, suffix=st.sampled_from([".txt", ".md"]), lang=st.sampled_from(["da", "en"]))
def test_everything_read_from_a_text_file_is_clean(
    tmp_path: Path, raw: str, suffix: str, lang: str
) -> None:
    path = tmp_path / f"{lang}{suffix}"
    path.write_bytes(raw.encode("utf-8", "surrogatepass"))
    try:
        document = clean_document(read_document(LeafletText(lang, path)))
    except InputError:
        assume(False)
        return
    texts = [document.title or ""]
    texts += [text for removal in document.removed for text in (removal.text, removal.kept)]
    for chapter in document.chapters:
        texts.append(chapter.title)
        texts += [block.text for block in chapter.blocks]
        for sentence in body_sentences(chapter, lang):
            texts += [sentence.source, sentence.text, to_spoken(sentence.text, lang)]
    for text in texts:
        # Clean, and no page break (the plain-text reader's \f) reaches any output.
        assert is_clean(text) and "\f" not in text, repr(text)


def test_a_removal_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_bytes(b"Heading\n\nFirst line.\nBell \x07 and escape \x1b here.\x00\n")
    read = read_text_file(path)
    assert read.text == "Heading\n\nFirst line.\nBell  and escape  here.\n"
    assert read.notice == f"{path}: 3 control characters removed (first on line 4)"
    path.write_text("Clean text.\n", encoding="utf-8")
    assert read_text_file(path).notice is None
    path.write_bytes(b"\x07\x00\n\x1b\n")
    with pytest.raises(InputError, match="has only control characters, no text"):
        read_text(path)


# Encodings: UTF-8; UTF-16 (and UTF-32) when a byte-order mark says so; nothing else.


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    text = "Første linje\r\nKræft og æbler 🍎.\r\n"
    path = tmp_path / "da.txt"
    mark = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    # Python's "utf-16"/"utf-32" write their own mark; the -le/-be ones need it added.
    path.write_bytes(mark + text.encode(codec))
    assert read_text(path) == "Første linje\nKræft og æbler 🍎.\n"


def test_utf16_without_a_byte_order_mark_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "da.txt"
    path.write_bytes("Første linje\nKræft.\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 text without a byte-order mark; save the file"):
        read_text(path)
    path.write_bytes(codecs.BOM_UTF16_LE + "Kræft".encode("utf-16-le") + b"\x00")
    with pytest.raises(InputError, match="starts like UTF-16 text but has bytes that are not"):
        read_text(path)


def test_a_utf16_manifest_is_read_and_its_controls_reported(tmp_path: Path) -> None:
    folder = tmp_path / "leaf"
    folder.mkdir()
    manifest = (
        'title = "Rene hænder"\n'
        'organisation = "Klinik\\u0007 Øst"\n'
        "date = 2026-03-16\n"
        'language = "da"\n'
    )
    (folder / "leaflet.toml").write_bytes(manifest.encode("utf-16"))
    (folder / "da.txt").write_text("Vask hænder.\n", encoding="utf-8")
    (leaflet,) = find_leaflets([folder])
    assert (leaflet.titles, leaflet.organisation) == ({"da": "Rene hænder"}, "Klinik Øst")
    assert leaflet.notices == (
        f"{folder / 'leaflet.toml'}: 1 control character removed (first on line 2)",
    )


# Manifests and settings: every string cleaned and made one line, with one notice per file.


def toml_string(text: str) -> str:
    """`text` as a TOML basic string; TOML has no way to write a surrogate, so none is."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        elif not 0xD800 <= ord(char) <= 0xDFFF:
            out.append(char)
    return '"' + "".join(out) + '"'


@QUICK
@given(title=HOSTILE, organisation=HOSTILE, description=HOSTILE, version=HOSTILE)
def test_every_manifest_string_arrives_clean_and_one_line(
    tmp_path: Path, title: str, organisation: str, description: str, version: str
) -> None:
    folder = tmp_path / "leaf"
    folder.mkdir(exist_ok=True)
    fields = {"title": title, "organisation": organisation, "description": description}
    # A version is short (`manifest.MAX_VERSION`); how long is tested in test_hostile_inputs.
    fields["version"], fields["guid"] = version[:MAX_VERSION], version
    fields = {key: value for key, value in fields.items() if clean_line(value).text.strip()}
    lines = [f"{key} = {toml_string(value)}" for key, value in fields.items()]
    manifest = "\n".join([*lines, "date = 2026-03-16", 'language = "en"', ""])
    (folder / "leaflet.toml").write_text(manifest, encoding="utf-8")
    (folder / "en.txt").write_text("Wash your hands.\n", encoding="utf-8")
    (leaflet,) = find_leaflets([folder])
    values = [
        *leaflet.titles.values(),
        *leaflet.descriptions.values(),
        leaflet.organisation or "",
        leaflet.version or "",
        leaflet.guid or "",
    ]
    for value in values:
        assert is_clean(value) and "\n" not in value and "\t" not in value
    # TOML cannot write a surrogate, so the file holds each value without its surrogates.
    written = [re.sub("[\ud800-\udfff]", "", value) for value in fields.values()]
    removed = sum(clean_line(value).removed for value in written)
    if removed:
        (notice,) = leaflet.notices
        noun = "character" if removed == 1 else "characters"
        assert notice.startswith(f"{folder / 'leaflet.toml'}: {removed} control {noun} removed")
    else:
        assert leaflet.notices == ()


def test_podcast_toml_strings_are_cleaned_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "podcast.toml"
    path.write_text(
        'title = "Klinikkens\\u001b[1m lydpjecer"\n'
        'description = "Pjecer\\u202e læst op\\u0000"\n'
        'author = "Klinik\\u0007 Øst"\n'
        "[feeds.da]\n"
        'title = "Dansk\\u0085tekst"\n',
        encoding="utf-8",
    )
    warnings: list[str] = []
    settings = load_settings(path, warn=warnings.append).feed
    assert (settings.title, settings.description, settings.author) == (
        "Klinikkens lydpjecer",
        "Pjecer læst op",
        "Klinik Øst",
    )
    assert settings.title_for("da") == "Dansk tekst"
    # NEL (U+0085) is a line break, made a space in a one-line setting: not removed.
    assert warnings == [f"{path}: 7 control characters removed (first on line 1)"]


def test_an_old_episode_record_with_controls_is_cleaned_when_read(tmp_path: Path) -> None:
    (tmp_path / "x.mp3").write_bytes(b"")
    episode = Episode(
        slug="x", lang="en", title="Bell\x07 title", description="d", author="A\x1b",
        date="2026-03-16", guid="urn:x", audio_file="x.mp3", size=0, duration_ms=1000,
        chapters=(ChapterTiming("Ch\x00apter", 0, 1000),), voice="espeak:en",
    )  # fmt: skip
    save_episode(tmp_path, episode)
    (loaded,) = load_episodes(tmp_path)
    assert (loaded.title, loaded.author, loaded.chapters[0].title) == ("Bell title", "A", "Chapter")


# Writers: clean text in, a file the strict parsers accept out, the text read back.


@QUICK
@given(titles=TITLES, sentences=SENTENCES, use=st.sampled_from(["spoken", "source"]))
@example(
    titles=["Før ---> efter", "a\n\nb --\n> c"],
    sentences=["x --> y", "NOTE\n\nWEBVTT", "]]> <b>&amp;", "1\n00:00:01.000 --> 00:00:02.000"],
    use="source",
)
def test_transcripts_parse_strictly_and_show_each_sentence(
    audio: Audio, tmp_path: Path, titles: list[str], sentences: list[str], use: str
) -> None:
    timings = audio.timings([as_line(t) for t in titles], [as_text(s) for s in sentences])
    vtt = tmp_path / "t.vtt"
    vtt.write_text(webvtt_text(timings, "da", use), encoding="utf-8")  # type: ignore[arg-type]
    text = vtt.read_text(encoding="utf-8")
    check_webvtt_syntax(text)
    shown = [
        one_line((s.source if use == "source" else "") or s.text)
        for chapter in timings
        for s in chapter.sentences
    ]
    parsed = webvtt.read(str(vtt), strict=True)
    assert [html.unescape(c.raw_text) for c in parsed] == shown
    notes = [block for block in text.split("\n\n") if block.startswith("NOTE Chapter")]
    assert len(notes) == 2 and not any("-->" in note for note in notes)
    subtitles = list(srt.parse(srt_text(timings, use)))  # type: ignore[arg-type]
    assert [s.content for s in subtitles] == shown


@QUICK
@given(titles=TITLES, title=HOSTILE, podcast=HOSTILE)
def test_chapters_json_reads_back_every_title(
    audio: Audio, titles: list[str], title: str, podcast: str
) -> None:
    timings = audio.timings([as_line(t) for t in titles], ["a", "b", "c", "d"])
    data = chapters_json(timings, title=as_line(title), podcast_name=as_line(podcast))
    document = json.loads(data.decode("utf-8"))
    assert [c["title"] for c in document["chapters"]] == [c.title for c in timings]
    assert (document["title"], document["podcastName"]) == (as_line(title), as_line(podcast))


@QUICK
@given(titles=TITLES, sentences=SENTENCES, fields=st.lists(HOSTILE, min_size=4, max_size=4))
def test_a_daisy_book_of_hostile_text_is_valid(
    audio: Audio, tmp_path: Path, titles: list[str], sentences: list[str], fields: list[str]
) -> None:
    timings = audio.timings([as_line(t) for t in titles], [as_text(s) for s in sentences])
    title, creator, version, description = (as_line(f) for f in fields)
    info = BookInfo(
        title=title, creator=creator, publisher=creator, date="2026-03-16", language="da",
        identifier=f"urn:{version}", narrator="espeak:da", source_version=version,
        description=description,
    )  # fmt: skip
    dest = tmp_path / "book"
    write_daisy(dest, info, timings, audio.chapters)
    assert validate_daisy(dest) == []  # DTD-valid, every link resolves, times add up
    ncc = etree.parse(str(dest / "ncc.html"), etree.XMLParser(no_network=True))

    def meta(name: str) -> str:
        return str(ncc.xpath("string(//*[local-name()='meta'][@name=$n]/@content)", n=name))

    assert [meta(n) for n in ("dc:title", "dc:creator", "dc:description")] == [
        title,
        creator,
        description,
    ]
    headings = ncc.xpath("//*[local-name()='h1']")
    assert ["".join(h.itertext()) for h in headings] == [c.title for c in timings]


@QUICK
@given(title=HOSTILE, description=HOSTILE, author=HOSTILE, owner=HOSTILE, episode_title=HOSTILE)
@example(
    title="Tegn & <symboler>",
    description="Før & efter <måltidet> &amp; ]]> <![CDATA[ x",
    author="A & B",
    owner="<Klinik>",
    episode_title="5 < 10 & 2 --> 3",
)
def test_the_feed_parses_strictly_and_reads_back(
    tmp_path: Path, title: str, description: str, author: str, owner: str, episode_title: str
) -> None:
    title, description, author, owner = (as_line(t) for t in (title, description, author, owner))
    episode_title = as_line(episode_title)
    settings = FeedSettings(
        title=title, description=description, base_url="https://example.org/audio/",
        author=author, owner_name=owner, owner_email="clinic@example.org",
    )  # fmt: skip
    episode = Episode(
        slug="leaf", lang="da", title=episode_title, description=description, author=author,
        date="2026-03-16", guid=f"urn:{title}", audio_file="leaf.mp3", size=1000,
        duration_ms=2000, chapters=(ChapterTiming(episode_title, 0, 2000),), voice="espeak:da",
    )  # fmt: skip
    xml = render_feed("da", [episode], settings, tmp_path, "https://example.org/audio/c.png")
    described = f"{description} Voice: da (eSpeak NG)."
    etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    parsed = podcastparser.parse("https://example.org/audio/da/feed.xml", io.BytesIO(xml))
    assert parsed["title"] == squashed(title)
    assert parsed["itunes_owner"]["name"] == squashed(owner)
    (item,) = parsed["episodes"]
    assert item["title"] == squashed(episode_title)
    assert item["enclosures"][0]["url"] == "https://example.org/audio/da/leaf.mp3"
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    # A description is HTML to feedparser: shown as text, it is the leaflet's text, whatever
    # in it looks like markup. (Unless it looks like UTF-8 read as Latin-1, `Ã©`, which
    # feedparser repairs to `é` in any field.)
    if not re.search("[\u00c2-\u00f4][\u0080-\u00bf]", description):
        (entry,) = feed.entries
        assert squashed(html.unescape(entry.summary)) == squashed(described)
        assert squashed(html.unescape(feed.feed.description)) == squashed(description)


TAG_FIELDS = st.lists(HOSTILE, min_size=4, max_size=4)


@QUICK
@given(fields=TAG_FIELDS, titles=TITLES)
def test_id3_tags_read_back_as_written(
    audio: Audio, tmp_path: Path, fields: list[str], titles: list[str]
) -> None:
    title, album, artist, comment = (as_line(f) for f in fields)
    timings = audio.timings([as_line(t) for t in titles], ["a", "b", "c", "d"])
    path = tmp_path / "book.mp3"
    shutil.copyfile(audio.chapters[0], path)
    tags = Tags(
        title=title, album=album, language="dan", date="2026-03-16", track=1, track_total=1,
        artist=artist, publisher=artist, comment=comment, voice="espeak:da",
    )  # fmt: skip
    write_mp3_tags(path, tags, timings, "Kapitler")
    id3 = ID3(path)
    assert [id3[key].text[0] for key in ("TIT2", "TALB", "TPE1", "TPUB")] == [
        title,
        album,
        artist,
        artist,
    ]
    assert id3.getall("COMM")[0].text[0] == comment
    chapters = sorted(id3.getall("CHAP"), key=lambda frame: frame.start_time)
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == [c.title for c in timings]


def ffmetadata_chapter_titles(path: Path) -> list[str]:
    """Chapter titles as ffmpeg reads them, its FFMETADATA escapes (`\\` + char) undone."""
    text = run_ffmpeg(["-i", path, "-f", "ffmetadata", "-"])
    titles = []
    section = ""
    # A backslash escapes the next character, a line feed included; unescaped ones end lines.
    for line in re.findall(r"(?:[^\\\n]|\\.)+", text, flags=re.DOTALL):
        if line.startswith("["):
            section = line
        elif section == "[CHAPTER]" and line.startswith("title="):
            titles.append(re.sub(r"\\(.)", r"\1", line.removeprefix("title="), flags=re.DOTALL))
    return titles


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=TAG_FIELDS, titles=st.lists(LONG, min_size=2, max_size=2))
@example(
    fields=["Titel = 1; #2", "\\album", "Klinik\nØst", "[CHAPTER]"],
    titles=["Sådan tager du æblerne " * 14, "ø" * 200],
)
@example(fields=["\\", "\\", "\\", "\\"], titles=["\\", "a\\\nb\\"])
def test_m4b_tags_and_chapter_titles_read_back(
    audio: Audio, tmp_path: Path, fields: list[str], titles: list[str]
) -> None:
    title, album, artist, comment = (as_line(f) for f in fields)
    timings = audio.timings([as_line(t) for t in titles], ["a", "b", "c", "d"])
    tags = Tags(
        title=title, album=album, language="dan", date="2026-03-16", track=1, track_total=1,
        artist=artist, comment=comment, genre="Audiobook",
    )  # fmt: skip
    path = tmp_path / "book.m4b"
    write_tagged_m4b(path, audio.chapters, timings, tags)
    mp4 = mutagen.mp4.MP4(path)
    assert mp4.tags is not None
    assert [mp4.tags[atom][0] for atom in ("\xa9nam", "\xa9alb", "\xa9ART", "\xa9cmt")] == [
        title,
        album,
        artist,
        comment,
    ]
    # ffmpeg's own reading of the chapters, as players built on it list them, and the Nero
    # chapter atom as mutagen reads it: whole, or cut at a word to the atom's 255 bytes.
    assert mp4.chapters is not None
    for shown in (ffmetadata_chapter_titles(path), [c.title for c in mp4.chapters]):
        assert len(shown) == len(timings)
        for title_shown, chapter in zip(shown, timings, strict=True):
            # ffmpeg reads a title ending in a backslash as running on into the next line.
            title = re.sub(r"\\$", "\uff3c", chapter.title)
            if len(title.encode("utf-8")) <= 255:
                assert title_shown == title
            else:
                assert len(title_shown.encode("utf-8")) <= 255 and title_shown.endswith("…")
                assert title.startswith(title_shown.removesuffix("…"))


# The whole way: a hostile leaflet builds, warns, and passes `check`.

HOSTILE_MANIFEST = """\
title = "Hand\\u0007 care ]]> --> \\u202eevil\\u202c"
organisation = "Clinic\\u001b[31m \\u0000Øst & <Co>"
date = 2026-03-16
version = "1.\\u00070"
language = "en"
description = "Wash\\u2066 your hands ]]> <b>&amp;</b> --> please"
"""
HOSTILE_TEXT = (
    "Why clean \x07hands matter\n\n"
    "Germs travel on \x1b[1mhands\x1b[0m\x00. Use soap --> and water ]]> <now> & then.\n\f\n"
    "Before your visit\n\n"
    "Wash your \u202ehands\u202c before you leave \u2066home\u2069.\n"
)


def test_a_hostile_leaflet_builds_warns_and_passes_check(tmp_path: Path) -> None:
    folder = tmp_path / "leaf"
    folder.mkdir()
    (folder / "leaflet.toml").write_text(HOSTILE_MANIFEST, encoding="utf-8")
    (folder / "en.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    # In its own process, with a --owner-name that is not UTF-8 (Latin-1 `ø`), as a shell
    # on another code page would pass it: it arrives as a surrogate and is removed.
    done = subprocess.run(
        [
            sys.executable, "-m", "audioleaflet", "build", str(folder), "-o", str(out),
            "--feed-title", "Clinic\x07 leaflets -->", b"--owner-name",
            "Klinik \xf8st".encode("latin-1"), "--owner-email", "lyd@klinik.example",
            "--base-url", "https://example.org/a/",
        ],
        capture_output=True,
        check=False,
    )  # fmt: skip
    stderr = done.stderr.decode("utf-8", "backslashreplace")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    notices = [line for line in stderr.splitlines() if "control character" in line]
    # The manifest: BEL, RLO and PDF in the title; a colour code (5) and NUL in the
    # organisation; BEL in the version; LRI in the description. The text: BEL, two terminal
    # codes (4 + 4), NUL and four bidi controls; its form feed is a page break, not counted.
    assert notices == [
        "--feed-title: 1 control character removed",
        "--owner-name: 1 control character removed",
        f"{folder / 'leaflet.toml'}: 11 control characters removed (first on line 1)",
        f"{folder / 'en.txt'}: 14 control characters removed (first on line 1)",
    ]
    checked = runner().invoke(cli, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    xml = (out / "en" / "feed.xml").read_bytes()
    parsed = podcastparser.parse("https://example.org/a/en/feed.xml", io.BytesIO(xml))
    assert parsed["title"] == "Clinic leaflets -->"
    assert parsed["itunes_owner"]["name"] == "Klinik st"
    assert parsed["episodes"][0]["title"] == "Hand care ]]> --> evil"
    # The printed text, as the DAISY book shows it: every word kept, nothing of the controls.
    shown = etree.parse(str(out / "en" / "leaf.daisy" / TEXT_NAME)).getroot()
    text = squashed(" ".join(shown.itertext()))
    assert "Germs travel on hands. Use soap --> and water ]]> <now> & then." in text
    assert "Wash your hands before you leave home." in text


def test_a_blank_text_option_is_a_usage_error(tmp_path: Path) -> None:
    result = runner().invoke(cli, ["build", str(tmp_path), "--feed-title", "\x07\x00 "])
    assert result.exit_code == 2
    assert "--feed-title" in result.stderr and "must not be empty" in result.stderr
