"""HTML pages (files and web addresses), Word documents and FHIR ePI bundles."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fhir.resources.bundle import Bundle

from audioleaflet.cli import cli
from tests.conftest import runner

BOILERPLATE_PAGE = """<!DOCTYPE html>
<html lang="da"><head><title>Medix 5 mg tabletter - Apoteket</title>
<script>var tracking = "Tag aldrig dette";</script><style>p {color: red}</style></head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>Vi bruger cookies til statistik.</p>
<button>Accepter alle cookies</button></div>
<header><nav><ul><li><a href="/">Forside</a></li><li><a href="/produkter">Produkter</a></li>
<li><a href="/kontakt">Kontakt os</a></li></ul></nav></header>
<main><article>
<h1>Indlægsseddel: Information til brugeren</h1>
<h2>Medix 5 mg tabletter<br>paracetamol</h2>
<p>Læs denne indlægsseddel grundigt, inden du begynder at tage dette lægemiddel, da den
indeholder vigtige oplysninger.</p>
<!-- Husk at opdatere afsnit 4 -->
<img src="logo.png" alt="logo">
<img src="dosis.png" alt="Tag en tablet med et glas vand hver morgen">
<h2>1. Virkning og anvendelse</h2><p>Medix bruges mod hovedpine og feber hos voksne.</p>
<h2>2. Det skal du vide, før du begynder at tage Medix</h2>
<h3>Tag ikke Medix</h3><ul><li>hvis du er allergisk over for paracetamol.</li>
<li>hvis du har en alvorlig leversygdom.</li></ul>
<h2>3. Sådan skal du tage Medix</h2>
<table><tr><th>Alder</th><th>Dosis</th></tr><tr><td>Voksne</td><td>2 tabletter</td></tr></table>
<h2>4. Bivirkninger</h2><p>Medix kan som alle andre lægemidler give bivirkninger.</p>
<h2>5. Opbevaring</h2><p>Opbevares utilgængeligt for børn.</p>
<h2>6. Pakningsstørrelser og yderligere oplysninger</h2>
<h3>Indehaver af markedsføringstilladelsen</h3><p>Medix Pharma A/S, Vej 1, 2100 København</p>
<p>Denne indlægsseddel blev senest ændret marts 2025.</p>
</article></main>
<aside><h3>Populære produkter</h3><ul><li><a href="/a">Hostesaft til børn</a></li></ul></aside>
<footer><p>© 2025 Apoteket A/S. Alle rettigheder forbeholdes.</p><p>CVR 12345678</p></footer>
</body></html>
"""
DANISH_SECTIONS = [
    "1. Virkning og anvendelse",
    "2. Det skal du vide, før du begynder at tage Medix",
    "3. Sådan skal du tage Medix",
    "4. Bivirkninger",
    "5. Opbevaring",
    "6. Pakningsstørrelser og yderligere oplysninger",
]


def _run(*args: str) -> str:
    result = runner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def _said(script: str) -> list[str]:
    return [line[4:] for line in script.splitlines() if line.startswith(("  + ", "  = "))]


def _sections(listing: str) -> list[str]:
    return [line.split(". ", 1)[1].rsplit(" (", 1)[0] for line in listing.splitlines()[1:]]


def _fails(args: list[str], message: str) -> None:
    result = runner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_a_web_page_loses_its_boilerplate_not_its_leaflet(tmp_path: Path) -> None:
    page = tmp_path / "medix.html"
    page.write_text(BOILERPLATE_PAGE, encoding="utf-8")
    listing = _run("chapters", str(page))
    assert listing.startswith("Medix 5 mg tabletter [da]")  # the lang attribute, the QRD title
    assert [s for s in _sections(listing) if s[0].isdigit()] == DANISH_SECTIONS
    script = _run("script", str(page), "--diff")
    said = "\n".join(_said(script))
    for gone in ("cookies", "Forside", "Produkter", "Hostesaft", "CVR", "Apoteket A/S",
                 "tracking", "color", "opdatere afsnit", "logo"):  # fmt: skip
        assert gone not in said, gone
    assert "Tag en tablet med et glas vand hver morgen" in said
    assert "Voksne, to tabletter" in said
    assert "web-page boilerplate: Vi bruger cookies til statistik." in script
    assert "comment in the markup: Husk at opdatere afsnit 4" in script
    assert "image caption: logo" in script
    assert "Fra Medix Pharma A/S." in said  # the holder, from the leaflet's own words


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[str]:
    """A local web server with the page, for the fetching code (no network beyond this)."""
    (tmp_path / "medix.html").write_text(BOILERPLATE_PAGE, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_web_address_is_fetched_and_read(web_server: str) -> None:
    listing = _run("chapters", f"{web_server}/medix.html")
    assert listing.startswith("Medix 5 mg tabletter [da]")
    assert [s for s in _sections(listing) if s[0].isdigit()] == DANISH_SECTIONS
    _fails(["chapters", f"{web_server}/missing.html"], "the server answered 404")


def test_an_unreachable_address_is_one_line() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    _fails(["chapters", f"http://127.0.0.1:{port}/leaflet.html"], "cannot fetch the page")


def word_document(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.language = "en"
    document.add_paragraph("Package leaflet: Information for the patient", style="Title")
    document.add_paragraph("Medicine 150 mg film-coated tablets")
    document.add_paragraph("Read all of this leaflet carefully.")
    document.add_paragraph("Keep this leaflet.", style="List Bullet")
    document.add_paragraph("Ask your pharmacist.", style="List Bullet")
    sections = ["1. What Medicine is and what it is used for",
                "2. What you need to know before you take Medicine", "3. How to take Medicine",
                "4. Possible side effects", "5. How to store Medicine",
                "6. Contents of the pack and other information"]  # fmt: skip
    for number, heading in enumerate(sections, 1):
        document.add_heading(heading, level=1)
        if number == 3:
            document.add_heading("The recommended dose", level=2)
            table = document.add_table(rows=2, cols=2)
            for (row, col), text in {(0, 0): "Age", (0, 1): "Dose", (1, 0): "Adults",
                                     (1, 1): "2 tablets"}.items():  # fmt: skip
                table.cell(row, col).text = text
        document.add_paragraph(f"Section {number} of the leaflet tells you about Medicine.")
    document.add_paragraph("This leaflet was last revised in March 2025.")
    document.save(str(path))
    return _with_footnote(path)


def _with_footnote(path: Path) -> Path:
    """python-docx cannot write footnotes: add one to the XML, as Word writes it."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["word/document.xml"].decode()
    body = body.replace(
        "Read all of this leaflet carefully.</w:t></w:r>",
        'Read all of this leaflet carefully.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
    )
    parts["word/document.xml"] = body.encode()
    parts["word/footnotes.xml"] = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
        '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Ask '
        "again if anything is unclear.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_word_document_gives_headings_lists_tables_and_notes(tmp_path: Path) -> None:
    path = word_document(tmp_path / "medicine.docx")
    listing = _run("chapters", str(path))
    assert listing.startswith("Medicine 150 mg film-coated tablets [en]")
    assert next(s for s in _sections(listing) if s[0].isdigit()).startswith("1. What Medicine")
    assert len([s for s in _sections(listing) if s[0].isdigit()]) == 6
    script = _run("script", str(path), "--diff")
    said = _said(script)
    assert "Keep this leaflet." in said and "Age, Dose" in said and "Adults, two tablets" in said
    assert "Note: Ask again if anything is unclear." in said
    assert "The recommended dose" in said
    assert "Published on the first of March twenty twenty-five." in said


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 1_000_000
            for _ in range(150):
                member.write(chunk)
    assert path.stat().st_size < 1_000_000
    _fails(["chapters", str(path), "--lang", "en"], "a zip bomb, or not a leaflet")


def test_a_doc_file_named_docx_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _fails(["chapters", str(path), "--lang", "en"], "is not a Word document")


def epi_bundle(lang: str = "it") -> dict[str, object]:
    """A small ePI made here: Italian QRD sections, the title under the opening line."""
    headings = ["1. Che cos'è Medix e a cosa serve",
                "2. Cosa deve sapere prima di prendere Medix", "3. Come prendere Medix",
                "4. Possibili effetti indesiderati", "5. Come conservare Medix",
                "6. Contenuto della confezione e altre informazioni"]  # fmt: skip
    div = '<div xmlns="http://www.w3.org/1999/xhtml">{}</div>'
    sections = [{"title": "Package leaflet", "text": {"status": "generated", "div": div.format(
        "<p>Foglio illustrativo: informazioni per il paziente</p>"
        "<p>Medix 500 mg compresse</p><ul><li>Conservi questo foglio.</li></ul>")}}]  # fmt: skip
    for number, heading in enumerate(headings, 1):
        body = f"<p>La sezione {number} parla di Medix.</p>"
        if number == 3:
            body += "<table><tr><td>Adulti</td><td>2 compresse</td></tr></table>"
        if number == 4:  # inline elements straight in the div, as real bundles have them
            body += "<strong>Importante:</strong> <span>informi il medico</span><span>.</span>"
        if number == 5:  # Greek letters a converter lost
            body += "<p><span>????????</span></p><p>Medix Hellas ???.</p>"
        sections.append(
            {"title": heading, "text": {"status": "generated", "div": div.format(body)}}
        )
    composition = {
        "resourceType": "Composition", "id": "c1", "status": "final", "language": lang,
        "type": {"text": "Package leaflet"}, "date": "2025-03-01", "title": "Medix 500 mg",
        "author": [{"reference": "Organization/o1"}],
        "section": [{"title": "B. FOGLIO ILLUSTRATIVO", "section": sections}],
    }  # fmt: skip
    organisation = {"resourceType": "Organization", "id": "o1", "name": "Medix Italia S.p.A."}
    return {
        "resourceType": "Bundle", "id": "b1", "type": "document",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:1"},
        "timestamp": "2025-03-01T00:00:00Z",
        "entry": [{"fullUrl": "urn:uuid:c1", "resource": composition},
                  {"fullUrl": "urn:uuid:o1", "resource": organisation}],
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["json", "xml"])
def test_an_epi_bundle_gives_its_sections(tmp_path: Path, kind: str) -> None:
    bundle = epi_bundle()
    path = tmp_path / f"medix.{kind}"
    if kind == "json":
        path.write_text(json.dumps(bundle), encoding="utf-8")
    else:
        path.write_bytes(Bundle.model_validate(bundle).model_dump_xml())
    listing = _run("chapters", str(path))
    assert listing.startswith("Medix 500 mg compresse [it]")
    sections = [s for s in _sections(listing) if s[0].isdigit()]
    assert sections[0] == "1. Che cos'è Medix e a cosa serve" and len(sections) == 6
    script = _run("script", str(path), "--diff")
    said = _said(script)
    assert "Importante: informi il medico." in said
    assert "Medix Hellas." in said and "no words (only punctuation" in script
    said_by = [line for line in said if line.startswith("Da Medix Italia")]
    assert said_by and not said_by[0].endswith("..")  # one full stop, not two
    assert "Adulti, due compresse" in said
    assert not any("FOGLIO ILLUSTRATIVO" in line for line in said)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.update(type="collection"), "Bundle of type 'collection'"),
        (lambda b: b.update(entry=b["entry"][1:]), "no Composition first"),
        (lambda b: b.update(resourceType="Composition"), "is a FHIR Composition"),
    ],
)
def test_a_bundle_that_is_not_an_epi_is_one_line(
    tmp_path: Path, change: object, message: str
) -> None:
    bundle = epi_bundle()
    change(bundle)  # type: ignore[operator]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    _fails(["chapters", str(path), "--lang", "it"], message)


@pytest.mark.slow  # builds; the rest of this module only reads documents
def test_a_language_with_part_of_its_data_builds_with_a_warning(tmp_path: Path) -> None:
    """Portuguese: numbers, dates and the QRD headings; a warning names what is missing."""
    text = tmp_path / "folheto.pt.txt"
    text.write_text(
        "Folheto informativo: informação para o doente\n\nMedix 500 mg comprimidos\n\n"
        "1. O que é Medix e para que é utilizado\nMedix trata dores de cabeça.\n\n"
        "2. O que precisa de saber antes de tomar Medix\nTome 2 comprimidos por dia.\n",
        encoding="utf-8",
    )
    listing = _run("chapters", str(text))
    assert listing.startswith("Medix 500 mg comprimidos [pt]")
    said = _said(_run("script", str(text), "--diff"))
    assert "Medix quinhentos miligramas comprimidos" in said
    assert "Tome dois comprimidos por dia." in said
    result = runner().invoke(cli, ["build", str(text), "--outputs", "mp3", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "warning: Portuguese has no data yet for unit words" in result.stderr
    assert (tmp_path / "pt" / "folheto.mp3").stat().st_size > 10_000
