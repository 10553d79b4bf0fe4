"""Decoded audio against what a build says it holds, for `check`.

Three questions, each about mono 16-bit PCM that `check` decodes at a low rate (`RATE`; speech's
energy and waveform are there, and a 2-hour book is 58 MB): is there speech under each
transcript cue, is each pause between cues silent, and is a chapter file the same audio as its
span of the book. Energies are taken per short window and in chunks, so the memory this needs
beyond the PCM stays small whatever the length.

Two MP3 encodes of the same audio do not decode to equal samples (their frames fall at different
places), so files are compared by the energy of their difference, window by window, against the
level of the speech.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

RATE = 4000
"""Decoding rate for these checks (Hz)."""
WINDOW_MS = 10
"""Resolution of a file's energy envelope."""
_CHUNK_WINDOWS = 16384
SILENCE_DBFS = -200.0
"""The level given to digital zeros (whose logarithm would be minus infinity)."""

Samples = NDArray[np.int16]


def samples(pcm: bytes) -> Samples:
    """Little-endian 16-bit PCM as an array, without copying it."""
    return np.frombuffer(pcm, dtype="<i2")


def _to_db(energy: float) -> float:
    return 10 * math.log10(energy) if energy > 0 else SILENCE_DBFS


def _energies(x: Samples, window: int, minus: Samples | None = None) -> NDArray[np.float64]:
    """Mean square (full scale 1.0) of each whole `window` of `x`, or of `x - minus`."""
    count = len(x) // window if minus is None else min(len(x), len(minus)) // window
    out = np.empty(count, dtype=np.float64)
    for first in range(0, count, _CHUNK_WINDOWS):
        last = min(count, first + _CHUNK_WINDOWS)
        block = x[first * window : last * window].astype(np.float64)
        if minus is not None:
            block -= minus[first * window : last * window]
        block /= 32768.0
        out[first:last] = np.square(block).reshape(-1, window).mean(axis=1)
    return out


@dataclass(frozen=True, slots=True)
class Envelope:
    """A decoded file's energy per `WINDOW_MS` window."""

    energies: NDArray[np.float64]

    @classmethod
    def of(cls, x: Samples, rate: int = RATE) -> Envelope:
        return cls(_energies(x, rate * WINDOW_MS // 1000))

    @property
    def length_ms(self) -> int:
        return len(self.energies) * WINDOW_MS

    def level(self, start_ms: int | None = None, end_ms: int | None = None) -> float:
        """RMS level in dBFS of the windows from `start_ms` to `end_ms` (whole file: neither)."""
        first = 0 if start_ms is None else start_ms // WINDOW_MS
        last = len(self.energies) if end_ms is None else -(-end_ms // WINDOW_MS)
        part = self.energies[first:last]
        return _to_db(float(part.mean())) if len(part) else SILENCE_DBFS

    def inner_level(self, start_ms: int, end_ms: int) -> float:
        """Level of the windows lying wholly inside `start_ms`..`end_ms`."""
        first, last = -(-start_ms // WINDOW_MS), end_ms // WINDOW_MS
        part = self.energies[first:last]
        return _to_db(float(part.mean())) if len(part) else SILENCE_DBFS


@dataclass(frozen=True, slots=True)
class Difference:
    """Where a file differs most from the span of another it should equal."""

    level_dbfs: float
    """RMS level of the difference in its loudest window."""
    at_ms: int
    """Where that window starts, in the shorter file's time."""


def worst_difference(
    whole: Samples, start_ms: int, part: Samples, window_ms: int, rate: int = RATE
) -> Difference:
    """Compare `part` with `whole` from `start_ms` on, window by window, as far as both go."""
    offset = start_ms * rate // 1000
    span = whole[offset : offset + len(part)]
    window = rate * window_ms // 1000
    energies = _energies(part, window, minus=span)
    if not len(energies):
        return Difference(SILENCE_DBFS, 0)
    loudest = int(np.argmax(energies))
    return Difference(_to_db(float(energies[loudest])), loudest * window_ms)
