"""The spoken introduction every leaflet starts with: its title, who it is from, and when.

A listener cannot glance at the top of the page to see which leaflet this is, whose it is and
whether it is current; a screen reader user hears the document title first, and so should a
listener. The phrases are per language (`[introduction]` in data/lang/*.toml).
"""

from __future__ import annotations

from audioleaflet.config.speech import Pauses
from audioleaflet.model import Leaflet, Sentence
from audioleaflet.text.lexicon import Lexicon
from audioleaflet.text.spoken import to_spoken
from audioleaflet.text.vocabulary import vocabulary


def introduction(
    title: str, leaflet: Leaflet, lang: str, pauses: Pauses, lexicon: Lexicon
) -> list[Sentence]:
    """Title, organisation, version and date as sentences; the last one ends the chapter."""
    phrases = vocabulary(lang).section("introduction")
    said = [Sentence(to_spoken(lexicon.apply(title), lang), pauses.heading_ms, title)]

    def add(template: str, spoken_value: str, printed_value: str) -> None:
        source = str(phrases[template]).format(**{template: printed_value})
        text = str(phrases[template]).format(**{template: spoken_value})
        said.append(Sentence(to_spoken(lexicon.apply(text), lang), pauses.sentence_ms, source))

    if leaflet.organisation:
        add("organisation", leaflet.organisation, leaflet.organisation)
    if leaflet.version:
        # "1.0" would be read as a decimal ("one"); a version is its numbers and dots.
        spoken_version = leaflet.version.replace(".", f" {phrases['dot']} ")
        add("version", spoken_version, leaflet.version)
    if leaflet.dated:
        iso = leaflet.date.isoformat()
        add("date", iso, iso)
    last = said[-1]
    said[-1] = Sentence(last.text, pauses.chapter_ms, last.source)
    return said
