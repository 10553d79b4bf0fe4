"""The languages audioleaflet supports, read from `data/languages.toml`."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from audioleaflet.errors import LanguageError


@dataclass(frozen=True, slots=True)
class Language:
    """What we know about speaking one language."""

    tag: str
    """BCP 47 tag, e.g. `da`."""
    name: str
    """English name, for messages."""
    native: str
    """The language's own name."""
    iso639_2: str
    """Three-letter code, as ID3v2.4 TLAN requires."""
    espeak_voice: str
    """espeak-ng voice name."""
    introduction: str
    """Title of the chapter made from text before the first heading."""
    chapters: str
    """Title of the table of contents."""
    gtts_lang: str = ""
    """Google Text-to-Speech's code for it, when not the tag itself."""
    missing: str = ""
    """What the project has no data for yet in this language (unit words, abbreviations);
    empty when the language is complete. A build says so once."""


@functools.cache
def all_languages() -> dict[str, Language]:
    """Every supported language by tag, in tag order."""
    raw = tomllib.loads(resources.files("audioleaflet").joinpath("data/languages.toml").read_text())
    return {tag: Language(tag=tag, **fields) for tag, fields in sorted(raw.items())}


def normalise_tag(tag: str) -> str:
    """`EN_gb` -> `en-gb`: our keys are lower-case primary subtags."""
    return tag.strip().replace("_", "-").lower()


def get_language(tag: str) -> Language:
    """The language for `tag` (`da`, `en-GB` -> `en`); an error names the supported ones."""
    norm = normalise_tag(tag)
    langs = all_languages()
    found = langs.get(norm) or langs.get(norm.split("-")[0])
    if found is None:
        supported = ", ".join(langs)
        raise LanguageError(f"language {tag!r} is not supported; supported languages: {supported}")
    return found
