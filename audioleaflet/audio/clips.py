"""Speaking sentences into clips, in workers (`executors/`), stored by content hash.

Each worker process holds its own engine (espeak-ng keeps global state in its C library).
A clip's name is the hash of everything that decides how it sounds, so the same sentence with
the same voice is spoken once per build and a clip store can be kept between builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import unicodedata
import wave
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from audioleaflet import __version__
from audioleaflet.audio.cache import Verifier, Warn, cache_entry
from audioleaflet.audio.pcm import trim_silence, wav_frames, write_wav
from audioleaflet.engines import Engine, EngineOptions, SpeechSettings, Voice, get_engine
from audioleaflet.errors import LeafletError, ToolError
from audioleaflet.executors import Executor
from audioleaflet.executors.local import LocalExecutor
from audioleaflet.programs.ffmpeg import decode_pcm

DEFAULT_SETTINGS = SpeechSettings()
NO_OPTIONS = EngineOptions()
# Bump when the trimming or clip format changes, so stored clips are not reused.
CLIP_FORMAT = 1
# Says every script of every language we build: it speaks what another voice cannot.
STAND_IN_ENGINE = "espeak"


@dataclass(frozen=True, slots=True)
class ClipRequest:
    """One sentence to speak with one voice."""

    text: str
    voice: Voice
    settings: SpeechSettings = DEFAULT_SETTINGS


@dataclass(frozen=True, slots=True)
class Clip:
    """A spoken sentence on disk."""

    path: Path
    frames: int
    sample_rate: int


def clip_key(request: ClipRequest, engine_version: str, stand_in_version: str = "") -> str:
    """The clip's name: everything that decides how it sounds. A voice other than the stand-in
    may hand a sentence to it (`_stand_in`), so the stand-in's version is part of its clips'
    names too: a new espeak-ng says those sentences again."""
    voice, settings = request.voice, request.settings
    identity = [
        CLIP_FORMAT,
        voice.engine,
        engine_version,
        stand_in_version if voice.engine != STAND_IN_ENGINE else "",
        voice.name,
        voice.revision,
        [settings.rate, settings.pitch, settings.volume],
        request.text,
    ]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()[:32]


_worker_engines: dict[str, Engine] = {}
# A Dask worker runs tasks in threads; espeak-ng's C library keeps global state, so one
# synthesis at a time per process (a local worker process is single-threaded anyway).
_speaking = threading.Lock()


def _engine(name: str, options: EngineOptions) -> Engine:
    engine = _worker_engines.get(name)
    if engine is None:
        engine = _worker_engines[name] = get_engine(name, options)
    return engine


@dataclass(frozen=True, slots=True)
class SpokenPcm:
    """What a worker sends back: the trimmed speech, and the engine version that made it."""

    pcm: bytes
    sample_rate: int
    engine_version: str
    stand_in: str = ""
    """The voice that spoke instead, when the chosen one gave no audio ("" when it did)."""


def _not_latin(text: str) -> bool:
    """Whether `text` holds a letter of another script than Latin (Greek, Cyrillic…)."""
    return any(c.isalpha() and not unicodedata.name(c, "").startswith("LATIN") for c in text)


def _stand_in(request: ClipRequest, options: EngineOptions, rate: int) -> tuple[bytes, str]:
    """`request` spoken by espeak-ng at `rate` (b"" if it cannot), and the voice's label.

    SVOX Pico says nothing for letters outside its languages' alphabets (the Greek name of
    Greece in the list of local representatives of a Spanish ePI): rather than leave a word of
    the leaflet unsaid, espeak-ng says it, resampled to the chosen voice's rate so the chapter
    stays one stream.
    """
    try:
        engine = _engine(STAND_IN_ENGINE, options)
        voice = engine.default_voice(request.voice.lang)
        speech = engine.synthesize(request.text, voice, request.settings)
    except LeafletError:
        return b"", ""
    pcm = trim_silence(speech.pcm, speech.sample_rate)
    if pcm and speech.sample_rate != rate:
        with tempfile.TemporaryDirectory(prefix="audioleaflet-") as folder:
            wav = Path(folder) / "stand-in.wav"
            write_wav(wav, pcm, speech.sample_rate)
            pcm = decode_pcm(wav, rate)
    return pcm, voice.label


def speak_pcm(task: tuple[ClipRequest, EngineOptions]) -> SpokenPcm:
    """Runs in a worker: one request spoken and trimmed (stored by the build, not here, so a
    worker needs no access to the build's cache)."""
    request, options = task
    stand_in = ""
    with _speaking:
        engine = _engine(request.voice.engine, options)
        speech = engine.synthesize(request.text, request.voice, request.settings)
        version = engine.version()
        pcm = trim_silence(speech.pcm, speech.sample_rate)
        unsayable = getattr(engine, "latin_only", False) and _not_latin(request.text)
        if (not pcm or unsayable) and request.voice.engine != STAND_IN_ENGINE:
            said, by = _stand_in(request, options, speech.sample_rate)
            if said:
                pcm, stand_in = said, by
    if not pcm:
        raise ToolError(f"{request.voice.label} gave no audio for {request.text[:40]!r}")
    return SpokenPcm(pcm, speech.sample_rate, version, stand_in)


def installed_versions(names: tuple[str, ...], options: EngineOptions) -> dict[str, str]:
    """Runs on every worker before work: the versions that decide how a clip sounds."""
    versions = {name: _engine(name, options).version() for name in names}
    return {"audioleaflet": __version__, **versions}


def clip_keys(
    requests: Iterable[ClipRequest], options: EngineOptions = NO_OPTIONS
) -> dict[ClipRequest, str]:
    """Each distinct request's cache key."""
    unique = list(dict.fromkeys(requests))
    names = {r.voice.engine for r in unique} | {STAND_IN_ENGINE}
    versions = {name: get_engine(name, options).version() for name in names}
    stand_in = versions[STAND_IN_ENGINE]
    return {r: clip_key(r, versions[r.voice.engine], stand_in) for r in unique}


Progress = Callable[[int, int], None]
"""Called with (sentences spoken so far, sentences to speak) as clips arrive."""


@dataclass(frozen=True, slots=True)
class Spoken:
    """The clips of a build, and how many were spoken now, by which worker."""

    clips: dict[ClipRequest, Clip]
    spoken: int
    workers: dict[str, int]
    """Sentences spoken by each worker (`local`, or a Dask worker's address)."""


def _refuse_other_versions(executor: Executor, wanted: dict[str, str], names: list[str]) -> None:
    """A worker with another audioleaflet or engine would make other audio under the same key."""
    answers = executor.everywhere(partial(installed_versions, tuple(names), NO_OPTIONS))
    for worker, versions in sorted(answers.items()):
        for what, version in versions.items():
            if version != wanted.get(what, version):
                raise ToolError(
                    f"worker {worker} of {executor.name} has {what} {version}, this build "
                    f"{wanted[what]}: install the same audioleaflet and voices on every worker"
                )


def synthesize_clips(
    requests: Iterable[ClipRequest],
    store: Path,
    jobs: int | None = None,
    progress: Progress | None = None,
    options: EngineOptions = NO_OPTIONS,
    warn: Warn | None = None,
) -> tuple[dict[ClipRequest, Clip], int]:
    """Every request spoken into `store` by worker processes here; and how many were spoken."""
    with LocalExecutor(jobs or os.cpu_count() or 1) as executor:
        spoken = speak_into(requests, store, executor, progress, options, warn)
    return spoken.clips, spoken.spoken


def _unheard(_line: str) -> None:
    """Where notes go when nobody listens."""


def _stored_clips(
    paths: dict[ClipRequest, Path], warn: Warn | None
) -> tuple[dict[ClipRequest, Clip], list[ClipRequest]]:
    """The clips already in the store, and the requests still to speak (missing or damaged)."""
    clips: dict[ClipRequest, Clip] = {}
    missing: list[ClipRequest] = []
    with Verifier(warn) as verifier:
        for request, path in paths.items():
            if verifier.usable(path):
                try:
                    frames, rate = wav_frames(path)
                    clips[request] = Clip(path, frames, rate)
                    continue
                except (OSError, EOFError, wave.Error) as exc:
                    verifier.discard(path, f"is not a WAV file we can read ({exc})")
            missing.append(request)  # Not there, or damaged: speak it again.
    return clips, missing


def speak_into(
    requests: Iterable[ClipRequest],
    store: Path,
    executor: Executor,
    progress: Progress | None = None,
    options: EngineOptions = NO_OPTIONS,
    warn: Warn | None = None,
    notes: Sequence[str] = (),
) -> Spoken:
    """Every request spoken into `store` by `executor`'s workers (those already there are used).

    A stored clip is used only if it matches its checksum; a damaged one is reported to `warn`
    and spoken again. `notes` (which voice speaks what) go to `warn` once the workers have
    passed their checks: a build refused for its workers says so in one line, nothing before.
    """
    store.mkdir(parents=True, exist_ok=True)
    keys = clip_keys(requests, options)
    paths = {r: store / f"{key}.wav" for r, key in keys.items()}
    clips, missing = _stored_clips(paths, warn)
    workers: Counter[str] = Counter()
    wanted: dict[str, str] = {}
    if missing:
        names = sorted({r.voice.engine for r in missing})
        wanted = installed_versions(tuple(names), options)
        _refuse_other_versions(executor, wanted, names)
    for note in notes:
        (warn or _unheard)(note)
    tasks = [(r, options) for r in missing]
    for done, finished in enumerate(executor.map(speak_pcm, tasks) if tasks else (), 1):
        request, spoken = missing[finished.index], finished.result
        if spoken.engine_version != wanted[request.voice.engine]:
            # A worker that joined after the check above, with another engine.
            raise ToolError(
                f"worker {finished.worker} of {executor.name} speaks with "
                f"{request.voice.engine} {spoken.engine_version}, this build with "
                f"{wanted[request.voice.engine]}: install the same voices on every worker"
            )
        if spoken.stand_in:
            (warn or _unheard)(
                f"{request.voice.label} cannot say all of {request.text[:40]!r}; "
                f"{spoken.stand_in} said it instead"
            )
        with cache_entry(paths[request]) as tmp:
            write_wav(tmp, spoken.pcm, spoken.sample_rate)
        clips[request] = Clip(paths[request], len(spoken.pcm) // 2, spoken.sample_rate)
        workers[finished.worker] += 1
        if progress is not None:
            progress(done, len(missing))
    return Spoken(clips, len(missing), dict(workers))
