"""The clip cache: counted exactly, reused across builds, one edit speaks one sentence."""

from __future__ import annotations

import shutil
from pathlib import Path

from audioleaflet.build import build
from audioleaflet.cli import cli
from audioleaflet.config.podcast import BuildSettings, FeedSettings
from tests.conftest import CONTENT, runner


def copy_leaflet(tmp_path: Path) -> Path:
    leaflet = tmp_path / "source" / "blood-pressure-tablets"
    shutil.copytree(CONTENT / "blood-pressure-tablets", leaflet)
    return leaflet


def test_rebuild_reuses_every_clip_and_an_edit_speaks_exactly_one(tmp_path: Path) -> None:
    leaflet = copy_leaflet(tmp_path)
    cache = tmp_path / "cache"
    settings = BuildSettings(FeedSettings(base_url="https://example.org/"))
    first = build([leaflet], tmp_path / "out", settings, cache=cache)
    total = first.clips_spoken
    assert total > 20 and first.clips_reused == 0

    again = build([leaflet], tmp_path / "out", settings, cache=cache)
    assert (again.clips_spoken, again.clips_reused) == (0, total)

    encoded = sorted((cache / "mp3").glob("*.mp3"))
    assert len(encoded) == len(first.built[0].timings) + 1  # each chapter, and the book

    text = leaflet / "en.md"
    edited = text.read_text(encoding="utf-8").replace(
        "Most people have no problems.", "Most people have no problems at all."
    )
    assert edited != text.read_text(encoding="utf-8")
    text.write_text(edited, encoding="utf-8")
    after_edit = build([leaflet], tmp_path / "out", settings, cache=cache)
    assert (after_edit.clips_spoken, after_edit.clips_reused) == (1, total - 1)
    # The book was encoded again, once, and every chapter cut from it again.
    assert len(set((cache / "mp3").glob("*.mp3")) - set(encoded)) == len(encoded)

    # The same bytes as a cold build of the edited leaflet with an empty cache.
    cold = build([leaflet], tmp_path / "cold", settings, cache=tmp_path / "empty-cache")
    assert cold.clips_spoken == total
    book = "en/blood-pressure-tablets.mp3"
    assert (tmp_path / "out" / book).read_bytes() == (tmp_path / "cold" / book).read_bytes()


def test_a_damaged_clip_is_spoken_again(tmp_path: Path) -> None:
    leaflet = copy_leaflet(tmp_path)
    cache = tmp_path / "cache"
    settings = BuildSettings()
    build([leaflet], tmp_path / "out", settings, cache=cache)
    victim = next((cache / "clips").glob("*.wav"))
    victim.write_bytes(victim.read_bytes()[:20])
    result = build([leaflet], tmp_path / "out", settings, cache=cache)
    assert result.clips_spoken == 1


def test_cache_info_and_prune(tmp_path: Path) -> None:
    leaflet = copy_leaflet(tmp_path)
    cache = tmp_path / "cache"
    cli_runner = runner()
    assert (
        cli_runner.invoke(
            cli, ["build", str(leaflet), "-o", str(tmp_path / "out"), "--cache-dir", str(cache)]
        ).exit_code
        == 0
    )
    clips = len(list((cache / "clips").glob("*.wav")))
    (cache / "clips" / "0123456789abcdef.wav").write_bytes(b"an orphan from an old build")

    info = cli_runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0 and f"{clips + 1} clips" in info.output

    pruned = cli_runner.invoke(cli, ["cache", "prune", str(leaflet), "--cache-dir", str(cache)])
    assert pruned.exit_code == 0 and "removed 1 clips" in pruned.output
    assert len(list((cache / "clips").glob("*.wav"))) == clips

    cleared = cli_runner.invoke(cli, ["cache", "prune", "--all", "--cache-dir", str(cache)])
    assert cleared.exit_code == 0 and f"removed {clips} clips" in cleared.output
