"""Per-language vocabulary from `data/lang/<lang>.toml`: the words and patterns text rules use.

Rules live in code and are the same for every language; what differs (unit words, genders,
abbreviations, page-furniture patterns) lives in these data files.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from audioleaflet.languages import all_languages, get_language


@dataclass(frozen=True)
class Vocabulary:
    """Everything language-specific that the text rules need."""

    lang: str
    data: dict[str, Any]
    """The parsed data file, as written."""

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        return value if isinstance(value, dict) else {}

    @functools.cached_property
    def furniture(self) -> tuple[re.Pattern[str], ...]:
        """Whole lines that are page furniture (`Side 2 af 6`)."""
        return tuple(
            re.compile(p, re.IGNORECASE) for p in self.section("cleaning").get("furniture", [])
        )

    @functools.cached_property
    def web_leftovers(self) -> tuple[re.Pattern[str], ...]:
        """Whole lines left over from web pages (`Forgotten password`)."""
        return self._patterns("web_leftovers")

    @functools.cached_property
    def captions(self) -> tuple[re.Pattern[str], ...]:
        """Image descriptions on web pages (`Doctor interviewing a patient`)."""
        return self._patterns("captions", flags=0)

    def _patterns(self, key: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in self.section("cleaning").get(key, []))

    def is_furniture(self, line: str) -> bool:
        stripped = line.strip()
        return any(p.fullmatch(stripped) for p in self.furniture)

    def is_web_leftover(self, line: str) -> bool:
        """A line from any language's list: a web page links to its other languages."""
        return _in_any_language("web_leftovers", line.strip().rstrip(".:"))

    @functools.cached_property
    def link_labels(self) -> tuple[re.Pattern[str], ...]:
        """The texts of web pages' links and buttons (`Find out more`, `Læs mere`)."""
        return self._patterns("link_labels")

    def is_link_label(self, text: str) -> bool:
        """From any language's list, as web leftovers: a page links in more than one."""
        return _in_any_language("link_labels", text.strip())

    @functools.cached_property
    def legal_footer(self) -> tuple[re.Pattern[str], ...]:
        """First lines of a publisher's imprint (`© Effetti srl`, `P. IVA 1075…`)."""
        return self._patterns("legal_footer")

    def is_legal_footer(self, line: str) -> bool:
        """From any language's list: a page in one language often has its imprint in another."""
        return _in_any_language("legal_footer", line.strip())

    def is_caption(self, line: str) -> bool:
        return any(p.fullmatch(line.strip()) for p in self.captions)


def all_vocabularies() -> list[Vocabulary]:
    return [vocabulary(tag) for tag in all_languages()]


def _in_any_language(patterns: str, text: str) -> bool:
    """Whether `text` is wholly one of the patterns every language lists under `patterns`
    (`web_leftovers`, `link_labels`, `legal_footer`)."""
    return any(p.fullmatch(text) for v in all_vocabularies() for p in getattr(v, patterns))


@functools.cache
def vocabulary(lang: str) -> Vocabulary:
    tag = get_language(lang).tag
    path = resources.files("audioleaflet").joinpath(f"data/lang/{tag}.toml")
    return Vocabulary(lang=tag, data=tomllib.loads(path.read_text(encoding="utf-8")))
