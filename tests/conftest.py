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


SHARED_FILES = {
    "da": "da-immunonkologi-patientvejledning.txt",
    "en": "en-immuno-oncology-how-it-works.txt",
}
"""The two real leaflets of `../shared/leaflets`, by language."""


def _shared_leaflets() -> Path | None:
    """`shared/leaflets` beside the checkout (as CI lays it out) or beside the work folder."""
    candidates = [os.environ.get("AUDIOLEAFLET_SHARED_LEAFLETS", "")]
    candidates += [str(parent / "shared" / "leaflets") for parent in REPO.parents]
    candidates.append("/work/shared/leaflets")
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


SHARED = _shared_leaflets()


def pytest_configure(config: pytest.Config) -> None:
    """Builds in the tests keep their clips in a cache of their own, never in the checkout."""
    os.environ["AUDIOLEAFLET_CACHE"] = tempfile.mkdtemp(prefix="audioleaflet-test-cache-")


# Property tests draw the same examples on every run, so `main` is green or red for a reason
# and not by the luck of the draw; `HYPOTHESIS_PROFILE=explore` draws new ones (and more).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


BUILDING_FIXTURES = {
    "content_build", "danish_build",  # here
    "checked",  # test_check.py
    "previous_output",  # test_cli.py
    "warm",  # test_cache_integrity.py
    "hygiene", "special",  # test_chapters_json.py, test_transcripts.py
    "leaflet", "book",  # test_daisy.py, test_m4b.py
    "engine",  # test_engine_contract.py
    "built",  # test_hostile_inputs.py
    "audio",  # test_hostile_text.py
    "speech",  # test_loudness.py
    "tone",  # test_many_chapters.py
    "builds",  # test_publish_atomic.py
}  # fmt: skip
"""Fixtures that speak or encode: a test that uses one is slow, however quick its own body."""


BUILDING_MODULES = {
    "test_bad_input", "test_big_input", "test_build", "test_cache", "test_cache_integrity",
    "test_chapters_json", "test_check", "test_cli", "test_covers", "test_daisy", "test_dask",
    "test_engine",
    "test_engine_contract", "test_espeak_many_sentences", "test_feed", "test_ffmpeg_choice",
    "test_hostile_inputs", "test_hostile_text", "test_kill", "test_loudness", "test_m4b",
    "test_many_chapters", "test_metadata", "test_mp3cut", "test_offline", "test_outputs",
    "test_process_lifetime", "test_progress", "test_publish_atomic", "test_real_documents",
    "test_sources", "test_transcripts", "test_voice_choice", "test_voices_install",
    "test_web_browser", "test_web_check",
}  # fmt: skip
"""Modules whose tests mostly run builds, speak or encode (the rest are text, configuration and
layout rules): all their tests are slow, so the fast lane never waits for one."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.stem
        if module in BUILDING_MODULES or BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_leaflets() -> Path:
    """The folder of the two real leaflets; a test that needs them is skipped, saying why,
    where they are not (the other tests run all the same)."""
    if SHARED is None:
        pytest.skip(
            "the real leaflets of ../shared/leaflets are not here: set "
            "AUDIOLEAFLET_SHARED_LEAFLETS to the folder holding "
            + " and ".join(SHARED_FILES.values())
        )
    return SHARED


@pytest.fixture(scope="session")
def danish(shared_leaflets: Path) -> Path:
    """The Danish patient guide, as text came out of its PDF."""
    return shared_leaflets / SHARED_FILES["da"]


@pytest.fixture(scope="session")
def english(shared_leaflets: Path) -> Path:
    """The English web page, as text copied out of a browser."""
    return shared_leaflets / SHARED_FILES["en"]


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
def danish_build(tmp_path_factory: pytest.TempPathFactory, danish: Path) -> Path:
    output = tmp_path_factory.mktemp("danish-output")
    cli_build(str(danish), "--lang", "da", "-o", str(output))
    return output


def runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout on every Click we support.

    Click 8.2 always does; 8.1 (which gTTS still pins) needs `mix_stderr=False`.
    """
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()
