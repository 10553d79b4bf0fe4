"""Transcripts that follow the audio sentence by sentence: WebVTT for the web, SRT for the rest.

One cue per spoken sentence, timed by the sentence spans of the timing model (so a cue is on
screen exactly while its sentence is heard). A listener who reads along with a screen reader
or a braille display wants the words as the leaflet prints them ("30", "mg") rather than as
the engine said them ("thirty", "milligrams"), so `use="source"` picks the printed form and
falls back to the spoken one for sentences that have none (an introduction, a note).

WebVTT follows the W3C syntax: the `WEBVTT` signature, blank lines between blocks, cue text
with `&`, `<` and `>` escaped (which also rules out `-->` in the text). Each chapter opens with
a NOTE block naming it and its cues have identifiers `<chapter>.<sentence>`, so the raw file
reads like the leaflet and a page can link to or search for a cue. Players do not show NOTEs:
for chapter navigation in a web player, `webvtt_chapters` gives the `kind="chapters"` track
(for the web edition's player page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from audioleaflet.atomic import write_bytes
from audioleaflet.model import ChapterTiming
from audioleaflet.outputs.cues import Cue, TextChoice, cues, one_line

__all__ = ["Cue", "TextChoice", "cues", "srt", "webvtt", "webvtt_chapters"]


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _vtt_escape(text: str) -> str:
    # `&` first, or the entities made for `<` and `>` would be escaped a second time.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ARROWS = re.compile(r"-{2,}>")


def _note(text: str) -> str:
    # A NOTE may not contain `-->` (it would start a cue) nor a blank line (it would end). All
    # dashes of a run go at once: replacing `-->` alone leaves one in `--->`.
    return "NOTE " + _ARROWS.sub("->", one_line(text))


def webvtt(
    timings: Sequence[ChapterTiming], lang: str, use: TextChoice = "spoken", credits: str = ""
) -> str:
    """The transcript as a WebVTT file: a NOTE per chapter, a cue per sentence; `credits`
    (the voice, its maker and licence, as its licence asks) in a NOTE at the top."""
    blocks = ["WEBVTT", _note(f"Language: {lang}. Text: {use}.")]
    if credits:
        blocks.append(_note(f"Voice: {credits}."))
    for cue in cues(timings, use):
        if cue.number == 1:
            blocks.append(_note(f"Chapter {cue.chapter}: {timings[cue.chapter - 1].title}"))
        timing = f"{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}"
        blocks.append(f"{cue.chapter}.{cue.number}\n{timing}\n{_vtt_escape(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def webvtt_chapters(timings: Sequence[ChapterTiming]) -> str:
    """The chapters as a WebVTT file for an HTML `<track kind="chapters">`: one cue each."""
    blocks = ["WEBVTT"]
    for number, chapter in enumerate(timings, start=1):
        timing = f"{_clock(chapter.start_ms, '.')} --> {_clock(chapter.end_ms, '.')}"
        blocks.append(f"chapter-{number}\n{timing}\n{_vtt_escape(one_line(chapter.title))}")
    return "\n\n".join(blocks) + "\n"


def srt(timings: Sequence[ChapterTiming], use: TextChoice = "spoken") -> str:
    """The transcript as SubRip: numbered cues, comma before the milliseconds.

    SRT has no escaping and no comments; its text is plain, so `&` and `<` stay as they are
    and the chapter titles are heard (and read) as the first cue of each chapter.
    """
    blocks = [
        f"{index}\n{_clock(cue.start_ms, ',')} --> {_clock(cue.end_ms, ',')}\n{cue.text}"
        for index, cue in enumerate(cues(timings, use), start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def write_webvtt(
    dest: Path,
    timings: Sequence[ChapterTiming],
    lang: str,
    use: TextChoice = "spoken",
    credits: str = "",
) -> None:
    """Write the WebVTT transcript to `dest` atomically, UTF-8 without a byte-order mark."""
    write_bytes(dest, webvtt(timings, lang, use, credits).encode("utf-8"))


def write_srt(dest: Path, timings: Sequence[ChapterTiming], use: TextChoice = "spoken") -> None:
    """Write the SRT transcript to `dest` atomically, UTF-8."""
    write_bytes(dest, srt(timings, use).encode("utf-8"))


# Reading them back, strictly (for `check`): the cues' (start ms, end ms), or ValueError saying
# what is wrong and on which line.

_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+\S.*)?$")
_SRT_TIMING = re.compile(
    r"^(\d{2,}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d),(\d{3})\s*$"
)


def _ms(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blocks of non-blank lines with the line number each starts at."""
    blocks: list[tuple[int, list[str]]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if blocks and number > 1 and lines[number - 2].strip():
            blocks[-1][1].append(line)
        else:
            blocks.append((number, [line]))
    return blocks


def _in_order(cues: list[tuple[int, int]], start: int, end: int, line: int) -> None:
    if end <= start:
        raise ValueError(f"line {line}: cue ends before it starts")
    if cues and start < cues[-1][0]:
        raise ValueError(f"line {line}: cue starts before the cue before it")
    cues.append((start, end))


def read_webvtt(text: str) -> list[tuple[int, int]]:
    """A strict reading of WebVTT (W3C): signature, header, NOTE/STYLE/REGION blocks, cues."""
    text = text.removeprefix("\ufeff")
    blocks = _blocks(text)
    first = text.split("\n", 1)[0].rstrip("\r")
    if not blocks or not re.fullmatch(r"WEBVTT(?:[ \t].*)?", first):
        raise ValueError("line 1: no WEBVTT signature")
    cues: list[tuple[int, int]] = []
    for line, lines in blocks[1:]:
        if re.match(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)", lines[0]) and "-->" not in lines[0]:
            if lines[0].startswith(("STYLE", "REGION")) and cues:
                raise ValueError(f"line {line}: {lines[0].split()[0]} block after a cue")
            continue
        timing_at = 1 if "-->" not in lines[0] else 0
        if timing_at >= len(lines):
            raise ValueError(f"line {line}: cue identifier without timings")
        match = _VTT_TIMING.match(lines[timing_at])
        if not match:
            raise ValueError(f"line {line + timing_at}: bad cue timings {lines[timing_at]!r}")
        if any("-->" in text_line for text_line in lines[timing_at + 1 :]):
            raise ValueError(f"line {line}: cue text contains '-->'")
        groups = match.groups()
        _in_order(cues, _ms(*groups[:4]), _ms(*groups[4:]), line + timing_at)
    return cues


def read_srt(text: str) -> list[tuple[int, int]]:
    """A strict reading of SubRip: numbered blocks from 1, comma-millisecond timings, text."""
    cues: list[tuple[int, int]] = []
    for line, lines in _blocks(text.removeprefix("\ufeff")):
        if lines[0].strip() != str(len(cues) + 1):
            raise ValueError(f"line {line}: expected cue number {len(cues) + 1}, got {lines[0]!r}")
        match = _SRT_TIMING.match(lines[1]) if len(lines) > 1 else None
        if not match:
            raise ValueError(f"line {line + 1}: bad cue timings")
        if len(lines) < 3:
            raise ValueError(f"line {line}: cue without text")
        groups = match.groups()
        _in_order(cues, _ms(*groups[:4]), _ms(*groups[4:]), line + 1)
    return cues
