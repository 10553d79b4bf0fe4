"""The book encoded once: its MP3 and its M4B, each from one pass over the normalised chapters.

An ffmpeg process reads the raw chapter WAVs back to back (the concat demuxer), splits them at
the chapter boundaries (`asegment`), normalises each chapter with its own gain and limiter
(`loudness.chain`), joins them again and encodes the result; no normalised audio is written to
disk. The MP3 and the M4B are two such processes, run side by side (`encoded.py`): the filters
are cheap next to the encoders, and with each encoder in a process of its own, the MP3 is done
and its true peaks measured while the AAC encoder is still at work, instead of both outputs
waiting on the slower encoder in one process. The chapter MP3s are then cut out of the book's
frames (`mp3cut.py`), not encoded again.

Spoken-word podcast conventions: mono, 64 kbps, at the voice's own rate (`encode.py`), without
the bit reservoir so that every frame stands alone and chapters can be cut from the book. The
LAME header ffmpeg writes records the encoder delay and padding, so a decoder gives back
exactly the samples put in and chapter marks stay exact. `-bitexact` and no copied metadata
make the bytes repeatable.
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


def _graph(frames: Sequence[int], chains: Sequence[str]) -> str:
    """Split the input at the chapters, normalise each, and join them again as `[book]`."""
    count = len(chains)
    if count == 1:
        return f"[0:a]{chains[0]},asetpts=N/SR/TB[book]"
    parts = f"[0:a]asegment=samples={'|'.join(segment_bounds(frames))}"
    parts += "".join(f"[s{i}]" for i in range(count)) + ";"
    parts += "".join(f"[s{i}]{chain}[n{i}];" for i, chain in enumerate(chains))
    parts += "".join(f"[n{i}]" for i in range(count)) + f"concat=n={count}:v=0:a=1,"
    return parts + "asetpts=N/SR/TB[book]"


def _encode(
    wavs: Sequence[Path], frames: Sequence[int], chains: Sequence[str], dest: Path,
    inputs: Sequence[str | Path], output: Sequence[str | Path],
) -> None:  # fmt: skip
    """One ffmpeg run: the chapters normalised into `output` (which names `dest`)."""
    list_file = dest.with_name(dest.name + ".concat")
    write_concat_list(wavs, list_file)
    try:
        run_ffmpeg(
            ["-y", "-f", "concat", "-safe", "0", "-i", list_file, *inputs,
             "-filter_complex", _graph(frames, chains), "-map", "[book]", *output]
        )  # fmt: skip
    finally:
        list_file.unlink(missing_ok=True)


def encode_mp3_book(
    wavs: Sequence[Path], frames: Sequence[int], chains: Sequence[str], mp3: Path, rate: int
) -> None:
    """Encode the chapter WAVs (`frames` samples each), each through its filter `chain`, as one
    MP3 at `rate` at `mp3` (untagged: mutagen writes the tags)."""
    _encode(wavs, frames, chains, mp3, [], mp3_output(mp3, rate))


def encode_book(
    wavs: Sequence[Path], frames: Sequence[int], chains: Sequence[str], mp3: Path, rate: int,
    audiobook: Audiobook,
) -> None:  # fmt: skip
    """The MP3 and the M4B, one after the other (`encoded.py` runs them side by side)."""
    encode_mp3_book(wavs, frames, chains, mp3, rate)
    encode_m4b_book(wavs, frames, chains, audiobook)


def encode_m4b_book(
    wavs: Sequence[Path], frames: Sequence[int], chains: Sequence[str], audiobook: Audiobook
) -> None:
    """The same as `encode_mp3_book`, as the M4B with its chapters (untagged)."""
    chapters = audiobook.dest.with_name(audiobook.dest.name + ".chapters")
    write_chapters_file(chapters, audiobook.timings)
    try:
        inputs: list[str | Path] = ["-f", "ffmetadata", "-i", chapters]
        output = m4b_output(1, audiobook.language, audiobook.dest)
        _encode(wavs, frames, chains, audiobook.dest, inputs, output)
    finally:
        chapters.unlink(missing_ok=True)
