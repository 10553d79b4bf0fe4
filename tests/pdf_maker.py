"""Small PDFs written byte by byte, for what reportlab cannot make: Word's private-use bullets.

Word sets a bullet in the Symbol font, and its text comes out of the PDF as U+F0B7, a
private-use character. Here a Helvetica font whose encoding names code 183 `uniF0B7` does the
same. Text is placed line by line at given positions, in Helvetica, Helvetica-Bold or that
bullet font; letters are encoded as WinAnsi, which holds æøå, ñ and á.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
BULLET = "\uf0b7"


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    bold: bool = False
    size: float = 11


def _escape(text: str) -> bytes:
    raw = text.replace(BULLET, "\xb7").encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[Text]) -> bytes:
    out = [b"BT"]
    for line in lines:
        font = b"/F3" if line.text == BULLET else (b"/F2" if line.bold else b"/F1")
        out.append(font + b" %g Tf 1 0 0 1 %g %g Tm (" % (line.size, line.x, line.y))
        out[-1] += _escape(line.text) + b") Tj"
    out.append(b"ET")
    return b"\n".join(out)


def write_pdf(path: Path, pages: list[list[Text]], title: str | None = None) -> Path:
    """A PDF with one page per list of lines."""
    objects: list[bytes] = []
    fonts = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding "
        b"/WinAnsiEncoding /Differences [183 /uniF0B7] >> >>",
    )
    first_page = 3 + len(fonts)
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages))).encode()
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages))
    objects.extend(fonts)
    for i, lines in enumerate(pages):
        content = _content(lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << "
            b"/F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, first_page + 2 * i + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    info = None
    if title:
        objects.append(b"<< /Title (" + _escape(title) + b") >>")
        info = len(objects)
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    trailer += b" /Info %d 0 R >>" % info if info else b" >>"
    data += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(data))
    return path


def flow(lines: list[tuple[str, bool]], top: float = 780, x: float = 72) -> list[Text]:
    """Lines set one under the other; a bullet item (`\\uf0b7 text`) as Word sets it: the
    glyph, then its text further right on the same baseline. A blank line leaves a gap."""
    placed: list[Text] = []
    y = top
    for text, bold in lines:
        if not text:
            y -= 13
            continue
        if text.startswith(BULLET):
            placed.append(Text(x, y, BULLET))
            placed.append(Text(x + 18, y, text[1:].strip(), bold))
        else:
            placed.append(Text(x, y, text, bold))
        y -= 13
    return placed
