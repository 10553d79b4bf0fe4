"""HTML leaflets (a file or a web address) -> headings and blocks, boilerplate removed.

trafilatura (Apache-2.0) finds the page's main text and drops cookie banners, menus, sidebars
and footers; measured on leaflet pages it keeps headings, lists and tables, in ~3 ms a page.
Its own minimum-length fallbacks are switched off: on a short leaflet page they would flatten
the whole page, menus included, into one paragraph. Its XML output gives the structure (`head`
with its level, `p`, `list`/`item`, `table`/`row`/`cell`), read here into blocks. Scripts,
styles and comments are never read. Everything on the page that did not make it into the text
is listed as removed, block by block, so `script --diff` shows what the boilerplate was.
An image's description is spoken only when it says something (a sentence of several words):
`logo` or `photo.jpg` is listed as removed.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from audioleaflet.errors import InputError
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.intake.decoding import read_bytes
from audioleaflet.model import Block, BlockKind, Reason, Removal
from audioleaflet.readers.formats import DocumentInfo, Part, ReadFile, need
from audioleaflet.readers.qrd import holder, leaflet_title, revised
from audioleaflet.readers.structure import Item

FETCH_TIMEOUT_S = 20
MAX_PAGE_BYTES = 20_000_000
_BLOCKS = {
    *("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption"),
    *("caption", "blockquote", "pre", "button", "label", "summary", "option", "a", "div"),
}
_HIDDEN = "//script|//style|//noscript|//template|//head"
_ALT_WORDS = 3


def read_html(path: Path) -> ReadFile:
    return parse_html(read_bytes(path, "an HTML page"), str(path))


def read_url(url: str) -> ReadFile:
    """A leaflet's web page, fetched once, with a time limit."""
    request = urllib.request.Request(url, headers={"User-Agent": "audioleaflet"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            data = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(
            f"{url}: the server answered {exc.code} {exc.reason}; check the address"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(
            f"{url}: cannot fetch the page ({reason}); check the address and the network "
            "connection, or save the page as a file and read that"
        ) from None
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(
            f"{url}: the page is larger than {MAX_PAGE_BYTES // 1_000_000} MB; "
            "save the leaflet's own page"
        )
    return parse_html(data, url)


def _page(data: bytes, where: str) -> Any:
    import lxml.html

    if not data.strip():
        raise InputError(f"{where}: the file is empty; save the leaflet's web page in it")
    try:
        return lxml.html.document_fromstring(data)
    except Exception as exc:  # lxml's parser errors for unusable input
        raise InputError(f"{where}: cannot be read as HTML ({exc})") from None


def parse_html(data: bytes, where: str) -> ReadFile:
    """The leaflet in an HTML page; `where` names it in messages."""
    trafilatura = need("trafilatura", "web pages")
    from trafilatura.settings import use_config

    page = _page(data, where)
    lang = page.get("lang") or page.get("{http://www.w3.org/XML/1998/namespace}lang")
    head_title = normalise_spaces(page.findtext(".//title") or "") or None
    removed = _comments(page)
    for hidden in page.xpath(_HIDDEN):
        hidden.drop_tree()
    config = use_config()
    # On a short page trafilatura's fallbacks would take the whole page as one paragraph.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    xml = trafilatura.extract(  # type: ignore[attr-defined]
        data,
        output_format="xml",
        include_formatting=True,
        include_tables=True,
        include_images=True,
        include_links=False,
        include_comments=False,
        deduplicate=False,
        config=config,
    )
    items = _items(xml) if xml else []
    if not items:
        raise InputError(
            f"{where}: no leaflet text found in the page (only menus, forms or scripts)"
        )
    removed += _boilerplate(page, items)
    lines = [block.text for _level, block in items]
    title = leaflet_title(lines) or head_title or next((b.text for lv, b in items if lv == 1), None)
    part = Part(
        label="",
        title=title,
        info=DocumentInfo(title=title, organisation=holder(lines), date=revised(lines)),
        items=tuple(items),
        removed=tuple(removed),
    )
    return ReadFile("HTML", (part,), lang=lang, lang_source="the page's lang attribute")


def _comments(page: Any) -> list[Removal]:
    removed = []
    for comment in page.xpath("//comment()"):
        text = normalise_spaces(str(comment.text or ""))
        if text:
            removed.append(Removal(Reason.MARKUP_COMMENT, text))
        parent = comment.getparent()
        if parent is not None:
            tail = comment.tail or ""
            previous = comment.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(comment)
    return removed


def _text(element: Any) -> list[str]:
    """The element's text, one entry per line it breaks into (`<lb/>`)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("")
        elif child.tag not in ("list", "table", "graphic"):
            parts[-1] += "".join(child.itertext())
        parts[-1] += child.tail or ""
    return [t for t in (normalise_spaces(p) for p in parts) if t]


def _items(xml: str) -> list[Item]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    items: list[Item] = []
    if main is not None:
        _walk(main, items)
    return items


def _walk(element: Any, items: list[Item]) -> None:
    for child in element:
        read = _ELEMENTS.get(child.tag) if isinstance(child.tag, str) else None
        if read is not None:
            read(child, items)


def _head(child: Any, items: list[Item]) -> None:
    rend = str(child.get("rend", "h2"))
    level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
    lines = _text(child)
    if lines:
        # A line break in a heading sets off a subtitle (the active substance).
        items.append((level, Block(BlockKind.SUBHEADING, lines[0])))
        items += [(0, Block(BlockKind.PARAGRAPH, line)) for line in lines[1:]]


def _list(child: Any, items: list[Item]) -> None:
    ordered = child.get("rend") == "ol"
    for number, item in enumerate(child.findall("item"), 1):
        text = " ".join(_text(item))
        if text:
            prefix = f"{number}. " if ordered and not re.match(r"\d", text) else ""
            items.append((0, Block(BlockKind.LIST_ITEM, prefix + text)))
        _walk(item, items)


def _table(child: Any, items: list[Item]) -> None:
    for row in child.iter("row"):
        cells = [" ".join(_text(cell)) for cell in row.findall("cell")]
        cells = [c for c in cells if c]
        if cells:
            items.append((0, Block(BlockKind.LIST_ITEM, ", ".join(cells))))


def _graphic(child: Any, items: list[Item]) -> None:
    alt = normalise_spaces(str(child.get("alt") or ""))
    if len(alt.split()) >= _ALT_WORDS and not re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt, re.I):
        items.append((0, Block(BlockKind.PARAGRAPH, alt)))


def _paragraph(child: Any, items: list[Item]) -> None:
    for line in _text(child):
        items.append((0, Block(BlockKind.PARAGRAPH, line)))
    _walk(child, items)


# trafilatura's XML elements that hold the page's text, and how each is read.
_ELEMENTS: dict[str, Callable[[Any, list[Item]], None]] = {
    "head": _head,
    "list": _list,
    "table": _table,
    "graphic": _graphic,
    "p": _paragraph,
    "quote": _paragraph,
    "code": _paragraph,
}


def _boilerplate(page: Any, items: list[Item]) -> list[Removal]:
    """The page's blocks of text that are not in the leaflet's text: menus, banners, footers;
    and image descriptions that were not spoken."""
    kept = _squash(" ".join(block.text for _level, block in items))
    removed: list[Removal] = []
    body = page.find("body")
    if body is None:
        return removed
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "img":
            alt = normalise_spaces(element.get("alt") or "")
            if alt and _squash(alt) not in kept:
                removed.append(Removal(Reason.IMAGE_CAPTION, alt))
            continue
        if element.tag not in _BLOCKS or any(
            isinstance(d.tag, str) and d.tag in _BLOCKS for d in element.iterdescendants()
        ):
            continue
        text = normalise_spaces(element.text_content())
        if text and _squash(text) not in kept:
            removed.append(Removal(Reason.BOILERPLATE, text))
    return removed


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()
