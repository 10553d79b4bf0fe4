"""`audioleaflet serve`'s server, asked over real HTTP: byte ranges as browsers ask to seek."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from audioleaflet.cli import cli
from audioleaflet.serve import HOST, byte_range, preview_server
from tests.conftest import runner
from tests.one_line import assert_one_line_error

DATA = bytes(range(256)) * 40


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "a.mp3").write_bytes(DATA)
    server = preview_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def get(url: str, range_header: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Range": range_header} if range_header else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_a_range_is_answered_with_206_and_only_those_bytes(served: str) -> None:
    status, headers, body = get(served + "a.mp3", "bytes=100-199")
    assert (status, body) == (206, DATA[100:200])
    assert headers["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert headers["Content-Type"] == "audio/mpeg"
    status, headers, body = get(served + "a.mp3", "bytes=10000-")
    assert (status, body) == (206, DATA[10000:])
    status, _headers, body = get(served + "a.mp3", "bytes=-5")
    assert (status, body) == (206, DATA[-5:])


def test_no_range_is_the_whole_file_and_an_impossible_one_is_416(served: str) -> None:
    status, headers, body = get(served + "a.mp3")
    assert (status, body, headers["Accept-Ranges"]) == (200, DATA, "bytes")
    status, headers, _body = get(served + "a.mp3", f"bytes={len(DATA)}-")
    assert (status, headers["Content-Range"]) == (416, f"bytes */{len(DATA)}")


def test_the_server_listens_on_this_machine_only(tmp_path: Path) -> None:
    server = preview_server(tmp_path, 0)
    with server:
        assert server.server_address[0] == "127.0.0.1"


def test_byte_ranges() -> None:
    assert byte_range("bytes=0-0", 10) == (0, 0)
    assert byte_range("bytes=5-100", 10) == (5, 9)
    assert byte_range("bytes=-3", 10) == (7, 9)
    assert byte_range("bytes=10-", 10) is None
    assert byte_range("bytes=-", 10) is None
    assert byte_range("lines=1-2", 10) is None


def test_serve_refuses_a_missing_folder_and_a_busy_port_in_one_line(tmp_path: Path) -> None:
    error = assert_one_line_error(runner().invoke(cli, ["serve", str(tmp_path / "none")]))
    assert "build into it first" in error
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        error = assert_one_line_error(runner().invoke(cli, ["serve", str(tmp_path), "--port",
                                                            str(port)]))  # fmt: skip
    assert f"cannot serve on {HOST}:{port}" in error and "--port" in error
