"""Text -> the words a person says, per language (docs/spoken-form.md).

Each rule is a small named function `(text, vocabulary) -> text`; `RULES` runs them in order.
The order matters: addresses before numbers (they contain digits and dots), dates and phone
numbers before plain numbers, units with their numbers, symbols last.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from audioleaflet.text.spoken.addresses import (
    speak_emails,
    speak_phone_numbers,
    speak_postcodes,
    speak_urls,
)
from audioleaflet.text.spoken.dates import speak_dates, speak_times
from audioleaflet.text.spoken.numbers import (
    speak_between_numbers,
    speak_codes,
    speak_foreign_decimals,
    speak_glued_letters,
    speak_item_numbers,
    speak_numbers,
    speak_ordinals,
    speak_service_numbers,
    speak_years,
)
from audioleaflet.text.spoken.quantities import (
    speak_comparisons,
    speak_fractions,
    speak_multiplications,
    speak_ranges,
    speak_strength_lists,
    speak_units,
)
from audioleaflet.text.spoken.words import (
    speak_abbreviations,
    speak_number_abbreviations,
    speak_symbols,
)
from audioleaflet.text.vocabulary import Vocabulary, vocabulary

Rule = Callable[[str, Vocabulary], str]

RULES: tuple[Rule, ...] = (
    speak_emails,
    speak_urls,
    speak_number_abbreviations,
    speak_dates,
    speak_item_numbers,
    speak_phone_numbers,
    speak_postcodes,
    speak_service_numbers,
    speak_codes,
    speak_times,
    speak_foreign_decimals,
    speak_fractions,
    speak_multiplications,
    speak_ranges,
    speak_comparisons,
    speak_between_numbers,
    speak_strength_lists,
    speak_units,
    speak_ordinals,
    speak_glued_letters,
    speak_years,
    speak_numbers,
    speak_abbreviations,
    speak_symbols,
)


def tidy(text: str) -> str:
    """One space between words, none before punctuation."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" +([,.;:!?)])", r"\1", text)
    text = re.sub(r"\( +", "(", text)
    return text.strip()


def to_spoken(text: str, lang: str) -> str:
    """`text` as the words a listener should hear in `lang`."""
    vocab = vocabulary(lang)
    for rule in RULES:
        text = rule(text, vocab)
    return tidy(text)
