"""Numbers as words: plain numbers with the agreement of a 1, ordinals, years, codes (`B12`),
service numbers said digit by digit (`112`), numbered headings, a slash between numbers, and
decimals written the other language's way. Dates and times are in `dates.py`, doses, ranges
and fractions in `quantities.py`; the words all come from `numerals.py`."""

from __future__ import annotations

import re

from audioleaflet.text.spoken.numerals import WORD, numerals, word_before
from audioleaflet.text.vocabulary import Vocabulary


def speak_foreign_decimals(text: str, vocab: Vocabulary) -> str:
    """`2,5 mg` in an English text (or `2.5 mg` in a Danish one) is a decimal written the other
    way: one or two digits after the separator are never a group of thousands."""
    n = numerals(vocab.lang)
    other = "," if n.decimal == "." else "."
    if n.thousands != other:
        return text
    return re.sub(
        rf"(?<![\d.,])(\d+){re.escape(other)}(\d{{1,2}})(?![\d.,]\d|\d)",
        rf"\1{n.decimal}\2",
        text,
    )


def speak_service_numbers(text: str, vocab: Vocabulary) -> str:
    """`Ring 112`: emergency and service numbers are said digit by digit."""
    n = numerals(vocab.lang)
    if not n.service_numbers:
        return text
    alternatives = "|".join(sorted(n.service_numbers, key=len, reverse=True))
    return re.sub(
        rf"(?<![\d.,/])({alternatives})(?![\d.,/]?\d)(?!\s?{n.unit_pattern})",
        lambda m: n.digits(m[1]),
        text,
    )


def speak_codes(text: str, vocab: Vocabulary) -> str:
    """`B12`, `E1201`, `K30`: letters then the number; long numbers digit by digit. A letter
    after the number (an additive's `E470b`) is said as a letter, as in `Ward 7B`."""
    n = numerals(vocab.lang)

    def replace(match: re.Match[str]) -> str:
        number = match[2]
        said = n.say(number) if len(number) <= 2 else n.digits(number)
        letter = f" {match[3].upper()}" if match[3] else ""
        return f"{match[1]} {said}{letter}"

    return re.sub(r"\b([A-Z]{1,3})(\d{1,5})([a-z])?\b", replace, text)


def speak_between_numbers(text: str, vocab: Vocabulary) -> str:
    """`140/90 mmHg`: a slash between two numbers is said (da `over`, it `su`)."""
    word = numerals(vocab.lang).between_numbers
    if not word:
        return text
    return re.sub(r"(?<=\d)\s?/\s?(?=\d)", f" {word} ", text)


def speak_item_numbers(text: str, vocab: Vocabulary) -> str:
    """`1. Virkning og anvendelse`: a number opening a heading or list item is its number, said
    as a number with a pause, not as an ordinal of the word after it."""
    n = numerals(vocab.lang)
    return re.sub(r"^(\d{1,2})\.\s+(?=\S)", lambda m: f"{n.say(m[1])}. ", text)


def speak_ordinals(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    if n.ordinal_dot:  # da, de: "3. dag", "am 3. Tag"
        text = re.sub(
            rf"(?<![\d.,])(\d{{1,2}})\.\s+(?={WORD})",
            lambda m: n.declined_ordinal(int(m[1]), word_before(text, m.start())) + " ",
            text,
        )
    if n.ordinal_suffixes:  # en: "3rd day"
        alternatives = "|".join(re.escape(s) for s in n.ordinal_suffixes)
        text = re.sub(
            rf"(?<![\d.,])(\d+)(?:{alternatives})\b", lambda m: n.ordinal(int(m[1])), text
        )
    if n.ordinal_degree:  # it: "3° giorno", "3ª settimana"

        def italian(m: re.Match[str]) -> str:
            word = n.ordinal(int(m[1]))
            return word[:-1] + "a" if m[2] == "ª" else word

        text = re.sub(r"(?<![\d.,])(\d+)([°ºª])(?!\s?C\b)", italian, text)
    return text


def speak_glued_letters(text: str, vocab: Vocabulary) -> str:
    """`Ward 7B`, `stue 12a`: a number with one letter glued on (a ward, room or building) is
    the number, then the letter said as a letter; `speak_codes` does `B12`. Runs after units
    and ordinals (`5g`, `3rd`, `2e` are theirs); an `s` is a plural (`the 1990s`), not a code."""
    del vocab  # the same in every language

    def replace(match: re.Match[str]) -> str:
        return f"{match[1]} {match[2].upper()}"

    return re.sub(r"(?<![\d.,])(\d{1,4})([A-Za-rt-z])\b", replace, text)


def speak_years(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    if not n.year_after:
        return text
    words = "|".join(re.escape(w) for w in n.year_after)
    return re.sub(
        rf"\b({words}) ((?:19|20)\d\d)(?![\d.,]\d)(?!\d)",
        lambda m: f"{m[1]} {n.year(int(m[2]))}",
        text,
        flags=re.IGNORECASE,
    )


def speak_numbers(text: str, vocab: Vocabulary) -> str:
    """Every number left: agreement for a 1 before a noun, the counting form for a lone 1."""
    n = numerals(vocab.lang)

    def replace(match: re.Match[str]) -> str:
        written = match[0]
        if n.parse(written) == 1 and written == "1":
            gender = n.gender_after(text[match.end() :])
            nxt = re.match(rf"\s*({WORD})", text[match.end() :])
            before = text[: match.start()]
            if nxt and nxt[1][:1].isalpha() and n.is_noun_like(nxt[1]):
                return n.say(written, gender, before)
            return n.say(written, None, before)
        return n.cardinal(n.parse(written))

    text = re.sub(n.pattern, replace, text)
    # Whatever digits are left (",5", "1.2.3") are said as plain numbers: never read as digits.
    return re.sub(r"\d+", lambda m: n.cardinal(int(m[0])), text)
