"""Counting a text's words the same way in a source and in a script, for the integrity checks."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter


def words(text: str) -> Counter[str]:
    """Each word (a run of letters, or of digits) with how often it occurs.

    A word cut by a line-end hyphen is compared whole, and a hyphen between letters is ignored,
    so `behand-` / `linger` in the source matches `behandlinger` in the script and `EU-` /
    `lande` matches `EU-lande`.
    """
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "", text)
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", text)
    return Counter(w.lower() for w in re.findall(r"[^\W\d_]+|\d+", text))
