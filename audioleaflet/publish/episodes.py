"""The record of one built leaflet in one language: what the feed says about it.

Records are written beside the audio (`<lang>/.episodes/<slug>.json`) so that a feed always lists
every leaflet in its folder, including those built by earlier runs, not only this run's.

A record is written after every file it describes, and trusted only as far as it is checked on
reading: one that cannot be read, comes from another version, or does not match the files
beside it is reported and left out of the feed (a missing companion only loses its link), so no
build depends on an earlier one having gone well.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from audioleaflet.atomic import write_bytes
from audioleaflet.intake.characters import clean_data
from audioleaflet.layout import EPISODES_DIR, LeafletLayout
from audioleaflet.model import ChapterTiming

RECORD_FORMAT = 1
"""Bump when a record's fields change meaning; records without the field are format 1."""
# Characters XML 1.0 cannot hold: a record with one (written before text was cleaned of them)
# would make every later feed fail to render.


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
    credits: str = ""
    """The voice, its maker and licence, as its licence asks them to be named."""

    @property
    def published(self) -> dt.datetime:
        # Noon UTC: the same calendar day in every time zone from UTC-11 to UTC+11.
        return dt.datetime.combine(dt.date.fromisoformat(self.date), dt.time(12), dt.UTC)


def stable_guid(organisation: str | None, slug: str, lang: str) -> str:
    """The same leaflet in the same language keeps its guid across rebuilds and re-hosting."""
    name = f"audioleaflet:{organisation or ''}:{slug}:{lang}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def save_episode(lang_dir: Path, episode: Episode) -> None:
    record = LeafletLayout(lang_dir, episode.slug).record
    record.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"format": RECORD_FORMAT, **asdict(episode)}
    # Marks only: the feed needs no sentence times, and the record stays small.
    data["chapters"] = [
        {"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in episode.chapters
    ]
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes(record, text.encode())


def load_episodes(
    lang_dir: Path, warn: Callable[[str], None] = lambda _line: None, shown: Path | None = None
) -> list[Episode]:
    """Every usable episode recorded in a language folder; newest first.

    Each record left out is a `warn`ing naming it (as under `shown`, the folder the user knows,
    when `lang_dir` is a staging copy of it).
    """
    episodes: list[Episode] = []
    for path in sorted((lang_dir / EPISODES_DIR).glob("*.json")):
        name = (shown or lang_dir) / EPISODES_DIR / path.name
        try:
            episode, notes = _checked(_read(path), path.stem, lang_dir)
        except RecordError as exc:
            warn(f"{name}: {exc}; left out of the feed until {path.stem} is built again")
            continue
        for note in notes:
            warn(f"{name}: {note}")
        episodes.append(episode)
    return sorted(episodes, key=lambda e: (e.date, e.slug), reverse=True)


class RecordError(ValueError):
    """Why a record cannot be used."""


def _read(path: Path) -> Episode:
    try:
        # Cleaned like any text entering a build: a record from before characters were
        # cleaned, or edited by hand, must not put a control character into the feed.
        data = clean_data(json.loads(path.read_text(encoding="utf-8"))).data
    except (OSError, ValueError) as exc:
        raise RecordError(f"unreadable ({exc})") from None
    if not isinstance(data, dict):
        raise RecordError("not a record")
    version = data.pop("format", 1)
    if version != RECORD_FORMAT:
        raise RecordError(f"written by another version of audioleaflet (format {version!r})")
    try:
        data["chapters"] = tuple(ChapterTiming(**c) for c in data["chapters"])
        episode = Episode(**data)
        episode.published  # noqa: B018 - the date must parse
    except (ValueError, TypeError, KeyError) as exc:
        raise RecordError(f"not a record this version can read ({exc})") from None
    return episode


def _checked(episode: Episode, stem: str, lang_dir: Path) -> tuple[Episode, list[str]]:
    """`episode` as far as the files beside it bear it out, and what it lost."""
    notes: list[str] = []
    if episode.slug != stem:
        raise RecordError(f"names leaflet {episode.slug!r}, not {stem!r}")
    names = (episode.audio_file, episode.audiobook_file, episode.transcript_file,
             episode.subtitles_file, episode.chapters_file)  # fmt: skip
    if any(name != Path(name).name or name.startswith(".") for name in names if name):
        raise RecordError("names a file outside its language folder")
    audio = lang_dir / episode.audio_file
    if not audio.is_file():
        raise RecordError(f"its audio {episode.audio_file} is missing")
    if audio.stat().st_size != episode.size:
        raise RecordError(f"its audio {episode.audio_file} is not the file it describes")
    if episode.audiobook_file:
        book = lang_dir / episode.audiobook_file
        if not book.is_file() or book.stat().st_size != episode.audiobook_size:
            notes.append(
                f"its audiobook {episode.audiobook_file} is missing or changed: not linked"
            )
            episode = dataclasses.replace(episode, audiobook_file="", audiobook_size=0)

    def kept(name: str) -> str:
        if name and not (lang_dir / name).is_file():
            notes.append(f"its {name} is missing: not linked")
            return ""
        return name

    episode = dataclasses.replace(
        episode,
        transcript_file=kept(episode.transcript_file),
        subtitles_file=kept(episode.subtitles_file),
        chapters_file=kept(episode.chapters_file),
    )
    return episode, notes
