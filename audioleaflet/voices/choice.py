"""Which voice speaks a language: the chosen one when it is here, else the most intelligible
voice installed (with a warning when one was chosen).

A clinic may choose a voice that is not installed on the machine that builds (a new laptop,
a CI runner). Patients still get their leaflet, in the best voice that is here, and the build
says so; with `strict` (`--strict-voices`) it stops instead, for a publishing pipeline that
must not silently change voice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from audioleaflet.config.speech import SpeechChoices
from audioleaflet.engines import (
    DEFAULT_ENGINE,
    EngineOptions,
    SpeechSettings,
    Voice,
    engine_names,
    get_engine,
)
from audioleaflet.errors import LanguageError, VoiceError
from audioleaflet.voices.ranking import best_voice

Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ChosenVoice:
    """The voice and settings a language is spoken with."""

    voice: Voice
    settings: SpeechSettings
    phonemes: bool = False
    """The voice's engine reads espeak-ng phonemes (the lexicon's `[phonemes]`)."""


def choose_voice(
    lang: str,
    choices: SpeechChoices,
    options: EngineOptions,
    strict: bool = False,
    warn: Warn = lambda _line: None,
) -> ChosenVoice:
    """The voice for `lang` as `choices` ask; with none asked for, the most intelligible voice
    installed (`ranking.py`). A chosen voice that is not here falls back to that one too, with
    a warning, unless `strict`."""
    spec = choices.voices.get(lang) or choices.voices.get("*")
    if spec is None:
        voice = best_voice(lang, options).voice  # the build names it (`ranking.ranking_notes`)
    else:
        voice = _asked_for(spec, lang, options, strict, warn)
    engine = get_engine(voice.engine, options)
    settings = SpeechSettings(**choices.settings)
    ignored = sorted(settings.changed() - engine.supports)
    if ignored:
        warn(f"warning: {voice.label} has no {' or '.join(ignored)} control; ignoring it")
        settings = SpeechSettings(**{k: v for k, v in choices.settings.items() if k not in ignored})
    return ChosenVoice(voice, settings, bool(getattr(engine, "phonemes", False)))


def _asked_for(spec: str, lang: str, options: EngineOptions, strict: bool, warn: Warn) -> Voice:
    engine_name, _, voice_name = spec.partition(":")
    if engine_name not in engine_names():
        # A name no package registers is a typo, not a voice missing on this machine.
        known = ", ".join(engine_names())
        raise VoiceError(f"voice {spec} for {lang!r}: unknown speech engine; available: {known}")
    try:
        engine = get_engine(engine_name, options)
        if voice_name in {"", "default"} and not engine.needs_network:
            # `--engine pico`: that engine's most intelligible voice for the language.
            best = best_voice(lang, options, engine_name).voice
            return best if best.engine == engine_name else engine.default_voice(lang)
        return engine.find_voice(voice_name, lang)
    except (VoiceError, LanguageError) as exc:
        if strict or engine_name == DEFAULT_ENGINE:
            raise VoiceError(f"voice {spec} for {lang!r}: {exc}") from None
        voice = best_voice(lang, options).voice
        warn(
            f"warning: voice {spec} for {lang!r} is not available ({exc}); "
            f"speaking {lang!r} with {voice.label} instead (--strict-voices makes this an error)"
        )
        return voice


@dataclass(frozen=True)
class Voicing:
    """Everything a build is told about voices, before each leaflet adds its own choices."""

    command_line: SpeechChoices = field(default_factory=SpeechChoices)
    """`--voice`, `--engine`, `--rate`…: wins over everything."""
    shared: SpeechChoices = field(default_factory=SpeechChoices)
    """podcast.toml's layer: loses to the leaflet's own manifest."""
    strict: bool = False
    options: EngineOptions = field(default_factory=EngineOptions)

    def for_leaflet(self, own: SpeechChoices) -> SpeechChoices:
        below = own.over(self.shared)
        if "*" in self.command_line.voices:
            # `--engine espeak` means every language, whatever the manifests chose: it is how
            # a clinic builds offline when a chosen online voice cannot be reached.
            below = SpeechChoices(settings=below.settings, pauses=below.pauses)
        return self.command_line.over(below)
