"""A language folder's next version, put together beside it and switched in at once.

Listeners, podcast apps and `audioleaflet check` must never see a leaflet's book from one build
beside chapter files, companions or a feed entry from another. So a build writes nothing into
`output/<lang>/` itself. It writes each leaflet it builds, with its record, into
`output/.<lang>.staging-<pid>/`; at the end it hard-links every other file of the live folder
in (`merge`), writes the feed from the records there, and exchanges the two folders in one
atomic rename (`swap`). The old copy is then deleted.

A kill before the swap leaves the live folder untouched and a staging folder that the next
build deletes; a kill after it leaves the new folder live and the old copy for the next build
to delete. Hidden folders are not published (`check` skips them too).

A leaflet's set is the files it owns (`LeafletLayout.entries`): the book, its chapter folder, every
companion and its record. A leaflet built again owns exactly what this build wrote, so a
companion it no longer makes disappears with the switch.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from audioleaflet.atomic import link_tree, remove_leftovers, staging_name, swap_folder
from audioleaflet.layout import EPISODES_DIR, FEED_NAME, LeafletLayout


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


class LanguageStage:
    """The next version of one live language folder, being put together."""

    def __init__(self, live: Path) -> None:
        # A language folder that is a symbolic link is staged and switched where it points.
        self.live = live.resolve() if live.is_symlink() else live
        if self.live.exists() and not self.live.is_dir():
            # Never switched away: it is someone's file, not a language folder of ours.
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(live))
        remove_leftovers(self.live.parent, self.live.name)
        self.path = staging_name(self.live)
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        (self.path / EPISODES_DIR).mkdir()
        if self.live.is_dir():
            self.path.chmod(self.live.stat().st_mode & 0o7777)
        self._owned = {FEED_NAME}
        """Paths the live folder must not lend: the feed and every rebuilt leaflet's set."""

    def begin(self, slug: str) -> Path:
        """Take leaflet `slug` over from the live folder; return the folder to write it into."""
        self.drop(slug)
        self._owned.update(LeafletLayout(self.path, slug).entries())
        return self.path

    def drop(self, slug: str) -> None:
        """Forget what was written of `slug` (it failed): its live set stays as it is."""
        for entry in LeafletLayout(self.path, slug).entries():
            _remove(self.path / entry)
            self._owned.discard(entry)

    def merge(self) -> None:
        """Link in every file of the live folder that no rebuilt leaflet owns."""
        if self.live.is_dir():
            link_tree(self.live, self.path, skip=self._owned.__contains__)

    def swap(self) -> Path | None:
        """Make the staged folder the live one; return where the old copy is now."""
        return swap_folder(self.path, self.live)

    def discard(self) -> None:
        """Delete the staging folder (or, after `swap`, the old copy in its place)."""
        shutil.rmtree(self.path, ignore_errors=True)
