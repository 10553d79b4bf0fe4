"""What every published file says about a leaflet, decided in one place.

A planned leaflet becomes the ID3 and MP4 tags of its book and chapter files, the DAISY book's
metadata, the chapters JSON's header and the feed's episode record. Each of them takes its title,
publisher, date, guid and description from here, so no two formats can disagree.

The publisher is the leaflet's organisation (`organisation` in leaflet.toml); without one, it is
whoever the feed says it is by (`FeedSettings.author_for`: podcast.toml's `author`, else its
`owner_name`, else the feed's title in that language). The DAISY book, which must name one,
always did fall back that far; the tags and the feed item now do too, instead of saying nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urljoin

from audioleaflet.audio.tags import Tags
from audioleaflet.config.podcast import FeedSettings
from audioleaflet.languages import get_language
from audioleaflet.layout import LeafletLayout
from audioleaflet.model import ChapterTiming
from audioleaflet.outputs.daisy import BookInfo
from audioleaflet.outputs.web.page import LeafletPage
from audioleaflet.planning.plan import PlannedLeaflet
from audioleaflet.publish.episodes import Episode, stable_guid


def publisher(item: PlannedLeaflet, feed: FeedSettings) -> str:
    """Who publishes the leaflet: its organisation, else the feed's author (see above)."""
    return item.leaflet.organisation or feed.author_for(item.text.lang)


def guid(item: PlannedLeaflet) -> str:
    """The leaflet's guid in this language: the manifest's, else one derived from its names."""
    leaflet = item.leaflet
    return leaflet.guid or stable_guid(leaflet.organisation, leaflet.slug, item.text.lang)


def narrator(item: PlannedLeaflet) -> str:
    """The voice with its maker and licence, as the voice's licence asks it to be named: the
    tags' comment and the transcript's header say it (the feed item says `Episode.credits`)."""
    return item.voice.described


def tags(item: PlannedLeaflet, feed: FeedSettings, title: str, track: int, total: int) -> Tags:
    """The tags of the book (`title` = the leaflet's, track 1 of 1) or of one chapter file."""
    leaflet = item.leaflet
    by = publisher(item, feed)
    version = f" Version {leaflet.version}." if leaflet.version else ""
    return Tags(
        title=title,
        album=item.title,
        artist=by,
        publisher=by,
        language=get_language(item.text.lang).iso639_2,
        date=leaflet.date.isoformat(),
        track=track,
        track_total=total,
        comment=f"{item.description}{version} Voice: {narrator(item)}.",
        voice=item.voice.label,
        cover=leaflet.cover,
    )


def book_info(item: PlannedLeaflet, feed: FeedSettings) -> BookInfo:
    """The DAISY book's Dublin Core and `ncc:` metadata."""
    leaflet = item.leaflet
    by = publisher(item, feed)
    return BookInfo(
        title=item.title,
        creator=by,
        publisher=by,
        date=leaflet.date.isoformat(),
        language=item.text.lang,
        identifier=guid(item),
        narrator=item.voice.label,
        source_version=leaflet.version,
        description=item.description,
    )


@dataclass(frozen=True, slots=True)
class ChaptersHeader:
    """The chapters JSON's optional top-level fields."""

    title: str
    podcast_name: str
    file_name: str


def chapters_header(
    item: PlannedLeaflet, feed: FeedSettings, layout: LeafletLayout
) -> ChaptersHeader:
    return ChaptersHeader(item.title, feed.title_for(item.text.lang), layout.book.name)


@dataclass(frozen=True, slots=True)
class Companions:
    """The files written beside a leaflet's book MP3 (None: not made by this build)."""

    transcript: str | None = None
    subtitles: str | None = None
    chapters: str | None = None
    audiobook: str | None = None
    audiobook_size: int = 0


def episode(
    item: PlannedLeaflet,
    feed: FeedSettings,
    layout: LeafletLayout,
    timings: tuple[ChapterTiming, ...],
    files: Companions,
) -> Episode:
    """The record the feed is made from; written last, once every file it names is there."""
    return Episode(
        slug=item.leaflet.slug,
        lang=item.text.lang,
        title=item.title,
        description=item.description,
        author=publisher(item, feed),
        date=item.leaflet.date.isoformat(),
        guid=guid(item),
        audio_file=layout.book.name,
        size=layout.book.stat().st_size,
        duration_ms=timings[-1].end_ms,
        chapters=timings,
        voice=item.voice.label,
        credits=item.voice.credits,
        transcript_file=files.transcript or "",
        subtitles_file=files.subtitles or "",
        chapters_file=files.chapters or "",
        audiobook_file=files.audiobook or "",
        audiobook_size=files.audiobook_size,
    )


def page_address(feed: FeedSettings, lang: str, name: str) -> str | None:
    """A file's public address under `base_url` (`https://…/da/x.html`); None without one:
    a QR code to a `file://` address would lead a phone nowhere."""
    if not feed.base_url:
        return None
    base = feed.base_url if feed.base_url.endswith("/") else feed.base_url + "/"
    return urljoin(base, f"{quote(lang)}/{quote(name)}")


def leaflet_page(
    item: PlannedLeaflet, feed: FeedSettings, layout: LeafletLayout, files: Companions
) -> LeafletPage:
    """What the web edition's player page says: the same title, publisher and date as the
    tags and the feed, and the files beside it."""
    address = page_address(feed, item.text.lang, layout.page.name)
    return LeafletPage(
        lang=item.text.lang,
        title=item.title,
        publisher=publisher(item, feed),
        date=item.leaflet.date.isoformat(),
        book=layout.book.name,
        book_size=layout.book.stat().st_size,
        audiobook=files.audiobook,
        transcript=files.transcript,
        qr=layout.qr_svg.name if address else None,
        qr_png=layout.qr_png.name if address else None,
        address=address,
    )
