"""WAVs -> MP3, streamed through ffmpeg's concat demuxer (no whole book in memory).

Spoken-word podcast conventions: mono, 64 kbps, 44.1 kHz. The LAME header written by ffmpeg
records the encoder delay and padding, so a decoder gives back exactly the samples we put in
and chapter marks stay exact. `-bitexact` and no copied metadata make the bytes repeatable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from audioleaflet.programs.ffmpeg import run_ffmpeg

MP3_SAMPLE_RATE = 44100
MP3_BITRATE = "64k"


def write_concat_list(wavs: Sequence[Path], list_file: Path) -> None:
    # The concat demuxer's own quoting: a single quote is written as '\''.
    lines = ["ffconcat version 1.0"]
    lines += ["file '" + str(w.resolve()).replace("'", "'\\''") + "'" for w in wavs]
    list_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mp3_output(dest: Path) -> list[str | Path]:
    """The output options of an MP3 as every one of ours is encoded (the audio is mapped by the
    caller). Without the bit reservoir, every frame holds its own data, so chapters can be cut
    out of the book on frame boundaries (`mp3cut.py`)."""
    return [
        "-map_metadata", "-1",
        "-fflags", "+bitexact",
        "-flags:a", "+bitexact",
        "-ac", "1",
        "-ar", str(MP3_SAMPLE_RATE),
        "-c:a", "libmp3lame",
        "-b:a", MP3_BITRATE,
        "-reservoir", "0",
        "-id3v2_version", "0",
        "-write_xing", "1",
        "-f", "mp3",
        dest,
    ]  # fmt: skip


def encode_mp3(wavs: Sequence[Path], dest: Path) -> None:
    """Encode the WAVs, in order, as one MP3 at `dest` (no tags: mutagen writes those)."""
    list_file = dest.with_name(dest.name + ".concat")
    write_concat_list(wavs, list_file)
    try:
        run_ffmpeg(["-y", "-f", "concat", "-safe", "0", "-i", list_file, *mp3_output(dest)])
    finally:
        list_file.unlink(missing_ok=True)
