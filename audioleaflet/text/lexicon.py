"""Pronunciation lexicon: words the rules cannot know (`PD-1`, `nivolumab`, `immunonkologi`).

A lexicon file, `content/lexicon/<lang>.toml`, and a leaflet's own `[lexicon.<lang>]` table in
its `leaflet.toml` map a word to what is said instead:

    [words]                       # whole words, in any case
    "PD-1" = "P D en"
    [patterns]                    # regular expressions, with \\1 for groups
    'CTLA-(\\d)' = 'C T L A \\1'
    [phonemes]                    # espeak-ng phoneme mnemonics, said exactly
    nivolumab = "nivO'lu:mab"

Entries are applied before numbers and units are spoken; the leaflet's own entries win.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audioleaflet.errors import InputError
from audioleaflet.readers.toml_file import TomlFile
from audioleaflet.readers.tree import shared_folder

SECTIONS = ("words", "patterns", "phonemes")


@dataclass(frozen=True)
class Lexicon:
    """Replacements for one language, in the order they apply."""

    entries: tuple[tuple[re.Pattern[str], str], ...] = field(default=())

    def apply(self, text: str) -> str:
        for pattern, replacement in self.entries:
            text = pattern.sub(replacement, text)
        return text

    def merged(self, other: Lexicon) -> Lexicon:
        """`other` first: its entries win over ours."""
        return Lexicon(other.entries + self.entries)


def _word(word: str) -> re.Pattern[str]:
    # Whatever its case: a word is the same word at the start of a sentence.
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)


def lexicon_from_tables(tables: dict[str, Any], where: str) -> Lexicon:
    entries: list[tuple[re.Pattern[str], str]] = []
    for section in tables:
        if section not in SECTIONS:
            raise InputError(
                f"{where}: unknown lexicon section [{section}]; use {', '.join(SECTIONS)}"
            )
    for word, said in tables.get("words", {}).items():
        entries.append((_word(str(word)), str(said).replace("\\", "\\\\")))
    for pattern, said in tables.get("patterns", {}).items():
        try:
            entries.append((re.compile(str(pattern)), str(said)))
        except re.error as exc:
            raise InputError(
                f"{where}: pattern {pattern!r} is not a valid expression: {exc}"
            ) from None
    for word, phonemes in tables.get("phonemes", {}).items():
        # espeak-ng reads [[...]] as phoneme mnemonics when told to (see engines/espeak.py).
        entries.append((_word(str(word)), f"[[{phonemes}]]".replace("\\", "\\\\")))
    # Longer words first, so "PD-L1" is not eaten by "PD".
    return Lexicon(tuple(sorted(entries, key=lambda e: -len(e[0].pattern))))


def load_lexicon_file(path: Path, warn: Callable[[str], None] = lambda _line: None) -> Lexicon:
    if not path.is_file():
        return Lexicon()
    toml = TomlFile(path)
    if toml.notice:
        warn(toml.notice)
    return lexicon_from_tables(toml.data, str(path))


def lexicon_for(
    source: Path,
    lang: str,
    leaflet_tables: dict[str, Any],
    warn: Callable[[str], None] = lambda _line: None,
) -> Lexicon:
    """The shared lexicon beside the leaflets, overridden by the leaflet's own entries."""
    shared = load_lexicon_file(shared_folder(source) / "lexicon" / f"{lang}.toml", warn)
    own = lexicon_from_tables(leaflet_tables.get(lang, {}), f"{source} [lexicon.{lang}]")
    return shared.merged(own)
