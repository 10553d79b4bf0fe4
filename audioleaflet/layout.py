"""The output layout: every path a build writes, named in one place.

```
output/
  cover.png (or .jpg)           the cover the feeds point to
  index.html                    the web edition's front page (to come)
  .feed-settings.json           the settings this folder was built with
  .audioleaflet.lock            held by the build writing the folder
  <lang>/
    feed.xml                    the podcast feed for the language
    .episodes/<slug>.json       what the feed says about each leaflet
    <slug>.mp3                  the book
    <slug>/NN-<chapter>.mp3     one file per chapter
    <slug>.m4b                  the audiobook                       (--outputs m4b)
    <slug>.vtt, <slug>.srt      transcripts                         (--outputs transcripts)
    <slug>.chapters.json        Podcasting 2.0 chapters             (--outputs chapters)
    <slug>.daisy/               the DAISY 2.02 book                 (--outputs daisy)
    <slug>.html                 the web edition's page (to come)
```

The build writes by these names (`publish/leaflet.py`), publishing switches a leaflet's whole
set by them (`publish/staging.py`), the feed links them, `--outputs` chooses among the
companions by them, and `verify` finds what to check by them. Hidden names (a leading dot) are
never published: `verify` skips them, and a build stages a language beside its live folder under
one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.slug import slugify

FEED_NAME = "feed.xml"
EPISODES_DIR = ".episodes"
SAVED_SETTINGS = ".feed-settings.json"
LOCK_NAME = ".audioleaflet.lock"
INDEX_NAME = "index.html"
COVER_STEM = "cover"
BOOK_SUFFIX = ".mp3"
COMPANIONS: dict[str, tuple[str, ...]] = {
    "m4b": (".m4b",),
    "transcripts": (".vtt", ".srt"),
    "chapters": (".chapters.json",),
    "daisy": (".daisy",),
}
"""The files beside a book that `--outputs` chooses among, by the suffix after the slug."""
PAGE_SUFFIX = ".html"


def hidden(path: Path, root: Path) -> bool:
    """Whether `path` lies under a hidden name below `root`: never published."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


@dataclass(frozen=True, slots=True)
class LeafletLayout:
    """The files of one leaflet in one language, in a language folder (live or staging)."""

    folder: Path
    """The language folder, `output/<lang>`, or the staging copy a build writes into."""
    slug: str

    def _named(self, suffix: str) -> Path:
        return self.folder / f"{self.slug}{suffix}"

    @property
    def book(self) -> Path:
        return self._named(BOOK_SUFFIX)

    @property
    def chapter_folder(self) -> Path:
        return self.folder / self.slug

    @property
    def audiobook(self) -> Path:
        return self._named(".m4b")

    @property
    def transcript(self) -> Path:
        """WebVTT."""
        return self._named(".vtt")

    @property
    def subtitles(self) -> Path:
        """SubRip."""
        return self._named(".srt")

    @property
    def chapters_json(self) -> Path:
        return self._named(".chapters.json")

    @property
    def daisy(self) -> Path:
        return self._named(".daisy")

    @property
    def page(self) -> Path:
        """The web edition's page for the leaflet (to come; not yet written)."""
        return self._named(PAGE_SUFFIX)

    @property
    def record(self) -> Path:
        """The episode record the feed is made from."""
        return self.folder / EPISODES_DIR / f"{self.slug}.json"

    def chapter_files(self, titles: Sequence[str]) -> tuple[Path, ...]:
        """The chapter files of a book whose chapters have these titles, in order."""
        return tuple(self.chapter_folder / name for name in chapter_names(titles))

    def entries(self) -> tuple[str, ...]:
        """Every path, relative to the language folder, that belongs to the leaflet: what a
        build of it replaces as one set (a companion it no longer makes goes with the rest)."""
        suffixes = [BOOK_SUFFIX, *(s for kind in COMPANIONS.values() for s in kind)]
        record = self.record.relative_to(self.folder).as_posix()
        return (self.slug, *(f"{self.slug}{suffix}" for suffix in suffixes), record)

    def at(self, folder: Path) -> LeafletLayout:
        """The same leaflet in another language folder (the live one, for a staging copy)."""
        return LeafletLayout(folder, self.slug)

    @classmethod
    def owning(cls, path: Path) -> LeafletLayout | None:
        """The leaflet a file directly in a language folder belongs to, by its suffix."""
        for suffix in (".chapters.json", BOOK_SUFFIX, *(s for k in COMPANIONS.values() for s in k)):
            if path.name.endswith(suffix) and len(path.name) > len(suffix):
                return cls(path.parent, path.name.removesuffix(suffix))
        return None


def chapter_names(titles: Sequence[str]) -> list[str]:
    """`01-introduction.mp3`, …: numbered so they sort in order, wider past 99 chapters."""
    width = max(2, len(str(len(titles))))
    return [f"{n:0{width}d}-{slugify(title)}{BOOK_SUFFIX}" for n, title in enumerate(titles, 1)]


@dataclass(frozen=True, slots=True)
class OutputLayout:
    """The output folder a build writes and `check` reads."""

    root: Path

    def language(self, lang: str) -> Path:
        return self.root / lang

    def leaflet(self, lang: str, slug: str) -> LeafletLayout:
        return LeafletLayout(self.language(lang), slug)

    def feed(self, lang: str) -> Path:
        return self.language(lang) / FEED_NAME

    @property
    def settings(self) -> Path:
        return self.root / SAVED_SETTINGS

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def index(self) -> Path:
        """The web edition's front page (to come; not yet written)."""
        return self.root / INDEX_NAME

    def cover(self, suffix: str) -> Path:
        """The feeds' cover, `.png` or `.jpg`: Apple asks for a URL ending in one of them."""
        return self.root / f"{COVER_STEM}{suffix}"

    def languages(self) -> list[Path]:
        """The published language folders, in order."""
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def feeds(self) -> list[Path]:
        return [feed for folder in self.languages() if (feed := folder / FEED_NAME).is_file()]

    def books(self) -> list[Path]:
        """Every published book MP3, by language then slug."""
        return [
            path
            for folder in self.languages()
            for path in sorted(folder.glob(f"*{BOOK_SUFFIX}"))
            if path.is_file()
        ]

    def is_book(self, path: Path) -> bool:
        return path.suffix == BOOK_SUFFIX and path.parent.parent == self.root

    def daisy_books(self) -> list[Path]:
        return [
            p for folder in self.languages() for p in sorted(folder.glob("*.daisy")) if p.is_dir()
        ]

    def published(self) -> Iterator[Path]:
        """Every file a listener or app may be given: not under a hidden name."""
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not hidden(path, self.root):
                yield path
