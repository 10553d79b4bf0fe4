"""Publishing switches each leaflet's whole set at once, and no build depends on an earlier one.

A rebuild is killed (SIGKILL, through the test-only `AUDIOLEAFLET_FAULT_AFTER` hook) after
every step of publishing in turn. After each kill `check` passes on the output folder, and
every leaflet's files and record are byte for byte those of the old build or those of a
complete new one; the next build then succeeds and leaves no leftovers.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from audioleaflet.atomic import exchange, is_leftover, remove_leftovers, swap_folder
from audioleaflet.cli import cli
from audioleaflet.config.saved import resolve_settings
from audioleaflet.faults import FAULT_ENV, STEPS
from audioleaflet.layout import EPISODES_DIR, LOCK_NAME, SAVED_SETTINGS, LeafletLayout
from audioleaflet.publish.lock import output_lock
from audioleaflet.verify import check_output
from tests.conftest import runner

SLUGS = ("alpha", "beta")


def write_leaflet(folder: Path, slug: str, version: str) -> None:
    """A small leaflet whose second chapter (title and text) differs between versions."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "leaflet.toml").write_text(
        f'title = "{slug.title()} care"\norganisation = "Test Clinic"\n'
        f'date = 2026-01-0{SLUGS.index(slug) + 1}\nlanguage = "en"\n'
    )
    second = "Before you go" if version == "old" else "After you come home"
    (folder / "en.md").write_text(
        f"# {slug.title()} care\n\n## Washing\n\nWash your hands with soap. Dry them well.\n\n"
        f"## {second}\n\nThis is the {version} advice about {slug}. Call us if you are unsure.\n"
    )


def content(root: Path, version: str) -> Path:
    for slug in SLUGS:
        write_leaflet(root / version / slug, slug, version)
    return root / version


def build_args(source: Path, output: Path, cache: Path) -> list[str]:
    # A base URL: the feeds are then the same bytes whichever folder they were built in.
    return ["build", str(source), "-o", str(output), "--cache-dir", str(cache),
            "--base-url", "https://clinic.example/audio/"]  # fmt: skip


def run_build(source: Path, output: Path, cache: Path, fault: str | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault is not None:
        env[FAULT_ENV] = fault
    done = subprocess.run(
        [sys.executable, "-m", "audioleaflet", *build_args(source, output, cache)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    return done.returncode, done.stderr


def in_process_build(*args: str) -> str:
    result = runner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leaflet_set(output: Path, slug: str) -> dict[str, str]:
    """Every file of one leaflet's set in `output/en`, with its checksum."""
    lang_dir = output / "en"
    found: dict[str, str] = {}
    for entry in LeafletLayout(lang_dir, slug).entries():
        path = lang_dir / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                found[str(file.relative_to(lang_dir))] = digest(file)
    return found


def everything(output: Path) -> dict[str, str]:
    """Every file in `output` but the lock (which holds the last build's pid)."""
    return {
        str(p.relative_to(output)): digest(p)
        for p in output.rglob("*")
        if p.is_file() and p.name != LOCK_NAME
    }


def failed_checks(output: Path) -> list[str]:
    return [f"{r.file} {r.check}: {r.detail}" for r in check_output(output) if not r.ok]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The old build, a complete new build over it, and the sources and cache they used."""
    root = tmp_path_factory.mktemp("publish")
    cache = root / "cache"
    old, new = content(root, "old"), content(root, "new")
    in_process_build(*build_args(old, root / "old-output", cache))
    shutil.copytree(root / "old-output", root / "new-output")
    in_process_build(*build_args(new, root / "new-output", cache))
    return {"old": root / "old-output", "new": root / "new-output", "source": new, "cache": cache}


def test_the_two_builds_differ_in_every_leaflet(builds: dict[str, Path]) -> None:
    for slug in SLUGS:
        old, new = leaflet_set(builds["old"], slug), leaflet_set(builds["new"], slug)
        assert len(old) > 10 and len(new) > 10
        assert old.keys() != new.keys()  # the second chapter's file is named after its title
        for name in (f"{slug}.mp3", f"{slug}.m4b", f"{slug}.vtt", f".episodes/{slug}.json"):
            assert old[name] != new[name], name
    assert not failed_checks(builds["new"])


def killed_after(
    step: str, source: Path, builds: dict[str, Path], output: Path
) -> tuple[str | None, Path]:
    """Rebuild a copy of the old output from `source`, killed after `step`; return the step's
    name (None if the build finished first) and the output folder."""
    shutil.copytree(builds["old"], output)
    code, stderr = run_build(source, output, builds["cache"], fault=step)
    if code == 0:
        return None, output
    assert code == -9, stderr
    assert "audioleaflet: fault injected after step " in stderr, stderr
    return stderr.rsplit("(", 1)[1].split(")", 1)[0], output


def assert_whole_sets(output: Path, builds: dict[str, Path], new: dict[str, dict[str, str]]) -> str:
    """`check` passes and each leaflet's set is the old build's or the new one's; return which
    (the same for all: one language folder switches as a whole)."""
    assert not failed_checks(output), failed_checks(output)
    states = set()
    for slug in SLUGS:
        found = leaflet_set(output, slug)
        old = leaflet_set(builds["old"], slug)
        assert found in (old, new[slug]), slug
        if old != new[slug]:  # a leaflet not built again is both
            states.add("old" if found == old else "new")
    assert len(states) == 1, states
    return states.pop()


def test_a_kill_after_any_step_of_publishing_leaves_whole_sets(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    # Alpha is built again; beta, not in this build, must come through the switch untouched.
    source = builds["source"] / "alpha"
    reference = tmp_path / "reference"
    shutil.copytree(builds["old"], reference)
    in_process_build(*build_args(source, reference, builds["cache"]))
    new = {slug: leaflet_set(reference, slug) for slug in SLUGS}
    assert new["alpha"] != leaflet_set(builds["old"], "alpha")
    assert new["beta"] == leaflet_set(builds["old"], "beta")
    steps: list[str] = []
    for number in range(1, 40):
        step, output = killed_after(str(number), source, builds, tmp_path / f"killed-{number}")
        if step is None:
            break
        steps.append(step)
        state = assert_whole_sets(output, builds, new)
        assert state == ("new" if "swapped" in steps else "old"), step
        # The next build succeeds, tidies every leftover and gives what a build never killed
        # gives, byte for byte.
        in_process_build(*build_args(source, output, builds["cache"]))
        assert not [p for p in output.rglob("*") if is_leftover(p.name)], step
        assert everything(output) == everything(reference), step
        shutil.rmtree(output)
    per_leaflet = ["book", "companions", "chapters", "daisy", "record"]
    per_language = ["merged", "feed", "settings", "swapped", "tidied"]
    assert steps == per_leaflet + per_language
    assert set(steps) == set(STEPS) - {"aside"}  # `aside` is the fallback's, tested below


def test_a_kill_between_two_leaflets_switches_neither(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    new = {slug: leaflet_set(builds["new"], slug) for slug in SLUGS}
    step, output = killed_after("record:1", builds["source"], builds, tmp_path / "killed")
    assert step == "record"
    assert assert_whole_sets(output, builds, new) == "old"
    in_process_build(*build_args(builds["source"], output, builds["cache"]))
    assert everything(output) == everything(builds["new"])


def test_a_kill_between_the_fallbacks_renames_is_repaired(tmp_path: Path) -> None:
    # The process id of a build that is gone (none can be that high).
    live, new = tmp_path / "en", tmp_path / ".en.staging-999999999"
    for folder, text in ((live, "old"), (new, "new")):
        (folder / "book").mkdir(parents=True)
        (folder / "book" / "01.mp3").write_text(text)
    code = (
        "import sys; from pathlib import Path; from audioleaflet.atomic import swap_folder\n"
        "swap_folder(Path(sys.argv[1]), Path(sys.argv[2]), use_exchange=False)\n"
    )
    env = {**os.environ, FAULT_ENV: "aside"}
    done = subprocess.run([sys.executable, "-c", code, str(new), str(live)], env=env, check=False)
    assert done.returncode == -9
    assert not live.exists()  # killed between the renames: what remove_leftovers must repair
    remove_leftovers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["en"]
    assert (live / "book" / "01.mp3").read_text() == "old"


def test_the_fallback_and_the_exchange_put_the_new_folder_in_place(tmp_path: Path) -> None:
    for use_exchange in (False, True):
        live, new = tmp_path / "en", tmp_path / f".en.staging-{int(use_exchange)}"
        shutil.rmtree(live, ignore_errors=True)
        for folder, text in ((live, "old"), (new, "new")):
            folder.mkdir()
            (folder / "feed.xml").write_text(text)
        old = swap_folder(new, live, use_exchange=use_exchange)
        assert old is not None and (old / "feed.xml").read_text() == "old"
        assert (live / "feed.xml").read_text() == "new"
        shutil.rmtree(old)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_linux_exchanges_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").write_text("a file may be exchanged with a folder too")
    assert exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a").is_file() and (tmp_path / "b").is_dir()


def write_bad_leaflet(root: Path) -> Path:
    folder = root / "bad"
    folder.mkdir(parents=True)
    (folder / "leaflet.toml").write_text(
        'title = "Bad"\norganisation = "Test Clinic"\ndate = 2026-01-01\nlanguage = "en"\n'
    )
    # A control character, as text pasted from a PDF can hold: the DAISY writer refused it
    # after the record was saved, and that record then broke every later build's feed.
    (folder / "en.md").write_text("# Bad\n\n## One\n\nWash your hands\x01 well.\n")
    return folder


def test_a_failed_build_does_not_poison_the_next(builds: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out"
    bad = write_bad_leaflet(tmp_path)
    alpha = builds["source"] / "alpha"
    # Whether this build fails (it did: the DAISY writer raised) or cleans the text ...
    failed = runner().invoke(cli, build_args(bad, output, builds["cache"])).exit_code != 0
    # ... a good leaflet then builds into the same folder, and the folder checks out.
    in_process_build(*build_args(alpha, output, builds["cache"]))
    assert not failed_checks(output)
    feed = feedparser.parse((output / "en" / "feed.xml").read_bytes())
    titles = {entry.title for entry in feed.entries}
    assert titles == ({"Alpha care"} if failed else {"Alpha care", "Bad"})
    assert not [p for p in output.rglob("*") if is_leftover(p.name)]


def test_a_leaflet_that_fails_leaves_the_others_published(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    shutil.copytree(builds["old"], output)
    sources = tmp_path / "sources"
    shutil.copytree(builds["source"], sources)
    write_bad_leaflet(sources)
    # Built in order: alpha, bad, beta.
    result = runner().invoke(cli, build_args(sources, output, builds["cache"]))
    expected = {slug: leaflet_set(builds["new"], slug) for slug in SLUGS}
    if result.exit_code != 0:  # the leaflet with a control character failed
        assert not (output / "en" / "bad.mp3").exists()
        # Alpha, finished before the failure, is published; beta, never reached, is as it was.
        expected["beta"] = leaflet_set(builds["old"], "beta")
    for slug in SLUGS:
        assert leaflet_set(output, slug) == expected[slug], slug
    assert not failed_checks(output)
    assert not [p for p in output.rglob("*") if is_leftover(p.name)]


POISONED = {
    "another version": {"format": 99},
    "not the file it describes": {"size": 12},
    "unreadable": None,
}


@pytest.mark.parametrize("problem", POISONED)
def test_a_bad_record_left_by_an_earlier_build_is_named_and_left_out(
    problem: str, builds: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    shutil.copytree(builds["old"], output)
    record = output / "en" / EPISODES_DIR / "beta.json"
    change = POISONED[problem]
    if change is None:
        record.write_text("{ half a record")
    else:
        record.write_text(json.dumps({**json.loads(record.read_text()), **change}))
    stderr = in_process_build(*build_args(builds["source"] / "alpha", output, builds["cache"]))
    assert f"{record}: " in stderr and "left out of the feed until beta is built again" in stderr
    feed = feedparser.parse((output / "en" / "feed.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Alpha care"]
    assert not failed_checks(output)
    # Building the leaflet again puts it back.
    in_process_build(*build_args(builds["source"] / "beta", output, builds["cache"]))
    feed = feedparser.parse((output / "en" / "feed.xml").read_bytes())
    assert sorted(entry.title for entry in feed.entries) == ["Alpha care", "Beta care"]


def test_a_record_whose_companion_is_gone_keeps_its_episode_without_the_link(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    shutil.copytree(builds["old"], output)
    (output / "en" / "beta.vtt").unlink()
    stderr = in_process_build(*build_args(builds["source"] / "alpha", output, builds["cache"]))
    assert f"{output / 'en' / EPISODES_DIR / 'beta.json'}: its beta.vtt is missing" in stderr
    feed = (output / "en" / "feed.xml").read_text()
    assert "beta.srt" in feed and "beta.vtt" not in feed
    assert not failed_checks(output)


def test_unusable_saved_settings_are_named_and_the_defaults_used(tmp_path: Path) -> None:
    (tmp_path / SAVED_SETTINGS).write_text(json.dumps({"title": ["not", "text"]}))
    warnings: list[str] = []
    settings = resolve_settings([], tmp_path, None, warn=warnings.append).feed
    assert settings.title == "Audio leaflets"
    assert len(warnings) == 1 and warnings[0].startswith(f"{tmp_path / SAVED_SETTINGS}: unusable")


def test_a_second_build_waits_for_the_first_and_says_for_whom(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    output.mkdir()
    command = [sys.executable, "-m", "audioleaflet",
               *build_args(builds["source"], output, builds["cache"])]  # fmt: skip
    with output_lock(output, lambda _line: None):  # as a running build holds it
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        first = process.stderr.readline()
        assert f"waiting for another build (process {os.getpid()}) to finish" in first
        assert process.poll() is None
        assert sorted(p.name for p in output.iterdir()) == [LOCK_NAME]  # nothing written
    _, rest = process.communicate()
    assert process.returncode == 0, rest
    assert leaflet_set(output, "alpha") == leaflet_set(builds["new"], "alpha")


def test_a_file_where_a_language_folder_belongs_is_never_switched_away(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "en").write_text("someone's notes")
    result = runner().invoke(cli, build_args(builds["source"], output, builds["cache"]))
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"Error: cannot write {output / 'en'}: File exists; ")
    assert last.endswith("choose another output folder with -o")
    assert (output / "en").read_text() == "someone's notes"
    assert not [p for p in output.iterdir() if is_leftover(p.name)]
