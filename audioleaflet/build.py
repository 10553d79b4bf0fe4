"""The whole build: leaflets -> spoken clips -> chapter audio -> tagged MP3s -> feeds.

This is the library entry point the CLI calls. Every input is read and checked before any
audio is made, so a bad file fails fast; every output is written under a temporary name and
renamed into place, so a failure leaves the previous outputs as they were.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from audioleaflet.atomic import atomic_file, atomic_folder, remove_leftovers
from audioleaflet.audio.cache import cache_dir, clip_folder, encoded_folder
from audioleaflet.audio.clips import Clip, ClipRequest, Progress, clip_keys, synthesize_clips
from audioleaflet.audio.encoded import EncodedLeaflet, encoded_leaflet
from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.audio.loudness import LoudnessTarget
from audioleaflet.audio.m4b import tag_m4b
from audioleaflet.audio.tags import Tags, check_chapter_count, write_mp3_tags
from audioleaflet.engines import EngineOptions, SpeechSettings, Voice
from audioleaflet.errors import InputError, OutputError
from audioleaflet.languages import get_language
from audioleaflet.model import ChapterTiming, Document, Leaflet, LeafletText, Sentence
from audioleaflet.outputs.chapters_json import write_chapters_json
from audioleaflet.outputs.daisy import BookInfo, write_daisy
from audioleaflet.outputs.selection import ALL_OUTPUTS, Outputs
from audioleaflet.outputs.transcripts import write_srt, write_webvtt
from audioleaflet.publish.episodes import EPISODES_DIR, Episode, save_episode, stable_guid
from audioleaflet.publish.feed import write_feed
from audioleaflet.publish.settings import FeedSettings, artwork_warning, save_settings
from audioleaflet.readers.document import read_document
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.slug import slugify
from audioleaflet.text.cleaning import clean_document
from audioleaflet.text.introduction import introduction
from audioleaflet.text.lexicon import lexicon_for
from audioleaflet.text.sentences import body_sentences, chapter_sentences
from audioleaflet.voices.choice import Voicing, choose_voice
from audioleaflet.voices.config import pauses_from

Report = Callable[[str], None]
NO_VOICING = Voicing()
DESCRIPTION_CHARS = 300


@dataclass(frozen=True, slots=True)
class PlannedLeaflet:
    """One leaflet in one language, read and split, ready to be spoken."""

    leaflet: Leaflet
    text: LeafletText
    document: Document
    title: str
    description: str
    voice: Voice
    settings: SpeechSettings
    chapters: tuple[tuple[str, tuple[Sentence, ...]], ...]


@dataclass(frozen=True, slots=True)
class BuiltLeaflet:
    """What one leaflet in one language produced."""

    planned: PlannedLeaflet
    book: Path
    chapter_files: tuple[Path, ...]
    timings: tuple[ChapterTiming, ...]

    @property
    def duration_ms(self) -> int:
        return self.timings[-1].end_ms


@dataclass(frozen=True, slots=True)
class BuildResult:
    built: tuple[BuiltLeaflet, ...]
    feeds: tuple[Path, ...]
    clips_spoken: int
    """Sentences synthesised by this build; the others came from the clip cache."""
    clips_reused: int


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
    warn: Report = lambda _line: None,
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
        choices = voicing.for_leaflet(leaflet.speech)
        chosen = choose_voice(language.tag, choices, voicing.options, voicing.strict, warn_once)
        pauses = pauses_from(choices)
        overrides = leaflet.overrides
        document = clean_document(read_document(text, overrides), overrides.notes)
        lexicon = lexicon_for(leaflet.source, language.tag, overrides.lexicon)
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
        intro = introduction(title, leaflet, language.tag, pauses, lexicon)
        chapters = _introduced(title, intro, chapters, pauses.paragraph_ms)
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


Spoken = list[tuple[str, tuple[Sentence, ...]]]


def _introduced(title: str, intro: list[Sentence], chapters: Spoken, pause_ms: int) -> Spoken:
    """`chapters` opened by the spoken introduction, as a chapter of its own."""
    if len(intro) == 1:
        return chapters  # Nothing known beyond a title (a bare file): its first heading says it.
    if len(chapters) == 1 and chapters[0][0] == title:
        # One chapter named after the leaflet: the introduction has just said its title.
        body = chapters[0][1][1:]
        if body:
            intro[-1] = replace(intro[-1], pause_after_ms=pause_ms)
        return [(title, (*intro, *body))]
    return [(title, tuple(intro)), *chapters]


def _guid(item: PlannedLeaflet) -> str:
    """The leaflet's guid in this language: the manifest's, else one derived from its names."""
    leaflet = item.leaflet
    return leaflet.guid or stable_guid(leaflet.organisation, leaflet.slug, item.text.lang)


def _request(item: PlannedLeaflet, sentence: Sentence) -> ClipRequest:
    return ClipRequest(sentence.text, item.voice, item.settings)


def clip_requests(planned: list[PlannedLeaflet]) -> list[ClipRequest]:
    """Every sentence to speak, in order, with its voice."""
    return [
        _request(item, sentence)
        for item in planned
        for _title, sentences in item.chapters
        for sentence in sentences
    ]


def needed_clip_keys(sources: list[Path], voicing: Voicing = NO_VOICING) -> list[str]:
    """The cache keys of every clip that building `sources` needs (for `cache prune`)."""
    requests = clip_requests(plan(find_leaflets(sources), voicing=voicing))
    return list(clip_keys(requests, voicing.options).values())


def prepare_output(output: Path) -> None:
    """Make sure `output` is a folder we can write, with one clear error if not."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"output {output} is a file, not a folder; choose another with -o")
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"cannot write to output folder {output}: {reason}; choose another with -o"
        ) from None


def _tags(item: PlannedLeaflet, settings: FeedSettings, title: str, track: int, total: int) -> Tags:
    leaflet = item.leaflet
    language = get_language(item.text.lang)
    organisation = leaflet.organisation or settings.author
    version = f" Version {leaflet.version}." if leaflet.version else ""
    return Tags(
        title=title,
        album=item.title,
        artist=organisation,
        publisher=organisation,
        language=language.iso639_2,
        date=leaflet.date.isoformat(),
        track=track,
        track_total=total,
        comment=f"{item.description}{version} Voice: {item.voice.label}.",
        voice=item.voice.label,
        cover=leaflet.cover,
    )


def _write_leaflet(
    item: PlannedLeaflet,
    clips: dict[ClipRequest, Clip],
    output: Path,
    settings: FeedSettings,
    work: Path,
    store: Path,
    jobs: int | None = None,
    outputs: Outputs = ALL_OUTPUTS,
) -> BuiltLeaflet:
    lang = item.text.lang
    slug = item.leaflet.slug
    lang_dir = output / lang
    lang_dir.mkdir(parents=True, exist_ok=True)
    parts = [
        (
            title,
            [(clips[_request(item, s)], s.pause_after_ms) for s in sentences],
        )
        for title, sentences in item.chapters
    ]
    rate = parts[0][1][0][0].sample_rate  # every chapter has at least its spoken heading
    said = [sentences for _title, sentences in item.chapters]
    language = get_language(lang).iso639_2
    encoded = encoded_leaflet(
        parts, rate, store, work / f"{lang}-{slug}", said, jobs=jobs, language=language,
        audiobook=outputs.m4b, target=LoudnessTarget(integrated_lufs=settings.loudness),
    )  # fmt: skip
    return _publish_leaflet(item, encoded, lang_dir, settings, outputs)


@dataclass(frozen=True, slots=True)
class Companions:
    """The files written beside a leaflet's book MP3, all from the one timing model."""

    transcript: Path | None
    subtitles: Path | None
    chapters: Path | None
    audiobook: Path | None


def _companions(
    item: PlannedLeaflet,
    settings: FeedSettings,
    encoded: EncodedLeaflet,
    lang_dir: Path,
    tags: Tags,
    outputs: Outputs,
) -> Companions:
    lang, slug, timings = item.text.lang, item.leaflet.slug, encoded.timings
    transcript = subtitles = chapters = audiobook = None
    if outputs.transcripts:
        transcript, subtitles = lang_dir / f"{slug}.vtt", lang_dir / f"{slug}.srt"
        write_webvtt(transcript, timings, lang, outputs.transcript_text)
        write_srt(subtitles, timings, outputs.transcript_text)
    if outputs.chapters:
        chapters = lang_dir / f"{slug}.chapters.json"
        write_chapters_json(
            chapters,
            timings,
            title=item.title,
            podcast_name=settings.title_for(lang),
            file_name=f"{slug}.mp3",
        )
    _remove_unselected(lang_dir, slug, outputs)
    if encoded.audiobook is not None:
        audiobook = lang_dir / f"{slug}.m4b"
        with atomic_file(audiobook) as tmp:
            shutil.copyfile(encoded.audiobook, tmp)
            tag_m4b(tmp, replace(tags, genre="Audiobook"))
    return Companions(transcript, subtitles, chapters, audiobook)


def _remove_unselected(lang_dir: Path, slug: str, outputs: Outputs) -> None:
    """A companion this build does not make is removed, so a published folder holds no stale
    transcript or audiobook that no longer matches the audio."""
    unselected = {
        ".vtt": not outputs.transcripts,
        ".srt": not outputs.transcripts,
        ".chapters.json": not outputs.chapters,
        ".m4b": not outputs.m4b,
    }
    for suffix, remove in unselected.items():
        if remove:
            (lang_dir / f"{slug}{suffix}").unlink(missing_ok=True)
    if not outputs.daisy:
        shutil.rmtree(lang_dir / f"{slug}.daisy", ignore_errors=True)


def _write_daisy(
    item: PlannedLeaflet,
    settings: FeedSettings,
    timings: tuple[ChapterTiming, ...],
    chapter_names: list[str],
    lang_dir: Path,
) -> None:
    leaflet, lang = item.leaflet, item.text.lang
    organisation = leaflet.organisation or settings.author or settings.title_for(lang)
    info = BookInfo(
        title=item.title,
        creator=organisation,
        publisher=organisation,
        date=leaflet.date.isoformat(),
        language=lang,
        identifier=_guid(item),
        narrator=item.voice.label,
        source_version=leaflet.version,
        description=item.description,
    )
    chapters = [lang_dir / leaflet.slug / name for name in chapter_names]
    write_daisy(lang_dir / f"{leaflet.slug}.daisy", info, timings, chapters)


def _publish_leaflet(
    item: PlannedLeaflet,
    encoded: EncodedLeaflet,
    lang_dir: Path,
    settings: FeedSettings,
    outputs: Outputs,
) -> BuiltLeaflet:
    """Copy the encoded MP3s into the output, tag them, and record the episode."""
    lang = item.text.lang
    slug = item.leaflet.slug
    toc_title = get_language(lang).chapters
    timings = encoded.timings

    book = lang_dir / f"{slug}.mp3"
    book_tags = _tags(item, settings, item.title, 1, 1)
    with atomic_file(book) as tmp:
        shutil.copyfile(encoded.book, tmp)
        write_mp3_tags(tmp, book_tags, timings, toc_title)
    files = _companions(item, settings, encoded, lang_dir, book_tags, outputs)

    names: list[str] = []
    with atomic_folder(lang_dir / slug) as folder:
        total = len(timings)
        width = max(2, len(str(total)))
        for number, (mp3, timing) in enumerate(zip(encoded.chapters, timings, strict=True), 1):
            name = f"{number:0{width}d}-{slugify(timing.title)}.mp3"
            path = folder / name
            shutil.copyfile(mp3, path)
            write_mp3_tags(path, _tags(item, settings, timing.title, number, total))
            names.append(name)
    episode = Episode(
        slug=slug,
        lang=lang,
        title=item.title,
        description=item.description,
        author=item.leaflet.organisation or settings.author,
        date=item.leaflet.date.isoformat(),
        guid=_guid(item),
        audio_file=book.name,
        size=book.stat().st_size,
        duration_ms=timings[-1].end_ms,
        chapters=timings,
        voice=item.voice.label,
        transcript_file=files.transcript.name if files.transcript else "",
        subtitles_file=files.subtitles.name if files.subtitles else "",
        chapters_file=files.chapters.name if files.chapters else "",
        audiobook_file=files.audiobook.name if files.audiobook else "",
        audiobook_size=files.audiobook.stat().st_size if files.audiobook else 0,
    )
    save_episode(lang_dir, episode)
    if outputs.daisy:
        _write_daisy(item, settings, timings, names, lang_dir)
    return BuiltLeaflet(
        planned=item,
        book=book,
        chapter_files=tuple(lang_dir / slug / n for n in names),
        timings=timings,
    )


def build(
    sources: list[Path],
    output: Path,
    settings: FeedSettings,
    lang: str | None = None,
    jobs: int | None = None,
    report: Report = lambda _line: None,
    cache: Path | None = None,
    progress: Progress | None = None,
    voicing: Voicing = NO_VOICING,
    outputs: Outputs = ALL_OUTPUTS,
) -> BuildResult:
    """Build every leaflet (or only `lang`) found in `sources` into `output`.

    Spoken sentences are kept in the clip cache (`cache`, `$AUDIOLEAFLET_CACHE` or
    `.audioleaflet-cache`) and reused by later builds.
    """
    leaflets = find_leaflets(sources, lang)
    planned = plan(leaflets, lang, voicing, report)
    if warning := artwork_warning(settings):
        report(warning)
    for item in planned:
        if item.text.lang_detected:
            report(f"{item.text.path}: detected language {item.text.lang} (use --lang to set it)")
    prepare_output(output)
    require_usable_ffmpeg()
    try:
        return _build_planned(
            planned, output, settings, jobs, report, cache_dir(cache), progress, voicing.options,
            outputs,
        )  # fmt: skip
    except OSError as exc:
        # Disk full, a folder made read-only under us: say which file, keep the traceback out.
        where = exc.filename or output
        raise OutputError(f"cannot write {where}: {exc.strerror or exc}") from None


def _build_planned(
    planned: list[PlannedLeaflet],
    output: Path,
    settings: FeedSettings,
    jobs: int | None,
    report: Report,
    cache: Path,
    progress: Progress | None,
    options: EngineOptions,
    outputs: Outputs,
) -> BuildResult:
    for folder in {output} | {output / item.text.lang for item in planned}:
        remove_leftovers(folder)
        remove_leftovers(folder / EPISODES_DIR)
    requests = clip_requests(planned)
    unique = len(set(requests))
    built: list[BuiltLeaflet] = []
    feeds: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="audioleaflet-") as tmp:
        work = Path(tmp)
        clips, spoken = synthesize_clips(requests, clip_folder(cache), jobs, progress, options)
        report(
            f"{len(planned)} leaflet texts, {unique} sentences: "
            f"{spoken} spoken, {unique - spoken} from the cache ({cache})"
        )
        for item in planned:
            store = encoded_folder(cache)
            result = _write_leaflet(item, clips, output, settings, work, store, jobs, outputs)
            built.append(result)
            # The feed follows each leaflet at once, so its enclosure lengths always match the
            # files even if a later leaflet fails.
            feeds[item.text.lang] = write_feed(item.text.lang, settings, output)
            minutes, seconds = divmod(round(result.duration_ms / 1000), 60)
            count = len(result.timings)
            chapters = "chapter" if count == 1 else "chapters"
            report(f"{result.book} ({count} {chapters}, {minutes}:{seconds:02d})")
    save_settings(output, settings)
    if not settings.base_url:
        report(
            "note: the feeds link to file:// addresses on this machine; set base_url in "
            "podcast.toml or pass --base-url to publish them"
        )
    for feed in feeds.values():
        report(f"{feed}")
    return BuildResult(
        built=tuple(built),
        feeds=tuple(feeds.values()),
        clips_spoken=spoken,
        clips_reused=unique - spoken,
    )
