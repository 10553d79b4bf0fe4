"""The one wrapper around the external ffmpeg program, and the choice of which ffmpeg runs.

By default the static binary shipped in the `imageio-ffmpeg` wheel runs, never an `ffmpeg`
that happens to be on PATH: a distribution's ffmpeg (Debian 12's 5.1, Ubuntu 22.04's 4.4)
lacks filter options we use, and a different build encodes different bytes, so builds would
stop being reproducible depending on what else a machine has. Another ffmpeg runs only when
the user names it (`$AUDIOLEAFLET_FFMPEG` or `audioleaflet --ffmpeg PATH`); it is then tried
once on a short tone through every step a build takes (`audio/ffmpeg_check.py`). `ffprobe` is never
used: the wheel does not ship it.

Arguments are always a list (no shell), the exit status is always checked, and a failure names
the command and the end of ffmpeg's own message.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.errors import ToolError
from audioleaflet.lifetime import child_hook

FFMPEG_ENV = "AUDIOLEAFLET_FFMPEG"
BUNDLED = "bundled"


@dataclass(frozen=True, slots=True)
class Ffmpeg:
    """The ffmpeg program every step of this process runs."""

    path: str
    origin: str
    """`bundled` (imageio-ffmpeg's binary), or how the user named another one."""

    @property
    def bundled(self) -> bool:
        return self.origin == BUNDLED

    def describe(self) -> str:
        """One line for logs and `check`'s header: which program, which version, why."""
        why = "bundled with imageio-ffmpeg" if self.bundled else f"chosen by {self.origin}"
        version = ffmpeg_version().split(" Copyright", 1)[0]
        return f"{version} ({self.path}, {why})"


def use_ffmpeg(path: str | Path | None) -> None:
    """Run `path` as ffmpeg from now on (None: the bundled one), here and in worker processes.

    It is passed on through the environment, which spawned workers inherit.
    """
    if path is None:
        os.environ.pop(FFMPEG_ENV, None)
    else:
        os.environ[FFMPEG_ENV] = str(path)
    chosen_ffmpeg.cache_clear()
    ffmpeg_version.cache_clear()


def _bundled() -> str:
    """imageio-ffmpeg's own binary, found in its package folder.

    Not `imageio_ffmpeg.get_ffmpeg_exe()`: that returns `$IMAGEIO_FFMPEG_EXE` or a system
    ffmpeg when it likes, which is exactly the accident this module avoids.
    """
    other = f"set {FFMPEG_ENV}=/path/to/ffmpeg (5.1 or newer)"
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ToolError(
            f"the imageio-ffmpeg package is missing: pip install imageio-ffmpeg, or {other}"
        ) from None
    folder = Path(imageio_ffmpeg.__file__).parent / "binaries"
    found = sorted(p for p in folder.glob("ffmpeg*") if p.is_file() and os.access(p, os.X_OK))
    if not found:
        raise ToolError(f"imageio-ffmpeg ships no ffmpeg binary for this platform; {other}")
    return str(found[-1])


@functools.cache
def chosen_ffmpeg() -> Ffmpeg:
    """The ffmpeg to run: `$AUDIOLEAFLET_FFMPEG` if set, else the bundled binary."""
    named = os.environ.get(FFMPEG_ENV, "").strip()
    if not named:
        return Ffmpeg(_bundled(), BUNDLED)
    path = Path(named).expanduser()
    fix = f"fix {FFMPEG_ENV} (or --ffmpeg), or unset it to use the bundled ffmpeg"
    if not path.exists():
        raise ToolError(f"ffmpeg {named} (from --ffmpeg or ${FFMPEG_ENV}) does not exist; {fix}")
    if not path.is_file() or not os.access(path, os.X_OK):
        raise ToolError(
            f"ffmpeg {named} (from --ffmpeg or ${FFMPEG_ENV}) is not an executable file; {fix}"
        )
    return Ffmpeg(str(path), f"${FFMPEG_ENV}")


def ffmpeg_path() -> str:
    """The ffmpeg binary to run."""
    return chosen_ffmpeg().path


@functools.cache
def ffmpeg_version() -> str:
    """ffmpeg's version line; different builds encode differently, so it belongs in cache keys."""
    lines = run_ffmpeg(["-version"], quiet=False).strip().splitlines()
    if not lines or not lines[0].startswith("ffmpeg version"):
        raise ToolError(f"{ffmpeg_path()} does not answer -version as ffmpeg does")
    return lines[0]


def run_ffmpeg(args: list[str | Path], quiet: bool = True) -> str:
    """Run ffmpeg with `args`; return what it printed (stdout, or stderr when it wrote none)."""
    done = _run(args, quiet)
    out = done.stdout.decode(errors="replace")
    return out or done.stderr.decode(errors="replace")


def run_ffmpeg_data(args: list[str | Path]) -> tuple[bytes, str]:
    """Run ffmpeg with `args`; return what it wrote to stdout (data) and its log (stderr)."""
    done = _run(args, quiet=False)
    return done.stdout, done.stderr.decode(errors="replace")


def graph_value(value: str) -> str:
    """`value` (a file's path) escaped as a filter's option inside a filtergraph: once for the
    filter's own options (`\\ ' :`), then once more for the graph (`\\ ' [ ] , ;`), as ffmpeg's
    filter documentation describes ("Notes on filtergraph escaping")."""
    for specials in ("\\':", "\\'[],;"):
        value = "".join(f"\\{c}" if c in specials else c for c in value)
    return value


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
        # ffmpeg dies with the build: a killed build leaves no encode running on.
        done = subprocess.run(command, capture_output=True, check=False, preexec_fn=child_hook())
    except OSError as exc:
        raise ToolError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        shown = " ".join(command[3:] if quiet else command[1:])
        how = f"exit {done.returncode}" if done.returncode > 0 else f"signal {-done.returncode}"
        raise ToolError(f"ffmpeg failed ({how}) on `{shown}`: {' | '.join(tail)}")
    return done
