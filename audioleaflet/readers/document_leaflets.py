"""Finding leaflets in documents: their language, their metadata, one leaflet per part.

A document often says what a text file cannot: its language (HTML `lang`,
`Composition.language`, a PDF's `Lang`), its title, its marketing-authorisation holder and
the date it was revised. Those fill what neither the file name nor `leaflet.toml` gives (the
manifest always wins). An EMA product-information PDF holds one package leaflet per strength
or form: each becomes a leaflet of its own, with its own title and slug.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from audioleaflet.errors import InputError, LeafletError
from audioleaflet.intake.characters import normalise_spaces
from audioleaflet.languages import get_language
from audioleaflet.model import Leaflet, LeafletText
from audioleaflet.readers.detect import detect_language
from audioleaflet.readers.formats import ReadFile, is_document, read_file
from audioleaflet.readers.qrd import leaflet_title
from audioleaflet.readers.textfile import read_text
from audioleaflet.slug import slugify


def file_language(path: Path) -> tuple[str, bool, str | None]:
    """(language tag, whether it was guessed, a notice) for a file that is not named after
    its language: what the document declares, else what its text looks like."""
    if not is_document(path):
        return get_language(detect_language(read_text(path), str(path))).tag, True, None
    read = read_file(path)
    if read.lang:
        try:
            language = get_language(read.lang)
        except LeafletError:
            raise InputError(
                f"{path}: {read.lang_source} says the text is in {read.lang!r}, which is not "
                "supported; pass --lang, or name the file after its language"
            ) from None
        notice = f"{path}: spoken in {language.name}, the language {read.lang_source} declares"
        return language.tag, False, notice
    return get_language(detect_language(read.sample(), str(path))).tag, True, None


def document_date(texts: tuple[LeafletText, ...]) -> dt.date | None:
    """The revision date the first document among `texts` states, if any."""
    for text in texts:
        if is_document(text.path):
            date = read_file(text.path).parts[text.part].info.date
            if date:
                return date
    return None


def expand_documents(leaflet: Leaflet) -> list[Leaflet]:
    """`leaflet` with what its documents say filled in; one leaflet per package leaflet when
    its documents hold several."""
    documents = {t.lang: read_file(t.path) for t in leaflet.texts if is_document(t.path)}
    if not documents:
        return [leaflet]
    counts = {lang: len(read.parts) for lang, read in documents.items()}
    count = max(counts.values())
    if count > 1 and (len(documents) < len(leaflet.texts) or len(set(counts.values())) > 1):
        described = ", ".join(f"{t.path.name}: {counts.get(t.lang, 1)}" for t in leaflet.texts)
        raise InputError(
            f"{leaflet.source}: its texts hold different numbers of leaflets ({described}); "
            "give each language the same leaflets, or put each document in a folder of its own"
        )
    if count == 1:
        return [_with_metadata(leaflet, documents, 0)]
    slugs = _part_slugs(leaflet, documents, count)
    return [
        replace(
            _with_metadata(leaflet, documents, index),
            slug=slugs[index],
            texts=tuple(replace(t, part=index) for t in leaflet.texts),
            guid=f"{leaflet.guid}-{index + 1}" if leaflet.guid else None,
        )
        for index in range(count)
    ]


def _with_metadata(leaflet: Leaflet, documents: dict[str, ReadFile], index: int) -> Leaflet:
    infos = [read.parts[index].info for read in documents.values()]
    organisation = leaflet.organisation or next(
        (i.organisation for i in infos if i.organisation), None
    )
    version = leaflet.version or next((i.version for i in infos if i.version), None)
    date, dated = leaflet.date, leaflet.dated
    stated = next((i.date for i in infos if i.date), None)
    if not dated and stated:
        date, dated = stated, True
    return replace(leaflet, organisation=organisation, version=version, date=date, dated=dated)


def _part_slugs(leaflet: Leaflet, documents: dict[str, ReadFile], count: int) -> list[str]:
    """Each leaflet's slug: the folder's name with what sets its title apart from the others'
    (`biktarvy-30-mg-120-mg-15-mg`), or a bare document's leaflet title."""
    read = documents[sorted(documents)[0]]
    titles = [normalise_spaces(p.title or "") for p in read.parts]
    words = [re.split(r"[\s/]+", t) for t in titles]
    shared = set.intersection(*(set(w) for w in words)) if words else set()
    bare = not leaflet.source.is_dir()
    slugs: list[str] = []
    for index in range(count):
        own = " ".join(w for w in words[index] if w not in shared)
        base = titles[index] if bare else f"{leaflet.slug} {own}"
        slug = slugify(base) if own or bare else ""
        if not slug or slug in slugs or slug == leaflet.slug:
            slug = f"{leaflet.slug}-{index + 1}"
        slugs.append(slug)
    return slugs


def text_title(text: str) -> str | None:
    """A text file's own title, when its first lines are the QRD template's opening."""
    return leaflet_title(text.split("\n")[:12])
