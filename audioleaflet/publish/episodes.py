"""The record of one built leaflet in one language: what the feed says about it.

Records are written beside the audio (`<lang>/.episodes/<slug>.json`) so that a feed always lists
every leaflet in its folder, including those built by earlier runs, not only this run's.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from audioleaflet.atomic import write_bytes
from audioleaflet.model import ChapterTiming
from audioleaflet.text.characters import clean_data

EPISODES_DIR = ".episodes"


@dataclass(frozen=True, slots=True)
class Episode:
    """One leaflet in one language, as published."""

    slug: str
    lang: str
    title: str
    description: str
    author: str | None
    date: str
    """ISO date from the leaflet."""
    guid: str
    audio_file: str
    """File name of the book MP3 in the language folder."""
    size: int
    """Byte length of the MP3, for the enclosure."""
    duration_ms: int
    chapters: tuple[ChapterTiming, ...]
    voice: str
    """Engine and voice that spoke it, e.g. `espeak:da`."""
    transcript_file: str = ""
    """WebVTT transcript beside the audio ("" when not made)."""
    subtitles_file: str = ""
    """SRT transcript beside the audio."""
    chapters_file: str = ""
    """Podcasting 2.0 chapters JSON beside the audio."""
    audiobook_file: str = ""
    """M4B audiobook beside the audio, offered as an alternate enclosure."""
    audiobook_size: int = 0

    @property
    def published(self) -> dt.datetime:
        # Noon UTC: the same calendar day in every time zone from UTC-11 to UTC+11.
        return dt.datetime.combine(dt.date.fromisoformat(self.date), dt.time(12), dt.UTC)


def stable_guid(organisation: str | None, slug: str, lang: str) -> str:
    """The same leaflet in the same language keeps its guid across rebuilds and re-hosting."""
    name = f"audioleaflet:{organisation or ''}:{slug}:{lang}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def save_episode(lang_dir: Path, episode: Episode) -> None:
    folder = lang_dir / EPISODES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    data = asdict(episode)
    # Marks only: the feed needs no sentence times, and the record stays small.
    data["chapters"] = [
        {"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in episode.chapters
    ]
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes(folder / f"{episode.slug}.json", text.encode())


def load_episodes(lang_dir: Path) -> list[Episode]:
    """Every episode recorded in a language folder whose audio still exists; newest first."""
    episodes: list[Episode] = []
    for path in sorted((lang_dir / EPISODES_DIR).glob("*.json")):
        try:
            # Cleaned like any text entering a build: a record from before characters were
            # cleaned, or edited by hand, must not put a control character into the feed.
            data = clean_data(json.loads(path.read_text(encoding="utf-8"))).data
            data["chapters"] = tuple(ChapterTiming(**c) for c in data["chapters"])
            episode = Episode(**data)
        except (ValueError, TypeError, KeyError):
            continue  # A record from an incompatible version: the next build rewrites it.
        if (lang_dir / episode.audio_file).is_file():
            episodes.append(episode)
    return sorted(episodes, key=lambda e: (e.date, e.slug), reverse=True)
