"""Feeds checked by real podcast parsers: gPodder's podcastparser and feedparser."""

from __future__ import annotations

import io
from pathlib import Path

import feedparser
import podcastparser

from audioleaflet.build import build
from audioleaflet.config.podcast import load_settings
from audioleaflet.publish.feed import podcast_guid
from tests.conftest import CONTENT, episodes

BASE = "https://leaflets.example.org/audio/"


def local_file(output: Path, url: str) -> Path:
    assert url.startswith(BASE)
    return output / url.removeprefix(BASE)


def test_podcastparser_reads_each_feed(content_build: Path) -> None:
    output = content_build
    durations = {(e.lang, e.audio_file): e.duration_ms for e in episodes(output)}
    for lang in ("da", "en", "it"):
        feed_path = output / lang / "feed.xml"
        with feed_path.open("rb") as handle:
            parsed = podcastparser.parse(BASE + f"{lang}/feed.xml", handle)
        assert parsed["title"]
        assert parsed["cover_url"] == BASE + "cover.png"
        assert (output / "cover.png").is_file()
        items = parsed["episodes"]
        assert len(items) == 2
        for episode in items:
            (enclosure,) = episode["enclosures"]
            path = local_file(output, enclosure["url"])
            assert enclosure["file_size"] == path.stat().st_size
            assert enclosure["mime_type"] == "audio/mpeg"
            expected = durations[(lang, path.name)] / 1000
            assert abs(episode["total_time"] - expected) <= 0.5
            assert episode["guid"].startswith("urn:uuid:")
            assert episode["published"] > 0


def test_feedparser_reads_each_feed(content_build: Path) -> None:
    output = content_build
    durations = {(e.lang, e.audio_file): e.duration_ms for e in episodes(output)}
    for lang in ("da", "en", "it"):
        parsed = feedparser.parse((output / lang / "feed.xml").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "rss20"
        feed = parsed.feed
        assert feed.language == lang
        assert feed.link == "https://leaflets.example.org/"
        assert feed.image.href == BASE + "cover.png"
        # feedparser maps anything but "yes" to None; the XML itself says "false".
        assert not feed.itunes_explicit
        assert (
            "<itunes:explicit>false</itunes:explicit>" in (output / lang / "feed.xml").read_text()
        )
        assert feed.author_detail.email == "leaflets@example.org"
        assert {t["term"] for t in feed.tags} >= {"Health & Fitness", "Medicine"}
        assert feed.podcast_guid == podcast_guid(BASE + f"{lang}/feed.xml")
        for entry in parsed.entries:
            (enclosure,) = entry.enclosures
            assert int(enclosure.length) == local_file(output, enclosure.href).stat().st_size
            assert enclosure.type == "audio/mpeg"
            hours, minutes, seconds = (int(x) for x in entry.itunes_duration.split(":"))
            path = local_file(output, enclosure.href)
            expected = durations[(lang, path.name)] / 1000
            assert abs(hours * 3600 + minutes * 60 + seconds - expected) <= 0.5
            assert entry.published_parsed.tm_year == 2026


def test_namespaces_are_declared(content_build: Path) -> None:
    output = content_build
    xml = (output / "da" / "feed.xml").read_text(encoding="utf-8")
    assert 'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in xml
    assert 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in xml


def test_guids_stay_the_same_across_rebuilds(content_build: Path, tmp_path: Path) -> None:
    output = content_build
    rebuilt = tmp_path / "again"
    build([CONTENT / "hand-hygiene"], rebuilt, load_settings(CONTENT / "podcast.toml"), lang="en")

    def guids(folder: Path) -> dict[str, str]:
        with (folder / "en" / "feed.xml").open("rb") as handle:
            parsed = podcastparser.parse(BASE + "en/feed.xml", handle)
        return {e["title"]: e["guid"] for e in parsed["episodes"]}

    again = guids(rebuilt)
    assert again and again.items() <= guids(output).items()


def test_feed_keeps_leaflets_built_earlier(tmp_path: Path, danish: Path) -> None:
    settings = load_settings(CONTENT / "podcast.toml")
    build([CONTENT / "hand-hygiene"], tmp_path, settings, lang="da")
    build([danish], tmp_path, settings, lang="da")
    parsed = feedparser.parse(io.BytesIO((tmp_path / "da" / "feed.xml").read_bytes()))
    assert {e.title for e in parsed.entries} == {
        "Rene hænder, når du besøger hospitalet",
        "Immunonkologi patientvejledning",
    }
