"""What a build writes beside each book, as podcast apps, players and DAISY readers see it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import webvtt

from audioleaflet.verify.daisy import validate_daisy
from tests.audio_checks import decoded_ms


def _local(url: str, output: Path) -> Path:
    """The output file a feed URL points at (the content build's base_url is example.org)."""
    return output / urlsplit(url).path.split("/audio/", 1)[1]


def test_every_book_has_its_transcripts_chapters_audiobook_and_daisy(content_build: Path) -> None:
    books = sorted(content_build.glob("*/*.mp3"))
    assert books
    for book in books:
        stem = book.with_suffix("")
        for suffix in (".vtt", ".srt", ".chapters.json", ".m4b"):
            assert stem.with_name(stem.name + suffix).is_file(), (book, suffix)
        length = decoded_ms(book)
        cues = webvtt.read(str(stem) + ".vtt")
        assert cues[-1].end_in_seconds * 1000 <= length + 1
        chapters = json.loads(Path(str(stem) + ".chapters.json").read_text(encoding="utf-8"))
        assert chapters["version"] == "1.2.0" and chapters["chapters"][0]["startTime"] == 0
        assert validate_daisy(Path(str(stem) + ".daisy")) == []


def test_podcast_apps_find_transcript_chapters_and_the_audiobook(content_build: Path) -> None:
    for feed_path in sorted(content_build.glob("*/feed.xml")):
        with feed_path.open("rb") as stream:
            parsed = podcastparser.parse(feed_path.as_uri(), stream)
        assert parsed["import_prohibited"] is False
        for episode in parsed["episodes"]:
            assert _local(episode["transcript_url"], content_build).suffix == ".vtt"
            assert _local(episode["chapters_json_url"], content_build).is_file()
        feed = feedparser.parse(feed_path.read_bytes())
        assert not feed.bozo
        raw = feed_path.read_text(encoding="utf-8")
        for entry in feed.entries:
            (enclosure,) = entry.enclosures
            assert _local(enclosure.href, content_build).stat().st_size == int(enclosure.length)
        # The M4B offered as an alternate enclosure, with its true length.
        assert raw.count("<podcast:alternateEnclosure") == len(feed.entries)
        for m4b in feed_path.parent.glob("*.m4b"):
            assert f'length="{m4b.stat().st_size}"' in raw


def test_outputs_can_be_limited_to_the_mp3s_and_feed(tmp_path: Path) -> None:
    from tests.conftest import CONTENT, cli_build

    out = tmp_path / "out"
    source = str(CONTENT / "blood-pressure-tablets")
    cli_build(source, "--lang", "en", "-o", str(out))
    assert (out / "en" / "blood-pressure-tablets.daisy").is_dir()
    # Built again with fewer outputs: the ones left out go, so nothing stale is published.
    cli_build(source, "--lang", "en", "--outputs", "mp3", "-o", str(out))
    assert sorted(p.name for p in (out / "en").iterdir()) == [
        ".episodes",
        "blood-pressure-tablets",
        "blood-pressure-tablets.mp3",
        "feed.xml",
    ]
    raw = (out / "en" / "feed.xml").read_text(encoding="utf-8")
    assert "podcast:transcript" not in raw and "alternateEnclosure" not in raw


def test_transcripts_can_show_the_printed_text(tmp_path: Path) -> None:
    from tests.conftest import CONTENT, cli_build

    source = str(CONTENT / "blood-pressure-tablets")
    for text in ("spoken", "source"):
        out = tmp_path / text
        cli_build(source, "--lang", "en", "--outputs", "transcripts", "--transcript-text", text,
                  "-o", str(out))  # fmt: skip
    spoken = [c.text for c in webvtt.read(str(tmp_path / "spoken/en/blood-pressure-tablets.vtt"))]
    printed = [c.text for c in webvtt.read(str(tmp_path / "source/en/blood-pressure-tablets.vtt"))]
    assert len(spoken) == len(printed)
    assert any(ch.isdigit() for line in printed for ch in line)  # "5 mg" as the leaflet prints it
    assert not any(ch.isdigit() for line in spoken for ch in line)  # "five milligrams"


def test_the_loudness_target_is_a_setting_and_check_follows_it(tmp_path: Path) -> None:
    from audioleaflet.config.audio import LoudnessTarget
    from audioleaflet.verify import check_output
    from tests.conftest import CONTENT, cli_build, runner

    out = tmp_path / "out"
    source = str(CONTENT / "hand-hygiene")
    cli_build(source, "--lang", "it", "--outputs", "m4b", "--loudness", "-20", "-o", str(out))
    loud = [
        r for r in check_output(out, LoudnessTarget(integrated_lufs=-20.0)) if r.check == "loudness"
    ]
    assert len(loud) >= 6 and all(r.ok for r in loud)  # book, chapters and the M4B
    from audioleaflet.cli import cli

    assert runner().invoke(cli, ["check", str(out)]).exit_code == 0  # the target it was built for
    wrong = runner().invoke(cli, ["check", str(out), "--loudness", "-16"])
    assert wrong.exit_code == 1 and "loudness" in wrong.stdout
    bad = runner().invoke(cli, ["build", source, "--loudness", "-3", "-o", str(tmp_path / "x")])
    assert bad.exit_code == 1 and "--loudness -3 LUFS is out of range" in bad.stderr
