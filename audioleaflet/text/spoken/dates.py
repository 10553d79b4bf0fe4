"""Dates and clock times as words: `16.03.2026`, `2026-03-16`, `16. marts`, `01/2026`, `kl. 14.30`,
`8 Uhr`, `9:30 pm`, `alle 8.00`, `14:30`."""

from __future__ import annotations

import re

from audioleaflet.text.spoken.numerals import Numerals, TimeWords, numerals, word_before
from audioleaflet.text.vocabulary import Vocabulary


def _day_words(n: Numerals, day: int, before: str) -> str:
    if n.day == "first_ordinal":
        return n.ordinal(day) if day == 1 else n.cardinal(day)
    if n.day == "ordinal":
        return n.declined_ordinal(day, before)
    return n.cardinal(day)


def _date(n: Numerals, day: int, month: int, year: int | None, before: str) -> str:
    """The date said as the language says it; "" if there is no such month or day."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    year_words = "" if year is None else n.year(year)
    said = n.date.format(day=_day_words(n, day, before), month=n.months[month - 1], year=year_words)
    return said.strip()


def speak_dates(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    if not n.months:
        return text

    def numeric(match: re.Match[str]) -> str:
        before = word_before(text, match.start())
        return _date(n, int(match[1]), int(match[2]), int(match[3]), before) or match[0]

    text = re.sub(r"(?<![\d.,/])(\d{1,2})[./](\d{1,2})[./](\d{4})(?![\d])", numeric, text)

    def iso(match: re.Match[str]) -> str:
        before = word_before(text, match.start())
        return _date(n, int(match[3]), int(match[2]), int(match[1]), before) or match[0]

    # ISO 8601, as web pages and revision lines write dates: `2026-03-16`. Only years of this
    # era, so a catalogue number such as 1234-56-78 is left to the number rules.
    text = re.sub(r"(?<![\d-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d-])", iso, text)

    def month_year(match: re.Match[str]) -> str:
        month = int(match[1])
        if not 1 <= month <= 12:
            return match[0]
        return f"{n.months[month - 1]} {n.year(int(match[2]))}"

    # An expiry date: `01/2026`, `EXP 03.2027`.
    text = re.sub(r"(?<![\d.,/])(\d{1,2})[/.](\d{4})(?![\d/.]\d|\d)", month_year, text)
    return _speak_named_months(text, n)


def _speak_named_months(text: str, n: Numerals) -> str:
    """`16. marts 2026`, `3rd March`: a day before a month's name, and perhaps a year."""
    names = "|".join(re.escape(m) for m in n.months)

    def named(match: re.Match[str]) -> str:
        month = next(i for i, m in enumerate(n.months, 1) if m.lower() == match[2].lower())
        year = int(match[3]) if match[3] else None
        said = _date(n, int(match[1]), month, year, word_before(text, match.start()))
        if said and match[2][:1].isupper() != n.months[month - 1][:1].isupper():
            said = said.replace(n.months[month - 1], match[2])
        return said or match[0]

    pattern = rf"(?<![\d.,])(\d{{1,2}})(?:\.|°|º|st|nd|rd|th)?\s+({names})\b(?:\s+(\d{{4}})(?!\d))?"
    return re.sub(pattern, named, text, flags=re.IGNORECASE)


def _said_time(n: Numerals, time: TimeWords, hour: int, minute: int) -> str:
    h = n.cardinal(hour)
    if minute == 0:
        if hour > 12 and time.hour_24 is not None:
            return time.hour_24.format(h=h)
        return time.hour.format(h=h)
    m = n.cardinal(minute)
    if minute < 10 and time.minute_under_ten is not None:
        m = time.minute_under_ten.format(m=m)
    return time.hour_minute.format(h=h, m=m)


def speak_times(text: str, vocab: Vocabulary) -> str:
    n = numerals(vocab.lang)
    time = n.time
    if time is None:
        return text

    def said(match: re.Match[str], hour: int = 1, minute: int = 2) -> str:
        return _said_time(n, time, int(match[hour]), int(match[minute] or 0))

    if time.marker:  # da: "kl. 8", "kl. 14.30"
        marked = rf"{re.escape(time.marker)}\s*(\d{{1,2}})(?:[.:](\d{{2}}))?(?!\d)"
        text = re.sub(marked, said, text)
    if time.suffix:  # de: "8 Uhr", "14:30 Uhr", "14.30 Uhr"
        suffixed = rf"(?<![\d.,])(\d{{1,2}})(?:[.:](\d{{2}}))?\s*{re.escape(time.suffix)}\b"
        text = re.sub(suffixed, said, text)
    if time.am and time.pm:  # en: "8 am", "9:30 pm"
        text = _speak_meridiem(text, n, time)
    if time.prefixes:  # it: "alle 8.00"
        words = "|".join(re.escape(p) for p in time.prefixes)
        text = re.sub(
            rf"\b({words}) (\d{{1,2}})\.(\d{{2}})(?!\d)",
            lambda m: f"{m[1]} {said(m, 2, 3)}",
            text,
        )
    return re.sub(r"(?<![\d.,:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])", said, text)


def _speak_meridiem(text: str, n: Numerals, time: TimeWords) -> str:
    """`8 am`, `9:30 pm`: the hour, the minutes if any, and the language's am or pm."""

    def meridiem(m: re.Match[str]) -> str:
        part = time.am if m[3].lower().startswith("a") else time.pm
        h = n.cardinal(int(m[1]))
        minute = int(m[2] or 0)
        if minute == 0:
            return f"{h} {part}"
        mm = n.cardinal(minute)
        if minute < 10:
            mm = (time.minute_under_ten or "{m}").format(m=mm)
        return f"{h} {mm} {part}"

    return re.sub(
        r"(?<![\d.,])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?!\w)",
        meridiem,
        text,
        flags=re.IGNORECASE,
    )
