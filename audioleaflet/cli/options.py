"""Option types and options shared by the commands: paths that are not empty, text cleaned
as it enters, the voice options, and the progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from audioleaflet.build import Report
from audioleaflet.config.podcast import find_settings_file, load_speech_choices
from audioleaflet.config.speech import cli_choices
from audioleaflet.engines import EngineOptions
from audioleaflet.intake.characters import clean_line, removal_notice
from audioleaflet.intake.tree import FOLLOW_OPTION
from audioleaflet.voices.choice import Voicing
from audioleaflet.voices.folders import check_voice_folders, voices_dirs


class NonEmptyPath(click.Path):
    """A path that is not empty: `Path("")` would quietly mean the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("'' is an empty path; name a file or folder", param, ctx)
        return super().convert(value, param, ctx)


SOURCE = NonEmptyPath(path_type=Path)
DEFAULT_SOURCE = Path("content")
FOLLOW = click.option(
    FOLLOW_OPTION,
    "follow_symlinks",
    is_flag=True,
    help="Read leaflet texts, covers, lexicons, voices and podcast.toml images that lead "
    "outside the source folder (through a link, '..' or an absolute path); refused otherwise.",
)

NOTICES = "audioleaflet.notices"


class Text(click.ParamType):
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
            notices: list[str] = ctx.meta.setdefault(NOTICES, [])
            notices.append(removal_notice(where, cleaned.removed))
        return cleaned.text


TEXT = Text()


def warn(line: str) -> None:
    click.echo(line, err=True)


def report_notices(report: Report) -> None:
    """The warnings about characters removed from the options, through the build's report."""
    for line in click.get_current_context().meta.get(NOTICES, []):
        report(line)


def voice_options(command: Any) -> Any:
    """Options that choose voices; shared by `build` and `cache prune` (same clips, same keys)."""
    options = [
        click.option(
            "--voice",
            "voice_options",
            multiple=True,
            type=TEXT,
            metavar="LANG=ENGINE:VOICE",
            help="Voice for one language, e.g. en=piper:en_US-joe-medium (repeatable).",
        ),
        click.option("--engine", type=TEXT, help="Engine for every language not given a --voice."),
        click.option(
            "--strict-voices",
            is_flag=True,
            help="Fail when a chosen voice is missing instead of falling back to espeak.",
        ),
        click.option(
            "--voices-dir",
            type=SOURCE,
            help="Folder of Piper voices [default: $AUDIOLEAFLET_VOICES, voices/ beside the "
            "leaflets, the user data folder].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return setting_options(command)


def setting_options(command: Any) -> Any:
    """--rate, --pitch and --volume, as `build`, `cache prune` and `say` take them."""
    options = [
        click.option("--rate", type=float, help="Speaking rate, 1.0 = the voice's own."),
        click.option("--pitch", type=float, help="Pitch, 1.0 = the voice's own (espeak only)."),
        click.option("--volume", type=float, help="Volume, 1.0 = the voice's own."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def voicing_from(
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


VOICE_KEYS = ("voice_options", "engine", "strict_voices", "voices_dir", "rate", "pitch", "volume")


class ProgressBar:
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
