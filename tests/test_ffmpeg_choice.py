"""Which ffmpeg runs: the bundled one whatever is on PATH; another only when named, tried first.

The stubs here are shell scripts: one that stands for a distribution ffmpeg first on PATH (it
records that it ran and fails as Debian 12's 5.1 did), one that wraps the real bundled binary but
lacks a filter, as a minimal build would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from audioleaflet.cli import cli
from audioleaflet.programs.ffmpeg import FFMPEG_ENV, _bundled, chosen_ffmpeg, use_ffmpeg
from tests.conftest import CONTENT, runner
from tests.one_line import assert_one_line_error

LEAFLET = CONTENT / "hand-hygiene"


@pytest.fixture(autouse=True)
def _bundled_afterwards() -> Iterator[None]:
    """A test that names an ffmpeg must not leave the rest of the session running it."""
    before = os.environ.get(FFMPEG_ENV)
    yield
    use_ffmpeg(before)


def _script(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _build(out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audioleaflet", "build", str(LEAFLET), "--lang", "en",
         "-o", str(out), "-v"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


def _published(out: Path) -> dict[str, bytes]:
    """Every audio and companion file by its path; feeds name the folder, so they are left out."""
    skip = {"feed.xml", ".feed-settings.json"}
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in skip and ".episodes" not in p.parts
    }


def test_an_ffmpeg_first_on_path_is_never_run(tmp_path: Path) -> None:
    stubs = tmp_path / "bin"
    stubs.mkdir()
    ran = tmp_path / "system-ffmpeg-ran"
    _script(
        stubs / "ffmpeg",
        f'echo "$@" >> {ran}\n'
        'echo "Failed to inject frame into filter network: Invalid argument" >&2\nexit 1',
    )
    env = {k: v for k, v in os.environ.items() if k != FFMPEG_ENV}
    plain = _build(tmp_path / "plain", env)
    assert plain.returncode == 0, plain.stderr
    env["PATH"] = f"{stubs}{os.pathsep}{env['PATH']}"
    env["IMAGEIO_FFMPEG_EXE"] = str(stubs / "ffmpeg")  # imageio-ffmpeg's own override, ignored too
    crowded = _build(tmp_path / "crowded", env)
    assert crowded.returncode == 0, crowded.stderr
    assert not ran.exists(), ran.read_text()
    assert "bundled with imageio-ffmpeg" in crowded.stderr
    plain_files, crowded_files = _published(tmp_path / "plain"), _published(tmp_path / "crowded")
    assert any(name.endswith(".m4b") for name in plain_files)
    assert plain_files == crowded_files


def test_a_named_ffmpeg_lacking_a_filter_is_one_line_before_any_audio(tmp_path: Path) -> None:
    real = _bundled()
    stub = _script(
        tmp_path / "ffmpeg-minimal",
        'case "$*" in *alimiter*) echo "No such filter: \'alimiter\'" >&2; exit 1;; esac\n'
        f'exec "{real}" "$@"',
    )
    env = dict(os.environ, **{FFMPEG_ENV: str(stub)})
    done = _build(tmp_path / "out", env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: the ffmpeg named by --ffmpeg or $AUDIOLEAFLET_FFMPEG")
    assert "cannot try a gain" in lines[-1] and "No such filter: 'alimiter'" in lines[-1]
    assert "Traceback" not in done.stderr
    assert not list((tmp_path / "out").rglob("*.mp3"))


def test_a_named_ffmpeg_that_mimics_debian_5_1_is_used(tmp_path: Path) -> None:
    """5.1 rejects `framelog=quiet`; what we ask of ebur128 must work there."""
    real = _bundled()
    ran = tmp_path / "ran"
    stub = _script(
        tmp_path / "ffmpeg-5.1",
        f"echo x >> {ran}\n"
        'case "$*" in *framelog=quiet*) echo "Invalid argument" >&2; exit 1;; esac\n'
        f'exec "{real}" "$@"',
    )
    result = runner().invoke(cli, ["--ffmpeg", str(stub), "say", "Take two tablets.",
                                   "--lang", "en", "-o", str(tmp_path / "said.mp3")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "said.mp3").stat().st_size > 1000 and ran.is_file()


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing", "does not exist"), ("not-executable", "is not an executable file")],
)
def test_an_unusable_named_ffmpeg_is_one_line(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    if name == "not-executable":
        path.write_text("not a program", encoding="utf-8")
    out = tmp_path / "said.mp3"
    result = runner().invoke(cli, ["--ffmpeg", str(path), "say", "Hi.", "--lang", "en",
                                   "-o", str(out)])  # fmt: skip
    error = assert_one_line_error(result)
    assert error.startswith("Error: ffmpeg ") and message in error and not out.exists()


def test_a_program_that_is_not_ffmpeg_is_one_line(tmp_path: Path) -> None:
    stub = _script(tmp_path / "ffmpeg", "echo 'hello'")
    out = tmp_path / "said.mp3"
    result = runner().invoke(cli, ["--ffmpeg", str(stub), "say", "Hi.", "--lang", "en",
                                   "-o", str(out)])  # fmt: skip
    assert "does not answer -version as ffmpeg does" in assert_one_line_error(result)
    assert not out.exists()


def _system_ffmpeg() -> str | None:
    found = shutil.which("ffmpeg")
    return found if found and Path(found).resolve() != Path(_bundled()).resolve() else None


@pytest.mark.skipif(
    _system_ffmpeg() is None,
    reason="no distribution ffmpeg on PATH (.ci/run installs Debian's); not tried as a named one",
)
def test_a_real_distribution_ffmpeg_works_when_named(tmp_path: Path) -> None:
    system = _system_ffmpeg()
    assert system is not None
    said = tmp_path / "said.m4a"
    result = runner().invoke(cli, ["--ffmpeg", system, "say", "Take 2 tablets.", "--lang", "en",
                                   "-o", str(said)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert chosen_ffmpeg().path == system
    assert "chosen by $AUDIOLEAFLET_FFMPEG" in chosen_ffmpeg().describe()


DEBIAN_FFMPEG = Path("/usr/bin/ffmpeg")


@pytest.mark.skipif(
    not DEBIAN_FFMPEG.is_file(),
    reason="no /usr/bin/ffmpeg (Debian's 5.1 is installed by .ci/run); the named-ffmpeg build "
    "of the Danish leaflet is not tried",
)
def test_a_named_ffmpeg_builds_books_under_the_true_peak_limit(
    tmp_path: Path, shared_leaflets: Path
) -> None:
    """Debian 5.1's encoder overshoots differently from the bundled one: a book MP3 of the Danish
    leaflet measured -0.9 dBTP before the book's own true peak was checked in the build. Now
    every file, the book first, must pass `check` run with the same ffmpeg."""
    source = shared_leaflets / "da-immunonkologi-patientvejledning.txt"
    env = dict(os.environ, **{FFMPEG_ENV: str(DEBIAN_FFMPEG)})
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "build", str(source), "--lang", "da",
         "-o", str(out), "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    checked = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "check", str(out)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert "5.1" in checked.stdout and "chosen by $AUDIOLEAFLET_FFMPEG" in checked.stdout
    assert checked.returncode == 0, [line for line in checked.stdout.splitlines() if "FAIL" in line]
    book = out / "da" / "immunonkologi-patientvejledning.mp3"
    rows = checked.stdout.splitlines()
    (row,) = [r for r in rows if r.startswith(f"da/{book.name} ") and "loudness" in r]
    assert book.is_file() and float(row.split("true peak ")[1].split()[0]) <= -1.0
