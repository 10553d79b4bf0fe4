"""`check` on the web edition of a real build: every page names its language, every link
resolves, every QR code decodes to its page; and a build without base_url makes no QR code."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import lxml.html
import segno

from audioleaflet.cli import cli
from audioleaflet.layout import OutputLayout
from audioleaflet.verify.web import web_rows
from tests.conftest import runner
from tests.leaflet_builds import SPECIAL_CHARACTERS_MD


def _copy(build: Path, tmp_path: Path) -> Path:
    """The build, hard-linked: a file changed must be replaced, never written through."""
    copy = tmp_path / "out"
    shutil.copytree(build, copy, copy_function=os.link)
    return copy


def _replace(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


def test_the_web_edition_of_content_passes(content_build: Path) -> None:
    rows = web_rows(content_build)
    assert rows and all(row.ok for row in rows), [row for row in rows if not row.ok]
    pages = OutputLayout(content_build).pages()
    assert len(pages) == 1 + 3 + 6
    assert sum(row.check == "QR code" for row in rows) == 6
    assert sum(row.check == "page links" for row in rows) == len(pages)


def test_a_broken_link_a_page_without_language_and_a_wrong_qr_code_fail(
    content_build: Path, tmp_path: Path
) -> None:
    out = _copy(content_build, tmp_path)
    page = out / "en" / "hand-hygiene.html"
    html = page.read_text(encoding="utf-8")
    _replace(page, html.replace('href="hand-hygiene.m4b"', 'href="gone.m4b"').encode())
    front = out / "index.html"
    _replace(front, front.read_bytes().replace(b'<html lang="da">', b"<html>", 1))
    qr = out / "da" / "hand-hygiene.qr.png"
    qr.unlink()
    segno.make("https://elsewhere.example/").save(str(qr), scale=10)
    failed = {(row.file, row.check): row.detail for row in web_rows(out) if not row.ok}
    assert failed == {
        ("en/hand-hygiene.html", "page links"): "gone.m4b leads to no file of the folder",
        ("index.html", "page language"): "no <html lang>",
        ("da/hand-hygiene.qr.png", "QR code"): "decodes to ['https://elsewhere.example/'], not "
        "https://leaflets.example.org/audio/da/hand-hygiene.html",
    }
    result = runner().invoke(cli, ["check", str(out)])
    assert result.exit_code == 1 and "gone.m4b" in result.output


def test_without_base_url_a_note_says_so_and_no_qr_code_is_made(tmp_path: Path) -> None:
    source = tmp_path / "leaflets" / "da-tegn.md"
    source.parent.mkdir()
    source.write_text(SPECIAL_CHARACTERS_MD, encoding="utf-8")
    out = tmp_path / "out"
    result = runner().invoke(cli, ["build", str(source.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "QR" in line]
    assert len(notes) == 1 and "base_url" in notes[0]
    assert not list(out.rglob("*.qr.*"))
    page = out / "da" / "tegn.html"
    tree = lxml.html.parse(str(page)).getroot()
    assert tree.get("lang") == "da" and not tree.xpath("//img")
    chapters = [h.text_content() for h in tree.iter("h3")]
    assert chapters == ["Tegn & symboler", "Før & efter <måltidet>", "Dosis < 5 mg"]
    assert all(row.ok for row in web_rows(out))
    # The web edition can be left out, and then its pages go with the rest of the set.
    result = runner().invoke(cli, ["build", str(source.parent), "-o", str(out), "--outputs",
                                   "mp3"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not list(out.rglob("*.html")) and "QR" not in result.stderr
