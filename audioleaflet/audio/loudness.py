"""Loudness normalisation per chapter: measure once, solve a gain, limit true peaks, cache both.

Every output file must measure at the target integrated loudness (EBU R128 / ITU BS.1770, as
ffmpeg's `ebur128` filter measures it) within ±1 LU after MP3 encoding, with true peak at or
below the ceiling. Doing it per chapter (not per book) keeps each job short and cacheable, and
a book made by concatenating chapters that are each at the target is itself at the target:
integrated loudness is a gated mean over 400 ms blocks, and every chapter's blocks sit there.

Why not `loudnorm`: it resamples to 192 kHz, needs two passes over everything, and silently
falls back to dynamic mode when a linear gain would exceed the true-peak limit, which it
always would for espeak-ng (about -20 LUFS at 0 dBTP). Instead, per chapter:

1. measure the raw chapter WAV at its own rate (`ebur128` without true peak: the cheapest
   pass, about a fifth of an MP3 encode);
2. try a gain: linear gain and a lookahead limiter at a ceiling below the true-peak limit, at
   the source's rate, measured and nothing written (`attempt`). Limiting speech's peaks
   by 5-7 dB also lowers its loudness (by about 1 LU for espeak-ng), so the gain is corrected
   from the measured result and step 2 repeated (secant steps, a few times at most) until the
   result lands within `TOLERANCE_LU`;
3. the solved gain goes into the one encode of the book (`book.py`), which applies the same
   filters (`chain`); the encoded book's true peak is then
   measured chapter by chapter (`encoded.py`), and a chapter whose encoding overshoots more
   than `LIMITER_MARGIN_DB` (Piper's can) gets a lower limiter ceiling (`ceiling_drop_db`,
   part of the stored gain's key) and the book is encoded again.

The raw measurement and the solved gain are stored in the cache by content, so a rebuild
measures nothing again; a chapter kept for a book whose other chapter changed is normalised
with its stored gain, which gives the same samples as the cold build did.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from audioleaflet.audio.cache import Verifier, write_entry
from audioleaflet.audio.meter import (
    EBUR128_QUIET_FRAMES,
    MIN_MEASURE_MS,
    SILENT_LUFS,
    loops,
    measure_integrated,
    parse_integrated,
    run_on,
)
from audioleaflet.config.audio import DEFAULT_TARGET, LoudnessTarget
from audioleaflet.programs.ffmpeg import ffmpeg_version

# Bump when the measurement or the processing changes in a way the keys below do not show.
LOUDNESS_FORMAT = 6
# The limiter's ceiling sits this far below the true-peak limit: inter-sample peaks and the MP3
# encoder's overshoot add up to 0.1-0.9 dB on espeak-ng speech (measured on the 46 chapters of
# a generated hour: -2.0 dBFS limited gave -1.9 to -1.1 dBTP in the 64 kbps MP3) and up to
# 1.2 dB on Spanish and on Piper. A chapter that lands within PEAK_HEADROOM_DB of the limit
# costs a second encode of the whole book (`encoded.py`); at 1.0 dB one chapter in 46 did, and
# a cold build of the hour took 4.1 times the baseline instead of 2.3. The extra half decibel
# of limiting is inaudible in speech; the gain solved for the target makes up the loudness.
LIMITER_MARGIN_DB = 1.5
# The 64 kbps MP3 encoder drops about 0.4 LU of espeak-ng speech (measured on content/: the
# same PCM measures 0.4 LU quieter once encoded), so the PCM is aimed that much higher.
ENCODER_LOSS_LU = 0.4
TOLERANCE_LU = 0.3
MAX_STEPS = 5
# Where the limiter works, each dB of gain buys only about 0.55 LU, and a first guess at the
# gain adds 0.35 dB per dB the peaks would go over the ceiling (both measured on espeak-ng in
# da/en/it): most chapters then land on the first or second try instead of the third.
LIMITED_SLOPE = 0.55
PEAK_OVERSHOOT_GAIN = 0.35
# Short lookahead and release: the limiter only shaves syllable peaks instead of pumping the
# level of whole words, which costs less loudness (measured: 1.1 LU lost at 10 ms, 1.5 at 50).
LIMITER = "attack=1:release=10:level=0:latency=1"


def ceiling_db(target: LoudnessTarget) -> float:
    """The limiter's ceiling for `target`: `LIMITER_MARGIN_DB` below its true-peak limit."""
    return target.true_peak_dbtp - LIMITER_MARGIN_DB


def target_identity(target: LoudnessTarget) -> list[object]:
    """Everything that decides the normalised samples besides the input (for cache keys)."""
    return [LOUDNESS_FORMAT, target.integrated_lufs, target.true_peak_dbtp, LIMITER_MARGIN_DB,
            ENCODER_LOSS_LU, TOLERANCE_LU, MAX_STEPS, LIMITER, MIN_MEASURE_MS]  # fmt: skip


def chain(gain_db: float, frames: int, source_rate: int, target: LoudnessTarget = DEFAULT_TARGET,
          rate: int | None = None, ceiling_drop_db: float = 0.0) -> str:  # fmt: skip
    """The filters that normalise a chapter of `frames` samples at `source_rate` with `gain_db`
    and the limiter, at `rate` (default: `source_rate`), exactly as long as it was (chapter
    marks stay exact).

    The limiter works at twice the output's rate, where most of the peaks between the output's
    samples are samples it sees, and the result is brought down to `rate` after it. Limiting at
    the output's own rate (22.05 kHz) left the peaks between samples to the encoders: Festival's
    16 kHz Italian came out of the MP3 encoder at -0.6 dBTP and of the AAC encoder at -0.8 dBTP
    (the limit is -1) however low the ceiling went; limiting at the source's rate and resampling
    after had left three chapters of an hour 0.1-0.2 dB over, and the book encoded twice.
    """
    rate = rate or source_rate
    with_rate = frames * rate // source_rate
    ceiling = 10 ** ((ceiling_db(target) - ceiling_drop_db) / 20)
    return (
        f"aresample={2 * rate},volume={gain_db:.2f}dB,alimiter=limit={ceiling:.6f}:{LIMITER},"
        f"aresample={rate},atrim=end_sample={with_rate},apad=whole_len={with_rate}"
    )


def attempt(
    source: Path,
    frames: int,
    source_rate: int,
    gain_db: float,
    target: LoudnessTarget = DEFAULT_TARGET,
    ceiling_drop_db: float = 0.0,
) -> float:
    """The loudness `source` would have through `chain`; nothing is written.

    Tried at the source's rate, not the MP3's: the limiter then works on half the samples and
    nothing is resampled but for the meter, and the loudness comes out within 0.1 LU of the
    same chain at 44.1 kHz (measured on espeak-ng speech at gains of 2 to 8 dB), well inside
    `TOLERANCE_LU`. The encode itself limits at twice the MP3's rate (`chain`), where the
    peaks between the MP3's samples are.
    A short source is read looped, so the meter sees enough blocks to give a steady figure.
    """
    length_ms = frames * 1000 // source_rate
    ceiling = 10 ** ((ceiling_db(target) - ceiling_drop_db) / 20)
    filters = f"volume={gain_db:.2f}dB,alimiter=limit={ceiling:.6f}:{LIMITER},"
    log = run_on(source, filters + f"ebur128={EBUR128_QUIET_FRAMES}", loops(length_ms))
    return parse_integrated(log)


def _stored(path: Path, verifier: Verifier) -> dict[str, float] | None:
    """A stored JSON record, or None: not there, or damaged (then reported and deleted)."""
    data = verifier.read(path)
    if data is None:
        return None
    try:
        record = json.loads(data)
    except ValueError:
        record = None
    if isinstance(record, dict):
        return record
    verifier.discard(path, "is not the JSON object it should be")
    return None


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps([ffmpeg_version(), *parts]).encode()).hexdigest()[:32]


def chapter_gain(
    raw: Path,
    frames: int,
    source_rate: int,
    content_key: str,
    store: Path,
    target: LoudnessTarget = DEFAULT_TARGET,
    ceiling_drop_db: float = 0.0,
    verifier: Verifier | None = None,
) -> float:
    """The gain that brings the chapter `raw` to `target` through `chain`, from the store or
    solved (and stored).

    `content_key` names what the chapter is made of. The raw loudness is stored under it (a
    new target needs no new measurement) and the solved gain under it and the target.
    `ceiling_drop_db` lowers the limiter's ceiling for a chapter whose encoding overshoots more
    than the margin allows (see `encoded.py`). Stored figures are checked by `verifier`.
    """
    verifier = verifier or Verifier()
    store.mkdir(parents=True, exist_ok=True)
    measured_file = store / f"{_hash('measured', LOUDNESS_FORMAT, content_key)}.json"
    identity = [content_key, target_identity(target), ceiling_drop_db]
    gain_file = store / f"{_hash('gain', *identity)}.json"
    solved = _stored(gain_file, verifier)
    if solved is not None and isinstance(solved.get("gain_db"), float | int):
        return float(solved["gain_db"])

    measured = _stored(measured_file, verifier)
    if measured is None or not all(
        isinstance(measured.get(k), float | int) for k in ("integrated_lufs", "sample_peak_dbfs")
    ):
        lufs, peak = measure_integrated(raw, frames * 1000 // source_rate)
        measured = {"integrated_lufs": lufs, "sample_peak_dbfs": peak}
        write_entry(measured_file, json.dumps(measured).encode())
    gain, result = _solve(lambda g: attempt(raw, frames, source_rate, g, target, ceiling_drop_db),
                          float(measured["integrated_lufs"]), float(measured["sample_peak_dbfs"]),
                          target)  # fmt: skip
    solution = {"gain_db": gain, "result_lufs": result}
    write_entry(gain_file, json.dumps(solution).encode())
    return gain


def _solve(
    attempt: Callable[[float], float], raw_lufs: float, raw_peak: float, target: LoudnessTarget
) -> tuple[float, float]:
    """Find the gain whose limited result measures at the target.

    The limiter makes loudness grow more slowly than the gain (about 0.5-0.7 LU per dB where it
    works hard), so each step is a secant step through the last two (gain, result) points.
    `attempt(gain)` measures the result of one gain; the last one tried is returned.
    """
    aim = target.integrated_lufs + ENCODER_LOSS_LU
    if raw_lufs <= SILENT_LUFS:
        # Silence (or too little to measure): nothing to bring to a level; leave it as it is.
        return 0.0, attempt(0.0)
    linear = aim - raw_lufs
    over_ceiling = max(0.0, linear + raw_peak - ceiling_db(target))
    gain = round(linear + PEAK_OVERSHOOT_GAIN * over_ceiling, 2)
    result = attempt(gain)
    previous: tuple[float, float] | None = None
    for _ in range(MAX_STEPS - 1):
        if abs(result - aim) <= TOLERANCE_LU or result <= SILENT_LUFS:
            break
        slope = LIMITED_SLOPE if over_ceiling > 0 else 1.0
        if previous is not None and previous[0] != gain:
            slope = (result - previous[1]) / (gain - previous[0])
        slope = min(1.0, max(0.3, slope))  # Gain never buys more than itself, nor almost nothing.
        previous = (gain, result)
        gain = round(gain + (aim - result) / slope, 2)
        if gain == previous[0]:
            break  # A step too small to write down: as close as 0.01 dB can get.
        result = attempt(gain)
    return gain, result
