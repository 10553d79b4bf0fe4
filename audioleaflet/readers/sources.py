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
from audioleaflet.readers.detect import detect_language
from audioleaflet.readers.textfile import TEXT_SUFFIXES, read_text
from audioleaflet.readers.toml_file import TomlFile
from audioleaflet.slug import slugify
from audioleaflet.text.lines import normalise_spaces
from audioleaflet.voices.config import SPEECH_KEYS, read_speech_choices

MANIFEST = "leaflet.toml"
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


def find_leaflets(sources: list[Path], lang: str | None = None) -> list[Leaflet]:
    """Every leaflet in `sources`, in a stable order. `lang` declares a bare file's language."""
    leaflets: list[Leaflet] = []
    for source in sources:
        if not source.exists():
            raise InputError(f"{source}: no such file or folder; check the path")
        if source.is_file():
            leaflets.append(read_bare_file(source, lang))
        elif (source / MANIFEST).is_file():
            leaflets.append(read_leaflet_folder(source))
        else:
            found = _scan_folder(source)
            if not found:
                raise InputError(
                    f"{source}: no leaflets found; add a folder with a {MANIFEST} "
                    "and a text file per language (da.md, en.txt), or a .txt/.md file"
                )
            leaflets.extend(found)
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


def _scan_folder(folder: Path) -> list[Leaflet]:
    found: list[Leaflet] = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir() and (child / MANIFEST).is_file():
            found.append(read_leaflet_folder(child))
        elif _is_text_file(child) and child.stem.lower() not in _NOT_LEAFLETS:
            # Files found by scanning say (or show) their own language; --lang then only
            # chooses which languages are built.
            found.append(read_bare_file(child, None))
    return found


def _is_text_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in TEXT_SUFFIXES


def _file_lang(path: Path) -> str | None:
    """`da.md` -> `da`; `guide.en.txt` -> `en`; anything else -> None."""
    parts = path.name.split(".")
    candidate = parts[-2].lower() if len(parts) >= 2 else ""
    return candidate if _LANG_STEM.match(candidate) else None


def read_bare_file(path: Path, lang: str | None) -> Leaflet:
    """A leaflet made of one text file, with no manifest."""
    declared = lang or _file_lang(path)
    if declared:
        tag, detected = get_language(declared).tag, False
    else:
        tag, detected = get_language(detect_language(read_text(path), str(path))).tag, True
    # `da-immunonkologi.txt` -> `immunonkologi`: the language is not part of the leaflet's name.
    name_words = [w for w in re.split(r"[-_. ]+", path.stem) if w and w.lower() != tag]
    return Leaflet(
        slug=slugify("-".join(name_words) or path.stem),
        source=path,
        texts=(LeafletText(lang=tag, path=path, lang_detected=detected),),
        titles={},
        descriptions={},
        organisation=None,
        date=dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date(),
        version=None,
        cover=None,
        dated=False,
    )


def read_leaflet_folder(folder: Path) -> Leaflet:
    """A leaflet folder: its manifest and one text per language."""
    manifest = TomlFile(folder / MANIFEST)
    manifest.check_keys(MANIFEST_KEYS)
    default_lang = manifest.string("language")
    if default_lang is not None:
        try:
            default_lang = get_language(default_lang).tag
        except InputError as exc:
            raise manifest.fail("language", str(exc)) from None
        except Exception as exc:
            raise manifest.fail("language", f"is not usable: {exc}") from None
    texts = _folder_texts(folder, default_lang)
    cover = _cover(manifest, folder)
    titles = _resolve_per_language(manifest, "title", default_lang, texts)
    descriptions = _resolve_per_language(manifest, "description", default_lang, texts)
    date = manifest.date("date")
    if date is None:
        # Required: it is the feed's pubDate, and a file's mtime changes with every copy.
        raise InputError(f"{manifest.path}: date is missing; add a line like date = 2026-01-31")
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


def _folder_texts(folder: Path, default_lang: str | None) -> tuple[LeafletText, ...]:
    files = [p for p in sorted(folder.iterdir()) if _is_text_file(p)]
    files = [p for p in files if p.stem.lower() not in _NOT_LEAFLETS]
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
        tag = get_language(detect_language(read_text(path), str(path))).tag
        return (LeafletText(lang=tag, path=path, lang_detected=True),)
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


def _cover(manifest: TomlFile, folder: Path) -> Path | None:
    name = manifest.string("cover")
    if name is None:
        return None
    path = (folder / name).resolve()
    if not path.is_file():
        raise manifest.fail(
            "cover",
            f"names {name!r}, which does not exist ({path}); fix the path or remove the line",
        )
    try:
        read_cover(path)
    except ImageError as problem:
        raise manifest.fail("cover", f"names {name!r}, which {problem}") from None
    return path
