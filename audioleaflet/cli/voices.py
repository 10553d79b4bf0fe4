"""`audioleaflet voices` and `audioleaflet voices install`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audioleaflet.cli.main import cli
from audioleaflet.cli.options import DEFAULT_SOURCE, SOURCE, TEXT, ProgressBar
from audioleaflet.engines import EngineOptions
from audioleaflet.languages import get_language
from audioleaflet.voices.folders import install_folder, voices_dirs
from audioleaflet.voices.install import PIPER_VOICES_URL, default_voices_url, install_voice
from audioleaflet.voices.listing import voice_table


@cli.group(invoke_without_command=True)
@click.option("--lang", type=TEXT, help="Show only this language.")
@click.option("--voices-dir", type=SOURCE, help="Also look for Piper voices here.")
@click.pass_context
def voices(ctx: click.Context, lang: str | None, voices_dir: Path | None) -> None:
    """List per language the engines and voices here, the default, and which need the network.

    \b
    Examples:
      audioleaflet voices --lang da
      audioleaflet voices install da_DK-talesyndrom-medium
    """
    if ctx.invoked_subcommand is not None:
        return
    wanted = get_language(lang).tag if lang else None
    options = EngineOptions(voices_dirs=voices_dirs(voices_dir, [DEFAULT_SOURCE]))
    for row in voice_table(options, wanted):
        click.echo(row)


@voices.command(name="install")
@click.argument("name", type=TEXT)
@click.option(
    "--voices-dir",
    type=SOURCE,
    help="Install into this folder [default: $AUDIOLEAFLET_VOICES or the user data folder].",
)
@click.option(
    "--from",
    "base_url",
    type=TEXT,
    metavar="URL",
    help="Piper voices repository "
    f"[default: $AUDIOLEAFLET_PIPER_VOICES_URL or {PIPER_VOICES_URL}].",
)
def voices_install(name: str, voices_dir: Path | None, base_url: str | None) -> None:
    """Download the Piper voice NAME (e.g. da_DK-talesyndrom-medium) into the voices folder.

    The model and its config are checked against the repository's checksums; a broken
    download resumes where it stopped when run again.

    \b
    Example:
      audioleaflet voices install en_GB-alba-medium
    """
    dest = voices_dir or install_folder()
    bar = ProgressBar(f"Downloading {name}") if sys.stderr.isatty() else None
    try:
        installed = install_voice(name, dest, base_url or default_voices_url(), bar)
    finally:
        if bar is not None:
            bar.close()
    click.echo(f"installed {name} into {installed}")
