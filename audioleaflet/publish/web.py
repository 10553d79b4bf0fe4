"""The web edition's lists, made from the episode records like the feed: a language's page,
written into its staging folder beside the feed, and the front page, written at the output
root once every language has switched (each leaflet's player page is written with its set, in
`leaflet.py`)."""

from __future__ import annotations

from pathlib import Path

from audioleaflet.config.podcast import FeedSettings
from audioleaflet.languages import get_language
from audioleaflet.layout import FEED_NAME, INDEX_NAME, LeafletLayout, OutputLayout
from audioleaflet.outputs.web.lists import (
    LanguageList,
    Listed,
    front_page,
    language_page,
    write_page,
)
from audioleaflet.publish.episodes import load_episodes
from audioleaflet.publish.metadata import page_address


def language_list(lang: str, feed: FeedSettings, lang_dir: Path, prefix: str = "") -> LanguageList:
    """The leaflets recorded in `lang_dir`, newest first, linked from a page `prefix` above it
    (`da/` from the front page): to the player page, or to the book where it has none."""
    listed = []
    for episode in load_episodes(lang_dir):  # the feed has already reported what it left out
        page = LeafletLayout(lang_dir, episode.slug).page
        target = page.name if page.is_file() else episode.audio_file
        by = episode.author or feed.author_for(lang)
        listed.append(Listed(episode.title, by, episode.date, episode.duration_ms, prefix + target))
    return LanguageList(
        lang=lang,
        name=get_language(lang).native,
        title=feed.title_for(lang),
        description=feed.description_for(lang),
        leaflets=tuple(listed),
        feed=prefix + FEED_NAME,
        feed_address=page_address(feed, lang, FEED_NAME),
    )


def write_language_page(lang: str, feed: FeedSettings, lang_dir: Path) -> Path:
    """`<lang>/index.html` in `lang_dir` (the language's staging folder)."""
    dest = lang_dir / INDEX_NAME
    write_page(dest, language_page(language_list(lang, feed, lang_dir), up=f"../{INDEX_NAME}"))
    return dest


def write_front_page(output: Path, feed: FeedSettings) -> Path | None:
    """`index.html` at the root, listing every language folder that has its page; removed
    when none has (the web edition is no longer built), so it never links to nothing."""
    layout = OutputLayout(output)
    listings = [
        language_list(folder.name, feed, folder, prefix=f"{folder.name}/")
        for folder in layout.languages()
        if (folder / INDEX_NAME).is_file()
    ]
    if not listings:
        layout.index.unlink(missing_ok=True)
        return None
    # The page speaks the language whose feed title is the podcast's own title, if one does.
    own = next((item for item in listings if item.title == feed.title), listings[0])
    write_page(layout.index, front_page(own.lang, own.title, listings))
    return layout.index
