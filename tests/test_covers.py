"""Covers and feed artwork are decoded completely before any audio is made."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from audioleaflet.cli import cli
from audioleaflet.images import ImageError, ImageInfo, artwork_advice, read_cover
from tests.conftest import CONTENT, runner
from tests.one_line import assert_one_line_error

COVER = CONTENT / "cover.png"


def _image(path: Path, size: tuple[int, int], mode: str = "RGB", kind: str = "PNG") -> Path:
    Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0)).save(path, kind)
    return path


def _damaged(folder: Path) -> dict[str, tuple[bytes, str]]:
    """Files that start like a PNG or JPEG and then go wrong, and what is said about each."""
    png = COVER.read_bytes()
    jpeg = _image(folder / "good.jpg", (300, 300), kind="JPEG").read_bytes()
    checksum = bytearray(png)
    checksum[len(png) // 2] ^= 0xFF  # inside the image data, whose chunk checksum then fails
    return {
        "half.png": (png[: len(png) // 2], "is cut short (incomplete); export or copy it again"),
        "half.jpg": (jpeg[: len(jpeg) // 2], "is cut short (incomplete)"),
        "no-end.jpg": (jpeg[:-2], "is cut short (incomplete)"),
        "checksum.png": (bytes(checksum), "is damaged (broken PNG file"),
        "signature.png": (png[:8], "is not a PNG or JPEG image, or is too damaged to tell"),
    }


def test_damaged_images_are_refused_by_what_is_wrong(tmp_path: Path) -> None:
    for name, (data, said) in _damaged(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ImageError) as caught:
            read_cover(path)
        assert str(caught.value).startswith(said), name
    gif = tmp_path / "cover.gif"
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ImageError, match=r"^is a GIF image, not PNG or JPEG; save it as PNG$"):
        read_cover(gif)
    assert read_cover(COVER) == ImageInfo("image/png", 1400, 1400, "RGB")


def _one_error_line(args: list[str]) -> str:
    result = runner().invoke(cli, args)
    assert result.stdout == "", result.output
    return assert_one_line_error(result)


def test_a_truncated_leaflet_cover_is_one_line_naming_the_manifest(tmp_path: Path) -> None:
    leaflet = tmp_path / "x"
    leaflet.mkdir()
    (leaflet / "leaflet.toml").write_text(
        'title = "X"\ndate = 2026-01-01\ncover = "cover.png"\n', encoding="utf-8"
    )
    (leaflet / "da.md").write_text("# X\n\nVask hænder.\n", encoding="utf-8")
    (leaflet / "cover.png").write_bytes(COVER.read_bytes()[:5000])
    line = _one_error_line(["build", str(leaflet), "-o", str(tmp_path / "out")])
    assert line == (
        f"Error: {leaflet / 'leaflet.toml'}, line 3: cover names 'cover.png', which is cut "
        "short (incomplete); export or copy it again"
    )
    assert not (tmp_path / "out" / "da").exists()


def test_a_truncated_feed_image_is_one_line_naming_podcast_toml(tmp_path: Path) -> None:
    jpeg = _image(tmp_path / "whole.jpg", (1400, 1400), kind="JPEG").read_bytes()
    (tmp_path / "art.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    bare, clinic = tmp_path / "bare", tmp_path / "clinic"
    for folder in (bare, clinic):
        folder.mkdir()
        (folder / "da-x.md").write_text("# X\n\nVask hænder.\n", encoding="utf-8")
    (clinic / "art.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (clinic / "podcast.toml").write_text('title = "P"\nimage = "art.jpg"\n', encoding="utf-8")
    line = _one_error_line(["build", str(clinic / "da-x.md"), "-o", str(tmp_path / "out")])
    assert line == (
        f"Error: {clinic / 'podcast.toml'}, line 2: image 'art.jpg' is cut short "
        "(incomplete); export or copy it again"
    )
    args = ["build", str(bare / "da-x.md"), "-o", str(tmp_path / "out")]
    line = _one_error_line([*args, "--image", str(tmp_path / "art.jpg")])
    assert line == (
        f"Error: --image: image '{tmp_path / 'art.jpg'}' is cut short (incomplete); "
        "export or copy it again"
    )
    assert not (tmp_path / "out" / "da").exists()


@pytest.mark.parametrize(
    ("size", "mode", "kind", "advice"),
    [
        ((1400, 1400), "RGB", "PNG", None),
        ((3000, 3000), "RGB", "JPEG", None),
        ((1399, 1399), "RGB", "PNG", "is 1399 × 1399 pixels; Apple Podcasts asks for square"),
        ((3001, 3001), "RGB", "PNG", "is 3001 × 3001 pixels; Apple Podcasts asks"),
        ((1600, 1400), "RGB", "PNG", "is 1600 × 1400 pixels, not square; Apple"),
        ((1400, 1400), "CMYK", "JPEG", "has colour mode CMYK, not RGB; Apple"),
        ((1400, 1400), "RGBA", "PNG", "has colour mode RGBA, not RGB; Apple"),
        ((100, 100), "L", "PNG", "is 100 × 100 pixels and has colour mode L, not RGB; Apple"),
    ],
)
def test_apple_artwork_advice(
    tmp_path: Path, size: tuple[int, int], mode: str, kind: str, advice: str | None
) -> None:
    info = read_cover(_image(tmp_path / f"art.{kind.lower()}", size, mode, kind))
    said = artwork_advice(info)
    assert said == advice if advice is None else said is not None and said.startswith(advice)


def test_the_build_warns_about_feed_artwork_apple_would_refuse(tmp_path: Path) -> None:
    art = _image(tmp_path / "wide.png", (1600, 900))
    text = tmp_path / "da-x.md"
    text.write_text("# X\n\nVask hænder.\n", encoding="utf-8")
    result = runner().invoke(
        cli, ["build", str(text), "-o", str(tmp_path / "out"), "--image", str(art),
              "--outputs", "mp3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        f"warning: feed image {art} is 1600 × 900 pixels, not square; Apple Podcasts asks for "
        "square artwork of 1400 to 3000 pixels in RGB\n"
    ) in result.stderr
    assert (tmp_path / "out" / "cover.png").read_bytes() == art.read_bytes()
