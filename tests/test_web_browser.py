"""The web edition of a build of `content/`, served by `audioleaflet serve` on 127.0.0.1 and
opened from its front page in real headless Chromium (Debian's `chromium`, driven by Selenium
through Debian's `chromedriver`), with axe-core (npm) injected for the WCAG rules.

Without Chromium, chromedriver or axe-core these tests skip, saying what to install; `.ci/run`
installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import webvtt
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from audioleaflet.serve import preview_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
AXE_IN_CACHE = "audioleaflet-test-tools/node_modules/axe-core/axe.min.js"
AXE_PLACES = [
    os.environ.get("AXE_CORE_JS", ""),
    # Where .ci/run installs it.
    str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / AXE_IN_CACHE),
    "/usr/local/lib/node_modules/axe-core/axe.min.js",
    "/usr/lib/node_modules/axe-core/axe.min.js",
]
AXE = next((Path(p) for p in AXE_PLACES if p and Path(p).is_file()), None)
BASE_URL = "https://leaflets.example.org/audio/"
"""content/podcast.toml's base_url: the QR codes lead there."""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WAIT_S = 20
"""How long to wait for the audio to start (a wait, not a timing assertion)."""
ARGUMENTS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio",
             "--window-size=1000,1400", "--autoplay-policy=no-user-gesture-required")  # fmt: skip


def _browser(javascript: bool = True) -> WebDriver:
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip(
            "NO BROWSER: the web edition's browser tests need Debian's chromium and "
            "chromium-driver (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ARGUMENTS:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    try:
        return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    except WebDriverException as exc:
        pytest.skip(f"NO BROWSER: headless Chromium would not start: {exc.msg}")


@pytest.fixture(scope="module")
def site(content_build: Path) -> Iterator[str]:
    """The build served as `audioleaflet serve` serves it."""
    server = preview_server(content_build, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = _browser()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def pages(browser: WebDriver, site: str) -> list[str]:
    """Every page reached from the front page: the language pages and through them the
    player pages (by their links, as a visitor finds them)."""
    found: list[str] = []
    queue = [site + "index.html"]
    while queue:
        url = queue.pop(0)
        if url in found:
            continue
        found.append(url)
        browser.get(url)
        links = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
        queue += [link for link in links if link.startswith(site) and link.endswith(".html")]
    return found


def players(pages: list[str]) -> list[str]:
    return [url for url in pages if not url.endswith("index.html")]


def test_every_page_passes_axe_wcag_22_aa(browser: WebDriver, pages: list[str]) -> None:
    if AXE is None:
        pytest.skip("NO AXE-CORE: npm install axe-core (see .ci/run) or set AXE_CORE_JS")
    assert len(pages) == 1 + 3 + 6  # the front page, da/en/it, and six leaflet pages
    violations = {}
    for url in pages:
        browser.get(url)
        browser.execute_script(AXE.read_text(encoding="utf-8"))
        found = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.length)));",
            WCAG_TAGS,
        )
        if found:
            violations[url] = found
    assert violations == {}


def _chapter_starts(browser: WebDriver) -> list[float]:
    links = browser.find_elements(By.CSS_SELECTOR, "a.chapter")
    return [float(a.get_attribute("data-start") or "nan") for a in links]


def _audio(browser: WebDriver, what: str) -> object:
    return browser.execute_script(f"return document.getElementById('player').{what};")


def test_tab_to_the_third_chapter_and_enter_plays_it(browser: WebDriver, pages: list[str]) -> None:
    for url in players(pages):
        browser.get(url)
        starts = _chapter_starts(browser)
        third = browser.find_elements(By.CSS_SELECTOR, "a.chapter")[2]
        browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
        for _tab in range(40):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            if browser.switch_to.active_element == third:
                break
        assert browser.switch_to.active_element == third, f"{url}: Tab never reached chapter 3"
        third.send_keys(Keys.ENTER)
        start = starts[2]
        WebDriverWait(browser, WAIT_S).until(
            lambda b, start=start: (
                not _audio(b, "paused") and float(_audio(b, "currentTime")) > start
            )
        )
        now = float(_audio(browser, "currentTime"))
        assert starts[2] <= now < starts[3], url
        assert browser.current_url == url  # the page stayed: it seeks, not navigates
        # While it plays, one sentence carries aria-current, and it is one of chapter 3's.
        WebDriverWait(browser, WAIT_S).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, "[aria-current='true']")
        )
        current = browser.find_elements(By.CSS_SELECTOR, "[aria-current='true']")
        assert len(current) == 1
        assert (current[0].get_attribute("id") or "").startswith("s3-"), url
        assert current[0].is_displayed()


def test_the_transcript_on_the_page_is_the_vtt(
    browser: WebDriver, pages: list[str], content_build: Path
) -> None:
    for url in players(pages):
        browser.get(url)
        shown = [s.text for s in browser.find_elements(By.CSS_SELECTOR, ".transcript .s")]
        vtt = content_build / url.split("/", 3)[3].replace(".html", ".vtt")
        assert shown == [" ".join(c.text.split()) for c in webvtt.read(str(vtt))], url
        assert len(shown) > 10


def test_a_sentence_clicked_plays_from_it(browser: WebDriver, pages: list[str]) -> None:
    browser.get(players(pages)[0])
    sentence = browser.find_elements(By.CSS_SELECTOR, ".transcript .s")[5]
    start = float(sentence.get_attribute("data-start") or "nan")
    sentence.click()
    WebDriverWait(browser, WAIT_S).until(lambda b: not _audio(b, "paused"))
    assert float(_audio(browser, "currentTime")) >= start
    browser.find_element(By.CSS_SELECTOR, "button[data-speed='1.5']").click()
    assert _audio(browser, "playbackRate") == 1.5
    assert (
        browser.find_element(By.CSS_SELECTOR, "button[data-speed='1.5']").get_attribute(
            "aria-pressed"
        )
        == "true"
    )


def _zbar(png: bytes, tmp_path: Path) -> list[str]:
    zbarimg = shutil.which("zbarimg")
    if not zbarimg:
        pytest.skip("NO ZBAR: apt-get install zbar-tools, to decode the QR codes as a phone does")
    image = tmp_path / "qr.png"
    image.write_bytes(png)
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    return done.stdout.split()


def test_the_qr_code_on_each_page_opens_that_page(
    browser: WebDriver, pages: list[str], site: str, content_build: Path, tmp_path: Path
) -> None:
    for url in players(pages):
        browser.get(url)
        address = urljoin(BASE_URL, url.removeprefix(site))
        image = browser.find_element(By.CSS_SELECTOR, "figure img")
        # As the page shows it (the SVG) and as a clinic prints it (the PNG).
        assert _zbar(image.screenshot_as_png, tmp_path) == [address]
        png = content_build / url.removeprefix(site).replace(".html", ".qr.png")
        assert _zbar(png.read_bytes(), tmp_path) == [address]


def test_without_javascript_it_still_plays_links_chapters_and_shows_everything(
    pages: list[str],
) -> None:
    driver = _browser(javascript=False)
    try:
        url = players(pages)[0]
        driver.get(url)
        # The page's script did not run: it would have marked the page and shown the buttons.
        assert "js" not in (driver.find_element(By.TAG_NAME, "html").get_attribute("class") or "")
        assert not any(b.is_displayed() for b in driver.find_elements(By.TAG_NAME, "button"))
        assert driver.find_element(By.TAG_NAME, "audio").get_attribute("controls") is not None
        sentences = driver.find_elements(By.CSS_SELECTOR, ".transcript .s")
        assert len(sentences) > 10 and sentences[-1].text
        book = url.replace(".html", ".mp3")
        chapters = driver.find_elements(By.CSS_SELECTOR, "a.chapter")
        hrefs = [a.get_attribute("href") for a in chapters]
        assert hrefs == [f"{book}#t={a.get_attribute('data-start')}" for a in chapters]
        # A chapter link opens the book at the chapter, in the browser's own player.
        chapters[2].click()
        WebDriverWait(driver, WAIT_S).until(lambda d: d.current_url == hrefs[2])
    finally:
        driver.quit()


def test_at_400_percent_zoom_nothing_scrolls_sideways_or_overlaps(
    browser: WebDriver, pages: list[str]
) -> None:
    """A 1280-pixel screen at 400 % is 320 CSS pixels wide (WCAG 1.4.10, reflow)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 640, "deviceScaleFactor": 4, "mobile": False},
    )
    try:
        for url in pages:
            browser.get(url)
            wide = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth;"
            )
            assert wide <= 0, f"{url} scrolls {wide} px sideways at 320 px"
            overlaps = browser.execute_script(OVERLAPS)
            assert overlaps == [], url
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


OVERLAPS = """
// Boxes of visible text-bearing elements that overlap one another, or are cut off by their box.
const items = [...document.querySelectorAll('h1,h2,h3,p,li>a,dt,dd,button,.at,figcaption,audio')]
  .filter(e => e.getClientRects().length);
const found = [];
for (const e of items) {
  if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible') {
    found.push('clipped: ' + e.outerHTML.slice(0, 60));
  }
}
const boxes = items.filter(e => !items.some(o => o !== e && o.contains(e)))
  .map(e => [e, e.getBoundingClientRect()]);
for (let i = 0; i < boxes.length; i++) {
  for (let j = i + 1; j < boxes.length; j++) {
    const [a, r] = boxes[i], [b, s] = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
    const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    if (x > 1 && y > 1) found.push(a.tagName + ' overlaps ' + b.textContent.slice(0, 40));
  }
}
return found.slice(0, 5);
"""


def test_in_forced_colours_the_spoken_sentence_keeps_its_mark(
    browser: WebDriver, pages: list[str]
) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "forced-colors", "value": "active"}]}
    )
    try:
        browser.get(players(pages)[0])
        assert browser.execute_script("return matchMedia('(forced-colors: active)').matches")
        sentence = browser.find_elements(By.CSS_SELECTOR, ".transcript .s")[3]
        plain = sentence.value_of_css_property("background-color")
        sentence.click()
        WebDriverWait(browser, WAIT_S).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, "[aria-current='true']")
        )
        (current,) = browser.find_elements(By.CSS_SELECTOR, "[aria-current='true']")
        marked = current.value_of_css_property("background-color")
        assert marked != plain and current.value_of_css_property("outline-style") == "solid"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
