"""PDF -> leaflets, with pdfminer.six.

pdfminer.six (MIT) is used rather than pypdf (BSD): both keep æøå and report font sizes, but
pdfminer gives every line's position on the page, which is what reading order (two columns,
bullets drawn apart from their text, table rows), running headers and footers by position,
and headings by type size and weight are decided from. PyMuPDF is AGPL and is not used.

Pages are read one at a time and only their text lines are kept, so a 300-page PDF reads in
flat memory. Page numbers and running headers or footers are taken out by where they stand
(the outer lines of the page, repeated on many pages); the plain-text reader then undoes line
wraps and hyphenation and finds the chapters, as for text pasted from a PDF, with the lines the
layout shows as headings (bold or larger, short, no final punctuation) given to it as such.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from audioleaflet.errors import InputError
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.model import Reason, Removal
from audioleaflet.readers.ema import LeafletLines, split_leaflets
from audioleaflet.readers.formats import DocumentInfo, Part, ReadFile, need
from audioleaflet.readers.pdf_layout import PdfLine, body_size, glyph_text, reading_order
from audioleaflet.readers.plaintext import heading_strength
from audioleaflet.readers.qrd import holder, is_leaflet_start, leaflet_title, revised
from audioleaflet.text.lines import ends_sentence, is_bullet
from audioleaflet.text.vocabulary import all_vocabularies

_MARGIN = 0.1
_PAGE_NUMBER = re.compile(
    r"(?:page|side|seite|página|pagina|sida|pagina)?\s*\d{1,4}"
    r"(?:\s*(?:of|/|af|de|di|von|sur|av|van|z)\s*\d{1,4})?",
    re.IGNORECASE,
)
_LARGER = 1.15
_HEADING_CHARS = 120


def _sniff(path: Path) -> None:
    """A file named .pdf that is not one, or was cut short, is refused before parsing."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if b"%PDF-" not in head:
        lowered = head.lstrip().lower()
        if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
            raise InputError(
                f"{path}: is named .pdf but is a web page (HTML), perhaps a download or login "
                "page saved instead of the PDF; download the PDF itself, or rename it .html"
            )
        raise InputError(f"{path}: is named .pdf but is not a PDF; check that it is the leaflet")
    if b"%%EOF" not in tail:
        raise InputError(
            f"{path}: is incomplete (it does not end the way every PDF ends, so the download "
            "or copy was cut short); download it again"
        )


def _extract(path: Path) -> tuple[list[PdfLine], dict[str, str]]:
    """Every text line of every page, and the document's metadata (Title, Author, Lang)."""
    need("pdfminer", "PDF files")
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTPage, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    lines: list[PdfLine] = []
    meta: dict[str, str] = {}
    laparams = LAParams(line_margin=0.3, boxes_flow=None, all_texts=True)
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle), password="")
            meta = _metadata(document)
            manager = PDFResourceManager()
            device = PDFPageAggregator(manager, laparams=laparams)
            interpreter = PDFPageInterpreter(manager, device)
            for number, page in enumerate(PDFPage.create_pages(document), 1):
                interpreter.process_page(page)
                layout: LTPage = device.get_result()
                pending: list[Any] = [layout]
                while pending:
                    item = pending.pop()
                    if isinstance(item, LTTextLine):
                        line = _line(item, number, layout.height, LTChar)
                        if line is not None:
                            lines.append(line)
                    elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
                        pending.extend(reversed(list(item)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(
            f"{path}: is protected by a password; save an unprotected copy (print to PDF, "
            "or ask the publisher) and read that"
        ) from None
    except InputError:
        raise
    except Exception as exc:  # pdfminer's syntax errors have no common base worth naming
        raise InputError(
            f"{path}: cannot be read as a PDF ({type(exc).__name__}: {exc}); the file is "
            "damaged or incomplete: download it again"
        ) from None
    return lines, meta


def _metadata(document: Any) -> dict[str, str]:
    from pdfminer.pdftypes import resolve1

    meta: dict[str, str] = {}
    for info in document.info or []:
        for key in ("Title",):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                from pdfminer.utils import decode_text

                value = decode_text(value)
            if isinstance(value, str) and value.strip():
                meta[key] = normalise_spaces(value)
    lang = resolve1(document.catalog.get("Lang"))
    if isinstance(lang, bytes):
        meta["Lang"] = lang.decode("latin-1").strip()
    return meta


def _line(item: Any, page: int, height: float, char_type: type) -> PdfLine | None:
    chars: list[Any] = [c for c in item if isinstance(c, char_type)]
    text = glyph_text(item.get_text().replace("\n", " "))
    if not chars or not normalise_spaces(text):
        return None
    sizes = Counter(round(float(c.size), 1) for c in chars)
    letters = [c for c in chars if c.get_text().isalpha()] or chars
    bold = sum(_is_bold(str(c.fontname)) for c in letters) > len(letters) / 2
    return PdfLine(
        page=page,
        text=normalise_spaces(text),
        x0=float(item.x0),
        x1=float(item.x1),
        top=height - float(item.y1),
        bottom=height - float(item.y0),
        size=sizes.most_common(1)[0][0],
        bold=bold,
        page_height=height,
    )


def _is_bold(font: str) -> bool:
    name = font.split("+")[-1].lower()
    return any(word in name for word in ("bold", "black", "heavy", "semibold", ",b"))


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(text)) or any(
        v.is_furniture(text) for v in all_vocabularies()
    )


def _page_key(text: str, page: int) -> str:
    """The line with its page's number made general ("Page 3 of 9" -> "Page # of 9"); other
    numbers stay, so "Section 2" and "Section 3" atop two pages are not one header."""
    return re.sub(rf"(?<!\d){page}(?!\d)", "#", text)


def _furniture(lines: list[PdfLine]) -> tuple[list[PdfLine], list[tuple[int, Removal]]]:
    """Page numbers and running headers and footers: the outermost lines of a page, when they
    are a page number or come back (digits aside) at the same edge on many pages."""
    by_page: dict[int, list[PdfLine]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    edges: dict[int, list[tuple[str, PdfLine]]] = {}
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for page, page_lines in by_page.items():
        ordered = sorted(page_lines, key=lambda ln: ln.top)
        outer: list[tuple[str, PdfLine]] = [
            ("top", ln) for ln in ordered[:2] if ln.top < _MARGIN * ln.page_height
        ]
        outer += [
            ("bottom", ln)
            for ln in ordered[-2:]
            if ln.bottom > (1 - _MARGIN) * ln.page_height and ln.top >= _MARGIN * ln.page_height
        ]
        edges[page] = outer
        for side, edge in outer:
            seen[(side, _page_key(edge.text, page))].add(page)
    need_pages = max(2, math.ceil(0.4 * len(by_page)))
    why: dict[int, Reason] = {}
    for page, page_edges in edges.items():
        for side, edge in page_edges:
            if _is_page_number(edge.text):
                why[id(edge)] = Reason.PAGE_NUMBER
            elif len(seen[(side, _page_key(edge.text, page))]) >= need_pages and not (
                ends_sentence(edge.text) or is_bullet(edge.text)
            ):
                why[id(edge)] = Reason.RUNNING_HEADER
    kept = [line for line in lines if id(line) not in why]
    removed = [(ln.page, Removal(why[id(ln)], ln.text)) for ln in lines if id(ln) in why]
    return kept, removed


def _part_text(lines: list[PdfLine], body: float, title: str | None) -> tuple[str, frozenset[str]]:
    """Plain text: a blank line between paragraphs, a form feed between pages; and the lines
    that are headings by their look."""
    paragraphs: list[list[PdfLine]] = []
    for line in lines:
        previous = paragraphs[-1][-1] if paragraphs else None
        same = (
            previous is not None
            and previous.page == line.page
            and -0.5 * line.size < line.top - previous.bottom < 0.6 * line.size
        )
        if same:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    out: list[str] = []
    headings: set[str] = set()
    page = lines[0].page if lines else 0
    for paragraph in paragraphs:
        if paragraph[0].page != page:
            out.append("\f")
            page = paragraph[0].page
        joined = normalise_spaces(" ".join(ln.text for ln in paragraph))
        looks = all(ln.bold or ln.size >= _LARGER * body for ln in paragraph)
        if (
            looks
            and len(joined) <= _HEADING_CHARS
            and heading_strength(joined)
            and not is_leaflet_start(joined)
            and joined != title
        ):
            headings.add(joined)
            out.append(joined)
        else:
            out.append("\n".join(ln.text for ln in paragraph))
        out.append("")
    return "\n".join(out), frozenset(headings)


def read_pdf(path: Path) -> ReadFile:
    """The package leaflets in a PDF: one part per leaflet of an EMA document, else one."""
    _sniff(path)
    raw, meta = _extract(path)
    if not raw:
        raise InputError(
            f"{path}: has no text to read, only images (a scanned PDF); ask for a PDF with "
            "text, or run it through OCR first (e.g. ocrmypdf) and read the result"
        )
    kept, furniture = _furniture(raw)
    pages: dict[int, list[PdfLine]] = defaultdict(list)
    for line in kept:
        pages[line.page].append(line)
    ordered = [line for page in sorted(pages) for line in reading_order(pages[page])]
    body = body_size(ordered)
    split = split_leaflets(ordered)
    count = len(split.leaflets)
    parts = []
    for number, leaflet in enumerate(split.leaflets, 1):
        own = tuple(r for page, r in furniture if leaflet.first_page <= page <= leaflet.last_page)
        parts.append(_part(leaflet, number, count, body, meta, (*split.skipped, *own)))
    return ReadFile("PDF", tuple(parts), lang=meta.get("Lang"), lang_source="the PDF's Lang entry")


def _part(
    leaflet: LeafletLines,
    number: int,
    count: int,
    body: float,
    meta: dict[str, str],
    removed: tuple[Removal, ...],
) -> Part:
    texts = [line.text for line in leaflet.lines]
    title = leaflet_title(texts) or meta.get("Title")
    text, headings = _part_text(leaflet.lines, body, title)
    pages = f"pages {leaflet.first_page}-{leaflet.last_page}"
    label = f"package leaflet {number} of {count}, {pages}" if count > 1 else pages
    return Part(
        label=label,
        title=title,
        info=DocumentInfo(
            title=title,
            # Not the PDF's Author: that is usually a person's or a program's name.
            organisation=holder(texts),
            date=revised(texts),
        ),
        text=text,
        headings=headings,
        removed=removed,
    )
