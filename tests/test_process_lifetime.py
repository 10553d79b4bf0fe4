"""Helper processes die with the build: a SIGKILLed build leaves no speech worker, forked
synthesis child or ffmpeg running on (Linux: each asks for SIGKILL when its parent dies)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")

WAIT_S = 60  # generous on a busy machine; a survivor without the fix runs for minutes


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, session id) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[3])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive_in_session(session: int) -> dict[int, str]:
    """Every live (not zombie) process of `session`, with its command line."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None and stat[2] == session and stat[0] not in ("Z", "X"):
            found[int(entry.name)] = _cmdline(int(entry.name))
    return found


def wait_until_gone(session: int) -> dict[int, str]:
    """Poll until no process of `session` is alive; return any still alive after WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while (left := alive_in_session(session)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def start(command: list[str]) -> subprocess.Popen[bytes]:
    # A session of its own: every process it starts can be found by its session id.
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def kill_when(process: subprocess.Popen[bytes], seen: str) -> dict[int, str]:
    """SIGKILL `process` alone (not its group) once a process whose command line contains
    `seen` runs in its session; return the session's processes at that moment."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and process.poll() is None:
        members = alive_in_session(process.pid)
        if any(seen in line for pid, line in members.items() if pid != process.pid):
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return members
        time.sleep(0.01)
    raise AssertionError(f"no {seen!r} process appeared before the build ended")


def test_speech_workers_die_with_a_killed_build(tmp_path: Path, danish: Path) -> None:
    # An empty cache: the build is speaking when its workers exist.
    process = start(
        [sys.executable, "-m", "audioleaflet", "build", str(danish), "--lang", "da",
         "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"), "--jobs", "2"]
    )  # fmt: skip
    members = kill_when(process, "multiprocessing")
    assert len(members) >= 2, members
    assert wait_until_gone(process.pid) == {}


FFMPEG_IN_A_THREAD = """
from concurrent.futures import ThreadPoolExecutor
from audioleaflet.programs.ffmpeg import run_ffmpeg
# Five minutes of silence read at its own pace, from a pool thread as encoded.py runs ffmpeg.
with ThreadPoolExecutor(max_workers=1) as pool:
    pool.submit(run_ffmpeg, ["-re", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "300",
                             "-f", "null", "-"]).result()
"""


def test_ffmpeg_run_from_a_pool_thread_dies_with_its_process() -> None:
    process = start([sys.executable, "-c", FFMPEG_IN_A_THREAD])
    members = kill_when(process, "anullsrc")
    assert any("ffmpeg" in line for line in members.values()), members
    assert wait_until_gone(process.pid) == {}
