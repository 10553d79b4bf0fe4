"""Loudness: every MP3 measures at the target after encoding, by an EBU R128 meter of its own.

The meter here is ffmpeg's `ebur128` filter with true peak, run on the finished MP3s and parsed
by this file (not by the module under test). Inputs are real espeak-ng speech, the same made
20 dB quieter, and a synthetic tone far too hot.
"""

from __future__ import annotations

import math
import re
import shutil
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from audioleaflet.audio import loudness
from audioleaflet.audio.clips import Clip, ClipRequest, synthesize_clips
from audioleaflet.audio.encoded import EncodedLeaflet, encoded_leaflet
from audioleaflet.audio.pcm import write_wav
from audioleaflet.build import build
from audioleaflet.config.audio import LoudnessTarget
from audioleaflet.config.podcast import BuildSettings
from audioleaflet.config.speech import cli_choices
from audioleaflet.errors import ToolError
from audioleaflet.planning.clips import clip_requests
from audioleaflet.planning.plan import plan
from audioleaflet.programs import ffmpeg
from audioleaflet.programs.ffmpeg import run_ffmpeg
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.voices.choice import Voicing
from tests.conftest import CONTENT

RATE = 22050


def r128(path: Path, loops: int = 0) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of any audio file, as ffmpeg's EBU R128 meter sees it."""
    log = run_ffmpeg(
        ["-nostats", "-stream_loop", str(loops), "-i", path,
         "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
        quiet=False,
    )  # fmt: skip
    summary = log[log.rindex("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return float(integrated[1]), float(peak[1])


def assert_on_target(path: Path, target: float = -16.0, loops: int = 0) -> tuple[float, float]:
    integrated, peak = r128(path, loops)
    assert abs(integrated - target) <= 1.0, f"{path.name}: {integrated} LUFS"
    assert peak <= -1.0, f"{path.name}: true peak {peak} dBTP"
    return integrated, peak


def test_every_content_mp3_is_at_minus_16_lufs_with_headroom(content_build: Path) -> None:
    files = sorted(content_build.rglob("*.mp3"))
    books = [f for f in files if f.parent.parent == content_build]
    assert len(books) == 6 and len(files) > 30
    figures = [assert_on_target(f) for f in files]
    # The book is the concatenation of chapters each at the target, so it is at it too.
    assert max(abs(i + 16) for i, _ in figures) <= 1.0


# ---- the encoding stage on its own, with chosen inputs and targets ---------------------------


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, list[tuple[Clip, int]]]]:
    """The English hand-hygiene leaflet as real espeak-ng clips, chapter by chapter (named:
    where Pico is installed, the ranking gives English to it, at 16 kHz, not `RATE`)."""
    store = tmp_path_factory.mktemp("clips")
    espeak = Voicing(cli_choices([], "espeak", {}))
    (item,) = plan(find_leaflets([CONTENT / "hand-hygiene"]), "en", voicing=espeak)
    clips, _ = synthesize_clips(clip_requests([item]), store, jobs=1)
    return [
        (title, [(clips[ClipRequest(s.text, item.voice)], s.pause_after_ms) for s in sentences])
        for title, sentences in item.chapters
    ]


def scaled(chapters: list[tuple[str, list[tuple[Clip, int]]]], db: float, folder: Path) -> list[
    tuple[str, list[tuple[Clip, int]]]
]:  # fmt: skip
    """The same speech `db` louder (negative: quieter), as new clips."""
    folder.mkdir(parents=True, exist_ok=True)
    factor = 10 ** (db / 20)
    out = []
    for title, parts in chapters:
        new_parts = []
        for clip, pause in parts:
            samples = array("h")
            samples.frombytes(clip.path.read_bytes()[44:])
            louder = array("h", (max(-32768, min(32767, round(s * factor))) for s in samples))
            path = folder / f"{clip.path.stem}-{db:+.0f}.wav"
            write_wav(path, louder.tobytes(), clip.sample_rate)
            new_parts.append((Clip(path, len(louder), clip.sample_rate), pause))
        out.append((title, new_parts))
    return out


def tone_clip(folder: Path, ms: int, amplitude: float, name: str) -> Clip:
    frames = RATE * ms // 1000
    wave = array("h", (round(amplitude * 32767 * math.sin(2 * math.pi * 440 * n / RATE))
                       for n in range(frames)))  # fmt: skip
    path = folder / f"{name}.wav"
    write_wav(path, wave.tobytes(), RATE)
    return Clip(path, frames, RATE)


def all_files(encoded: EncodedLeaflet) -> Iterator[Path]:
    yield encoded.book
    yield from encoded.chapters


def test_quiet_speech_is_brought_up_and_another_target_is_met(
    speech: list[tuple[str, list[tuple[Clip, int]]]], tmp_path: Path
) -> None:
    quiet = scaled(speech, -20, tmp_path / "quiet")
    assert r128(quiet[0][1][0][0].path, loops=3)[0] < -35
    normal = encoded_leaflet(quiet, RATE, tmp_path / "store", tmp_path / "work")
    for path in all_files(normal):
        assert_on_target(path)
    softer = encoded_leaflet(
        quiet, RATE, tmp_path / "store", tmp_path / "work", target=LoudnessTarget(-20.0)
    )
    for path in all_files(softer):
        assert_on_target(path, target=-20.0)
    assert softer.book != normal.book  # the target is part of the cache key


def test_a_book_still_over_the_true_peak_limit_fails_the_build_and_is_not_stored(
    speech: list[tuple[str, list[tuple[Clip, int]]]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """If the encodes the peak check allows cannot bring the book under the limit, the build
    says so in one line instead of keeping a book `check` would fail. Here the limiter's
    ceiling is at full scale, where the peaks between samples and the encoder's overshoot
    take the book over -1 dBTP, and one encode is allowed."""
    from audioleaflet.audio import encoded

    monkeypatch.setattr(loudness, "LIMITER_MARGIN_DB", -1.0)
    monkeypatch.setattr(encoded, "PEAK_STEPS", 1)
    store = tmp_path / "store"
    with pytest.raises(ToolError, match=r"true peak stays at -?[\d.]+ dBTP, over the -1 dBTP"):
        encoded_leaflet(speech, RATE, store, tmp_path / "work")
    assert not [p.name for p in store.glob("*.m*") if not p.name.startswith(".")]


def test_hot_and_very_short_chapters_are_brought_to_the_target(tmp_path: Path) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    hot = tone_clip(folder, 4000, 0.95, "hot")  # a sine near full scale: about -3 LUFS
    heading = tone_clip(folder, 1000, 0.9, "heading")
    blip = tone_clip(folder, 250, 0.02, "blip")  # under one 400 ms gating block
    chapters = [("Hot", [(hot, 500)]), ("Heading", [(heading, 300)]), ("Blip", [(blip, 100)])]
    encoded = encoded_leaflet(chapters, RATE, tmp_path / "store", tmp_path / "work")
    assert r128(hot.path)[0] > -5
    assert_on_target(encoded.book)
    assert_on_target(encoded.chapters[0])
    assert_on_target(encoded.chapters[1])
    # Too short for a gated measurement as it is: measured looped, as the meter would need.
    assert r128(encoded.chapters[2])[0] <= -70
    assert_on_target(encoded.chapters[2], loops=11)


def test_a_silent_chapter_stays_silent(tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    write_wav(silent, bytes(RATE * 2), RATE)
    encoded = encoded_leaflet([("Quiet", [(Clip(silent, RATE, RATE), 0)])], RATE,
                              tmp_path / "store", tmp_path / "work")  # fmt: skip
    assert r128(encoded.chapters[0])[0] <= -70


def test_a_rebuild_with_nothing_changed_runs_no_ffmpeg_and_an_edit_measures_one_chapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaflet = tmp_path / "source" / "blood-pressure-tablets"
    shutil.copytree(CONTENT / "blood-pressure-tablets", leaflet)
    cache, settings = tmp_path / "cache", BuildSettings()
    runs: list[list[str]] = []
    measured: list[Path] = []
    real_run, real_measure = ffmpeg._run, loudness.measure_integrated

    def counting_run(args: list[str | Path], quiet: bool) -> object:
        runs.append([str(a) for a in args])
        return real_run(args, quiet)

    def counting_measure(wav: Path, length_ms: int) -> tuple[float, float]:
        measured.append(wav)
        return real_measure(wav, length_ms)

    monkeypatch.setattr(ffmpeg, "_run", counting_run)
    monkeypatch.setattr(loudness, "measure_integrated", counting_measure)
    first = build([leaflet], tmp_path / "out", settings, lang="en", cache=cache)
    chapters = len(first.built[0].timings)
    assert len(measured) == chapters

    runs.clear()
    measured.clear()
    build([leaflet], tmp_path / "out", settings, lang="en", cache=cache)
    assert runs == [] and measured == []

    text = leaflet / "en.md"
    edited = text.read_text(encoding="utf-8").replace("no problems.", "no problems at all.")
    text.write_text(edited, encoding="utf-8")
    build([leaflet], tmp_path / "out", settings, lang="en", cache=cache)
    assert len(measured) == 1  # only the edited chapter is measured again
    for path in sorted((tmp_path / "out").rglob("*.mp3")):
        assert_on_target(path)


def _sixteen_khz_voice() -> str | None:
    """An installed Italian voice that speaks at 16 kHz (SVOX Pico or Festival), if any."""
    from audioleaflet.engines import EngineOptions
    from audioleaflet.voices.ranking import installed_voices

    voices, _unavailable = installed_voices(EngineOptions())
    labels = [v.label for v in voices if v.lang == "it" and v.engine in {"pico", "festival"}]
    return labels[0] if labels else None


def test_a_16_khz_voice_s_book_and_audiobook_stay_under_the_true_peak_limit(
    tmp_path: Path,
) -> None:
    """Festival's 16 kHz Italian, limited at the 22.05 kHz of its MP3, came out of the encoders
    at -0.6 dBTP (MP3) and -0.8 dBTP (M4B) however low the limiter's ceiling went: the limiter
    now works at twice the output's rate."""
    voice = _sixteen_khz_voice()
    if voice is None:
        pytest.skip("no 16 kHz Italian voice here: install the pico extra or Festival")
    result = build(
        [CONTENT / "after-colonoscopy", CONTENT / "hand-hygiene"], tmp_path / "out",
        BuildSettings(), lang="it", cache=tmp_path / "cache",
        voicing=Voicing(command_line=cli_choices([f"it={voice}"], None, {})),
    )  # fmt: skip
    assert {leaflet.planned.voice.label for leaflet in result.built} == {voice}
    files = sorted((tmp_path / "out" / "it").glob("*.mp3"))
    files += sorted((tmp_path / "out" / "it").glob("*.m4b"))
    assert len(files) == 4
    for path in files:
        assert_on_target(path)
