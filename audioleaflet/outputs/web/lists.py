"""The web edition's lists: a page per language (its leaflets and its feed) and the front page
(every language, and in each every leaflet). Links are relative, so the folder works from any
web server or from disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.atomic import write_bytes
from audioleaflet.outputs.web.html import document, text
from audioleaflet.outputs.web.strings import WebStrings, web_strings


@dataclass(frozen=True, slots=True)
class Listed:
    """One leaflet as a list shows it."""

    title: str
    publisher: str
    date: str
    duration_ms: int
    href: str
    """Its player page (or, without one, its book), relative to the page listing it."""


@dataclass(frozen=True, slots=True)
class LanguageList:
    lang: str
    name: str
    """The language's own name."""
    title: str
    """The feed's title in the language."""
    description: str
    leaflets: tuple[Listed, ...]
    feed: str
    """The feed, relative to the page listing it."""
    feed_address: str | None = None
    """The feed's public address, to paste into a podcast app; None without `base_url`."""


def _items(leaflets: Sequence[Listed], words: WebStrings, level: int) -> str:
    items = "".join(
        f'<li><h{level}><a href="{text(item.href)}">{text(item.title)}</a></h{level}>'
        f'<p class="facts">{text(item.publisher)} · <time datetime="{text(item.date)}">'
        f"{text(item.date)}</time> · {text(words.length)} {text(words.length_of(item.duration_ms))}"
        "</p></li>\n"
        for item in leaflets
    )
    return f'<ul class="leaflets">\n{items}</ul>\n'


def _subscribe(listing: LanguageList, words: WebStrings) -> str:
    address = (
        f'<p>{text(words.feed_address)}: <span class="address">{text(listing.feed_address)}</span>'
        "</p>\n"
        if listing.feed_address
        else ""
    )
    return (
        f'<section aria-labelledby="subscribe">\n<h2 id="subscribe">{text(words.subscribe)}</h2>\n'
        f'<p><a href="{text(listing.feed)}" type="application/rss+xml">RSS: {text(listing.title)}'
        f"</a></p>\n{address}</section>\n"
    )


def language_page(listing: LanguageList, up: str | None = None) -> str:
    """A language's page; `up` links the front page when there is one."""
    words = web_strings(listing.lang)
    nav = (
        f'<header><nav aria-label="{text(words.languages)}"><a href="{text(up)}">'
        f"{text(words.languages)}</a></nav></header>\n"
        if up
        else ""
    )
    body = (
        f'{nav}<main id="main">\n<h1>{text(listing.title)}</h1>\n'
        f"<p>{text(listing.description)}</p>\n"
        f'<section aria-labelledby="leaflets">\n<h2 id="leaflets">{text(words.leaflets)}</h2>\n'
        f"{_items(listing.leaflets, words, 3)}</section>\n{_subscribe(listing, words)}</main>"
    )
    link = f'<link rel="alternate" type="application/rss+xml" href="{text(listing.feed)}">'
    return document(listing.lang, listing.title, body).replace("</head>", f"{link}\n</head>", 1)


def front_page(lang: str, title: str, listings: Sequence[LanguageList]) -> str:
    """Every language, in its own language (`lang` is the page's own, for its title)."""
    sections = []
    for listing in listings:
        words = web_strings(listing.lang)
        tag = text(listing.lang)
        sections.append(
            f'<section lang="{tag}" aria-labelledby="lang-{tag}">\n'
            f'<h2 id="lang-{tag}"><a href="{tag}/index.html">{text(listing.name)}</a></h2>\n'
            f"<p>{text(listing.title)}</p>\n{_items(listing.leaflets, words, 3)}</section>\n"
        )
    body = f'<main id="main">\n<h1>{text(title)}</h1>\n{"".join(sections)}</main>'
    return document(lang, title, body)


def write_page(dest: Path, html: str) -> None:
    write_bytes(dest, html.encode())
