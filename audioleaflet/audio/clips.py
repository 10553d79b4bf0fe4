"""Speaking sentences into clips, in worker processes, stored by content hash.

Each worker process holds its own engine (espeak-ng keeps global state in its C library).
A clip's name is the hash of everything that decides how it sounds, so the same sentence with
the same voice is spoken once per build and a clip store can be kept between builds.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import wave
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.audio.cache import Verifier, Warn, cache_entry
from audioleaflet.audio.pcm import trim_silence, wav_frames, write_wav
from audioleaflet.engines import Engine, EngineOptions, SpeechSettings, Voice, get_engine
from audioleaflet.errors import ToolError
from audioleaflet.lifetime import die_with_parent

DEFAULT_SETTINGS = SpeechSettings()
NO_OPTIONS = EngineOptions()
# Bump when the trimming or clip format changes, so stored clips are not reused.
CLIP_FORMAT = 1


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


def clip_key(request: ClipRequest, engine_version: str) -> str:
    voice, settings = request.voice, request.settings
    identity = [
        CLIP_FORMAT,
        voice.engine,
        engine_version,
        voice.name,
        voice.revision,
        [settings.rate, settings.pitch, settings.volume],
        request.text,
    ]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()[:32]


_worker_engines: dict[str, Engine] = {}


def speak_clip(
    request: ClipRequest, path: Path, options: EngineOptions = NO_OPTIONS
) -> tuple[int, int]:
    """Speak one request into a trimmed WAV at `path`; return (frames, sample rate)."""
    name = request.voice.engine
    engine = _worker_engines.get(name)
    if engine is None:
        engine = _worker_engines[name] = get_engine(name, options)
    speech = engine.synthesize(request.text, request.voice, request.settings)
    pcm = trim_silence(speech.pcm, speech.sample_rate)
    if not pcm:
        raise ToolError(f"{request.voice.label} gave no audio for {request.text[:40]!r}")
    with cache_entry(path) as tmp:
        write_wav(tmp, pcm, speech.sample_rate)
    return len(pcm) // 2, speech.sample_rate


def _speak_task(task: tuple[ClipRequest, Path, EngineOptions]) -> tuple[int, int]:
    return speak_clip(*task)


def clip_keys(
    requests: Iterable[ClipRequest], options: EngineOptions = NO_OPTIONS
) -> dict[ClipRequest, str]:
    """Each distinct request's cache key."""
    unique = list(dict.fromkeys(requests))
    names = {r.voice.engine for r in unique}
    versions = {name: get_engine(name, options).version() for name in names}
    return {r: clip_key(r, versions[r.voice.engine]) for r in unique}


Progress = Callable[[int, int], None]
"""Called with (sentences spoken so far, sentences to speak) as clips arrive."""


def synthesize_clips(
    requests: Iterable[ClipRequest],
    store: Path,
    jobs: int | None = None,
    progress: Progress | None = None,
    options: EngineOptions = NO_OPTIONS,
    warn: Warn | None = None,
) -> tuple[dict[ClipRequest, Clip], int]:
    """Every request spoken into `store`, and how many had to be spoken (the rest were there).

    A stored clip is used only if it matches its checksum; a damaged one is reported to `warn`
    and spoken again.
    """
    store.mkdir(parents=True, exist_ok=True)
    keys = clip_keys(requests, options)
    paths = {r: store / f"{key}.wav" for r, key in keys.items()}
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
    if missing:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
        tasks = [(r, paths[r], options) for r in missing]
        # "spawn": a fresh interpreter per worker, never a fork of a parent holding C state.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=die_with_parent,  # a killed build leaves no worker speaking on
            initargs=(os.getpid(),),
        ) as pool:
            chunk = max(1, len(tasks) // (workers * 4))
            results = pool.map(_speak_task, tasks, chunksize=chunk)
            try:
                for done, (request, (frames, rate)) in enumerate(
                    zip(missing, results, strict=True), 1
                ):
                    clips[request] = Clip(paths[request], frames, rate)
                    if progress is not None:
                        progress(done, len(missing))
            except BaseException:
                # The first failure (an online service down, say) ends the build now, not after
                # every queued sentence has failed in turn. Clips already made stay stored.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    return clips, len(missing)
