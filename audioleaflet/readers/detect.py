"""Language detection for texts that do not declare their language.

lingua is used because it is maintained, works offline from data in its wheel, and is accurate
on short texts; we restrict it to the languages we can speak so that it cannot answer with one
we would then have to refuse.
"""

from __future__ import annotations

import functools
from typing import Any

from audioleaflet.errors import LanguageError
from audioleaflet.languages import all_languages

# How sure lingua must be before we trust it over asking the user.
MIN_CONFIDENCE = 0.5


@functools.cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, tag.upper()) for tag in all_languages()]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str, where: str) -> str:
    """The BCP 47 tag of the language `text` is written in, or a clear error."""
    sample = text[:20000]
    values = _detector().compute_language_confidence_values(sample)
    if values:
        best = values[0]
        if best.value >= MIN_CONFIDENCE:
            return str(best.language.iso_code_639_1.name.lower())
    raise LanguageError(
        f"{where}: cannot tell which language the text is in; "
        "name the file after its language (e.g. da.txt) or pass --lang"
    )
