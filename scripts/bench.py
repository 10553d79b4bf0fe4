"""Benchmark: build times and memory as ratios to a baseline measured in the same run.

The baseline is the least any build could do: espeak-ng speaking the whole text in one call,
plus one ffmpeg MP3 encode of the result. For generated Danish leaflets of about 1, 10, 60 and
120 minutes of speech and for the two shared leaflets it prints:

- cold build (empty clip cache, empty output): book MP3 + per-chapter MP3s + feed
- no-change rebuild, and rebuild after a one-sentence edit (with the number of clips spoken)
- peak RSS of the build process and of its largest worker

Every build runs as its own `python -m audioleaflet` process, as a user runs it.

    .venv/bin/python scripts/bench.py            # all sizes (about 10 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --quick    # 1 and 10 minutes and the shared leaflets
    .venv/bin/python scripts/bench.py --ratios 3 # the issue-15 targets: cold builds with every
        output of the Danish leaflet and of an hour, each beside its baseline, 3 times (median),
        where the time goes by stage, and whether two cold builds of the hour are identical
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# `shared/leaflets` beside the checkout, or beside any folder above it (a worktree's).
SHARED = next(
    (p / "shared" / "leaflets" for p in REPO.parents if (p / "shared" / "leaflets").is_dir()),
    REPO.parent / "shared" / "leaflets",
)
BASELINE_MP3_RATE = 44100
"""The baseline's MP3 rate: our MP3s' before they took the voice's own (`--baseline-rate`)."""
_BASELINE_RATE_ENV = "BENCH_BASELINE_MP3_RATE"  # The baseline runs in a process of its own.
WORDS_PER_MINUTE = 150  # espeak-ng at our rate, with pauses

# Runs one build and reports its peak memory; the build's own output goes to stderr.
_MEASURED_BUILD = """
import json, resource, sys
from audioleaflet.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="audioleaflet", standalone_mode=False)
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"rss_kb": own.ru_maxrss, "worker_rss_kb": workers.ru_maxrss, "cpu_s": cpu}))
"""

_SENTENCES = [
    "Tag {n} tablet{s} om morgenen med et glas vand.",
    "Kontakt lægen, hvis du får hovedpine, svimmelhed eller kvalme.",
    "Den sædvanlige dosis er {n},5 mg to gange dagligt i {n} uger.",
    "Opbevar medicinen utilgængeligt for børn og ved højst 25 °C.",
    "Du må ikke køre bil, før du ved, hvordan medicinen påvirker dig.",
    "Ring til afdelingen på 70 12 34 {n}{n}, hvis du har spørgsmål.",
    "Fortæl altid lægen om anden medicin, du tager, også naturlægemidler.",
    "Bivirkningerne går oftest over af sig selv efter {n} til {m} dage.",
]


def generated_leaflet(folder: Path, minutes: int, seed: int = 7) -> Path:
    """A Danish leaflet folder with about `minutes` of speech in chapters of about a minute."""
    rng = random.Random(seed)
    words_needed = minutes * WORDS_PER_MINUTE
    lines = [f"# Prøveindlægsseddel {minutes}", ""]
    words = 0
    chapter = 0
    while words < words_needed:
        chapter += 1
        lines += [f"## Afsnit {chapter}", ""]
        for _ in range(4):
            paragraph = []
            for _ in range(4):
                n = rng.randint(2, 9)
                sentence = rng.choice(_SENTENCES).format(n=n, m=n + 3, s="ter" if n > 1 else "")
                # A number in every sentence keeps sentences distinct, as in a real leaflet.
                sentence = sentence.replace(".", f" (punkt {chapter}.{len(paragraph)}).", 1)
                paragraph.append(sentence)
                words += len(sentence.split())
            lines += [" ".join(paragraph), ""]
    leaflet = folder / f"generated-{minutes}min"
    leaflet.mkdir(parents=True)
    (leaflet / "da.md").write_text("\n".join(lines), encoding="utf-8")
    (leaflet / "leaflet.toml").write_text(
        f'title = "Prøve {minutes}"\norganisation = "Bench"\ndate = 2026-01-01\n',
        encoding="utf-8",
    )
    return leaflet


@dataclass
class Run:
    seconds: float
    rss_mb: float
    worker_rss_mb: float
    spoken: int
    stages: str = ""
    cpu_s: float = 0.0
    """CPU seconds of the build and every process it started."""


def run_build(
    source: Path, output: Path, cache: Path, lang: str, extra: tuple[str, ...] = ()
) -> Run:
    command = [sys.executable, "-c", _MEASURED_BUILD, "build", str(source), "--lang", lang, *extra]
    command += ["-o", str(output), "--cache-dir", str(cache), "--base-url", "https://b.example/"]
    start = time.perf_counter()
    env = dict(os.environ, AUDIOLEAFLET_STAGES="1")
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed: {done.stderr.strip()[-500:]}")
    memory = json.loads(done.stdout.strip().splitlines()[-1])
    spoken = re.search(r"(\d+) spoken", done.stderr)
    stages = re.search(r"^stages: (.*)$", done.stderr, re.MULTILINE)
    return Run(
        seconds,
        memory["rss_kb"] / 1024,
        memory["worker_rss_kb"] / 1024,
        int(spoken[1]) if spoken else -1,
        stages[1] if stages else "",
        memory.get("cpu_s", 0.0),
    )


def baseline(source_text: str, lang: str, work: Path) -> tuple[float, float]:
    """Seconds for espeak-ng in one call and one MP3 encode, and the audio's length in minutes."""
    return _baseline(source_text, lang, work)[:2]


def _cpu() -> float:
    import resource

    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _baseline_rate() -> int:
    return int(os.environ.get(_BASELINE_RATE_ENV, BASELINE_MP3_RATE))


def _baseline(source_text: str, lang: str, work: Path) -> tuple[float, float, float]:
    """`baseline`, and the CPU seconds it took (its own and the encoder's)."""
    from audioleaflet.audio.encode import MP3_BITRATE
    from audioleaflet.audio.pcm import write_wav
    from audioleaflet.engines import SpeechSettings
    from audioleaflet.engines.espeak import EspeakEngine, _library, _speak
    from audioleaflet.programs.ffmpeg import run_ffmpeg

    engine = EspeakEngine()
    voice = engine.default_voice(lang)
    library = _library()
    library.lib.espeak_SetVoiceByName(voice.name.encode())
    start, cpu = time.perf_counter(), _cpu()
    # One call, in this process: the cheapest possible.
    pcm = _speak(library, source_text, SpeechSettings())
    wav = work / "baseline.wav"
    write_wav(wav, pcm, library.sample_rate)
    # The encode as every MP3 was made before the one-encode build (with LAME's bit reservoir,
    # at 44.1 kHz), so the baseline does not move with our encoder settings. (At espeak-ng's
    # own 22.05 kHz, as our MP3s are now encoded, the baseline itself would be cheaper: the
    # README gives both ratios.)
    mp3 = work / "baseline.mp3"
    run_ffmpeg(["-y", "-i", wav, "-map_metadata", "-1", "-fflags", "+bitexact", "-ac", "1",
                "-ar", str(_baseline_rate()), "-c:a", "libmp3lame", "-b:a", MP3_BITRATE,
                "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3", mp3])  # fmt: skip
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    with wave.open(str(wav)) as w:
        minutes = w.getnframes() / w.getframerate() / 60
    return seconds, minutes, cpu


def edit_one_sentence(source: Path) -> None:
    text_file = source if source.is_file() else next(source.glob("*.md"))
    text = text_file.read_text(encoding="utf-8")
    first = re.search(r"[^.!?\n]{20,}?[.!?]", text.split("\n\n", 2)[-1])
    assert first is not None
    text_file.write_text(
        text.replace(first[0], first[0][:-1] + " igen" + first[0][-1], 1), encoding="utf-8"
    )


def bench(name: str, source: Path, lang: str, text: str, work: Path) -> None:
    # The baseline holds the whole audio in memory: run it in a process of its own, or every
    # build started from this process would report this process's size as its own peak RSS
    # (Linux carries ru_maxrss across fork and exec).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        base_s, minutes = pool.submit(baseline, text, lang, work).result()
    # The target configuration: book + chapter MP3s + feed, loudness-normalised.
    mp3_only = run_build(source, work / "out-mp3", work / "cache-mp3", lang, ("--outputs", "mp3"))
    cache, output = work / "cache", work / "out"
    cold = run_build(source, output, cache, lang)
    again = run_build(source, output, cache, lang)
    edit_one_sentence(source)
    edited = run_build(source, output, cache, lang)
    print(
        f"{name:<26} {minutes:6.1f} {base_s:7.1f}s "
        f"{mp3_only.seconds / base_s:8.2f}x "
        f"{cold.seconds:7.1f}s {cold.seconds / base_s:5.2f}x "
        f"{again.seconds / base_s:5.2f}x ({again.seconds / cold.seconds:4.2f} of cold) "
        f"{edited.seconds / base_s:5.2f}x [{edited.spoken} spoken] "
        f"{cold.rss_mb:6.0f} MB {cold.worker_rss_mb:5.0f} MB",
        flush=True,
    )


def _baseline_seconds(text: str, lang: str, work: Path) -> tuple[float, float, float]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_baseline, text, lang, work).result()


def _published(out: Path) -> dict[str, bytes]:
    """Every audio and companion file; the feed and its records name dates and folders."""
    skip = {"feed.xml", ".feed-settings.json"}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in skip and ".episodes" not in p.parts}  # fmt: skip


def ratios(name: str, source: Path, lang: str, text: str, work: Path, repeat: int) -> None:
    """Cold builds with every output, each right after its own baseline; the median ratio."""
    runs: list[tuple[float, float, Run]] = []
    minutes = 0.0
    for attempt in range(repeat):
        base_s, minutes, base_cpu = _baseline_seconds(text, lang, work)
        cold = run_build(source, work / f"out-{attempt}", work / f"cache-{attempt}", lang)
        runs.append((base_s, base_cpu, cold))
        print(f"  {name}: baseline {base_s:.2f} s ({base_cpu:.2f} s CPU), cold all outputs "
              f"{cold.seconds:.2f} s ({cold.cpu_s:.2f} s CPU) = {cold.seconds / base_s:.2f}x "
              f"wall, {cold.cpu_s / base_cpu:.2f}x CPU; peak RSS {cold.rss_mb:.0f} MB (worker "
              f"{cold.worker_rss_mb:.0f} MB); {cold.stages}", flush=True)  # fmt: skip
    median = statistics.median(cold.seconds / base for base, _cpu, cold in runs)
    cpu = statistics.median(cold.cpu_s / base_cpu for _base, base_cpu, cold in runs)
    same = all(_published(work / f"out-{i}") == _published(work / "out-0") for i in range(repeat))
    print(f"{name} ({minutes:.1f} min): median {median:.2f}x wall, {cpu:.2f}x CPU over {repeat} "
          f"runs; cold builds byte-identical: {same}", flush=True)  # fmt: skip


def main_ratios(repeat: int) -> None:
    print(f"CPUs: {os.cpu_count()}, load average before: {os.getloadavg()}; baseline MP3 at "
          f"{_baseline_rate()} Hz")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="audioleaflet-bench-") as tmp:
        root = Path(tmp)
        danish = SHARED / "da-immunonkologi-patientvejledning.txt"
        work = root / "da"
        work.mkdir()
        ratios("Danish shared leaflet", danish, "da", danish.read_text(encoding="utf-8"), work,
               repeat)  # fmt: skip
        work = root / "gen-60"
        leaflet = generated_leaflet(work, 60)
        text = (leaflet / "da.md").read_text(encoding="utf-8").replace("#", "")
        ratios("generated 60 min", leaflet, "da", text, work, repeat)
    print(f"load average after: {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 and 10 minutes and the shared leaflets"
    )
    parser.add_argument("--ratios", type=int, metavar="N", help="the issue-15 targets, N runs")
    parser.add_argument(
        "--baseline-rate",
        type=int,
        default=BASELINE_MP3_RATE,
        metavar="HZ",
        help="the baseline MP3's sample rate (default %(default)s: as the issue measured it)",
    )
    parser.add_argument(
        "--executor",
        metavar="dask://HOST:PORT",
        help="speaking throughput on this Dask cluster against the local worker pool",
    )
    args = parser.parse_args()
    os.environ[_BASELINE_RATE_ENV] = str(args.baseline_rate)
    if args.executor:
        main_executor(args.executor)
        return
    if args.ratios:
        main_ratios(args.ratios)
        return
    sizes = [1, 10] if args.quick else [1, 10, 60, 120]
    print(
        "Ratios are to the baseline: espeak-ng speaking the whole text in one call "
        "+ one MP3 encode."
    )
    print(
        "Builds are loudness-normalised (-16 LUFS). 'mp3+feed': cold build of the book and "
        "chapter MP3s and the feed only (--outputs mp3); 'cold all' adds M4B, transcripts, "
        "chapters JSON and DAISY; the rebuilds are of 'all'."
    )
    print(
        f"{'leaflet':<26} {'min':>6} {'baseline':>8} {'mp3+feed':>9} {'cold all':>8} {'ratio':>6} "
        f"{'no-change rebuild':>26} {'one-sentence edit':>22} {'peak RSS':>8} {'worker':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="audioleaflet-bench-") as tmp:
        root = Path(tmp)
        for path, lang in [
            (SHARED / "da-immunonkologi-patientvejledning.txt", "da"),
            (SHARED / "en-immuno-oncology-how-it-works.txt", "en"),
        ]:
            if path.is_file():
                work = root / path.stem
                work.mkdir()
                copy = work / path.name
                copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
                bench(path.stem[:26], copy, lang, copy.read_text(encoding="utf-8"), work)
        for minutes in sizes:
            work = root / f"gen-{minutes}"
            leaflet = generated_leaflet(work, minutes)
            text = (leaflet / "da.md").read_text(encoding="utf-8").replace("#", "")
            bench(f"generated {minutes} min", leaflet, "da", text, work)
        piper_jobs(root / "piper")


def main_executor(spec: str) -> None:
    """Sentences per second spoken by the local pool and by a Dask cluster, same sentences, same
    process, each into a cold clip store; and whether the clips are byte-identical."""
    from audioleaflet.audio.clips import speak_into
    from audioleaflet.cpus import capped_jobs
    from audioleaflet.executors import LOCAL, ExecutorChoice, open_executor, parse_executor
    from audioleaflet.planning.clips import clip_requests
    from audioleaflet.planning.plan import plan
    from audioleaflet.readers.sources import find_leaflets

    cluster = parse_executor(spec)
    with tempfile.TemporaryDirectory(prefix="audioleaflet-bench-") as tmp:
        root = Path(tmp)
        leaflet = generated_leaflet(root / "gen-10", 10)
        sources = [(leaflet, "da")]
        shared = [("da-immunonkologi-patientvejledning.txt", "da"),
                  ("en-immuno-oncology-how-it-works.txt", "en")]  # fmt: skip
        sources += [(SHARED / name, lang) for name, lang in shared if (SHARED / name).is_file()]
        requests = []
        for path, lang in sources:
            requests += clip_requests(plan(find_leaflets([path], lang), lang))
        unique = len(set(requests))
        seconds: dict[str, float] = {}
        workers: dict[str, dict[str, int]] = {}
        for choice in (ExecutorChoice(LOCAL), cluster):
            store = root / f"clips-{choice.scheme}"
            start = time.perf_counter()
            with open_executor(choice, capped_jobs(None)) as executor:
                spoken = speak_into(requests, store, executor)
            seconds[choice.name] = time.perf_counter() - start
            workers[choice.name] = spoken.workers
        same = all(
            (root / "clips-local" / p.name).read_bytes() == p.read_bytes()
            for p in (root / "clips-dask").glob("*.wav")
        )
    print(f"{unique} sentences (generated 10 min + shared leaflets), cold clip stores:")
    for name, took in seconds.items():
        print(f"  {name:<28} {took:6.1f} s  {unique / took:6.1f} sentences/s  {workers[name]}")
    local_s, cluster_s = seconds[LOCAL], seconds[cluster.name]
    print(f"  cluster / local: {local_s / cluster_s:.2f}x the throughput; clips identical: {same}")


def piper_jobs(work: Path) -> None:
    """Piper synthesis of the same sentences with 1 and with 2 worker processes."""
    from audioleaflet.audio.clips import ClipRequest, synthesize_clips
    from audioleaflet.engines import get_engine
    from audioleaflet.errors import LeafletError

    try:
        voice = get_engine("piper").default_voice("en")
    except LeafletError as exc:
        print(f"Piper --jobs: not measured ({exc})")
        return
    english = (SHARED / "en-immuno-oncology-how-it-works.txt").read_text(encoding="utf-8")
    sentences = [s.strip() + "." for s in english.split(".") if len(s.split()) > 4][:60]
    requests = [ClipRequest(text, voice) for text in sentences]
    seconds = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        synthesize_clips(requests, work / f"clips-{jobs}", jobs=jobs)
        seconds[jobs] = time.perf_counter() - start
    same = all(
        (work / "clips-1" / p.name).read_bytes() == p.read_bytes()
        for p in (work / "clips-2").iterdir()
    )
    print(
        f"Piper ({voice.name}), {len(requests)} sentences: --jobs 1 {seconds[1]:.1f} s, "
        f"--jobs 2 {seconds[2]:.1f} s: {seconds[1] / seconds[2]:.2f}x faster; "
        f"clips byte-identical: {same}"
    )


if __name__ == "__main__":
    main()
