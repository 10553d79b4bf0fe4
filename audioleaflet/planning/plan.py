"""Planning: every leaflet text read, cleaned, split into spoken sentences and given its voice,
before any audio is made.

`plan` is what the build, `chapters`, `script` (`proofread.py`) and `cache prune` all start
from: whatever it says is what will be spoken, in which voice, chapter by chapter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from audioleaflet.audio.tags import check_chapter_count
from audioleaflet.config.speech import pauses_from
from audioleaflet.engines import SpeechSettings, Voice
from audioleaflet.errors import InputError
from audioleaflet.languages import Language, get_language
from audioleaflet.model import Document, Leaflet, LeafletText, Sentence
from audioleaflet.readers.document import read_document
from audioleaflet.text.cleaning import clean_document
from audioleaflet.text.introduction import introduction
from audioleaflet.text.lexicon import lexicon_for
from audioleaflet.text.sentences import body_sentences, chapter_sentences
from audioleaflet.voices.choice import Voicing, choose_voice

Warn = Callable[[str], None]
NO_VOICING = Voicing()
DESCRIPTION_CHARS = 300


@dataclass(frozen=True, slots=True)
class PlannedLeaflet:
    """One leaflet in one language, read and split, ready to be spoken."""

    leaflet: Leaflet
    """The leaflet as its manifest (or a bare file) declares it."""
    text: LeafletText
    """Which of its texts: the language and the file."""
    document: Document
    """The text read and cleaned, in chapters, with what cleaning removed."""
    title: str
    """The manifest's title for the language, else the document's own, else the slug's words."""
    description: str
    """The manifest's description, else the first sentences (for the feed and the tags)."""
    voice: Voice
    """The voice that speaks it (the chosen one, else the most intelligible one installed)."""
    settings: SpeechSettings
    """Rate, pitch and volume for that voice."""
    chapters: tuple[tuple[str, tuple[Sentence, ...]], ...]
    """(title, spoken sentences) per chapter, the spoken introduction first: exactly what is
    said, and in this order."""


def _humanise(slug: str) -> str:
    words = slug.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _description(leaflet: Leaflet, lang: str, document: Document) -> str:
    given = leaflet.descriptions.get(lang)
    if given:
        return given
    text = ""
    for chapter in document.chapters:
        for sentence in body_sentences(chapter, lang):
            if len(text) + len(sentence.text) > DESCRIPTION_CHARS and text:
                return text
            text = f"{text} {sentence.text}".strip()
    return text or document.chapters[0].title


def select_texts(leaflets: list[Leaflet], lang: str | None) -> list[tuple[Leaflet, LeafletText]]:
    """The (leaflet, text) pairs to build: every language, or only `lang`."""
    wanted = get_language(lang).tag if lang else None
    pairs = [
        (leaflet, text)
        for leaflet in leaflets
        for text in leaflet.texts
        if wanted is None or text.lang == wanted
    ]
    if not pairs:
        raise InputError(f"no leaflet has a text in {wanted!r}; leave out --lang to build all")
    return pairs


def plan(
    leaflets: list[Leaflet],
    lang: str | None = None,
    voicing: Voicing = NO_VOICING,
    warn: Warn = lambda _line: None,
) -> list[PlannedLeaflet]:
    """Read, check and split every text to build, and choose its voice, before any audio."""
    planned: list[PlannedLeaflet] = []
    warned: set[str] = set()

    def warn_once(line: str) -> None:
        if line not in warned:
            warned.add(line)
            warn(line)

    for leaflet, text in select_texts(leaflets, lang):
        language = get_language(text.lang)
        for notice in (*_missing_data(language), *leaflet.notices):
            warn_once(notice)
        choices = voicing.for_leaflet(leaflet.speech)
        chosen = choose_voice(language.tag, choices, voicing.options, voicing.strict, warn_once)
        pauses = pauses_from(choices)
        overrides = leaflet.overrides
        document = clean_document(read_document(text, overrides), overrides.notes)
        for notice in document.notices:
            warn_once(notice)
        lexicon = lexicon_for(leaflet.source, language.tag, overrides.lexicon, warn_once)
        lexicon = lexicon.for_voice(chosen.phonemes, chosen.voice.label, warn_once)
        title = leaflet.titles.get(language.tag) or document.title
        if title is None:
            if leaflet.titles:
                # The manifest names titles but forgot this language: say so, don't guess.
                given = ", ".join(sorted(leaflet.titles))
                raise InputError(
                    f"{leaflet.source / 'leaflet.toml'}: title has no {language.tag} entry "
                    f'(has {given}); add {language.tag} = "…" to it'
                )
            title = _humanise(leaflet.slug)
        if len(document.chapters) == 1 and document.chapters[0].title == language.introduction:
            # A text without headings is one chapter; "Introduction" would misname it.
            only = document.chapters[0]
            document = replace(document, chapters=(replace(only, title=title),))
        chapters = [
            (ch.title, tuple(chapter_sentences(ch, language.tag, pauses, lexicon)))
            for ch in document.chapters
        ]
        intro = introduction(title, leaflet, language.tag, pauses, lexicon, document.title)
        unsaid = document.title is not None and not _said(document.title, chapters)
        chapters = _introduced(title, intro, chapters, pauses.paragraph_ms, own_title=unsaid)
        check_chapter_count(len(chapters), str(text.path))
        planned.append(
            PlannedLeaflet(
                leaflet=leaflet,
                text=text,
                document=document,
                title=title,
                description=_description(leaflet, language.tag, document),
                voice=chosen.voice,
                settings=chosen.settings,
                chapters=tuple(chapters),
            )
        )
    return planned


def _missing_data(language: Language) -> tuple[str, ...]:
    """The warning for a language espeak-ng speaks but the project has no full data for yet."""
    if not language.missing:
        return ()
    return (
        f"warning: {language.name} has no data yet for {language.missing}: numbers, "
        "dates and the leaflet's headings are read, the rest as espeak-ng reads it",
    )


Spoken = list[tuple[str, tuple[Sentence, ...]]]


def _said(words: str, chapters: Spoken) -> bool:
    """Whether `words` are a heading or a sentence of `chapters` (a plain text's title line is
    also its first heading; a Markdown `# Title` is not in its chapters)."""
    return any(
        words in (title, *(sentence.source for sentence in sentences))
        for title, sentences in chapters
    )


def _introduced(
    title: str, intro: list[Sentence], chapters: Spoken, pause_ms: int, own_title: bool
) -> Spoken:
    """`chapters` opened by the spoken introduction, as a chapter of its own.

    `own_title`: the document has a title of its own that no chapter says (a bare Markdown
    file's `# Warfarin` above `## Important`): it is the leaflet's words and must be said.
    """
    if len(intro) == 1 and (not own_title or chapters[0][0] == title):
        # Nothing known beyond a title made from the file's name, or the first heading says it.
        return chapters
    if len(chapters) == 1 and chapters[0][0] == title:
        # One chapter named after the leaflet: the introduction has just said its title.
        body = chapters[0][1][1:]
        if body:
            intro[-1] = replace(intro[-1], pause_after_ms=pause_ms)
        return [(title, (*intro, *body))]
    return [(title, tuple(intro)), *chapters]
