"""Speech engines behind one small protocol, registered in one place.

Built-in engines sit in `ENGINES` exactly as a plugin's would; the pipeline only ever looks an
engine up by name, so tests and plugins can add their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from audioleaflet.errors import LanguageError


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice an engine offers for a language."""

    engine: str
    """Engine name, e.g. `espeak`."""
    name: str
    """The engine's name for the voice, e.g. `da`."""
    lang: str
    """BCP 47 tag of the language it speaks."""
    offline: bool
    """True when it works without a network connection."""


@dataclass(frozen=True, slots=True)
class Speech:
    """Mono 16-bit PCM from an engine."""

    pcm: bytes
    """Little-endian signed 16-bit samples."""
    sample_rate: int


class Engine(Protocol):
    """What the pipeline needs from a speech engine."""

    name: str
    """Registry name."""

    def version(self) -> str:
        """Changes whenever the same text could sound different; part of every clip's identity."""
        ...

    def voices(self) -> list[Voice]:
        """Every voice available here."""
        ...

    def default_voice(self, lang: str) -> Voice:
        """The voice used for `lang` unless another is chosen; `LanguageError` if none."""
        ...

    def synthesize(self, text: str, voice: Voice) -> Speech:
        """Speak one sentence."""
        ...


def _espeak() -> Engine:
    from audioleaflet.engines.espeak import EspeakEngine

    return EspeakEngine()


ENGINES: dict[str, Callable[[], Engine]] = {"espeak": _espeak}
DEFAULT_ENGINE = "espeak"


def get_engine(name: str) -> Engine:
    """An engine by registry name."""
    try:
        factory = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise LanguageError(f"unknown speech engine {name!r}; available: {known}") from None
    return factory()
