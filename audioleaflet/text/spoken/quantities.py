"""Quantities as words: doses with their units (`5 mg`), ranges (`2-3 tabletter`), fractions
(`1½`, `½ tablet`), multiplications (`2 x 5 ml`, `3-mal`) and comparisons (`≤ 5`), with the
number agreeing with the unit or noun that follows."""

from __future__ import annotations

import re

from audioleaflet.text.spoken.numerals import WORD, numerals
from audioleaflet.text.vocabulary import Vocabulary


def speak_fractions(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    if not n.half:
        return text

    def mixed(match: re.Match[str]) -> str:
        whole = int(match[1])
        if whole == 1 and n.one_and_half is not None:
            return n.one_and_half
        return (n.mixed_half or "{n} ½").format(n=n.cardinal(whole))

    # 1½, 1 ½, 1 1/2: one and a half, never "one" and then "half a".
    text = re.sub(r"(?<![\d.,/])(\d+)(?:\s?½|\s+1/2)(?![\d/])", mixed, text)
    if n.half_of is not None:  # en: "½ of a tablet"
        text = re.sub(r"(?<![\d/])(?:½|1/2)\s+(?=of\b)", n.half_of + " ", text)
        text = text.replace(n.half_of + " of ", n.half_of + " ")

    def half(match: re.Match[str]) -> str:
        noun = match[2]
        said = n.half.get(n.gender_of(noun)) or next(iter(n.half.values()))
        return f"{said} {noun}"

    text = re.sub(rf"(?<![\d/])(?:½|1/2)\s+(a\s+)?({WORD})", half, text)
    if n.half_alone:
        text = re.sub(r"(?<![\d/])(?:½|1/2)(?![\d/])", n.half_alone, text)
    for symbol, words in n.fraction_words.items():
        text = re.sub(rf"\s*{re.escape(symbol)}", f" {words}", text)
    return text


def speak_multiplications(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    prefix = n.multiply.split("{b}")[0]
    text = re.sub(
        rf"(?<![\d.,])({n.pattern})\s*[x×]\s*(?=\d|{WORD})",
        lambda m: prefix.format(a=n.say(m[1])),
        text,
    )
    suffixes = "|".join(re.escape(s) for s in n.joined_suffixes)
    if suffixes:  # de: "2-mal", "3 mal" -> "zweimal", "dreimal"; "3-fach" -> "dreifach"

        def joined(m: re.Match[str]) -> str:
            count = int(m[1])
            one_form = n.range_one if n.range_one is not None else n.one.form(None)
            return (one_form if count == 1 else n.cardinal(count)) + m[2]

        text = re.sub(rf"(?<![\d.,])(\d+)[\s-]?({suffixes})", joined, text)
    return text


def speak_ranges(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    number, units = n.pattern, n.unit_pattern

    def replace(match: re.Match[str]) -> str:
        rest = text[match.end() :]
        if match["first_unit"] and match[4] and match["first_unit"] != match[4]:
            return match[0]  # 5 mg - 2 ml: not one range.
        unit = match[4] or match["first_unit"]
        gender = n.gender_of(unit) if unit else n.gender_after(rest)
        first = n.say(match[1], gender)
        if n.parse(match[1]) == 1 and n.range_one is not None:
            first = n.range_one
        said = n.range.format(a=first, b=n.say(match[3], gender))
        if unit:
            said += " " + n.unit_word(unit, n.parse(match[3]) != 1)
        return said

    written = "".join(rf"|\s+{re.escape(word)}\s+" for word in n.range_words)
    return re.sub(
        rf"(?<![\w.,-])({number})(?:\s?(?P<first_unit>{units}))?(?:\s?[-–]\s?{written})"
        rf"({number})(?:\s?({units}))?(?![\w-])",
        replace,
        text,
    )


def speak_comparisons(text: str, vocab: Vocabulary) -> str:
    for symbol, word in numerals(vocab.lang).comparisons.items():
        text = re.sub(rf"\s*{re.escape(symbol)}\s*(?=\d)", f" {word} ", text)
        text = text.replace(symbol, f" {word} ")
    return text


def speak_strength_lists(text: str, vocab: Vocabulary) -> str:
    """`50 mg/200 mg/25 mg`: a combination medicine's strengths, one per active substance,
    said as a list; `5 mg/5 ml` (a dose per volume) keeps its slash."""
    n = numerals(vocab.lang)
    units = sorted(n.units, key=len, reverse=True)
    unit = "|".join(re.escape(u) for u in units if "/" not in u)
    number = n.pattern
    pattern = rf"((?:{number})\s?({unit}))/(?=\s?(?:{number})\s?\2(?![\w/]))"
    previous = None
    while previous != text:
        previous, text = text, re.sub(pattern, r"\1, ", text)
    return text


def speak_units(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    # "5 mg tablets": a unit describing the noun after it stays singular in English.
    describes = {w.lower() for w in n.unit_describes}

    def replace(match: re.Match[str]) -> str:
        unit = match[2]
        value = n.parse(match[1])
        following = re.match(r"\s+([\w-]+)", text[match.end() :])
        adjective = following is not None and following[1].lower() in describes
        plural = value != 1 and not adjective
        spoken = n.say(match[1], n.gender_of(unit), text[: match.start()])
        return f"{spoken} {n.unit_word(unit, plural)}"

    # "5-mg tablets": a hyphen between a number and its unit, as in a compound adjective.
    return re.sub(rf"({n.pattern})(?:\s|-)?({n.unit_pattern})", replace, text)
