"""A PDF page's text lines in reading order: columns, list markers, table rows.

pdfminer.six groups characters into lines and tells each character's font and size; the order
in which it lists its text boxes follows the file's drawing order, which for a bullet drawn
apart from its text, or a page in two columns, is not the order of reading. So the lines are
ordered here, by position:

- a list marker (`•`, U+F0B7, `-`, `3.`) drawn apart from its text on the same baseline is put
  back in front of it, which also rejoins a numbered heading (`3.` + `How to take X`);
- a page whose lines leave a gutter free down the middle is read column by column, in bands
  between the lines that cross the gutter (a title over both columns);
- several pieces of text left on one baseline in a single column are a table row, read left to
  right as one line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

# Symbol and Wingdings fonts put their glyphs in the private use area: bullets, arrows, ticks.
_PRIVATE_GLYPHS = {
    "\uf0b7": "•", "\uf0a7": "▪", "\uf0a8": "•", "\uf06c": "•", "\uf06e": "▪", "\uf076": "•",
    "\uf0d8": "•", "\uf0e0": "•", "\uf0fc": "•", "\uf0f0": "•", "\uf02d": "-", "\uf0ad": "-",
    "\uf0b3": "≥", "\uf0a3": "≤", "\uf0b1": "±", "\uf0b4": "×", "\uf0b0": "°",
}  # fmt: skip
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_MARKER = re.compile(r"^(?:[•▪◦●○■□➢►‣∙·→\-–—*]|\d{1,2}[.)]|\(?[a-z][.)])$")
_LEADING_ARROW = re.compile(r"^[→➔➜➢►]\s*")
# Pieces closer than this on one baseline are one line whatever pdfminer made of them.
_SAME_BASELINE = 2.5
_GUTTER_MIN = 8.0
_CROSSING_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One line of text on a page, with where it stands and how it is set."""

    page: int
    """Page number, from 1."""
    text: str
    x0: float
    x1: float
    top: float
    """Distance of the line's top from the top of the page, in points."""
    bottom: float
    """Distance of the line's baseline area bottom from the top of the page."""
    size: float
    """The font size most of its characters have."""
    bold: bool
    """Most of its letters are set in a bold font."""
    page_height: float = 842.0

    @property
    def height(self) -> float:
        return self.bottom - self.top


def glyph_text(text: str) -> str:
    """Private-use glyphs as the characters they draw; a bullet or arrow in front as `•`."""
    text = "".join(_PRIVATE_GLYPHS.get(c, c) for c in text)
    text = _PRIVATE.sub("", text)
    return _LEADING_ARROW.sub("• ", text.strip())


def is_marker(text: str) -> bool:
    return bool(_MARKER.match(text.strip()))


def _rows(lines: list[PdfLine]) -> list[list[PdfLine]]:
    """Lines grouped by baseline, top to bottom; each row left to right."""
    rows: list[list[PdfLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.bottom, ln.x0)):
        if rows and abs(rows[-1][0].bottom - line.bottom) <= _SAME_BASELINE:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def _merge_markers(lines: list[PdfLine]) -> list[PdfLine]:
    """A marker alone on its baseline joins the text to its right."""
    merged: list[PdfLine] = []
    for row in _rows(lines):
        pending: PdfLine | None = None
        for line in row:
            if pending is not None:
                line = replace(line, text=f"{pending.text} {line.text}", x0=pending.x0)
                pending = None
            if is_marker(line.text):
                pending = line
            else:
                merged.append(line)
        if pending is not None:
            merged.append(pending)
    return merged


def _gutter(lines: list[PdfLine]) -> float | None:
    """The x of a gap between two columns of text, if the page has one."""
    if len(lines) < 6:
        return None
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    best: tuple[int, float] | None = None
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        crossing = sum(
            1 for ln in lines if ln.x0 < x - _GUTTER_MIN / 2 and ln.x1 > x + _GUTTER_MIN / 2
        )
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    if best is None:
        return None
    crossing, x = best
    lefts = [ln for ln in lines if ln.x1 <= x]
    rights = [ln for ln in lines if ln.x0 >= x]
    # Both sides must carry several lines of their own: a table's narrow label column, or a
    # lone page number beside the text, is not a column.
    if crossing > _CROSSING_SHARE * len(lines) or len(lefts) < 3 or len(rights) < 3:
        return None
    if min(_extent(lefts), _extent(rights)) < 0.3 * width:
        return None
    return x


def _extent(lines: list[PdfLine]) -> float:
    return max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)


def reading_order(lines: list[PdfLine]) -> list[PdfLine]:
    """The page's lines in the order they are read; table rows joined into one line each."""
    lines = _merge_markers(lines)
    gutter = _gutter(lines)
    if gutter is None:
        return _single_column(lines)
    ordered: list[PdfLine] = []
    band: list[PdfLine] = []
    for row in _rows(lines):
        crossing = [ln for ln in row if ln.x0 < gutter < ln.x1]
        if crossing:
            ordered += _columns(band, gutter)
            band = []
            ordered += _single_column(row)
        else:
            band += row
    return ordered + _columns(band, gutter)


def _columns(band: list[PdfLine], gutter: float) -> list[PdfLine]:
    left = [ln for ln in band if ln.x1 <= gutter]
    right = [ln for ln in band if ln.x1 > gutter]
    return _single_column(left) + _single_column(right)


def _single_column(lines: list[PdfLine]) -> list[PdfLine]:
    result: list[PdfLine] = []
    for row in _rows(lines):
        if len(row) == 1:
            result.append(row[0])
            continue
        cells = [cell.text.rstrip() for cell in row]
        joined = cells[0]
        for cell in cells[1:]:
            joined += (" " if joined.endswith((":", ",", ";")) else ", ") + cell
        first = row[0]
        result.append(
            replace(
                first,
                text=joined if is_marker(cells[0].split(" ")[0]) else f"• {joined}",
                x1=max(c.x1 for c in row),
                bold=all(c.bold for c in row),
            )
        )
    return result


def body_size(lines: list[PdfLine]) -> float:
    """The type size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
