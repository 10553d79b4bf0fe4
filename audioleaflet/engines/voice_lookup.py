"""Finding a voice in an engine's list: the first one for a language, or one by name.

Engines that list their voices (Festival, SVOX Pico, Piper) answer `default_voice` and
`find_voice` the same way; only their names and install hints differ.
"""

from __future__ import annotations

from collections.abc import Iterable

from audioleaflet.engines import Voice
from audioleaflet.errors import LanguageError, VoiceError
from audioleaflet.languages import get_language

DEFAULT_NAMES = frozenset({"", "default"})
"""What `--voice LANG=ENGINE:` and `ENGINE:default` ask for: the engine's voice for the language."""


def first_for(voices: Iterable[Voice], lang: str, missing: str) -> Voice:
    """The first of `voices` speaking `lang` (in the engine's own order of preference); else a
    LanguageError saying `missing`."""
    tag = get_language(lang).tag
    for voice in voices:
        if voice.lang == tag:
            return voice
    raise LanguageError(missing.format(lang=tag))


def by_name(
    voices: Iterable[Voice],
    name: str,
    lang: str,
    engine: str,
    missing: str,
    fold_case: bool = False,
) -> Voice:
    """The voice called `name` (any case, with `fold_case`), which must speak `lang`; else a
    VoiceError naming what there is, or saying `missing` ({name} and {names} filled in)."""
    listed = list(voices)
    tag = get_language(lang).tag
    wanted = name.casefold() if fold_case else name
    for voice in listed:
        if (voice.name.casefold() if fold_case else voice.name) == wanted:
            if voice.lang != tag:
                raise VoiceError(
                    f"{engine} voice {voice.name!r} speaks {voice.lang!r}, not {lang!r}"
                )
            return voice
    names = ", ".join(v.name for v in listed) or "none"
    raise VoiceError(missing.format(name=name, names=names))
