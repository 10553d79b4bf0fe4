"""The true-peak meter of a book: the whole book in one pass, each chapter when one is over,
and the same figures from both; a book anywhere, whatever its folder is called."""

from __future__ import annotations

import math
import shutil
import struct
from pathlib import Path

import pytest

from audioleaflet.audio.encode import encode_mp3
from audioleaflet.audio.meter import measure_chapters, measure_peak
from audioleaflet.audio.pcm import write_wav
from audioleaflet.programs.ffmpeg import decode_pcm, graph_value

RATE = 22050


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seconds of a quiet tone, then three of a loud one, as an MP3 like ours."""
    folder = tmp_path_factory.mktemp("peaks")
    samples = [round(3000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(3 * RATE)]
    samples += [round(26000 * math.sin(2 * math.pi * 660 * i / RATE)) for i in range(3 * RATE)]
    wav = folder / "tones.wav"
    write_wav(wav, struct.pack(f"<{len(samples)}h", *samples), RATE)
    mp3 = folder / "book.mp3"
    encode_mp3([wav], mp3, RATE)
    return mp3


def test_the_book_peak_is_its_loudest_chapters_peak(book: Path) -> None:
    peak, samples = measure_peak(book, RATE)
    assert samples == len(decode_pcm(book, RATE)) // 2 == 6 * RATE
    chapters, counted = measure_chapters(book, [3 * RATE, 3 * RATE], RATE)
    assert counted == samples
    quiet, loud = chapters
    # 3000 and 26000 of 32768: about -20.8 and -2.0 dBFS.
    assert quiet == pytest.approx(-20.8, abs=0.5) and loud == pytest.approx(-2.0, abs=0.5)
    assert peak == max(chapters)


@pytest.mark.parametrize("name", ["a b", "a:b", "it's", "[x],y;z", "back\\slash", "=eq'"])
def test_a_book_in_any_folder_is_measured(book: Path, tmp_path: Path, name: str) -> None:
    """The meter's graph reads the file itself (`amovie`): its path is escaped for the graph."""
    folder = tmp_path / name
    folder.mkdir()
    copy = folder / f"{name}.mp3"
    shutil.copyfile(book, copy)
    assert measure_peak(copy, RATE) == measure_peak(book, RATE)


def test_graph_values_are_escaped_twice() -> None:
    assert graph_value("plain/path.mp3") == "plain/path.mp3"
    # A colon is an option separator, a comma a filter separator: one and two backslashes.
    assert graph_value("a:b,c") == "a\\\\:b\\,c"
