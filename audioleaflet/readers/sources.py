"""Finding leaflets: a bare `.txt`/`.md` file, a folder with `leaflet.toml`, or a folder of those.

A leaflet folder holds `leaflet.toml` and one text file per language named after the language
(`da.md`, `en.txt`). A bare file's language comes from `--lang`, from a language-named file
(`en.txt`, `guide.en.md`), or from a detector.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from audioleaflet.config.manifest import DATE_RANGE, Manifest
from audioleaflet.errors import InputError
from audioleaflet.intake.tree import (
    MANIFEST,
    SourceTree,
    is_present,
    regular_file,
    shared_folder,
)
from audioleaflet.languages import get_language
from audioleaflet.model import Leaflet, LeafletText
from audioleaflet.readers.detect import detect_language
from audioleaflet.readers.textfile import TEXT_SUFFIXES, read_text
from audioleaflet.slug import slugify

_TEXT_EXPECTED = "a .txt or .md file"
LEXICON_FOLDER = "lexicon"
_LANG_STEM = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
# Text files that document a folder rather than being a leaflet.
_NOT_LEAFLETS = {"readme", "changelog", "license", "licence", "copying"}


def find_leaflets(
    sources: list[Path], lang: str | None = None, follow_symlinks: bool = False
) -> list[Leaflet]:
    """Every leaflet in `sources`, in a stable order. `lang` declares a bare file's language.

    Files found inside a source folder must stay inside it (see `intake.tree`) unless
    `follow_symlinks`; a file named in `sources` is read as given.
    """
    leaflets: list[Leaflet] = []
    for source in sources:
        tree = SourceTree.of(source, follow_symlinks)
        if not source.is_dir():
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
    return path.suffix.lower() in TEXT_SUFFIXES and not path.is_dir()


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
    date = _modified(path)
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
    manifest = Manifest(tree.check(folder / MANIFEST, "a TOML file"))
    default_lang = manifest.language()
    texts = _folder_texts(folder, default_lang, tree)
    cover = manifest.cover(folder, tree)
    langs = [text.lang for text in texts]
    titles = manifest.per_language("title", default_lang, langs)
    descriptions = manifest.per_language("description", default_lang, langs)
    date = manifest.date()
    version = manifest.version()
    return Leaflet(
        slug=slugify(folder.resolve().name),
        source=folder,
        texts=texts,
        titles=titles,
        descriptions=descriptions,
        organisation=manifest.text("organisation"),
        date=date,
        version=version,
        cover=cover,
        guid=manifest.text("guid"),
        overrides=manifest.overrides(),
        speech=manifest.speech(),
        notices=manifest.notices,
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
        tag = get_language(detect_language(read_text(path), str(path))).tag
        return (LeafletText(lang=tag, path=path, lang_detected=True),)
    if not by_lang:
        raise InputError(f"{folder}: no text files; add one per language, e.g. da.md or en.txt")
    return tuple(LeafletText(lang=lang, path=path) for lang, path in sorted(by_lang.items()))
