"""The `audioleaflet` group: our own errors as one `Error: ...` line (exit status 1), Click's
usage errors as one line (exit status 2), and `--ffmpeg`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from audioleaflet import __version__
from audioleaflet.cli.options import SOURCE
from audioleaflet.errors import LeafletError
from audioleaflet.programs.ffmpeg import FFMPEG_ENV, use_ffmpeg


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
    type=SOURCE,
    envvar=FFMPEG_ENV,
    metavar="PATH",
    help=f"Run this ffmpeg instead of the bundled one (also ${FFMPEG_ENV}); it is tried "
    "first on a short tone.",
)
def cli(ffmpeg: Path | None) -> None:
    """Turn patient leaflets into accessible, chaptered audio and podcast feeds."""
    # Through the environment, so worker processes run the same ffmpeg.
    use_ffmpeg(ffmpeg)


def main() -> None:
    """Entry point of the `audioleaflet` command."""
    cli(prog_name="audioleaflet")
