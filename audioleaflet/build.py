"""The whole build: leaflets -> spoken clips -> chapter audio -> tagged MP3s -> feeds.

This is the library entry point the CLI calls, and only puts the stages together: `planning`
reads and splits every text and chooses its voice, `audio` speaks and encodes, `publish`
writes each leaflet's set into a staging copy of its language folder and switches the
languages in. Every input is read and checked before any audio is made, so a bad file fails
fast; a failure or a kill leaves the previous outputs as they were (`publish/staging.py`).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from audioleaflet import faults
from audioleaflet.atomic import WriteError, explain_write_failure, remove_leftovers, writable_folder
from audioleaflet.audio.cache import cache_dir, clip_folder, encoded_folder
from audioleaflet.audio.clips import Clip, ClipRequest, Progress, speak_into
from audioleaflet.audio.encoded import EncodedLeaflet, encoded_leaflet
from audioleaflet.audio.ffmpeg_check import require_usable_ffmpeg
from audioleaflet.config.podcast import BuildSettings, artwork_warning
from audioleaflet.config.saved import save_settings
from audioleaflet.cpus import capped_jobs
from audioleaflet.engines import EngineOptions
from audioleaflet.errors import OutputError, ToolError
from audioleaflet.executors import LOCAL, ExecutorChoice, open_executor
from audioleaflet.languages import get_language
from audioleaflet.layout import EPISODES_DIR, LeafletLayout, OutputLayout
from audioleaflet.model import ChapterTiming
from audioleaflet.outputs.selection import ALL_OUTPUTS, Outputs
from audioleaflet.planning.clips import clip_requests, request_for
from audioleaflet.planning.plan import NO_VOICING, PlannedLeaflet, plan
from audioleaflet.publish.feed import write_feed
from audioleaflet.publish.leaflet import publish_leaflet
from audioleaflet.publish.lock import output_lock
from audioleaflet.publish.staging import LanguageStage
from audioleaflet.publish.web import write_front_page, write_language_page
from audioleaflet.readers.sources import check_output_apart, find_leaflets
from audioleaflet.stages import stage as timed
from audioleaflet.stages import summary as timed_summary
from audioleaflet.text.removals import removal_report
from audioleaflet.voices.choice import Voicing
from audioleaflet.voices.ranking import ranking_notes

Report = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuiltLeaflet:
    """What one leaflet in one language produced."""

    planned: PlannedLeaflet
    book: Path
    chapter_files: tuple[Path, ...]
    timings: tuple[ChapterTiming, ...]

    @classmethod
    def at(
        cls, planned: PlannedLeaflet, layout: LeafletLayout, timings: tuple[ChapterTiming, ...]
    ) -> BuiltLeaflet:
        titles = [timing.title for timing in timings]
        return cls(planned, layout.book, layout.chapter_files(titles), timings)

    @property
    def duration_ms(self) -> int:
        return self.timings[-1].end_ms

    def summary(self) -> str:
        """`output/da/x.mp3 (6 chapters, 1:37)`, as the build reports it."""
        minutes, seconds = divmod(round(self.duration_ms / 1000), 60)
        count = len(self.timings)
        chapters = "chapter" if count == 1 else "chapters"
        return f"{self.book} ({count} {chapters}, {minutes}:{seconds:02d})"


@dataclass(frozen=True, slots=True)
class BuildResult:
    built: tuple[BuiltLeaflet, ...]
    feeds: tuple[Path, ...]
    clips_spoken: int
    """Sentences synthesised by this build; the others came from the clip cache."""
    clips_reused: int


LOCAL_EXECUTOR = ExecutorChoice(LOCAL)


def prepare_output(output: Path, languages: Iterable[str] = ()) -> None:
    """Make sure `output` is a folder we can write, with one clear error if not.

    A language folder is replaced whole when it is published (staged, then switched in), so
    one that is a link would be replaced by a folder, or written through into another place
    that `check` and the feeds do not follow: it is refused instead.
    """
    writable_folder(output, "output folder", "-o")
    for lang in sorted(set(languages)):
        folder = output / lang
        if folder.is_symlink():
            raise OutputError(
                f"{folder} is a link to {folder.readlink()}; audioleaflet replaces each "
                "language folder whole: remove the link, or point -o at the folder to fill"
            )


def build(
    sources: list[Path],
    output: Path,
    settings: BuildSettings,
    lang: str | None = None,
    jobs: int | None = None,
    report: Report = lambda _line: None,
    cache: Path | None = None,
    progress: Progress | None = None,
    voicing: Voicing = NO_VOICING,
    outputs: Outputs = ALL_OUTPUTS,
    follow_symlinks: bool = False,
    executor: ExecutorChoice = LOCAL_EXECUTOR,
) -> BuildResult:
    """Build every leaflet (or only `lang`) found in `sources` into `output`.

    Spoken sentences are kept in the clip cache (`cache`, `$AUDIOLEAFLET_CACHE` or
    `.audioleaflet-cache`) and reused by later builds. `jobs` is capped at the CPUs this
    process may use. Files that lead outside a source folder are refused unless
    `follow_symlinks` (see `intake.tree`). Sentences are spoken by `executor`: worker
    processes here, or a Dask cluster.
    """
    jobs = capped_jobs(jobs, report)
    leaflets = find_leaflets(sources, lang, follow_symlinks)
    check_output_apart(output, sources, leaflets)
    planned = plan(leaflets, lang, voicing, report)
    if warning := artwork_warning(settings.feed):
        report(warning)
    for item in planned:
        if item.text.lang_detected:
            report(f"{item.text.path}: detected language {item.text.lang} (use --lang to set it)")
        name = f"{item.text.lang}/{item.leaflet.slug}"
        for line in removal_report(name, item.leaflet.source, item.document):
            report(line)
    store = cache_dir(cache)
    writable_folder(store, "cache folder", "--cache-dir")
    prepare_output(output, (item.text.lang for item in planned))
    require_usable_ffmpeg()
    chosen = [(i.text.lang, i.voice, voicing.for_leaflet(i.leaflet.speech)) for i in planned]
    # Said once the output is ours and the workers are checked, so that a build refused for
    # either says so in one line.
    notes = ranking_notes(chosen)
    try:
        return _build_planned(
            planned, output, settings, jobs, report, store, progress, voicing.options, outputs,
            executor, notes,
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
    settings: BuildSettings,
    jobs: int | None,
    report: Report,
    cache: Path,
    progress: Progress | None,
    options: EngineOptions,
    outputs: Outputs,
    executor: ExecutorChoice,
    notes: list[str],
) -> BuildResult:
    with output_lock(output, report):
        # The output folder first: a language folder set aside by a killed switch comes back.
        remove_leftovers(output)
        for lang_dir in sorted({OutputLayout(output).language(i.text.lang) for i in planned}):
            remove_leftovers(lang_dir)
            remove_leftovers(lang_dir / EPISODES_DIR)
        requests = clip_requests(planned)
        unique = len(set(requests))
        with tempfile.TemporaryDirectory(prefix="audioleaflet-") as tmp:
            with timed("speak"), open_executor(executor, jobs or 1) as workers:
                said = speak_into(
                    requests, clip_folder(cache), workers, progress, options, report, notes
                )
            clips, spoken = said.clips, said.spoken
            report(
                f"{len(planned)} leaflet texts, {unique} sentences: "
                f"{spoken} spoken, {unique - spoken} from the cache ({cache})"
            )
            if executor.scheme != LOCAL and said.workers:
                by = ", ".join(f"{name}: {count}" for name, count in sorted(said.workers.items()))
                report(f"spoken on {executor.name}: {by}")
            built, feeds = _stage_and_switch(
                planned, clips, output, settings, Path(tmp), encoded_folder(cache), jobs, report,
                outputs,
            )  # fmt: skip
    if not settings.feed.base_url:
        report(
            "note: the feeds link to file:// addresses on this machine"
            + (" and the web pages have no QR codes" if outputs.web else "")
            + "; set base_url in podcast.toml or pass --base-url to publish them"
        )
    for feed in feeds:
        report(f"{feed}")
    if timings := timed_summary():
        report(timings)
    return BuildResult(
        built=tuple(built),
        feeds=tuple(feeds),
        clips_spoken=spoken,
        clips_reused=unique - spoken,
    )


def _encode(
    item: PlannedLeaflet,
    clips: dict[ClipRequest, Clip],
    settings: BuildSettings,
    work: Path,
    store: Path,
    jobs: int | None,
    outputs: Outputs,
    warn: Report,
) -> EncodedLeaflet:
    """The leaflet's untagged book, chapter files and M4B: from the cache, or made there."""
    lang = item.text.lang
    parts = [
        (title, [(clips[request_for(item, s)], s.pause_after_ms) for s in sentences])
        for title, sentences in item.chapters
    ]
    rate = parts[0][1][0][0].sample_rate  # every chapter has at least its spoken heading
    said = [sentences for _title, sentences in item.chapters]
    return encoded_leaflet(
        parts, rate, store, work / f"{lang}-{item.leaflet.slug}", said, jobs=jobs,
        language=get_language(lang).iso639_2, audiobook=outputs.m4b, target=settings.loudness,
        warn=warn,
    )  # fmt: skip


def _stage_and_switch(
    planned: list[PlannedLeaflet],
    clips: dict[ClipRequest, Clip],
    output: Path,
    settings: BuildSettings,
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
    layout = OutputLayout(output)
    stages: dict[str, LanguageStage] = {}
    built: list[BuiltLeaflet] = []
    try:
        for item in planned:
            lang, slug = item.text.lang, item.leaflet.slug
            if lang not in stages:
                stages[lang] = LanguageStage(layout.language(lang))
            stage = stages[lang]
            staged = LeafletLayout(stage.begin(slug), slug)
            try:
                encoded = _encode(item, clips, settings, work, store, jobs, outputs, report)
                with timed("publish"):
                    publish_leaflet(item, encoded, staged, settings.feed, outputs)
            except BaseException:
                stage.drop(slug)
                raise
            result = BuiltLeaflet.at(item, layout.leaflet(lang, slug), encoded.timings)
            built.append(result)
            report(result.summary())
    except BaseException as exc:
        if isinstance(exc, Exception):  # not Ctrl-C: that stops at once, switching nothing
            # What was finished before the failure is published all the same; the failure is
            # what the user must hear about.
            with contextlib.suppress(Exception):
                _switch(stages, output, settings, report, outputs.web)
        for stage in stages.values():
            stage.discard()
        raise
    return built, _switch(stages, output, settings, report, outputs.web)


def _switch(
    stages: dict[str, LanguageStage],
    output: Path,
    settings: BuildSettings,
    report: Report,
    web: bool = True,
) -> list[Path]:
    """Complete each staged language folder with the live one's other files and a new feed,
    and switch it in; return the feeds."""
    feeds: list[Path] = []
    try:
        for number, (lang, stage) in enumerate(stages.items()):
            stage.merge()
            faults.after("merged")
            write_feed(lang, settings.feed, output, lang_dir=stage.path, warn=report)
            if web:
                write_language_page(lang, settings.feed, stage.path)
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
            feeds.append(OutputLayout(output).feed(lang))
        write_front_page(output, settings.feed)  # after the languages it links to
        faults.after("front")
    finally:
        for stage in stages.values():
            stage.discard()
    return feeds
