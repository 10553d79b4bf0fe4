"""The `audioleaflet` command: parses options, calls the library, reports errors in one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from audioleaflet import __version__
from audioleaflet.audio.cache import cache_dir as clip_cache_dir
from audioleaflet.audio.cache import cache_info, clip_folder, prune
from audioleaflet.build import build, needed_clip_keys, plan
from audioleaflet.engines import ENGINES, get_engine
from audioleaflet.errors import LeafletError
from audioleaflet.languages import all_languages, get_language
from audioleaflet.proofread import script_lines
from audioleaflet.publish.settings import resolve_settings
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.text.sentences import body_sentences

_SOURCE = click.Path(path_type=Path)
DEFAULT_SOURCE = Path("content")


class _Commands(click.Group):
    """Turns our own errors into Click's one-line `Error: ...` with exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LeafletError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audioleaflet")
def cli() -> None:
    """Turn patient leaflets into accessible, chaptered audio and podcast feeds."""


@cli.command(name="build")
@click.argument("sources", nargs=-1, type=_SOURCE)
@click.option(
    "-o",
    "--output",
    type=_SOURCE,
    default=Path("output"),
    show_default=True,
    help="Folder to write audio and feeds into.",
)
@click.option("--lang", help="Build only this language (for a bare file: the language it is in).")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes for speech [default: CPUs]."
)
@click.option(
    "--podcast-config",
    type=_SOURCE,
    help="podcast.toml with the feed settings [default: the one beside the sources].",
)
@click.option("--base-url", help="Public URL of the output folder, for feed links.")
@click.option("--feed-title", "title", help="Podcast title.")
@click.option("--owner-name", help="Podcast owner's name.")
@click.option("--owner-email", help="Podcast owner's e-mail address.")
@click.option("--category", help="Apple Podcasts category, e.g. 'Health & Fitness'.")
@click.option("--image", help="Podcast cover: a PNG/JPEG file or a URL.")
@click.option(
    "--cache-dir",
    type=_SOURCE,
    help="Where spoken sentences are kept between builds "
    "[default: $AUDIOLEAFLET_CACHE or .audioleaflet-cache].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build_command(
    sources: tuple[Path, ...],
    output: Path,
    lang: str | None,
    jobs: int | None,
    podcast_config: Path | None,
    cache_dir: Path | None,
    quiet: bool,
    **overrides: str | None,
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
    settings = resolve_settings(paths, output, podcast_config, **overrides)
    report = (lambda _line: None) if quiet else (lambda line: click.echo(line, err=True))
    # A bar on a terminal; a log read later gets the plain lines only.
    bar = None if quiet or not sys.stderr.isatty() else _ProgressBar("Speaking")
    try:
        build(
            paths, output, settings, lang=lang, jobs=jobs, report=report, cache=cache_dir,
            progress=bar,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.close()


class _ProgressBar:
    """click's progress bar, opened when the number of sentences to speak is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done
        if done == total:
            self.close()  # Finish the bar's line before the build reports the files.

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("source", type=_SOURCE)
@click.option("--lang", help="Show only this language (for a bare file: the language it is in).")
def chapters(source: Path, lang: str | None) -> None:
    """Show how SOURCE will be split: chapter titles and sentence counts, without speaking.

    \b
    Example:
      audioleaflet chapters content/hand-hygiene --lang en
    """
    for item in plan(find_leaflets([source], lang), lang):
        detected = " (detected)" if item.text.lang_detected else ""
        click.echo(f"{item.title} [{item.text.lang}{detected}] {item.text.path}")
        for number, chapter in enumerate(item.document.chapters, 1):
            count = len(body_sentences(chapter, item.text.lang))
            noun = "sentence" if count == 1 else "sentences"
            click.echo(f"  {number:2d}. {chapter.title} ({count} {noun})")


@cli.command()
@click.argument("source", type=_SOURCE)
@click.option("--lang", help="Show only this language (for a bare file: the language it is in).")
@click.option(
    "--diff",
    is_flag=True,
    help="Show each sentence as written beside its spoken form, and what cleaning removed.",
)
def script(source: Path, lang: str | None, diff: bool) -> None:
    """Print exactly what will be spoken, chapter by chapter, for proofreading.

    With --diff, lines starting "-" are the leaflet's text, "+" what will be said, "=" a
    sentence said as written; the removed page furniture, markers and leftovers are listed last.

    \b
    Examples:
      audioleaflet script content/hand-hygiene --lang da
      audioleaflet script leaflet.txt --lang en --diff
    """
    for number, item in enumerate(plan(find_leaflets([source], lang), lang)):
        if number:
            click.echo()
        for line in script_lines(item, diff):
            click.echo(line)


@cli.group()
def cache() -> None:
    """The clip cache: sentences already spoken, reused by later builds."""


_CACHE_OPTION = click.option(
    "--cache-dir", type=_SOURCE, help="[default: $AUDIOLEAFLET_CACHE or .audioleaflet-cache]"
)


@cache.command(name="info")
@_CACHE_OPTION
def cache_info_command(cache_dir: Path | None) -> None:
    """Show where the cache is, how many clips it holds and their size.

    \b
    Example:
      audioleaflet cache info
    """
    info = cache_info(clip_cache_dir(cache_dir))
    click.echo(f"{info.folder}: {info.clips} clips, {info.size_bytes / 1e6:.1f} MB")


@cache.command(name="prune")
@click.argument("sources", nargs=-1, type=_SOURCE)
@click.option("--all", "everything", is_flag=True, help="Remove every clip.")
@_CACHE_OPTION
def cache_prune_command(
    sources: tuple[Path, ...], everything: bool, cache_dir: Path | None
) -> None:
    """Remove clips that SOURCES (default: content/) no longer need.

    \b
    Examples:
      audioleaflet cache prune
      audioleaflet cache prune --all
    """
    root = clip_cache_dir(cache_dir)
    keep = None if everything else set(needed_clip_keys(list(sources) or [DEFAULT_SOURCE]))
    removed = prune(root, keep)
    click.echo(f"removed {removed} clips from {clip_folder(root)}")


@cli.command()
@click.option("--lang", help="Show only this language.")
def voices(lang: str | None) -> None:
    """List speech engines, their voices and languages, and which work offline.

    \b
    Example:
      audioleaflet voices --lang da
    """
    wanted = get_language(lang).tag if lang else None
    click.echo(f"{'language':<22} {'engine':<8} {'voice':<8} network")
    for name in sorted(ENGINES):
        engine = get_engine(name)
        for voice in engine.voices():
            if wanted and voice.lang != wanted:
                continue
            language = all_languages()[voice.lang]
            label = f"{voice.lang} {language.name}"
            network = "offline" if voice.offline else "needs internet"
            click.echo(f"{label:<22} {voice.engine:<8} {voice.name:<8} {network} (default)")


def main() -> None:
    """Entry point of the `audioleaflet` command."""
    cli(prog_name="audioleaflet")
