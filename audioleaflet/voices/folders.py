"""The folders searched for voice files, in the order they are searched.

1. `--voices-dir` (or `$AUDIOLEAFLET_VOICES`), when given;
2. `voices/` beside the leaflets being built (a clinic ships its voice with its content);
3. the user's data folder (`audioleaflet voices install` puts voices there by default):
   `$XDG_DATA_HOME/audioleaflet/voices`, i.e. `~/.local/share/audioleaflet/voices`, or the
   platform's equivalent as `platformdirs` knows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from audioleaflet.errors import InputError
from audioleaflet.intake.tree import SourceTree

ENV_VOICES = "AUDIOLEAFLET_VOICES"


def user_voices_dir() -> Path:
    """Where `voices install` puts voices unless told otherwise."""
    return Path(platformdirs.user_data_dir("audioleaflet", appauthor=False)) / "voices"


def voices_dirs(given: Path | None = None, sources: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Every folder to search for voices, first match wins; missing folders are kept out."""
    candidates: list[Path] = []
    if given is not None:
        if not given.is_dir():
            raise InputError(
                f"--voices-dir {given} is not a folder; give the folder of .onnx voices"
            )
        candidates.append(given)
    elif os.environ.get(ENV_VOICES):
        candidates.append(Path(os.environ[ENV_VOICES]))
    candidates += beside_sources(sources)
    candidates.append(user_voices_dir())
    unique = dict.fromkeys(path.resolve() for path in candidates)
    return tuple(path for path in unique if path.is_dir())


def beside_sources(sources: Iterable[Path]) -> list[Path]:
    """The `voices/` folders beside the leaflets: in each source's folder and the one around it."""
    found: list[Path] = []
    for source in sources:
        folder = source if source.is_dir() else source.parent
        found += [folder / "voices", folder.parent / "voices"]
    return found


def install_folder() -> Path:
    """Where `voices install` writes: `$AUDIOLEAFLET_VOICES`, else the user data folder."""
    given = os.environ.get(ENV_VOICES)
    return Path(given) if given else user_voices_dir()


def check_voice_folders(sources: list[Path], follow_symlinks: bool = False) -> None:
    """Voice files in a `voices/` folder beside the leaflets stay inside the folder around it
    (a voice named by `--voices-dir` is the user's own choice and is not checked)."""
    if follow_symlinks:
        return
    for folder in beside_sources(sources):
        if folder.is_dir():
            tree = SourceTree(folder.parent)
            tree.inside(folder)
            for path in sorted(folder.rglob("*.onnx*")):
                tree.inside(path)
