"""What every published file says about a leaflet comes from one place (`publish/metadata.py`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audioleaflet.config.podcast import FeedSettings
from audioleaflet.engines import SpeechSettings, Voice
from audioleaflet.layout import LeafletLayout
from audioleaflet.model import Chapter, ChapterTiming, Document, Leaflet, LeafletText
from audioleaflet.planning.plan import PlannedLeaflet
from audioleaflet.publish import metadata


def planned(organisation: str | None, guid: str | None = None) -> PlannedLeaflet:
    text = LeafletText("da", Path("x/da.txt"))
    leaflet = Leaflet(
        slug="x", source=Path("x"), texts=(text,), titles={"da": "Titel"}, descriptions={},
        organisation=organisation, date=dt.date(2026, 3, 16), version="1.0", cover=None,
        guid=guid,
    )  # fmt: skip
    document = Document("da", None, (Chapter("Kapitel", ()),))
    return PlannedLeaflet(
        leaflet, text, document, "Titel", "Om hænder.", Voice("espeak", "da", "da", True),
        SpeechSettings(), (("Kapitel", ()),),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("organisation", "feed", "publisher"),
    [
        ("Klinik", FeedSettings(author="Forfatter"), "Klinik"),
        (None, FeedSettings(author="Forfatter", owner_name="Ejer"), "Forfatter"),
        (None, FeedSettings(owner_name="Ejer"), "Ejer"),
        (None, FeedSettings(per_language={"da": {"title": "Pjecer"}}), "Pjecer"),
        (None, FeedSettings(), "Audio leaflets"),
    ],
)
def test_every_format_names_the_same_publisher(
    organisation: str | None, feed: FeedSettings, publisher: str, tmp_path: Path
) -> None:
    item = planned(organisation)
    layout = LeafletLayout(tmp_path, "x")
    layout.book.write_bytes(b"mp3")
    tags = metadata.tags(item, feed, "Kapitel", 1, 2)
    info = metadata.book_info(item, feed)
    timings = (ChapterTiming("Kapitel", 0, 1000),)
    episode = metadata.episode(item, feed, layout, timings, metadata.Companions())
    said = {tags.artist, tags.publisher, info.creator, info.publisher, episode.author}
    assert said == {publisher}
    assert feed.author_for("da") == (feed.author or feed.owner_name or feed.title_for("da"))


def test_the_guid_is_the_manifests_or_stays_the_same_across_builds() -> None:
    assert metadata.guid(planned(None, guid="urn:uuid:fixed")) == "urn:uuid:fixed"
    assert metadata.guid(planned("Klinik")) == metadata.guid(planned("Klinik"))
    assert metadata.guid(planned("Klinik")) != metadata.guid(planned("Anden klinik"))
    assert metadata.book_info(planned("Klinik"), FeedSettings()).identifier == metadata.guid(
        planned("Klinik")
    )
