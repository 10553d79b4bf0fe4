"""File-name-safe slugs for leaflets and chapters."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus accent.
_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"}
)


def slugify(text: str, max_length: int = 60) -> str:
    """`Hvad er anderledes ved …?` -> `hvad-er-anderledes-ved`; never empty."""
    lowered = text.lower().translate(_SPELLED_OUT)
    ascii_only = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "untitled"
