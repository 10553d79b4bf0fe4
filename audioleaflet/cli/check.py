"""`audioleaflet check`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from audioleaflet.cli.main import cli
from audioleaflet.cli.options import SOURCE
from audioleaflet.config.audio import check_loudness
from audioleaflet.config.saved import resolve_settings
from audioleaflet.programs.ffmpeg import chosen_ffmpeg
from audioleaflet.verify import check_output, summary


@cli.command(name="check")
@click.argument("output", type=SOURCE, default=Path("output"), required=False)
@click.option(
    "--loudness",
    type=float,
    metavar="LUFS",
    help="Target to check against [default: the one OUTPUT was built with, else -16].",
)
def check_command(output: Path, loudness: float | None) -> None:
    """Check a built OUTPUT folder (default: output/) as listeners and apps will meet it.

    Every MP3 and M4B must decode completely, be covered by its chapters and measure at
    the loudness target (within 1 LU) with true peak at most -1 dBTP; every feed link must
    point at a file of the stated size; transcripts and chapters JSON must parse and end inside the
    audio; every DAISY book must be valid. Prints a table; exits 1 if anything failed.

    \b
    Example:
      audioleaflet check output/
    """
    # The build records its settings beside the feeds: check against the target it aimed at.
    target = resolve_settings([], output, None).loudness
    if loudness is not None:
        target = replace(target, integrated_lufs=check_loudness(loudness, "--loudness"))
    rows = check_output(output, target)
    click.echo(f"ffmpeg: {chosen_ffmpeg().describe()}")
    table = [("FILE", "CHECK", "RESULT", "DETAIL")]
    table += [(row.file, row.check, "ok" if row.ok else "FAIL", row.detail) for row in rows]
    widths = [max(len(line[column]) for line in table) for column in range(3)]
    for file, check, result, detail in table:
        click.echo(f"{file:<{widths[0]}}  {check:<{widths[1]}}  {result:<{widths[2]}}  {detail}")
    click.echo(summary(rows))
    if not all(row.ok for row in rows):
        raise click.exceptions.Exit(1)
