"""Clips + pauses -> one WAV per chapter, and the chapter timings.

Each chapter file is streamed clip by clip, so memory does not grow with its length. Every
chapter is padded to a whole number of 20 ms blocks (441 samples at 22.05 kHz, 882 at 44.1 kHz),
so every chapter boundary falls exactly on a millisecond and the marks written into the tags
are exact, not rounded.
"""

from __future__ import annotations

import math
import wave
from collections.abc import Sequence
from pathlib import Path

from audioleaflet.audio.clips import Clip
from audioleaflet.audio.pcm import SAMPLE_WIDTH, silence
from audioleaflet.errors import ToolError
from audioleaflet.model import ChapterTiming, Sentence, SentenceTiming

BLOCK_MS = 20


def _pad_to_block(frames: int, sample_rate: int) -> int:
    block = sample_rate * BLOCK_MS // 1000
    if block * 1000 != sample_rate * BLOCK_MS:
        raise ToolError(f"sample rate {sample_rate} Hz cannot mark chapters to the millisecond")
    return math.ceil(frames / block) * block


def chapter_length_ms(parts: Sequence[tuple[Clip, int]], sample_rate: int) -> int:
    """How long `write_chapter` will make the chapter, without writing it."""
    frames = sum(clip.frames + pause * sample_rate // 1000 for clip, pause in parts)
    return _pad_to_block(max(frames, 1), sample_rate) * 1000 // sample_rate


def _sentence_timings(
    parts: Sequence[tuple[Clip, int]], said: Sequence[Sentence], start_ms: int, sample_rate: int
) -> tuple[SentenceTiming, ...]:
    timings: list[SentenceTiming] = []
    frames = 0
    for (clip, pause), sentence in zip(parts, said, strict=True):
        begin = start_ms + frames * 1000 // sample_rate
        end = start_ms + (frames + clip.frames) * 1000 // sample_rate
        timings.append(SentenceTiming(sentence.text, sentence.source, begin, end))
        frames += clip.frames + pause * sample_rate // 1000
    return tuple(timings)


def timeline(
    chapters: Sequence[tuple[str, Sequence[tuple[Clip, int]]]],
    sample_rate: int,
    sentences: Sequence[Sequence[Sentence]] | None = None,
) -> tuple[ChapterTiming, ...]:
    """Contiguous chapter marks for `(title, parts)` chapters: the one timing model.

    With `sentences` (each chapter's sentences, one per part), every sentence's span too.
    """
    timings: list[ChapterTiming] = []
    start = 0
    for index, (title, parts) in enumerate(chapters):
        length = chapter_length_ms(parts, sample_rate)
        said = (
            _sentence_timings(parts, sentences[index], start, sample_rate)
            if sentences is not None
            else ()
        )
        timings.append(ChapterTiming(title, start, start + length, said))
        start += length
    return tuple(timings)


def write_chapter(path: Path, parts: Sequence[tuple[Clip, int]], sample_rate: int) -> int:
    """Write `(clip, pause_after_ms)` pairs as one WAV; return its length in ms."""
    frames = 0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(sample_rate)
        for clip, pause_ms in parts:
            if clip.sample_rate != sample_rate:
                raise ToolError(
                    f"clip {clip.path.name} is {clip.sample_rate} Hz, expected {sample_rate} Hz"
                )
            with wave.open(str(clip.path), "rb") as source:
                out.writeframes(source.readframes(clip.frames))
            pause = pause_ms * sample_rate // 1000
            out.writeframes(silence(pause))
            frames += clip.frames + pause
        padded = _pad_to_block(max(frames, 1), sample_rate)
        out.writeframes(silence(padded - frames))
    return padded * 1000 // sample_rate
