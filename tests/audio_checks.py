"""Checks on real audio files: decode with ffmpeg, measure, read chapters as ffmpeg sees them."""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from pathlib import Path

from audioleaflet.audio.m4b import encode_m4b, tag_m4b
from audioleaflet.audio.tags import Tags
from audioleaflet.model import ChapterTiming
from audioleaflet.programs.ffmpeg import decode_pcm, run_ffmpeg

RATE = 44100


def decoded_ms(path: Path) -> float:
    """Length of the decoded audio in milliseconds (no ffprobe: we decode it)."""
    return len(decode_pcm(path, RATE)) / 2 / RATE * 1000


def rms_dbfs(path: Path) -> float:
    samples = array("h")
    samples.frombytes(decode_pcm(path, RATE))
    if not samples:
        return -math.inf
    mean = sum(s * s for s in samples[::7]) / len(samples[::7])
    return 10 * math.log10(mean / 32768**2) if mean else -math.inf


def ffmpeg_chapter_titles(path: Path) -> list[str]:
    """Chapter titles in the order ffmpeg (and so ffprobe and mpv) lists them."""
    metadata = run_ffmpeg(["-i", path, "-f", "ffmetadata", "-"])
    titles: list[str] = []
    in_chapter = False
    for line in metadata.splitlines():
        if line.startswith("["):
            in_chapter = line == "[CHAPTER]"
        elif in_chapter and line.startswith("title="):
            titles.append(line.removeprefix("title=").replace("\\", ""))
    return titles


def write_tagged_m4b(
    dest: Path,
    inputs: Sequence[Path],
    timings: Sequence[ChapterTiming],
    tags: Tags,
    cover: Path | None = None,
) -> None:
    """An M4B made as the build makes it: encoded with its chapters, then tagged."""
    encode_m4b(dest, inputs, timings, tags.language)
    tag_m4b(dest, tags, cover)
