"""The command line as a user meets it: real builds, and one clear line for every bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audioleaflet.cli import cli
from tests.audio_checks import ffmpeg_chapter_titles
from tests.conftest import CONTENT, runner
from tests.one_line import assert_one_line_error


def run(*args: str) -> tuple[int, str, str]:
    result = runner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def error_of(*args: str) -> str:
    """The one line a failing command prints (see `assert_one_line_error`)."""
    return assert_one_line_error(runner().invoke(cli, list(args)))


def test_every_command_has_help_with_an_example() -> None:
    for command in ("build", "chapters", "script", "voices", "cache info", "cache prune"):
        code, out, _ = run(*command.split(), "--help")
        assert code == 0 and "Example" in out and "audioleaflet " + command in out


def test_chapters_previews_the_split_without_speaking(danish: Path) -> None:
    code, out, _ = run("chapters", str(danish))
    assert code == 0
    assert "[da (detected)]" in out
    assert " 1. Hvorfor denne folder? (4 sentences)" in out
    assert "Mere information" in out


def test_voices_lists_offline_languages() -> None:
    code, out, _ = run("voices")
    assert code == 0
    for lang in ("da", "en", "it", "de", "fr", "es", "sv", "nb", "nl"):
        assert f"\n{lang} " in out
    assert "offline" in out
    code, out, _ = run("voices", "--lang", "it")
    assert code == 0 and "Italian" in out and "Danish" not in out


def test_build_shared_english_page(tmp_path: Path, english: Path) -> None:
    code, _, err = run("build", str(english), "-o", str(tmp_path), "--lang", "en")
    assert code == 0, err
    book = tmp_path / "en" / "immuno-oncology-how-it-works.mp3"
    assert ffmpeg_chapter_titles(book) == [
        "How it works",
        "Differences between immunotherapy and traditional therapies",
    ]
    assert (tmp_path / "en" / "feed.xml").is_file()


def test_build_content_with_overrides(tmp_path: Path) -> None:
    code, _, err = run(
        "build", str(CONTENT / "after-colonoscopy"), "-o", str(tmp_path), "--lang", "it",
        "--base-url", "http://127.0.0.1:8000/podcast", "--feed-title", "Prova",
    )  # fmt: skip
    assert code == 0, err
    xml = (tmp_path / "it" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Prova</title>" in xml
    assert 'url="http://127.0.0.1:8000/podcast/it/after-colonoscopy.mp3"' in xml
    assert not (tmp_path / "da").exists()


@pytest.fixture()
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding an earlier, good build."""
    output = tmp_path_factory.mktemp("previous")
    code, _, err = run(
        "build", str(CONTENT / "after-colonoscopy"), "-o", str(output), "--lang", "da"
    )
    assert code == 0, err
    return output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    empty = tmp / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("Kræft er en sygdom.".encode("latin-1"))
    guide = tmp / "guide.txt"
    guide.write_text("Hvad er immunonkologi?\nEn behandling af kræft.\n", encoding="utf-8")
    broken = tmp / "broken"
    shutil.copytree(CONTENT / "after-colonoscopy", broken)
    (broken / "leaflet.toml").write_text('title = "x"\ndate = 2026-13-01\n', encoding="utf-8")
    no_cover = tmp / "no-cover"
    shutil.copytree(CONTENT / "after-colonoscopy", no_cover)
    with (no_cover / "leaflet.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('cover = "missing.jpg"\n')
    return {
        "missing file": ([str(tmp / "nope.txt")], "no such file or folder"),
        "empty file": ([str(empty)], "the file is empty"),
        "not UTF-8": ([str(latin1), "--lang", "da"], "not UTF-8 text"),
        "unknown language": ([str(guide), "--lang", "kl"], "'kl' is not supported"),
        "malformed leaflet.toml": ([str(broken)], "leaflet.toml, line 2: malformed TOML"),
        "missing cover": ([str(no_cover)], "missing.jpg"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "empty file",
        "not UTF-8",
        "unknown language",
        "malformed leaflet.toml",
        "missing cover",
    ],
)
def test_bad_input_is_one_line_and_loses_nothing(
    case: str, previous_output: Path, tmp_path: Path
) -> None:
    before = snapshot(previous_output)
    args, expected = bad_inputs(tmp_path)[case]
    assert expected in error_of("build", *args, "-o", str(previous_output))
    assert snapshot(previous_output) == before


def test_output_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = run("build", str(CONTENT / "after-colonoscopy"), "-o", str(blocker))
    assert code != 0 and err.startswith("Error: output") and "choose another with -o" in err
    err = error_of("build", str(CONTENT / "after-colonoscopy"), "-o", str(blocker / "sub"))
    assert "cannot write to output folder" in err


def test_output_on_a_file_system_nobody_can_write() -> None:
    # /proc refuses new folders even to root, so this runs wherever the tests run.
    err = error_of("build", str(CONTENT / "after-colonoscopy"), "-o", "/proc/audioleaflet")
    assert err.startswith("Error: cannot write to output folder /proc/audioleaflet")


def test_write_failure_inside_the_output_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "da").write_text("a file where the Danish folder should be", encoding="utf-8")
    err = error_of("build", str(CONTENT / "after-colonoscopy"), "-q", "-o", str(tmp_path))
    assert err.startswith(f"Error: cannot write {tmp_path / 'da'}: File exists")


def test_missing_image_option_fails_before_anything_is_written(tmp_path: Path) -> None:
    code, _, err = run(
        "build", str(CONTENT / "after-colonoscopy"), "-o", str(tmp_path / "out"),
        "--image", str(tmp_path / "nope.png"),
    )  # fmt: skip
    assert code != 0 and "--image: image" in err and "does not exist" in err
    assert not (tmp_path / "out").exists()


def test_category_option_drops_the_configured_subcategory(tmp_path: Path) -> None:
    code, _, err = run(
        "build", str(CONTENT / "after-colonoscopy"), "--lang", "da", "-o", str(tmp_path),
        "--category", "Education",
    )  # fmt: skip
    assert code == 0, err
    xml = (tmp_path / "da" / "feed.xml").read_text(encoding="utf-8")
    assert '<itunes:category text="Education"/>' in xml and "Medicine" not in xml


def test_single_file_built_into_a_clinic_output_keeps_the_clinics_feed(
    tmp_path: Path, danish: Path
) -> None:
    code, _, err = run(
        "build", str(CONTENT / "after-colonoscopy"), "--lang", "da", "-o", str(tmp_path)
    )
    assert code == 0, err
    code, _, err = run("build", str(danish), "--lang", "da", "-o", str(tmp_path))
    assert code == 0, err
    xml = (tmp_path / "da" / "feed.xml").read_text(encoding="utf-8")
    assert "patientinformation til at lytte til" in xml
    assert 'url="https://leaflets.example.org/audio/da/immunonkologi-patientvejledning.mp3"' in xml
    assert "file://" not in xml


def test_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    """The real entry point, in its own process, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "build", str(tmp_path / "missing.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert (
        done.stderr == f"Error: {tmp_path / 'missing.md'}: no such file or folder; check the path\n"
    )
