"""The EU package-leaflet template (QRD): where leaflets start, their titles, holder and date.

Every EU package leaflet opens with the same line in its language ("Package leaflet:
Information for the patient", "Indlægsseddel: Information til brugeren") followed by the
medicine's name and strength, which is the leaflet's own title; it names the marketing-
authorisation holder under a fixed heading and ends with the date it was last revised. The
phrases are per language in `data/lang/<lang>.toml` under `[qrd]`; a document is matched
against every language's phrases, since its language is often not known yet when it is read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.languages import all_languages
from audioleaflet.text.vocabulary import vocabulary

# A title is the medicine's name and form, not a paragraph.
MAX_TITLE_CHARS = 150
# The opening line comes within the first lines of a leaflet (a logo's caption may precede it).
_START_WITHIN = 6


@functools.cache
def _patterns(key: str) -> tuple[re.Pattern[str], ...]:
    found: list[re.Pattern[str]] = []
    for tag in all_languages():
        for pattern in vocabulary(tag).section("qrd").get(key, []):
            found.append(re.compile(str(pattern), re.IGNORECASE))
    return tuple(found)


def _matches(key: str, line: str) -> bool:
    text = normalise_spaces(line).rstrip(".")
    return any(p.fullmatch(text) for p in _patterns(key))


def is_package_leaflet_heading(line: str) -> bool:
    """`B. PACKAGE LEAFLET`, `B. INDLÆGSSEDDEL`, `B. PROSPECTO`: the leaflets follow."""
    return _matches("package_leaflet", line)


def is_leaflet_start(line: str) -> bool:
    """`Package leaflet: Information for the user`: the first line of a leaflet."""
    return _matches("leaflet_start", line)


def leaflet_title(lines: list[str]) -> str | None:
    """The medicine's name and form, from the line after the leaflet's opening line."""
    texts = [normalise_spaces(line) for line in lines[: _START_WITHIN + 4]]
    texts = [t for t in texts if t]
    # The opening line set twice (a heading over the same words) counts once.
    texts = [t for k, t in enumerate(texts) if not k or t != texts[k - 1]]
    for i, text in enumerate(texts[:_START_WITHIN]):
        if is_leaflet_start(text) and i + 1 < len(texts) and not is_leaflet_start(texts[i + 1]):
            title = texts[i + 1]
            if len(title) <= MAX_TITLE_CHARS and not title.endswith((".", ":")):
                return title
    return None


def holder(lines: list[str]) -> str | None:
    """The marketing-authorisation holder: the line under its heading (or after its colon)."""
    for i, line in enumerate(lines):
        text = normalise_spaces(line)
        head, colon, rest = text.partition(":")
        if colon and rest.strip() and _matches("holder", head):
            return rest.strip().split(",")[0].strip()
        if _matches("holder", text.rstrip(":")):
            following = [normalise_spaces(n) for n in lines[i + 1 : i + 4]]
            name = next((n for n in following if n), None)
            return name.split(",")[0].strip() if name else None
    return None


def revised(lines: list[str]) -> dt.date | None:
    """The date in "This leaflet was last revised in April 2025" (or on the next line)."""
    for i, line in enumerate(lines):
        text = normalise_spaces(line)
        for pattern in _patterns("revised"):
            match = pattern.match(text)
            if match:
                rest = text[match.end() :].strip(" .:")
                after = [normalise_spaces(n) for n in lines[i + 1 : i + 2]]
                for candidate in (rest, *after):
                    date = parse_month_year(candidate)
                    if date:
                        return date
    return None


_NUMERIC = re.compile(r"(?:(\d{1,2})[./-])?(\d{1,2})[./-](\d{4})|(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


@functools.cache
def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for tag in all_languages():
        months = vocabulary(tag).section("calendar").get("months", [])
        for number, name in enumerate(months, 1):
            names[str(name).lower()] = number
    return names


def parse_month_year(text: str) -> dt.date | None:
    """`April 2025`, `04/2025`, `15.03.2026`, `2025-04`, `marts 2025`: the first of that month
    (or that day); None for a placeholder (`{MM/YYYY}`) or no date."""
    text = text.strip()
    numeric = _NUMERIC.search(text)
    try:
        if numeric and numeric[3]:
            day = int(numeric[1]) if numeric[1] else 1
            return dt.date(int(numeric[3]), int(numeric[2]), day)
        if numeric and numeric[4]:
            return dt.date(int(numeric[4]), int(numeric[5]), int(numeric[6] or 1))
    except ValueError:
        return None
    words = re.findall(r"[^\W\d_]+|\d{4}|\d{1,2}", text.lower())
    months = _month_names()
    for i, word in enumerate(words):
        if word in months:
            year = next((w for w in words[i + 1 : i + 3] if len(w) == 4 and w.isdigit()), None)
            before = words[i - 1] if i else ""
            day = int(before) if before.isdigit() and len(before) <= 2 else 1
            if year:
                try:
                    return dt.date(int(year), months[word], day)
                except ValueError:
                    return None
    return None
