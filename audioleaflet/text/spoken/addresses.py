"""Web addresses, e-mail addresses and phone numbers, said the way a person says them."""

from __future__ import annotations

import re
from collections.abc import Callable

from num2words import num2words

from audioleaflet.text.spoken.numerals import numerals
from audioleaflet.text.vocabulary import Vocabulary

_TLDS = "com|org|net|info|gov|edu|eu|dk|it|de|uk|se|no|nl|fr|es|ch|at|be|io|int|nhs"
URL = re.compile(
    rf"(?:https?://)?(?:www\.)?[\w-]{{2,}}(?:\.[\w-]{{2,}})*\.(?:{_TLDS})(?![\w-])(?:/[^\s]*)?"
    r"|https?://[^\s]+|www\.[^\s]+",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING = ".,;:!?)]\"'’”"
# Longer runs without a space are not addresses, and would make the patterns slow.
_MAX_TOKEN = 300


def sub_in_tokens(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str) -> str:
    """`pattern.sub` on each space-free run of `text` of sane length (addresses hold no spaces)."""
    parts = re.split(r"(\s+)", text)
    return "".join(p if len(p) > _MAX_TOKEN or p.isspace() else pattern.sub(repl, p) for p in parts)


_VOWELS = set("aeiouyæøåäöüéèàìòù")


def _say_part(part: str, vocab: Vocabulary) -> str:
    """One dot-separated part: spelled when short and unpronounceable (`ecpc` -> `e c p c`)."""
    letters = [c for c in part if c.isalpha()]
    vowels = sum(c.lower() in _VOWELS for c in letters)
    if part.isalpha() and len(part) <= 4 and vowels <= 1:
        return " ".join(part.lower())
    return re.sub(r"[-_]+", " ", part).lower()


def _say_domain(domain: str, vocab: Vocabulary) -> str:
    address = vocab.section("address")
    tlds = vocab.section("tlds")
    parts = domain.split(".")
    said: list[str] = []
    for i, part in enumerate(parts):
        if part.lower() == "www":
            said.append(address.get("www", "w w w"))
        elif i > 0 and part.lower() in tlds:
            said.append(tlds[part.lower()])
        else:
            said.append(_say_part(part, vocab))
    return f" {address['dot']} ".join(said)


def say_url(url: str, vocab: Vocabulary) -> str:
    address = vocab.section("address")
    url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    domain, _, path = url.partition("/")
    path = re.split(r"[?#]", path, maxsplit=1)[0]  # A query string is not said.
    segments = [re.sub(r"[-_]+", " ", s) for s in path.split("/") if s]
    said = [_say_domain(domain, vocab), *segments]
    return f" {address['slash']} ".join(said)


def _split_trailing(match: str) -> tuple[str, str]:
    core = match.rstrip(_TRAILING)
    # A closing bracket belongs to the address when it opened inside it.
    while match[len(core) : len(core) + 1] == ")" and core.count("(") > core.count(")"):
        core += ")"
    return core, match[len(core) :]


def speak_urls(text: str, vocab: Vocabulary) -> str:
    def replace(match: re.Match[str]) -> str:
        core, trailing = _split_trailing(match[0])
        return say_url(core, vocab) + trailing

    return sub_in_tokens(URL, replace, text)


def speak_emails(text: str, vocab: Vocabulary) -> str:
    address = vocab.section("address")

    def replace(match: re.Match[str]) -> str:
        core, trailing = _split_trailing(match[0])
        local, _, domain = core.partition("@")
        said_local = f" {address['dot']} ".join(_say_part(p, vocab) for p in local.split("."))
        return f"{said_local} {address['at']} {_say_domain(domain, vocab)}{trailing}"

    return sub_in_tokens(EMAIL, replace, text)


# `tlf. 33 44 55 66`, `Tel: 020 7946 0000`, `Tel. 02.3343281`.
_MARKED_PHONE = re.compile(
    r"(?i:\b(?:tlf|tel|telefon|telephone|phone|telefono|fax)\b\.?:?\s*)"
    r"(\+?\d[\d .\-/]{4,}\d)"
)
# Three or more groups of 2-4 digits with at least eight digits: `70 12 34 56`.
_PHONE = re.compile(
    r"(?<![\d,.])\+?(?:\d{2,4}(?: \d{2,4}){2,}|0\d{1,4}(?: \d{3,8}){1,2})(?!\d|[.,]\d)"
)


def say_phone(number: str, vocab: Vocabulary) -> str:
    lang = numerals(vocab.lang).num2words
    plus = number.startswith("+")
    groups = re.findall(r"\d+", number)
    if numerals(vocab.lang).phone == "pairs":
        # Danish habit: phone numbers in pairs, said as numbers ("halvfjerds tolv ...").
        words = []
        for group in groups:
            pairs = (
                [group[i : i + 2] for i in range(0, len(group), 2)]
                if len(group) % 2 == 0
                else list(group)
            )
            for pair in pairs:
                if len(pair) == 2 and pair[0] == "0":
                    words.append(f"{num2words(0, lang=lang)} {num2words(int(pair[1]), lang=lang)}")
                else:
                    words.append(num2words(int(pair), lang=lang))
        said = " ".join(words)
    else:
        said = ", ".join(" ".join(num2words(int(d), lang=lang) for d in group) for group in groups)
    return f"plus {said}" if plus else said


def speak_phone_numbers(text: str, vocab: Vocabulary) -> str:
    def marked(match: re.Match[str]) -> str:
        start = match.start(1) - match.start(0)
        return match[0][:start] + say_phone(match[1], vocab)

    text = _MARKED_PHONE.sub(marked, text)

    def bare(match: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in match[0])
        return say_phone(match[0], vocab) if digits >= 8 else match[0]

    return _PHONE.sub(bare, text)


# A postcode in a postal address: after the house number ("Via Roma 10 20100 Milano",
# "Allee 3, 53175 Bonn"), or with a country letter ("I-20100"), before the place's name; or
# alone with the place, in capitals, on an imprint line ("80331 München").
_POSTCODE = (
    r"(?:(?<=\d )|(?<=\d, )|(?<=\d[a-zA-Z] )|(?<=\d[a-zA-Z], )|(?<=\d/[a-zA-Z] )"
    r"|(?<=\d/[a-zA-Z], )|(?<![\w-])[A-Z]{{1,2}}-)"
    r"(\d{{{digits}}})(?=\s+[^\W\d_][^\W\d_]+)"
    # Or an imprint line of its own: the postcode and the place, nothing else.
    r"|^(\d{{{digits}}})(?=\s+[A-ZÀ-Þ][^\W\d_]*(?:[\s-][A-ZÀ-Þ][^\W\d_]*)*\.?$)"
)


def speak_postcodes(text: str, vocab: Vocabulary) -> str:
    """A postcode said digit by digit, as people say it: "venti" + "mila" + "cento" is not
    how an Italian reads 20100 on an envelope. Only for languages whose `[address]` gives the
    postcode's length (`postcode_digits`), and only where an address shows it is one."""
    digits = vocab.section("address").get("postcode_digits")
    if not digits:
        return text
    n = numerals(vocab.lang)
    pattern = re.compile(_POSTCODE.format(digits=int(digits)))

    def replace(match: re.Match[str]) -> str:
        code = match[1] or match[2]
        country = match[0][: -len(code)].rstrip("-")
        return (f"{country} " if country else "") + n.digits(code)

    return pattern.sub(replace, text)
