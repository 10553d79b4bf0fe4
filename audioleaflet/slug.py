"""File-name-safe slugs for leaflets and chapters.

A slug is ASCII letters, digits and single hyphens, so it is the same file name on every system
and in every URL, whatever characters the title had (controls, bidi marks, slashes, dots).
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus accent.
_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"}
)
# Device names Windows will not open as files, with any extension (`con.mp3` is the console).
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)


def slugify(text: str, max_length: int = 60) -> str:
    """`Hvad er anderledes ved …?` -> `hvad-er-anderledes-ved`; never empty."""
    lowered = text.lower().translate(_SPELLED_OUT)
    # Lowered again: a compatibility form can be a capital (`ℌ` is `H`).
    ascii_only = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    # `index` is the web edition's language page (`<lang>/index.html`), never a leaflet's.
    if slug in _WINDOWS_DEVICES or slug == "index":
        slug += "-leaflet"
    return slug or "untitled"
