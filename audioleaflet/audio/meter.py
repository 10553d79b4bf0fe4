"""The one loudness meter: ffmpeg's `ebur128` and `astats` filters, run and their logs read.

Normalising (`loudness.py`), the true-peak check after encoding (`encoded.py`) and `check`
(`verify/`) all measure here, so they read the same figures in the same way.

Each function decodes its file once. `measure_audio` is the check's: it counts the samples
(`astats`), measures loudness and true peak (`ebur128=peak=true`) and logs decoding errors at
the `error` level, which the `level` log flag makes recognisable; for books and chapter files
the same run also writes the audio as low-rate PCM for `compare.py`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.audio.mp3_header import gapless_ms
from audioleaflet.errors import LeafletError, ToolError
from audioleaflet.programs.ffmpeg import graph_value, run_ffmpeg, run_ffmpeg_data

# Integrated loudness needs at least one 400 ms block and is steadier over several seconds; a
# chapter that is only a spoken heading is measured looped up to this length.
MIN_MEASURE_MS = 3000
SILENT_LUFS = -70.0  # ebur128's absolute gate: anything at or below it is silence.
# ebur128 logs a line per 100 ms frame at `framelog`'s level; "verbose" keeps them out of the
# info-level log we parse. ("quiet" would too, but only from ffmpeg 6 on.)
EBUR128_QUIET_FRAMES = "framelog=verbose"
OVERSAMPLED_RATE = 88200
"""The least rate true peaks are measured at (see `_oversampled_peak`)."""


INTEGRATED_LINE = re.compile(r"^\s*I:\s+(-?(?:[0-9.]+|inf))\s+LUFS", re.MULTILINE)
"""The integrated loudness in the summary `ebur128` prints when it finishes."""
_PEAK = re.compile(r"^\s*Peak:\s+(-?(?:[0-9.]+|inf))\s+dBFS", re.MULTILINE)
_SAMPLES = re.compile(r"Number of samples:\s*(\d+)")


def _last(pattern: re.Pattern[str], log: str) -> float:
    found = pattern.findall(log)
    if not found:
        raise ToolError(f"ffmpeg's ebur128 printed no {pattern.pattern!r}: {log[-300:]!r}")
    return float(found[-1])


def parse_integrated(log: str) -> float:
    """The integrated loudness from the summary `ebur128` prints when it finishes."""
    return _last(INTEGRATED_LINE, log)


def loops(length_ms: int) -> int:
    """How many extra times to read a chapter so the meter sees at least MIN_MEASURE_MS."""
    return max(0, math.ceil(MIN_MEASURE_MS / max(length_ms, 1)) - 1)


def measure_integrated(wav: Path, length_ms: int) -> tuple[float, float]:
    """(integrated loudness in LUFS, sample peak in dBFS) of a WAV; a short one looped.

    The sample peak costs nothing next to the loudness; it says how hard the limiter will work.
    """
    log = run_on(wav, f"ebur128={EBUR128_QUIET_FRAMES}:peak=sample", loops(length_ms))
    return parse_integrated(log), _last(_PEAK, log)


_SEGMENT_PEAK = re.compile(
    r"\[Parsed_astats_(\d+) @ [^\]]*\]\s*Peak level dB:\s+(-?(?:[0-9.]+|inf))"
)


def segment_bounds(frames: Sequence[int]) -> list[str]:
    """Where `asegment` splits audio of chapters `frames` samples long: each chapter's end
    but the last, counted from the start, as ffmpeg's option wants them."""
    return [str(end) for end in itertools.accumulate(frames[:-1])]


def _oversampled_peak(rate: int) -> str:
    """The filters that measure a true peak: the sample peak after oversampling.

    BS.1770 defines it at 4x, and `ebur128=peak=true` (which `check` runs) oversamples any rate
    to 192 kHz; here the rate goes up a whole multiple, at least 4x, to at least 88.2 kHz: on a
    25-minute book at 22.05 kHz, 4x and 8x measured 0.005 dB apart (-1.266 and -1.261 dBTP;
    ebur128 -1.3), and 4x costs a quarter less (1.39 s against 1.86 s of CPU). ffmpeg's
    resampler does the oversampling at less than half the cost of `ebur128=peak=true`, which
    also measures loudness (measured on an 8.4-minute book: 0.84 s against 1.85 s, and the same
    -1.5 dBTP). Its filters are 16 taps a phase (BS.1770's own interpolator has 12), not the
    default 32: a quarter faster (2.1 s against 2.85 s on a 25-minute book) for the same peak
    to a millionth of a dB.
    """
    oversampled = rate * max(4, -(-OVERSAMPLED_RATE // rate))
    return (
        f"aresample={oversampled}:filter_size=16,"
        "astats=measure_overall=Peak_level:measure_perchannel=none"
    )


def run_on(path: Path, filters: str, loops: int = 0) -> str:
    """Run `filters` on the audio of `path` (read `loops` more times after the first) and
    return ffmpeg's log, where the filters print what they measured.

    The file is read by the filter graph itself (`amovie`), and the graph is ffmpeg's input
    (`-f lavfi`): read by ffmpeg's own input, from ffmpeg 7 on, every packet is handed from
    the decoding thread to the filtering one and every frame on to the output, and for an MP3's
    small frames those handovers cost more than the decoding. Measured with ffmpeg 9.0: the
    true peak of an hour's book 5.0 s and 8.5 s of CPU against 2.9 s and 3.3 s this way; the
    loudness of a 25-minute WAV 0.96 s and 1.45 s against 0.59 s and 0.67 s. The frames are
    joined before they leave the graph, and only the last part of a graph that splits
    (`measure_chapters`) leaves it at all.
    """
    source = f"amovie=filename={graph_value(str(path.resolve()))}:loop={loops + 1}"
    # The graph's one output, which ffmpeg's lavfi input wants named out0.
    graph = f"{source},{filters},asetnsamples=n=65536[out0]"
    return run_ffmpeg(["-nostats", "-f", "lavfi", "-i", graph, "-f", "null", "-"], quiet=False)


_COUNT = "astats=measure_overall=Number_of_samples:measure_perchannel=none"


def measure_peak(path: Path, rate: int) -> tuple[float, int]:
    """(the true peak, decoded samples) of a whole encoded book at `rate`, from one decode."""
    log = run_on(path, f"{_COUNT},{_oversampled_peak(rate)}")
    samples, peaks = _SAMPLES.findall(log), _SEGMENT_PEAK.findall(log)
    if not samples or len(peaks) != 1:
        raise ToolError(f"ffmpeg's astats printed no peak: {log[-300:]!r}")
    return float(peaks[0][1]), int(samples[-1])


def measure_chapters(path: Path, frames: list[int], rate: int) -> tuple[list[float], int]:
    """(the true peak of each chapter of `frames` samples, decoded samples) of an encoded book
    at `rate`, from one decode: the decoded audio is split at the chapters, so a chapter over
    the limit is known by its number. It costs about twice `measure_peak` (ffmpeg's graph
    serves every branch frame by frame), so a build asks for it only when the book's own true
    peak is over the limit.
    """
    peak = _oversampled_peak(rate)
    filters = f"{_COUNT},{peak}"
    if len(frames) > 1:
        # Every part but the last ends in a sink; the last leaves the graph.
        filters = f"{_COUNT},asegment=samples={'|'.join(segment_bounds(frames))}"
        filters += "".join(f"[s{i}]" for i in range(len(frames))) + ";"
        filters += "".join(f"[s{i}]{peak},anullsink;" for i in range(len(frames) - 1))
        filters += f"[s{len(frames) - 1}]{peak}"
    log = run_on(path, filters)
    samples = _SAMPLES.findall(log)
    found = sorted((int(index), float(value)) for index, value in _SEGMENT_PEAK.findall(log))
    if not samples or len(found) != len(frames):
        raise ToolError(f"ffmpeg's astats printed no peak for every chapter: {log[-300:]!r}")
    return [value for _index, value in found], int(samples[-1])


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
    gapless_ms: float = 0.0
    """The encoder delay and padding an MP3's LAME tag states: some ffmpeg versions count them
    in the stated length, others leave them out."""


_ERROR_LINE = re.compile(r"\[(?:error|fatal|panic)\]\s*(.*)")
_RATE = re.compile(r"Audio: .*?(\d+) Hz")
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_TRUE_PEAK = re.compile(r"True peak:\s*\n\s*Peak:\s+(-?(?:[0-9.]+|inf))\s+dBFS")


def _last_or_none(pattern: re.Pattern[str], log: str) -> float | None:
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
    lufs, peak = _last_or_none(INTEGRATED_LINE, log), _last_or_none(_TRUE_PEAK, log)
    gapless = gapless_ms(path) if path.suffix == ".mp3" else 0.0
    return AudioMeasure(errors, decoded, stated, lufs, peak, data, gapless)
