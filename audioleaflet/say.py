"""`audioleaflet say`: one text, in its spoken form, to an audio file for a quick listen."""

from __future__ import annotations

import tempfile
from pathlib import Path

from audioleaflet.atomic import atomic_file
from audioleaflet.audio.assemble import write_chapter
from audioleaflet.audio.clips import ClipRequest, synthesize_clips
from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.engines import EngineOptions
from audioleaflet.errors import InputError
from audioleaflet.model import Block, BlockKind, Chapter
from audioleaflet.programs.ffmpeg import run_ffmpeg
from audioleaflet.text.sentences import body_sentences
from audioleaflet.voices.choice import ChosenVoice

_FORMATS = {".mp3": "mp3", ".wav": "wav", ".ogg": "ogg", ".m4a": "ipod", ".flac": "flac"}


def say_to_file(
    text: str, lang: str, chosen: ChosenVoice, options: EngineOptions, output: Path
) -> str:
    """Speak `text` into `output` (format by suffix); return what was said."""
    container = _FORMATS.get(output.suffix.lower())
    if container is None:
        known = ", ".join(_FORMATS)
        raise InputError(f"cannot write {output.name}: use one of the suffixes {known}")
    if output.is_dir():
        raise InputError(f"{output} is a folder; give a file name such as {output / 'say.mp3'}")
    if not output.parent.is_dir():
        raise InputError(f"folder {output.parent} does not exist; create it or choose another -o")
    if not any(ch.isalnum() for ch in text):
        raise InputError("nothing to say: the text has no words")
    chapter = Chapter(title="", blocks=(Block(BlockKind.PARAGRAPH, text),))
    sentences = body_sentences(chapter, lang)
    if not sentences:
        raise InputError("nothing to say: the text has no words")
    require_usable_ffmpeg()
    requests = [ClipRequest(s.text, chosen.voice, chosen.settings) for s in sentences]
    with tempfile.TemporaryDirectory(prefix="audioleaflet-say-") as tmp:
        # Its own clip store: a quick listen should not fill the build's cache.
        clips, _spoken = synthesize_clips(requests, Path(tmp) / "clips", jobs=1, options=options)
        parts = [(clips[r], s.pause_after_ms) for r, s in zip(requests, sentences, strict=True)]
        wav = Path(tmp) / "said.wav"
        write_chapter(wav, parts, parts[0][0].sample_rate)
        with atomic_file(output) as dest:
            run_ffmpeg(["-y", "-i", wav, "-ac", "1", "-f", container, dest])
    return " ".join(s.text for s in sentences)
