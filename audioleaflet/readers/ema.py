"""EMA product information: only the package leaflets, each one a leaflet of its own.

An EMA "product information" PDF holds Annex I (the summary of product characteristics, for
prescribers), Annex II, the labelling and then, under "B. PACKAGE LEAFLET" ("B.
INDLÆGSSEDDEL", "B. PROSPECTO" …), one package leaflet per strength or form, each opening with
"Package leaflet: Information for the user" and the medicine's name. Everything before the
last such heading is not for patients and is never spoken (it is listed once, as a removal);
each leaflet after it is split off at its opening line. A national leaflet, which is only a
package leaflet, has no such heading and is one leaflet (or several, if it opens several
times). The phrases are per language in `data/lang/*.toml` (`[qrd]`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from audioleaflet.model import Reason, Removal
from audioleaflet.readers.pdf_layout import PdfLine
from audioleaflet.readers.qrd import is_leaflet_start, is_package_leaflet_heading


@dataclass(frozen=True, slots=True)
class LeafletLines:
    """The lines of one package leaflet, in reading order."""

    lines: list[PdfLine]

    @property
    def first_page(self) -> int:
        return self.lines[0].page

    @property
    def last_page(self) -> int:
        return self.lines[-1].page


@dataclass(frozen=True, slots=True)
class Split:
    leaflets: list[LeafletLines]
    """Never empty."""
    skipped: tuple[Removal, ...]
    """The part before the package leaflets, summed up in one removal."""


def split_leaflets(lines: list[PdfLine]) -> Split:
    """The document's leaflets; the SmPC, annexes and labelling before them left out."""
    headings = [i for i, line in enumerate(lines) if is_package_leaflet_heading(line.text)]
    begin = headings[-1] + 1 if headings else 0
    skipped: tuple[Removal, ...] = ()
    if headings:
        before = lines[:begin]
        words = sum(len(line.text.split()) for line in before)
        summary = (
            f"pages {before[0].page}-{before[-1].page}, {words} words, from "
            f"{before[0].text!r} to {before[-1].text!r}: the summary of product "
            "characteristics, annexes and labelling, which are not for patients"
        )
        skipped = (Removal(Reason.NOT_LEAFLET, summary),)
    starts = [i for i in range(begin, len(lines)) if is_leaflet_start(lines[i].text)]
    # Lines before the first opening line (a logo's text) stay with the first leaflet.
    cuts = [begin, *starts[1:], len(lines)]
    leaflets = [LeafletLines(lines[a:b]) for a, b in itertools.pairwise(cuts) if b > a]
    if not leaflets:
        leaflets = [LeafletLines(lines)]
    return Split(leaflets, skipped)
