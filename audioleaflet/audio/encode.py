"""WAVs -> MP3, streamed through ffmpeg's concat demuxer (no whole book in memory).

Spoken-word podcast conventions: mono, 64 kbps. The sample rate is the voice's own, and at least
22.05 kHz (`mp3_rate`): espeak-ng and Piper speak at 22.05 kHz, Pico and Festival at 16 kHz, and
an MP3 at 44.1 kHz of their speech holds nothing more, only costs LAME twice the work (4.6 s
against 7.1 s of CPU for 25 minutes, measured) and spends the same 64 kbps on twice the samples.
Every decoder plays these rates: they are MPEG-2 Layer III, part of the MP3 standard since
1995, and the rate DAISY talking books commonly use for speech. The LAME header written by
ffmpeg records the encoder delay and padding, so a decoder gives back exactly the samples we put
in and chapter marks stay exact. `-bitexact` and no copied metadata make the bytes repeatable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from audioleaflet.programs.ffmpeg import run_ffmpeg

MP3_RATES = (16000, 22050, 24000, 32000, 44100, 48000)
"""The MPEG-1 and MPEG-2 Layer III rates (MPEG-2.5's 8-12 kHz are left out: not every player
has them)."""
MP3_BITRATE = "64k"
MP3_ALGORITHM_QUALITY = 7
"""LAME's algorithm quality (`-q`, ffmpeg's `compression_level`): 7 leaves out LAME's noise
shaping. Measured (`scripts/codec_quality.py`: wideband PESQ, ITU-T P.862.2, against the
limited PCM, 64 kbps at 22.05 kHz), 7 sounds better than LAME's default 3 with every engine
we ship (espeak-ng 4.09 against 3.61, Pico 4.56 against 4.41, Piper 4.54 against 4.27), with
less noise (SNR 24.5 against 19.5 dB on espeak-ng), in half the time (6.7 s against 13.3 s
for an hour of speech). At this bitrate for 11 kHz of speech the noise shaping moves noise
where the masking model expects music to hide it, and speech does not."""


MIN_MP3_RATE = 22050
"""No MP3 below this rate. Festival's 16 kHz Italian, limited and encoded at 16 kHz, came out of
the MP3 encoder at -0.6 dBTP (the limit is -1) however low the limiter's ceiling went (2.5 dB
after three tries): a limiter holds sample peaks, and the peaks between samples are worst in
sound near half the rate. Taken to 22.05 kHz, 16 kHz speech stops well below that rate's half,
and its MP3s met the limit; the M4B's AAC encoder still overshot (-0.8 dBTP) until the limiter
went to twice the rate (`loudness.chain`)."""


def mp3_rate(source_rate: int) -> int:
    """The MP3's rate for speech at `source_rate`: the same, or the next one MP3 has, and no
    less than `MIN_MP3_RATE`."""
    wanted = max(source_rate, MIN_MP3_RATE)
    return next((rate for rate in MP3_RATES if rate >= wanted), MP3_RATES[-1])


def write_concat_list(wavs: Sequence[Path], list_file: Path) -> None:
    # The concat demuxer's own quoting: a single quote is written as '\''.
    lines = ["ffconcat version 1.0"]
    lines += ["file '" + str(w.resolve()).replace("'", "'\\''") + "'" for w in wavs]
    list_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mp3_output(dest: Path, rate: int) -> list[str | Path]:
    """The output options of an MP3 at `rate` as every one of ours is encoded (the audio is
    mapped by the caller). Without the bit reservoir, every frame holds its own data, so
    chapters can be cut out of the book on frame boundaries (`mp3cut.py`)."""
    return [
        "-map_metadata", "-1",
        "-fflags", "+bitexact",
        "-flags:a", "+bitexact",
        "-ac", "1",
        "-ar", str(rate),
        "-c:a", "libmp3lame",
        "-compression_level", str(MP3_ALGORITHM_QUALITY),
        "-b:a", MP3_BITRATE,
        "-reservoir", "0",
        "-id3v2_version", "0",
        "-write_xing", "1",
        "-f", "mp3",
        dest,
    ]  # fmt: skip


def encode_mp3(wavs: Sequence[Path], dest: Path, rate: int) -> None:
    """Encode the WAVs, in order, as one MP3 at `dest` at `rate` (no tags: mutagen writes
    those)."""
    list_file = dest.with_name(dest.name + ".concat")
    write_concat_list(wavs, list_file)
    try:
        run_ffmpeg(["-y", "-f", "concat", "-safe", "0", "-i", list_file, *mp3_output(dest, rate)])
    finally:
        list_file.unlink(missing_ok=True)
