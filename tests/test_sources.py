"""Finding leaflets and reading their manifests, with clear errors for bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from audioleaflet.errors import InputError, LanguageError
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.readers.textfile import read_text
from tests.conftest import CONTENT


def test_content_folder_finds_every_leaflet_and_language() -> None:
    leaflets = {leaflet.slug: leaflet for leaflet in find_leaflets([CONTENT])}
    assert {"hand-hygiene", "blood-pressure-tablets", "after-colonoscopy"} <= set(leaflets)
    hygiene = leaflets["hand-hygiene"]
    assert [t.lang for t in hygiene.texts] == ["da", "en", "it"]
    assert hygiene.cover is not None and hygiene.cover.is_file()
    assert isinstance(hygiene.date, dt.date)
    assert set(hygiene.titles) == {"da", "en", "it"}


def test_bare_files_detect_their_language(danish: Path, english: Path) -> None:
    (danish,) = find_leaflets([danish])
    (english,) = find_leaflets([english])
    assert danish.texts[0].lang == "da" and danish.texts[0].lang_detected
    assert english.texts[0].lang == "en"
    assert danish.slug == "immunonkologi-patientvejledning"


def test_lang_option_declares_a_bare_files_language(danish: Path) -> None:
    (leaflet,) = find_leaflets([danish], lang="da")
    assert leaflet.texts[0].lang == "da" and not leaflet.texts[0].lang_detected


def test_language_from_file_name(tmp_path: Path) -> None:
    path = tmp_path / "guide.it.txt"
    path.write_text("Prendi una compressa al giorno.", encoding="utf-8")
    (leaflet,) = find_leaflets([path])
    assert leaflet.texts[0].lang == "it" and not leaflet.texts[0].lang_detected


def write_leaflet(folder: Path, manifest: str, **texts: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "leaflet.toml").write_text(manifest, encoding="utf-8")
    for name, text in (texts or {"da.md": "# Titel\n\nTekst her.\n"}).items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def error_of(sources: list[Path], lang: str | None = None) -> str:
    with pytest.raises((InputError, LanguageError)) as caught:
        find_leaflets(sources, lang)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_malformed_manifest_names_the_line(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\norganisation = \ndate = 2026-01-01\n')
    message = error_of([folder])
    assert "leaflet.toml, line 2" in message and "malformed TOML" in message


def test_unknown_manifest_key_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\ntitel = "typo"\n')
    message = error_of([folder])
    assert "line 2" in message and "titel" in message and "known settings" in message


def test_missing_date_is_an_error(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\n')
    assert "date is missing; add a line like date = 2026-01-31" in error_of([folder])


def test_lang_filters_files_found_by_scanning_a_folder(
    tmp_path: Path, danish: Path, english: Path
) -> None:
    shutil.copy(danish, tmp_path / "guide.txt")
    shutil.copy(english, tmp_path / "page.txt")
    leaflets = find_leaflets([tmp_path], lang="da")
    assert sorted((leaflet.slug, leaflet.texts[0].lang) for leaflet in leaflets) == [
        ("guide", "da"),
        ("page", "en"),
    ]


def test_bad_date_names_the_line(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\ndate = "31/01/2026"\n')
    assert "line 2: date must be a date like 2026-01-31" in error_of([folder])


def test_missing_cover_is_an_error(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\ncover = "nowhere.png"\n')
    message = error_of([folder])
    assert "cover" in message and "nowhere.png" in message and "does not exist" in message


def test_cover_that_is_not_an_image(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\ncover = "da.md"\n')
    assert "not a PNG or JPEG" in error_of([folder])


def test_unknown_language_file_names_supported_ones(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\n', pl_md="# Tytuł\n\nTekst.\n")
    message = error_of([folder])
    assert "'pl' is not supported" in message and "da, de, en" in message


def test_unknown_lang_option(tmp_path: Path, danish: Path) -> None:
    assert "'xx' is not supported" in error_of([danish], lang="xx")


def test_missing_source() -> None:
    assert "no such file or folder" in error_of([Path("/no/such/leaflet.txt")])


def test_folder_without_leaflets(tmp_path: Path) -> None:
    assert "no leaflets found" in error_of([tmp_path])


def test_two_texts_for_one_language(tmp_path: Path) -> None:
    folder = write_leaflet(tmp_path / "x", 'title = "A"\n', da_md="# A\n\nB.\n", da_txt="A.\n")
    assert "two texts for language 'da'" in error_of([folder])


def test_same_slug_twice_is_refused(tmp_path: Path, danish: Path) -> None:
    shutil.copy(danish, tmp_path / "immunonkologi-patientvejledning.da.txt")
    message = error_of([danish, tmp_path / "immunonkologi-patientvejledning.da.txt"])
    assert "rename one of them" in message


def test_text_encoding_rules(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffHej.\r\nMed dig.".encode())
    assert read_text(bom) == "Hej.\nMed dig."
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Første linje\nKræft".encode("latin-1"))
    with pytest.raises(InputError, match=r"not UTF-8 text \(bad byte 0xf8 on line 1\)"):
        read_text(latin1)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        read_text(empty)
