"""`audioleaflet build`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.build import Report, build
from audioleaflet.cli.main import cli
from audioleaflet.cli.options import (
    DEFAULT_SOURCE,
    FOLLOW,
    SOURCE,
    TEXT,
    VOICE_KEYS,
    ProgressBar,
    report_notices,
    voice_options,
    voicing_from,
)
from audioleaflet.config.saved import resolve_settings
from audioleaflet.outputs.selection import parse_outputs
from audioleaflet.programs.ffmpeg import chosen_ffmpeg


@cli.command(name="build")
@click.argument("sources", nargs=-1, type=SOURCE)
@click.option(
    "-o",
    "--output",
    type=SOURCE,
    default=Path("output"),
    show_default=True,
    help="Folder to write audio and feeds into.",
)
@click.option(
    "--lang",
    type=TEXT,
    help="Build only this language (for a bare file: the language it is in).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for speech and encoding [default and most: the CPUs this process "
    "may use; more are cut to that, with a note].",
)
@click.option(
    "--podcast-config",
    type=SOURCE,
    help="podcast.toml with the feed settings [default: the one beside the sources].",
)
@click.option(
    "--base-url",
    type=TEXT,
    help="Public http(s) URL of the output folder, for feed links, e.g. https://example.org/audio/.",
)
@click.option("--feed-title", "title", type=TEXT, help="Podcast title.")
@click.option("--owner-name", type=TEXT, help="Podcast owner's name.")
@click.option("--owner-email", type=TEXT, help="Podcast owner's e-mail address.")
@click.option("--category", type=TEXT, help="Apple Podcasts category, e.g. 'Health & Fitness'.")
@click.option("--image", type=TEXT, help="Podcast cover: a PNG/JPEG file or a URL.")
@click.option(
    "--loudness",
    type=float,
    metavar="LUFS",
    help="Integrated loudness of every file [default: podcast.toml's, else -16].",
)
@click.option(
    "--cache-dir",
    type=SOURCE,
    help="Where spoken sentences are kept between builds "
    "[default: $AUDIOLEAFLET_CACHE or .audioleaflet-cache].",
)
@click.option(
    "--outputs",
    "outputs_option",
    default="all",
    show_default=True,
    metavar="LIST",
    help="Besides the MP3s and feeds: any of m4b,transcripts,chapters,daisy; 'all' or 'mp3'.",
)
@click.option(
    "--transcript-text",
    type=click.Choice(["spoken", "source"]),
    default="spoken",
    show_default=True,
    help="Transcripts say what is heard (numbers as words) or what the leaflet prints.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also say which ffmpeg runs.")
@FOLLOW
@voice_options
def build_command(
    sources: tuple[Path, ...],
    output: Path,
    lang: str | None,
    jobs: int | None,
    podcast_config: Path | None,
    cache_dir: Path | None,
    quiet: bool,
    verbose: bool,
    follow_symlinks: bool,
    **overrides: Any,
) -> None:
    """Build SOURCES (default: content/) into tagged MP3s with chapters and a feed per language.

    A source is a leaflet folder (leaflet.toml plus da.md, en.txt, ...), a folder of those, or a
    single .txt/.md file.

    \b
    Examples:
      audioleaflet build
      audioleaflet build leaflet.txt --lang da -o public/
      audioleaflet build content/hand-hygiene --base-url https://clinic.example/audio/
    """
    paths = list(sources) or [DEFAULT_SOURCE]
    if not sources and not DEFAULT_SOURCE.is_dir():
        raise click.ClickException(
            "no content/ folder here: run from the project folder or name a leaflet, "
            "e.g. audioleaflet build leaflet.txt"
        )
    voice = {key: overrides.pop(key) for key in VOICE_KEYS}
    outputs = parse_outputs(overrides.pop("outputs_option"), overrides.pop("transcript_text"))
    report: Report = (lambda _line: None) if quiet else (lambda line: click.echo(line, err=True))
    report_notices(report)
    voicing = voicing_from(paths, podcast_config, voice, follow_symlinks)
    settings = resolve_settings(
        paths, output, podcast_config, follow_symlinks, warn=report, **overrides
    )
    if verbose:
        require_usable_ffmpeg()
        report(f"ffmpeg: {chosen_ffmpeg().describe()}")
    # A bar on a terminal; a log read later gets the plain lines only.
    bar = None if quiet or not sys.stderr.isatty() else ProgressBar("Speaking")
    try:
        build(
            paths, output, settings, lang=lang, jobs=jobs, report=report, cache=cache_dir,
            progress=bar, voicing=voicing, outputs=outputs, follow_symlinks=follow_symlinks,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
