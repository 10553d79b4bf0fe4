"""`voices install` against a local server laid out like the public Piper voices repository."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from audioleaflet.engines import EngineOptions, SpeechSettings, get_engine
from audioleaflet.errors import ServiceError, VoiceError
from audioleaflet.voices.install import DOWNLOADS, install_voice
from tests.conftest import runner

NAME = "en_US-joe-medium"
FOLDER = "en/en_US/joe/medium"


@dataclass
class Repository:
    url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    catalogue: dict[str, object] = field(default_factory=dict)
    cut_after: int | None = None
    """Drop the next model download's connection after this many bytes."""
    ranges: list[str] = field(default_factory=list)


def _catalogue(files: dict[str, bytes], corrupt: str | None = None) -> dict[str, object]:
    listed = {
        path: {
            "size_bytes": len(data),
            "md5_digest": hashlib.md5(data + (b"x" if path == corrupt else b"")).hexdigest(),
        }
        for path, data in files.items()
    }
    return {NAME: {"key": NAME, "language": {"code": "en_US"}, "files": listed}}


class _Handler(BaseHTTPRequestHandler):
    repo: Repository

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0].lstrip("/")
        if path == "voices.json":
            data = json.dumps(self.repo.catalogue).encode()
        elif path in self.repo.files:
            data = self.repo.files[path]
        else:
            self.send_error(404)
            return
        start = 0
        if "Range" in self.headers:
            self.repo.ranges.append(self.headers["Range"])
            start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        body = data[start:]
        if path.endswith(".onnx") and self.repo.cut_after is not None:
            body, self.repo.cut_after = body[: self.repo.cut_after], None
            self.wfile.write(body)
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture(scope="module")
def joe_files() -> dict[str, bytes]:
    joe = Path(get_engine("piper").default_voice("en").location)
    return {
        f"{FOLDER}/{NAME}.onnx": joe.read_bytes(),
        f"{FOLDER}/{NAME}.onnx.json": Path(str(joe) + ".json").read_bytes(),
        f"{FOLDER}/MODEL_CARD": b"Voice: joe\nLicence: see the dataset\n",
    }


@pytest.fixture
def repository(joe_files: dict[str, bytes]) -> Iterator[Repository]:
    repo = Repository(files=joe_files, catalogue=_catalogue(joe_files))
    handler = type("Handler", (_Handler,), {"repo": repo})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    repo.url = f"http://127.0.0.1:{server.server_address[1]}/piper-voices/resolve/main/"
    # The repository lives below a path, as on Hugging Face: strip it in the handler.
    handler.do_GET = _strip_prefix(handler.do_GET)  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield repo
    server.shutdown()
    server.server_close()


def _strip_prefix(get):  # type: ignore[no-untyped-def]
    def handle(self: _Handler) -> None:
        self.path = self.path.removeprefix("/piper-voices/resolve/main")
        get(self)

    return handle


def test_install_places_a_checked_voice_that_then_speaks(
    repository: Repository, tmp_path: Path
) -> None:
    voices = tmp_path / "voices"
    seen: list[tuple[int, int]] = []
    folder = install_voice(
        NAME, voices, repository.url, lambda done, total: seen.append((done, total))
    )
    assert folder == voices / NAME
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{NAME}.onnx", f"{NAME}.onnx.json", "MODEL_CARD"]
    )
    assert not (voices / DOWNLOADS / NAME).exists()
    total = sum(len(d) for d in repository.files.values())
    assert seen[-1] == (total, total) and len(seen) > 10
    engine = get_engine("piper", EngineOptions(voices_dirs=(voices,)))
    voice = engine.find_voice(NAME, "en")
    assert Path(voice.location).parent == folder  # the voices folder wins over the package
    assert len(engine.synthesize("Hello.", voice, SpeechSettings()).pcm) > 10_000


def test_a_broken_download_resumes_where_it_stopped(repository: Repository, tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    repository.cut_after = 5_000_000
    with pytest.raises(ServiceError, match="run the same command again to resume"):
        install_voice(NAME, voices, repository.url)
    part = voices / DOWNLOADS / NAME / f"{NAME}.onnx"
    assert part.stat().st_size == 5_000_000
    assert not (voices / NAME).exists()  # nothing half-installed where voices are looked for
    install_voice(NAME, voices, repository.url)
    assert "bytes=5000000-" in repository.ranges
    model = voices / NAME / f"{NAME}.onnx"
    assert model.read_bytes() == repository.files[f"{FOLDER}/{NAME}.onnx"]


def test_a_bad_checksum_is_refused_and_removed(repository: Repository, tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    repository.catalogue = _catalogue(repository.files, corrupt=f"{FOLDER}/{NAME}.onnx")
    with pytest.raises(VoiceError, match=r"en_US-joe-medium.onnx failed its checksum"):
        install_voice(NAME, voices, repository.url)
    assert not (voices / NAME).exists()
    assert not (voices / DOWNLOADS / NAME / f"{NAME}.onnx").exists()


def test_unknown_voice_and_unreachable_repository(repository: Repository, tmp_path: Path) -> None:
    with pytest.raises(
        VoiceError, match="no voice 'en_US-joe-mediun'; did you mean en_US-joe-medium"
    ):
        install_voice("en_US-joe-mediun", tmp_path, repository.url)
    with pytest.raises(ServiceError, match="cannot reach the Piper voices repository"):
        install_voice(NAME, tmp_path, "http://127.0.0.1:9/")


def test_cli_install_and_list(repository: Repository, tmp_path: Path) -> None:
    from audioleaflet.cli import cli

    voices = tmp_path / "voices"
    result = runner().invoke(
        cli, ["voices", "install", NAME, "--voices-dir", str(voices), "--from", repository.url]
    )
    assert result.exit_code == 0, result.stderr
    assert f"installed {NAME} into {voices / NAME}" in result.stdout
    listing = runner().invoke(cli, ["voices", "--lang", "en", "--voices-dir", str(voices)])
    assert listing.exit_code == 0 and "piper:en_US-joe-medium" in listing.stdout
    failed = runner().invoke(
        cli,
        [
            "voices",
            "install",
            "xx_XX-none-low",
            "--voices-dir",
            str(voices),
            "--from",
            repository.url,
        ],
    )
    assert failed.exit_code == 1 and failed.stderr.startswith("Error: the Piper voices repository")


@pytest.mark.parametrize(
    "catalogue",
    [42, {NAME: {"files": {f"{FOLDER}/{NAME}.onnx": {"md5_digest": "x"}}}}, {NAME: {"files": []}}],
)
def test_a_malformed_listing_is_one_clear_error(
    repository: Repository, tmp_path: Path, catalogue: object
) -> None:
    repository.catalogue = catalogue  # type: ignore[assignment]
    with pytest.raises(ServiceError, match=r"voices\.json (is not a Piper voices list|lists)"):
        install_voice(NAME, tmp_path, repository.url)
