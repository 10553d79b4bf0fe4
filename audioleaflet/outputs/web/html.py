"""What every page of the web edition shares: escaping, the head, the stylesheet and script."""

from __future__ import annotations

import functools
from html import escape
from importlib import resources


def text(value: str) -> str:
    """`value` as HTML text or a quoted attribute value."""
    return escape(value, quote=True)


@functools.cache
def asset(name: str) -> str:
    """`player.css` or `player.js`, shipped as package data and inlined into each page."""
    return resources.files("audioleaflet").joinpath(f"data/web/{name}").read_text("utf-8")


def clock(ms: int) -> str:
    """`1:05` or `1:02:05`: a chapter's start as players show it."""
    hours, rest = divmod(round(ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def seconds(ms: int) -> str:
    """A media fragment's time (`#t=12.345`) and the script's `data-start`."""
    return f"{ms / 1000:.3f}"


def document(lang: str, title: str, body: str, script: bool = False) -> str:
    """A whole page: `lang` on the root, the title, the inlined stylesheet (and script)."""
    code = f"<script>{asset('player.js')}</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{text(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing from elsewhere: no fonts, no analytics, and the address of a page a patient
        # opened is never sent on.
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{text(title)}</title>\n<style>{asset('player.css')}</style>\n"
        f"</head>\n<body>\n{body}\n{code}</body>\n</html>\n"
    )
