"""The web edition as a browser and a phone meet it: every page names its language, every link
and image on it leads to a file of the folder (and nothing to a third party), and every QR code
decodes, with a real decoder, to the public address of its page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import zxingcpp
from PIL import Image

from audioleaflet.config.saved import resolve_settings
from audioleaflet.layout import LeafletLayout, OutputLayout
from audioleaflet.publish.metadata import page_address
from audioleaflet.verify.rows import CheckResult

# What a page loads by itself: from a third party, it would tell them what a patient reads.
_LOADS = ("src", "poster", "data")
_FOLLOWED = ("href", "src", "poster", "data")


def web_rows(folder: Path) -> list[CheckResult]:
    """One row per page for its language and for its links, one per QR code."""
    layout = OutputLayout(folder)
    feed = resolve_settings([], folder, None).feed
    rows: list[CheckResult] = []
    for page in layout.pages():
        name = page.relative_to(folder).as_posix()
        try:
            tree = lxml.html.fromstring(page.read_bytes())
        except (OSError, ValueError) as exc:
            rows.append(CheckResult(name, "web page", False, f"does not parse: {exc}"))
            continue
        lang = tree.get("lang", "").strip()
        rows.append(CheckResult(name, "page language", bool(lang), lang or "no <html lang>"))
        problems = _link_problems(tree, page, folder)
        detail = "; ".join(problems[:3]) or "every link resolves"
        rows.append(CheckResult(name, "page links", not problems, detail))
        if page.parent != folder and page.name != layout.index.name:
            leaflet = LeafletLayout(page.parent, page.stem)
            address = page_address(feed, page.parent.name, page.name)
            rows += _qr_rows(folder, leaflet, address)
    return rows


def _link_problems(tree: lxml.html.HtmlElement, page: Path, folder: Path) -> list[str]:
    ids = set(tree.xpath("//@id"))
    problems = []
    for element in tree.iter():
        for attribute in _FOLLOWED:
            value = element.get(attribute) if isinstance(element.tag, str) else None
            if value is None:
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                if attribute in _LOADS or element.tag == "link":
                    problems.append(f"{value} is loaded from elsewhere")
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in ids:
                    problems.append(f"#{parts.fragment} names nothing on the page")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(folder.resolve()) or not target.is_file():
                problems.append(f"{value} leads to no file of the folder")
    return problems


def _qr_rows(folder: Path, leaflet: LeafletLayout, address: str | None) -> list[CheckResult]:
    """The page's QR code decoded; without a public address there must be none."""
    name = leaflet.qr_png.relative_to(folder).as_posix()
    if address is None:
        stray = leaflet.qr_png.exists() or leaflet.qr_svg.exists()
        detail = "a QR code without base_url" if stray else "none: no base_url to link"
        return [CheckResult(name, "QR code", not stray, detail)] if stray else []
    if not leaflet.qr_png.is_file() or not leaflet.qr_svg.is_file():
        return [CheckResult(name, "QR code", False, f"missing (the page is {address})")]
    try:
        with Image.open(leaflet.qr_png) as image:
            found = [code.text for code in zxingcpp.read_barcodes(image.convert("L"))]
    except OSError as exc:
        return [CheckResult(name, "QR code", False, f"unreadable: {exc}")]
    ok = found == [address]
    detail = address if ok else f"decodes to {found or 'nothing'}, not {address}"
    return [CheckResult(name, "QR code", ok, detail)]
