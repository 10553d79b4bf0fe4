"""Cover images: the only formats podcast apps and ID3 players accept are PNG and JPEG."""

from __future__ import annotations

from pathlib import Path

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg"}


def image_mime(path: Path) -> str | None:
    """`image/png` or `image/jpeg` from the file's first bytes; None for anything else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    return next((mime for magic, mime in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
