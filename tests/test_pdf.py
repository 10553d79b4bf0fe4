"""PDF leaflets: EMA product information split into its package leaflets, two columns, page
furniture by position, private-use bullets, hyphenation, tables; and broken PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Table

from audioleaflet.cli import cli
from audioleaflet.readers.sources import find_leaflets
from tests.conftest import runner
from tests.pdf_maker import BULLET, Text, flow, write_pdf

SECTIONS = {
    "da": (
        "Indlægsseddel: Information til patienten",
        "B. INDLÆGSSEDDEL",
        ("BILAG I", "PRODUKTRESUMÉ", "4.2 Dosering og administration",
         "Den anbefalede dosis til voksne er 150 mg dagligt."),
        ("1. Virkning og anvendelse",
         "2. Det skal du vide, før du begynder at tage Medix",
         "3. Sådan skal du tage Medix", "4. Bivirkninger", "5. Opbevaring",
         "6. Pakningsstørrelser og yderligere oplysninger"),
        "filmovertrukne tabletter",
        ("Medix bruges til behandling af hovedpine hos voksne, og behand-",
         "lingen varer højst tre dage. Tal med lægen, hvis det ikke hjælper."),
        "Tag ikke Medix, hvis du er allergisk over for indholdsstofferne.",
    ),
    "es": (
        "Prospecto: información para el paciente",
        "B. PROSPECTO",
        ("ANEXO I", "FICHA TÉCNICA", "4.2 Posología y forma de administración",
         "La dosis recomendada en adultos es de 150 mg al día."),
        ("1. Qué es Medix y para qué se utiliza",
         "2. Qué necesita saber antes de empezar a tomar Medix",
         "3. Cómo tomar Medix", "4. Posibles efectos adversos", "5. Conservación de Medix",
         "6. Contenido del envase e información adicional"),
        "comprimidos recubiertos con película",
        ("Medix se utiliza para tratar el dolor de cabeza en adultos, y el trata-",
         "miento dura como máximo tres días. Consulte a su médico si no mejora."),
        "No tome Medix si es alérgico a alguno de los componentes.",
    ),
}  # fmt: skip
STRENGTHS = ("150 mg", "300 mg", "450 mg")


def _page(lines: list[Text], number: int, header: str) -> list[Text]:
    """A page with a running header at the top and its number at the bottom."""
    return [Text(72, 815, header, size=8), *lines, Text(290, 30, str(number), size=8)]


def ema_pdf(path: Path, lang: str) -> Path:
    """An EMA-like product information: SmPC, labelling, then three package leaflets."""
    start, part_b, smpc, sections, form, wrapped, warning = SECTIONS[lang]
    pages = [
        flow([(smpc[0], True), (smpc[1], True)], top=500, x=250),
        flow([(smpc[2], True), ("", False), (smpc[3], False)]),
        flow([("A. " + ("ETIKETTERING" if lang == "da" else "ETIQUETADO"), True)], top=500),
        flow([(part_b, True)], top=500, x=250),
    ]
    for strength in STRENGTHS:
        first = [(start, True), (f"Medix {strength} {form}", True), ("paracetamol", False)]
        first += [("", False)]
        for number, heading in enumerate(sections, 1):
            first += [(heading, True)]
            if number == 1:
                first += [(wrapped[0], False), (wrapped[1], False)]
            elif number == 2:
                first += [(f"{BULLET} {warning}", False), (f"{BULLET} {warning}", False)]
            else:
                first += [(f"Medix {strength} er {number}.", False)]
            first += [("", False)]
            if number == 3:
                pages.append(flow(first))
                first = []
        pages.append(flow(first))
    header = "Medix – " + ("indlægsseddel" if lang == "da" else "prospecto")
    numbered = [_page(page, n, header) if n > 4 else page for n, page in enumerate(pages, 1)]
    return write_pdf(path, numbered)


def _chapters(source: Path, *args: str) -> str:
    result = runner().invoke(cli, ["chapters", str(source), *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def _script(source: Path, *args: str) -> str:
    result = runner().invoke(cli, ["script", str(source), *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def qrd_sections(output: str) -> list[list[str]]:
    """The numbered chapters of each leaflet `chapters` lists."""
    leaflets: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith(" "):
            leaflets.append([])
        elif match := re.match(r"\s+\d+\. (\d\. .*) \(\d+ sentences?\)$", line):
            leaflets[-1].append(match[1])
    return leaflets


@pytest.mark.parametrize("lang", ["da", "es"])
def test_an_ema_document_gives_each_package_leaflet_and_nothing_else(
    tmp_path: Path, lang: str
) -> None:
    pdf = ema_pdf(tmp_path / f"product-information.{lang}.pdf", lang)
    listing = _chapters(pdf)
    form = SECTIONS[lang][4]
    titles = [line.split(" [")[0] for line in listing.splitlines() if not line.startswith(" ")]
    assert titles == [f"Medix {s} {form}" for s in STRENGTHS]
    assert "package leaflet 2 of 3" in listing
    assert qrd_sections(listing) == [list(SECTIONS[lang][3])] * 3
    script = _script(pdf, "--diff")
    said = [line[4:] for line in script.splitlines() if line.startswith(("  + ", "  = "))]
    # Nothing of the SmPC or the labelling, no page furniture, no bullet glyphs.
    for absent in (*SECTIONS[lang][2], "ETIKETTERING", "ETIQUETADO", "Medix –", BULLET, "•"):
        assert not any(absent in line for line in said), absent
    assert "not the package leaflet: pages 1-4" in script
    assert "running header: Medix –" in script and "page number: 6" in script
    # The word cut at the line end is whole again; doses are words.
    assert any(("behandlingen" if lang == "da" else "tratamiento") in line for line in said)
    dose = "hundrede og halvtreds milligram" if lang == "da" else "ciento cincuenta miligramos"
    assert any(dose in line for line in said)
    # Two bullet items, each its own sentence.
    assert sum(SECTIONS[lang][6] in line for line in said) == 6


def test_each_leaflet_of_a_document_is_built_apart(tmp_path: Path) -> None:
    """Slugs come from what sets each leaflet's title apart."""
    folder = tmp_path / "medix"
    folder.mkdir()
    ema_pdf(folder / "da.pdf", "da")
    ema_pdf(folder / "es.pdf", "es")
    manifest = 'organisation = "Medix A/S"\ndate = 2026-02-01\n'
    (folder / "leaflet.toml").write_text(manifest, encoding="utf-8")
    listing = _chapters(folder)
    assert listing.count("[da]") == 3 and listing.count("[es]") == 3
    leaflets = find_leaflets([folder])
    assert [leaflet.slug for leaflet in leaflets] == ["medix-150", "medix-300", "medix-450"]
    assert all(leaflet.organisation == "Medix A/S" for leaflet in leaflets)
    assert [text.part for leaflet in leaflets for text in leaflet.texts] == [0, 0, 1, 1, 2, 2]


def test_a_bare_pdf_has_the_title_it_states(tmp_path: Path) -> None:
    pages = [flow([("Clean hands", True), ("", False), ("Wash your hands often.", False)])]
    pdf = write_pdf(tmp_path / "leaflet.en.pdf", pages, title="Clean hands in hospital")
    assert _chapters(pdf).startswith("Clean hands in hospital [en]")


def two_column_pdf(path: Path) -> Path:
    """Two columns under a title over both, a running header, page numbers, a table."""
    styles = getSampleStyleSheet()
    width, height = A4
    gutter = 24
    column = (width - 144 - gutter) / 2
    frames = [
        Frame(72, 72, column, height - 144, id="left"),
        Frame(72 + column + gutter, 72, column, height - 144, id="right"),
    ]

    def furniture(pdf: canvas.Canvas, doc: BaseDocTemplate) -> None:
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, height - 40, "Hospital of Examples - patient information")
        pdf.drawString(width / 2, 30, f"Page {doc.page} of 2")

    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(id="two", frames=frames, onPage=furniture)])
    left = [f"Left column sentence {n} tells you to wash your hands." for n in range(1, 13)]
    right = [f"Right column sentence {n} tells you to dry your hands." for n in range(1, 13)]
    story = [Paragraph("Before you wash", styles["Heading1"])]
    story += [Paragraph(" ".join(left), styles["BodyText"])]
    story += [Paragraph("After you wash", styles["Heading1"])]
    story += [Paragraph(" ".join(right), styles["BodyText"])]
    story += [PageBreak(), Paragraph("When you leave", styles["Heading1"])]
    story += [Paragraph("Wash your hands again when you leave the ward.", styles["BodyText"])]
    doc.build(story)
    return path


def test_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    pdf = two_column_pdf(tmp_path / "en-columns.pdf")
    script = _script(pdf, "--diff")
    said = [line[4:] for line in script.splitlines() if line.startswith(("  + ", "  = "))]
    order = [m[1] for line in said if (m := re.match(r"Left column sentence (\w+)", line))]
    assert order[:3] == ["one", "two", "three"] and len(order) == 12
    text = "\n".join(said)
    assert text.index("Left column sentence twelve") < text.index("After you wash")
    assert text.index("After you wash") < text.index("Right column sentence one ")
    assert "Hospital of Examples" not in text and "Page" not in text
    assert "running header: Hospital of Examples - patient information" in script
    chapters = _chapters(pdf)
    assert "Before you wash" in chapters and "After you wash" in chapters


def test_a_table_is_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "en-table.pdf"
    styles = getSampleStyleSheet()
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=[Frame(72, 72, 451, 698)])])
    rows = [["Age", "Dose"], ["Adults", "2 tablets"], ["Children over 12", "1 tablet"]]
    doc.build(
        [
            Paragraph("How much to take", styles["Heading1"]),
            Paragraph("Take the dose for your age with water.", styles["BodyText"]),
            Table(rows, colWidths=[200, 200]),
        ]
    )
    said = _script(path)
    assert "Age, Dose" in said
    assert "Adults, two tablets" in said and "Children over twelve, one tablet" in said


def _fails(source: Path, tmp_path: Path, message: str) -> None:
    out = tmp_path / "out"
    result = runner().invoke(cli, ["build", str(source), "--lang", "en", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert not (out / "en").exists()


def test_a_password_protected_pdf_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.drawString(72, 700, "Take one tablet a day.")
    pdf.save()
    _fails(path, tmp_path, "is protected by a password")


def test_a_scanned_pdf_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 400, 300, 300, fill=1)  # a picture of a page, no text layer
    pdf.save()
    _fails(path, tmp_path, "has no text to read, only images")


def test_a_truncated_pdf_is_one_line(tmp_path: Path) -> None:
    whole = two_column_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    _fails(path, tmp_path, "is incomplete")


def test_a_web_page_named_pdf_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.pdf"
    path.write_text("<!DOCTYPE html><html><body>Please log in</body></html>", encoding="utf-8")
    _fails(path, tmp_path, "is named .pdf but is a web page")


@pytest.mark.slow  # plans 12,000 sentences: a minute on a loaded machine
def test_a_300_page_pdf_is_read(tmp_path: Path) -> None:
    sentence = "Keep this medicine out of the sight and reach of children."
    pages = [
        flow([(f"Chapter {n}", True), ("", False), *[(sentence, False)] * 40]) for n in range(300)
    ]
    pdf = write_pdf(tmp_path / "en-long.pdf", pages)
    listing = _chapters(pdf)
    assert "Chapter 299" in listing and listing.count("(40 sentences)") == 300
