"""Small operations on mono 16-bit PCM: trimming an engine's silence, writing WAV files.

pydub would do these, but it holds whole files in memory, warns on import when ffmpeg is not on
PATH (our usual case, with imageio-ffmpeg), and needs `audioop`, which Python 3.13 removed;
the two operations we need are a few lines over the standard library's `array` and `wave`.
"""

from __future__ import annotations

import wave
from array import array
from pathlib import Path

SAMPLE_WIDTH = 2
# About -40 dBFS: below this an engine's output is breath-free silence.
SILENCE_THRESHOLD = 330
LEAD_MS = 20
TAIL_MS = 60


def trim_silence(pcm: bytes, sample_rate: int) -> bytes:
    """Drop leading and trailing silence, keeping a short natural margin at each end."""
    samples = array("h")
    samples.frombytes(pcm)
    start = next((i for i, s in enumerate(samples) if abs(s) > SILENCE_THRESHOLD), None)
    if start is None:
        return b""
    end = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE_THRESHOLD)
    start = max(0, start - LEAD_MS * sample_rate // 1000)
    end = min(len(samples), end + 1 + TAIL_MS * sample_rate // 1000)
    return samples[start:end].tobytes()


def silence(frames: int) -> bytes:
    return bytes(frames * SAMPLE_WIDTH)


def write_wav(path: Path, pcm: bytes, sample_rate: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(sample_rate)
        out.writeframes(pcm)


def wav_frames(path: Path) -> tuple[int, int]:
    """(frame count, sample rate) of a WAV file."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes(), wav.getframerate()
