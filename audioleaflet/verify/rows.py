"""The rows of the check table, and what every check needs to know of the files decoded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audioleaflet.audio.meter import AudioMeasure


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One row of the check table."""

    file: str
    """The file checked, relative to the output folder."""
    check: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """The output folder and every audio file in it, decoded once."""

    folder: Path
    measures: dict[Path, AudioMeasure]

    def name(self, path: Path) -> str:
        """`path` as the table shows it: relative to the output folder."""
        return path.relative_to(self.folder).as_posix()

    def audio_ms(self, path: Path) -> float | None:
        """The decoded length of an audio file in the folder, if it decoded."""
        measure = self.measures.get(path)
        return measure.decoded_ms if measure else None


def summary(rows: list[CheckResult]) -> str:
    """One line: how many checks passed and failed."""
    failed = sum(not row.ok for row in rows)
    files = len({row.file for row in rows})
    verdict = f"{failed} failed" if failed else "all passed"
    return f"{len(rows)} checks on {files} files: {verdict}"


def clock(ms: float) -> str:
    """`m:ss.mmm`, as the table shows times."""
    return f"{int(ms // 60000)}:{ms % 60000 / 1000:06.3f}"


def level(dbfs: float) -> str:
    # Imported here: numpy takes 0.1 s to load, and the CLI imports this for every command.
    from audioleaflet.audio.compare import SILENCE_DBFS

    return "digital silence" if dbfs <= SILENCE_DBFS else f"{dbfs:.0f} dBFS"
