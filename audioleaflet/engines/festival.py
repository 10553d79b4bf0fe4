"""The Festival speech synthesis system, offline, through its `text2wave` program.

Festival is not a Python package: it comes from the system's packages (Debian: `festival`,
and voices such as `festvox-itapc16k` and `festvox-italp16k`, the Italian FESTIVAL Modules'
diphone voices, which Whisper base understands better than any other voice here, see
`data/voice-ranking.toml`). The engine offers the voices it finds in Festival's voice folders
(`<folder>/<language>/<voice>/festvox/<voice>.scm`); the language folder's name is matched
with our languages' English names (`italian` -> `it`).

Each sentence is one `text2wave` run (through `programs/festival.py`): a fresh process, so the
same sentence always gives the same samples (measured: byte-identical), at about 0.3 s a
sentence, mostly loading the voice.
Festival reads its input as Latin-1; text outside it is brought into it here (typographic
punctuation to its plain form, other letters without their accents) rather than handed over
as bytes Festival would misread.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import tomllib
import unicodedata
import wave
from importlib import resources
from pathlib import Path

from audioleaflet.engines import EngineOptions, Speech, SpeechSettings, Voice
from audioleaflet.engines.voice_lookup import DEFAULT_NAMES, by_name, first_for
from audioleaflet.errors import ToolError, VoiceError
from audioleaflet.languages import all_languages
from audioleaflet.programs.festival import (
    INSTALL_HINT,
    festival_version,
    require_festival,
    run_text2wave,
)

VOICE_FOLDERS = (
    Path("/usr/share/festival/voices"),
    Path("/usr/lib/festival/voices"),
    Path("/usr/local/share/festival/voices"),
)
FESTIVAL_VOICES_ENV = "AUDIOLEAFLET_FESTIVAL_VOICES"
"""An extra folder of Festival voices, searched first (laid out as Festival's own)."""
_SCALE = 0.6
"""Festival's diphone voices peak at full scale; this leaves loudness normalisation room."""
_VOICE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_LATIN1_PLAIN = str.maketrans({"‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"',
                               "–": "-", "—": "-", "‑": "-", "…": "...", "€": "Euro"})  # fmt: skip


def _folders() -> list[Path]:
    extra = os.environ.get(FESTIVAL_VOICES_ENV, "").strip()
    folders = [Path(extra)] if extra else []
    return [folder for folder in (*folders, *VOICE_FOLDERS) if folder.is_dir()]


def _language_folders() -> dict[str, str]:
    """Festival's language folder names (`italian`) -> our tags (`it`)."""
    return {language.name.lower(): tag for tag, language in all_languages().items()}


@functools.cache
def _credits() -> dict[str, dict[str, str]]:
    text = resources.files("audioleaflet").joinpath("data/voice-credits.toml").read_text()
    table: dict[str, dict[str, str]] = tomllib.loads(text).get("festival", {})
    return table


@functools.cache
def _revision(folder: Path) -> str:
    """A checksum of the voice's files: a new release of the voice is a new voice."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(folder)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def latin1(text: str) -> bytes:
    """`text` as Festival can read it: Latin-1, with what has no Latin-1 form brought into it."""
    text = unicodedata.normalize("NFC", text).translate(_LATIN1_PLAIN)
    out: list[str] = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            bare = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(bare if bare.isascii() and bare else " ")
    return "".join(out).encode("latin-1")


class FestivalEngine:
    """Festival's installed voices, offline."""

    name = "festival"
    needs_network = False
    supports = frozenset({"rate", "volume"})
    phonemes = False

    def __init__(self, options: EngineOptions | None = None) -> None:
        del options  # Festival finds its voices in its own folders.

    def version(self) -> str:
        return festival_version()

    def _voice(self, name: str, lang: str, folder: Path) -> Voice:
        credit = _credits().get(name, {})
        return Voice(
            engine=self.name,
            name=name,
            lang=lang,
            offline=True,
            location=str(folder),
            revision=_revision(folder),
            licence=credit.get("licence", "unknown (see the voice package's copyright file)"),
            credit=credit.get("credit", f"Festival voice {name}"),
        )

    def voices(self) -> list[Voice]:
        require_festival()
        languages = _language_folders()
        found: dict[str, Voice] = {}
        for root in _folders():
            for scm in sorted(root.glob("*/*/festvox/*.scm")):
                folder = scm.parent.parent
                lang = languages.get(folder.parent.name.lower())
                name = folder.name
                if lang and scm.stem == name and _VOICE_NAME.match(name) and name not in found:
                    found[name] = self._voice(name, lang, folder)
        return sorted(found.values(), key=lambda v: (v.lang, v.name))

    def default_voice(self, lang: str) -> Voice:
        missing = f"no Festival voice for {{lang!r}} is installed here; {INSTALL_HINT}"
        return first_for(self.voices(), lang, missing)

    def find_voice(self, name: str, lang: str) -> Voice:
        if name in DEFAULT_NAMES:
            return self.default_voice(lang)
        missing = f"Festival has no voice {{name!r}} here (it has {{names}}); {INSTALL_HINT}"
        return by_name(self.voices(), name, lang, "Festival", missing)

    def synthesize(self, text: str, voice: Voice, settings: SpeechSettings) -> Speech:
        if not _VOICE_NAME.match(voice.name):  # it goes into a Scheme expression
            raise VoiceError(f"{voice.name!r} is not a Festival voice name")
        with tempfile.TemporaryDirectory(prefix="audioleaflet-festival-") as tmp:
            source, out = Path(tmp) / "sentence.txt", Path(tmp) / "sentence.wav"
            source.write_bytes(latin1(text) + b"\n")
            args = [
                "-eval", f"(voice_{voice.name})",
                "-eval", f"(Parameter.set 'Duration_Stretch {1 / settings.rate:.4f})",
                "-scale", f"{_SCALE * settings.volume:.4f}",
                "-otype", "riff", "-o", str(out), str(source),
            ]  # fmt: skip
            run_text2wave(args, f"{text[:40]!r}")
            try:
                with wave.open(str(out), "rb") as clip:
                    if clip.getnchannels() != 1 or clip.getsampwidth() != 2:
                        raise ToolError("Festival wrote audio that is not mono 16-bit")
                    return Speech(clip.readframes(clip.getnframes()), clip.getframerate())
            except (OSError, EOFError, wave.Error) as exc:
                raise ToolError(
                    f"Festival wrote no usable audio for {text[:40]!r}: {exc}"
                ) from None
