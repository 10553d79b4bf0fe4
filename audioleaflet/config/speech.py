"""Speech choices and pauses, in one home: the types, their limits, and reading `[voices]`,
`[speech]` and `[pauses]` from leaflet.toml, podcast.toml or the command line.

[voices]
en = "piper:en_US-joe-medium"   # engine:voice for one language
da = "espeak"                   # an engine's default voice for the language
"*" = "espeak"                  # every language not named

[speech]
rate = 0.9                      # relative to the voice's own speed
pitch = 1.0
volume = 1.0

[pauses]
sentence_ms = 400
paragraph_ms = 800
chapter_ms = 1600
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from audioleaflet.config.toml_file import TomlFile
from audioleaflet.errors import InputError, LeafletError
from audioleaflet.languages import get_language


@dataclass(frozen=True, slots=True)
class Pauses:
    """Silence lengths, in milliseconds, by what has just ended."""

    sentence_ms: int = 400
    """Between sentences of one paragraph."""
    list_item_ms: int = 600
    """After each list item."""
    paragraph_ms: int = 800
    """After a paragraph or sub-heading."""
    heading_ms: int = 1000
    """After the chapter's spoken heading."""
    chapter_ms: int = 1600
    """After the last sentence of a chapter, before the next chapter's heading."""


DEFAULT_PAUSES = Pauses()


@dataclass(frozen=True)
class SpeechChoices:
    """Voice, speech settings and pauses as one layer of configuration gives them.

    Layers (command line, leaflet.toml, podcast.toml) only hold what they set; `over` puts one
    on top of another, so the most specific layer wins key by key.
    """

    voices: dict[str, str] = field(default_factory=dict)
    """Language tag (or `*` for every language) -> `engine` or `engine:voice`."""
    settings: dict[str, float] = field(default_factory=dict)
    """`rate`, `pitch`, `volume`, relative to the voice's own (1.0 = unchanged)."""
    pauses: dict[str, int] = field(default_factory=dict)
    """`sentence_ms`, `list_item_ms`, `paragraph_ms`, `chapter_ms`, `heading_ms`."""

    def over(self, below: SpeechChoices) -> SpeechChoices:
        return SpeechChoices(
            voices={**below.voices, **self.voices},
            settings={**below.settings, **self.settings},
            pauses={**below.pauses, **self.pauses},
        )


SPEECH_KEYS = {"voices", "speech", "pauses"}
SETTINGS = ("rate", "pitch", "volume")
PAUSES = tuple(f.name for f in fields(Pauses))
# Beyond these a voice is unintelligible or the file clips; refuse rather than publish it.
SETTING_RANGE = (0.5, 2.0)
PAUSE_RANGE = (0, 10_000)
_EXAMPLE = "piper:en_US-joe-medium"


def check_voice_spec(spec: str) -> str:
    """`engine` or `engine:voice`; raises `InputError` naming the expected form."""
    engine, _, _voice = spec.partition(":")
    if not spec.strip() or not engine.strip() or spec != spec.strip():
        raise InputError(f"voice {spec!r} must be written engine:voice, e.g. {_EXAMPLE}")
    return spec


def _table(toml: TomlFile, key: str) -> dict[str, object]:
    value = toml.data.get(key, {})
    if not isinstance(value, dict):
        raise toml.fail(key, f"must be a table [{key}]")
    return value


def read_speech_choices(toml: TomlFile) -> SpeechChoices:
    """The speech layer a settings file gives, with errors that point at the line."""
    voices: dict[str, str] = {}
    for lang, spec in _table(toml, "voices").items():
        if not isinstance(spec, str):
            raise toml.fail(lang, 'must be a text like "piper:en_US-joe-medium"')
        try:
            voices[_language_key(lang)] = check_voice_spec(spec)
        except LeafletError as exc:
            raise toml.fail(lang, str(exc)) from None
    settings = _numbers(toml, "speech", SETTINGS, SETTING_RANGE)
    pauses = {k: int(v) for k, v in _numbers(toml, "pauses", PAUSES, PAUSE_RANGE).items()}
    return SpeechChoices(voices=voices, settings=settings, pauses=pauses)


def _numbers(
    toml: TomlFile, key: str, allowed: Iterable[str], limits: tuple[float, float]
) -> dict[str, float]:
    table = _table(toml, key)
    toml.check_keys(set(allowed), table)
    low, high = limits
    numbers: dict[str, float] = {}
    for name, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            value = None
        if value is None or not low <= value <= high:
            raise toml.fail(name, f"must be a number from {low:g} to {high:g}")
        numbers[name] = float(value)
    return numbers


def cli_choices(
    voice_options: Iterable[str], engine: str | None, settings: dict[str, float | None]
) -> SpeechChoices:
    """The command line's layer: `--voice LANG=ENGINE:VOICE` (repeatable) and `--engine`."""
    voices: dict[str, str] = {}
    if engine is not None:
        if not engine.strip() or ":" in engine:
            raise InputError(f"--engine {engine!r} must be an engine name such as espeak or piper")
        voices["*"] = engine.strip().lower()
    for option in voice_options:
        lang, sep, spec = option.partition("=")
        if not sep or not lang.strip() or not spec.strip():
            raise InputError(
                f"--voice {option!r} must be LANG=ENGINE:VOICE, e.g. --voice en={_EXAMPLE}"
            )
        try:
            voices[_language_key(lang)] = check_voice_spec(spec.strip())
        except LeafletError as exc:
            raise InputError(f"--voice {option!r}: {exc}") from None
    low, high = SETTING_RANGE
    given = {k: v for k, v in settings.items() if v is not None}
    for name, value in given.items():
        if not low <= value <= high:
            raise InputError(f"--{name} {value:g} is out of range; use {low:g} to {high:g}")
    return SpeechChoices(voices=voices, settings=given)


def _language_key(lang: str) -> str:
    """`*`, or the supported language's tag (`EN` -> `en`); an unsupported one is an error."""
    return "*" if lang.strip() == "*" else get_language(lang).tag


def pauses_from(choices: SpeechChoices) -> Pauses:
    return Pauses(**choices.pauses)
