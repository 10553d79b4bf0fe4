"""One RSS 2.0 podcast feed per language, built with feedgen.

feedgen writes the RSS and iTunes parts; `PodcastIndexExtension` adds the Podcasting 2.0
namespace (https://podcastindex.org/namespace/1.0). The feed is built from the episode records,
so it is the same bytes for the same leaflets: no wall-clock time goes into it.

Text arrives clean (`intake.characters`) and feedgen escapes it for XML. Feed readers take a
description (`<description>`, `<itunes:summary>`) for HTML, so what HTML would read as markup
is escaped first; titles and names are plain text to every reader and stay as they are.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from audioleaflet import __version__
from audioleaflet.atomic import atomic_file, write_bytes
from audioleaflet.config.podcast import FeedSettings
from audioleaflet.images import SUFFIX, image_mime
from audioleaflet.layout import FEED_NAME, OutputLayout
from audioleaflet.publish.episodes import Episode, load_episodes

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
LEGACY_PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
CHAPTERS_MIME = "application/json+chapters"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# The namespace UUID the Podcasting 2.0 spec fixes for podcast:guid.
_PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
DEFAULT_COVER = Path(__file__).resolve().parent.parent / "data" / "default-cover.png"


def podcast_guid(feed_url: str) -> str:
    """podcast:guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    parts = feed_url.split("://", 1)
    return str(uuid.uuid5(_PODCAST_GUID_NAMESPACE, parts[-1].rstrip("/")))


class PodcastIndexExtension(BaseExtension):  # type: ignore[misc]
    """Channel-level tags of the podcastindex.org namespace, and itunes:explicit."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.locked: bool = False
        self.owner: str | None = None
        self.explicit: bool = False

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "podcast1": LEGACY_PODCAST_NS}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        # Apple's current spec asks for true/false; feedgen only knows the older yes/no/clean.
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        # Also in the namespace's first address, the only one podcastparser knows.
        for namespace in (PODCAST_NS, LEGACY_PODCAST_NS):
            locked = xml_elem(f"{{{namespace}}}locked", channel)
            locked.text = "yes" if self.locked else "no"
            if self.owner:
                locked.attrib["owner"] = self.owner
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Item-level tags: transcripts, chapters and the M4B as an alternate enclosure.

    gPodder's podcastparser (and apps built on it) only knows the namespace's first address,
    the GitHub one; podcastindex.org's own address is what the spec and Podcast Index use. The
    links are written in both: a reader picks the copy in the namespace it knows and ignores
    the other, as XML namespaces intend.
    """

    def __init__(self) -> None:
        self.transcripts: list[tuple[str, str, str]] = []
        """(url, MIME type, language)."""
        self.chapters: str | None = None
        self.alternate: tuple[str, str, int, str] | None = None
        """(url, MIME type, length in bytes, title)."""

    def extend_rss(self, entry: Any) -> Any:
        for namespace in (PODCAST_NS, LEGACY_PODCAST_NS):
            # podcastparser keeps one transcript per episode (the last): give it the WebVTT.
            legacy = namespace == LEGACY_PODCAST_NS
            for url, mime, lang in self.transcripts:
                if legacy and mime != "text/vtt":
                    continue
                element = xml_elem(f"{{{namespace}}}transcript", entry)
                element.attrib.update({"url": url, "type": mime, "language": lang})
            if self.chapters:
                element = xml_elem(f"{{{namespace}}}chapters", entry)
                element.attrib.update({"url": self.chapters, "type": CHAPTERS_MIME})
        if self.alternate:
            url, mime, length, title = self.alternate
            element = xml_elem(f"{{{PODCAST_NS}}}alternateEnclosure", entry)
            element.attrib.update({"type": mime, "length": str(length), "title": title})
            xml_elem(f"{{{PODCAST_NS}}}source", element).attrib["uri"] = url
        return entry


def base_url(settings: FeedSettings, output: Path) -> str:
    """Where the output folder is served from; a file:// URL when none is configured."""
    url = settings.base_url or output.resolve().as_uri()
    return url if url.endswith("/") else url + "/"


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def publish_image(settings: FeedSettings, output: Path) -> str:
    """The channel image URL; a local image is copied into the output folder."""
    if settings.image and urlsplit(settings.image).scheme in ("http", "https"):
        return settings.image
    source = Path(settings.image) if settings.image else DEFAULT_COVER
    # Apple Podcasts wants the URL to end in .png or .jpg, whatever the file was called.
    dest = OutputLayout(output).cover(SUFFIX.get(image_mime(source) or "", ".png"))
    if not dest.exists() or dest.read_bytes() != source.read_bytes():
        with atomic_file(dest) as tmp:
            shutil.copyfile(source, tmp)
    return urljoin(base_url(settings, output), quote(dest.name))


def render_feed(
    lang: str, episodes: list[Episode], settings: FeedSettings, output: Path, image_url: str
) -> bytes:
    base = base_url(settings, output)
    feed_url = urljoin(base, f"{lang}/{FEED_NAME}")
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(settings.title_for(lang))
    fg.description(_as_html(settings.description_for(lang)))
    # feedgen takes the RSS <link> from the last link given: the self link must come first.
    fg.link(href=feed_url, rel="self")
    fg.link(href=settings.link or base, rel="alternate")
    fg.language(lang)
    fg.generator(f"audioleaflet {__version__}", uri="https://pypi.org/project/audioleaflet/")
    fg.image(url=image_url, title=settings.title_for(lang), link=settings.link or base)
    author = settings.author_for(lang)
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_summary(_as_html(settings.description_for(lang)))
    fg.podcast.itunes_image(image_url)
    category = {"cat": settings.category}
    if settings.subcategory:
        category["sub"] = settings.subcategory
    fg.podcast.itunes_category(category)
    fg.podcast.itunes_type("episodic")
    if settings.owner_email:
        # itunes:owner is the address Apple writes to; feedgen refuses one without it, so a
        # name alone is only the author (above).
        fg.podcast.itunes_owner(name=settings.owner_name or author, email=settings.owner_email)
    fg.podcastindex.guid = podcast_guid(feed_url)
    fg.podcastindex.locked = settings.locked
    fg.podcastindex.explicit = settings.explicit
    fg.podcastindex.owner = settings.owner_email
    if episodes:
        newest = max(e.published for e in episodes)
        fg.lastBuildDate(newest)
        fg.pubDate(newest)
    for episode in episodes:
        entry = fg.add_entry(order="append")
        entry.guid(episode.guid, permalink=False)
        entry.title(episode.title)
        # Listeners (and clinics checking a feed) see which voice reads the leaflet.
        described = f"{episode.description} Voice: {_voice_name(episode.voice)}."
        if episode.credits:
            described += f" Credits: {episode.credits}."
        entry.description(_as_html(described))
        entry.enclosure(
            urljoin(base, f"{lang}/{quote(episode.audio_file)}"), str(episode.size), "audio/mpeg"
        )
        entry.pubDate(episode.published)
        if episode.author:
            entry.podcast.itunes_author(episode.author)
        entry.podcast.itunes_duration(_duration(episode.duration_ms))
        entry.podcast.itunes_summary(_as_html(described))
        entry.podcast.itunes_episode_type("full")
        _link_companions(entry.podcastindex, episode, urljoin(base, f"{lang}/"))
    return bytes(fg.rss_str(pretty=True))


# What HTML takes for markup: `<` opening a tag, comment or declaration, `&` opening a character
# reference. A lone `<` or `&` ("< 5 mg", "Sæbe & vand") is text to an HTML reader as it is, and
# stays, so a reader that shows the description as plain text (gPodder) shows it unchanged.
_HTML_MARKUP = re.compile(r"<(?=[A-Za-z/!?])|&(?=[A-Za-z#])")


def _as_html(text: str) -> str:
    """Plain text as HTML that shows exactly that text: `<måltidet>` is not a tag."""
    return _HTML_MARKUP.sub(lambda match: "&lt;" if match[0] == "<" else "&amp;", text)


def _link_companions(extension: PodcastIndexEntryExtension, episode: Episode, folder: str) -> None:
    if episode.transcript_file:
        url = urljoin(folder, quote(episode.transcript_file))
        extension.transcripts.append((url, "text/vtt", episode.lang))
    if episode.subtitles_file:
        url = urljoin(folder, quote(episode.subtitles_file))
        extension.transcripts.append((url, "application/x-subrip", episode.lang))
    if episode.chapters_file:
        extension.chapters = urljoin(folder, quote(episode.chapters_file))
    if episode.audiobook_file:
        url = urljoin(folder, quote(episode.audiobook_file))
        extension.alternate = (url, "audio/mp4", episode.audiobook_size, "Audiobook (M4B)")


_ENGINE_NAMES = {"espeak": "eSpeak NG", "piper": "Piper", "gtts": "Google Text-to-Speech",
                 "pico": "SVOX Pico", "festival": "Festival"}  # fmt: skip


def _voice_name(label: str) -> str:
    """`piper:en_US-joe-medium` -> `en_US-joe-medium (Piper)`."""
    engine, _, voice = label.partition(":")
    return f"{voice} ({_ENGINE_NAMES.get(engine, engine)})" if voice else label


def write_feed(
    lang: str,
    settings: FeedSettings,
    output: Path,
    lang_dir: Path | None = None,
    warn: Callable[[str], None] = lambda _line: None,
) -> Path:
    """`feed.xml` in `lang_dir` (default `output/<lang>`, or a staging copy of it) listing every
    usable episode recorded there; each record left out or trimmed is a `warn`ing."""
    live = OutputLayout(output).language(lang)
    folder = lang_dir or live
    image_url = publish_image(settings, output)
    episodes = load_episodes(folder, warn, shown=live)
    xml = render_feed(lang, episodes, settings, output, image_url)
    dest = folder / FEED_NAME
    write_bytes(dest, xml)
    return dest
