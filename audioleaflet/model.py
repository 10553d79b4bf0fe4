"""The frozen records passed between stages: read -> split -> synthesize -> assemble -> publish.

Times are integer milliseconds (`*_ms`); languages are BCP 47 tags (`da`, `en`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from audioleaflet.config.manifest import TextOverrides
from audioleaflet.config.speech import SpeechChoices


class BlockKind(Enum):
    """What a block of text is, which decides how long the pause after it is."""

    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    SUBHEADING = "subheading"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, list item or sub-heading of a chapter."""

    kind: BlockKind
    """What the text is."""
    text: str
    """The text on one line, wraps and line-end hyphenation already undone."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """A navigable section: a heading and the blocks under it."""

    title: str
    """The heading as it will be shown in players and spoken at the start of the chapter."""
    blocks: tuple[Block, ...]
    """The body, in reading order."""


class Reason(Enum):
    """Why a piece of the leaflet's text is not spoken; the value is how the proofreader lists it.

    Furniture, markers and markup (page layout, web-page leftovers, note marks, link addresses),
    and the lines the leaflet's own manifest says to skip. Content is never removed by a rule,
    so there is no reason for it.
    """

    SKIPPED = "skipped by leaflet.toml"
    PAGE_NUMBER = "page number"
    RUNNING_HEADER = "running header"
    WEB_LEFTOVER = "web-page leftover"
    IMAGE_CAPTION = "image caption"
    IMPRINT = "publisher's imprint"
    LINK_TEXT = "repeated link text"
    REFERENCE_NUMBER = "reference number"
    FOOTNOTE_NUMBER = "footnote number"
    NOTE_MARK = "note mark"
    NOTE_LETTER = "note letter"
    QUERY_STRING = "address query string"
    LINK_ADDRESS = "link address"
    MARKUP_COMMENT = "comment in the markup"
    FRONT_MATTER = "front matter"


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of the leaflet's text that cleaning took out, and why."""

    reason: Reason
    """Which rule took it out."""
    text: str
    """What the leaflet wrote there: the whole line, the marker, or the word a mark was in."""
    kept: str = ""
    """What is said instead, if anything: the word without its note letter (`behandlingera` ->
    `behandlinger`), or the note label for the note's own letter (`a` -> `Note:`)."""

    def __str__(self) -> str:
        shown = f"{self.text} -> {self.kept}" if self.kept else self.text
        return f"{self.reason.value}: {shown}"


@dataclass(frozen=True, slots=True)
class Document:
    """One leaflet's text in one language, split into chapters."""

    lang: str
    """BCP 47 language tag."""
    title: str | None
    """The document's own title (a Markdown level-1 heading), if it has one."""
    chapters: tuple[Chapter, ...]
    """Chapters in reading order; never empty."""
    removed: tuple[Removal, ...] = ()
    """Everything reading and cleaning took out, in order; the proofreader and the build's
    summary both list these."""
    notices: tuple[str, ...] = ()
    """Warnings for the user about the file as read (control characters removed)."""


@dataclass(frozen=True, slots=True)
class LeafletText:
    """A text file of a leaflet in one language, before it is read."""

    lang: str
    """BCP 47 language tag."""
    path: Path
    """The `.txt` or `.md` file."""
    lang_detected: bool = False
    """True when the language was guessed from the text rather than declared."""


@dataclass(frozen=True, slots=True)
class Leaflet:
    """A leaflet as declared by its `leaflet.toml` (or inferred for a bare file)."""

    slug: str
    """File-name-safe identifier; names the output files and seeds the stable feed guid."""
    source: Path
    """The leaflet folder, or the bare text file."""
    texts: tuple[LeafletText, ...]
    """One text per language."""
    titles: dict[str, str]
    """Title per language, where the manifest gives one."""
    descriptions: dict[str, str]
    """One-sentence description per language for the feed, where the manifest gives one."""
    organisation: str | None
    """Who publishes the leaflet; the artist tag and the feed item's author."""
    date: dt.date
    """Publication date; the feed item's pubDate and the date tag."""
    version: str | None
    """The leaflet's own version label, if it has one."""
    cover: Path | None
    """Cover image (PNG or JPEG), checked to exist."""
    guid: str | None = None
    """A fixed feed guid from the manifest; otherwise one is derived from the slug."""
    overrides: TextOverrides = field(default_factory=TextOverrides)
    """Corrections to heading detection and cleaning."""
    speech: SpeechChoices = field(default_factory=SpeechChoices)
    """Voices, speech settings and pauses the leaflet's own manifest chooses."""
    dated: bool = True
    """False when `date` is only the file's modification time (a bare file), not the leaflet's."""
    notices: tuple[str, ...] = ()
    """Warnings for the user about the manifest as read (control characters removed)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One unit handed to a speech engine."""

    text: str
    """What the engine says: the spoken form (numbers, units, addresses as words)."""
    pause_after_ms: int
    """Silence after this sentence before the next one starts."""
    source: str = ""
    """The sentence as the leaflet writes it, for proofreading and transcripts."""


@dataclass(frozen=True, slots=True)
class SentenceTiming:
    """Where one spoken sentence lies in the assembled book audio, in ms from its start."""

    text: str
    """What was spoken."""
    source: str
    """The sentence as the leaflet writes it ("" when it has no printed form, e.g. an intro)."""
    start_ms: int
    end_ms: int
    """End of the speech itself; the pause after it is not part of the sentence."""


@dataclass(frozen=True, slots=True)
class ChapterTiming:
    """Where a chapter lies in the assembled audio, exact to the millisecond.

    The one timing model: chapter marks, transcript cues, chapters JSON, M4B chapters and DAISY
    clips are all read from it. Sentence times are relative to the book, like the chapter's.
    """

    title: str
    start_ms: int
    end_ms: int
    sentences: tuple[SentenceTiming, ...] = ()
