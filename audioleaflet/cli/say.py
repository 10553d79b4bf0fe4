"""`audioleaflet say`."""

from __future__ import annotations

from pathlib import Path

import click

from audioleaflet.cli.main import cli
from audioleaflet.cli.options import (
    DEFAULT_SOURCE,
    SOURCE,
    TEXT,
    report_notices,
    setting_options,
    warn,
)
from audioleaflet.config.speech import cli_choices
from audioleaflet.engines import EngineOptions
from audioleaflet.languages import get_language
from audioleaflet.say import say_to_file
from audioleaflet.voices.choice import choose_voice
from audioleaflet.voices.folders import voices_dirs


@cli.command()
@click.argument("text", type=TEXT)
@click.option("--lang", type=TEXT, required=True, help="Language of TEXT, e.g. da.")
@click.option(
    "--voice",
    "spec",
    type=TEXT,
    metavar="ENGINE[:VOICE]",
    help="e.g. piper:en_US-joe-medium [default: espeak]",
)
@click.option("--engine", type=TEXT, help="Engine, with its default voice for --lang (e.g. piper).")
@click.option("--voices-dir", type=SOURCE, help="Folder of Piper voices.")
@setting_options
@click.option(
    "-o", "--output", type=SOURCE, default=Path("say.mp3"), show_default=True,
    help="Audio file to write (.mp3, .wav, .ogg, .m4a: by its suffix).",
)  # fmt: skip
def say(
    text: str,
    lang: str,
    spec: str | None,
    engine: str | None,
    voices_dir: Path | None,
    rate: float | None,
    pitch: float | None,
    volume: float | None,
    output: Path,
) -> None:
    """Speak TEXT, in its spoken form (numbers, units, abbreviations), to a file for a listen.

    \b
    Examples:
      audioleaflet say "Tag 2 tabletter à 500 mg." --lang da
      audioleaflet say "Take 2 tablets." --lang en --voice piper:en_US-joe-medium -o joe.wav
    """
    tag = get_language(lang).tag
    layer = cli_choices([f"{tag}={spec}"] if spec else [], engine, {
        "rate": rate, "pitch": pitch, "volume": volume,
    })  # fmt: skip
    options = EngineOptions(voices_dirs=voices_dirs(voices_dir, [DEFAULT_SOURCE]))
    report_notices(warn)
    strict = spec is not None or engine is not None  # asked for by name: no silent fallback
    chosen = choose_voice(tag, layer, options, strict=strict, warn=warn)
    said = say_to_file(text, tag, chosen, options, output)
    click.echo(f"{output}: {chosen.voice.label} said: {said}")
