"""Progress: a bar on a terminal, plain lines in a log, nothing with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import CONTENT


def build_on_terminal(tmp_path: Path, *extra: str) -> str:
    """Run a build with its stderr on a real pseudo-terminal; return what the terminal got."""
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "audioleaflet", "build", str(CONTENT / "hand-hygiene"),
               "--lang", "en", "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c"),
               *extra]  # fmt: skip
    process = subprocess.Popen(command, stderr=terminal, stdout=subprocess.DEVNULL)
    os.close(terminal)
    received = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the build ends
            break
        if not chunk:
            break
        received += chunk
    assert process.wait() == 0
    os.close(controller)
    return received.decode(errors="replace")


def test_a_terminal_shows_a_progress_bar_then_the_files(tmp_path: Path) -> None:
    shown = build_on_terminal(tmp_path)
    assert "Speaking" in shown and "100%" in shown
    assert "hand-hygiene.mp3 (5 chapters" in shown
    assert shown.index("100%") < shown.index("hand-hygiene.mp3")


def test_quiet_prints_nothing_on_a_terminal(tmp_path: Path) -> None:
    assert build_on_terminal(tmp_path, "--quiet").strip() == ""


def test_a_log_gets_plain_lines_without_a_bar(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "build", str(CONTENT / "hand-hygiene"), "--lang",
         "en", "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "Speaking" not in done.stderr and "\r" not in done.stderr
    assert "25 sentences: 25 spoken, 0 from the cache" in done.stderr
