"""The words numbers are said with in a language, as typed records, and the basic sayings.

Read once per language from the `[numbers]`, `[genders]`, `[units]`, `[comparisons]`, `[time]`
and `[calendar]` tables of `data/lang/<lang>.toml`. Number words come from num2words; the rules
around them (separators, agreement with the noun or unit that follows, ordinals and how they
decline) are ours, driven by these records: rules in code, words in data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from num2words import num2words

from audioleaflet.text.vocabulary import vocabulary

WORD = r"[^\W\d_][\w'’-]*"
"""A word, as the rules look for the noun after a number."""
GENDERS = ("neuter", "feminine", "masculine", "common")


@dataclass(frozen=True, slots=True)
class Unit:
    """How a unit is said: `mg` is `milligram` / `milligrams`, and its grammatical gender."""

    singular: str
    plural: str
    gender: str


@dataclass(frozen=True, slots=True)
class Forms:
    """A word that agrees with the gender of its noun (`en`/`et`, `ein`/`eine`), and its form
    standing alone (counting: `en`, `eins`)."""

    alone: str
    by_gender: Mapping[str, str] = field(default_factory=dict)

    def form(self, gender: str | None) -> str:
        return self.alone if gender is None else self.by_gender.get(gender, self.alone)


@dataclass(frozen=True, slots=True)
class Declension:
    """How an ordinal declines after what precedes it (German: `am 3. Tag` -> `am dritten Tag`,
    `ab der 13. Woche` -> `ab der dreizehnten Woche`, `3. Januar` -> `dritter Januar`)."""

    dative_after: tuple[str, ...] = ()
    """Words after which an ordinal takes the dative ending."""
    dative_suffix: str = ""
    articles: tuple[str, ...] = ()
    """Articles, after which an ordinal takes no ending of its own ..."""
    dative_article: str = ""
    """... unless it is this article after one of `dative_prepositions`: then it is dative."""
    dative_prepositions: tuple[str, ...] = ()
    bare_suffix: str = ""
    """The ending without a determiner (a day in a date)."""


@dataclass(frozen=True, slots=True)
class TimeWords:
    """How clock times are said (`[time]`): `{h}` and `{m}` are the hour and minute words."""

    hour: str
    hour_minute: str
    hour_24: str | None = None
    minute_under_ten: str | None = None
    marker: str | None = None
    """Written before a time: Danish `kl. 8`."""
    suffix: str | None = None
    """Written after a time: German `8 Uhr`."""
    am: str | None = None
    pm: str | None = None
    prefixes: tuple[str, ...] = ()
    """Words before a time written with a dot: Italian `alle 8.00`."""


@dataclass(frozen=True)  # no slots: the patterns are cached on the instance
class Numerals:
    """Everything the number, date and unit rules need to know of one language."""

    lang: str
    num2words: str
    """num2words' code for the language."""
    decimal: str
    thousands: str
    decimal_word: str
    default_gender: str
    one: Forms
    date: str
    """How a date is said: `{day}`, `{month}`, `{year}`."""
    day: str
    """How a day in a date is said: `cardinal`, `ordinal` or `first_ordinal` (only the 1st)."""
    range: str
    """`{a}` to `{b}`."""
    multiply: str
    """`{a}` times `{b}`."""
    phone: str
    """`digits`, or `pairs` (Danish: phone numbers in pairs of digits)."""
    zero: str | None = None
    one_dative: Forms | None = None
    """German `einem`, `einer` after a preposition that takes the dative (`dative_after`)."""
    dative_after: tuple[str, ...] = ()
    range_one: str | None = None
    """A 1 starting a range (German `ein bis zwei`)."""
    range_words: tuple[str, ...] = ()
    """Words that write a range out (German `1 bis 2 Tabletten`), said as a range is."""
    joined_suffixes: tuple[str, ...] = ()
    """Written joined to the number word (German `zweimal`, `dreifach`)."""
    half: Mapping[str, str] = field(default_factory=dict)
    """`½` before a noun, by its gender."""
    half_alone: str | None = None
    half_of: str | None = None
    one_and_half: str | None = None
    mixed_half: str | None = None
    fraction_words: Mapping[str, str] = field(default_factory=dict)
    year_after: tuple[str, ...] = ()
    """Words after which a four-digit number is a year."""
    ordinal_dot: bool = False
    """`3. dag`: a number with a dot before a word is an ordinal (Danish, German)."""
    ordinal_suffixes: tuple[str, ...] = ()
    ordinal_degree: bool = False
    """`3° giorno`, `3ª settimana` (Italian)."""
    ordinals: Declension = field(default_factory=Declension)
    service_numbers: tuple[str, ...] = ()
    """Said digit by digit: `112`."""
    between_numbers: str | None = None
    """A slash between two numbers: `140/90` (`over`, `su`)."""
    unit_describes: tuple[str, ...] = ()
    """Nouns a unit describes, so it stays singular: `5 mg tablets`."""
    not_nouns: tuple[str, ...] = ()
    nouns_capitalised: bool = False
    """Whether a noun is known by its capital letter (German)."""
    units: Mapping[str, Unit] = field(default_factory=dict)
    genders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Nouns by grammatical gender."""
    feminine_endings: tuple[str, ...] = ()
    comparisons: Mapping[str, str] = field(default_factory=dict)
    months: tuple[str, ...] = ()
    time: TimeWords | None = None

    @functools.cached_property
    def pattern(self) -> str:
        """A number as written: `1.000`, `2,5` (da) or `1,000`, `2.5` (en)."""
        return number_pattern(self.thousands, self.decimal)

    @functools.cached_property
    def unit_pattern(self) -> str:
        """Any of the language's units, longest first, not followed by a letter or slash."""
        ordered = sorted(self.units, key=len, reverse=True)
        return "(?:" + "|".join(re.escape(u) for u in ordered) + r")(?![\w/'’])"

    def parse(self, written: str) -> Decimal:
        plain = written.replace(self.thousands, "") if self.thousands.strip() else written
        try:
            return Decimal(plain.replace(self.decimal, "."))
        except InvalidOperation:
            return Decimal(0)

    def cardinal(self, value: Decimal | int) -> str:
        """`2,5` -> `to komma fem`: the whole number, the decimal word, then each decimal."""
        value = Decimal(value)
        whole_digits = format(value.copy_abs(), "f").split(".")[0]  # abs() rounds to 28 digits
        if len(whole_digits) > 12:
            # Beyond what anyone says as one number (and what num2words can): digit by digit.
            return " ".join(self._words(int(d)) for d in whole_digits)
        if value != value.to_integral_value():
            whole, _, decimals = format(value, "f").partition(".")
            digits = " ".join(self._words(int(d)) for d in decimals)
            return f"{self._words(int(whole))} {self.decimal_word} {digits}"
        return self._words(int(value))

    def _words(self, value: int, to: str = "cardinal") -> str:
        return str(num2words(value, lang=self.num2words, to=to))

    def ordinal(self, value: int) -> str:
        return self._words(value, "ordinal")

    def year(self, value: int) -> str:
        try:
            return self._words(value, "year")
        except NotImplementedError:
            return self.cardinal(value)

    def say(self, written: str, gender: str | None = None, before: str = "") -> str:
        """A written number as words; a plain 1 agrees with `gender` (or is the counting form),
        and takes the dative after a word in `dative_after` (`before` is the text before)."""
        value = self.parse(written)
        if value == 1 and self.decimal not in written:
            if self.one_dative is not None and self._after_dative(before):
                return self.one_dative.form(gender or "alone")
            return self.one.form(gender)
        return self.cardinal(value)

    def _after_dative(self, before: str) -> bool:
        words = [w.lower() for w in self.dative_after]
        tail = " ".join(re.findall(r"\w+", before.lower())[-2:])
        return any(tail == w or tail.endswith(" " + w) for w in words)

    def digits(self, written: str) -> str:
        """Each digit as a word, 1 in its counting form (Danish `en`, not `et`)."""
        return " ".join(self.say(d) for d in written)

    def declined_ordinal(self, value: int, before: str) -> str:
        """The ordinal of `value` with the ending the words `before` it call for."""
        word = self.ordinal(value)
        declension = self.ordinals
        dative = [w.lower() for w in declension.dative_after]
        if not dative:
            return word
        words = before.split()
        last = words[-1] if words else ""
        if last in dative or before in dative:
            return word + declension.dative_suffix
        if last in declension.articles:
            prepositions = [w.lower() for w in declension.dative_prepositions]
            after_preposition = len(words) >= 2 and words[-2] in prepositions
            dative_article = after_preposition and last == declension.dative_article
            return word + declension.dative_suffix if dative_article else word
        return word + declension.bare_suffix

    def gender_of(self, noun: str) -> str:
        """The grammatical gender of a noun (for "1" and "½"), from the lists, then its ending."""
        for gender in GENDERS:
            listed = self.genders.get(gender, ())
            if noun in listed or noun.lower() in (w.lower() for w in listed):
                return gender
        if noun in self.units:
            return self.units[noun].gender
        if self.feminine_endings and noun.lower().endswith(self.feminine_endings):
            return "feminine"
        return self.default_gender

    def gender_after(self, rest: str) -> str | None:
        """The gender of the unit or word that `rest` starts with, if it starts with one."""
        match = re.match(rf"\s*({self.unit_pattern}|{WORD})", rest)
        return self.gender_of(match[1]) if match else None

    def unit_word(self, unit: str, plural: bool) -> str:
        said = self.units[unit]
        return said.plural if plural else said.singular

    def is_noun_like(self, word: str) -> bool:
        """Whether "1" before `word` counts a thing (agreement) rather than standing alone."""
        listed = {w.lower() for gender in GENDERS for w in self.genders.get(gender, ())}
        if word.lower() in listed:
            return True
        if word.lower() in {w.lower() for w in self.not_nouns}:
            return False
        return word[:1].isupper() if self.nouns_capitalised else True


@functools.cache
def number_pattern(thousands: str, decimal: str) -> str:
    """A number as written in the language: `1.000`, `2,5` (da) or `1,000`, `2.5` (en)."""
    dec = re.escape(decimal)
    if thousands.strip():
        tho = re.escape(thousands)
        grouped = rf"(?<![\d{dec}])\d{{1,3}}(?:{tho}\d{{3}})+(?:{dec}\d+)?(?!\d)"
        return rf"{grouped}|(?<![\d{dec}])\d+(?:{dec}\d+)?(?!\d)"
    return rf"(?<![\d{dec}])\d+(?:{dec}\d+)?(?!\d)"


def word_before(text: str, index: int) -> str:
    """The two words before `index`, in lower case: what an ordinal or a 1 agrees with."""
    words = re.findall(r"[\w]+", text[:index])
    return " ".join(words[-2:]).lower()


def _record(cls: type[Any], table: Mapping[str, Any], where: str, **given: Any) -> Any:
    """`cls` from a TOML table: lists become tuples, and an unknown key is an error (a
    misspelt key would silently change how numbers are said)."""
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(
            f"{where}: unknown {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    return cls(**{**values, **given})


def _forms(table: Mapping[str, str]) -> Forms:
    return Forms(alone=table["alone"], by_gender=dict(table))


@functools.cache
def numerals(lang: str) -> Numerals:
    """The language's numerals, read from its data file once."""
    vocab = vocabulary(lang)
    where = f"data/lang/{vocab.lang}.toml"
    numbers = dict(vocab.section("numbers"))
    genders = dict(vocab.section("genders"))
    time = vocab.section("time")
    given: dict[str, Any] = {
        "lang": vocab.lang,
        "one": _forms(numbers.pop("one")),
        "one_dative": _forms(numbers.pop("one_dative")) if "one_dative" in numbers else None,
        "ordinals": _record(Declension, numbers.pop("ordinals", {}), f"{where} [numbers.ordinals]"),
        "units": {key: Unit(*said) for key, said in vocab.section("units").items()},
        "feminine_endings": tuple(genders.pop("feminine_endings", ())),
        "genders": {gender: tuple(nouns) for gender, nouns in genders.items()},
        "comparisons": dict(vocab.section("comparisons")),
        "months": tuple(vocab.section("calendar").get("months", ())),
        "time": _record(TimeWords, time, f"{where} [time]") if time else None,
    }
    return _record(Numerals, numbers, f"{where} [numbers]", **given)  # type: ignore[no-any-return]
