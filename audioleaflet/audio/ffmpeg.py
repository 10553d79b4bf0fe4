"""The one wrapper around the external ffmpeg program.

A system `ffmpeg` on PATH is preferred; otherwise the static binary shipped in the
`imageio-ffmpeg` wheel, so a plain `pip install` suffices. `ffprobe` is never used: that wheel
does not ship it. Arguments are always a list (no shell), the exit status is always checked,
and a failure names the command and the end of ffmpeg's own message.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from audioleaflet.errors import ToolError


@functools.cache
def ffmpeg_path() -> str:
    """The ffmpeg binary to run."""
    system = shutil.which("ffmpeg")
    if system:
        return system
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise ToolError(
            f"no ffmpeg found: install ffmpeg or the imageio-ffmpeg package ({exc})"
        ) from None


@functools.cache
def ffmpeg_version() -> str:
    """ffmpeg's version line; different builds encode differently, so it belongs in cache keys."""
    return run_ffmpeg(["-version"], quiet=False).split("\n", 1)[0]


def run_ffmpeg(args: list[str | Path], quiet: bool = True) -> str:
    """Run ffmpeg with `args`; return what it printed (stdout, or stderr when it wrote none)."""
    done = _run(args, quiet)
    out = done.stdout.decode(errors="replace")
    return out or done.stderr.decode(errors="replace")


def decode_pcm(path: Path, sample_rate: int) -> bytes:
    """Decode any audio file to mono 16-bit PCM at `sample_rate` (used by checks and tests)."""
    args: list[str | Path] = ["-i", path, "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "-"]
    return _run(args, quiet=True).stdout


def _run(args: list[str | Path], quiet: bool) -> subprocess.CompletedProcess[bytes]:
    command = [ffmpeg_path(), "-hide_banner", "-nostdin"]
    if quiet:
        command += ["-loglevel", "error"]
    command += [str(a) for a in args]
    try:
        done = subprocess.run(command, capture_output=True, check=False)
    except OSError as exc:
        raise ToolError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        shown = " ".join(command[3:] if quiet else command[1:])
        raise ToolError(f"ffmpeg failed (exit {done.returncode}) on `{shown}`: {' | '.join(tail)}")
    return done
