"""espeak-ng, driven in-process through ctypes from the `espeakng-loader` wheel.

The wheel carries `libespeak-ng.so` and all voice data, so this works after a plain
`pip install` with no system package and no network. The C library keeps global state (one
voice, one callback), so an `EspeakEngine` is used from one thread of one process; the
pipeline runs one per worker process.

espeak-ng's output also depends on everything it said before in the same process: its wave
generator keeps a phase, a pitch-flutter index, an echo buffer and `rand()` state that neither
`espeak_Initialize` nor `espeak_ng_SetRandSeed` resets. So that the same sentence always gives
the same samples (and a rebuild the same bytes), each sentence is spoken in a child forked from
a process that has loaded the voice but never spoken: ~5 ms more per sentence, measured.
"""

from __future__ import annotations

import ctypes
import functools
import os
import threading
from typing import Any

import espeakng_loader

from audioleaflet.engines import Speech, Voice
from audioleaflet.errors import LanguageError, ToolError
from audioleaflet.languages import all_languages, get_language

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
# Lets the lexicon give exact pronunciations as [[phoneme mnemonics]] inside the text.
_PHONEMES = 0x100
_RATE = 1
# Words per minute. espeak-ng's default is 175; a little slower suits leaflets read to patients.
DEFAULT_RATE_WPM = 165

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """The loaded C library, initialised once per process."""

    def __init__(self) -> None:
        try:
            lib: Any = ctypes.CDLL(espeakng_loader.get_library_path())
        except OSError as exc:
            raise ToolError(f"cannot load espeak-ng from espeakng-loader: {exc}") from None
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        data = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if rate <= 0:
            raise ToolError("espeak-ng failed to initialise; reinstall espeakng-loader")
        self.lib = lib
        self.sample_rate = int(rate)
        self.version = lib.espeak_Info(None).decode()
        self.chunks: list[bytes] = []
        self.voice: str | None = None
        # Keep a reference: ctypes frees the trampoline if the Python object is collected.
        self._callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)
        self.lock = threading.Lock()

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0


@functools.cache
def _library() -> _Library:
    return _Library()


class EspeakEngine:
    """The default, offline engine."""

    name = "espeak"

    def __init__(self, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        self.rate_wpm = rate_wpm

    def version(self) -> str:
        return f"espeak-ng {_library().version} rate={self.rate_wpm}"

    def voices(self) -> list[Voice]:
        return [self.default_voice(tag) for tag in all_languages()]

    def default_voice(self, lang: str) -> Voice:
        language = get_language(lang)
        return Voice(engine=self.name, name=language.espeak_voice, lang=language.tag, offline=True)

    def synthesize(self, text: str, voice: Voice) -> Speech:
        library = _library()
        lib = library.lib
        with library.lock:
            if library.voice != voice.name:
                if lib.espeak_SetVoiceByName(voice.name.encode()) != 0:
                    raise LanguageError(f"espeak-ng has no voice {voice.name!r}")
                library.voice = voice.name
            lib.espeak_SetParameter(_RATE, self.rate_wpm, 0)
            speak = functools.partial(_speak, library, text)
            pcm = _in_fresh_child(speak) if hasattr(os, "fork") else speak()
        return Speech(pcm=pcm, sample_rate=library.sample_rate)


def _speak(library: _Library, text: str) -> bytes:
    library.chunks.clear()
    data = text.encode("utf-8")
    status = library.lib.espeak_Synth(
        data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _PHONEMES, None, None
    )
    if status != 0:
        raise ToolError(f"espeak-ng could not speak {text[:40]!r} (error {status})")
    pcm = b"".join(library.chunks)
    library.chunks.clear()
    return pcm


def _in_fresh_child(speak: functools.partial[bytes]) -> bytes:
    """Run `speak` in a forked child and return its bytes; the parent's state stays pristine."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # The child: speak, hand the samples over, and leave without cleanup.
        code = 0
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(speak())
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        pcm = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise ToolError("espeak-ng failed while speaking a sentence")
    return pcm
