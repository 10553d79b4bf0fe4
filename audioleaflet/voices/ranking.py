"""Which installed voice is the most intelligible for a language, by measurement.

`data/voice-ranking.toml` holds each voice's word error rate with Whisper base on a fixed
sentence set per language (`scripts/intelligibility.py voices --write`; the file says when and
how). A build with no voice chosen speaks each language with the offline voice installed here
that has the lowest figure. Voices without a figure (a Piper voice installed later, every
Danish voice) come after the measured ones, espeak-ng first among them, since it is the one
voice every installation has; online voices are never chosen without being asked for.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from audioleaflet.config.speech import SpeechChoices
from audioleaflet.engines import DEFAULT_ENGINE, EngineOptions, Voice, engine_names, get_engine
from audioleaflet.errors import LeafletError


@dataclass(frozen=True, slots=True)
class Measurement:
    """One voice's figure in the ranking file."""

    wer: float
    """Word error rate with Whisper base (0 = every word understood)."""
    engine: str
    """The engine's version when it was measured."""


@dataclass(frozen=True, slots=True)
class RankedVoice:
    voice: Voice
    measurement: Measurement | None
    """None when the voice has not been measured."""

    @property
    def figure(self) -> str:
        """`WER 0.055`, or why there is none."""
        return f"WER {self.measurement.wer:.3f}" if self.measurement else "not measured"


@functools.cache
def _ranking() -> dict[str, dict[str, Measurement]]:
    text = resources.files("audioleaflet").joinpath("data/voice-ranking.toml").read_text("utf-8")
    tables = tomllib.loads(text)
    return {
        lang: {
            label: Measurement(float(row["wer"]), str(row["engine"])) for label, row in rows.items()
        }
        for lang, rows in tables.items()
        if lang != "measurement"
    }


def measurement(voice: Voice) -> Measurement | None:
    """The voice's figure for its language, if it was measured."""
    return _ranking().get(voice.lang, {}).get(voice.label)


def measured_on() -> str:
    """When and with what the figures were measured, for `audioleaflet voices`."""
    text = resources.files("audioleaflet").joinpath("data/voice-ranking.toml").read_text("utf-8")
    about = tomllib.loads(text).get("measurement", {})
    return f"{about.get('date', '?')}, {about.get('recogniser', 'Whisper base')}"


def rank(voices: list[Voice]) -> list[RankedVoice]:
    """`voices` best first: offline before online, measured by their figure, then the rest."""

    def order(item: RankedVoice) -> tuple[bool, float, bool, str]:
        figure = item.measurement.wer if item.measurement else math.inf
        voice = item.voice
        return (not voice.offline, figure, voice.engine != DEFAULT_ENGINE, voice.label)

    return sorted((RankedVoice(v, measurement(v)) for v in voices), key=order)


@functools.cache
def installed_voices(
    options: EngineOptions, offline_only: bool = False
) -> tuple[tuple[Voice, ...], tuple[str, ...]]:
    """Every voice of every engine here (of every offline one), and a line for each engine
    that offers none.

    Read once per process and voices folders: it lists packages, folders and models, which do
    not change while a build runs.
    """
    voices: list[Voice] = []
    unavailable: list[str] = []
    for name in engine_names():
        try:
            engine = get_engine(name, options)
            if offline_only and engine.needs_network:
                continue  # Listing gTTS's voices imports it and requests (0.12 s).
            found = engine.voices()
        except LeafletError as exc:
            unavailable.append(f"{name}: {exc}")
            continue
        if not found:
            unavailable.append(f"{name}: no voices installed here")
        voices += found
    return tuple(voices), tuple(unavailable)


def best_voice(lang: str, options: EngineOptions, engine: str | None = None) -> RankedVoice:
    """The most intelligible offline voice installed for `lang` (of `engine`, when given).

    espeak-ng speaks every supported language, so there is always one unless `engine` has none.
    """
    voices, _unavailable = installed_voices(options, offline_only=True)
    candidates = [v for v in voices if v.lang == lang and v.offline and engine in {None, v.engine}]
    if not candidates:
        fallback = get_engine(engine or DEFAULT_ENGINE, options).default_voice(lang)
        return RankedVoice(fallback, measurement(fallback))
    return rank(candidates)[0]


def ranking_notes(chosen: Iterable[tuple[str, Voice, SpeechChoices]]) -> list[str]:
    """One line per language whose voice nobody chose, naming the voice the ranking gave it.

    `chosen` holds each text's language, voice and the voice choices that applied to it.
    """
    lines: dict[str, str] = {}
    for lang, voice, choices in chosen:
        if lang in lines or lang in choices.voices or "*" in choices.voices:
            continue
        lines[lang] = (
            f"voice for {lang}: {voice.label}, the most intelligible installed here "
            f"(Whisper base {RankedVoice(voice, measurement(voice)).figure}; "
            f"--voice {lang}=ENGINE:VOICE chooses another)"
        )
    return list(lines.values())
