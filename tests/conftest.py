"""Shared fixtures: the real leaflets, and builds made once per session with real components."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audioleaflet.build import BuildResult, build
from audioleaflet.publish.settings import find_settings_file, load_settings

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
DANISH = SHARED / "da-immunonkologi-patientvejledning.txt"
ENGLISH = SHARED / "en-immuno-oncology-how-it-works.txt"


@pytest.fixture(scope="session")
def content_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """`content/` built once, as the README's first command does."""
    output = tmp_path_factory.mktemp("content-output")
    settings = load_settings(find_settings_file([CONTENT]))
    return output, build([CONTENT], output, settings)


@pytest.fixture(scope="session")
def danish_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    output = tmp_path_factory.mktemp("danish-output")
    return output, build([DANISH], output, load_settings(None), lang="da")
