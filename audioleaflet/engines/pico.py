"""SVOX Pico, offline, through the `ttspico` package (`pip install 'audioleaflet[pico]'`).

Pico is the small speech engine Android shipped for years: German, Italian, British and
American English, Spanish and French, at 16 kHz, about 250 times faster than real time. Its
code is Apache-2.0; its language files (`*_ta.bin`, `*_sg.bin`) came without the sources they
were made from, which is why Debian keeps them in non-free. `ttspico` is a source package: it
builds with a C compiler (10–14 s) and installs the language files beside it.

Measured (`data/voice-ranking.toml`): far more intelligible than espeak-ng in German and
Italian. Three things it needs from us:

- A fresh engine per sentence. One engine reused gives different samples for the same
  sentence later on; a new one costs about a millisecond and gives the same bytes every time.
- Its default volume clips (1.2 % of samples on a leaflet); volume 55 keeps the peaks below
  full scale, and loudness normalisation sets the level afterwards in any case.
- Pico reads SSML-like tags in the text (`<speed level="300">`, `<ignore>`, even `< break`),
  so a `<` that could open one becomes a fullwidth `＜`, which Pico says nothing for: the
  words around it are all spoken, none is swallowed as markup.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from audioleaflet.engines import EngineOptions, Speech, SpeechSettings, Voice
from audioleaflet.engines.voice_lookup import DEFAULT_NAMES, by_name, first_for
from audioleaflet.errors import ToolError, VoiceError
from audioleaflet.languages import all_languages, get_language

SAMPLE_RATE = 16000
INSTALL_HINT = "install SVOX Pico with: pip install 'audioleaflet[pico]' (needs a C compiler)"
LICENCE = "Apache-2.0"
CREDIT = "SVOX Pico, © 2008-2009 SVOX AG"
SYSTEM_FOLDER = Path("/usr/share/pico/lang")
"""Where Debian's libttspico-data puts the same files; ours come first when both exist."""
_VOLUME = 55
"""Pico's volume (100 is its own default) at which its loudest sentences stay below clipping."""
_MARKUP = re.compile(r"<(?=\s*/?\s*[A-Za-z])")
_NAME = re.compile(r"^([a-z]{2}-[A-Z]{2})_ta\.bin$")


def _lang_folders() -> list[Path]:
    """Folders holding Pico language files: ttspico's own, then the system's."""
    folders: list[Path] = []
    spec = importlib.util.find_spec("ttspico")
    if spec is not None and spec.origin:
        # ttspico installs them as data files under the environment's prefix.
        folders += [Path(spec.origin).parent / "languages", Path(sys.prefix) / "languages"]
    folders.append(SYSTEM_FOLDER)
    return [folder for folder in folders if folder.is_dir()]


@functools.cache
def _installed() -> dict[str, Path]:
    """Pico language name (`de-DE`) -> the folder with both its files."""
    found: dict[str, Path] = {}
    for folder in _lang_folders():
        for file in sorted(folder.glob("*_ta.bin")):
            match = _NAME.match(file.name)
            if match and any(folder.glob(f"{match[1]}_*_sg.bin")):
                found.setdefault(match[1], folder)
    return found


@functools.cache
def _revision(name: str, folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.glob(f"{name}_*.bin")):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _ttspico() -> Any:
    try:
        import ttspico
    except ImportError:
        raise VoiceError(f"SVOX Pico is not installed; {INSTALL_HINT}") from None
    return ttspico


def escape_markup(text: str) -> str:
    """`text` with every `<` that Pico could read as the start of a tag made inert."""
    return _MARKUP.sub("＜", text)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class PicoEngine:
    """SVOX Pico's six voices, offline."""

    name = "pico"
    needs_network = False
    supports = frozenset({"rate", "pitch", "volume"})
    phonemes = False
    latin_only = True
    """Its six languages are written in Latin letters; any other letter (Greek, Cyrillic) it
    passes over in silence, so a sentence holding one is said by another voice
    (`audio/clips.py`)."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        del options  # The language files are found where ttspico installs them.

    def version(self) -> str:
        try:
            return f"ttspico {version('ttspico')}"
        except PackageNotFoundError:
            return "ttspico (not installed)"

    def _voice(self, name: str, folder: Path) -> Voice:
        return Voice(
            engine=self.name,
            name=name,
            lang=get_language(name).tag,
            offline=True,
            location=str(folder),
            revision=_revision(name, folder),
            licence=LICENCE,
            credit=CREDIT,
        )

    def voices(self) -> list[Voice]:
        _ttspico()
        known = all_languages()
        return [
            self._voice(name, folder)
            for name, folder in sorted(_installed().items())
            if name.split("-")[0].lower() in known
        ]

    def default_voice(self, lang: str) -> Voice:
        # en-GB before en-US: the list is sorted, and the leaflets are EU ones.
        missing = f"SVOX Pico does not speak {{lang!r}}; {INSTALL_HINT}"
        return first_for(self.voices(), lang, missing)

    def find_voice(self, name: str, lang: str) -> Voice:
        if name in DEFAULT_NAMES:
            return self.default_voice(lang)
        missing = "SVOX Pico has no voice {name!r} here (it has {names})"
        return by_name(self.voices(), name, lang, "Pico", missing, fold_case=True)

    def synthesize(self, text: str, voice: Voice, settings: SpeechSettings) -> Speech:
        ttspico = _ttspico()
        try:
            engine = ttspico.TtsEngine(voice.name, lang_dir=voice.location)
            # Pico's own scales: rate and pitch 100 = its default; volume as explained above,
            # never above the level that stays unclipped.
            engine.rate = _clamp(100 * settings.rate, 20, 500)
            engine.pitch = _clamp(100 * settings.pitch, 50, 200)
            engine.volume = _clamp(_VOLUME * settings.volume, 0, _VOLUME)
            pcm = engine.speak(escape_markup(text))
        except (RuntimeError, ValueError) as exc:
            raise ToolError(f"SVOX Pico could not speak {text[:40]!r}: {exc}") from None
        return Speech(pcm=bytes(pcm or b""), sample_rate=SAMPLE_RATE)
