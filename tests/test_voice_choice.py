"""Choosing voices per language: command line, leaflet.toml, podcast.toml, fallback, strictness."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import feedparser
import mutagen.id3
import pytest

from audioleaflet.config.speech import SpeechChoices, cli_choices
from audioleaflet.engines import EngineOptions, SpeechSettings, Voice
from audioleaflet.errors import InputError, VoiceError
from audioleaflet.planning.clips import clip_requests
from audioleaflet.planning.plan import plan
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.voices.choice import Voicing
from audioleaflet.voices.ranking import installed_voices, measurement, rank, ranking_notes
from tests.audio_checks import decoded_ms, rms_dbfs
from tests.conftest import CONTENT, cli_build, runner

JOE = "piper:en_US-joe-medium"


def leaflet_copy(tmp_path: Path, extra_toml: str = "") -> Path:
    folder = tmp_path / "content" / "hand-hygiene"
    shutil.copytree(CONTENT / "hand-hygiene", folder)
    shutil.copyfile(CONTENT / "cover.png", folder.parent / "cover.png")
    manifest = folder / "leaflet.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + extra_toml, encoding="utf-8")
    return folder


def voices_of(folder: Path, voicing: Voicing | None = None) -> dict[str, str]:
    voicing = voicing or Voicing()
    return {p.text.lang: p.voice.label for p in plan(find_leaflets([folder]), voicing=voicing)}


def best(lang: str) -> str:
    """The voice with the lowest measured word error rate for `lang` among those here."""
    voices, _ = installed_voices(EngineOptions())
    here = [v for v in voices if v.lang == lang and v.offline]
    measured = [(m.wer, v.label) for v in here if (m := measurement(v)) is not None]
    return min(measured)[1] if measured else f"espeak:{lang}"


def test_without_a_choice_each_language_speaks_the_most_intelligible_voice_here() -> None:
    items = plan(find_leaflets([CONTENT / "hand-hygiene"]), voicing=Voicing())
    voices = {item.text.lang: item.voice.label for item in items}
    assert voices == {"da": "espeak:da", "en": best("en"), "it": best("it")}
    said = ranking_notes((i.text.lang, i.voice, i.leaflet.speech) for i in items)
    assert len(said) == 3 and all(voices[line[10:12]] in line for line in said)
    # Danish has no figure (Whisper base cannot transcribe it): espeak-ng, the one voice.
    assert [line for line in said if "not measured" in line] == [said[0]]
    chosen = SpeechChoices(voices={"en": JOE})
    assert ranking_notes([("en", items[1].voice, chosen)]) == []


def test_the_ranking_prefers_measured_offline_voices() -> None:
    here = [
        Voice("gtts", "it", "it", offline=False),
        Voice("espeak", "it", "it", offline=True),
        Voice("festival", "unmeasured_diphone", "it", offline=True),
        Voice("pico", "it-IT", "it", offline=True),
    ]
    order = [ranked.voice.label for ranked in rank(here)]
    measured = sorted(["espeak:it", "pico:it-IT"], key=lambda label: figure(label, "it"))
    assert order == [*measured, "festival:unmeasured_diphone", "gtts:it"]


def figure(label: str, lang: str) -> float:
    engine, _, name = label.partition(":")
    found = measurement(Voice(engine, name, lang, offline=True))
    assert found is not None
    return found.wer


def test_the_leaflet_chooses_and_the_command_line_overrides(tmp_path: Path) -> None:
    folder = leaflet_copy(tmp_path, f'\n[voices]\nen = "{JOE}"\n')
    assert voices_of(folder)["en"] == JOE
    shared = SpeechChoices(voices={"en": "espeak", "it": "espeak:it"})
    assert voices_of(folder, Voicing(shared=shared))["en"] == JOE  # the leaflet wins
    command_line = cli_choices(["en=espeak:en-gb-x-rp"], None, {})
    assert voices_of(folder, Voicing(command_line=command_line))["en"] == "espeak:en-gb-x-rp"


def test_podcast_toml_chooses_for_every_leaflet(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT / "hand-hygiene", root / "hand-hygiene")
    shutil.copyfile(CONTENT / "cover.png", root / "cover.png")
    (root / "podcast.toml").write_text(
        f'title = "Clinic"\n[voices]\nen = "{JOE}"\n[speech]\nrate = 0.9\n', encoding="utf-8"
    )
    result = runner().invoke(
        __import__("audioleaflet.cli", fromlist=["cli"]).cli,
        ["chapters", str(root / "hand-hygiene"), "--lang", "en"],
    )
    assert result.exit_code == 0
    from audioleaflet.config.podcast import load_speech_choices

    shared = load_speech_choices(root / "podcast.toml")
    (item,) = plan(find_leaflets([root]), "en", Voicing(shared=shared))
    assert item.voice.label == JOE and item.settings == SpeechSettings(rate=0.9)
    assert {r.settings for r in clip_requests([item])} == {SpeechSettings(rate=0.9)}


def test_pauses_are_configurable(tmp_path: Path) -> None:
    folder = leaflet_copy(tmp_path, "\n[pauses]\nsentence_ms = 123\nchapter_ms = 2500\n")
    (item,) = plan(find_leaflets([folder]), "en")
    pauses = [s.pause_after_ms for _title, sentences in item.chapters for s in sentences]
    assert 123 in pauses and pauses[-1] == 2500 and 400 not in pauses


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[voices]\nen = "piper:"\n', None),
        ("[voices]\nen = 3\n", 'en must be a text like "piper:en_US-joe-medium"'),
        ("[speech]\nrate = 7\n", "rate must be a number from 0.5 to 2"),
        ("[speech]\nspeed = 1\n", "speed is not a known setting"),
        ("[pauses]\nsentence_ms = -1\n", "sentence_ms must be a number from 0 to 10000"),
    ],
)
def test_bad_speech_settings_are_one_line_naming_the_line(
    tmp_path: Path, toml: str, message: str | None
) -> None:
    folder = leaflet_copy(tmp_path, "\n" + toml)
    if message is None:  # "piper:" means Piper's default voice: valid
        assert voices_of(folder)["en"] == JOE
        return
    with pytest.raises(InputError, match=r"leaflet.toml, line \d+: " + message):
        find_leaflets([folder])


def test_a_missing_voice_falls_back_to_the_best_voice_here_with_a_warning(
    tmp_path: Path,
) -> None:
    warnings: list[str] = []
    command_line = cli_choices(["en=piper:en_GB-nobody-low"], None, {})
    items = plan(
        find_leaflets([CONTENT / "hand-hygiene"]), "en", Voicing(command_line), warnings.append
    )
    assert items[0].voice.label == best("en")
    (warning,) = warnings
    assert "piper:en_GB-nobody-low" in warning and f"{best('en')} instead" in warning
    with pytest.raises(VoiceError, match="en_GB-nobody-low"):
        plan(find_leaflets([CONTENT / "hand-hygiene"]), "en", Voicing(command_line, strict=True))


def test_unknown_engine_and_unsupported_settings(tmp_path: Path) -> None:
    warnings: list[str] = []
    command_line = cli_choices(["en=festivl"], None, {"pitch": 1.2})
    # A typo in an engine name stops the build even without --strict-voices.
    with pytest.raises(VoiceError, match="voice festivl for 'en': unknown speech engine"):
        plan(find_leaflets([CONTENT / "hand-hygiene"]), "en", Voicing(command_line))
    command_line = cli_choices([f"en={JOE}"], None, {"pitch": 1.2})
    (item,) = plan(
        find_leaflets([CONTENT / "hand-hygiene"]), "en", Voicing(command_line), warnings.append
    )
    assert item.settings == SpeechSettings() and "no pitch control" in warnings[0]
    with pytest.raises(InputError, match="--voice 'en' must be LANG=ENGINE:VOICE"):
        cli_choices(["en"], None, {})


def test_cli_strict_voices_fails_in_one_line(tmp_path: Path) -> None:
    from audioleaflet.cli import cli

    result = runner().invoke(
        cli,
        ["build", str(CONTENT / "hand-hygiene"), "--lang", "en", "-o", str(tmp_path / "o"),
         "--voice", "en=piper:en_GB-nobody-low", "--strict-voices"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "en_GB-nobody-low" in result.stderr
    assert not (tmp_path / "o" / "en").exists()


def test_content_with_piper_english_and_the_best_voices_for_the_rest(tmp_path: Path) -> None:
    """One build, English from Piper, the rest from the most intelligible voices here."""
    output = tmp_path / "out"
    cli_build(str(CONTENT), "--voice", f"en={JOE}", "-o", str(output))
    books = sorted(output.glob("*/*.mp3"))
    assert {b.parent.name for b in books} == {"da", "en", "it"}
    for book in books:
        lang = book.parent.name
        expected = JOE if lang == "en" else best(lang)
        tags = mutagen.id3.ID3(book)
        assert tags.getall("TXXX:NARRATOR")[0].text == [expected]
        comment = str(tags.getall("COMM")[0].text)
        assert expected in comment and "licence: " in comment
        vtt = (book.parent / f"{book.stem}.vtt").read_text(encoding="utf-8")
        assert f"NOTE Voice: {expected} (" in vtt
        assert rms_dbfs(book) > -35 and decoded_ms(book) > 10_000
        for chapter in (book.parent / book.stem).glob("*.mp3"):
            assert mutagen.id3.ID3(chapter).getall("TXXX:NARRATOR")[0].text == [expected]
    feed = feedparser.parse((output / "en" / "feed.xml").read_bytes())
    assert all("en_US-joe-medium (Piper)" in e.summary for e in feed.entries)
    # The voice's licence asks for its dataset to be credited: every item does.
    assert all("licence: CC0" in e.summary for e in feed.entries)
    # Piper's encoding overshoots more than espeak's: its files must still meet the loudness
    # target and the true-peak limit, measured after encoding.
    from audioleaflet.verify import check_output

    loudness = [r for r in check_output(output) if r.check == "loudness"]
    assert loudness and [r for r in loudness if not r.ok] == []
    feed = feedparser.parse((output / "da" / "feed.xml").read_bytes())
    assert all("da (eSpeak NG)" in e.summary for e in feed.entries)


def test_say_speaks_the_spoken_form_to_a_file(tmp_path: Path) -> None:
    from audioleaflet.cli import cli

    out = tmp_path / "joe.mp3"
    result = runner().invoke(
        cli, ["say", "Take 2 tablets of 500 mg.", "--lang", "en", "--voice", JOE, "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "two tablets of five hundred milligrams" in result.stdout
    assert 1500 < decoded_ms(out) < 8000 and rms_dbfs(out) > -35
    result = runner().invoke(cli, ["say", "Hej.", "--lang", "da", "-o", str(tmp_path / "x.doc")])
    assert result.exit_code == 1 and "use one of the suffixes" in result.stderr


def test_a_third_party_engine_is_found_through_its_entry_point(tmp_path: Path) -> None:
    """A package that registers an engine in `audioleaflet.engines` is used like a built-in."""
    site = tmp_path / "site"
    (site / "slow_espeak").mkdir(parents=True)
    (site / "slow_espeak" / "__init__.py").write_text(
        textwrap.dedent(
            """
            from audioleaflet.engines.espeak import EspeakEngine

            class SlowEspeak(EspeakEngine):
                name = "slow"

                def default_voice(self, lang):
                    voice = super().default_voice(lang)
                    return type(voice)(self.name, voice.name, voice.lang, True)
            """
        )
    )
    info = site / "slow_espeak-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: slow-espeak\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[audioleaflet.engines]\nslow = slow_espeak:SlowEspeak\n"
    )
    env = {**__import__("os").environ, "PYTHONPATH": str(site)}
    listing = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "voices", "--lang", "da"],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert "slow:da" in listing.stdout
    said = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "say", "Hej.", "--lang", "da", "--voice", "slow",
         "-o", str(tmp_path / "hej.wav")],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert said.returncode == 0, said.stderr
    assert "slow:da said" in said.stdout and decoded_ms(tmp_path / "hej.wav") > 200


def test_a_voice_in_a_voices_folder_is_found_by_name(tmp_path: Path) -> None:
    """A clinic's own voice file, found only through --voices-dir."""
    from audioleaflet.engines import get_engine

    joe = get_engine("piper").default_voice("en")
    folder = tmp_path / "voices"
    folder.mkdir()
    for suffix in (".onnx", ".onnx.json"):
        src = Path(joe.location[: -len(".onnx")] + suffix)
        (folder / ("en_US-clinic-medium" + suffix)).symlink_to(src)
    options = EngineOptions(voices_dirs=(folder,))
    command_line = cli_choices(["en=piper:en_US-clinic-medium"], None, {})
    items = plan(
        find_leaflets([CONTENT / "hand-hygiene"]), "en", Voicing(command_line, options=options)
    )
    assert items[0].voice.label == "piper:en_US-clinic-medium"


def test_without_piper_installed_the_message_says_how_to_install_it(tmp_path: Path) -> None:
    """A plain `pip install audioleaflet` has no Piper: the choice must say so, not crash."""
    blocked = (
        "import sys; sys.modules['piper'] = None; "  # as if piper-tts were not installed
        "from audioleaflet.cli import main; main()"
    )
    said = subprocess.run(
        [sys.executable, "-c", blocked, "say", "Hello.", "--lang", "en", "--voice", JOE,
         "-o", str(tmp_path / "x.wav")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert said.returncode == 1
    assert said.stderr.strip() == (
        "Error: voice piper:en_US-joe-medium for 'en': Piper is not installed; "
        "install Piper with: pip install 'audioleaflet[piper]'"
    )


def test_piper_speech_meets_the_true_peak_limit_after_encoding(
    tmp_path: Path, english: Path
) -> None:
    """On the shared English page one Piper chapter's MP3 overshot to -0.3 dBTP although its
    PCM was limited to -1.5: the encoded true peak is measured and the ceiling lowered."""
    from audioleaflet.verify import check_output

    output = tmp_path / "out"
    cli_build(str(english), "--lang", "en", "--voice", f"en={JOE}", "--outputs", "mp3",
              "-o", str(output))  # fmt: skip
    loudness = [r for r in check_output(output) if r.check == "loudness"]
    assert len(loudness) >= 3 and [r for r in loudness if not r.ok] == []
