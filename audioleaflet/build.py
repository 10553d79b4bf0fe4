"""The whole build: leaflets -> spoken clips -> chapter audio -> tagged MP3s -> feeds.

This is the library entry point the CLI calls. Every input is read and checked before any
audio is made, so a bad file fails fast; every output is written into a staging copy of its
language folder, which replaces the live one in one step (`publish/staging.py`), so a failure
or a kill leaves the previous outputs as they were.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from audioleaflet import faults
from audioleaflet.atomic import (
    WriteError,
    atomic_file,
    atomic_folder,
    explain_write_failure,
    remove_leftovers,
    writable_folder,
)
from audioleaflet.audio.cache import cache_dir, clip_folder, encoded_folder
from audioleaflet.audio.clips import Clip, ClipRequest, Progress, clip_keys, synthesize_clips
from audioleaflet.audio.encoded import EncodedLeaflet, encoded_leaflet
from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.audio.loudness import LoudnessTarget
from audioleaflet.audio.m4b import tag_m4b
from audioleaflet.audio.tags import Tags, check_chapter_count, write_mp3_tags
from audioleaflet.cpus import capped_jobs
from audioleaflet.engines import EngineOptions, SpeechSettings, Voice
from audioleaflet.errors import InputError, ToolError
from audioleaflet.languages import get_language
from audioleaflet.model import ChapterTiming, Document, Leaflet, LeafletText, Sentence
from audioleaflet.outputs.chapters_json import write_chapters_json
from audioleaflet.outputs.daisy import BookInfo, write_daisy
from audioleaflet.outputs.selection import ALL_OUTPUTS, Outputs
from audioleaflet.outputs.transcripts import write_srt, write_webvtt
from audioleaflet.publish.episodes import EPISODES_DIR, Episode, save_episode, stable_guid
from audioleaflet.publish.feed import write_feed
from audioleaflet.publish.lock import output_lock
from audioleaflet.publish.settings import FeedSettings, artwork_warning, save_settings
from audioleaflet.publish.staging import FEED_NAME, LanguageStage
from audioleaflet.readers.document import read_document
from audioleaflet.readers.sources import check_output_apart, find_leaflets
from audioleaflet.slug import slugify
from audioleaflet.text.cleaning import clean_document
from audioleaflet.text.introduction import introduction
from audioleaflet.text.lexicon import lexicon_for
from audioleaflet.text.removals import removal_report
from audioleaflet.text.sentences import body_sentences, chapter_sentences
from audioleaflet.voices.choice import Voicing, choose_voice
from audioleaflet.voices.config import pauses_from
from audioleaflet.voices.ranking import ranking_notes

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
        for notice in leaflet.notices:
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


def needed_clip_keys(
    sources: list[Path], voicing: Voicing = NO_VOICING, follow_symlinks: bool = False
) -> list[str]:
    """The cache keys of every clip that building `sources` needs (for `cache prune`)."""
    requests = clip_requests(plan(find_leaflets(sources, None, follow_symlinks), voicing=voicing))
    return list(clip_keys(requests, voicing.options).values())


def prepare_output(output: Path) -> None:
    """Make sure `output` is a folder we can write, with one clear error if not."""
    writable_folder(output, "output folder", "-o")


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
        comment=f"{item.description}{version} Voice: {item.voice.described}.",
        voice=item.voice.label,
        cover=leaflet.cover,
    )


def _write_leaflet(
    item: PlannedLeaflet,
    clips: dict[ClipRequest, Clip],
    folder: Path,
    settings: FeedSettings,
    work: Path,
    store: Path,
    jobs: int | None = None,
    outputs: Outputs = ALL_OUTPUTS,
    warn: Report | None = None,
) -> EncodedLeaflet:
    """Encode the leaflet (or find it in the cache) and write its set into `folder`."""
    lang = item.text.lang
    slug = item.leaflet.slug
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
        warn=warn,
    )  # fmt: skip
    _publish_leaflet(item, encoded, folder, settings, outputs)
    return encoded


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
        write_webvtt(transcript, timings, lang, outputs.transcript_text, item.voice.described)
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
    if encoded.audiobook is not None:
        audiobook = lang_dir / f"{slug}.m4b"
        with atomic_file(audiobook) as tmp:
            shutil.copyfile(encoded.audiobook, tmp)
            tag_m4b(tmp, replace(tags, genre="Audiobook"))
    return Companions(transcript, subtitles, chapters, audiobook)


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


def _chapter_names(timings: tuple[ChapterTiming, ...]) -> list[str]:
    width = max(2, len(str(len(timings))))
    return [f"{n:0{width}d}-{slugify(t.title)}.mp3" for n, t in enumerate(timings, 1)]


def _publish_leaflet(
    item: PlannedLeaflet,
    encoded: EncodedLeaflet,
    lang_dir: Path,
    settings: FeedSettings,
    outputs: Outputs,
) -> None:
    """Copy the encoded files into `lang_dir` (a staging folder), tag them, write the
    companions, and last the episode record that describes them."""
    lang = item.text.lang
    slug = item.leaflet.slug
    toc_title = get_language(lang).chapters
    timings = encoded.timings

    book = lang_dir / f"{slug}.mp3"
    book_tags = _tags(item, settings, item.title, 1, 1)
    with atomic_file(book) as tmp:
        shutil.copyfile(encoded.book, tmp)
        write_mp3_tags(tmp, book_tags, timings, toc_title)
    faults.after("book")
    files = _companions(item, settings, encoded, lang_dir, book_tags, outputs)
    faults.after("companions")

    names = _chapter_names(timings)
    with atomic_folder(lang_dir / slug) as folder:
        total = len(timings)
        chapters = zip(names, encoded.chapters, timings, strict=True)
        for number, (name, mp3, timing) in enumerate(chapters, 1):
            shutil.copyfile(mp3, folder / name)
            write_mp3_tags(folder / name, _tags(item, settings, timing.title, number, total))
    faults.after("chapters")
    if outputs.daisy:
        _write_daisy(item, settings, timings, names, lang_dir)
    faults.after("daisy")
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
        credits=item.voice.credits,
        transcript_file=files.transcript.name if files.transcript else "",
        subtitles_file=files.subtitles.name if files.subtitles else "",
        chapters_file=files.chapters.name if files.chapters else "",
        audiobook_file=files.audiobook.name if files.audiobook else "",
        audiobook_size=files.audiobook.stat().st_size if files.audiobook else 0,
    )
    save_episode(lang_dir, episode)
    faults.after("record")


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
    follow_symlinks: bool = False,
) -> BuildResult:
    """Build every leaflet (or only `lang`) found in `sources` into `output`.

    Spoken sentences are kept in the clip cache (`cache`, `$AUDIOLEAFLET_CACHE` or
    `.audioleaflet-cache`) and reused by later builds. `jobs` is capped at the CPUs this
    process may use. Files that lead outside a source folder are refused unless
    `follow_symlinks` (see `readers.tree`).
    """
    jobs = capped_jobs(jobs, report)
    leaflets = find_leaflets(sources, lang, follow_symlinks)
    check_output_apart(output, sources, leaflets)
    planned = plan(leaflets, lang, voicing, report)
    if warning := artwork_warning(settings):
        report(warning)
    for item in planned:
        if item.text.lang_detected:
            report(f"{item.text.path}: detected language {item.text.lang} (use --lang to set it)")
        name = f"{item.text.lang}/{item.leaflet.slug}"
        for line in removal_report(name, item.leaflet.source, item.document):
            report(line)
    store = cache_dir(cache)
    writable_folder(store, "cache folder", "--cache-dir")
    prepare_output(output)
    require_usable_ffmpeg()
    chosen = [(i.text.lang, i.voice, voicing.for_leaflet(i.leaflet.speech)) for i in planned]
    for line in ranking_notes(chosen):
        report(line)
    try:
        return _build_planned(
            planned, output, settings, jobs, report, store, progress, voicing.options, outputs,
        )  # fmt: skip
    except (WriteError, ToolError, OSError) as exc:
        # Disk full, a file too large, a folder read-only or in the way: one line naming the
        # file that failed, and what to do about it by the folder it is in.
        places = {store: "another cache with --cache-dir", output: "another output folder with -o"}
        explained = explain_write_failure(exc, places)
        if explained is None:
            raise
        raise explained from None


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
    with output_lock(output, report):
        # The output folder first: a language folder set aside by a killed switch comes back.
        remove_leftovers(output)
        for lang_dir in sorted({output / item.text.lang for item in planned}):
            remove_leftovers(lang_dir)
            remove_leftovers(lang_dir / EPISODES_DIR)
        requests = clip_requests(planned)
        unique = len(set(requests))
        with tempfile.TemporaryDirectory(prefix="audioleaflet-") as tmp:
            clips, spoken = synthesize_clips(
                requests, clip_folder(cache), jobs, progress, options, warn=report
            )
            report(
                f"{len(planned)} leaflet texts, {unique} sentences: "
                f"{spoken} spoken, {unique - spoken} from the cache ({cache})"
            )
            built, feeds = _stage_and_switch(
                planned, clips, output, settings, Path(tmp), encoded_folder(cache), jobs, report,
                outputs,
            )  # fmt: skip
    if not settings.base_url:
        report(
            "note: the feeds link to file:// addresses on this machine; set base_url in "
            "podcast.toml or pass --base-url to publish them"
        )
    for feed in feeds:
        report(f"{feed}")
    return BuildResult(
        built=tuple(built),
        feeds=tuple(feeds),
        clips_spoken=spoken,
        clips_reused=unique - spoken,
    )


def _stage_and_switch(
    planned: list[PlannedLeaflet],
    clips: dict[ClipRequest, Clip],
    output: Path,
    settings: FeedSettings,
    work: Path,
    store: Path,
    jobs: int | None,
    report: Report,
    outputs: Outputs,
) -> tuple[list[BuiltLeaflet], list[Path]]:
    """Write every leaflet into its language's staging folder, then switch each language in.

    Each language switches once, after its last leaflet. Linking the unchanged files in and
    deleting the old copy cost time in proportion to the folder (6,400 files, as 200 leaflets
    make: 80 and 50 ms of CPU, measured), so switching after every leaflet would grow with the
    square of the number of leaflets: 25 s of CPU for 200, where a rebuild of all 200 with
    nothing changed spends about 3 s. When a leaflet fails, the leaflets finished before it
    are still switched in, with the failed one's previous set, and then the error is raised;
    a kill switches nothing of the language it was staging (the cache keeps the audio made,
    so the next build only copies and tags it again).
    """
    stages: dict[str, LanguageStage] = {}
    built: list[BuiltLeaflet] = []
    try:
        for item in planned:
            lang, slug = item.text.lang, item.leaflet.slug
            if lang not in stages:
                stages[lang] = LanguageStage(output / lang)
            stage = stages[lang]
            folder = stage.begin(slug)
            try:
                encoded = _write_leaflet(
                    item, clips, folder, settings, work, store, jobs, outputs, warn=report
                )
            except BaseException:
                stage.drop(slug)
                raise
            live = output / lang
            names = _chapter_names(encoded.timings)
            result = BuiltLeaflet(
                planned=item,
                book=live / f"{slug}.mp3",
                chapter_files=tuple(live / slug / name for name in names),
                timings=encoded.timings,
            )
            built.append(result)
            minutes, seconds = divmod(round(result.duration_ms / 1000), 60)
            count = len(result.timings)
            chapters = "chapter" if count == 1 else "chapters"
            report(f"{result.book} ({count} {chapters}, {minutes}:{seconds:02d})")
    except BaseException as exc:
        if isinstance(exc, Exception):  # not Ctrl-C: that stops at once, switching nothing
            # What was finished before the failure is published all the same; the failure is
            # what the user must hear about.
            with contextlib.suppress(Exception):
                _switch(stages, output, settings, report)
        for stage in stages.values():
            stage.discard()
        raise
    return built, _switch(stages, output, settings, report)


def _switch(
    stages: dict[str, LanguageStage], output: Path, settings: FeedSettings, report: Report
) -> list[Path]:
    """Complete each staged language folder with the live one's other files and a new feed,
    and switch it in; return the feeds."""
    feeds: list[Path] = []
    try:
        for number, (lang, stage) in enumerate(stages.items()):
            stage.merge()
            faults.after("merged")
            write_feed(lang, settings, output, lang_dir=stage.path, warn=report)
            faults.after("feed")
            if number == 0:
                # Before the first feed made with them goes live: a later build that finds no
                # podcast.toml must go on with these settings.
                save_settings(output, settings)
                faults.after("settings")
            old = stage.swap()
            faults.after("swapped")
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            faults.after("tidied")
            feeds.append(output / lang / FEED_NAME)
    finally:
        for stage in stages.values():
            stage.discard()
    return feeds
