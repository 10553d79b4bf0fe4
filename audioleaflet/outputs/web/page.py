"""A leaflet's player page: the book to listen to, its chapters, and its whole transcript.

Everything a listener needs works without the script: the native `<audio controls>` plays,
each chapter is a link to the book at a media fragment (`book.mp3#t=61.2`), and the transcript
is all there, a heading per chapter. The script (`data/web/player.js`) adds what needs it:
chapter links and sentences that seek and play in the page, speed and 15-second skip buttons
(hidden without it), and the sentence being spoken marked `aria-current` and kept in view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from audioleaflet.atomic import write_bytes
from audioleaflet.model import ChapterTiming
from audioleaflet.outputs.cues import Cue, TextChoice, cues
from audioleaflet.outputs.web.html import clock, document, seconds, text
from audioleaflet.outputs.web.strings import WebStrings, web_strings

SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
SKIP_SECONDS = 15


@dataclass(frozen=True, slots=True)
class LeafletPage:
    """What a player page says about its leaflet; file names are in the language folder."""

    lang: str
    title: str
    publisher: str
    date: str
    """ISO date."""
    book: str
    book_size: int
    audiobook: str | None = None
    transcript: str | None = None
    """The WebVTT file, offered for download."""
    qr: str | None = None
    """The QR code's SVG (its PNG beside it), when the page has a public address."""
    qr_png: str | None = None
    address: str | None = None
    """The page's public address, under the feed's `base_url`."""
    up: str = "index.html"
    """The language's page."""


def _header(page: LeafletPage, words: WebStrings, duration_ms: int) -> str:
    return (
        f'<header><nav aria-label="{text(words.leaflets)}"><a href="{text(page.up)}">'
        f"{text(words.all_leaflets)}</a></nav></header>\n"
        f'<main id="main">\n<h1>{text(page.title)}</h1>\n<dl class="facts">'
        f"<div><dt>{text(words.published_by)}</dt><dd>{text(page.publisher)}</dd></div>"
        f'<div><dt>{text(words.date)}</dt><dd><time datetime="{text(page.date)}">'
        f"{text(page.date)}</time></dd></div>"
        f"<div><dt>{text(words.length)}</dt><dd>{text(words.length_of(duration_ms))}</dd></div>"
        "</dl>\n"
    )


def _player(page: LeafletPage, words: WebStrings) -> str:
    speeds = "".join(
        f'<button type="button" data-speed="{speed}" aria-pressed="{str(speed == 1).lower()}">'
        f"{speed:g}×</button>"
        for speed in SPEEDS
    )
    return (
        f'<section aria-labelledby="listen">\n<h2 id="listen">{text(words.listen)}</h2>\n'
        f'<audio id="player" controls preload="metadata" src="{text(page.book)}">'
        f'<a href="{text(page.book)}">{text(words.no_audio)}</a></audio>\n'
        # Hidden until the script shows them: without it they would do nothing.
        '<div class="controls" hidden>\n'
        f'<button type="button" data-skip="-{SKIP_SECONDS}">{text(words.back)}</button>\n'
        f'<button type="button" data-skip="{SKIP_SECONDS}">{text(words.forward)}</button>\n'
        f'<div role="group" aria-labelledby="speed" class="speeds">'
        f'<span id="speed">{text(words.speed)}</span> {speeds}</div>\n'
        "</div>\n</section>\n"
    )


def _chapters(page: LeafletPage, words: WebStrings, timings: Sequence[ChapterTiming]) -> str:
    items = "".join(
        f'<li><a class="chapter" href="{text(page.book)}#t={seconds(chapter.start_ms)}" '
        f'data-start="{seconds(chapter.start_ms)}">{text(chapter.title)}</a> '
        f'<span class="at">{clock(chapter.start_ms)}</span></li>\n'
        for chapter in timings
    )
    return (
        f'<nav aria-labelledby="chapters">\n<h2 id="chapters">{text(words.chapters)}</h2>\n'
        f"<ol>\n{items}</ol>\n</nav>\n"
    )


def _transcript(words: WebStrings, timings: Sequence[ChapterTiming], lines: Sequence[Cue]) -> str:
    parts = [
        f'<section aria-labelledby="transcript" class="transcript">\n'
        f'<h2 id="transcript">{text(words.transcript)}</h2>\n'
        f'<p class="hint" hidden>{text(words.transcript_hint)}</p>\n'
    ]
    for number, chapter_cues in groupby(lines, key=lambda cue: cue.chapter):
        parts.append(f'<h3 id="chapter-{number}">{text(timings[number - 1].title)}</h3>\n<p>')
        parts.append(
            " ".join(
                f'<span class="s" id="s{cue.chapter}-{cue.number}" '
                f'data-start="{seconds(cue.start_ms)}" data-end="{seconds(cue.end_ms)}">'
                f"{text(cue.text)}</span>"
                for cue in chapter_cues
            )
        )
        parts.append("</p>\n")
    parts.append("</section>\n")
    return "".join(parts)


def _downloads(page: LeafletPage, words: WebStrings) -> str:
    size = f" {page.book_size / 1_000_000:.1f} MB"
    links = [f'<a href="{text(page.book)}" download>{text(words.download_mp3)}</a>{size}']
    if page.audiobook:
        links.append(f'<a href="{text(page.audiobook)}" download>{text(words.download_m4b)}</a>')
    if page.transcript:
        links.append(f'<a href="{text(page.transcript)}" download>{text(words.download_vtt)}</a>')
    items = "".join(f"<li>{link}</li>" for link in links)
    return (
        f'<section aria-labelledby="downloads">\n<h2 id="downloads">{text(words.downloads)}</h2>'
        f"\n<ul>{items}</ul>\n</section>\n"
    )


def qr_figure(qr: str | None, png: str | None, address: str | None, words: WebStrings) -> str:
    """The QR code of `address` with what it is for; nothing without one."""
    if not (qr and png and address):
        return ""
    return (
        f'<section aria-labelledby="qr">\n<h2 id="qr">{text(words.qr)}</h2>\n<figure>'
        f'<img src="{text(qr)}" width="224" height="224" alt="{text(words.qr)}: {text(address)}">'
        f'<figcaption>{text(words.qr_hint)} <span class="address">{text(address)}</span> '
        f'<a href="{text(png)}" download>{text(words.qr_png)}</a></figcaption></figure>\n'
        "</section>\n"
    )


def player_page(page: LeafletPage, timings: Sequence[ChapterTiming], lines: Sequence[Cue]) -> str:
    """The page's HTML: `lines` are the transcript's cues, the same text as the WebVTT file."""
    words = web_strings(page.lang)
    body = (
        _header(page, words, timings[-1].end_ms)
        + _player(page, words)
        + _chapters(page, words, timings)
        + _transcript(words, timings, lines)
        + _downloads(page, words)
        + qr_figure(page.qr, page.qr_png, page.address, words)
        + "</main>"
    )
    return document(page.lang, f"{page.title} – {page.publisher}", body, script=True)


def write_player_page(
    dest: Path, page: LeafletPage, timings: Sequence[ChapterTiming], use: TextChoice = "spoken"
) -> None:
    write_bytes(dest, player_page(page, timings, cues(timings, use)).encode())
