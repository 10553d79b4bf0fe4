"""The settings a build used, kept beside its feeds (`output/.feed-settings.json`), and the
choice of settings for a build: `podcast.toml`, else the saved ones, else the defaults.

A later build of a single file into the same folder finds no `podcast.toml`; it must not
rewrite the clinic's feeds with defaults, so it goes on with what the folder was built with.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from audioleaflet.atomic import write_bytes
from audioleaflet.config.audio import LoudnessTarget, check_loudness
from audioleaflet.config.podcast import (
    PODCAST_TOML,
    BuildSettings,
    FeedSettings,
    find_settings_file,
    image_source,
    load_settings,
)
from audioleaflet.config.urls import check_email, normal_url
from audioleaflet.errors import InputError
from audioleaflet.intake.characters import clean_data
from audioleaflet.intake.tree import SourceTree, is_present, regular_file
from audioleaflet.layout import OutputLayout


def save_settings(output: Path, settings: BuildSettings) -> None:
    """Record `settings` in `output`: the feed's, and the loudness beside them."""
    record = {**asdict(settings.feed), "loudness": settings.loudness.integrated_lufs}
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes(OutputLayout(output).settings, text.encode())


_SAVED_TYPES: dict[str, type | tuple[type, ...]] = {
    "explicit": bool,
    "locked": bool,
    "per_language": dict,
}


def _saved(path: Path) -> tuple[BuildSettings, list[str]]:
    """The settings a build recorded, checked as podcast.toml's are, and what of them was
    dropped. A hand edit or another version raises (`ValueError`, `TypeError`, `InputError`,
    `OSError`), meaning defaults."""
    recorded = json.loads(regular_file(path, "a JSON file").read_text("utf-8"))
    # Cleaned as any text entering the build: a hand edit could add a control character.
    data = clean_data(recorded).data
    if not isinstance(data, dict):
        raise TypeError("not a record of settings")
    loudness: object = data.pop("loudness", LoudnessTarget().integrated_lufs)
    loaded = FeedSettings(**data)
    for name, value in asdict(loaded).items():
        if value is not None and not isinstance(value, _SAVED_TYPES.get(name, str)):
            raise TypeError(f"{name} has the wrong type")
    if isinstance(loudness, bool) or not isinstance(loudness, int | float):
        raise TypeError("loudness has the wrong type")
    target = LoudnessTarget(integrated_lufs=check_loudness(float(loudness), "saved loudness"))
    for table in loaded.per_language.values():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise TypeError("per_language must hold texts")
    loaded = dataclasses.replace(
        loaded,
        base_url=loaded.base_url and normal_url(loaded.base_url),
        link=loaded.link and normal_url(loaded.link),
        owner_email=loaded.owner_email and check_email(loaded.owner_email),
    )
    image = loaded.image
    if image and urlsplit(image).scheme not in ("http", "https") and not is_present(Path(image)):
        # The cover moved since: the default cover, and every other setting kept.
        note = f"its image {image} no longer exists; the feeds get the default cover"
        return BuildSettings(dataclasses.replace(loaded, image=None), target), [note]
    feed = dataclasses.replace(loaded, image=image and image_source(image, path.parent))
    return BuildSettings(feed, target), []


def resolve_settings(
    sources: list[Path],
    output: Path,
    config: Path | None,
    follow_symlinks: bool = False,
    warn: Callable[[str], None] = lambda _line: None,
    **overrides: object,
) -> BuildSettings:
    """Settings for a build: the given or nearby podcast.toml, else those the output folder
    was last built with, else defaults; then the command-line overrides.

    A podcast.toml found beside the sources (not named by `config`) must be inside its folder,
    like its image, unless `follow_symlinks`. Saved settings that cannot be used (a hand edit,
    another version) are a `warn`ing naming the file, and the defaults are used; the build then
    saves the settings it used.
    """
    found = config or find_settings_file(sources)
    if found is not None:
        if config is None:
            SourceTree(found.parent, follow_symlinks).inside(found)
        settings = load_settings(found, follow_symlinks, warn)
    else:
        settings = BuildSettings()
        saved = OutputLayout(output).settings
        if is_present(saved):
            try:
                settings, notes = _saved(saved)
            except (ValueError, TypeError, InputError, OSError) as exc:
                warn(
                    f"{saved}: unusable ({exc}); the feeds get the default settings, or put a "
                    f"{PODCAST_TOML} beside the leaflets"
                )
            else:
                for note in notes:
                    warn(f"{saved}: {note}")
    return settings.with_overrides(**overrides)
