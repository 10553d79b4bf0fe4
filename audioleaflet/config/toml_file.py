"""Loading a TOML settings file with errors that name the file and the line.

Every string in it (keys too) comes out without the characters no output can hold: a title
written `"Hand\\u0007 care"` is `Hand care`, and `notice` says what was removed and where.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from audioleaflet.errors import InputError
from audioleaflet.intake.characters import clean_data, removal_notice
from audioleaflet.intake.decoding import decode, read_bytes


class TomlFile:
    """A parsed TOML file that can point at the line a key is on when a value is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = decode(read_bytes(path, "a .toml file"), path)
        try:
            parsed = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            # tomllib's message ends "(at line N, column M)": lead with the line, as editors do.
            message = str(exc)
            match = re.search(r"\(at line (\d+), column (\d+)\)", message)
            if match:
                reason = message[: match.start()].strip()
                if "date" in reason.lower():
                    reason += "; write dates as YYYY-MM-DD with a day that exists, e.g. 2026-02-28"
                raise InputError(
                    f"{path}, line {match[1]}: malformed TOML: {reason} (column {match[2]})"
                ) from None
            raise InputError(f"{path}: malformed TOML: {message}") from None
        cleaned = clean_data(parsed)
        self.data: dict[str, Any] = cleaned.data
        self.notice: str | None = None
        """The warning about characters removed from its strings, if any were."""
        if cleaned.removed:
            self.notice = removal_notice(str(path), cleaned.removed, self._place(cleaned.first_key))

    def _place(self, keys: tuple[str, ...]) -> str:
        """`on line 3` for the innermost of `keys` found assigned, else `in title.da`."""
        for depth in range(len(keys), 0, -1):
            line = self.line_of(keys[depth - 1])
            if line is not None:
                return f"on line {line}"
        return f"in {'.'.join(keys)}" if keys else ""

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The line where `key` is assigned (in `[table]`, if given), for error messages."""
        start = 0
        if table is not None:
            header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\]", re.MULTILINE)
            found = header.search(self.text)
            start = found.end() if found else 0
        pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=", re.MULTILINE)
        match = pattern.search(self.text, start)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def fail(self, key: str, problem: str, table: str | None = None) -> InputError:
        line = self.line_of(key, table)
        where = f"{self.path}, line {line}" if line else str(self.path)
        return InputError(f"{where}: {key} {problem}")

    def check_keys(self, allowed: set[str], table: Mapping[str, Any] | None = None) -> None:
        """Refuse unknown keys: a misspelt key silently ignored is a wrong leaflet published."""
        for key in table if table is not None else self.data:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                raise self.fail(key, f"is not a known setting; known settings: {names}")

    def string(self, key: str, default: str | None = None) -> str | None:
        value = self.data.get(key, default)
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise self.fail(key, "must be a non-empty text in quotes")
        return value

    def per_language(self, key: str) -> dict[str, str]:
        """A text that is either one string or a table of strings per language."""
        value = self.data.get(key)
        if value is None:
            return {}
        if isinstance(value, str) and value.strip():
            return {"*": value.strip()}
        if isinstance(value, dict) and all(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            return {str(k): str(v).strip() for k, v in value.items()}
        raise self.fail(key, 'must be a text or a table like { da = "…", en = "…" }')

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false (without quotes)")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, "must be a date like 2026-01-31")
