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

Patterns come from the user, so each is checked when the lexicon is read: it must compile, its
replacement may only name groups it has, it must not match an empty text, and it is tried on
text made to make a backtracking matcher take forever (`(a+)+b` on a long run of `a`). They run
on the `regex` module with a CPU-time limit per sentence, so a pattern the probe missed still
ends the build with one line naming it instead of hanging it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import regex

from audioleaflet.config.toml_file import TomlFile
from audioleaflet.errors import InputError
from audioleaflet.intake.tree import shared_folder

SECTIONS = ("words", "patterns", "phonemes")
MATCH_LIMIT_S = 1.0
"""CPU seconds one entry may take on one sentence: a proper pattern takes microseconds."""
PROBE_LIMIT_S = 0.2
PROBE_CHARS = 1000
"""Longer than any sentence the build speaks (they are split at 250 characters)."""
_BACKTRACKING_HINT = (
    "a repeat inside a repeat, like (a+)+, or overlapping choices under one, like (a|aa)+, "
    "can take forever; simplify it"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One replacement, with where it was written for error messages."""

    pattern: regex.Pattern[str]
    replacement: str
    source: _Source
    section: str
    key: str

    @property
    def where(self) -> str:
        """`path, line N: [table]`, for error messages; the line is looked up only then."""
        return self.source.where(self.section, self.key)


@dataclass(frozen=True)
class Lexicon:
    """Replacements for one language, in the order they apply."""

    entries: tuple[Entry, ...] = field(default=())
    unusable: tuple[Entry, ...] = field(default=())
    """Entries the voice cannot use (`[phonemes]` for an engine that takes none): a sentence
    they match is spoken as written, with a warning naming the entry."""
    warn: Callable[[str], None] | None = None
    who: str = ""
    """The voice, for that warning."""

    def for_voice(
        self, phonemes: bool, who: str, warn: Callable[[str], None] = lambda _line: None
    ) -> Lexicon:
        """The entries `who` can use: phonemes first where it reads them (they say a word
        exactly), else a word's `[words]` form, and only a warning for a phonemes-only word."""
        if phonemes:
            order = {"phonemes": 0}
            entries = sorted(self.entries, key=lambda e: order.get(e.section, 1))
            entries.sort(key=lambda e: -len(e.pattern.pattern))  # stable: phonemes stay first
            return Lexicon(tuple(entries))
        usable = tuple(e for e in self.entries if e.section != "phonemes")
        spelled = {e.key.casefold() for e in usable if e.section == "words"}
        unusable = tuple(
            e for e in self.entries if e.section == "phonemes" and e.key.casefold() not in spelled
        )
        return Lexicon(usable, unusable, warn, who)

    def apply(self, text: str) -> str:
        for entry in self.unusable:
            if self.warn is not None and entry.pattern.search(text, timeout=MATCH_LIMIT_S):
                self.warn(
                    f"warning: {entry.where} {entry.key!r}: {self.who} cannot use espeak-ng "
                    f"phonemes, so it reads the word as written; add it to [words] with a "
                    f"spelling that sounds right"
                )
        for entry in self.entries:
            try:
                text = entry.pattern.sub(entry.replacement, text, timeout=MATCH_LIMIT_S)
            except TimeoutError:
                raise InputError(
                    f"{entry.where} {entry.pattern.pattern!r} took over "
                    f"{MATCH_LIMIT_S:g} s on the sentence {_excerpt(text)}; {_BACKTRACKING_HINT}"
                ) from None
        return text

    def merged(self, other: Lexicon) -> Lexicon:
        """`other` first: its entries win over ours."""
        return Lexicon(other.entries + self.entries)


def _excerpt(text: str, chars: int = 60) -> str:
    return repr(text if len(text) <= chars else text[:chars] + "…")


def _word(word: str) -> regex.Pattern[str]:
    # Whatever its case: a word is the same word at the start of a sentence.
    return regex.compile(rf"(?<![\w-]){regex.escape(word)}(?![\w-])", regex.IGNORECASE)


def _literal(text: str) -> str:
    """`text` as a replacement that inserts it as it is (no group references)."""
    return text.replace("\\", "\\\\")


@dataclass(frozen=True, slots=True)
class _Source:
    """Where a lexicon's tables were written, to point at the line of a bad entry."""

    name: str
    path: Path | None
    """The file, when known, so an error can name the line."""
    table: tuple[str, ...]
    """The tables above the lexicon's sections in it: `("lexicon", "da")` in a leaflet.toml."""

    def where(self, section: str, key: str | None = None) -> str:
        line = _line_of(self.path, (*self.table, section, key)) if key and self.path else None
        prefix = f"{self.name}, line {line}" if line else self.name
        header = ".".join((*self.table, section))
        return f"{prefix}: [{header}]"


def lexicon_from_tables(
    tables: dict[str, Any], where: str | Path, table: tuple[str, ...] = ()
) -> Lexicon:
    """The lexicon in `tables`, every entry checked; `where` is the file they were read from
    (a path lets errors name the line) and `table` the keys above them in it."""
    source = _Source(str(where), where if isinstance(where, Path) else None, table)
    entries: list[Entry] = []
    for section, values in tables.items():
        if section not in SECTIONS:
            raise InputError(
                f"{source.name}: unknown lexicon section [{'.'.join((*table, section))}]; "
                f"use {', '.join(SECTIONS)}"
            )
        if not isinstance(values, dict):
            raise InputError(f'{source.where(section)} must be a table of "word" = "said"')
    for key, said in _texts(tables, "words", source):
        entries.append(Entry(_word(key), _literal(said), source, "words", key))
    for key, said in _texts(tables, "patterns", source):
        pattern = _checked_pattern(key, said, partial(source.where, "patterns", key))
        entries.append(Entry(pattern, said, source, "patterns", key))
    for key, phonemes in _texts(tables, "phonemes", source):
        # espeak-ng reads [[...]] as phoneme mnemonics when told to (see engines/espeak.py).
        entries.append(Entry(_word(key), _literal(f"[[{phonemes}]]"), source, "phonemes", key))
    # Longer words first, so "PD-L1" is not eaten by "PD".
    return Lexicon(tuple(sorted(entries, key=lambda e: -len(e.pattern.pattern))))


def _texts(tables: dict[str, Any], section: str, source: _Source) -> Iterator[tuple[str, str]]:
    for key, value in tables.get(section, {}).items():
        if not isinstance(value, str):
            raise InputError(f"{source.where(section, key)} {key!r} must be a text in quotes")
        if not key.strip():
            raise InputError(f"{source.where(section, key)} has an empty entry; remove it")
        yield str(key), value


def _checked_pattern(
    pattern: str, replacement: str, where: Callable[[], str]
) -> regex.Pattern[str]:
    try:
        compiled = regex.compile(pattern)
    except regex.error as exc:
        raise InputError(
            f"{where()} {pattern!r} is not a valid regular expression: {exc}; "
            "fix it, or list the word under [words]"
        ) from None
    problem = _replacement_problem(compiled, replacement)
    if problem:
        count = compiled.groups
        groups = {0: "no groups", 1: "1 group, \\1"}.get(count, f"groups \\1 to \\{count}")
        hint = "write a backslash as \\\\" if "escape" in problem else f"the pattern has {groups}"
        raise InputError(
            f"{where()} {pattern!r}: its replacement {replacement!r} is unusable: {problem}; {hint}"
        )
    if compiled.search("") is not None:
        raise InputError(
            f"{where()} {pattern!r} matches an empty text, so it would put {replacement!r} "
            "between every letter; make it match at least one character"
        )
    for probe in _probes(pattern):
        try:
            compiled.search(probe, timeout=PROBE_LIMIT_S)
        except TimeoutError:
            raise InputError(
                f"{where()} {pattern!r} took over {PROBE_LIMIT_S:g} s on a test text of "
                f"{PROBE_CHARS} {probe[0]!r}; {_BACKTRACKING_HINT}"
            ) from None
    return compiled


def _replacement_problem(compiled: regex.Pattern[str], replacement: str) -> str | None:
    """What is wrong with `replacement` for `compiled`, checked by Python's own template
    parser against a pattern with the same groups (a template is only read on a match)."""
    names = {index: name for name, index in compiled.groupindex.items()}
    same_groups = "".join(
        f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, compiled.groups + 1)
    )
    try:
        re.compile(same_groups).sub(replacement, "")
    except (re.error, IndexError) as exc:
        return str(exc)
    return None


def _probes(pattern: str) -> list[str]:
    """Long runs of each character the pattern names, and of common ones, then a character
    nothing expects, then the pattern's own characters (a matcher skips a text that lacks a
    letter the pattern needs): a matcher that backtracks tries every way to split the run."""
    chars = dict.fromkeys([*(c for c in pattern if c.isalnum() or c in " -.,"), "a", "1", " "])
    tail = "\x00" + "".join(dict.fromkeys(c for c in pattern if not c.isspace()))
    return [char * PROBE_CHARS + tail for char in chars]


def _line_of(path: Path | None, keys: tuple[str | None, ...]) -> int | None:
    """The line of `path` where the entry at `keys` (tables, then key) is written, if found."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    table: tuple[str, ...] = ()
    for number, line in enumerate(lines, start=1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(?:#.*)?$", line)
        try:
            if header:
                table = _first_path(tomllib.loads(f"[{header[1]}]"))
            elif "=" in line and (*table, *_first_path(tomllib.loads(line))) == keys:
                return number
        except tomllib.TOMLDecodeError:
            continue  # Part of a multi-line value.
    return None


def _first_path(document: dict[str, Any]) -> tuple[str, ...]:
    """The keys down to the first value of a one-entry document: `a.b = 1` -> (a, b)."""
    path: list[str] = []
    value: Any = document
    while isinstance(value, dict) and len(value) == 1:
        key, value = next(iter(value.items()))
        path.append(key)
    return tuple(path)


def load_lexicon_file(path: Path, warn: Callable[[str], None] = lambda _line: None) -> Lexicon:
    if not path.is_file():
        return Lexicon()
    toml = TomlFile(path)
    if toml.notice:
        warn(toml.notice)
    return lexicon_from_tables(toml.data, path)


def lexicon_for(
    source: Path,
    lang: str,
    leaflet_tables: dict[str, Any],
    warn: Callable[[str], None] = lambda _line: None,
) -> Lexicon:
    """The shared lexicon beside the leaflets, overridden by the leaflet's own entries."""
    shared = load_lexicon_file(shared_folder(source) / "lexicon" / f"{lang}.toml", warn)
    manifest = source / "leaflet.toml"
    own = lexicon_from_tables(
        leaflet_tables.get(lang, {}),
        manifest if manifest.is_file() else f"{source} [lexicon.{lang}]",
        ("lexicon", lang),
    )
    return shared.merged(own)
