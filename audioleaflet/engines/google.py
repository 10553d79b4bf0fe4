"""Google Text-to-Speech through gTTS: natural voices, but online only (opt-in).

Each sentence is sent on its own (gTTS cuts one longer than its 100-character limit at
punctuation, so chunks never straddle two sentences). Transient failures (no connection,
HTTP 429 and 5xx) are retried with exponential backoff; anything else fails at once with one
line that says what happened and how to build offline. The MP3 gTTS returns is decoded to the
pipeline's PCM here, and an empty answer is an error, never a silent clip.

gTTS honours the usual `https_proxy` setting, which is how clinics behind a proxy reach it
(and how the tests point it at a local imitation of the service).
"""

from __future__ import annotations

import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from audioleaflet.engines import EngineOptions, Speech, SpeechSettings, Voice
from audioleaflet.errors import LanguageError, ServiceError, ToolError, VoiceError
from audioleaflet.languages import all_languages, get_language
from audioleaflet.programs.ffmpeg import decode_pcm

SAMPLE_RATE = 24000
"""gTTS's MP3s are 24 kHz mono; decoding at that rate avoids a resampling step."""
OFFLINE_HINT = "use --engine espeak to build offline"
_TRANSIENT = {408, 429, 500, 502, 503, 504}
_DEFAULT_TLD = "com"
LICENCE = "Google Terms of Service"
CREDIT = "Google Text-to-Speech, through gTTS"


def _gtts() -> Any:
    try:
        import gtts
    except ImportError:
        raise VoiceError(
            "gTTS is not installed; install it with: pip install 'audioleaflet[gtts]'"
        ) from None
    return gtts


class GttsEngine:
    """Google's voices, through the network."""

    name = "gtts"
    needs_network = True
    supports: frozenset[str] = frozenset()
    phonemes = False

    def __init__(
        self,
        options: EngineOptions | None = None,
        *,
        attempts: int = 4,
        backoff_s: float = 0.5,
        timeout_s: float = 20.0,
    ) -> None:
        del options
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s

    def version(self) -> str:
        try:
            return f"gtts {version('gTTS')}"
        except PackageNotFoundError:
            return "gtts (not installed)"

    def _code(self, lang: str) -> str:
        language = get_language(lang)
        return language.gtts_lang or language.tag

    def voices(self) -> list[Voice]:
        offered = _gtts().lang.tts_langs()
        return [
            Voice(
                engine=self.name,
                name=self._code(tag),
                lang=tag,
                offline=False,
                licence=LICENCE,
                credit=CREDIT,
            )
            for tag in all_languages()
            if self._code(tag) in offered
        ]

    def default_voice(self, lang: str) -> Voice:
        tag = get_language(lang).tag
        for voice in self.voices():
            if voice.lang == tag:
                return voice
        raise LanguageError(f"Google Text-to-Speech does not speak {tag!r}")

    def find_voice(self, name: str, lang: str) -> Voice:
        """`da`, or `en@co.uk` for the accent of another Google domain."""
        voice = self.default_voice(lang)
        if name in {"", "default", voice.name}:
            return voice
        code, _, tld = name.partition("@")
        if code != voice.name or not tld:
            raise VoiceError(
                f"gTTS voice {name!r} does not speak {lang!r}; use {voice.name!r} "
                f"or {voice.name}@TLD (e.g. {voice.name}@co.uk)"
            )
        return Voice(
            engine=self.name,
            name=name,
            lang=voice.lang,
            offline=False,
            licence=LICENCE,
            credit=CREDIT,
        )

    def _mp3(self, text: str, voice: Voice) -> bytes:
        gtts = _gtts()
        code, _, tld = voice.name.partition("@")
        speaker = gtts.gTTS(text, lang=code, tld=tld or _DEFAULT_TLD, timeout=self.timeout_s)
        chunks: list[bytes] = []
        for attempt in range(1, self.attempts + 1):
            chunks.clear()
            try:
                for chunk in speaker.stream():
                    chunks.append(chunk)
                break
            except gtts.tts.gTTSError as exc:
                status = getattr(exc.rsp, "status_code", None)
                transient = status is None or status in _TRANSIENT
                if not transient or attempt == self.attempts:
                    raise ServiceError(_failure(exc, status, attempt)) from None
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            except (AssertionError, ValueError) as exc:  # gTTS's own checks on the text
                raise ToolError(f"gTTS cannot speak {text[:40]!r}: {exc}") from None
        return b"".join(chunks)

    def synthesize(self, text: str, voice: Voice, settings: SpeechSettings) -> Speech:
        del settings  # Google's voices have no rate, pitch or volume controls here.
        mp3 = self._mp3(text, voice)
        if not mp3:
            raise ServiceError(f"Google Text-to-Speech returned no audio for {text[:40]!r}")
        with tempfile.TemporaryDirectory(prefix="audioleaflet-gtts-") as tmp:
            path = Path(tmp) / "speech.mp3"
            path.write_bytes(mp3)
            pcm = decode_pcm(path, SAMPLE_RATE)
        if not pcm:
            raise ServiceError(f"Google Text-to-Speech returned unplayable audio for {text[:40]!r}")
        return Speech(pcm=pcm, sample_rate=SAMPLE_RATE)


def _failure(exc: Exception, status: int | None, attempts: int) -> str:
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if status is None:
        cause = exc.__context__ or exc
        detail = str(cause)
        if "resolve" in detail.lower() or "NameResolution" in detail:
            reason = f"translate.google.com cannot be looked up (no internet?){tries}"
        elif "timed out" in detail.lower() or "Timeout" in type(cause).__name__:
            reason = f"no answer in time{tries}"
        else:
            reason = f"no connection ({type(cause).__name__}){tries}"
        return f"cannot reach Google Text-to-Speech: {reason}; {OFFLINE_HINT}"
    if status == 200:  # An answer, but not one with audio in it: the service has changed.
        return f"Google Text-to-Speech answered without audio (try a newer gTTS); {OFFLINE_HINT}"
    return f"Google Text-to-Speech refused the request (HTTP {status}){tries}; {OFFLINE_HINT}"
