"""A build killed with SIGKILL at any moment leaves every published file complete and intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CONTENT, cli_build


def published(folder: Path) -> dict[str, bytes]:
    """What a listener or podcast app can see: every file not hidden by a leading dot."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def test_killed_build_leaves_previous_outputs_and_the_rerun_cleans_up(tmp_path: Path) -> None:
    source = CONTENT / "hand-hygiene"
    output = tmp_path / "out"
    cli_build(str(source), "-o", str(output), "--cache-dir", str(tmp_path / "first-cache"))
    before = published(output)
    assert len(before) > 10

    process = subprocess.Popen(
        # An empty cache of its own: the killed build is in the middle of real work.
        [
            sys.executable,
            "-m",
            "audioleaflet",
            "build",
            str(source),
            "-o",
            str(output),
            "--cache-dir",
            str(tmp_path / "killed-cache"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Kill it once it has started writing: a temporary file appears in the output.
    deadline = time.monotonic() + 60
    seen = False
    while time.monotonic() < deadline and process.poll() is None and not seen:
        seen = any(".partial-" in p.name for p in output.rglob(".*"))
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the build ended before it could be killed"
    assert seen, "killed before it wrote anything: the test proved nothing"

    # The same input encodes to the same bytes, so anything renamed into place before the kill
    # equals what was there; nothing half-written is visible.
    assert published(output) == before

    cli_build(str(source), "-o", str(output), "--cache-dir", str(tmp_path / "killed-cache"))
    assert published(output) == before
    assert not [p for p in output.rglob("*") if ".partial-" in p.name or ".old-" in p.name]
