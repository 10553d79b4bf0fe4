"""The web edition's interface words, from the `[web]` section of `data/lang/<lang>.toml`."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from audioleaflet.text.vocabulary import vocabulary


@dataclass(frozen=True, slots=True)
class WebStrings:
    """Every word the pages say that is not the leaflet's own."""

    listen: str
    chapters: str
    speed: str
    back: str
    forward: str
    transcript: str
    transcript_hint: str
    downloads: str
    download_mp3: str
    download_m4b: str
    download_vtt: str
    published_by: str
    date: str
    length: str
    duration: str
    """`{minutes} min {seconds} s`."""
    leaflets: str
    languages: str
    all_leaflets: str
    subscribe: str
    feed_address: str
    qr: str
    qr_hint: str
    qr_png: str
    no_audio: str

    def length_of(self, ms: int) -> str:
        minutes, seconds = divmod(round(ms / 1000), 60)
        return self.duration.format(minutes=minutes, seconds=seconds)


@functools.cache
def web_strings(lang: str) -> WebStrings:
    """The words in `lang`; every language's file has them all (a test makes sure)."""
    section = vocabulary(lang).section("web")
    names = [field.name for field in dataclasses.fields(WebStrings)]
    return WebStrings(**{name: str(section[name]) for name in names})
