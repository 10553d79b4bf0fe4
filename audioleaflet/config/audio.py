"""Audio settings: what every published file must measure.

The loudness target comes from `podcast.toml` (`loudness = -19`) or `--loudness`; it is an
audio setting, read with the feed settings only because it lives in the same file.
"""

from __future__ import annotations

from dataclasses import dataclass

from audioleaflet.errors import InputError

TARGET_LUFS = -16.0
"""Integrated loudness of every output file (podcast-app convention for spoken word): -16 is
Apple's guideline; -19 and -23 (EBU R128 broadcast) are the other common choices."""
TRUE_PEAK_DBTP = -1.0
"""No output file's true peak may exceed this."""
LOUDNESS_RANGE = (-31.0, -9.0)


@dataclass(frozen=True, slots=True)
class LoudnessTarget:
    """What every output file must measure."""

    integrated_lufs: float = TARGET_LUFS
    """Integrated loudness, LUFS; the result lands within ±1 LU of it."""
    true_peak_dbtp: float = TRUE_PEAK_DBTP
    """Ceiling for the true peak, dBTP."""


DEFAULT_TARGET = LoudnessTarget()


def check_loudness(value: float, where: str) -> float:
    low, high = LOUDNESS_RANGE
    if not low <= value <= high:
        raise InputError(
            f"{where} {value:g} LUFS is out of range; use {low:g} to {high:g}, e.g. -16"
        )
    return float(value)
