"""A local preview of the output folder over HTTP, on 127.0.0.1 only, for checking the web
edition in a browser before publishing it.

Browsers seek in audio (a chapter link, a sentence of the transcript) by asking for a byte
range; Python's own file server answers every request with the whole file, so a browser could
not seek in it. This one answers `Range: bytes=a-b` with `206 Partial Content` (and an
unsatisfiable range with 416), as any real web server does.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

HOST = "127.0.0.1"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte a single-range `Range` header asks for, within `size`; None
    when it cannot be met (a multi-range request is answered whole, as the standard allows)."""
    match = _RANGE.match(header.strip())
    if not match or not any(match.groups()) or size == 0:
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        return max(0, size - int(last)), size - 1
    if int(first) >= size:
        return None
    return int(first), min(int(last), size - 1) if last else size - 1


class RangeHandler(SimpleHTTPRequestHandler):
    """A file server that answers byte ranges, quietly (a preview is not a log)."""

    _range: tuple[int, int] | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> BinaryIO | None:
        self._range = None
        header = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if header is None or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        wanted = byte_range(header, size)
        if wanted is None:
            if header.strip().startswith("bytes=") and "," not in header:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return super().send_head()
        first, last = wanted
        handle = path.open("rb")
        self._range = wanted
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        handle.seek(first)
        return handle

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        if self._range is None:
            shutil.copyfileobj(source, outputfile)
            return
        remaining = self._range[1] - self._range[0] + 1
        while remaining > 0 and (chunk := source.read(min(65536, remaining))):
            outputfile.write(chunk)
            remaining -= len(chunk)


def preview_server(folder: Path, port: int = 8000) -> ThreadingHTTPServer:
    """A server of `folder` on 127.0.0.1:`port` (0: any free port), not yet serving."""
    handler: Callable[..., RangeHandler] = partial(RangeHandler, directory=str(folder))
    RangeHandler.extensions_map = {
        **RangeHandler.extensions_map,
        ".vtt": "text/vtt",
        ".m4b": "audio/mp4",
        ".mp3": "audio/mpeg",
        ".svg": "image/svg+xml",
    }
    return ThreadingHTTPServer((HOST, port), handler)
