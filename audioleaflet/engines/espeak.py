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
import threading
from typing import Any

import espeakng_loader

from audioleaflet.engines import EngineOptions, Speech, SpeechSettings, Voice
from audioleaflet.engines.child import in_fresh_child
from audioleaflet.errors import ToolError, VoiceError
from audioleaflet.languages import all_languages, get_language

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
# Lets the lexicon give exact pronunciations as [[phoneme mnemonics]] inside the text.
_PHONEMES = 0x100
_RATE = 1
_VOLUME = 2
_PITCH = 3
# espeak-ng's own defaults: pitch 50 and volume 100 on scales of 0-100 and 0-200.
_DEFAULT_PITCH = 50
_DEFAULT_VOLUME = 100
LICENCE = "GPL-3.0-or-later"
CREDIT = "eSpeak NG, © Jonathan Duddington, Reece H. Dunn and contributors"
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

    def has_voice(self, name: str) -> bool:
        with self.lock:
            found = self.lib.espeak_SetVoiceByName(name.encode()) == 0
            self.voice = name if found else None
            return bool(found)

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
    needs_network = False
    supports = frozenset({"rate", "pitch", "volume"})
    phonemes = True

    def __init__(self, options: EngineOptions | None = None) -> None:
        del options  # espeak-ng's voices are all inside the wheel.

    def version(self) -> str:
        # "parameters in the child": clips spoken before that fix may be cut short, and the
        # version is part of every clip's cache key, so they are spoken again.
        return f"espeak-ng {_library().version}, parameters in the child"

    def voices(self) -> list[Voice]:
        return [self.default_voice(tag) for tag in all_languages()]

    def default_voice(self, lang: str) -> Voice:
        return self._voice(get_language(lang).espeak_voice, lang)

    def _voice(self, name: str, lang: str) -> Voice:
        return Voice(
            engine=self.name,
            name=name,
            lang=get_language(lang).tag,
            offline=True,
            licence=LICENCE,
            credit=CREDIT,
        )

    def find_voice(self, name: str, lang: str) -> Voice:
        if name in {"", "default"}:
            return self.default_voice(lang)
        if not _library().has_voice(name):
            raise VoiceError(
                f"espeak-ng has no voice {name!r}; `audioleaflet voices` lists those here"
            )
        return self._voice(name, lang)

    def synthesize(self, text: str, voice: Voice, settings: SpeechSettings) -> Speech:
        library = _library()
        lib = library.lib
        with library.lock:
            if library.voice != voice.name:
                if lib.espeak_SetVoiceByName(voice.name.encode()) != 0:
                    raise VoiceError(f"espeak-ng has no voice {voice.name!r}")
                library.voice = voice.name
            pcm = in_fresh_child(functools.partial(_speak, library, text, settings), "espeak-ng")
        return Speech(pcm=pcm, sample_rate=library.sample_rate)


def _clamp(value: int, top: int) -> int:
    return max(0, min(top, value))


def _speak(library: _Library, text: str, settings: SpeechSettings) -> bytes:
    # Set in the child, never in the parent: each espeak_SetParameter call leaves state behind
    # (in espeak-ng 1.52 the rate call scales an internal sample length every time), and after
    # about 166 sentences in one worker every later sentence came out cut short.
    lib = library.lib
    lib.espeak_SetParameter(_RATE, round(DEFAULT_RATE_WPM * settings.rate), 0)
    lib.espeak_SetParameter(_PITCH, _clamp(round(_DEFAULT_PITCH * settings.pitch), 100), 0)
    lib.espeak_SetParameter(_VOLUME, _clamp(round(_DEFAULT_VOLUME * settings.volume), 200), 0)
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
