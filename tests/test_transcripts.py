"""WebVTT and SRT transcripts of real builds, read back with real parsers and the W3C rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools
import re
from pathlib import Path

import pytest
import srt
import webvtt

from audioleaflet.build import BuiltLeaflet
from audioleaflet.model import ChapterTiming, SentenceTiming
from audioleaflet.outputs.transcripts import (
    TextChoice,
    webvtt_chapters,
    write_srt,
    write_webvtt,
)
from tests.audio_checks import decoded_ms
from tests.leaflet_builds import HAND_HYGIENE, build_leaflet, build_special_characters


@pytest.fixture(scope="module")
def hygiene(tmp_path_factory: pytest.TempPathFactory) -> BuiltLeaflet:
    return build_leaflet(HAND_HYGIENE, tmp_path_factory.mktemp("hygiene"), "en")


@pytest.fixture(scope="module")
def special(tmp_path_factory: pytest.TempPathFactory) -> BuiltLeaflet:
    return build_special_characters(tmp_path_factory.mktemp("special"))


def sentences(timings: tuple[ChapterTiming, ...]) -> list[SentenceTiming]:
    return [s for chapter in timings for s in chapter.sentences]


def shown(sentence: SentenceTiming, use: TextChoice) -> str:
    return (sentence.source if use == "source" else "") or sentence.text


# The W3C WebVTT syntax (https://www.w3.org/TR/webvtt1/), as far as our files use it.
TIMESTAMP = r"\d{2,}:[0-5]\d:[0-5]\d\.\d{3}"
TIMING_LINE = re.compile(rf"^({TIMESTAMP}) --> ({TIMESTAMP})$")
# Cue text may hold `&` only as the start of a character reference, and no `<` or `>` that
# is not a tag; we write no tags, so none at all.
BARE_AMPERSAND = re.compile(r"&(?!(amp|lt|gt|nbsp|lrm|rlm);)")


def ms(timestamp: str) -> int:
    hours, minutes, rest = timestamp.split(":")
    seconds, millis = rest.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def check_webvtt_syntax(text: str) -> list[tuple[str, int, int, str]]:
    """Check `text` against the WebVTT rules; return the cues as (id, start, end, payload)."""
    assert not text.startswith("\ufeff")
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"  # signature alone on its line, then a blank line
    found: list[tuple[str, int, int, str]] = []
    for block in blocks[1:]:
        lines = block.split("\n")
        assert all(line.strip() for line in lines), f"blank line inside a block: {block!r}"
        if lines[0].startswith("NOTE"):
            assert lines[0] == "NOTE" or lines[0][4] in " \t"
            assert "-->" not in block
            continue
        identifier, timing, *payload = lines
        assert "-->" not in identifier
        match = TIMING_LINE.match(timing)
        assert match, f"bad timing line {timing!r}"
        for line in payload:
            assert "-->" not in line
            assert "<" not in line and ">" not in line
            assert not BARE_AMPERSAND.search(line), line
        found.append((identifier, ms(match[1]), ms(match[2]), "\n".join(payload)))
    identifiers = [cue[0] for cue in found]
    assert len(set(identifiers)) == len(identifiers)
    for _, start, end, _ in found:
        assert start < end
    for before, after in itertools.pairwise(found):
        assert before[1] < after[1] and before[2] <= after[1]  # increasing, no overlap
    return found


@pytest.mark.parametrize("use", ["spoken", "source"])
def test_webvtt_has_one_cue_per_sentence_at_its_times(
    hygiene: BuiltLeaflet, tmp_path: Path, use: TextChoice
) -> None:
    dest = tmp_path / "transcript.vtt"
    write_webvtt(dest, hygiene.timings, "en", use=use)
    said = sentences(hygiene.timings)

    parsed = webvtt.read(str(dest), strict=True)
    assert len(parsed.captions) == len(said)
    for caption, sentence in zip(parsed.captions, said, strict=True):
        assert caption.start_time.in_milliseconds() == sentence.start_ms
        assert caption.end_time.in_milliseconds() == sentence.end_ms
        assert html.unescape(caption.raw_text) == shown(sentence, use)

    cues = check_webvtt_syntax(dest.read_text(encoding="utf-8"))
    assert [cue[0] for cue in cues] == [
        f"{c}.{s}"
        for c, chapter in enumerate(hygiene.timings, start=1)
        for s in range(1, len(chapter.sentences) + 1)
    ]
    assert cues[-1][2] <= hygiene.duration_ms <= decoded_ms(hygiene.book)


def test_webvtt_names_each_chapter_in_a_note_before_its_cues(
    hygiene: BuiltLeaflet, tmp_path: Path
) -> None:
    dest = tmp_path / "transcript.vtt"
    write_webvtt(dest, hygiene.timings, "en")
    text = dest.read_text(encoding="utf-8")
    for number, chapter in enumerate(hygiene.timings, start=1):
        assert f"NOTE Chapter {number}: {chapter.title}\n\n{number}.1\n" in text
    assert text.startswith("WEBVTT\n\nNOTE Language: en. Text: spoken.\n\n")


def test_printed_text_is_escaped_and_round_trips(special: BuiltLeaflet, tmp_path: Path) -> None:
    vtt, subrip = tmp_path / "t.vtt", tmp_path / "t.srt"
    write_webvtt(vtt, special.timings, "da", use="source")
    write_srt(subrip, special.timings, use="source")
    printed = [s.source for s in sentences(special.timings)]
    assert {"Før & efter <måltidet>", "Dosis < 5 mg"} <= set(printed)
    assert any("-->" in line for line in printed)

    text = vtt.read_text(encoding="utf-8")
    check_webvtt_syntax(text)
    assert "Før &amp; efter &lt;måltidet&gt;" in text
    assert "2 g --&gt; spørg" in text
    assert [html.unescape(c.raw_text) for c in webvtt.read(str(vtt), strict=True)] == printed
    # SRT has no escaping: the parser gives back exactly what was printed.
    assert [s.content for s in srt.parse(subrip.read_text(encoding="utf-8"))] == printed


def test_srt_has_one_numbered_cue_per_sentence(hygiene: BuiltLeaflet, tmp_path: Path) -> None:
    dest = tmp_path / "transcript.srt"
    write_srt(dest, hygiene.timings)
    said = sentences(hygiene.timings)
    text = dest.read_text(encoding="utf-8")
    parsed = list(srt.parse(text))
    assert [s.index for s in parsed] == list(range(1, len(said) + 1))
    for subtitle, sentence in zip(parsed, said, strict=True):
        assert subtitle.start == dt.timedelta(milliseconds=sentence.start_ms)
        assert subtitle.end == dt.timedelta(milliseconds=sentence.end_ms)
        assert subtitle.content == sentence.text
    assert re.search(r"^00:00:00,000 --> 00:00:\d\d,\d{3}$", text, re.MULTILINE)
    assert parsed[-1].end <= dt.timedelta(milliseconds=decoded_ms(hygiene.book))


def test_source_text_falls_back_to_spoken_text(hygiene: BuiltLeaflet, tmp_path: Path) -> None:
    # An introduction the build adds has no printed form; blank one sentence's source to see it.
    first = hygiene.timings[0]
    unprinted = dataclasses.replace(first.sentences[1], source="")
    timings = (
        dataclasses.replace(first, sentences=(first.sentences[0], unprinted,
                                              *first.sentences[2:])),
        *hygiene.timings[1:],
    )  # fmt: skip
    write_webvtt(tmp_path / "t.vtt", timings, "en", use="source")
    write_srt(tmp_path / "t.srt", timings, use="source")
    assert webvtt.read(str(tmp_path / "t.vtt"), strict=True).captions[1].text == unprinted.text
    assert list(srt.parse((tmp_path / "t.srt").read_text("utf-8")))[1].content == unprinted.text


def test_webvtt_chapters_track_has_one_cue_per_chapter(
    special: BuiltLeaflet, tmp_path: Path
) -> None:
    dest = tmp_path / "chapters.vtt"
    dest.write_text(webvtt_chapters(special.timings), encoding="utf-8")
    check_webvtt_syntax(webvtt_chapters(special.timings))
    parsed = webvtt.read(str(dest), strict=True)
    assert [html.unescape(c.raw_text) for c in parsed] == [c.title for c in special.timings]
    assert [c.start_time.in_milliseconds() for c in parsed] == [c.start_ms for c in special.timings]
    assert parsed.captions[-1].end_time.in_milliseconds() == special.duration_ms


def test_overlapping_timings_are_refused_and_the_previous_file_stays(
    hygiene: BuiltLeaflet, tmp_path: Path
) -> None:
    dest = tmp_path / "transcript.vtt"
    write_webvtt(dest, hygiene.timings, "en")
    before = dest.read_bytes()
    chapter = hygiene.timings[0]
    late = dataclasses.replace(chapter.sentences[0], end_ms=chapter.sentences[1].start_ms + 1)
    broken = (dataclasses.replace(chapter, sentences=(late, *chapter.sentences[1:])),)
    with pytest.raises(ValueError, match="starts before"):
        write_webvtt(dest, broken, "en")
    with pytest.raises(ValueError, match="starts before"):
        write_srt(tmp_path / "transcript.srt", broken)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["transcript.vtt"]
