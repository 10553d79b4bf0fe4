"""Cover images: the only formats podcast apps and ID3 players accept are PNG and JPEG.

A cover is decoded completely when it is named, with Pillow: a file cut short or damaged
after a valid signature would otherwise be embedded in every MP3 and M4B and published as the
feed's artwork, and players show nothing or a broken image. (The bundled ffmpeg is no judge:
it decodes a truncated JPEG and exits 0.)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg"}
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg"}
# Apple Podcasts' artwork rule: square, 1400 to 3000 pixels a side, RGB.
ARTWORK_MIN_PX = 1400
ARTWORK_MAX_PX = 3000


class ImageError(ValueError):
    """Why an image cannot be used, said about the file without naming it."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """A cover image that decoded completely."""

    mime: str
    width: int
    height: int
    mode: str
    """Pillow's colour mode: `RGB`, `RGBA`, `P` (palette), `L` (grey), `CMYK`, …"""


def image_mime(path: Path) -> str | None:
    """`image/png` or `image/jpeg` from the file's first bytes; None for anything else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    return next((mime for magic, mime in _IMAGE_MAGIC.items() if head.startswith(magic)), None)


def read_cover(path: Path) -> ImageInfo:
    """Decode the whole PNG or JPEG at `path`; ImageError says what is wrong with it."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit; a cover that big is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind = image.format or "unknown"
                if kind not in _MIME:
                    raise ImageError(f"is a {kind} image, not PNG or JPEG; save it as PNG")
                image.verify()  # PNG: every chunk's checksum
            with Image.open(path) as image:
                image.load()  # every pixel: a file cut short fails here
                return ImageInfo(_MIME[kind], image.width, image.height, image.mode)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(
            f"has more than {Image.MAX_IMAGE_PIXELS} pixels; scale it to {ARTWORK_MAX_PX} "
            f"× {ARTWORK_MAX_PX} pixels"
        ) from None
    except UnidentifiedImageError:
        raise ImageError("is not a PNG or JPEG image, or is too damaged to tell") from None
    except FileNotFoundError:
        raise ImageError("does not exist") from None
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's parsers raise all three
        if "truncated" in str(exc).lower():
            raise ImageError("is cut short (incomplete); export or copy it again") from None
        raise ImageError(f"is damaged ({exc}); export or copy it again") from None


def artwork_advice(info: ImageInfo) -> str | None:
    """What Apple Podcasts would object to in this feed artwork, or None."""
    faults = []
    if info.width != info.height:
        faults.append(f"is {info.width} × {info.height} pixels, not square")
    elif not ARTWORK_MIN_PX <= info.width <= ARTWORK_MAX_PX:
        faults.append(f"is {info.width} × {info.height} pixels")
    if info.mode != "RGB":
        faults.append(f"has colour mode {info.mode}, not RGB")
    if not faults:
        return None
    return (
        f"{' and '.join(faults)}; Apple Podcasts asks for square artwork of {ARTWORK_MIN_PX} "
        f"to {ARTWORK_MAX_PX} pixels in RGB"
    )
