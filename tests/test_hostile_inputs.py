"""Hostile and absurd input: sources that lead out of their folder, files that are not files,
settings a feed cannot carry, absurd options, and disks that fill up. Each is one line."""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest

from audioleaflet.atomic import write_failure
from audioleaflet.cli import cli
from audioleaflet.config.podcast import load_settings
from audioleaflet.config.saved import resolve_settings
from audioleaflet.config.urls import check_email, normal_url
from audioleaflet.cpus import capped_jobs, usable_cpus
from audioleaflet.errors import InputError, ToolError
from audioleaflet.layout import SAVED_SETTINGS
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.voices.folders import check_voice_folders
from tests.conftest import CONTENT, runner
from tests.one_line import assert_one_line_error

SECRET = "The server's secret password is swordfish."
PNG = (CONTENT / "cover.png").read_bytes()


def tiny_leaflet(folder: Path, date: str = "2026-01-31", text: str = "Wash your hands.") -> Path:
    """A one-sentence English leaflet: quick to speak, so tests can build it often."""
    folder.mkdir(parents=True)
    (folder / "leaflet.toml").write_text(
        f'title = "Tiny"\ndate = {date}\nlanguage = "en"\n', encoding="utf-8"
    )
    (folder / "en.md").write_text(f"# Tiny\n\n{text}\n", encoding="utf-8")
    return folder


def secret_outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


def one_line_error(args: list[str], code: int = 1) -> str:
    return assert_one_line_error(runner().invoke(cli, args, prog_name="audioleaflet"), code) + "\n"


def run_cli(
    args: list[str], timeout: float = 120, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: a read that blocks shows up as a timeout."""
    return subprocess.run(
        [sys.executable, "-m", "audioleaflet", *args],
        capture_output=True, text=True, timeout=timeout, check=False, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


# Sources stay inside the source folder.


def test_a_text_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    leaflet = tiny_leaflet(content / "evil")
    (leaflet / "en.md").unlink()
    (leaflet / "en.txt").symlink_to(secret_outside(tmp_path))
    for source in (content, leaflet):
        error = one_line_error(["script", str(source)])
        assert f"{leaflet / 'en.txt'}: leads outside the source folder" in error
        assert "--follow-symlinks" in error and SECRET not in error
    result = runner().invoke(cli, ["script", str(leaflet), "--follow-symlinks"])
    assert result.exit_code == 0 and "swordfish" in result.stdout


def test_a_build_never_reads_the_linked_file_aloud(tmp_path: Path) -> None:
    leaflet = tiny_leaflet(tmp_path / "content" / "evil")
    (leaflet / "en.md").unlink()
    (leaflet / "en.txt").symlink_to(Path("/etc/passwd"))
    error = one_line_error(["build", str(tmp_path / "content"), "-o", str(tmp_path / "out")])
    assert "to /etc/passwd" in error
    assert not (tmp_path / "out" / "en").exists()


def test_links_that_stay_inside_the_folder_keep_working(tmp_path: Path) -> None:
    content = tmp_path / "content"
    tiny_leaflet(content / "first", text="Keep your nails short.")
    second = tiny_leaflet(content / "second")
    (second / "en.md").unlink()
    (second / "en.md").symlink_to(Path("../first/en.md"))
    shutil.copy(CONTENT / "cover.png", content / "cover.png")
    with (second / "leaflet.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('cover = "../cover.png"\n')
    leaflets = {leaflet.slug: leaflet for leaflet in find_leaflets([content])}
    assert leaflets["second"].texts[0].path == second / "en.md"
    assert leaflets["second"].cover == (content / "cover.png").resolve()
    # A leaflet folder named on its own keeps its shared cover beside it.
    (only,) = find_leaflets([second])
    assert only.cover == (content / "cover.png").resolve()


def test_a_file_named_on_the_command_line_is_read_as_given(tmp_path: Path) -> None:
    link = tmp_path / "here" / "en.txt"
    link.parent.mkdir()
    link.symlink_to(secret_outside(tmp_path))
    (leaflet,) = find_leaflets([link])
    assert leaflet.texts[0].path == link


@pytest.mark.parametrize(
    ("cover", "outside"),
    [("../../outside/cover.png", True), ("/abs/cover.png", True), ("cover.png", False)],
)
def test_a_cover_outside_the_folder_is_refused(tmp_path: Path, cover: str, outside: bool) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "cover.png").write_bytes(PNG)
    leaflet = tiny_leaflet(tmp_path / "content" / "x")
    if cover.startswith("/abs/"):
        cover = str(tmp_path / "outside" / "cover.png")
    if not outside:
        (leaflet / "cover.png").symlink_to(tmp_path / "outside" / "cover.png")
    with (leaflet / "leaflet.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"cover = {cover!r}\n".replace("'", '"'))
    with pytest.raises(InputError, match=r"leaflet.toml, line 4: cover names .* leads outside"):
        find_leaflets([tmp_path / "content"])
    (followed,) = find_leaflets([tmp_path / "content"], follow_symlinks=True)
    assert followed.cover == (tmp_path / "outside" / "cover.png").resolve()


def test_a_scanned_leaflet_folder_linked_from_elsewhere_is_refused(tmp_path: Path) -> None:
    elsewhere = tiny_leaflet(tmp_path / "elsewhere" / "x")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "x").symlink_to(elsewhere)
    with pytest.raises(InputError, match=r"content/x: leads outside the source folder"):
        find_leaflets([tmp_path / "content"])


def test_a_shared_lexicon_linked_out_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    tiny_leaflet(content / "x")
    (content / "lexicon").mkdir()
    lexicon = tmp_path / "outside.toml"
    lexicon.write_text('[words]\nhands = "secret"\n', encoding="utf-8")
    (content / "lexicon" / "en.toml").symlink_to(lexicon)
    with pytest.raises(InputError, match=r"lexicon/en.toml: leads outside the source folder"):
        find_leaflets([content / "x"])
    assert find_leaflets([content / "x"], follow_symlinks=True)


def test_voice_files_beside_the_leaflets_stay_inside(tmp_path: Path) -> None:
    content = tmp_path / "content"
    tiny_leaflet(content / "x")
    (content / "voices").mkdir()
    (content / "voices" / "en_US-x-low.onnx.json").symlink_to(secret_outside(tmp_path))
    with pytest.raises(InputError, match=r"en_US-x-low.onnx.json: leads outside"):
        check_voice_folders([content])
    check_voice_folders([content], follow_symlinks=True)
    error = one_line_error(["build", str(content), "-o", str(tmp_path / "out")])
    assert "voices/en_US-x-low.onnx.json: leads outside" in error


def test_a_podcast_image_outside_its_folder_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    tiny_leaflet(content / "x")
    (tmp_path / "cover.png").write_bytes(PNG)
    (content / "podcast.toml").write_text('title = "T"\nimage = "../cover.png"\n', "utf-8")
    with pytest.raises(InputError, match=r"podcast.toml, line 2: image '../cover.png' leads"):
        resolve_settings([content], tmp_path / "out", None)
    settings = resolve_settings([content], tmp_path / "out", None, follow_symlinks=True).feed
    assert settings.image == str((tmp_path / "cover.png").resolve())


# Files that are not regular files: one line, and never a read that blocks.


def _not_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    sock_path = tmp_path / "socket.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    return {
        "fifo": fifo,
        "socket": sock_path,
        "device": Path("/dev/zero"),
        "dangling": dangling,
        "folder": tmp_path,
    }


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("fifo", "is a named pipe (FIFO), expected a leaflet file (.txt, .md, .pdf"),
        ("socket", "is a socket"),
        ("device", "is a character device"),
        ("dangling", "is a link to"),
    ],
)
def test_a_source_that_is_not_a_file_is_one_line(tmp_path: Path, kind: str, said: str) -> None:
    path = _not_files(tmp_path)[kind]
    error = assert_one_line_error(run_cli(["chapters", str(path)], timeout=60))
    assert error.startswith(f"Error: {path}: {said}")


def test_not_files_inside_a_leaflet_folder_are_refused_not_skipped(tmp_path: Path) -> None:
    leaflet = tiny_leaflet(tmp_path / "x")
    os.mkfifo(leaflet / "da.txt")
    done = run_cli(["chapters", str(leaflet)], timeout=60)
    assert done.returncode == 1 and "da.txt: is a named pipe (FIFO)" in done.stderr
    (leaflet / "da.txt").unlink()
    os.mkfifo(leaflet / "cover.png")
    with (leaflet / "leaflet.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('cover = "cover.png"\n')
    done = run_cli(["chapters", str(leaflet)], timeout=60)
    assert done.returncode == 1 and "cover names 'cover.png', which is a named pipe" in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_podcast_config_that_is_not_a_file_is_one_line(tmp_path: Path, kind: str) -> None:
    path = _not_files(tmp_path)[kind]
    leaflet = tiny_leaflet(tmp_path / "content" / "x")
    done = run_cli(
        ["build", str(leaflet), "--podcast-config", str(path), "-o", str(tmp_path / "out")],
        timeout=60,
    )
    assert assert_one_line_error(done).startswith(f"Error: {path}: is ")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_podcast_toml_beside_the_leaflets_that_is_not_a_file_is_one_line(
    tmp_path: Path, kind: str
) -> None:
    """Found by its name, not named on the command line: skipping it would publish the feeds
    without their settings (file:// addresses, no QR codes) and say nothing."""
    leaflet = tiny_leaflet(tmp_path / "content" / "x")
    config = tmp_path / "content" / "podcast.toml"
    os.mkfifo(config) if kind == "fifo" else config.mkdir()
    done = run_cli(["build", str(leaflet), "-o", str(tmp_path / "out")], timeout=60)
    assert assert_one_line_error(done).startswith(f"Error: {config}: is ")
    assert not (tmp_path / "out").exists()


# Settings checked as input is.


@pytest.mark.parametrize(
    ("given", "published"),
    [
        ("https://example.org/audio/", "https://example.org/audio/"),
        ("  HTTPS://Example.ORG/audio  ", "https://example.org/audio"),
        ('https://example.org/my audio/"x"/', "https://example.org/my%20audio/%22x%22/"),
        ("https://example.org/Ærø's/", "https://example.org/%C3%86r%C3%B8%27s/"),
        ("https://example.org/100%/a%20b/", "https://example.org/100%25/a%20b/"),
        ("http://bücher.example:8080/", "http://xn--bcher-kva.example:8080/"),
        ("http://[::1]/a", "http://[::1]/a"),
    ],
)
def test_base_urls_are_mended_where_they_can_be(given: str, published: str) -> None:
    assert normal_url(given) == published


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("example.org/audio", "must be an absolute address starting https://"),
        ("ftp://example.org/", "must be an absolute address starting https://"),
        ("file:///srv/audio/", "must be an absolute address starting https://"),
        ("https://", "has no usable host name"),
        ("https://exa mple.org/", "has no usable host name"),
        ('https://"example.org"/', "has no usable host name"),
        ("https://user:secret@example.org/", "must not hold a user name or password"),
        ("https://example.org:99999/", "port that is not a number"),
        ("https://example.org/?page=1", "must not have a ?query or #fragment"),
        ("https://example.org/#top", "must not have a ?query or #fragment"),
        ("https://example.org/\nsecond", "control character"),
    ],
)
def test_base_urls_that_cannot_be_mended_are_refused(given: str, said: str) -> None:
    with pytest.raises(ValueError, match=said.replace("?", r"\?")):
        normal_url(given)


def test_podcast_toml_errors_name_the_line(tmp_path: Path) -> None:
    config = tmp_path / "podcast.toml"
    config.write_text('title = "T"\nbase_url = "https://exa mple.org/"\n', "utf-8")
    with pytest.raises(InputError, match=r"podcast.toml, line 2: base_url 'https://exa mple"):
        load_settings(config)
    config.write_text('title = "T"\nauthor = "A"\nowner_email = "clinic at example.org"\n', "utf-8")
    with pytest.raises(InputError, match=r"podcast.toml, line 3: owner_email .* e-mail address"):
        load_settings(config)
    # Blank lines and comments above the key do not shift the line named.
    config.write_text('title = "T"\n\n\n# feed\n\nbase_url = "https://exa mple.org/"\n', "utf-8")
    with pytest.raises(InputError, match=r"podcast.toml, line 6: base_url"):
        load_settings(config)
    config.write_text('[feeds.da]\ntitle = "T"\n\n[feeds.en]\ntitle = 1\n', "utf-8")
    with pytest.raises(InputError, match=r"podcast.toml, line 5: title in \[feeds.en\] must be"):
        load_settings(config)
    config.write_text('link = "https://example.org/a b"\nowner_email = " a@b.dk "\n', "utf-8")
    settings = load_settings(config).feed
    assert settings.link == "https://example.org/a%20b" and settings.owner_email == "a@b.dk"


@pytest.mark.parametrize(
    ("address", "good"),
    [
        ("leaflets@example.org", True),
        ("first.last+audio@clinic.example.dk", True),
        ("leaflets@example", False),
        ("leaflets example.org", False),
        ("<leaflets@example.org>", False),
        ('"x"@example.org', False),
        ("a@b@example.org", False),
        ("mailto:leaflets@example.org", False),
    ],
)
def test_owner_email_must_be_an_address(address: str, good: bool) -> None:
    if good:
        assert check_email(address) == address
    else:
        with pytest.raises(ValueError, match="is not an e-mail address"):
            check_email(address)


def test_options_that_override_settings_are_checked(tmp_path: Path) -> None:
    leaflet = str(tiny_leaflet(tmp_path / "x"))
    out = ["-o", str(tmp_path / "out")]
    error = one_line_error(["build", leaflet, *out, "--base-url", "https://a b/"])
    assert error.startswith("Error: --base-url 'https://a b/' has no usable host name")
    error = one_line_error(["build", leaflet, *out, "--owner-email", "nobody"])
    assert error.startswith("Error: --owner-email 'nobody' is not an e-mail address")
    assert not (tmp_path / "out").exists()


def test_a_hand_edited_saved_setting_means_the_defaults(tmp_path: Path) -> None:
    saved = tmp_path / SAVED_SETTINGS
    saved.write_text('{"base_url": "https://a b/", "title": "Edited"}', encoding="utf-8")
    assert resolve_settings([], tmp_path, None).feed.title == "Audio leaflets"
    saved.write_text('{"image": "/etc/passwd"}', encoding="utf-8")
    assert resolve_settings([], tmp_path, None).feed.image is None
    saved.write_text('{"image": 5}', encoding="utf-8")
    assert resolve_settings([], tmp_path, None).feed.image is None


@pytest.mark.parametrize("date", ["0999-01-01", "1899-12-31"])
def test_a_date_a_feed_cannot_carry_is_refused(tmp_path: Path, date: str) -> None:
    folder = tiny_leaflet(tmp_path / "x", date=date)
    with pytest.raises(InputError, match=rf"line 2: date {date} is not a date a feed can carry"):
        find_leaflets([folder])


@pytest.mark.parametrize("version", ['"' + "1.0 " * 2000 + '"', '""', '"  "'])
def test_a_version_that_is_no_version_is_refused(tmp_path: Path, version: str) -> None:
    """Said at the start of every leaflet: 6,000 characters there were a 35-minute introduction."""
    folder = tiny_leaflet(tmp_path / "x")
    manifest = folder / "leaflet.toml"
    manifest.write_text(manifest.read_text("utf-8") + f"version = {version}\n", "utf-8")
    with pytest.raises(InputError, match=r"line 4: version must be a short text like"):
        find_leaflets([folder])


def test_a_bare_file_from_before_1900_is_refused(tmp_path: Path) -> None:
    old = dt.datetime(999, 6, 1, tzinfo=dt.UTC).timestamp()
    # ext4 cannot store a date before 1901 (it keeps the nearest it can); tmpfs can.
    for folder in (tmp_path, Path("/dev/shm")):
        path = folder / f"old-{os.getpid()}.en.txt"
        try:
            path.write_text("Wash your hands.\n", encoding="utf-8")
            os.utime(path, (old, old))
        except OSError:
            continue
        try:
            if path.stat().st_mtime == old:
                with pytest.raises(InputError, match=r"modification date is 0999-06-01, which"):
                    find_leaflets([path])
                return
        finally:
            path.unlink()
    pytest.skip("no file system here stores a date before 1900")


def test_feed_from_odd_settings_is_read_by_podcast_apps(tmp_path: Path) -> None:
    """The earliest date allowed, a base URL with spaces and quotes, and far too many jobs."""
    leaflet = tiny_leaflet(tmp_path / "x", date="1900-01-01")
    out = tmp_path / "out"
    result = runner().invoke(
        cli,
        ["build", str(leaflet), "-o", str(out), "--outputs", "mp3", "--jobs", "1000000",
         "--base-url", 'https://example.org/my audio/"x"/'],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    cpus = usable_cpus()
    notes = [line for line in result.stderr.splitlines() if "--jobs" in line]
    assert notes == [f"note: --jobs 1000000 is more than the {cpus} CPU{'s' * (cpus > 1)} here; "
                     f"using {cpus}"]  # fmt: skip
    xml = (out / "en" / "feed.xml").read_bytes()
    url = "https://example.org/my%20audio/%22x%22/en/x.mp3"
    (item,) = feedparser.parse(io.BytesIO(xml)).entries
    assert item.published_parsed[:3] == (1900, 1, 1)
    assert [link.href for link in item.links if link.rel == "enclosure"] == [url]
    parsed = podcastparser.parse(
        "https://example.org/my%20audio/%22x%22/en/feed.xml", io.BytesIO(xml)
    )
    assert parsed["episodes"][0]["enclosures"][0]["url"] == url
    noon = dt.datetime(1900, 1, 1, 12, tzinfo=dt.UTC)  # the day, the same in every time zone
    assert parsed["episodes"][0]["published"] == noon.timestamp()


# --jobs is capped at the CPUs.


def test_jobs_are_capped_at_the_cpus_with_one_note() -> None:
    cpus = usable_cpus()
    notes: list[str] = []
    assert capped_jobs(None, notes.append) == cpus and notes == []
    assert capped_jobs(1, notes.append) == 1 and notes == []
    assert capped_jobs(cpus + 1, notes.append) == cpus and len(notes) == 1
    assert cpus <= (os.cpu_count() or 1)
    with pytest.raises(InputError, match="must be 1 or more"):
        capped_jobs(0)
    help_text = runner().invoke(cli, ["build", "--help"]).stdout
    assert "CPUs this process" in " ".join(help_text.split())


# Click's usage errors: one line, status 2, with where to read more.


@pytest.mark.parametrize(
    ("args", "message", "command"),
    [
        ("build --rate abc", "Invalid value for '--rate': 'abc' is not a valid float.", "build"),
        ("build --jobs 0", "Invalid value for '-j' / '--jobs': 0 is not in the range", "build"),
        ("build --jobs 1.5", "Invalid value for '-j' / '--jobs'", "build"),
        ("build --nope", "No such option: --nope", "build"),
        ("build ''", "Invalid value for '[SOURCES]...': '' is an empty path", "build"),
        ("build -o ''", "Invalid value for '-o' / '--output': '' is an empty path", "build"),
        ("build --feed-title ' '", "Invalid value for '--feed-title': must not be empty", "build"),
        ("build --transcript-text both", "Invalid value for '--transcript-text'", "build"),
        ("check --loudness loud", "Invalid value for '--loudness'", "check"),
        ("script", "Missing argument 'SOURCE'.", "script"),
        ("chapters --lang", "Option '--lang' requires an argument.", "chapters"),
        ("say Hi.", "Missing option '--lang'.", "say"),
        ("voices install", "Missing argument 'NAME'.", "voices install"),
        ("cache prune --rate nan!", "Invalid value for '--rate'", "cache prune"),
        ("cache empty", "No such command 'empty'.", "cache"),
        ("--nope", "No such option: --nope", ""),
        ("frobnicate", "No such command 'frobnicate'.", ""),
    ],
)
def test_usage_errors_are_one_line_with_status_2(args: str, message: str, command: str) -> None:
    error = one_line_error(shlex.split(args), code=2)
    assert error.startswith(f"Error: {message}"), error
    assert error.endswith(f" (see {' '.join(['audioleaflet', *command.split()])} --help)\n")


def test_help_is_still_help() -> None:
    for args in (["--help"], ["build", "--help"], ["--version"]):
        result = runner().invoke(cli, args)
        assert result.exit_code == 0 and "Error" not in result.stderr, args
    # A group without its command shows its help: Click 8.1 exits 0, Click 8.2 exits 2.
    result = runner().invoke(cli, ["cache"])
    assert result.exit_code in (0, 2) and "Error" not in result.stdout + result.stderr
    assert "Commands:" in result.stdout + result.stderr


# Absurd values: each one works or is one line.


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--loudness", "nan"], "--loudness nan LUFS is out of range"),
        (["--loudness", "-inf"], "--loudness -inf LUFS is out of range"),
        (["--loudness", "0"], "--loudness 0 LUFS is out of range"),
        (["--rate", "0"], "--rate 0 is out of range"),
        (["--rate", "nan"], "--rate nan is out of range"),
        (["--volume", "inf"], "--volume inf is out of range"),
        (["--lang", "xx"], "language 'xx' is not supported"),
        (["--image", "/dev/zero"], "image '/dev/zero' is a character device"),
        (["--base-url", "javascript:alert(1)"], "must be an absolute address starting https://"),
        (["--cache-dir", "/dev/null"], "cache folder /dev/null is not a folder"),
        (["-o", "/dev/null"], "output folder /dev/null is not a folder"),
    ],
)
def test_absurd_build_options_are_one_line(tmp_path: Path, args: list[str], said: str) -> None:
    leaflet = tiny_leaflet(tmp_path / "x")
    given = ["build", str(leaflet), *(["-o", str(tmp_path / "out")] if "-o" not in args else [])]
    error = one_line_error([*given, *args])
    assert said in error
    assert not (tmp_path / "out").exists()


def test_output_into_the_source_folder_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    leaflet = tiny_leaflet(content / "x")
    for source, output in ((content, content), (leaflet, leaflet), (leaflet, content)):
        error = one_line_error(["build", str(source), "-o", str(output)])
        assert f"output folder {output} is the source folder" in error
    assert sorted(p.name for p in content.rglob("*")) == ["en.md", "leaflet.toml", "x"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "/dev/null"], "/dev/null is not a folder"),
        (["check", "--loudness", "nan"], "--loudness nan LUFS is out of range"),
        (["script", "/dev/zero"], "is a character device"),
        (["chapters", "/dev/zero", "--lang", "xx"], "is a character device"),
        (["say", "Hi.", "--lang", "en", "--rate", "nan"], "--rate nan is out of range"),
        (["say", "Hi.", "--lang", "en", "-o", "/dev/null"], "use one of the suffixes"),
        (["voices", "--lang", "xx"], "language 'xx' is not supported"),
        (["voices", "--voices-dir", "/dev/null"], "--voices-dir /dev/null is not a folder"),
        (["cache", "info", "--cache-dir", "/dev/null"], "cache folder /dev/null is not a folder"),
        (["cache", "prune", "--all", "--cache-dir", "/dev/null"], "is not a folder"),
        (["cache", "prune", "/dev/zero"], "is a character device"),
    ],
)
def test_absurd_values_for_other_commands_are_one_line(args: list[str], said: str) -> None:
    assert said in one_line_error(args)


# Full disks and write errors: one line naming the file that failed, nothing else harmed.


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.rglob("*") if ".partial-" in p.name or ".old-" in p.name]


def build_limited(limit: int, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """A build whose files may not grow past `limit` bytes (`ulimit -f`): writes then fail with
    EFBIG, as on a full disk, without needing root or a small file system."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "audioleaflet", "build", "-q", "--outputs", "mp3", *args],
        capture_output=True, text=True, check=False, timeout=300, preexec_fn=limited,
        env={**os.environ, **env},
    )  # fmt: skip


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(leaflet, output, cache): a good build, its clips and MP3s in a cache of its own."""
    leaflet = tiny_leaflet(tmp_path / "x", text="Wash your hands. Then dry them well.")
    output, cache = tmp_path / "out", tmp_path / "cache"
    result = runner().invoke(
        cli, ["build", str(leaflet), "-o", str(output), "--cache-dir", str(cache), "-q",
              "--outputs", "mp3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return leaflet, output, cache


def test_a_full_output_names_the_output_file(built: tuple[Path, Path, Path]) -> None:
    leaflet, output, cache = built
    before, book = snapshot(output), output / "en" / "x.mp3"
    done = build_limited(book.stat().st_size // 2, [str(leaflet), "-o", str(output),
                                                     "--cache-dir", str(cache)])  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: cannot write {book}: File too large; it is larger than this system lets a "
        "process write (ulimit -f) or the file system allows, or choose another output folder "
        "with -o\n"
    )
    assert snapshot(output) == before and leftovers(output, cache) == []


def test_a_folder_where_a_record_goes_names_the_record(built: tuple[Path, Path, Path]) -> None:
    """The error names the path that is a folder, not the temporary name written beside it."""
    leaflet, output, cache = built
    record = output / ".feed-settings.json"
    record.unlink()
    record.mkdir()
    done = run_cli(["build", str(leaflet), "-o", str(output), "--cache-dir", str(cache), "-q",
                    "--outputs", "mp3"], timeout=120)  # fmt: skip
    assert assert_one_line_error(done).startswith(f"Error: cannot write {record}: Is a directory")


def test_a_language_folder_that_is_a_link_is_refused(built: tuple[Path, Path, Path]) -> None:
    """Published folders are replaced whole: a link would be written through to elsewhere."""
    leaflet, output, cache = built
    (output / "en").rename(output / "en-real")
    (output / "en").symlink_to("en-real")
    before = snapshot(output / "en-real")
    done = run_cli(["build", str(leaflet), "-o", str(output), "--cache-dir", str(cache), "-q",
                    "--outputs", "mp3"], timeout=120)  # fmt: skip
    assert assert_one_line_error(done).startswith(f"Error: {output / 'en'} is a link to en-real")
    assert snapshot(output / "en-real") == before and (output / "en").is_symlink()


def test_a_full_cache_names_the_cache_file(built: tuple[Path, Path, Path], tmp_path: Path) -> None:
    leaflet, output, _cache = built
    before, cache = snapshot(output), tmp_path / "cold-cache"
    done = build_limited(4096, [str(leaflet), "-o", str(output), "--cache-dir", str(cache)])
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"Error: cannot write {cache / 'clips'}/")
    assert done.stderr.endswith("or choose another cache with --cache-dir\n")
    assert snapshot(output) == before and leftovers(output, cache) == []


def test_a_full_temporary_folder_says_so(built: tuple[Path, Path, Path], tmp_path: Path) -> None:
    leaflet, output, cache = built
    shutil.rmtree(cache / "mp3")  # the chapters are assembled again, in the temporary folder
    biggest_clip = max(p.stat().st_size for p in (cache / "clips").iterdir())
    work = tmp_path / "tmp"
    work.mkdir()
    before = snapshot(output)
    done = build_limited(biggest_clip + 1, [str(leaflet), "-o", str(output), "--cache-dir",
                                            str(cache)], TMPDIR=str(work))  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"Error: cannot write a temporary file in {work}: File too")
    assert done.stderr.endswith("or choose another folder for temporary files with TMPDIR=...\n")
    assert snapshot(output) == before and list(work.iterdir()) == []
    assert leftovers(output, cache) == []


def test_a_cache_folder_that_is_a_file(tmp_path: Path) -> None:
    leaflet = tiny_leaflet(tmp_path / "x")
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    for cache in (blocker, blocker / "inside"):
        error = one_line_error(["build", str(leaflet), "-o", str(tmp_path / "out"),
                                "--cache-dir", str(cache)])  # fmt: skip
        assert str(cache) in error and "choose another with --cache-dir" in error


def test_write_failures_reported_by_ffmpeg_are_recognised(tmp_path: Path) -> None:
    """ffmpeg says why it could not write, or is stopped by SIGXFSZ before it can say."""
    dest = tmp_path / "chapter.mp3"
    full = ToolError(f"ffmpeg failed (exit 1) on `... {dest}`: {os.strerror(28)}")
    killed = ToolError(f"ffmpeg failed (signal {int(signal.SIGXFSZ)}) on `... {dest}`: ")
    unrelated = ToolError("ffmpeg failed (exit 1) on `...`: Invalid data found")
    assert write_failure(full, [dest]) == 28
    assert write_failure(killed, [dest]) == 27
    assert write_failure(unrelated, [dest]) is None
