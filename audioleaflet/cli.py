"""The `audioleaflet` command: parses options, calls the library, reports errors in one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from audioleaflet import __version__
from audioleaflet.audio.cache import cache_dir as clip_cache_dir
from audioleaflet.audio.cache import cache_info, clip_folder, prune
from audioleaflet.audio.ffmpeg import FFMPEG_ENV, chosen_ffmpeg, use_ffmpeg
from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.build import Report, build, needed_clip_keys, plan
from audioleaflet.check import check_output, summary
from audioleaflet.engines import EngineOptions
from audioleaflet.errors import LeafletError, OutputError
from audioleaflet.languages import get_language
from audioleaflet.outputs.selection import parse_outputs
from audioleaflet.proofread import script_lines
from audioleaflet.publish.settings import (
    check_loudness,
    find_settings_file,
    load_speech_choices,
    resolve_settings,
)
from audioleaflet.readers.sources import check_voice_folders, find_leaflets
from audioleaflet.readers.tree import FOLLOW_OPTION
from audioleaflet.text.characters import clean_line, removal_notice
from audioleaflet.text.sentences import body_sentences
from audioleaflet.voices.choice import Voicing, choose_voice
from audioleaflet.voices.config import cli_choices
from audioleaflet.voices.folders import install_folder, voices_dirs
from audioleaflet.voices.install import PIPER_VOICES_URL, default_voices_url, install_voice
from audioleaflet.voices.listing import voice_table
from audioleaflet.voices.say import say_to_file


class _Path(click.Path):
    """A path that is not empty: `Path("")` would quietly mean the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("'' is an empty path; name a file or folder", param, ctx)
        return super().convert(value, param, ctx)


_SOURCE = _Path(path_type=Path)
DEFAULT_SOURCE = Path("content")
_FOLLOW = click.option(
    FOLLOW_OPTION,
    "follow_symlinks",
    is_flag=True,
    help="Read leaflet texts, covers, lexicons, voices and podcast.toml images that lead "
    "outside the source folder (through a link, '..' or an absolute path); refused otherwise.",
)

_NOTICES = "audioleaflet.notices"


class _Text(click.ParamType):
    """Text as it enters from the command line, like any setting: one line, without the
    characters no output can hold (an argument that is not UTF-8 arrives with surrogates)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        cleaned = clean_line(str(value))
        if not cleaned.text.strip():
            self.fail("must not be empty; give a value, or leave the option out", param, ctx)
        if cleaned.removed and ctx is not None:
            where = "text"
            if isinstance(param, click.Option):
                where = max(param.opts, key=len)
            elif param is not None:
                where = param.human_readable_name
            notices: list[str] = ctx.meta.setdefault(_NOTICES, [])
            notices.append(removal_notice(where, cleaned.removed))
        return cleaned.text


_TEXT = _Text()


def _warn(line: str) -> None:
    click.echo(line, err=True)


def _report_notices(report: Report) -> None:
    """The warnings about characters removed from the options, through the build's report."""
    for line in click.get_current_context().meta.get(_NOTICES, []):
        report(line)


def _voice_options(command: Any) -> Any:
    """Options that choose voices; shared by `build` and `cache prune` (same clips, same keys)."""
    options = [
        click.option(
            "--voice",
            "voice_options",
            multiple=True,
            type=_TEXT,
            metavar="LANG=ENGINE:VOICE",
            help="Voice for one language, e.g. en=piper:en_US-joe-medium (repeatable).",
        ),
        click.option("--engine", type=_TEXT, help="Engine for every language not given a --voice."),
        click.option(
            "--strict-voices",
            is_flag=True,
            help="Fail when a chosen voice is missing instead of falling back to espeak.",
        ),
        click.option(
            "--voices-dir",
            type=_SOURCE,
            help="Folder of Piper voices [default: $AUDIOLEAFLET_VOICES, voices/ beside the "
            "leaflets, the user data folder].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return _setting_options(command)


def _setting_options(command: Any) -> Any:
    """--rate, --pitch and --volume, as `build`, `cache prune` and `say` take them."""
    options = [
        click.option("--rate", type=float, help="Speaking rate, 1.0 = the voice's own."),
        click.option("--pitch", type=float, help="Pitch, 1.0 = the voice's own (espeak only)."),
        click.option("--volume", type=float, help="Volume, 1.0 = the voice's own."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _voicing(
    paths: list[Path], podcast_config: Path | None, voice: dict[str, Any], follow: bool
) -> Voicing:
    """The voice choices of the command line, over the podcast.toml beside the sources."""
    check_voice_folders(paths, follow)
    command_line = cli_choices(
        voice["voice_options"],
        voice["engine"],
        {name: voice[name] for name in ("rate", "pitch", "volume")},
    )
    shared = load_speech_choices(podcast_config or find_settings_file(paths))
    options = EngineOptions(voices_dirs=voices_dirs(voice["voices_dir"], paths))
    return Voicing(command_line, shared, bool(voice["strict_voices"]), options)


_VOICE_KEYS = ("voice_options", "engine", "strict_voices", "voices_dir", "rate", "pitch", "volume")


class _UsageLine(click.ClickException):
    """A usage error as one line, Click's own words and where to read more, exit status 2."""

    exit_code = 2


def _one_line(exc: click.UsageError) -> click.ClickException:
    if type(exc).__name__ == "NoArgsIsHelpError":
        return exc  # Click 8.2's help for a bare group: the help text, not an error.
    command = exc.ctx.command_path if exc.ctx is not None else "audioleaflet"
    message = " ".join(exc.format_message().split())
    return _UsageLine(f"{message} (see {command} --help)")


def _parse_naming_command(
    parse: Callable[[click.Context, list[str]], list[str]], ctx: click.Context, args: list[str]
) -> list[str]:
    """`parse`, whose usage errors then always say which command they are about (Click leaves
    that out of some, such as an option missing its value)."""
    try:
        return parse(ctx, args)
    except click.UsageError as exc:
        exc.ctx = exc.ctx or ctx
        raise


class _Command(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parse_naming_command(super().parse_args, ctx, args)


class _Commands(click.Group):
    """Turns our own errors into Click's one-line `Error: ...` with exit status 1, and Click's
    usage errors (bad value, unknown option, missing argument) into one line with status 2."""

    command_class = _Command
    group_class = type  # subgroups are of this class too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parse_naming_command(super().parse_args, ctx, args)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except LeafletError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audioleaflet")
@click.option(
    "--ffmpeg",
    "ffmpeg",
    type=_SOURCE,
    envvar=FFMPEG_ENV,
    metavar="PATH",
    help=f"Run this ffmpeg instead of the bundled one (also ${FFMPEG_ENV}); it is tried "
    "first on a short tone.",
)
def cli(ffmpeg: Path | None) -> None:
    """Turn patient leaflets into accessible, chaptered audio and podcast feeds."""
    # Through the environment, so worker processes run the same ffmpeg.
    use_ffmpeg(ffmpeg)


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
@click.option(
    "--lang",
    type=_TEXT,
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
    type=_SOURCE,
    help="podcast.toml with the feed settings [default: the one beside the sources].",
)
@click.option(
    "--base-url",
    type=_TEXT,
    help="Public http(s) URL of the output folder, for feed links, e.g. https://example.org/audio/.",
)
@click.option("--feed-title", "title", type=_TEXT, help="Podcast title.")
@click.option("--owner-name", type=_TEXT, help="Podcast owner's name.")
@click.option("--owner-email", type=_TEXT, help="Podcast owner's e-mail address.")
@click.option("--category", type=_TEXT, help="Apple Podcasts category, e.g. 'Health & Fitness'.")
@click.option("--image", type=_TEXT, help="Podcast cover: a PNG/JPEG file or a URL.")
@click.option(
    "--loudness",
    type=float,
    metavar="LUFS",
    help="Integrated loudness of every file [default: podcast.toml's, else -16].",
)
@click.option(
    "--cache-dir",
    type=_SOURCE,
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
@_FOLLOW
@_voice_options
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
    voice = {key: overrides.pop(key) for key in _VOICE_KEYS}
    outputs = parse_outputs(overrides.pop("outputs_option"), overrides.pop("transcript_text"))
    report: Report = (lambda _line: None) if quiet else (lambda line: click.echo(line, err=True))
    _report_notices(report)
    voicing = _voicing(paths, podcast_config, voice, follow_symlinks)
    settings = resolve_settings(
        paths, output, podcast_config, follow_symlinks, warn=report, **overrides
    )
    if verbose:
        require_usable_ffmpeg()
        report(f"ffmpeg: {chosen_ffmpeg().describe()}")
    # A bar on a terminal; a log read later gets the plain lines only.
    bar = None if quiet or not sys.stderr.isatty() else _ProgressBar("Speaking")
    try:
        build(
            paths, output, settings, lang=lang, jobs=jobs, report=report, cache=cache_dir,
            progress=bar, voicing=voicing, outputs=outputs, follow_symlinks=follow_symlinks,
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


@cli.command(name="check")
@click.argument("output", type=_SOURCE, default=Path("output"), required=False)
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
    if loudness is not None:
        target = check_loudness(loudness, "--loudness")
    else:
        target = resolve_settings([], output, None).loudness
    rows = check_output(output, target_lufs=target)
    click.echo(f"ffmpeg: {chosen_ffmpeg().describe()}")
    table = [("FILE", "CHECK", "RESULT", "DETAIL")]
    table += [(row.file, row.check, "ok" if row.ok else "FAIL", row.detail) for row in rows]
    widths = [max(len(line[column]) for line in table) for column in range(3)]
    for file, check, result, detail in table:
        click.echo(f"{file:<{widths[0]}}  {check:<{widths[1]}}  {result:<{widths[2]}}  {detail}")
    click.echo(summary(rows))
    if not all(row.ok for row in rows):
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("source", type=_SOURCE)
@click.option(
    "--lang", type=_TEXT, help="Show only this language (for a bare file: the language it is in)."
)
@_FOLLOW
def chapters(source: Path, lang: str | None, follow_symlinks: bool) -> None:
    """Show how SOURCE will be split: chapter titles and sentence counts, without speaking.

    \b
    Example:
      audioleaflet chapters content/hand-hygiene --lang en
    """
    for item in plan(find_leaflets([source], lang, follow_symlinks), lang):
        detected = " (detected)" if item.text.lang_detected else ""
        origin = f" ({item.document.origin})" if item.document.origin else ""
        click.echo(f"{item.title} [{item.text.lang}{detected}] {item.text.path}{origin}")
        for number, chapter in enumerate(item.document.chapters, 1):
            count = len(body_sentences(chapter, item.text.lang))
            noun = "sentence" if count == 1 else "sentences"
            click.echo(f"  {number:2d}. {chapter.title} ({count} {noun})")


@cli.command()
@click.argument("source", type=_SOURCE)
@click.option(
    "--lang", type=_TEXT, help="Show only this language (for a bare file: the language it is in)."
)
@click.option(
    "--diff",
    is_flag=True,
    help="Show each sentence as written beside its spoken form, and what cleaning removed.",
)
@_FOLLOW
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


@cli.group()
def cache() -> None:
    """The clip cache: sentences already spoken, reused by later builds."""


_CACHE_OPTION = click.option(
    "--cache-dir", type=_SOURCE, help="[default: $AUDIOLEAFLET_CACHE or .audioleaflet-cache]"
)


def _cache_root(given: Path | None) -> Path:
    """The cache folder, if it is one or is not there yet."""
    root = clip_cache_dir(given)
    if os.path.lexists(root) and not root.is_dir():
        raise OutputError(f"cache folder {root} is not a folder; choose another with --cache-dir")
    return root


@cache.command(name="info")
@_CACHE_OPTION
def cache_info_command(cache_dir: Path | None) -> None:
    """Show where the cache is, how many clips it holds and their size.

    \b
    Example:
      audioleaflet cache info
    """
    info = cache_info(_cache_root(cache_dir))
    click.echo(f"{info.folder}: {info.clips} clips, {info.size_bytes / 1e6:.1f} MB")


@cache.command(name="prune")
@click.argument("sources", nargs=-1, type=_SOURCE)
@click.option("--all", "everything", is_flag=True, help="Remove every clip.")
@_CACHE_OPTION
@_FOLLOW
@_voice_options
def cache_prune_command(
    sources: tuple[Path, ...],
    everything: bool,
    cache_dir: Path | None,
    follow_symlinks: bool,
    **voice: Any,
) -> None:
    """Remove clips that SOURCES (default: content/) no longer need.

    \b
    Examples:
      audioleaflet cache prune
      audioleaflet cache prune --all
    """
    root = _cache_root(cache_dir)
    paths = list(sources) or [DEFAULT_SOURCE]
    if everything:
        keep = None
    else:
        voicing = _voicing(paths, None, voice, follow_symlinks)
        keep = set(needed_clip_keys(paths, voicing, follow_symlinks))
    removed = prune(root, keep)
    click.echo(f"removed {removed} clips from {clip_folder(root)}")


@cli.group(invoke_without_command=True)
@click.option("--lang", type=_TEXT, help="Show only this language.")
@click.option("--voices-dir", type=_SOURCE, help="Also look for Piper voices here.")
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
@click.argument("name", type=_TEXT)
@click.option(
    "--voices-dir",
    type=_SOURCE,
    help="Install into this folder [default: $AUDIOLEAFLET_VOICES or the user data folder].",
)
@click.option(
    "--from",
    "base_url",
    type=_TEXT,
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
    bar = _ProgressBar(f"Downloading {name}") if sys.stderr.isatty() else None
    try:
        installed = install_voice(name, dest, base_url or default_voices_url(), bar)
    finally:
        if bar is not None:
            bar.close()
    click.echo(f"installed {name} into {installed}")


@cli.command()
@click.argument("text", type=_TEXT)
@click.option("--lang", type=_TEXT, required=True, help="Language of TEXT, e.g. da.")
@click.option(
    "--voice",
    "spec",
    type=_TEXT,
    metavar="ENGINE[:VOICE]",
    help="e.g. piper:en_US-joe-medium [default: espeak]",
)
@click.option(
    "--engine", type=_TEXT, help="Engine, with its default voice for --lang (e.g. piper)."
)
@click.option("--voices-dir", type=_SOURCE, help="Folder of Piper voices.")
@_setting_options
@click.option(
    "-o", "--output", type=_SOURCE, default=Path("say.mp3"), show_default=True,
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
    _report_notices(_warn)
    strict = spec is not None or engine is not None  # asked for by name: no silent fallback
    chosen = choose_voice(tag, layer, options, strict=strict, warn=_warn)
    said = say_to_file(text, tag, chosen, options, output)
    click.echo(f"{output}: {chosen.voice.label} said: {said}")


def main() -> None:
    """Entry point of the `audioleaflet` command."""
    cli(prog_name="audioleaflet")
