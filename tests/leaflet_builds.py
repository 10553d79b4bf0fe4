"""Real builds for the output writers' tests: small leaflets, spoken by espeak-ng, once a module."""

from __future__ import annotations

from pathlib import Path

from audioleaflet.build import BuiltLeaflet, build
from audioleaflet.config.saved import resolve_settings
from tests.conftest import CONTENT

HAND_HYGIENE = CONTENT / "hand-hygiene"

# Every character a transcript must escape or keep: `&`, `<`, `>`, a `-->` that would end a
# WebVTT timing line, and Danish letters. Headings included, since they become chapter titles.
SPECIAL_CHARACTERS_MD = """\
# Tegn & symboler

## Før & efter <måltidet>

Vask hænder før og efter maden. Sæbe & vand er bedst.

Brug aldrig mere end 2 g --> spørg lægen, hvis du er i tvivl.

## Dosis < 5 mg

Tag højst 5 mg om dagen, når blodtrykket er > 140.

Spis æbler, øllebrød og blåbær.
"""


def build_leaflet(source: Path, output: Path, lang: str) -> BuiltLeaflet:
    """Build one leaflet in one language, the way `audioleaflet build` does."""
    result = build([source], output, resolve_settings([source], output, None), lang=lang)
    (leaflet,) = result.built
    return leaflet


def build_special_characters(folder: Path) -> BuiltLeaflet:
    """A Danish leaflet whose printed text is full of characters that need care."""
    source = folder / "da-tegn.md"
    source.write_text(SPECIAL_CHARACTERS_MD, encoding="utf-8")
    return build_leaflet(source, folder / "out", "da")
