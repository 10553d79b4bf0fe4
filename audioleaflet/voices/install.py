"""`audioleaflet voices install NAME`: a Piper voice from the public voices repository.

The repository (https://huggingface.co/rhasspy/piper-voices) lists every voice in
`voices.json` with the path, size and MD5 of each file. A download goes to
`<voices>/.downloads/NAME/` and resumes there with an HTTP range request when run again after a
broken connection; every file is checked against its listed size and MD5; only when all are
good does the voice's folder `<voices>/NAME/` appear, renamed into place in one step.
"""

from __future__ import annotations

import difflib
import hashlib
import http.client
import json
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from audioleaflet.atomic import atomic_folder
from audioleaflet.errors import ServiceError, VoiceError

PIPER_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main/"
ENV_VOICES_URL = "AUDIOLEAFLET_PIPER_VOICES_URL"
DOWNLOADS = ".downloads"
_WANTED_SUFFIXES = (".onnx", ".onnx.json", "MODEL_CARD")
_TIMEOUT_S = 30
_BLOCK = 1 << 16
# The repository's names: language_REGION-name-quality. Nothing that could leave the folder.
_VOICE_NAME = re.compile(r"[A-Za-z0-9_]+-[A-Za-z0-9_]+-[A-Za-z0-9_]+")

Progress = Callable[[int, int], None]
"""Called with (bytes so far, bytes in all)."""


@dataclass(frozen=True, slots=True)
class RemoteFile:
    path: str
    """Path inside the repository."""
    size: int
    md5: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def default_voices_url() -> str:
    return os.environ.get(ENV_VOICES_URL) or PIPER_VOICES_URL


def _url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + urllib.request.pathname2url(path).lstrip("/")


def _unreachable(base: str, exc: Exception) -> ServiceError:
    reason = getattr(exc, "reason", None) or exc
    return ServiceError(
        f"cannot reach the Piper voices repository at {base}: {reason}; check the connection, "
        "or download the .onnx and .onnx.json files yourself into the voices folder"
    )


def remote_files(name: str, base: str) -> list[RemoteFile]:
    """The files of voice `name` as the repository's voices.json lists them."""
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise VoiceError(f"--from {base!r} is not a web address; give one like {PIPER_VOICES_URL}")
    listing = _url(base, "voices.json")
    try:
        with urllib.request.urlopen(listing, timeout=_TIMEOUT_S) as response:
            catalogue = json.load(response)
    except urllib.error.HTTPError as exc:
        raise ServiceError(f"{listing} cannot be fetched (HTTP {exc.code}); check --from") from None
    except (urllib.error.URLError, OSError) as exc:
        raise _unreachable(base, exc) from None
    except ValueError:
        raise ServiceError(f"{listing} is not a Piper voices list") from None
    if not isinstance(catalogue, dict):
        raise ServiceError(f"{listing} is not a Piper voices list")
    entry = catalogue.get(name)
    if not isinstance(entry, dict):
        close = difflib.get_close_matches(name, [str(k) for k in catalogue], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise VoiceError(f"the Piper voices repository has no voice {name!r}{hint}")
    try:
        files = [
            RemoteFile(str(path), int(info["size_bytes"]), str(info["md5_digest"]))
            for path, info in sorted(entry.get("files", {}).items())
            if str(path).endswith(_WANTED_SUFFIXES)
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ServiceError(f"{listing} lists {name!r} without file sizes and checksums") from None
    if not any(f.path.endswith(".onnx") for f in files):
        raise ServiceError(f"the repository lists no model file for {name!r}")
    return files


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, part: Path, file: RemoteFile, report: Callable[[int], None]) -> None:
    """Download into `part`, continuing from what is already there."""
    have = part.stat().st_size if part.exists() else 0
    if have >= file.size:
        return
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
            if have and response.status != 206:  # The server ignored the range: start again.
                have = 0
            with part.open("ab" if have else "wb") as out:
                report(have)
                while block := response.read(_BLOCK):
                    out.write(block)
                    have += len(block)
                    report(have)
        if have < file.size:  # The connection closed early without an error being raised.
            raise ConnectionError("the connection closed early")
    except urllib.error.HTTPError as exc:
        raise ServiceError(
            f"the Piper voices repository refused {file.name}: HTTP {exc.code}"
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise ServiceError(
            f"the download of {file.name} stopped at {have} of {file.size} bytes "
            f"({getattr(exc, 'reason', None) or exc}); run the same command again to resume"
        ) from None


def install_voice(name: str, voices: Path, base: str, progress: Progress | None = None) -> Path:
    """Download, check and place voice `name` in `voices`; return its folder."""
    if not _VOICE_NAME.fullmatch(name):
        raise VoiceError(f"{name!r} is not a Piper voice name; they look like en_GB-alba-medium")
    files = remote_files(name, base)
    partial = voices / DOWNLOADS / name
    try:
        partial.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VoiceError(f"cannot write to voices folder {voices}: {exc.strerror or exc}") from None
    total = sum(f.size for f in files)
    done_before = 0
    for file in files:
        part = partial / file.name

        def report(have: int, offset: int = done_before) -> None:
            if progress is not None:
                progress(min(offset + have, total), total)

        _fetch(_url(base, file.path), part, file, report)
        size, md5 = part.stat().st_size, _md5(part)
        if size != file.size or md5 != file.md5:
            part.unlink()
            raise VoiceError(
                f"{file.name} failed its checksum (got {size} bytes, MD5 {md5}; the repository "
                f"lists {file.size} bytes, MD5 {file.md5}); the download was removed, "
                "run the command again"
            )
        done_before += file.size
    target = voices / name
    with atomic_folder(target) as folder:
        for file in files:
            shutil.copyfile(partial / file.name, folder / file.name)
    shutil.rmtree(partial, ignore_errors=True)
    return target
