"""`audioleaflet chapters` and `audioleaflet script`: how a leaflet will be split and what will
be said, without speaking it."""

from __future__ import annotations

from pathlib import Path

import click

from audioleaflet.cli.main import cli
from audioleaflet.cli.options import FOLLOW, SOURCE, TEXT
from audioleaflet.planning.plan import plan
from audioleaflet.planning.proofread import script_lines
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.text.sentences import body_sentences


@cli.command()
@click.argument("source", type=SOURCE)
@click.option(
    "--lang", type=TEXT, help="Show only this language (for a bare file: the language it is in)."
)
@FOLLOW
def chapters(source: Path, lang: str | None, follow_symlinks: bool) -> None:
    """Show how SOURCE will be split: chapter titles and sentence counts, without speaking.

    \b
    Example:
      audioleaflet chapters content/hand-hygiene --lang en
    """
    for item in plan(find_leaflets([source], lang, follow_symlinks), lang):
        detected = " (detected)" if item.text.lang_detected else ""
        click.echo(f"{item.title} [{item.text.lang}{detected}] {item.text.path}")
        for number, chapter in enumerate(item.document.chapters, 1):
            count = len(body_sentences(chapter, item.text.lang))
            noun = "sentence" if count == 1 else "sentences"
            click.echo(f"  {number:2d}. {chapter.title} ({count} {noun})")


@cli.command()
@click.argument("source", type=SOURCE)
@click.option(
    "--lang", type=TEXT, help="Show only this language (for a bare file: the language it is in)."
)
@click.option(
    "--diff",
    is_flag=True,
    help="Show each sentence as written beside its spoken form, and what cleaning removed.",
)
@FOLLOW
def script(source: Path, lang: str | None, diff: bool, follow_symlinks: bool) -> None:
    """Print exactly what will be spoken, chapter by chapter, for proofreading.

    With --diff, lines starting "-" are the leaflet's text, "+" what will be said, "=" a
    sentence said as written; the removed page furniture, markers and leftovers are listed last.

    \b
    Examples:
      audioleaflet script content/hand-hygiene --lang da
      audioleaflet script leaflet.txt --lang en --diff
    """
    for number, item in enumerate(plan(find_leaflets([source], lang, follow_symlinks), lang)):
        if number:
            click.echo()
        for line in script_lines(item, diff):
            click.echo(line)
