"""A QR code of a page's public address, for the paper leaflet: PNG to print and SVG to scale.

Error correction level M survives a crease or a smudge on paper; the quiet zone is the four
modules the standard asks for (phone cameras lose codes printed closer to other ink); the PNG
has 10 pixels a module, about 2.5 cm wide at 300 dpi for a typical address.
"""

from __future__ import annotations

from pathlib import Path

import segno

from audioleaflet.atomic import atomic_file

QUIET_ZONE = 4
PNG_SCALE = 10


def write_qr(png: Path, svg: Path, address: str) -> None:
    code = segno.make(address, error="m", micro=False, boost_error=False)
    with atomic_file(png) as tmp:
        code.save(str(tmp), kind="png", scale=PNG_SCALE, border=QUIET_ZONE)
    with atomic_file(svg) as tmp:
        code.save(str(tmp), kind="svg", scale=PNG_SCALE, border=QUIET_ZONE, xmldecl=False,
                  svgns=True, title=address)  # fmt: skip
