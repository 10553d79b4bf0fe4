"""Numbers, doses, units, ranges, dates and times as words, with the language's agreement.

Number words come from num2words; the rules around them (separators, agreement with the noun
or unit that follows, ordinals, ranges) are ours, driven by the vocabulary data files.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from num2words import num2words

from audioleaflet.text.vocabulary import Vocabulary

_WORD = r"[^\W\d_][\w'’-]*"


def _numbers(vocab: Vocabulary) -> dict[str, Any]:
    return vocab.section("numbers")


@functools.cache
def number_pattern(thousands: str, decimal: str) -> str:
    """A number as written in the language: `1.000`, `2,5` (da) or `1,000`, `2.5` (en)."""
    dec = re.escape(decimal)
    if thousands.strip():
        tho = re.escape(thousands)
        grouped = rf"(?<![\d{dec}])\d{{1,3}}(?:{tho}\d{{3}})+(?:{dec}\d+)?(?!\d)"
        return rf"{grouped}|(?<![\d{dec}])\d+(?:{dec}\d+)?(?!\d)"
    return rf"(?<![\d{dec}])\d+(?:{dec}\d+)?(?!\d)"


def num(vocab: Vocabulary) -> str:
    numbers = _numbers(vocab)
    return number_pattern(str(numbers["thousands"]), str(numbers["decimal"]))


def parse(written: str, vocab: Vocabulary) -> Decimal:
    numbers = _numbers(vocab)
    thousands, decimal = str(numbers["thousands"]), str(numbers["decimal"])
    plain = written.replace(thousands, "") if thousands.strip() else written
    try:
        return Decimal(plain.replace(decimal, "."))
    except InvalidOperation:
        return Decimal(0)


def cardinal(value: Decimal | int, vocab: Vocabulary) -> str:
    """`2,5` -> `to komma fem`: the whole number, the decimal word, then each decimal digit."""
    lang = str(_numbers(vocab)["num2words"])
    value = Decimal(value)
    whole_digits = format(value.copy_abs(), "f").split(".")[0]  # abs() would round to 28 digits
    if len(whole_digits) > 12:
        # Beyond what anyone says as one number (and what num2words can): digit by digit.
        return " ".join(str(num2words(int(d), lang=lang)) for d in whole_digits)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        whole, _, decimals = format(value, "f").partition(".")
        digits = " ".join(str(num2words(int(d), lang=lang)) for d in decimals)
        return f"{num2words(int(whole), lang=lang)} {_numbers(vocab)['decimal_word']} {digits}"
    return str(num2words(int(value), lang=lang))


def ordinal(value: int, vocab: Vocabulary) -> str:
    return str(num2words(value, lang=str(_numbers(vocab)["num2words"]), to="ordinal"))


def year(value: int, vocab: Vocabulary) -> str:
    try:
        return str(num2words(value, lang=str(_numbers(vocab)["num2words"]), to="year"))
    except NotImplementedError:
        return cardinal(value, vocab)


def gender_of(noun: str, vocab: Vocabulary) -> str:
    """The grammatical gender of a noun (for "1" and "½"), from the lists, then its ending."""
    genders = vocab.section("genders")
    for gender in ("neuter", "feminine", "masculine", "common"):
        listed = genders.get(gender, [])
        if noun in listed or noun.lower() in (w.lower() for w in listed):
            return gender
    units = vocab.section("units")
    if noun in units:
        return str(units[noun][2])
    endings = genders.get("feminine_endings", [])
    if endings and noun.lower().endswith(tuple(endings)):
        return "feminine"
    return str(_numbers(vocab)["default_gender"])


def one(gender: str | None, vocab: Vocabulary) -> str:
    forms = _numbers(vocab)["one"]
    if gender is None:
        return str(forms["alone"])
    return str(forms.get(gender, forms["alone"]))


def say(written: str, vocab: Vocabulary, gender: str | None = None, before: str = "") -> str:
    """A written number as words; a plain 1 agrees with `gender` (or is the counting form),
    and in German takes the dative after `mit`, `nach`, `von` ... (`before` is the text before)."""
    value = parse(written, vocab)
    if value == 1 and str(_numbers(vocab)["decimal"]) not in written:
        dative = _numbers(vocab).get("one_dative")
        if dative and _after_dative(before, vocab):
            return str(dative.get(gender or "alone", dative["alone"]))
        return one(gender, vocab)
    return cardinal(value, vocab)


def _after_dative(before: str, vocab: Vocabulary) -> bool:
    words = [str(w).lower() for w in _numbers(vocab).get("dative_after", [])]
    tail = " ".join(re.findall(r"\w+", before.lower())[-2:])
    return any(tail == w or tail.endswith(" " + w) for w in words)


@functools.cache
def _unit_pattern(units: tuple[str, ...]) -> str:
    ordered = sorted(units, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(u) for u in ordered) + r")(?![\w/'’])"


def unit_re(vocab: Vocabulary) -> str:
    return _unit_pattern(tuple(vocab.section("units")))


def unit_word(unit: str, plural: bool, vocab: Vocabulary) -> str:
    singular, many, _gender = vocab.section("units")[unit]
    return str(many if plural else singular)


def speak_dates(text: str, vocab: Vocabulary) -> str:
    months = [str(m) for m in vocab.section("calendar").get("months", [])]
    if not months:
        return text
    numbers = _numbers(vocab)
    template = str(numbers.get("date", "{day} {month} {year}"))

    def day_words(day: int, before: str) -> str:
        mode = numbers.get("day", "cardinal")
        if mode == "first_ordinal":
            return ordinal(day, vocab) if day == 1 else cardinal(day, vocab)
        if mode == "ordinal":
            return _declined_ordinal(day, before, vocab)
        return cardinal(day, vocab)

    def render(day: int, month: int, year_value: int | None, before: str) -> str:
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return ""
        said = template.format(day=day_words(day, before), month=months[month - 1], year="")
        if year_value is not None:
            said = template.format(
                day=day_words(day, before), month=months[month - 1], year=year(year_value, vocab)
            )
        return said.strip()

    def numeric(match: re.Match[str]) -> str:
        said = render(
            int(match[1]), int(match[2]), int(match[3]), _word_before(text, match.start())
        )
        return said or match[0]

    text = re.sub(r"(?<![\d.,/])(\d{1,2})[./](\d{1,2})[./](\d{4})(?![\d])", numeric, text)

    def iso(match: re.Match[str]) -> str:
        before = _word_before(text, match.start())
        said = render(int(match[3]), int(match[2]), int(match[1]), before)
        return said or match[0]

    # ISO 8601, as web pages and revision lines write dates: `2026-03-16`. Only years of this
    # era, so a catalogue number such as 1234-56-78 is left to the number rules.
    text = re.sub(r"(?<![\d-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d-])", iso, text)

    def month_year(match: re.Match[str]) -> str:
        month = int(match[1])
        if not 1 <= month <= 12:
            return match[0]
        return f"{months[month - 1]} {year(int(match[2]), vocab)}"

    # An expiry date: `01/2026`, `EXP 03.2027`.
    text = re.sub(r"(?<![\d.,/])(\d{1,2})[/.](\d{4})(?![\d/.]\d|\d)", month_year, text)
    names = "|".join(re.escape(m) for m in months)

    def named(match: re.Match[str]) -> str:
        month = next(i for i, m in enumerate(months, 1) if m.lower() == match[2].lower())
        year_value = int(match[3]) if match[3] else None
        said = render(int(match[1]), month, year_value, _word_before(text, match.start()))
        if said and match[2][:1].isupper() != months[month - 1][:1].isupper():
            said = said.replace(months[month - 1], match[2])
        return said or match[0]

    pattern = rf"(?<![\d.,])(\d{{1,2}})(?:\.|°|º|st|nd|rd|th)?\s+({names})\b(?:\s+(\d{{4}})(?!\d))?"
    return re.sub(pattern, named, text, flags=re.IGNORECASE)


def _word_before(text: str, index: int) -> str:
    words = re.findall(r"[\w]+", text[:index])
    return " ".join(words[-2:]).lower()


def _declined_ordinal(value: int, before: str, vocab: Vocabulary) -> str:
    """German declines ordinals: `am 3. Tag` -> `dritten`, `3. Januar` -> `dritter`."""
    word = ordinal(value, vocab)
    numbers = _numbers(vocab)
    dative = [str(w).lower() for w in numbers.get("ordinal_dative_after", [])]
    if not dative:
        return word
    words = before.split()
    last = words[-1] if words else ""
    if last in dative or before in dative:
        return word + "n"
    if last in ("der", "die", "das"):
        # "ab der 13. Woche": an article after a preposition is dative (or genitive): -en.
        prepositions = [str(w).lower() for w in numbers.get("dative_prepositions", [])]
        after_preposition = len(words) >= 2 and words[-2] in prepositions
        return word + "n" if after_preposition and last == "der" else word
    return word + str(numbers.get("ordinal_bare_suffix", ""))


def speak_times(text: str, vocab: Vocabulary) -> str:
    time = vocab.section("time")
    if not time:
        return text

    def said(hour: int, minute: int, keep_hour_only: bool = True) -> str:
        h = cardinal(hour, vocab)
        if minute == 0 and keep_hour_only:
            if hour > 12 and "hour_24" in time:
                return str(time["hour_24"]).format(h=h)
            return str(time["hour"]).format(h=h)
        m = cardinal(minute, vocab)
        if minute < 10 and "minute_under_ten" in time:
            m = str(time["minute_under_ten"]).format(m=m)
        return str(time["hour_minute"]).format(h=h, m=m)

    marker = time.get("marker")
    if marker:  # da: "kl. 8", "kl. 14.30"
        text = re.sub(
            rf"{re.escape(str(marker))}\s*(\d{{1,2}})(?:[.:](\d{{2}}))?(?!\d)",
            lambda m: said(int(m[1]), int(m[2] or 0)),
            text,
        )
    suffix = time.get("suffix")
    if suffix:  # de: "8 Uhr", "14:30 Uhr", "14.30 Uhr"
        text = re.sub(
            rf"(?<![\d.,])(\d{{1,2}})(?:[.:](\d{{2}}))?\s*{re.escape(str(suffix))}\b",
            lambda m: said(int(m[1]), int(m[2] or 0)),
            text,
        )
    am, pm = time.get("am"), time.get("pm")
    if am and pm:  # en: "8 am", "9:30 pm"

        def meridiem(m: re.Match[str]) -> str:
            part = am if m[3].lower().startswith("a") else pm
            h = cardinal(int(m[1]), vocab)
            minute = int(m[2] or 0)
            if minute == 0:
                return f"{h} {part}"
            mm = cardinal(minute, vocab)
            if minute < 10:
                mm = str(time.get("minute_under_ten", "{m}")).format(m=mm)
            return f"{h} {mm} {part}"

        text = re.sub(
            r"(?<![\d.,])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?!\w)",
            meridiem,
            text,
            flags=re.IGNORECASE,
        )
    prefixes = time.get("prefixes", [])
    if prefixes:  # it: "alle 8.00"
        words = "|".join(re.escape(str(p)) for p in prefixes)
        text = re.sub(
            rf"\b({words}) (\d{{1,2}})\.(\d{{2}})(?!\d)",
            lambda m: f"{m[1]} {said(int(m[2]), int(m[3]))}",
            text,
        )
    return re.sub(
        r"(?<![\d.,:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])",
        lambda m: said(int(m[1]), int(m[2])),
        text,
    )


def speak_fractions(text: str, vocab: Vocabulary) -> str:
    halves = _numbers(vocab).get("half")
    if not isinstance(halves, dict):
        return text

    numbers = _numbers(vocab)

    def mixed(match: re.Match[str]) -> str:
        whole = int(match[1])
        if whole == 1 and "one_and_half" in numbers:
            return str(numbers["one_and_half"])
        return str(numbers.get("mixed_half", "{n} ½")).format(n=cardinal(whole, vocab))

    # 1½, 1 ½, 1 1/2: one and a half, never "one" and then "half a".
    text = re.sub(r"(?<![\d.,/])(\d+)(?:\s?½|\s+1/2)(?![\d/])", mixed, text)
    if "half_of" in numbers:  # en: "½ of a tablet"
        text = re.sub(r"(?<![\d/])(?:½|1/2)\s+(?=of\b)", str(numbers["half_of"]) + " ", text)
        text = text.replace(str(numbers["half_of"]) + " of ", str(numbers["half_of"]) + " ")

    def replace(match: re.Match[str]) -> str:
        noun = match[2]
        gender = gender_of(noun, vocab)
        half = halves.get(gender) or next(iter(halves.values()))
        return f"{half} {noun}"

    text = re.sub(rf"(?<![\d/])(?:½|1/2)\s+(a\s+)?({_WORD})", replace, text)
    alone = _numbers(vocab).get("half_alone")
    if alone:
        text = re.sub(r"(?<![\d/])(?:½|1/2)(?![\d/])", str(alone), text)
    for symbol, words in numbers.get("fraction_words", {}).items():
        text = re.sub(rf"\s*{re.escape(symbol)}", f" {words}", text)
    return text


def speak_multiplications(text: str, vocab: Vocabulary) -> str:
    numbers = _numbers(vocab)
    template = str(numbers.get("multiply", "{a} x {b}"))
    prefix = template.split("{b}")[0]
    text = re.sub(
        rf"(?<![\d.,])({num(vocab)})\s*[x×]\s*(?=\d|{_WORD})",
        lambda m: prefix.format(a=say(m[1], vocab)),
        text,
    )
    suffixes = "|".join(re.escape(str(s)) for s in numbers.get("joined_suffixes", []))
    if suffixes:  # de: "2-mal", "3 mal" -> "zweimal", "dreimal"; "3-fach" -> "dreifach"

        def joined(m: re.Match[str]) -> str:
            count = int(m[1])
            one_form = str(numbers.get("range_one", one(None, vocab)))
            return (one_form if count == 1 else cardinal(count, vocab)) + m[2]

        text = re.sub(rf"(?<![\d.,])(\d+)[\s-]?({suffixes})", joined, text)
    return text


def _following_gender(rest: str, vocab: Vocabulary) -> str | None:
    match = re.match(rf"\s*({unit_re(vocab)}|{_WORD})", rest)
    return gender_of(match[1], vocab) if match else None


def speak_ranges(text: str, vocab: Vocabulary) -> str:
    numbers = _numbers(vocab)
    template = str(numbers.get("range", "{a} - {b}"))
    number = num(vocab)
    units = unit_re(vocab)

    def replace(match: re.Match[str]) -> str:
        rest = text[match.end() :]
        if match["first_unit"] and match[4] and match["first_unit"] != match[4]:
            return match[0]  # 5 mg - 2 ml: not one range.
        unit = match[4] or match["first_unit"]
        gender = gender_of(unit, vocab) if unit else _following_gender(rest, vocab)
        first = say(match[1], vocab, gender)
        if parse(match[1], vocab) == 1 and "range_one" in numbers:
            first = str(numbers["range_one"])
        said = template.format(a=first, b=say(match[3], vocab, gender))
        if unit:
            said += " " + unit_word(unit, parse(match[3], vocab) != 1, vocab)
        return said

    return re.sub(
        rf"(?<![\w.,-])({number})(?:\s?(?P<first_unit>{units}))?\s?[-–]\s?({number})"
        rf"(?:\s?({units}))?(?![\w-])",
        replace,
        text,
    )


def speak_comparisons(text: str, vocab: Vocabulary) -> str:
    for symbol, word in vocab.section("comparisons").items():
        text = re.sub(rf"\s*{re.escape(symbol)}\s*(?=\d)", f" {word} ", text)
        text = text.replace(symbol, f" {word} ")
    return text


def speak_foreign_decimals(text: str, vocab: Vocabulary) -> str:
    """`2,5 mg` in an English text (or `2.5 mg` in a Danish one) is a decimal written the other
    way: one or two digits after the separator are never a group of thousands."""
    numbers = _numbers(vocab)
    other = "," if numbers["decimal"] == "." else "."
    if numbers["thousands"] != other:
        return text
    return re.sub(
        rf"(?<![\d.,])(\d+){re.escape(other)}(\d{{1,2}})(?![\d.,]\d|\d)",
        rf"\1{numbers['decimal']}\2",
        text,
    )


def speak_strength_lists(text: str, vocab: Vocabulary) -> str:
    """`50 mg/200 mg/25 mg`: a combination medicine's strengths, one per active substance,
    said as a list; `5 mg/5 ml` (a dose per volume) keeps its slash."""
    units = sorted(vocab.section("units"), key=len, reverse=True)
    unit = "|".join(re.escape(u) for u in units if "/" not in u)
    pattern = rf"((?:{num(vocab)})\s?({unit}))/(?=\s?(?:{num(vocab)})\s?\2(?![\w/]))"
    previous = None
    while previous != text:
        previous, text = text, re.sub(pattern, r"\1, ", text)
    return text


def speak_units(text: str, vocab: Vocabulary) -> str:
    # "5 mg tablets": a unit describing the noun after it stays singular in English.
    describes = {str(w).lower() for w in _numbers(vocab).get("unit_describes", [])}

    def replace(match: re.Match[str]) -> str:
        unit = match[2]
        value = parse(match[1], vocab)
        following = re.match(r"\s+([\w-]+)", text[match.end() :])
        adjective = bool(following) and following[1].lower() in describes  # type: ignore[index]
        plural = value != 1 and not adjective
        spoken = say(match[1], vocab, gender_of(unit, vocab), text[: match.start()])
        return f"{spoken} {unit_word(unit, plural, vocab)}"

    return re.sub(rf"({num(vocab)})\s?({unit_re(vocab)})", replace, text)


def speak_service_numbers(text: str, vocab: Vocabulary) -> str:
    """`Ring 112`: emergency and service numbers are said digit by digit."""
    services = [str(s) for s in _numbers(vocab).get("service_numbers", [])]
    if not services:
        return text
    alternatives = "|".join(sorted(services, key=len, reverse=True))
    return re.sub(
        rf"(?<![\d.,/])({alternatives})(?![\d.,/]?\d)(?!\s?{unit_re(vocab)})",
        lambda m: digits(m[1], vocab),
        text,
    )


def digits(written: str, vocab: Vocabulary) -> str:
    """Each digit as a word, 1 in its counting form (Danish `en`, not `et`)."""
    return " ".join(say(d, vocab) for d in written)


def speak_codes(text: str, vocab: Vocabulary) -> str:
    """`B12`, `E1201`, `K30`: letters then the number; long numbers digit by digit."""

    def replace(match: re.Match[str]) -> str:
        number = match[2]
        said = say(number, vocab) if len(number) <= 2 else digits(number, vocab)
        return f"{match[1]} {said}"

    return re.sub(r"\b([A-Z]{1,3})(\d{1,5})\b", replace, text)


def speak_between_numbers(text: str, vocab: Vocabulary) -> str:
    """`140/90 mmHg`: a slash between two numbers is said (da `over`, it `su`)."""
    word = _numbers(vocab).get("between_numbers")
    if not word:
        return text
    return re.sub(r"(?<=\d)\s?/\s?(?=\d)", f" {word} ", text)


def speak_item_numbers(text: str, vocab: Vocabulary) -> str:
    """`1. Virkning og anvendelse`: a number opening a heading or list item is its number, said
    as a number with a pause, not as an ordinal of the word after it."""
    return re.sub(
        r"^(\d{1,2})\.\s+(?=\S)",
        lambda m: f"{say(m[1], vocab)}. ",
        text,
    )


def speak_ordinals(text: str, vocab: Vocabulary) -> str:
    numbers = _numbers(vocab)
    if numbers.get("ordinal_dot"):  # da, de: "3. dag", "am 3. Tag"
        text = re.sub(
            rf"(?<![\d.,])(\d{{1,2}})\.\s+(?={_WORD})",
            lambda m: _declined_ordinal(int(m[1]), _word_before(text, m.start()), vocab) + " ",
            text,
        )
    suffixes = numbers.get("ordinal_suffixes")
    if suffixes:  # en: "3rd day"
        alternatives = "|".join(re.escape(str(s)) for s in suffixes)
        text = re.sub(
            rf"(?<![\d.,])(\d+)(?:{alternatives})\b", lambda m: ordinal(int(m[1]), vocab), text
        )
    if numbers.get("ordinal_degree"):  # it: "3° giorno", "3ª settimana"

        def italian(m: re.Match[str]) -> str:
            word = ordinal(int(m[1]), vocab)
            return word[:-1] + "a" if m[2] == "ª" else word

        text = re.sub(r"(?<![\d.,])(\d+)([°ºª])(?!\s?C\b)", italian, text)
    return text


def speak_years(text: str, vocab: Vocabulary) -> str:
    markers = _numbers(vocab).get("year_after", [])
    if not markers:
        return text
    words = "|".join(re.escape(str(w)) for w in markers)
    return re.sub(
        rf"\b({words}) ((?:19|20)\d\d)(?![\d.,]\d)(?!\d)",
        lambda m: f"{m[1]} {year(int(m[2]), vocab)}",
        text,
        flags=re.IGNORECASE,
    )


def speak_numbers(text: str, vocab: Vocabulary) -> str:
    """Every number left: agreement for a 1 before a noun, the counting form for a lone 1."""

    def replace(match: re.Match[str]) -> str:
        written = match[0]
        if parse(written, vocab) == 1 and written == "1":
            gender = _following_gender(text[match.end() :], vocab)
            nxt = re.match(rf"\s*({_WORD})", text[match.end() :])
            before = text[: match.start()]
            if nxt and nxt[1][:1].isalpha() and _is_noun_like(nxt[1], vocab):
                return say(written, vocab, gender, before)
            return say(written, vocab, None, before)
        return cardinal(parse(written, vocab), vocab)

    text = re.sub(num(vocab), replace, text)
    # Whatever digits are left (",5", "1.2.3") are said as plain numbers: never read as digits.
    return re.sub(r"\d+", lambda m: cardinal(int(m[0]), vocab), text)


def _is_noun_like(word: str, vocab: Vocabulary) -> bool:
    """Whether "1" before `word` counts a thing (agreement) rather than standing alone."""
    genders = vocab.section("genders")
    listed = {
        w.lower()
        for key in ("neuter", "feminine", "masculine", "common")
        for w in genders.get(key, [])
    }
    if word.lower() in listed:
        return True
    stop = {str(w).lower() for w in _numbers(vocab).get("not_nouns", [])}
    if word.lower() in stop:
        return False
    if vocab.lang == "de":
        return word[:1].isupper()
    return True
