"""An XHTML or HTML fragment that is all content (an ePI section's `text.div`) -> blocks.

No boilerplate to remove here, so every element is read: headings at their level, paragraphs
(a `<br>` starts a new line), list items (ordered ones keep their number), table rows read
left to right, and an image's description when it says something. Scripts, styles and
comments are never read.
"""

from __future__ import annotations

import re
from typing import Any

from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.model import Block, BlockKind
from audioleaflet.readers.structure import Item

_HEADING = re.compile(r"h([1-6])")
_SKIP = {"script", "style", "noscript", "template", "head"}
_BLOCK = {"p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
          "h6", "blockquote", "section", "article", "dl", "dt", "dd", "pre", "figure",
          "figcaption", "caption", "thead", "tbody", "tfoot"}  # fmt: skip
ALT_WORDS = 3


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def alt_text(alt: str) -> str | None:
    """An image description worth saying: a few words, not a file name or `logo`."""
    alt = normalise_spaces(alt)
    if len(alt.split()) < ALT_WORDS or re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt, re.I):
        return None
    return alt


def _inline(element: Any) -> list[str]:
    """The text of an element with no blocks in it, one entry per `<br>`-separated line."""
    lines = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag == "br":
            lines.append("")
        elif tag == "img":
            alt = alt_text(child.get("alt") or "")
            lines[-1] += f" {alt} " if alt else ""
        elif tag and tag not in _SKIP:
            inner = _inline(child)
            lines[-1] += inner[0] if inner else ""
            lines += inner[1:]
        lines[-1] += child.tail or ""
    return [t for t in (normalise_spaces(line) for line in lines) if t]


def _has_blocks(element: Any) -> bool:
    return any(_tag(d) in _BLOCK for d in element.iterdescendants())


def fragment_items(root: Any, level_offset: int = 0) -> list[Item]:
    """Items of an lxml element tree, in document order."""
    items: list[Item] = []
    _walk(root, items, level_offset)
    return items


def _walk(element: Any, items: list[Item], offset: int) -> None:
    # Words set straight in a block (`<div><strong>Note</strong> text <em>x</em>.</div>`) are
    # one paragraph, however many inline elements carry them.
    run: list[str] = [element.text or ""]

    def flush() -> None:
        text = normalise_spaces("".join(run))
        if text:
            items.append((0, Block(BlockKind.PARAGRAPH, text)))
        run.clear()

    for child in element:
        tag = _tag(child)
        if not tag or tag in _SKIP:
            run.append(child.tail or "")
            continue
        if tag not in _BLOCK and tag != "img" and not _has_blocks(child):
            lines = _inline(child)
            if tag == "br" or len(lines) > 1:
                run.append(" ".join(lines[:1]))
                flush()
                items.extend((0, Block(BlockKind.PARAGRAPH, line)) for line in lines[1:])
            else:
                run.append(f"{lines[0]} " if lines and _spaced(child) else "".join(lines))
            run.append(child.tail or "")
            continue
        flush()
        _block(child, tag, items, offset)
        run.append(child.tail or "")
    flush()


def _spaced(element: Any) -> bool:
    """Whether the source had a space after the element (its tail starts with one)."""
    return bool(element.tail and element.tail[:1].isspace())


def _block(child: Any, tag: str, items: list[Item], offset: int) -> None:
    heading = _HEADING.fullmatch(tag)
    if heading:
        _heading(child, min(6, int(heading[1]) + offset), items)
    elif tag in ("ul", "ol"):
        _list(child, tag == "ol", items, offset)
    elif tag == "tr":
        cells = [" ".join(_flat(c)) for c in child if _tag(c) in ("td", "th")]
        cells = [c for c in cells if c]
        if cells:
            items.append((0, Block(BlockKind.LIST_ITEM, ", ".join(cells))))
    elif tag == "img":
        alt = alt_text(child.get("alt") or "")
        if alt:
            items.append((0, Block(BlockKind.PARAGRAPH, alt)))
    elif _has_blocks(child):
        _walk(child, items, offset)
    else:
        items.extend((0, Block(BlockKind.PARAGRAPH, line)) for line in _inline(child))


def _heading(child: Any, level: int, items: list[Item]) -> None:
    lines = _inline(child)
    if lines:
        items.append((level, Block(BlockKind.SUBHEADING, lines[0])))
        items.extend((0, Block(BlockKind.PARAGRAPH, line)) for line in lines[1:])


def _list(child: Any, ordered: bool, items: list[Item], offset: int) -> None:
    number = 0
    for item in child:
        if _tag(item) != "li":
            continue
        number += 1
        prefix = f"{number}. " if ordered else ""
        own = [c for c in item if _tag(c) in ("ul", "ol", "table")]
        for nested in own:
            item.remove(nested)  # read after the item's own words
        lines = _inline(item) if not _has_blocks(item) else _flat(item)
        if lines:
            items.append((0, Block(BlockKind.LIST_ITEM, prefix + " ".join(lines))))
        for nested in own:
            _walk_one(nested, items, offset)


def _walk_one(element: Any, items: list[Item], offset: int) -> None:
    wrapper = element.makeelement("div", {})
    wrapper.append(element)
    _walk(wrapper, items, offset)


def _flat(element: Any) -> list[str]:
    """All the words of an element, blocks and all, as lines."""
    text = " ".join(t for t in element.itertext() if t)
    return [normalise_spaces(text)] if normalise_spaces(text) else []
