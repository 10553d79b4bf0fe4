"""Regenerate content/cover.png, the podcast cover image.

Draws a 1400x1400 PNG with a calm blue background and a lighter rounded
cross inside a soft circle, using only the standard library (zlib and
struct). Run from anywhere: ``python3 scripts/make_cover.py``.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 1400
BACKGROUND = (44, 98, 160)
CIRCLE = (78, 134, 196)
CROSS = (226, 238, 250)
CIRCLE_RADIUS = 520
CROSS_HALF_LENGTH = 330
CROSS_HALF_WIDTH = 110
CROSS_CORNER = 60

OUTPUT = Path(__file__).resolve().parent.parent / "content" / "cover.png"

Colour = tuple[int, int, int]


def _in_rounded_rect(dx: int, dy: int, half_w: int, half_h: int, r: int) -> bool:
    """Return True if (dx, dy), relative to the centre, lies in the rectangle."""
    ax, ay = abs(dx), abs(dy)
    if ax > half_w or ay > half_h:
        return False
    cx, cy = half_w - r, half_h - r
    if ax <= cx or ay <= cy:
        return True
    return (ax - cx) ** 2 + (ay - cy) ** 2 <= r * r


def pixel(x: int, y: int) -> Colour:
    """Return the colour of the pixel at (x, y)."""
    dx = x - SIZE // 2
    dy = y - SIZE // 2
    h, w, r = CROSS_HALF_LENGTH, CROSS_HALF_WIDTH, CROSS_CORNER
    if _in_rounded_rect(dx, dy, w, h, r) or _in_rounded_rect(dx, dy, h, w, r):
        return CROSS
    if dx * dx + dy * dy <= CIRCLE_RADIUS * CIRCLE_RADIUS:
        return CIRCLE
    return BACKGROUND


def _chunk(kind: bytes, data: bytes) -> bytes:
    """Build one PNG chunk: length, type, data and CRC."""
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def make_png(size: int = SIZE) -> bytes:
    """Return the bytes of the cover image as an 8-bit RGB PNG."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type 0 (None) for every row
        for x in range(size):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def main() -> None:
    """Write the cover image to content/cover.png."""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(make_png())
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
