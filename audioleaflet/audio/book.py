"""The book encoded once: its MP3 and its M4B from one pass over the normalised chapters.

One ffmpeg process reads the raw chapter WAVs back to back (the concat demuxer), splits them at
the chapter boundaries (`asegment`), normalises each chapter with its own gain and limiter
(`loudness.chain`), joins them again and sends the result to the MP3 encoder and, beside it, to
the AAC encoder of the M4B. ffmpeg runs each encoder in a thread of its own, so the two encodes
share the cores without a second decode of anything, and no normalised audio is written to
disk. The chapter MP3s are then cut out of the book's frames (`mp3cut.py`), not encoded again.

Spoken-word podcast conventions: mono, 64 kbps, 44.1 kHz, without the bit reservoir so that
every frame stands alone and chapters can be cut from the book. The LAME header ffmpeg writes
records the encoder delay and padding, so a decoder gives back exactly the samples put in and
chapter marks stay exact. `-bitexact` and no copied metadata make the bytes repeatable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.audio.encode import mp3_output, write_concat_list
from audioleaflet.audio.m4b import m4b_output, write_chapters_file
from audioleaflet.audio.meter import segment_bounds
from audioleaflet.model import ChapterTiming
from audioleaflet.programs.ffmpeg import run_ffmpeg


@dataclass(frozen=True, slots=True)
class Audiobook:
    """Where the M4B goes and what it says beside its audio."""

    dest: Path
    timings: Sequence[ChapterTiming]
    language: str


def _graph(frames: Sequence[int], chains: Sequence[str], outputs: int) -> str:
    """Split the input at the chapters, normalise each, join them, and split for `outputs`."""
    count = len(chains)
    if count == 1:
        parts = f"[0:a]{chains[0]}[book];"
    else:
        parts = f"[0:a]asegment=samples={'|'.join(segment_bounds(frames))}"
        parts += "".join(f"[s{i}]" for i in range(count)) + ";"
        parts += "".join(f"[s{i}]{chain}[n{i}];" for i, chain in enumerate(chains))
        parts += "".join(f"[n{i}]" for i in range(count)) + f"concat=n={count}:v=0:a=1[book];"
    if outputs == 1:
        return parts + "[book]asetpts=N/SR/TB[mp3]"
    return parts + "[book]asetpts=N/SR/TB,asplit=2[mp3][m4b]"


def encode_book(
    wavs: Sequence[Path],
    frames: Sequence[int],
    chains: Sequence[str],
    mp3: Path,
    audiobook: Audiobook | None = None,
) -> None:
    """Encode the chapter WAVs (`frames` samples each), each through its filter `chain`, as one
    MP3 at `mp3` and, if asked, the M4B beside it (untagged: mutagen writes the tags)."""
    list_file = mp3.with_name(mp3.name + ".concat")
    write_concat_list(wavs, list_file)
    args: list[str | Path] = ["-y", "-f", "concat", "-safe", "0", "-i", list_file]
    chapters = None
    if audiobook is not None:
        chapters = audiobook.dest.with_name(audiobook.dest.name + ".chapters")
        write_chapters_file(chapters, audiobook.timings)
        args += ["-f", "ffmetadata", "-i", chapters]
    args += ["-filter_complex", _graph(frames, chains, 1 if audiobook is None else 2)]
    args += ["-map", "[mp3]", *mp3_output(mp3)]
    if audiobook is not None:
        args += ["-map", "[m4b]", *m4b_output(1, audiobook.language, audiobook.dest)]
    try:
        run_ffmpeg(args)
    finally:
        list_file.unlink(missing_ok=True)
        if chapters is not None:
            chapters.unlink(missing_ok=True)
