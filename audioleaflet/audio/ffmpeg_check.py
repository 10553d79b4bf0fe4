"""Trying an ffmpeg the user named, once, before any real work depends on it.

Reading version numbers would not say enough: distributions build ffmpeg with different
encoders, and filter options come and go between versions (`ebur128=framelog=quiet` is not in
Debian 12's 5.1). So a short tone goes through the very functions a build and `check` use
(measure, try a gain, the book's one encode to MP3 and M4B with chapters, true peaks, a chapter
cut from the book, decode, read chapters back), and the first one that fails becomes one line
naming the step.

The bundled binary is not tried: it is the one the test suite runs.
"""

from __future__ import annotations

import math
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from audioleaflet.audio.pcm import write_wav
from audioleaflet.errors import ToolError
from audioleaflet.programs.ffmpeg import (
    FFMPEG_ENV,
    chosen_ffmpeg,
    decode_pcm,
    ffmpeg_version,
    run_ffmpeg,
)

TONE_RATE = 22050
TONE_MS = 1000
_checked: set[str] = set()


def _tone(path: Path) -> int:
    """A one-second 440 Hz tone at a speech-like level; returns its frame count."""
    frames = TONE_RATE * TONE_MS // 1000
    samples = (round(6000 * math.sin(2 * math.pi * 440 * i / TONE_RATE)) for i in range(frames))
    write_wav(path, struct.pack(f"<{frames}h", *samples), TONE_RATE)
    return frames


def _steps(work: Path) -> list[tuple[str, Callable[[], object]]]:
    # Imported here: these modules run ffmpeg through `ffmpeg.py`, which this module sits beside.
    from audioleaflet.audio.book import Audiobook, encode_book
    from audioleaflet.audio.encode import mp3_rate
    from audioleaflet.audio.loudness import attempt, chain
    from audioleaflet.audio.meter import measure_chapters, measure_integrated, measure_peak
    from audioleaflet.audio.mp3cut import cut_chapter, read_book
    from audioleaflet.model import ChapterTiming

    tone, mp3, m4b, cut = work / "tone.wav", work / "tone.mp3", work / "tone.m4b", work / "cut.mp3"
    frames = _tone(tone)
    # A book of two chapters, each the tone, so every step of a real book is taken.
    chapters = (ChapterTiming("one", 0, TONE_MS), ChapterTiming("two", TONE_MS, 2 * TONE_MS))
    rate = mp3_rate(TONE_RATE)
    at_mp3_rate = frames * rate // TONE_RATE
    chains = [chain(0.0, frames, TONE_RATE, rate=rate)] * 2
    return [
        ("answer -version", ffmpeg_version),
        ("measure loudness (lavfi, amovie, ebur128)", lambda: measure_integrated(tone, TONE_MS)),
        ("try a gain (amovie, volume, alimiter, ebur128)",
         lambda: attempt(tone, frames, TONE_RATE, 0.0)),
        ("encode the book (concat, asegment, alimiter, aresample, libmp3lame without the bit "
         "reservoir, aac, ipod muxer, chapters)",
         lambda: encode_book([tone, tone], [frames, frames], chains, mp3, rate,
                             Audiobook(m4b, chapters, "und"))),
        ("measure a book's true peak (lavfi, amovie, aresample, astats, asetnsamples)",
         lambda: measure_peak(mp3, rate)),
        ("measure true peaks (amovie, asegment, aresample, astats)",
         lambda: measure_chapters(mp3, [at_mp3_rate, at_mp3_rate], rate)),
        ("decode a chapter cut from the book",
         lambda: (cut_chapter(mp3, read_book(mp3), 0, at_mp3_rate, cut),
                  decode_pcm(cut, TONE_RATE))),
        ("decode MP3 and M4B", lambda: (decode_pcm(mp3, TONE_RATE), decode_pcm(m4b, TONE_RATE))),
        ("read chapters (ffmetadata)", lambda: run_ffmpeg(["-i", m4b, "-f", "ffmetadata", "-"])),
    ]  # fmt: skip


def require_usable_ffmpeg() -> None:
    """Stop with one line if the chosen ffmpeg cannot do every step; once per process and path."""
    chosen = chosen_ffmpeg()
    if chosen.bundled or chosen.path in _checked:
        return
    with tempfile.TemporaryDirectory(prefix="audioleaflet-ffmpeg-") as tmp:
        for what, step in _steps(Path(tmp)):
            try:
                step()
            except ToolError as exc:
                raise ToolError(
                    f"the ffmpeg named by --ffmpeg or ${FFMPEG_ENV} ({chosen.path}) cannot "
                    f"{what}: {exc}; "
                    f"use ffmpeg 5.1 or newer built with libmp3lame, or unset {FFMPEG_ENV} "
                    "to use the bundled one"
                ) from None
    _checked.add(chosen.path)
