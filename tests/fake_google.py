"""A local imitation of Google Translate's speech endpoint, reached the way gTTS reaches it.

gTTS always talks HTTPS to translate.google.com, through the proxy that `https_proxy` names.
This server is that proxy: it accepts the CONNECT, ends the TLS connection itself with a
certificate from a throw-away CA (gTTS does not verify certificates), and answers the
`batchexecute` RPC as Google does: base64 MP3 inside a JSON line. The speech in the MP3 is real
(espeak-ng, encoded by ffmpeg), so durations and levels are those of speech. Tests can queue
HTTP failures to see retries and refusals.
"""

from __future__ import annotations

import base64
import json
import ssl
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme

from audioleaflet.audio.pcm import write_wav
from audioleaflet.engines import SpeechSettings
from audioleaflet.engines.espeak import EspeakEngine
from audioleaflet.programs.ffmpeg import run_ffmpeg


@dataclass
class Service:
    """What the imitation was asked, and what it should do next."""

    url: str = ""
    said: list[tuple[str, str]] = field(default_factory=list)
    """(text, lang) of every request that got audio."""
    failures: list[int] = field(default_factory=list)
    """HTTP statuses to answer the next requests with, in order."""
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _mp3_of(text: str, lang: str) -> bytes:
    engine = EspeakEngine()
    speech = engine.synthesize(text, engine.default_voice(lang), SpeechSettings())
    with tempfile.TemporaryDirectory() as tmp:
        wav, mp3 = Path(tmp) / "s.wav", Path(tmp) / "s.mp3"
        write_wav(wav, speech.pcm, speech.sample_rate)
        run_ffmpeg(["-y", "-i", wav, "-ar", "24000", "-ac", "1", "-b:a", "32k", mp3])
        return mp3.read_bytes()


class _Google(BaseHTTPRequestHandler):
    service: Service

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
        text, lang = json.loads(rpc[0][0][1])[:2]
        with self.service.lock:
            self.service.requests += 1
            status = self.service.failures.pop(0) if self.service.failures else 200
        if status != 200:
            self.send_error(status)
            return
        audio = base64.b64encode(_mp3_of(text, lang)).decode()
        rpc_answer = [["wrb.fr", "jQ1olc", f'["{audio}"]', None, None, None, "generic"]]
        line = json.dumps(rpc_answer, separators=(",", ":"))
        payload = f")]}}'\n\n{line}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        with self.service.lock:
            self.service.said.append((text, lang))


class _Proxy(BaseHTTPRequestHandler):
    tls: ssl.SSLContext
    service: Service

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_CONNECT(self) -> None:
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            secure = self.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        handler = type("Google", (_Google,), {"service": self.service})
        try:
            handler(secure, self.client_address, self.server)
        finally:
            secure.close()
        self.close_connection = True


@contextmanager
def fake_google() -> Iterator[Service]:
    """Run the imitation; `service.url` is the proxy address to put in `https_proxy`."""
    authority = trustme.CA()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("translate.google.com").configure_cert(tls)
    service = Service()
    handler = type("Proxy", (_Proxy,), {"tls": tls, "service": service})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
