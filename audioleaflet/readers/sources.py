"""Finding leaflets: a bare `.txt`/`.md` file, a folder with `leaflet.toml`, or a folder of those.

A leaflet folder holds `leaflet.toml` and one text file per language named after the language
(`da.md`, `en.txt`). A bare file's language comes from `--lang`, from a language-named file
(`en.txt`, `guide.en.md`), or from a detector.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from audioleaflet.errors import InputError
from audioleaflet.images import ImageError, read_cover
from audioleaflet.languages import get_language
from audioleaflet.model import Leaflet, LeafletText, TextOverrides
from audioleaflet.readers.document_leaflets import document_date, expand_documents, file_language
from audioleaflet.readers.formats import is_document, is_url
from audioleaflet.readers.textfile import TEXT_SUFFIXES
from audioleaflet.readers.toml_file import TomlFile
from audioleaflet.readers.tree import (
    MANIFEST,
    SourceTree,
    is_present,
    regular_file,
    shared_folder,
)
from audioleaflet.slug import slugify
from audioleaflet.text.lines import normalise_spaces
from audioleaflet.voices.config import SPEECH_KEYS, read_speech_choices
from audioleaflet.voices.folders import beside_sources

_TEXT_EXPECTED = "a leaflet file (.txt, .md, .pdf, .html, .docx or an ePI .json/.xml)"
LEXICON_FOLDER = "lexicon"
# What an RSS pubDate can carry: RFC 5322 dates have four-digit years from 1900.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))
MANIFEST_KEYS = {
    "title",
    "organisation",
    "date",
    "version",
    "cover",
    "language",
    "description",
    "guid",
    "headings",
    "skip",
    "notes",
    "lexicon",
    *SPEECH_KEYS,
}
NOTES_PLACES = ("chapter-end", "in-place")
_LANG_STEM = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
# Text files that document a folder rather than being a leaflet.
_NOT_LEAFLETS = {"readme", "changelog", "license", "licence", "copying"}


def find_leaflets(
    sources: list[Path], lang: str | None = None, follow_symlinks: bool = False
) -> list[Leaflet]:
    """Every leaflet in `sources`, in a stable order. `lang` declares a bare file's language.

    Files found inside a source folder must stay inside it (see `readers.tree`) unless
    `follow_symlinks`; a file named in `sources` is read as given.
    """
    leaflets: list[Leaflet] = []
    for source in sources:
        tree = SourceTree.of(source, follow_symlinks)
        if is_url(source):
            leaflets.append(read_bare_file(source, lang))
        elif not source.is_dir():
            if not is_present(source):
                raise InputError(f"{source}: no such file or folder; check the path")
            leaflets.append(read_bare_file(regular_file(source, _TEXT_EXPECTED), lang))
        elif is_present(source / MANIFEST):
            leaflets.append(read_leaflet_folder(source, tree))
        else:
            found = _scan_folder(source, tree)
            if not found:
                raise InputError(
                    f"{source}: no leaflets found; add a folder with a {MANIFEST} "
                    "and a text file per language (da.md, en.txt), or a .txt/.md file"
                )
            leaflets.extend(found)
    leaflets = [part for leaflet in leaflets for part in expand_documents(leaflet)]
    for leaflet in leaflets:
        _check_lexicons(leaflet, follow_symlinks)
    slugs: dict[tuple[str, str], Path] = {}
    for leaflet in leaflets:
        for text in leaflet.texts:
            other = slugs.setdefault((leaflet.slug, text.lang), leaflet.source)
            if other != leaflet.source:
                raise InputError(
                    f"{leaflet.source} and {other} would both be written as "
                    f"{text.lang}/{leaflet.slug}.mp3; rename one of them"
                )
    return leaflets


def check_output_apart(output: Path, sources: list[Path], leaflets: list[Leaflet]) -> None:
    """The output folder is not a source folder: audio, transcripts, feeds and the podcast
    cover would be mixed into the leaflets (a cover.png overwritten). A folder inside one is
    fine: it holds no leaflet.toml, so it is never read as a leaflet."""
    folders = {SourceTree.of(source).given for source in sources if source.is_dir()}
    folders |= {leaflet.source for leaflet in leaflets if leaflet.source.is_dir()}
    real = output.resolve()
    for folder in sorted(folders):
        if folder.resolve() == real:
            raise InputError(
                f"output folder {output} is the source folder {folder}: the audio and feeds "
                "would be mixed into the leaflets; choose another with -o, e.g. -o output"
            )


def check_voice_folders(sources: list[Path], follow_symlinks: bool = False) -> None:
    """Voice files in a `voices/` folder beside the leaflets stay inside the folder around it
    (a voice named by `--voices-dir` is the user's own choice and is not checked)."""
    if follow_symlinks:
        return
    for folder in beside_sources(sources):
        if folder.is_dir():
            tree = SourceTree(folder.parent)
            tree.inside(folder)
            for path in sorted(folder.rglob("*.onnx*")):
                tree.inside(path)


def _check_lexicons(leaflet: Leaflet, follow: bool) -> None:
    """The shared `lexicon/<lang>.toml` each text will use stays inside the folder holding it."""
    folder = shared_folder(leaflet.source)
    for text in leaflet.texts:
        path = folder / LEXICON_FOLDER / f"{text.lang}.toml"
        if is_present(path):
            SourceTree(folder, follow).check(path, "a TOML file")


def _scan_folder(folder: Path, tree: SourceTree) -> list[Leaflet]:
    found: list[Leaflet] = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir() and is_present(child / MANIFEST):
            found.append(read_leaflet_folder(tree.inside(child), tree))
        elif _is_text_file(child) and child.stem.lower() not in _NOT_LEAFLETS:
            # Files found by scanning say (or show) their own language; --lang then only
            # chooses which languages are built.
            found.append(read_bare_file(tree.check(child, _TEXT_EXPECTED), None))
    return found


def _is_text_file(path: Path) -> bool:
    """Named like a text, and not a folder: a FIFO or a dangling link named `en.txt` is refused
    when it is read, rather than silently left out."""
    return (path.suffix.lower() in TEXT_SUFFIXES or is_document(path)) and not path.is_dir()


def _file_lang(path: Path) -> str | None:
    """`da.md` -> `da`; `guide.en.txt` -> `en`; anything else -> None."""
    parts = path.name.split(".")
    candidate = parts[-2].lower() if len(parts) >= 2 else ""
    return candidate if _LANG_STEM.match(candidate) else None


def read_bare_file(path: Path, lang: str | None) -> Leaflet:
    """A leaflet made of one text file, with no manifest."""
    declared = lang or _file_lang(path)
    notice = None
    if declared:
        tag, detected = get_language(declared).tag, False
    else:
        tag, detected, notice = file_language(path)
    # `da-immunonkologi.txt` -> `immunonkologi`: the language is not part of the leaflet's name.
    name_words = [w for w in re.split(r"[-_. ]+", path.stem) if w and w.lower() != tag]
    date = dt.date.today() if is_url(path) else _modified(path)
    return Leaflet(
        slug=slugify("-".join(name_words) or path.stem),
        source=path,
        texts=(LeafletText(lang=tag, path=path, lang_detected=detected),),
        titles={},
        descriptions={},
        organisation=None,
        date=date,
        version=None,
        cover=None,
        dated=False,
        notices=(notice,) if notice else (),
    )


def _modified(path: Path) -> dt.date:
    """A bare file's date: when it was last modified, if a feed can carry that date."""
    try:
        date = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()
    except (OverflowError, ValueError, OSError):
        date = None
    if date is None or not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
        raise InputError(
            f"{path}: its modification date is {date or 'out of range'}, which a feed cannot "
            f"carry; touch the file, or give it a folder with a {MANIFEST} and a date"
        )
    return date


def read_leaflet_folder(folder: Path, tree: SourceTree | None = None) -> Leaflet:
    """A leaflet folder: its manifest and one text per language, all inside `tree` (by default
    the folder around it)."""
    tree = tree or SourceTree.of(folder)
    manifest = TomlFile(tree.check(folder / MANIFEST, "a TOML file"))
    manifest.check_keys(MANIFEST_KEYS)
    default_lang = manifest.string("language")
    if default_lang is not None:
        try:
            default_lang = get_language(default_lang).tag
        except InputError as exc:
            raise manifest.fail("language", str(exc)) from None
        except Exception as exc:
            raise manifest.fail("language", f"is not usable: {exc}") from None
    texts = _folder_texts(folder, default_lang, tree)
    cover = _cover(manifest, folder, tree)
    titles = _resolve_per_language(manifest, "title", default_lang, texts)
    descriptions = _resolve_per_language(manifest, "description", default_lang, texts)
    date = manifest.date("date") or document_date(texts)
    if date is None:
        # Required: it is the feed's pubDate, and a file's mtime changes with every copy.
        raise InputError(f"{manifest.path}: date is missing; add a line like date = 2026-01-31")
    if not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
        low, high = (d.isoformat() for d in DATE_RANGE)
        raise manifest.fail(
            "date", f"{date.isoformat()} is not a date a feed can carry; use {low} to {high}"
        )
    version = manifest.data.get("version")
    if version is not None and not isinstance(version, str | int | float):
        raise manifest.fail("version", 'must be a text like "2.1"')
    return Leaflet(
        slug=slugify(folder.resolve().name),
        source=folder,
        texts=texts,
        titles=titles,
        descriptions=descriptions,
        organisation=manifest.string("organisation"),
        date=date,
        version=None if version is None else str(version),
        cover=cover,
        guid=manifest.string("guid"),
        overrides=_overrides(manifest),
        speech=read_speech_choices(manifest),
        notices=(manifest.notice,) if manifest.notice else (),
    )


def _overrides(manifest: TomlFile) -> TextOverrides:
    lines: dict[str, tuple[str, ...]] = {}
    for key in ("headings", "skip"):
        value = manifest.data.get(key, [])
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise manifest.fail(key, 'must be a list of lines, like ["Mere information"]')
        lines[key] = tuple(normalise_spaces(v) for v in value)
    notes = manifest.string("notes", "chapter-end") or "chapter-end"
    if notes not in NOTES_PLACES:
        raise manifest.fail("notes", f"must be one of {', '.join(NOTES_PLACES)}")
    lexicon = manifest.data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(isinstance(v, dict) for v in lexicon.values()):
        raise manifest.fail(
            "lexicon", 'must be tables like [lexicon.da.words] with "PD-1" = "P D en"'
        )
    return TextOverrides(
        headings=lines["headings"], skip=lines["skip"], notes=notes, lexicon=lexicon
    )


def _folder_texts(
    folder: Path, default_lang: str | None, tree: SourceTree
) -> tuple[LeafletText, ...]:
    files = [p for p in sorted(folder.iterdir()) if _is_text_file(p)]
    files = [tree.check(p, _TEXT_EXPECTED) for p in files if p.stem.lower() not in _NOT_LEAFLETS]
    named = [(p, _file_lang(p)) for p in files]
    by_lang: dict[str, Path] = {}
    unnamed = [p for p, tag in named if tag is None]
    for path, tag in named:
        if tag is None:
            continue
        lang = get_language(tag).tag
        if lang in by_lang:
            raise InputError(
                f"{folder}: two texts for language {lang!r}: "
                f"{by_lang[lang].name} and {path.name}; keep one"
            )
        by_lang[lang] = path
    if unnamed:
        if by_lang or len(unnamed) > 1:
            names = ", ".join(p.name for p in unnamed)
            raise InputError(
                f"{folder}: cannot tell the language of {names}; "
                "name each text after its language, e.g. da.md, en.txt"
            )
        path = unnamed[0]
        if default_lang:
            return (LeafletText(lang=default_lang, path=path),)
        tag, detected, _notice = file_language(path)
        return (LeafletText(lang=tag, path=path, lang_detected=detected),)
    if not by_lang:
        raise InputError(f"{folder}: no text files; add one per language, e.g. da.md or en.txt")
    return tuple(LeafletText(lang=lang, path=path) for lang, path in sorted(by_lang.items()))


def _resolve_per_language(
    manifest: TomlFile, key: str, default_lang: str | None, texts: tuple[LeafletText, ...]
) -> dict[str, str]:
    values = manifest.per_language(key)
    if "*" in values:
        # One plain text applies to the default language, or to the only language there is.
        lang = default_lang or (texts[0].lang if len(texts) == 1 else None)
        if lang is None:
            raise manifest.fail(
                key,
                "is one text but the leaflet has several languages; "
                'set language = "…" or give one per language',
            )
        return {lang: values["*"]}
    resolved: dict[str, str] = {}
    for tag, value in values.items():
        try:
            resolved[get_language(tag).tag] = value
        except Exception:
            raise manifest.fail(key, f"names language {tag!r}, which is not supported") from None
    return resolved


def _cover(manifest: TomlFile, folder: Path, tree: SourceTree) -> Path | None:
    name = manifest.string("cover")
    if name is None:
        return None
    path = (folder / name).resolve()
    if not is_present(folder / name):
        raise manifest.fail(
            "cover",
            f"names {name!r}, which does not exist ({path}); fix the path or remove the line",
        )
    problem = tree.problem(folder / name, "a PNG or JPEG image")
    if problem:
        raise manifest.fail("cover", f"names {name!r}, which {problem}")
    try:
        read_cover(path)
    except ImageError as problem_found:
        raise manifest.fail("cover", f"names {name!r}, which {problem_found}") from None
    return path
