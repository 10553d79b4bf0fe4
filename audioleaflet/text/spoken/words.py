"""Abbreviations expanded and symbols said (or dropped when only decorative)."""

from __future__ import annotations

import re

from audioleaflet.text.vocabulary import Vocabulary

# Decoration that is never said: trade marks, the black triangle of additional monitoring.
_DECORATION = re.compile(r"[®™©▼▲]")
# The QRD template's placeholder for what the pack prints ("after {EXP}", "después de {CAD}"):
# the listener hears the abbreviation to look for, not the braces.
_PLACEHOLDER = re.compile(r"\{([^\W\d_a-z]{2,12})\}")


def _expand(text: str, table: dict[str, str], before_number: bool) -> str:
    for short in sorted(table, key=len, reverse=True):
        long = table[short]
        # An abbreviation without a dot of its own ("GmbH") may end the sentence.
        ends = r"\s,;:)\]" if short.endswith(".") else r"\s,;:)\].!?"
        follow = r"(?=\s*\d)" if before_number else rf"(?=[{ends}]|$)"
        pattern = rf"(?<![\w.]){re.escape(short)}{follow}"

        def replace(match: re.Match[str], long: str = long, short: str = short) -> str:
            # At the very end of a sentence the abbreviation's dot was also its full stop.
            at_end = match.end() == len(match.string) and short.endswith(".")
            return long + ("." if at_end else "")

        text = re.sub(pattern, replace, text)
    return text


def speak_number_abbreviations(text: str, vocab: Vocabulary) -> str:
    """`No. 5` -> `number 5`: only before a number, so it runs before numbers become words."""
    return _expand(text, vocab.section("abbreviations_before_number"), before_number=True)


def speak_abbreviations(text: str, vocab: Vocabulary) -> str:
    return _expand(text, vocab.section("abbreviations"), before_number=False)


def speak_symbols(text: str, vocab: Vocabulary) -> str:
    text = _DECORATION.sub("", text)
    text = _PLACEHOLDER.sub(r"\1", text)
    # A dash between spaces is a pause, not "minus" ("forsøg - www…", "år – sammen med").
    text = re.sub(r"\s+[-–—]\s+", ", ", text)
    # "und/oder", "and/or": a slash between two words is a pause between them, not "Schrägstrich"
    # (units, "mg/ml", are said before this; a company's "A/S" stays as it is said).
    text = re.sub(r"(?<=[^\W\d_]{2})/(?=[^\W\d_]{2})", " ", text)
    for symbol, word in vocab.section("symbols").items():
        if symbol == "+":
            text = re.sub(r"(?<=\s)\+(?=\s)", word, text)
        else:
            text = re.sub(rf"\s*{re.escape(symbol)}\s*", f" {word} ", text)
    return text
