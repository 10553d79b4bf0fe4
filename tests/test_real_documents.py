"""The real documents in ../shared/real/, read in place and built end to end.

An EMA product-information PDF (SmPC, labelling and two package leaflets), a leaflet's web page
and an ePI bundle (English section titles over Spanish text). Each is built once, into MP3s
only: the audio is decoded and its chapters read back as ffmpeg lists them. They are spoken by
espeak-ng: what is tested is the reading, and Piper (the ranking's English voice where it is
installed) would take minutes over the two leaflets of the PDF.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audioleaflet.cli import cli
from tests.audio_checks import decoded_ms, ffmpeg_chapter_titles
from tests.conftest import REPO, runner


def _real() -> Path | None:
    candidates = [os.environ.get("AUDIOLEAFLET_SHARED_REAL", "")]
    candidates += [str(parent / "shared" / "real") for parent in REPO.parents]
    candidates.append("/work/shared/real")  # beside the work folder, as conftest finds leaflets
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


REAL = _real()
PDF = "biktarvy-epar-en.pdf"
HTML = "aspirin-en.html"
EPI = "epi-biktarvy.json"
ENGLISH_SECTIONS = [
    "1. What Biktarvy is and what it is used for",
    "2. What you need to know before you take Biktarvy",
    "3. How to take Biktarvy",
    "4. Possible side effects",
    "5. How to store Biktarvy",
    "6. Contents of the pack and other information",
]


def real(name: str) -> Path:
    path = REAL / name if REAL else None
    if path is None or not path.is_file():
        pytest.skip(f"{name} is not in shared/real (set AUDIOLEAFLET_SHARED_REAL)")
    return path


def _run(*args: str) -> str:
    result = runner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def _numbered(titles: list[str]) -> list[str]:
    return [t for t in titles if t[:1].isdigit()]


def _build(source: Path, output: Path) -> list[Path]:
    _run("build", str(source), "--engine", "espeak", "--outputs", "mp3", "-o", str(output))
    return sorted(output.glob("*/*.mp3"))


def test_the_ema_pdf_gives_its_two_package_leaflets(tmp_path: Path) -> None:
    pdf = real(PDF)
    listing = _run("chapters", str(pdf))
    heads = [line for line in listing.splitlines() if not line.startswith(" ")]
    assert [h.split(" [")[0] for h in heads] == [
        "Biktarvy 30 mg/120 mg/15 mg film-coated tablets",
        "Biktarvy 50 mg/200 mg/25 mg film-coated tablets",
    ]
    script = _run("script", str(pdf), "--diff")
    said = [line[4:] for line in script.splitlines() if line.startswith(("  + ", "  = "))]
    for smpc in ("Posology", "SUMMARY OF PRODUCT CHARACTERISTICS", "pharmacokinetic",
                 "Read the package leaflet before use", "LABELLING"):  # fmt: skip
        assert not any(smpc in line for line in said), smpc
    assert not any(c in line for line in said for c in "•\uf0b7→")
    assert any("thirty milligrams, one hundred and twenty milligrams" in line for line in said)
    books = _build(pdf, tmp_path / "out")
    assert [b.name for b in books] == [
        "biktarvy-30-mg-120-mg-15-mg-film-coated-tablets.mp3",
        "biktarvy-50-mg-200-mg-25-mg-film-coated-tablets.mp3",
    ]
    for book in books:
        assert decoded_ms(book) > 60_000
        assert _numbered(ffmpeg_chapter_titles(book)) == ENGLISH_SECTIONS


def test_the_web_page_is_built(tmp_path: Path) -> None:
    page = real(HTML)
    listing = _run("chapters", str(page))
    assert listing.startswith("Aspirin 75 mg Gastro-Resistant Tablets [en]")
    script = _run("script", str(page), "--diff")
    assert "oai_citation" not in "\n".join(
        line for line in script.splitlines() if line.startswith(("  + ", "  = "))
    )
    (book,) = _build(page, tmp_path / "out")
    assert decoded_ms(book) > 60_000
    assert _numbered(ffmpeg_chapter_titles(book)) == [
        "1. What Aspirin tablets is and what it is used for",
        "2. What you need to know before you take Aspirin tablets",
        "3. How to take Aspirin tablets",
        "4. Possible side effects",
        "5. How to store Aspirin tablets",
        "6. Contents of the pack and other information",
    ]


def test_the_epi_bundle_is_spoken_in_its_composition_language(tmp_path: Path) -> None:
    bundle = real(EPI)
    result = runner().invoke(cli, ["build", str(bundle), "--outputs", "mp3", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "spoken in Spanish, the language the ePI's Composition.language declares" in (
        result.stderr
    )
    (book,) = sorted(tmp_path.glob("es/*.mp3"))
    assert decoded_ms(book) > 60_000
    assert _numbered(ffmpeg_chapter_titles(book)) == [
        "1. Qué es Biktarvy y para qué se utiliza",
        "2. Qué necesita saber antes de empezar a tomar Biktarvy",
        "3. Cómo tomar Biktarvy",
        "4. Posibles efectos adversos",
        "5. Conservación de Biktarvy",
        "6. Contenido del envase e información adicional",
    ]
