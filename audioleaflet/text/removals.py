"""What reading and cleaning removed from one leaflet text, summed up for the build's report.

The proofreader (`audioleaflet script --diff`) lists every removal; the build says how many of
each kind there were, and warns when so much of the text went that a person should look.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from audioleaflet.model import Document, Reason

# The English web page in ../shared/leaflets loses 14 % of its words (82 of 585), every one of
# them furniture: a language link, three image captions, a login form, the imprint and a "Find
# out more" button. The Danish PDF text loses 1 % (footnote numbers and note letters). A fifth
# is above what a real page loses to furniture, so the warning means "look", not "web page".
WARN_SHARE = 0.20

# (one, several) for each reason, as the summary line says them.
_NAMES: dict[Reason, tuple[str, str]] = {
    Reason.SKIPPED: ("line skipped by leaflet.toml", "lines skipped by leaflet.toml"),
    Reason.PAGE_NUMBER: ("page number", "page numbers"),
    Reason.RUNNING_HEADER: ("running header", "running headers"),
    Reason.WEB_LEFTOVER: ("web-page leftover", "web-page leftovers"),
    Reason.IMAGE_CAPTION: ("image caption", "image captions"),
    Reason.IMPRINT: ("line of publisher's imprint", "lines of publisher's imprint"),
    Reason.LINK_TEXT: ("repeated link text", "repeated link texts"),
    Reason.REFERENCE_NUMBER: ("reference number", "reference numbers"),
    Reason.FOOTNOTE_NUMBER: ("footnote number", "footnote numbers"),
    Reason.NOTE_MARK: ("note mark", "note marks"),
    Reason.NOTE_LETTER: ("note letter", "note letters"),
    Reason.QUERY_STRING: ("address query string", "address query strings"),
    Reason.LINK_ADDRESS: ("link address", "link addresses"),
    Reason.MARKUP_COMMENT: ("comment in the markup", "comments in the markup"),
    Reason.FRONT_MATTER: ("front matter block", "front matter blocks"),
    Reason.NOT_LEAFLET: ("part that is not the leaflet", "parts that are not the leaflet"),
    Reason.BOILERPLATE: ("block of web-page boilerplate", "blocks of web-page boilerplate"),
    Reason.NO_WORDS: ("block without words", "blocks without words"),
}

# Markup never was text to read: it is listed and counted, but not in the share of words.
_MARKUP = {
    Reason.QUERY_STRING,
    Reason.LINK_ADDRESS,
    Reason.MARKUP_COMMENT,
    Reason.FRONT_MATTER,
    # The SmPC and labelling of an EMA document: another text, not a share of this one.
    Reason.NOT_LEAFLET,
}
_WORD = re.compile(r"[^\W_]+")


def counted(reason: Reason, count: int) -> str:
    """`1 page number`, `6 lines of publisher's imprint`."""
    return f"{count} {_NAMES[reason][0 if count == 1 else 1]}"


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class RemovalSummary:
    """How much of one leaflet text was removed, by reason."""

    counts: tuple[tuple[Reason, int], ...]
    """Each reason that removed something, with how many removals, in `Reason` order."""
    words_removed: int
    """Words of text in the removed lines and markers: not markup, and not a word a mark was
    taken out of (the word stays)."""
    words: int
    """Words of text the leaflet had: those removed and those kept."""

    @property
    def share(self) -> float:
        return self.words_removed / self.words if self.words else 0.0

    def describe(self) -> str:
        """`12 page numbers, 2 running headers, 1 web-page leftover`."""
        return ", ".join(counted(reason, count) for reason, count in self.counts)


def summarise(document: Document) -> RemovalSummary:
    by_reason = Counter(removal.reason for removal in document.removed)
    removed = sum(
        count_words(r.text) for r in document.removed if not r.kept and r.reason not in _MARKUP
    )
    kept = sum(
        count_words(chapter.title) + sum(count_words(block.text) for block in chapter.blocks)
        for chapter in document.chapters
    )
    counts = tuple((reason, by_reason[reason]) for reason in Reason if by_reason[reason])
    return RemovalSummary(counts=counts, words_removed=removed, words=removed + kept)


def removal_report(name: str, source: Path, document: Document) -> list[str]:
    """The build's lines about one text (`en/hand-hygiene`): what was removed, and a warning
    when more than `WARN_SHARE` of its words went. Nothing when nothing was removed."""
    summary = summarise(document)
    if not summary.counts:
        return []
    see = f"audioleaflet script {shlex.quote(str(source))} --lang {document.lang} --diff"
    lines = [f"{name}: removed {summary.describe()} (see: {see})"]
    if summary.share > WARN_SHARE:
        lines.append(
            f"warning: {name}: cleaning removed {summary.share:.0%} of the words "
            f"({summary.words_removed} of {summary.words}); check that none of it is the "
            f"leaflet's content with: {see}"
        )
    return lines
