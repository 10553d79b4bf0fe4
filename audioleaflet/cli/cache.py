"""`audioleaflet cache info` and `audioleaflet cache prune`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from audioleaflet.audio.cache import cache_dir as clip_cache_dir
from audioleaflet.audio.cache import cache_info, clip_folder, prune
from audioleaflet.cli.main import cli
from audioleaflet.cli.options import DEFAULT_SOURCE, FOLLOW, SOURCE, voice_options, voicing_from
from audioleaflet.errors import OutputError
from audioleaflet.planning.clips import needed_clip_keys


@cli.group()
def cache() -> None:
    """The clip cache: sentences already spoken, reused by later builds."""


_CACHE_OPTION = click.option(
    "--cache-dir", type=SOURCE, help="[default: $AUDIOLEAFLET_CACHE or .audioleaflet-cache]"
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
@click.argument("sources", nargs=-1, type=SOURCE)
@click.option("--all", "everything", is_flag=True, help="Remove every clip.")
@_CACHE_OPTION
@FOLLOW
@voice_options
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
        voicing = voicing_from(paths, None, voice, follow_symlinks)
        keep = set(needed_clip_keys(paths, voicing, follow_symlinks))
    removed = prune(root, keep)
    click.echo(f"removed {removed} clips from {clip_folder(root)}")
