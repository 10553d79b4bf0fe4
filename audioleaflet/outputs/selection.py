"""Which files a build writes beside the book and chapter MP3s (which it always writes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from audioleaflet.errors import InputError
from audioleaflet.layout import COMPANIONS

OPTIONAL = tuple(COMPANIONS)
"""`m4b` audiobook, WebVTT + SRT `transcripts`, Podcasting 2.0 `chapters` JSON, `daisy` book:
the companions the output layout names beside each book."""
TextChoice = Literal["spoken", "source"]


@dataclass(frozen=True, slots=True)
class Outputs:
    m4b: bool = True
    transcripts: bool = True
    chapters: bool = True
    daisy: bool = True
    transcript_text: TextChoice = "spoken"
    """Transcript cues as spoken (numbers as words: what the listener hears) or as printed."""


ALL_OUTPUTS = Outputs()


def parse_outputs(names: str, transcript_text: str = "spoken") -> Outputs:
    """`--outputs m4b,daisy` (or `all`, or `mp3` for the MP3s and feed only)."""
    wanted = {n.strip().lower() for n in names.split(",") if n.strip()}
    if not wanted:
        raise InputError("--outputs is empty; give all, mp3, or a list such as m4b,daisy")
    if wanted == {"all"}:
        wanted = set(OPTIONAL)
    wanted.discard("mp3")
    unknown = sorted(wanted - set(OPTIONAL))
    if unknown:
        known = ", ".join(("all", "mp3", *OPTIONAL))
        raise InputError(f"--outputs: unknown {', '.join(unknown)}; choose from {known}")
    if transcript_text not in ("spoken", "source"):
        raise InputError("--transcript-text must be spoken or source")
    text: TextChoice = "source" if transcript_text == "source" else "spoken"
    return Outputs(**{name: name in wanted for name in OPTIONAL}, transcript_text=text)
