"""`build` opens no network connection, in the main process or in its speech workers.

The build runs as a real subprocess with a `sitecustomize` that makes every socket connection
and name lookup fail loudly and records the attempt; worker processes inherit it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CONTENT

BLOCKER = """
import os, socket

def _refuse(*args, **kwargs):
    with open(os.environ["NETWORK_LOG"], "a") as log:
        log.write(f"{os.getpid()} {args!r}\\n")
    raise OSError("network use is forbidden in this test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def test_build_opens_no_network_connection(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    log = tmp_path / "network.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    env["NETWORK_LOG"] = str(log)
    done = subprocess.run(
        [sys.executable, "-m", "audioleaflet", "build", str(CONTENT / "hand-hygiene"),
         "--lang", "en", "-o", str(tmp_path / "out"), "--jobs", "2"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "en" / "hand-hygiene.mp3").is_file()
    assert not log.exists(), log.read_text()


def test_the_blocker_really_blocks(tmp_path: Path) -> None:
    """Without this, the test above could pass with a blocker that does nothing."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(site), NETWORK_LOG=str(tmp_path / "log"))
    code = "import socket; socket.create_connection(('127.0.0.1', 9))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
    assert done.returncode != 0 and (tmp_path / "log").is_file()
