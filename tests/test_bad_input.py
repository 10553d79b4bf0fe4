"""Misuse of the voice, output and check options: one clear line each, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audioleaflet.cli import cli
from tests.conftest import CONTENT, runner
from tests.one_line import assert_one_line_error

LEAFLET = str(CONTENT / "hand-hygiene")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["say", "...!?", "--lang", "en"], "nothing to say: the text has no words"),
        (["build", LEAFLET, "--voice", "xx=espeak"], "--voice 'xx=espeak': language 'xx'"),
        (["build", LEAFLET, "--voice", "en="], "--voice 'en=' must be LANG=ENGINE:VOICE"),
        (["build", LEAFLET, "--engine", "no-such-engine"], "unknown speech engine; available:"),
        (["build", LEAFLET, "--voices-dir", "/nonexistent"], "--voices-dir /nonexistent is not"),
        (["build", LEAFLET, "--outputs", ","], "--outputs is empty"),
        (["voices", "install", "../../escape"], "'../../escape' is not a Piper voice name"),
        (["voices", "install", "en_US-x-low", "--from", "nope"], "'nope' is not a web address"),
    ],
)
def test_misuse_is_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    if args[0] == "build":
        args = [*args, "-o", str(tmp_path / "out")]
    assert message in assert_one_line_error(runner().invoke(cli, args))
    assert not (tmp_path / "out" / "en").exists()


def test_say_into_a_folder_or_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "dir.mp3").mkdir()
    for target, message in (("dir.mp3", "is a folder"), ("no/a.mp3", "does not exist")):
        result = runner().invoke(cli, ["say", "Hi.", "--lang", "en", "-o", str(tmp_path / target)])
        assert result.exit_code == 1 and message in result.stderr


def test_language_keys_are_normalised() -> None:
    from audioleaflet.config.speech import cli_choices

    assert cli_choices(["EN=piper:en_US-joe-medium"], "Espeak", {}).voices == {
        "en": "piper:en_US-joe-medium",
        "*": "espeak",
    }


@pytest.mark.parametrize("config", ["[1]", '{"language": {"code": "en_US"}}', '{"language": "en"}'])
def test_broken_voice_configs_are_our_error(tmp_path: Path, config: str) -> None:
    from audioleaflet.engines import get_engine

    joe = Path(get_engine("piper").default_voice("en").location)
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "en_US-odd-low.onnx").symlink_to(joe)
    (folder / "en_US-odd-low.onnx.json").write_text(config)
    (folder / "en_US-gone-low.onnx").symlink_to(tmp_path / "missing.onnx")  # dangling
    (folder / "en_US-gone-low.onnx.json").write_text(config)
    listing = runner().invoke(cli, ["voices", "--voices-dir", str(folder)])
    assert listing.exception is None or isinstance(listing.exception, SystemExit)
    said = runner().invoke(
        cli,
        ["say", "Hi.", "--lang", "en", "--voice", "piper:en_US-odd-low",
         "--voices-dir", str(folder), "-o", str(tmp_path / "x.wav")],
    )  # fmt: skip
    assert said.exit_code == 1 and said.stderr.startswith("Error: ")
    assert "en_US-odd-low" in said.stderr or "voice config" in said.stderr


def test_a_hand_edited_saved_loudness_means_the_default(tmp_path: Path) -> None:
    from audioleaflet.config.saved import resolve_settings
    from audioleaflet.layout import SAVED_SETTINGS

    (tmp_path / SAVED_SETTINGS).write_text(json.dumps({"loudness": "loud"}))
    assert resolve_settings([], tmp_path, None).loudness.integrated_lufs == -16.0


def test_check_reports_an_unreadable_tag_instead_of_crashing(
    content_build: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    shutil.copytree(content_build, output)
    book = output / "en" / "hand-hygiene.mp3"
    data = bytearray(book.read_bytes())
    data[3] = 9  # ID3v2.9: no such version
    book.write_bytes(bytes(data))
    result = runner().invoke(cli, ["check", str(output)])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    assert "en/hand-hygiene.mp3" in result.stdout and "FAIL" in result.stdout


def test_a_bug_in_a_third_party_engine_is_one_line_and_a_traceback_on_request(
    tmp_path: Path,
) -> None:
    # An engine package whose synthesis fails with an error we do not know: a bug, not bad input.
    site = tmp_path / "site"
    (site / "broken_engine").mkdir(parents=True)
    (site / "broken_engine" / "__init__.py").write_text(
        "from audioleaflet.engines.espeak import EspeakEngine\n\n"
        "class Broken(EspeakEngine):\n"
        "    name = 'broken'\n\n"
        "    def default_voice(self, lang):\n"
        "        voice = super().default_voice(lang)\n"
        "        return type(voice)(self.name, voice.name, voice.lang, True)\n\n"
        "    def synthesize(self, text, voice, settings):\n"
        "        raise RuntimeError('the model file is corrupt\\nsecond line')\n"
    )
    info = site / "broken_engine-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-engine\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[audioleaflet.engines]\nbroken = broken_engine:Broken\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("AUDIOLEAFLET_DEBUG", None)
    command = [sys.executable, "-m", "audioleaflet", "say", "Hej.", "--lang", "da",
               "--voice", "broken", "-o", str(tmp_path / "hej.wav")]  # fmt: skip
    said = subprocess.run(command, capture_output=True, text=True, env=env)
    line = assert_one_line_error(said)
    assert "failed unexpectedly (RuntimeError: the model file is corrupt)" in line
    assert "AUDIOLEAFLET_DEBUG=1" in line and not (tmp_path / "hej.wav").exists()
    debug = subprocess.run(
        command, capture_output=True, text=True, env={**env, "AUDIOLEAFLET_DEBUG": "1"}
    )
    assert debug.returncode == 1 and "Traceback" in debug.stderr
