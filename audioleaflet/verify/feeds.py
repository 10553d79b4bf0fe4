"""Each feed as a podcast app meets it: well-formed, every item with an enclosure, and every
link (enclosure, M4B, transcripts, chapters) pointing at a file of the output, of the stated size
and type, whose audio lasts as long as the item says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from audioleaflet.publish.feed import ITUNES_NS, LEGACY_PODCAST_NS, PODCAST_NS
from audioleaflet.verify.rows import CheckResult, Decoded, clock

FEED_DURATION_MS = 1000
"""How far an item's `itunes:duration` (whole seconds) may be from its enclosure's audio."""
_AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4b": "audio/mp4", ".m4a": "audio/mp4"}
_ATOM_NS = "http://www.w3.org/2005/Atom"


def feed_rows(decoded: Decoded, path: Path) -> Iterator[CheckResult]:
    """The rows of one feed: its XML, each item's enclosure, and each link of each item."""
    name = decoded.name(path)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        yield CheckResult(name, "feed", False, f"not well-formed XML: {exc}")
        return
    self_url = root.xpath("string(/rss/channel/atom:link[@rel='self']/@href)",
                          namespaces={"atom": _ATOM_NS})  # fmt: skip
    folder_url = str(self_url).rsplit("/", 1)[0] + "/" if self_url else ""
    items = root.findall("./channel/item")
    if not items:
        yield CheckResult(name, "feed", False, "no items")
    for item in items:
        links = _links(item)
        if not any(link.kind == "enclosure" for link in links):
            yield CheckResult(name, "feed", False, f"item {item.findtext('title')!r}: no enclosure")
        for link in links:
            yield _link_row(decoded, name, path.parent, folder_url, link)


@dataclass(frozen=True, slots=True)
class _Link:
    """A link in a feed item to a file of the output."""

    kind: str
    url: str
    length: str | None = None
    mime: str | None = None
    """The `type` the feed states (enclosures only)."""
    duration: str | None = None
    """The item's `itunes:duration` (the enclosure only)."""


def _duration_ms(text: str) -> float | None:
    """`itunes:duration` as HH:MM:SS, MM:SS or seconds; None if it is none of these."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(?:\.\d+)?", p) for p in parts):
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds * 1000


def _local_file(url: str, folder_url: str, lang_dir: Path) -> Path | None:
    """The output file a feed URL points at: by its path after the feed's own folder."""
    if folder_url and url.startswith(folder_url):
        relative = url[len(folder_url) :]
    else:
        path = urlsplit(url).path
        marker = f"/{lang_dir.name}/"
        if marker not in path:
            return None
        relative = path.rsplit(marker, 1)[1]
    relative = unquote(relative.split("?", 1)[0].split("#", 1)[0])
    target = (lang_dir / relative).resolve()
    if not relative or not target.is_relative_to(lang_dir.resolve()):
        return None
    return target


def _links(item: etree._Element) -> list[_Link]:
    """Every link of a feed item to a file of the output."""
    links: list[_Link] = []
    duration = item.findtext(f"{{{ITUNES_NS}}}duration")
    for enc in item.findall("enclosure"):
        url, length, mime = enc.get("url", ""), enc.get("length"), enc.get("type")
        links.append(_Link("enclosure", url, length, mime, duration))
    for alt in item.iter(f"{{{PODCAST_NS}}}alternateEnclosure"):
        for source in alt.iter(f"{{{PODCAST_NS}}}source"):
            url, length, mime = source.get("uri", ""), alt.get("length"), alt.get("type")
            links.append(_Link("alternateEnclosure", url, length, mime))
    for ns, label in ((PODCAST_NS, ""), (LEGACY_PODCAST_NS, " (legacy namespace)")):
        for tag in ("transcript", "chapters"):
            for element in item.iter(f"{{{ns}}}{tag}"):
                links.append(_Link(tag + label, element.get("url", "")))
    return links


def _link_row(
    decoded: Decoded, name: str, lang_dir: Path, folder_url: str, link: _Link
) -> CheckResult:
    kind, url, length = link.kind, link.url, link.length
    check = f"feed {kind.split(' ', 1)[0]}"
    target = _local_file(url, folder_url, lang_dir)
    if target is None or not target.is_file():
        return CheckResult(name, check, False, f"{kind} {url}: no such file in the output")
    shown = decoded.name(target)
    mismatch = _audio_mismatch(decoded, target, link)
    if mismatch:
        return CheckResult(name, check, False, f"{kind} {shown}: {mismatch}")
    if length is not None:
        size = target.stat().st_size
        if length.strip() != str(size):
            detail = f"{kind} {shown}: length={length!r} in the feed, the file has {size} bytes"
            return CheckResult(name, check, False, detail)
        return CheckResult(name, check, True, f"{kind} {shown}: {size} bytes")
    return CheckResult(name, check, True, f"{kind} {shown} exists")


def _audio_mismatch(decoded: Decoded, target: Path, link: _Link) -> str | None:
    """What an enclosure states that its file contradicts: its type, the item's duration."""
    expected = _AUDIO_TYPES.get(target.suffix)
    if link.mime is not None and expected is not None and link.mime != expected:
        return f"type={link.mime!r} in the feed, the file is {expected}"
    if link.duration is None:
        return None
    stated, length = _duration_ms(link.duration), decoded.audio_ms(target.resolve())
    if stated is None:
        return f"itunes:duration {link.duration!r} is not HH:MM:SS"
    if length is not None and abs(stated - length) > FEED_DURATION_MS:
        return f"itunes:duration {link.duration} in the feed, the audio lasts {clock(length)}"
    return None
