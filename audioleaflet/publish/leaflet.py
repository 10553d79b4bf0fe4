"""One leaflet's set written into its language folder: the encoded audio copied and tagged,
its companions made from the one timing model, and last the record the feed is made from.

The folder is the language's staging copy (`staging.py`), so nothing here is seen until the
whole language switches; `faults.after` marks each step for the tests that kill a build there.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

from audioleaflet import faults
from audioleaflet.atomic import atomic_file, atomic_folder
from audioleaflet.audio.encoded import EncodedLeaflet
from audioleaflet.audio.m4b import tag_m4b
from audioleaflet.audio.tags import Tags, write_mp3_tags
from audioleaflet.config.podcast import FeedSettings
from audioleaflet.languages import get_language
from audioleaflet.layout import LeafletLayout
from audioleaflet.outputs.chapters_json import write_chapters_json
from audioleaflet.outputs.daisy import write_daisy
from audioleaflet.outputs.selection import ALL_OUTPUTS, Outputs
from audioleaflet.outputs.transcripts import write_srt, write_webvtt
from audioleaflet.outputs.web.page import write_player_page
from audioleaflet.outputs.web.qr import write_qr
from audioleaflet.planning.plan import PlannedLeaflet
from audioleaflet.publish import metadata
from audioleaflet.publish.episodes import save_episode


def publish_leaflet(
    item: PlannedLeaflet,
    encoded: EncodedLeaflet,
    layout: LeafletLayout,
    feed: FeedSettings,
    outputs: Outputs = ALL_OUTPUTS,
) -> None:
    """Copy the encoded files into `layout`'s folder, tag them, write the companions, and
    last the episode record that describes them."""
    timings = encoded.timings
    book_tags = metadata.tags(item, feed, item.title, 1, 1)
    with atomic_file(layout.book) as tmp:
        shutil.copyfile(encoded.book, tmp)
        write_mp3_tags(tmp, book_tags, timings, get_language(item.text.lang).chapters)
    faults.after("book")
    files = _companions(item, feed, encoded, layout, book_tags, outputs)
    faults.after("companions")

    chapter_files = layout.chapter_files([timing.title for timing in timings])
    with atomic_folder(layout.chapter_folder) as folder:
        total = len(timings)
        chapters = zip(chapter_files, encoded.chapters, timings, strict=True)
        for number, (path, mp3, timing) in enumerate(chapters, 1):
            shutil.copyfile(mp3, folder / path.name)
            chapter_tags = metadata.tags(item, feed, timing.title, number, total)
            write_mp3_tags(folder / path.name, chapter_tags)
    faults.after("chapters")
    if outputs.daisy:
        book_info = metadata.book_info(item, feed)
        write_daisy(layout.daisy, book_info, timings, list(chapter_files))
    faults.after("daisy")
    if outputs.web:
        page = metadata.leaflet_page(item, feed, layout, files)
        if page.address:
            write_qr(layout.qr_png, layout.qr_svg, page.address)
        write_player_page(layout.page, page, timings, outputs.transcript_text)
    faults.after("web")
    save_episode(layout.folder, metadata.episode(item, feed, layout, timings, files))
    faults.after("record")


def _companions(
    item: PlannedLeaflet,
    feed: FeedSettings,
    encoded: EncodedLeaflet,
    layout: LeafletLayout,
    book_tags: Tags,
    outputs: Outputs,
) -> metadata.Companions:
    """The companions `outputs` asks for, written beside the book."""
    timings = encoded.timings
    files = metadata.Companions()
    if outputs.transcripts:
        lang, text = item.text.lang, outputs.transcript_text
        write_webvtt(layout.transcript, timings, lang, text, metadata.narrator(item))
        write_srt(layout.subtitles, timings, outputs.transcript_text)
        files = replace(files, transcript=layout.transcript.name, subtitles=layout.subtitles.name)
    if outputs.chapters:
        header = metadata.chapters_header(item, feed, layout)
        write_chapters_json(
            layout.chapters_json,
            timings,
            title=header.title,
            podcast_name=header.podcast_name,
            file_name=header.file_name,
        )
        files = replace(files, chapters=layout.chapters_json.name)
    if encoded.audiobook is not None:
        with atomic_file(layout.audiobook) as tmp:
            shutil.copyfile(encoded.audiobook, tmp)
            tag_m4b(tmp, replace(book_tags, genre="Audiobook"))
        size = layout.audiobook.stat().st_size
        files = replace(files, audiobook=layout.audiobook.name, audiobook_size=size)
    return files
