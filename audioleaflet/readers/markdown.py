"""Markdown -> chapters, through markdown-it-py (a CommonMark parser, not regular expressions).

A single level-1 heading at the top is the document's title; the highest remaining heading
level makes chapters and deeper ones are spoken sub-headings. Images are not spoken (their alt
text describes a picture the listener cannot see); link text is spoken, its address is not; the
text inside HTML blocks is spoken, their comments are not. What is not spoken is listed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.model import Block, BlockKind, Chapter, Reason, Removal
from audioleaflet.text.lines import NOTE_GAP, join_hyphenated, word_counts


def _inline_text(token: Token, vocabulary: Counter[str], removed: list[Removal]) -> str:
    text = ""
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            text += child.content
        elif child.type == "image" and child.content.strip():
            removed.append(Removal(Reason.IMAGE_CAPTION, normalise_spaces(child.content)))
        elif child.type == "link_open" and child.markup not in ("autolink", "linkify"):
            removed.append(Removal(Reason.LINK_ADDRESS, str(child.attrs.get("href", ""))))
        elif child.type in ("softbreak", "hardbreak"):
            text = text.rstrip()
            text += "\n"
    # Undo hard wraps inside a paragraph, rejoining words cut by a line-end hyphen.
    lines = [normalise_spaces(line) for line in text.split("\n")]
    joined = ""
    for line in lines:
        if not line:
            continue
        if joined.endswith("-") and line[:1].isalnum():
            joined = join_hyphenated(joined, line, vocabulary)
        else:
            joined = f"{joined} {line}" if joined else line
    return joined


# YAML front matter (`---` … `---` at the very top) is metadata for site generators, not text.
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


# `[^1]: Clots can also form …`: a footnote's text (CommonMark has no footnotes of its own).
_FOOTNOTE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.+(?:\n(?:[ \t]+.+))*)", re.MULTILINE)


def _attach_footnotes(chapters: list[Chapter], notes: list[tuple[str, str]]) -> list[Chapter]:
    """Each footnote goes to the chapter that cites it, marked as a note for cleaning."""
    result = list(chapters)
    for label, note in notes:
        marker = f"[^{label}]"
        index = next(
            (i for i, c in enumerate(result) if any(marker in b.text for b in c.blocks)),
            len(result) - 1,
        )
        block = Block(BlockKind.PARAGRAPH, f"*{NOTE_GAP}{normalise_spaces(note)}")
        chapter = result[index]
        result[index] = Chapter(chapter.title, (*chapter.blocks, block))
    return result


def parse_markdown(
    text: str, introduction: str, removed: list[Removal] | None = None
) -> tuple[str | None, list[Chapter]]:
    """The document title (if any) and chapters of a Markdown leaflet; what is not spoken
    (image descriptions, link addresses, front matter) is added to `removed`."""
    record: list[Removal] = [] if removed is None else removed
    front = _FRONT_MATTER.match(text)
    if front:
        record.append(Removal(Reason.FRONT_MATTER, normalise_spaces(front[0].replace("\n", " "))))
        text = text[front.end() :]
    notes = [(m[1], m[2]) for m in _FOOTNOTE.finditer(text)]
    text = _FOOTNOTE.sub("", text)
    title, chapters = _parse(text, introduction, record)
    return title, _attach_footnotes(chapters, notes) if chapters else chapters


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _html_text(block: str, removed: list[Removal]) -> str:
    """The words of an HTML block (`<div>Call 112.</div>`): content, so spoken; its comments
    (notes to the author) are listed as removed."""
    for comment in _COMMENT.findall(block):
        removed.append(Removal(Reason.MARKUP_COMMENT, normalise_spaces(comment)))
    return normalise_spaces(html.unescape(_TAG.sub(" ", _COMMENT.sub(" ", block))))


def _parse(
    text: str, introduction: str, removed: list[Removal]
) -> tuple[str | None, list[Chapter]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    walk = _Walk(word_counts(text), removed)
    for index, token in enumerate(tokens):
        if not walk.structure(token):
            walk.content(token, tokens[index - 1].type if index else "")
    title, items = _title(walk.items)
    return title, _chapters(items, introduction)


@dataclass
class _Walk:
    """The token stream read in order: (level, block) for headings, (0, block) for the body."""

    vocabulary: Counter[str]
    removed: list[Removal]
    items: list[tuple[int, Block]] = field(default_factory=list)
    heading_level: int = 0
    in_list: int = 0
    item_number: str = ""
    row: list[str] = field(default_factory=list)

    def structure(self, token: Token) -> bool:
        """Follow headings, lists and table rows; False if `token` is none of these."""
        kind = token.type
        if kind in ("heading_open", "heading_close"):
            self.heading_level = int(token.tag[1]) if kind == "heading_open" else 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.in_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.in_list -= 1
        elif kind == "list_item_open":
            # An ordered item keeps its number: "step 3" is content.
            self.item_number = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close":
            if self.row:
                self.items.append((0, Block(BlockKind.LIST_ITEM, ", ".join(self.row))))
        else:
            return False
        return True

    def content(self, token: Token, parent: str) -> None:
        """Text, HTML blocks and code: what is spoken, where it stands."""
        if token.type == "inline":
            self.inline(token, parent)
        elif token.type == "html_block" and (content := _html_text(token.content, self.removed)):
            self.items.append((0, Block(BlockKind.PARAGRAPH, content)))
        elif token.type in ("fence", "code_block"):
            for line in token.content.splitlines():
                if line.strip():
                    self.items.append((0, Block(BlockKind.PARAGRAPH, normalise_spaces(line))))

    def inline(self, token: Token, parent: str) -> None:
        content = _inline_text(token, self.vocabulary, self.removed)
        if not content:
            return
        if self.heading_level:
            self.items.append((self.heading_level, Block(BlockKind.SUBHEADING, content)))
        elif parent in ("th_open", "td_open"):
            self.row.append(content)
        else:
            kind = BlockKind.LIST_ITEM if self.in_list else BlockKind.PARAGRAPH
            self.items.append((0, Block(kind, self.item_number + content)))
            self.item_number = ""


def _title(items: list[tuple[int, Block]]) -> tuple[str | None, list[tuple[int, Block]]]:
    """A single level-1 heading at the very top is the document's title."""
    level_ones = [i for i, (level, _) in enumerate(items) if level == 1]
    if len(level_ones) == 1 and level_ones[0] == 0:
        return items[0][1].text, items[1:]
    return None, items


def _chapters(items: list[tuple[int, Block]], introduction: str) -> list[Chapter]:
    """The highest heading level left makes the chapters; text before the first is an
    introduction, deeper headings are spoken inside their chapter."""
    levels = [level for level, _ in items if level]
    chapter_level = min(levels) if levels else 0
    chapters: list[Chapter] = []
    current: str | None = None
    blocks: list[Block] = []
    for level, block in items:
        if level and level == chapter_level:
            if current is not None or blocks:
                chapters.append(Chapter(current or introduction, tuple(blocks)))
            current, blocks = block.text, []
        else:
            blocks.append(block)
    if current is not None or blocks:
        chapters.append(Chapter(current or introduction, tuple(blocks)))
    return chapters
