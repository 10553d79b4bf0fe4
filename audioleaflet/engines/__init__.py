"""Speech engines behind one small protocol, found through one registry.

Engines are registered as entry points in the group `audioleaflet.engines`: the built-in ones
(espeak, piper, gtts) in our own `pyproject.toml`, exactly as a third-party package would add
its own. An entry point names a class (or any callable) taking `EngineOptions`. Tests and
embedding programs may also add factories to `ENGINES` directly; those win over entry points.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from audioleaflet.errors import LanguageError

ENTRY_POINT_GROUP = "audioleaflet.engines"
DEFAULT_ENGINE = "espeak"


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice an engine offers for a language."""

    engine: str
    """Engine name, e.g. `espeak`."""
    name: str
    """The engine's name for the voice, e.g. `da` or `en_US-joe-medium`."""
    lang: str
    """BCP 47 tag of the language it speaks."""
    offline: bool
    """True when it works without a network connection."""
    location: str = ""
    """Where the engine loads it from (a Piper model file); "" when built in."""
    revision: str = ""
    """Changes when the voice data changes (a model's checksum); part of every clip's identity."""
    licence: str = ""
    """The voice's licence as its makers state it (SPDX where there is one), for the credits."""
    credit: str = ""
    """Who made the voice, as its licence asks to be credited; "" when nothing is asked."""

    @property
    def label(self) -> str:
        """`engine:name`, the form used on the command line, in tags and in feeds."""
        return f"{self.engine}:{self.name}"

    @property
    def credits(self) -> str:
        """Its maker and licence in one line, for feeds: `eSpeak NG, © …; licence: GPL-…`."""
        parts = [self.credit, f"licence: {self.licence}" if self.licence else ""]
        return "; ".join(part for part in parts if part)

    @property
    def described(self) -> str:
        """The label with the credits, for tags and transcripts: `espeak:da (eSpeak NG, …)`."""
        return f"{self.label} ({self.credits})" if self.credits else self.label


@dataclass(frozen=True, slots=True)
class SpeechSettings:
    """How a voice speaks, relative to its own default (1.0 = unchanged)."""

    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0

    def changed(self) -> frozenset[str]:
        """Names of the settings that differ from the voice's default."""
        return frozenset(name for name in ("rate", "pitch", "volume") if getattr(self, name) != 1.0)


@dataclass(frozen=True, slots=True)
class Speech:
    """Mono 16-bit PCM from an engine."""

    pcm: bytes
    """Little-endian signed 16-bit samples."""
    sample_rate: int


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """What an engine is told when it is made; picklable, so worker processes get it too."""

    voices_dirs: tuple[Path, ...] = ()
    """Folders searched for voice files, first match wins."""


class Engine(Protocol):
    """What the pipeline needs from a speech engine."""

    name: str
    """Registry name."""
    needs_network: bool
    """True when speaking sends the text to an online service."""
    supports: frozenset[str]
    """Which of `SpeechSettings`' fields the engine honours."""
    phonemes: bool
    """True when it reads espeak-ng phoneme mnemonics written `[[...]]` in the text (the
    lexicon's `[phonemes]`); other engines are given the lexicon's `[words]` form instead."""

    def version(self) -> str:
        """Changes whenever the same text could sound different; part of every clip's identity."""
        ...

    def voices(self) -> list[Voice]:
        """Every voice available here."""
        ...

    def default_voice(self, lang: str) -> Voice:
        """The voice used for `lang` unless another is chosen; `LanguageError` if none."""
        ...

    def find_voice(self, name: str, lang: str) -> Voice:
        """The voice called `name` for `lang`; `VoiceError` if it is not here."""
        ...

    def synthesize(self, text: str, voice: Voice, settings: SpeechSettings) -> Speech:
        """Speak one sentence; failures raise a `LeafletError` subclass, never anything else."""
        ...


EngineFactory = Callable[[EngineOptions], Engine]
ENGINES: dict[str, EngineFactory] = {}
"""Factories added at run time; they take precedence over installed entry points."""


@functools.cache
def _installed() -> dict[str, EngineFactory]:
    found: dict[str, EngineFactory] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(point.name, _lazy(point.value))
    return found


def _lazy(target: str) -> EngineFactory:
    """A factory that imports `module:attribute` only when an engine is actually made."""

    def make(options: EngineOptions) -> Engine:
        module_name, _, attribute = target.partition(":")
        module = __import__(module_name, fromlist=[attribute])
        factory: EngineFactory = getattr(module, attribute)
        return factory(options)

    return make


def engine_names() -> list[str]:
    """Every registered engine, sorted."""
    return sorted({*_installed(), *ENGINES})


def get_engine(name: str, options: EngineOptions | None = None) -> Engine:
    """An engine by registry name."""
    factory = ENGINES.get(name) or _installed().get(name)
    if factory is None:
        known = ", ".join(engine_names())
        raise LanguageError(f"unknown speech engine {name!r}; available: {known}")
    return factory(options or EngineOptions())
