"""Word documents (.docx) -> headings and blocks, with python-docx.

Headings are the paragraphs in Word's "Title" and "Heading N" styles (python-docx reports the
built-in names in English whatever the language of Word that wrote them); list paragraphs
(numbered or bulleted, by style or numbering) are list items; tables are read row by row;
footnotes are kept and spoken as notes at the end of their chapter, like the Markdown
reader's. A DOCX is a zip file: its directory is checked before anything is inflated, so a
zip bomb (a few kilobytes that inflate to gigabytes) is refused in one line.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from audioleaflet.errors import InputError
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.model import Block, BlockKind
from audioleaflet.readers.formats import DocumentInfo, Part, ReadFile, need
from audioleaflet.readers.qrd import holder, leaflet_title, revised
from audioleaflet.readers.structure import Item
from audioleaflet.text.lines import NOTE_GAP

# A leaflet's XML is a few megabytes; images are kept in the zip but never inflated.
MAX_XML_BYTES = 100_000_000
MAX_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list", re.IGNORECASE)


def _check_zip(path: Path) -> None:
    """Refuse what is not a DOCX, or would inflate beyond reason, before inflating it."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(
            f"{path}: is not a Word document (.docx files are zip archives, this is not one; "
            "an old .doc file must be saved as .docx first)"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise InputError(f"{path}: is a zip archive but not a Word document (no word/document.xml)")
    xml = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
    total = sum(e.file_size for e in xml)
    packed = sum(e.compress_size for e in xml) or 1
    if total > MAX_XML_BYTES or (total > 10_000_000 and total / packed > MAX_RATIO):
        raise InputError(
            f"{path}: would inflate to {total / 1e6:.0f} MB of XML from {packed / 1e6:.1f} MB "
            "(a zip bomb, or not a leaflet); refused without unpacking it"
        )


def read_docx(path: Path) -> ReadFile:
    """The leaflet in a Word document."""
    need("docx", "Word documents")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx's errors for damaged packages
        raise InputError(f"{path}: cannot be read as a Word document ({exc})") from None
    notes = _footnotes(path)
    items: list[Item] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            _paragraph(Paragraph(element, document), items, notes)
        elif element.tag == f"{_W}tbl":
            _table(Table(element, document), items)
    if not items:
        raise InputError(f"{path}: the document has no text")
    lines = [block.text for _level, block in items]
    core = document.core_properties
    title = leaflet_title(lines) or normalise_spaces(core.title or "") or None
    info = DocumentInfo(
        title=title,
        # Not core.author: that is whoever typed the file (or "python-docx").
        organisation=holder(lines),
        date=revised(lines),
        version=normalise_spaces(core.version or "") or None,
    )
    part = Part(label="", title=title, info=info, items=tuple(items))
    lang = normalise_spaces(core.language or "") or None
    return ReadFile("DOCX", (part,), lang=lang, lang_source="the document's language property")


def _paragraph(paragraph: Any, items: list[Item], notes: dict[str, str]) -> None:
    text, cited = _runs(paragraph, notes)
    lines = [normalise_spaces(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return
    style = paragraph.style.name if paragraph.style is not None else ""
    heading = _HEADING.match(style or "")
    if style == "Title" or heading:
        level = int(heading[1]) + 1 if heading else 1
        items.append((level, Block(BlockKind.SUBHEADING, " ".join(lines))))
    else:
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        listed = numbered or bool(_LIST_STYLE.search(style or ""))
        kind = BlockKind.LIST_ITEM if listed else BlockKind.PARAGRAPH
        if listed:
            items.append((0, Block(kind, " ".join(lines))))
        else:
            items += [(0, Block(kind, line)) for line in lines]
    for number in cited:
        items.append((0, Block(BlockKind.PARAGRAPH, f"*{NOTE_GAP}{notes[number]}")))


def _runs(paragraph: Any, notes: dict[str, str]) -> tuple[str, list[str]]:
    """A paragraph's text with its line breaks and footnote marks, and the notes it cites."""
    text = ""
    cited: list[str] = []
    for node in paragraph._p.iter():
        if node.tag == f"{_W}t":
            text += node.text or ""
        elif node.tag == f"{_W}tab":
            text += " "
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            text += "\n"
        elif node.tag == f"{_W}footnoteReference":
            number = node.get(f"{_W}id", "")
            if number in notes:
                cited.append(number)
                text += f"[^{number}]"
    return text, cited


def _table(table: Any, items: list[Item]) -> None:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = normalise_spaces(" ".join(p.text for p in cell.paragraphs))
            if text and (not cells or cells[-1] != text):  # merged cells repeat
                cells.append(text)
        if cells:
            items.append((0, Block(BlockKind.LIST_ITEM, ", ".join(cells))))


def _footnotes(path: Path) -> dict[str, str]:
    """Footnote id -> its text, from word/footnotes.xml (checked in size already)."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return {}
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    notes: dict[str, str] = {}
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator"):
            continue
        text = normalise_spaces(" ".join(t.text or "" for t in note.iter(f"{_W}t")))
        if text:
            notes[str(note.get(f"{_W}id"))] = text
    return notes
