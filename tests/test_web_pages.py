"""The web edition's pages as written: parsed with lxml, their QR codes decoded with zxing-cpp.
No build: a timing model made by hand, with the awkward characters a leaflet may hold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import pytest
import zxingcpp
from PIL import Image

from audioleaflet.languages import all_languages
from audioleaflet.layout import LeafletLayout
from audioleaflet.model import ChapterTiming, SentenceTiming
from audioleaflet.outputs.cues import cues
from audioleaflet.outputs.transcripts import webvtt
from audioleaflet.outputs.web.lists import LanguageList, Listed, front_page, language_page
from audioleaflet.outputs.web.page import LeafletPage, player_page, write_player_page
from audioleaflet.outputs.web.qr import write_qr
from audioleaflet.outputs.web.strings import WebStrings, web_strings
from audioleaflet.slug import slugify

TIMINGS = (
    ChapterTiming("Intro & <welcome>", 0, 4000, (
        SentenceTiming("Take five milligrams.", "Take 5 mg.", 0, 1500),
        SentenceTiming("Ask \"us\" <now>.", "", 1800, 3600),
    )),
    ChapterTiming("Before", 4000, 7000, (SentenceTiming("Eat first.", "", 4000, 6500),)),
    ChapterTiming("After", 7000, 9500, (SentenceTiming("Rest.", "Rest!", 7000, 9000),)),
)  # fmt: skip
PAGE = LeafletPage(
    lang="da",
    title="Håndhygiejne & <dig>",
    publisher="Klinik",
    date="2026-03-16",
    book="x.mp3",
    book_size=1234,
    audiobook="x.m4b",
    transcript="x.vtt",
    qr="x.qr.svg",
    qr_png="x.qr.png",
    address="https://example.org/a/da/x.html",
)


def test_every_language_has_every_interface_word() -> None:
    for lang in all_languages():
        words = web_strings(lang)
        for field in dataclasses.fields(WebStrings):
            assert getattr(words, field.name).strip(), (lang, field.name)
        assert words.length_of(125_000) == words.duration.format(minutes=2, seconds=5)


def test_the_player_page_says_everything_and_works_without_its_script() -> None:
    tree = lxml.html.fromstring(player_page(PAGE, TIMINGS, cues(TIMINGS, "source")))
    assert tree.get("lang") == "da"
    assert [h.text_content() for h in tree.iter("h1")] == [PAGE.title]
    (audio,) = tree.iter("audio")
    assert (audio.get("src"), audio.get("preload"), audio.get("controls")) == (
        "x.mp3",
        "metadata",
        "",
    )
    # Without the script: chapter links are media fragments of the book; the buttons, which
    # would do nothing, are hidden.
    links = tree.xpath("//a[@class='chapter']")
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Intro & <welcome>", "x.mp3#t=0.000"), ("Before", "x.mp3#t=4.000"),
        ("After", "x.mp3#t=7.000")]  # fmt: skip
    assert tree.xpath("//div[@class='controls']")[0].get("hidden") is not None
    # The transcript is the VTT's text, sentence by sentence, under its chapters' headings.
    spans = tree.xpath("//span[@class='s']")
    assert [s.text_content() for s in spans] == ["Take 5 mg.", 'Ask "us" <now>.', "Eat first.",
                                                 "Rest!"]  # fmt: skip
    assert [s.get("data-start") for s in spans] == ["0.000", "1.800", "4.000", "7.000"]
    assert [h.text_content() for h in tree.iter("h3")] == [t.title for t in TIMINGS]
    vtt = webvtt(TIMINGS, "da", "source")
    assert all(s.text_content().replace("<", "&lt;").replace(">", "&gt;") in vtt for s in spans)
    assert tree.xpath("//img/@src") == ["x.qr.svg"]
    words = web_strings("da")
    assert words.listen in tree.text_content() and words.transcript in tree.text_content()


def test_no_address_no_qr_code() -> None:
    page = dataclasses.replace(PAGE, qr=None, qr_png=None, address=None)
    tree = lxml.html.fromstring(player_page(page, TIMINGS, cues(TIMINGS)))
    assert not tree.xpath("//img")


def test_nothing_is_loaded_from_elsewhere() -> None:
    html = player_page(PAGE, TIMINGS, cues(TIMINGS))
    tree = lxml.html.fromstring(html)
    assert not [v for v in tree.xpath("//@src | //link/@href") if "//" in v]
    assert "http" not in "".join(tree.xpath("//script/text() | //style/text()"))


def test_written_page_and_qr_code(tmp_path: Path) -> None:
    write_player_page(tmp_path / "x.html", PAGE, TIMINGS)
    assert lxml.html.parse(str(tmp_path / "x.html")).getroot().get("lang") == "da"
    write_qr(tmp_path / "x.qr.png", tmp_path / "x.qr.svg", PAGE.address or "")
    with Image.open(tmp_path / "x.qr.png") as image:
        assert [c.text for c in zxingcpp.read_barcodes(image)] == [PAGE.address]
        # A quiet zone of four modules of ten pixels: the corner is white.
        assert image.convert("L").getpixel((39, 39)) == 255
    svg = lxml.etree.parse(str(tmp_path / "x.qr.svg")).getroot()
    assert svg.tag.endswith("svg")
    assert not list(tmp_path.glob(".*"))  # written to temporary names and renamed


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_lists_link_every_leaflet(lang: str) -> None:
    item = Listed("Titel", "Klinik", "2026-01-02", 61_000, "x.html")
    listing = LanguageList(lang, "dansk", "Feed", "Om", (item,), "feed.xml", "https://e.org/f")
    tree = lxml.html.fromstring(language_page(listing, up="../index.html"))
    assert tree.get("lang") == lang
    assert set(tree.xpath("//a/@href")) == {"../index.html", "x.html", "feed.xml"}
    front = lxml.html.fromstring(front_page("en", "Leaflets", [listing]))
    assert front.xpath("//section/@lang") == [lang]
    assert front.xpath("//a/@href") == [f"{lang}/index.html", "x.html"]


def test_no_leaflet_is_called_index() -> None:
    """`<lang>/index.html` is the language's page: a leaflet by that name goes by another."""
    assert slugify("Index") == "index-leaflet"
    assert LeafletLayout(Path("en"), slugify("Index")).page.name != "index.html"
