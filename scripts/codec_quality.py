"""How the encoders' settings sound, measured: wideband PESQ and SNR of each encoded file.

Needs `pip install pesq` (ITU-T P.862, the reference code wrapped for Python; a development
tool only, not a dependency of audioleaflet) and the engines of the voices to measure.

    .venv/bin/python scripts/codec_quality.py                     # espeak-ng, Pico, Piper
    .venv/bin/python scripts/codec_quality.py espeak:en pico:it-IT

Each voice speaks its language's fixed sentence set (`audioleaflet/data/intelligibility/`);
the speech goes through the build's own loudness chain (gain solved for the target, the
limiter, the MP3's rate) and is written as the reference PCM. Each setting below encodes that
PCM, the result is decoded, and PESQ (wideband, P.862.2, 8-second windows at 16 kHz, the rate
it is defined at) and the SNR over the whole band compare it with the reference. PESQ is
a listening-test model for speech: 1 is bad, 4.6 the best it gives. The settings marked
"ours" are what a build encodes with (`audio/encode.py`, `audio/m4b.py`).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from audioleaflet.audio.encode import MP3_ALGORITHM_QUALITY, MP3_BITRATE, mp3_rate
from audioleaflet.audio.loudness import chain, chapter_gain
from audioleaflet.audio.m4b import M4B_BITRATE
from audioleaflet.audio.pcm import wav_frames
from audioleaflet.engines import Voice, get_engine
from audioleaflet.programs.ffmpeg import decode_pcm, run_ffmpeg
from audioleaflet.verify.intelligibility import speak_sentence_set

DEFAULT_VOICES = ("espeak:en", "pico:de-DE", "piper:en_US-joe-medium")
PESQ_RATE = 16000
WINDOW_S = 8


def settings() -> dict[str, list[str]]:
    """Encoder options by name (the output format and rate are added per file)."""
    lame = ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-reservoir", "0"]
    aac = ["-c:a", "aac", "-b:a", M4B_BITRATE]
    return {
        "MP3, LAME -q 3 (LAME's default)": [*lame, "-compression_level", "3"],
        f"MP3, LAME -q {MP3_ALGORITHM_QUALITY} (ours)": [
            *lame, "-compression_level", str(MP3_ALGORITHM_QUALITY)
        ],
        "AAC, twoloop coder (ffmpeg's default)": aac,
        "AAC, fast coder with TNS": [*aac, "-aac_coder", "fast"],
        "AAC, fast coder without TNS (ours)": [*aac, "-aac_coder", "fast", "-aac_tns", "0"],
    }  # fmt: skip


def voice_named(label: str) -> Voice:
    engine_name, _, name = label.partition(":")
    engine = get_engine(engine_name)
    found = [voice for voice in engine.voices() if voice.name == name]
    if not found:
        raise SystemExit(f"{label}: no such voice installed here")
    return found[0]


def reference(voice: Voice, work: Path) -> tuple[Path, int]:
    """The sentence set spoken by `voice`, through the build's loudness chain: (WAV, rate)."""
    raw = work / "raw.wav"
    speak_sentence_set(voice, raw)
    frames, rate = wav_frames(raw)
    gain = chapter_gain(raw, frames, rate, voice.label, work / "loudness")
    out_rate = mp3_rate(rate)
    limited = work / "reference.wav"
    filters = chain(gain, frames, rate, rate=out_rate)
    run_ffmpeg(["-y", "-i", raw, "-af", filters, "-c:a", "pcm_s16le", limited])
    return limited, out_rate


def decoded(path: Path, rate: int) -> np.ndarray:
    return np.frombuffer(decode_pcm(path, rate), dtype=np.int16).astype(np.float64)


def compare(ref_file: Path, encoded: Path, rate: int) -> tuple[float, float, float]:
    """(mean PESQ, lowest window's PESQ, SNR in dB) of `encoded` against `ref_file`."""
    from pesq import pesq

    ref16, deg16 = decoded(ref_file, PESQ_RATE), decoded(encoded, PESQ_RATE)
    n = min(len(ref16), len(deg16))
    window = PESQ_RATE * WINDOW_S
    scores = [
        pesq(PESQ_RATE, ref16[i : i + window], deg16[i : i + window], "wb")
        for i in range(0, n - window + 1, window)
    ]
    ref, deg = decoded(ref_file, rate), decoded(encoded, rate)
    n = min(len(ref), len(deg))
    noise = float(np.sum((ref[:n] - deg[:n]) ** 2)) or 1e-9
    snr = 10 * np.log10(float(np.sum(ref[:n] ** 2)) / noise)
    return float(np.mean(scores)), float(np.min(scores)), float(snr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("voices", nargs="*", default=list(DEFAULT_VOICES))
    args = parser.parse_args()
    for label in args.voices:
        voice = voice_named(label)
        with tempfile.TemporaryDirectory(prefix="audioleaflet-codec-") as tmp:
            work = Path(tmp)
            ref, rate = reference(voice, work)
            print(f"{label} ({voice.lang}), at {rate} Hz:")
            for name, options in settings().items():
                suffix = ".mp3" if "libmp3lame" in options else ".m4a"
                out = work / f"encoded{suffix}"
                run_ffmpeg(["-y", "-i", ref, *options, "-ac", "1", "-ar", str(rate), out])
                mean, low, snr = compare(ref, out, rate)
                print(f"  {name:<40} PESQ-WB {mean:.2f} (lowest window {low:.2f})  "
                      f"SNR {snr:5.1f} dB")  # fmt: skip


if __name__ == "__main__":
    main()
