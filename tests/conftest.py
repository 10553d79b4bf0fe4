"""Shared fixtures: the real leaflets, and builds made once per session through the real CLI."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from audioleaflet.cli import cli
from audioleaflet.publish.episodes import Episode, load_episodes

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


def _shared_leaflets() -> Path:
    """`shared/leaflets` beside the checkout (as CI lays it out) or beside the work folder."""
    candidates = [os.environ.get("AUDIOLEAFLET_SHARED_LEAFLETS", "")]
    candidates += [str(parent / "shared" / "leaflets") for parent in REPO.parents]
    candidates.append("/work/shared/leaflets")
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise RuntimeError("shared/leaflets not found; set AUDIOLEAFLET_SHARED_LEAFLETS")


SHARED = _shared_leaflets()


def pytest_configure(config: pytest.Config) -> None:
    """Builds in the tests keep their clips in a cache of their own, never in the checkout."""
    os.environ["AUDIOLEAFLET_CACHE"] = tempfile.mkdtemp(prefix="audioleaflet-test-cache-")


# Property tests draw the same examples on every run, so `main` is green or red for a reason
# and not by the luck of the draw; `HYPOTHESIS_PROFILE=explore` draws new ones (and more).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


DANISH = SHARED / "da-immunonkologi-patientvejledning.txt"
ENGLISH = SHARED / "en-immuno-oncology-how-it-works.txt"


def cli_build(*args: str) -> None:
    result = runner().invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output


def episodes(output: Path) -> list[Episode]:
    """Every leaflet built into `output`, in every language, from the build's own records."""
    return [e for lang_dir in sorted(output.iterdir()) if lang_dir.is_dir()
            for e in load_episodes(lang_dir)]  # fmt: skip


@pytest.fixture(scope="session")
def content_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`audioleaflet build` run from the project folder, as the README's first command does."""
    output = tmp_path_factory.mktemp("content-output")
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        cli_build("-o", str(output))
    finally:
        os.chdir(previous)
    return output


@pytest.fixture(scope="session")
def danish_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("danish-output")
    cli_build(str(DANISH), "--lang", "da", "-o", str(output))
    return output


def runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout on every Click we support.

    Click 8.2 always does; 8.1 (which gTTS still pins) needs `mix_stderr=False`.
    """
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()
