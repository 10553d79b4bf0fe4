"""The `leaflet.toml` schema: what a leaflet's manifest may say, each field checked as it is read.

`Manifest` reads the file and refuses unknown keys at once; each field is checked when the
reader asks for it (`readers/sources.py` asks in the order the file's errors should come), and
a wrong value is one line naming the file and the line it is on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audioleaflet.config.speech import SPEECH_KEYS, SpeechChoices, read_speech_choices
from audioleaflet.config.toml_file import TomlFile
from audioleaflet.errors import InputError
from audioleaflet.images import ImageError, read_cover
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.intake.tree import SourceTree, is_present
from audioleaflet.languages import get_language

# What an RSS pubDate can carry: RFC 5322 dates have four-digit years from 1900.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))
MANIFEST_KEYS = {
    "title",
    "organisation",
    "date",
    "version",
    "cover",
    "language",
    "description",
    "guid",
    "headings",
    "skip",
    "notes",
    "lexicon",
    *SPEECH_KEYS,
}
NOTES_PLACES = ("chapter-end", "in-place")


MAX_VERSION = 40
"""Characters of a leaflet's version ("2.1", "Rev. 2026-03 B"): more is not a version."""


@dataclass(frozen=True)
class TextOverrides:
    """A leaflet's corrections to how its text is read (`leaflet.toml`)."""

    headings: tuple[str, ...] = ()
    """Lines that are headings even if they do not look like one."""
    skip: tuple[str, ...] = ()
    """Lines that are not read at all (furniture the rules missed)."""
    notes: str = "chapter-end"
    """Where footnote texts are spoken: `chapter-end` or `in-place`."""
    lexicon: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    """The leaflet's own pronunciation entries: language -> section -> word -> said."""


class Manifest:
    """A leaflet's `leaflet.toml`, read and checked for unknown keys."""

    def __init__(self, path: Path) -> None:
        self.toml = TomlFile(path)
        self.toml.check_keys(MANIFEST_KEYS)

    @property
    def path(self) -> Path:
        return self.toml.path

    @property
    def notices(self) -> tuple[str, ...]:
        """The warning about characters removed from its texts, if any were."""
        return (self.toml.notice,) if self.toml.notice else ()

    def text(self, key: str) -> str | None:
        """A plain text setting (`organisation`, `guid`), if given."""
        return self.toml.string(key)

    def language(self) -> str | None:
        """The default language's tag, if the manifest names one."""
        manifest = self.toml
        default_lang = manifest.string("language")
        if default_lang is None:
            return None
        try:
            return get_language(default_lang).tag
        except InputError as exc:
            raise manifest.fail("language", str(exc)) from None
        except Exception as exc:
            raise manifest.fail("language", f"is not usable: {exc}") from None

    def per_language(
        self, key: str, default_lang: str | None, text_langs: Sequence[str]
    ) -> dict[str, str]:
        """A text given once (for the default or only language) or per language, by tag."""
        manifest = self.toml
        values = manifest.per_language(key)
        if "*" in values:
            # One plain text applies to the default language, or to the only language there is.
            lang = default_lang or (text_langs[0] if len(text_langs) == 1 else None)
            if lang is None:
                raise manifest.fail(
                    key,
                    "is one text but the leaflet has several languages; "
                    'set language = "…" or give one per language',
                )
            return {lang: values["*"]}
        resolved: dict[str, str] = {}
        for tag, value in values.items():
            try:
                resolved[get_language(tag).tag] = value
            except Exception:
                raise manifest.fail(
                    key, f"names language {tag!r}, which is not supported"
                ) from None
        return resolved

    def date(self, stated: Callable[[], dt.date | None] = lambda: None) -> dt.date:
        """The publication date: required, unless the leaflet's document states it (`stated`,
        asked only when the manifest has none), and one a feed can carry."""
        manifest = self.toml
        date = manifest.date("date") or stated()
        if date is None:
            # Required: it is the feed's pubDate, and a file's mtime changes with every copy.
            raise InputError(f"{manifest.path}: date is missing; add a line like date = 2026-01-31")
        if not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
            low, high = (d.isoformat() for d in DATE_RANGE)
            raise manifest.fail(
                "date", f"{date.isoformat()} is not a date a feed can carry; use {low} to {high}"
            )
        return date

    def version(self) -> str | None:
        version = self.toml.data.get("version")
        if version is not None and not isinstance(version, str | int | float):
            raise self.toml.fail("version", 'must be a text like "2.1"')
        if version is None:
            return None
        # Said at the start of every leaflet: a version, not a paragraph read out as one.
        text = str(version).strip()
        if not text or len(text) > MAX_VERSION:
            raise self.toml.fail(
                "version",
                f'must be a short text like "2.1" (at most {MAX_VERSION} characters)',
            )
        return text

    def cover(self, folder: Path, tree: SourceTree) -> Path | None:
        """The cover image named, checked to exist inside `tree` and to decode."""
        manifest = self.toml
        name = manifest.string("cover")
        if name is None:
            return None
        path = (folder / name).resolve()
        if not is_present(folder / name):
            raise manifest.fail(
                "cover",
                f"names {name!r}, which does not exist ({path}); fix the path or remove the line",
            )
        problem = tree.problem(folder / name, "a PNG or JPEG image")
        if problem:
            raise manifest.fail("cover", f"names {name!r}, which {problem}")
        try:
            read_cover(path)
        except ImageError as problem_found:
            raise manifest.fail("cover", f"names {name!r}, which {problem_found}") from None
        return path

    def overrides(self) -> TextOverrides:
        """`headings`, `skip`, `notes` and `[lexicon.<lang>]`: corrections to how text is read."""
        manifest = self.toml
        lines: dict[str, tuple[str, ...]] = {}
        for key in ("headings", "skip"):
            value = manifest.data.get(key, [])
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise manifest.fail(key, 'must be a list of lines, like ["Mere information"]')
            lines[key] = tuple(normalise_spaces(v) for v in value)
        notes = manifest.string("notes", "chapter-end") or "chapter-end"
        if notes not in NOTES_PLACES:
            raise manifest.fail("notes", f"must be one of {', '.join(NOTES_PLACES)}")
        lexicon: Any = manifest.data.get("lexicon", {})
        if not isinstance(lexicon, dict) or not all(isinstance(v, dict) for v in lexicon.values()):
            raise manifest.fail(
                "lexicon", 'must be tables like [lexicon.da.words] with "PD-1" = "P D en"'
            )
        return TextOverrides(
            headings=lines["headings"], skip=lines["skip"], notes=notes, lexicon=lexicon
        )

    def speech(self) -> SpeechChoices:
        """The leaflet's own `[voices]`, `[speech]` and `[pauses]`."""
        return read_speech_choices(self.toml)
