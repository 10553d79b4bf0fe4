"""Checking a built output folder the way listeners, podcast apps and DAISY players meet it.

`check_output` looks at every file a build publishes and returns one row per check: the audio
decodes completely and is not silent, the chapters cover it, it measures at the loudness target,
the feeds point at files that exist with the sizes they state, the transcripts and chapters JSON
parse and end inside the audio, and every DAISY book passes `validate_daisy`. Then whether the
audio is what the build says it is (`audio/compare.py`): speech under every cue of the book's
transcript and silence in every pause between cues, and each chapter file the same audio as its
chapter of the book. These catch what a damaged clip or cache entry produced (issue 17): audio
out of step with its transcript, and files that differ although their lengths are right.

Each audio file is decoded once: one ffmpeg run counts its samples (`astats`), measures its
loudness and true peak (`ebur128`), and logs decoding errors at the `error` level, which the
`level` log flag makes recognisable; for books and chapter files the same run also writes the
audio as low-rate PCM. The runs go in parallel threads (ffmpeg does the work).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import statistics
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from lxml import etree
from mutagen import MutagenError

from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.audio.loudness import EBUR128_QUIET_FRAMES, INTEGRATED_LINE, SILENT_LUFS
from audioleaflet.audio.tags import read_mp3_chapters
from audioleaflet.config.audio import TARGET_LUFS, TRUE_PEAK_DBTP
from audioleaflet.errors import LeafletError, OutputError
from audioleaflet.outputs.chapters_json import VERSION as CHAPTERS_VERSION
from audioleaflet.outputs.daisy_check import validate_daisy
from audioleaflet.programs.ffmpeg import run_ffmpeg, run_ffmpeg_data
from audioleaflet.publish.feed import ITUNES_NS, LEGACY_PODCAST_NS, PODCAST_NS

if TYPE_CHECKING:
    # Imported where the audio is compared: numpy takes 0.1 s to load, and the CLI imports this
    # module for every command.
    from audioleaflet.audio import compare

TOLERANCE_LU = 1.0
CHAPTER_END_MS = 50
"""How far the last chapter may end from the decoded end of the audio."""
TRANSCRIPT_END_MS = 5
"""How far the last cue or chapter start may lie after the decoded end of the audio."""
# Speech under the transcript: measured on builds of content/ and the shared leaflets, every cue
# lies within 2 dB of the median cue's level, and every pause decodes to digital silence once
# its first and last 50 ms (where MP3 frames overlap speech) are left out. A book assembled from
# a truncated clip (issue 17) had cues 18 dB below the median and speech at -22 dBFS in pauses.
CUE_BELOW_MEDIAN_DB = 12.0
"""A cue this far below the median cue has no speech under it."""
SILENT_CUE_DBFS = -60.0
"""A cue this quiet has no speech under it, whatever the others do."""
PAUSE_EDGE_MS = 50
PAUSE_SOUND_DBFS = -50.0
"""A pause between cues louder than this holds sound that the transcript does not show."""
# A chapter file against its span of the book: separately encoded MP3s differ by their coding
# noise, whose loudest 250 ms window measured 17.5 dB below the book's level (content/ and the
# shared leaflets); silence or other speech in its place differs at about the book's level.
CHAPTER_WINDOW_MS = 250
CHAPTER_DIFFERENCE_DB = 8.0
"""A window of the difference this close to the book's level is not coding noise."""
FEED_DURATION_MS = 1000
"""How far an item's `itunes:duration` (whole seconds) may be from its enclosure's audio."""
_AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4b": "audio/mp4", ".m4a": "audio/mp4"}
_ATOM_NS = "http://www.w3.org/2005/Atom"
_Parser = Callable[[str], list[tuple[int, int]]]
"""A transcript parser: the cues' (start ms, end ms), or ValueError."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One row of the check table."""

    file: str
    """The file checked, relative to the output folder."""
    check: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class AudioMeasure:
    """What one decode of an audio file found."""

    errors: tuple[str, ...]
    """Decoding errors ffmpeg reported (or why it failed)."""
    decoded_ms: float | None
    stated_ms: float | None
    """The length the container states (ffmpeg's `Duration:`), if any."""
    integrated_lufs: float | None
    true_peak_dbtp: float | None
    pcm: bytes = b""
    """Mono 16-bit PCM at `compare.RATE`, when asked for (books and chapter files)."""


_ERROR_LINE = re.compile(r"\[(?:error|fatal|panic)\]\s*(.*)")
_SAMPLES = re.compile(r"Number of samples:\s*(\d+)")
_RATE = re.compile(r"Audio: .*?(\d+) Hz")
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_TRUE_PEAK = re.compile(r"True peak:\s*\n\s*Peak:\s+(-?(?:[0-9.]+|inf))\s+dBFS")


def _last_float(pattern: re.Pattern[str], log: str) -> float | None:
    found = pattern.findall(log)
    return float(found[-1]) if found else None


def measure_audio(path: Path, pcm: bool = False) -> AudioMeasure:
    """Decode `path` once: its errors, decoded and stated length, loudness and true peak.

    With `pcm`, the same decode also gives the audio as mono PCM at `compare.RATE`.
    """
    also_pcm: list[str | Path] = []
    if pcm:
        from audioleaflet.audio import compare

        also_pcm = ["-map", "0:a:0", "-ac", "1", "-ar", str(compare.RATE), "-f", "s16le", "pipe:1"]
    try:
        data, log = run_ffmpeg_data(
            ["-nostats", "-loglevel", "level+info", "-i", path, "-map", "0:a:0",
             "-af", "astats=metadata=0:measure_perchannel=none:measure_overall=Number_of_samples,"
                    f"ebur128=peak=true:{EBUR128_QUIET_FRAMES}",
             "-f", "null", "-", *also_pcm],
        )  # fmt: skip
    except LeafletError as exc:
        return AudioMeasure((str(exc),), None, None, None, None)
    errors = tuple(m.group(1).strip() for m in map(_ERROR_LINE.search, log.splitlines()) if m)
    samples, rate = _SAMPLES.search(log), _RATE.search(log)
    decoded = int(samples.group(1)) * 1000 / int(rate.group(1)) if samples and rate else None
    duration = _DURATION.search(log)
    stated = None
    if duration:
        hours, minutes, seconds = duration.groups()
        stated = ((int(hours) * 60 + int(minutes)) * 60 + float(seconds)) * 1000
    return AudioMeasure(
        errors, decoded, stated, _last_float(INTEGRATED_LINE, log), _last_float(_TRUE_PEAK, log),
        data,
    )  # fmt: skip


def check_output(
    folder: Path,
    target_lufs: float = TARGET_LUFS,
    tolerance_lu: float = TOLERANCE_LU,
    max_true_peak: float = TRUE_PEAK_DBTP,
) -> list[CheckResult]:
    """Every check of the built output `folder`, one row each; raises if there is no output."""
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder: build into it first")
    # Feed links resolve to absolute paths; the rows name files relative to this folder.
    folder = folder.resolve()
    # Hidden entries are not published: a build's staging folder, or the old copy it is
    # deleting, may stand there half-made.
    audio = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".mp3", ".m4b") and p.is_file() and not _hidden(p, folder)
    )
    feeds = sorted(p for p in folder.glob("*/feed.xml") if not _hidden(p, folder))
    if not audio and not feeds:
        raise OutputError(f"{folder} holds no built audio or feeds: build into it first")
    require_usable_ffmpeg()
    daisies = sorted(p for p in folder.glob("*/*.daisy") if p.is_dir() and not _hidden(p, folder))
    books = [p for p in audio if p.suffix == ".mp3" and p.parent.parent == folder]
    chapter_files = {book: sorted(book.with_suffix("").glob("*.mp3")) for book in books}
    # A book and its chapter files are decoded first and with their PCM, which is compared as
    # soon as they are all there and then dropped: memory holds a few books' audio at a time.
    order = [path for book in books for path in (book, *chapter_files[book])]
    with_pcm = set(order)
    order += [path for path in audio if path not in with_pcm]
    workers = min(32, (os.cpu_count() or 2) * 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {path: pool.submit(measure_audio, path, path in with_pcm) for path in order}
        done: dict[Path, AudioMeasure] = {}
        agreement: dict[Path, CheckResult] = {}
        for book in books:
            group = {path: futures.pop(path).result() for path in (book, *chapter_files[book])}
            agreement |= _agreement(folder, book, chapter_files[book], group)
            done |= {path: replace(measure, pcm=b"") for path, measure in group.items()}
        done |= {path: future.result() for path, future in futures.items()}
        measured = {path: done[path] for path in audio}
        checker = _Checker(folder, measured)
        # The books' MP3s were among the files just decoded: their lengths are reused.
        daisy_problems = list(
            pool.map(lambda book: validate_daisy(book, checker.audio_ms), daisies)
        )
    rows: list[CheckResult] = []
    for path, measure in measured.items():
        rows += checker.audio(path, measure, target_lufs, tolerance_lu, max_true_peak)
        rows += [agreement[path]] if path in agreement else []
    for feed in feeds:
        rows += checker.feed(feed)
    for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not _hidden(p, folder)):
        for vtt in sorted(lang_dir.glob("*.vtt")):
            rows.append(checker.transcript(vtt, _parse_vtt))
            rows += [agreement[vtt]] if vtt in agreement else []
        for srt in sorted(lang_dir.glob("*.srt")):
            rows.append(checker.transcript(srt, _parse_srt))
        for chapters in sorted(lang_dir.glob("*.chapters.json")):
            rows.append(checker.chapters_json(chapters))
    for book, problems in zip(daisies, daisy_problems, strict=True):
        name = checker.name(book)
        rows += [_daisy_row(name, problem) for problem in problems]
        if not problems:
            rows.append(CheckResult(name, "daisy", True, "DAISY 2.02 book valid"))
    return rows


def _agreement(
    folder: Path, book: Path, chapters: list[Path], measured: dict[Path, AudioMeasure]
) -> dict[Path, CheckResult]:
    """The rows saying whether the book's audio agrees with its transcript (keyed by the VTT)
    and with each chapter file (keyed by the file). A file that did not decode is left out:
    its decode row says so already."""
    from audioleaflet.audio import compare

    measure = measured[book]
    if not _decode_verdict(measure)[0]:
        return {}
    name = book.relative_to(folder).as_posix()
    audio = compare.samples(measure.pcm)
    envelope = compare.Envelope.of(audio)
    rows: dict[Path, CheckResult] = {}
    vtt = book.with_suffix(".vtt")
    try:
        cues = _parse_vtt(vtt.read_text(encoding="utf-8")) if vtt.is_file() else []
    except (OSError, UnicodeDecodeError, ValueError):
        cues = []  # Its own row reports it.
    if cues:
        rows[vtt] = CheckResult(name, "speech", *_speech(envelope, cues, vtt.name))
    try:
        marks = _id3_chapters(book)
    except (ValueError, MutagenError):
        marks = []  # The book's chapters row reports it.
    level = envelope.level()
    for chapter in chapters:
        chapter_measure = measured[chapter]
        if marks and _decode_verdict(chapter_measure)[0]:
            verdict = _same_as_book(audio, level, marks, chapter, chapter_measure, name)
            rows[chapter] = CheckResult(chapter.relative_to(folder).as_posix(), "same as book",
                                        *verdict)  # fmt: skip
    return rows


def _speech(envelope: compare.Envelope, cues: list[tuple[int, int]], vtt: str) -> tuple[bool, str]:
    """Speech under every cue of the transcript, and silence in every pause between them."""
    from audioleaflet.audio import compare

    inside = [(start, end) for start, end in cues if end <= envelope.length_ms]
    if not inside:
        return False, f"no cue of {vtt} lies inside the audio"
    levels = [envelope.level(start, end) for start, end in inside]
    median = statistics.median(levels)
    for number, ((start, end), level) in enumerate(zip(inside, levels, strict=True), 1):
        if level < median - CUE_BELOW_MEDIAN_DB or level < SILENT_CUE_DBFS:
            return False, (
                f"no speech under cue {number} of {vtt} ({_clock(start)}-{_clock(end)}): "
                f"{level:.0f} dBFS, the cues' median {median:.0f} dBFS"
            )
    pauses: list[float] = []
    for number, ((_, start), (end, _)) in enumerate(itertools.pairwise(inside), 1):
        if end - start < 2 * PAUSE_EDGE_MS + compare.WINDOW_MS:
            continue
        level = envelope.inner_level(start + PAUSE_EDGE_MS, end - PAUSE_EDGE_MS)
        pauses.append(level)
        if level > PAUSE_SOUND_DBFS:
            return False, (
                f"sound in the pause after cue {number} of {vtt} ({_clock(start)}-{_clock(end)}): "
                f"{level:.0f} dBFS; the audio is out of step with the transcript"
            )
    loudest = f" (loudest: {_level(max(pauses))})" if pauses else ""
    return True, (
        f"speech under all {len(inside)} cues of {vtt} (median {median:.0f} dBFS, "
        f"lowest {min(levels):.0f}), {len(pauses)} pauses silent{loudest}"
    )


def _same_as_book(
    book: compare.Samples,
    book_level: float,
    marks: list[tuple[float, float]],
    chapter: Path,
    measure: AudioMeasure,
    book_name: str,
) -> tuple[bool, str]:
    """A chapter file `NN-title.mp3` against chapter NN of the book, aligned on its mark."""
    from audioleaflet.audio import compare

    number_text = chapter.name.split("-", 1)[0]
    if not number_text.isdigit() or not 1 <= int(number_text) <= len(marks):
        return False, f"not one of the {len(marks)} chapters of {book_name} (NN-title.mp3)"
    number = int(number_text)
    start, end = (round(t) for t in marks[number - 1])
    what = f"chapter {number} of {book_name}"
    audio = compare.samples(measure.pcm)
    length_ms = len(audio) * 1000 // compare.RATE
    if abs(length_ms - (end - start)) > CHAPTER_END_MS:
        return False, f"lasts {_clock(length_ms)}, {what} {_clock(end - start)}"
    if end > len(book) * 1000 // compare.RATE + CHAPTER_END_MS:
        return False, f"{what} ends at {_clock(end)}, after the book's audio"
    worst = compare.worst_difference(book, start, audio, CHAPTER_WINDOW_MS)
    if worst.level_dbfs > book_level - CHAPTER_DIFFERENCE_DB:
        return False, (
            f"differs from {what} {_clock(worst.at_ms)} into the file: the difference is "
            f"{worst.level_dbfs:.0f} dBFS, the book {book_level:.0f} dBFS"
        )
    return True, (
        f"the audio of {what}, {_clock(start)}-{_clock(end)} "
        f"(largest difference: {_level(worst.level_dbfs)})"
    )


def _level(dbfs: float) -> str:
    from audioleaflet.audio.compare import SILENCE_DBFS

    return "digital silence" if dbfs <= SILENCE_DBFS else f"{dbfs:.0f} dBFS"


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def _daisy_row(book: str, problem: str) -> CheckResult:
    inner, sep, detail = problem.partition(": ")
    return CheckResult(f"{book}/{inner}" if sep else book, "daisy", False, detail or problem)


def _clock(ms: float) -> str:
    return f"{int(ms // 60000)}:{ms % 60000 / 1000:06.3f}"


class _Checker:
    def __init__(self, folder: Path, measured: dict[Path, AudioMeasure]) -> None:
        self.folder = folder
        self.measured = measured

    def name(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def audio(
        self, path: Path, measure: AudioMeasure, target: float, tolerance: float, peak: float
    ) -> Iterator[CheckResult]:
        name = self.name(path)
        yield CheckResult(name, "decode", *_decode_verdict(measure))
        if measure.decoded_ms is None:
            return
        if path.suffix == ".m4b" or path.parent.parent == self.folder:
            yield CheckResult(name, "chapters", *self.chapters(path, measure.decoded_ms))
        lufs, true_peak = measure.integrated_lufs, measure.true_peak_dbtp
        if lufs is None or true_peak is None:
            yield CheckResult(name, "loudness", False, "ebur128 gave no measurement")
            return
        figures = f"{lufs:.1f} LUFS, true peak {true_peak:.1f} dBTP"
        faults = []
        if not abs(lufs - target) <= tolerance:
            faults.append(f"loudness outside {target:g} ± {tolerance:g} LU")
        if not true_peak <= peak:
            faults.append(f"true peak above {peak:g} dBTP")
        yield CheckResult(name, "loudness", not faults, "; ".join([figures, *faults]))

    def chapters(self, path: Path, decoded_ms: float) -> tuple[bool, str]:
        try:
            marks = _id3_chapters(path) if path.suffix == ".mp3" else _ffmetadata_chapters(path)
        except (LeafletError, ValueError, MutagenError) as exc:
            return False, f"chapters unreadable: {exc}"
        if not marks:
            return False, "no chapters"
        expected = 0.0
        for number, (start, end) in enumerate(marks, start=1):
            if start != expected:
                return False, f"chapter {number} starts at {_clock(start)}, not {_clock(expected)}"
            if end <= start:
                return False, f"chapter {number} ends at {_clock(end)}, before it starts"
            expected = end
        if abs(expected - decoded_ms) > CHAPTER_END_MS:
            return False, f"chapters end at {_clock(expected)}, the audio at {_clock(decoded_ms)}"
        return True, f"{len(marks)} chapters, contiguous, end at {_clock(expected)}"

    def audio_ms(self, path: Path) -> float | None:
        measure = self.measured.get(path)
        return measure.decoded_ms if measure else None

    def transcript(self, path: Path, parse: _Parser) -> CheckResult:
        name, kind = self.name(path), path.suffix.lstrip(".")
        try:
            cues = parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return CheckResult(name, kind, False, f"does not parse: {exc}")
        if not cues:
            return CheckResult(name, kind, False, "no cues")
        return self._ends_inside(name, kind, path.with_suffix(".mp3"), cues[-1][1], len(cues))

    def _ends_inside(
        self, name: str, kind: str, book: Path, last_ms: float, count: int
    ) -> CheckResult:
        length = self.audio_ms(book)
        what = f"{count} {'cues' if kind != 'chapters-json' else 'chapters'}"
        if length is None:
            return CheckResult(name, kind, False, f"{what}, but {self.name(book)} is unusable")
        if last_ms > length + TRANSCRIPT_END_MS:
            detail = f"ends at {_clock(last_ms)}, after the audio ({_clock(length)})"
            return CheckResult(name, kind, False, detail)
        return CheckResult(name, kind, True, f"{what}, last at {_clock(last_ms)}")

    def chapters_json(self, path: Path) -> CheckResult:
        name, kind = self.name(path), "chapters-json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            starts = _json_starts(document)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return CheckResult(name, kind, False, f"invalid: {exc}")
        book = path.with_name(path.name.removesuffix(".chapters.json") + ".mp3")
        ends = [float(c["endTime"]) * 1000 for c in document["chapters"] if "endTime" in c]
        return self._ends_inside(name, kind, book, max([starts[-1], *ends]), len(starts))

    def feed(self, path: Path) -> Iterator[CheckResult]:
        name = self.name(path)
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        try:
            root = etree.parse(str(path), parser).getroot()
        except (OSError, etree.XMLSyntaxError) as exc:
            yield CheckResult(name, "feed", False, f"not well-formed XML: {exc}")
            return
        self_url = root.xpath("string(/rss/channel/atom:link[@rel='self']/@href)",
                              namespaces={"atom": _ATOM_NS})  # fmt: skip
        folder_url = str(self_url).rsplit("/", 1)[0] + "/" if self_url else ""
        items = root.findall("./channel/item")
        if not items:
            yield CheckResult(name, "feed", False, "no items")
        for item in items:
            links: list[_Link] = []
            duration = item.findtext(f"{{{ITUNES_NS}}}duration")
            for enc in item.findall("enclosure"):
                url, length, mime = enc.get("url", ""), enc.get("length"), enc.get("type")
                links.append(_Link("enclosure", url, length, mime, duration))
            for alt in item.iter(f"{{{PODCAST_NS}}}alternateEnclosure"):
                for source in alt.iter(f"{{{PODCAST_NS}}}source"):
                    url, length, mime = source.get("uri", ""), alt.get("length"), alt.get("type")
                    links.append(_Link("alternateEnclosure", url, length, mime))
            for ns, label in ((PODCAST_NS, ""), (LEGACY_PODCAST_NS, " (legacy namespace)")):
                for tag in ("transcript", "chapters"):
                    for element in item.iter(f"{{{ns}}}{tag}"):
                        links.append(_Link(tag + label, element.get("url", "")))
            if not any(link.kind == "enclosure" for link in links):
                yield CheckResult(
                    name, "feed", False, f"item {item.findtext('title')!r}: no enclosure"
                )
            for link in links:
                yield self.feed_link(name, path.parent, folder_url, link)

    def feed_link(self, name: str, lang_dir: Path, folder_url: str, link: _Link) -> CheckResult:
        kind, url, length = link.kind, link.url, link.length
        check = f"feed {kind.split(' ', 1)[0]}"
        target = _local_file(url, folder_url, lang_dir)
        if target is None or not target.is_file():
            return CheckResult(name, check, False, f"{kind} {url}: no such file in the output")
        shown = self.name(target)
        mismatch = self._audio_mismatch(target, link)
        if mismatch:
            return CheckResult(name, check, False, f"{kind} {shown}: {mismatch}")
        if length is not None:
            size = target.stat().st_size
            if length.strip() != str(size):
                detail = f"{kind} {shown}: length={length!r} in the feed, the file has {size} bytes"
                return CheckResult(name, check, False, detail)
            return CheckResult(name, check, True, f"{kind} {shown}: {size} bytes")
        return CheckResult(name, check, True, f"{kind} {shown} exists")

    def _audio_mismatch(self, target: Path, link: _Link) -> str | None:
        """What an enclosure states that its file contradicts: its type, the item's duration."""
        expected = _AUDIO_TYPES.get(target.suffix)
        if link.mime is not None and expected is not None and link.mime != expected:
            return f"type={link.mime!r} in the feed, the file is {expected}"
        if link.duration is None:
            return None
        stated, decoded = _duration_ms(link.duration), self.audio_ms(target.resolve())
        if stated is None:
            return f"itunes:duration {link.duration!r} is not HH:MM:SS"
        if decoded is not None and abs(stated - decoded) > FEED_DURATION_MS:
            return f"itunes:duration {link.duration} in the feed, the audio lasts {_clock(decoded)}"
        return None


@dataclass(frozen=True, slots=True)
class _Link:
    """A link in a feed item to a file of the output."""

    kind: str
    url: str
    length: str | None = None
    mime: str | None = None
    """The `type` the feed states (enclosures only)."""
    duration: str | None = None
    """The item's `itunes:duration` (the enclosure only)."""


def _duration_ms(text: str) -> float | None:
    """`itunes:duration` as HH:MM:SS, MM:SS or seconds; None if it is none of these."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(?:\.\d+)?", p) for p in parts):
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds * 1000


def _local_file(url: str, folder_url: str, lang_dir: Path) -> Path | None:
    """The output file a feed URL points at: by its path after the feed's own folder."""
    if folder_url and url.startswith(folder_url):
        relative = url[len(folder_url) :]
    else:
        path = urlsplit(url).path
        marker = f"/{lang_dir.name}/"
        if marker not in path:
            return None
        relative = path.rsplit(marker, 1)[1]
    relative = unquote(relative.split("?", 1)[0].split("#", 1)[0])
    target = (lang_dir / relative).resolve()
    if not relative or not target.is_relative_to(lang_dir.resolve()):
        return None
    return target


def _decode_verdict(measure: AudioMeasure) -> tuple[bool, str]:
    if measure.errors:
        more = f" (and {len(measure.errors) - 1} more)" if len(measure.errors) > 1 else ""
        return False, f"decoding error: {measure.errors[0]}{more}"
    if measure.decoded_ms is None:
        return False, "decoded no audio"
    if measure.stated_ms is not None and measure.decoded_ms < measure.stated_ms - CHAPTER_END_MS:
        return False, (
            f"truncated: decodes to {_clock(measure.decoded_ms)}, "
            f"its header says {_clock(measure.stated_ms)}"
        )
    lufs = measure.integrated_lufs
    if lufs is None or not math.isfinite(lufs) or lufs <= SILENT_LUFS:
        return False, f"silent ({lufs} LUFS)"
    return True, f"decodes completely, {_clock(measure.decoded_ms)}"


def _id3_chapters(path: Path) -> list[tuple[float, float]]:
    # As a player that follows the table of contents sees them, nested CTOCs included: a
    # chapter missing from the CTOC would be missing from its chapter list.
    return [(float(c.start_ms), float(c.end_ms)) for c in read_mp3_chapters(path)]


def _ffmetadata_chapters(path: Path) -> list[tuple[float, float]]:
    text = run_ffmpeg(["-i", path, "-f", "ffmetadata", "-"])
    marks: list[tuple[float, float]] = []
    chapter: dict[str, str] | None = None
    for line in [*text.splitlines(), "[END]"]:
        if line.startswith("["):
            if chapter is not None:
                num, _, den = chapter.get("TIMEBASE", "1/1000").partition("/")
                scale = 1000 * int(num) / int(den or 1)
                marks.append((int(chapter["START"]) * scale, int(chapter["END"]) * scale))
            chapter = {} if line == "[CHAPTER]" else None
        elif chapter is not None and "=" in line:
            key, _, value = line.partition("=")
            chapter[key] = value
    return marks


def _json_starts(document: object) -> list[float]:
    """The chapters JSON's start times in ms, checked; ValueError says what is wrong."""
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    if document.get("version") != CHAPTERS_VERSION:
        raise ValueError(f"version {document.get('version')!r}, not {CHAPTERS_VERSION!r}")
    chapters = document.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        raise ValueError("no chapters")
    starts: list[float] = []
    for number, chapter in enumerate(chapters, start=1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        end = chapter.get("endTime") if isinstance(chapter, dict) else None
        if not isinstance(start, int | float) or isinstance(start, bool) or start < 0:
            raise ValueError(f"chapter {number} has startTime {start!r}")
        if end is not None and (not isinstance(end, int | float) or end < start):
            raise ValueError(f"chapter {number} has endTime {end!r}")
        if starts and start * 1000 <= starts[-1]:
            raise ValueError(f"chapter {number} starts at {start}s, not after the one before")
        starts.append(start * 1000)
    return starts


# Transcript parsers: each gives the cues' (start ms, end ms) or raises ValueError.

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


def _parse_vtt(text: str) -> list[tuple[int, int]]:
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


def _parse_srt(text: str) -> list[tuple[int, int]]:
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


def summary(rows: list[CheckResult]) -> str:
    """One line: how many checks passed and failed."""
    failed = sum(not row.ok for row in rows)
    files = len({row.file for row in rows})
    verdict = f"{failed} failed" if failed else "all passed"
    return f"{len(rows)} checks on {files} files: {verdict}"
