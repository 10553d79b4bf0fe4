"""The clip cache: spoken sentences kept between builds, named by what decides their sound.

A clip's file name is the hash of the engine, its version and settings, the voice and the
spoken text (`clips.clip_key`), so a clip is reused exactly when it would sound the same, and
editing one sentence of a leaflet speaks that sentence again and nothing else. Clips are
written under a temporary name and renamed, so a killed build leaves no broken clip behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "AUDIOLEAFLET_CACHE"
DEFAULT_CACHE = Path(".audioleaflet-cache")


def cache_dir(given: Path | None = None) -> Path:
    """`--cache-dir`, else `$AUDIOLEAFLET_CACHE`, else `.audioleaflet-cache` here."""
    if given is not None:
        return given
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def clip_folder(root: Path) -> Path:
    return root / "clips"


def encoded_folder(root: Path) -> Path:
    """Untagged MP3s of chapters and books, named by what they are made of."""
    return root / "mp3"


@dataclass(frozen=True, slots=True)
class CacheInfo:
    folder: Path
    clips: int
    size_bytes: int


def cache_info(root: Path) -> CacheInfo:
    """The clips, and the size of everything the cache holds (clips and encoded MP3s)."""
    clips = list(clip_folder(root).glob("*.wav")) if clip_folder(root).is_dir() else []
    everything = [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []
    return CacheInfo(clip_folder(root), len(clips), sum(f.stat().st_size for f in everything))


def prune(root: Path, keep: set[str] | None) -> int:
    """Delete clips whose key is not in `keep` (all of them when `keep` is None).

    Encoded MP3s are always dropped: they are cheap to remake from the clips kept.
    """
    if encoded_folder(root).is_dir():
        shutil.rmtree(encoded_folder(root))
    folder = clip_folder(root)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        if keep is None or path.stem not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
