"""Checking a DAISY 2.02 book the way a player meets it, offline.

Every file is validated against its DTD (shipped in `audioleaflet/data/dtd`, chosen by the
document's public identifier, so nothing is fetched); every link a player follows must resolve
(NCC heading -> SMIL element, SMIL text -> text document element, SMIL audio -> file); every
clip must be where every player looks for it (in a `<seq>` inside its `<par>`) and lie inside
its decoded audio; and the times the book states must add up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from audioleaflet.errors import ToolError
from audioleaflet.outputs.daisy import DAISY_FORMAT, NCC_NAME, SMIL_PUBLIC_ID, XHTML_NS, clock
from audioleaflet.programs.ffmpeg import decode_pcm
from audioleaflet.verify.rows import CheckResult

DTD_DIR = Path(__file__).resolve().parent.parent / "data" / "dtd"
DTD_FILES = {
    "-//W3C//DTD XHTML 1.0 Transitional//EN": "xhtml1-transitional.dtd",
    "-//W3C//DTD XHTML 1.0 Strict//EN": "xhtml1-strict.dtd",
    SMIL_PUBLIC_ID: "SMIL10.dtd",
}
_XHTML_IDS = frozenset(key for key in DTD_FILES if "XHTML" in key)
_SMIL_IDS = frozenset({SMIL_PUBLIC_ID})

# One MP3 frame at 44.1 kHz (1152 samples) is 26.1 ms: audio made by other encoders may be off
# by that much. Our own chapter files decode to their exact length.
AUDIO_TOLERANCE_MS = 27
_RATE = 44100
_MAX_DTD_ERRORS = 5
_REQUIRED_NCC_META = (
    "dc:title",
    "dc:creator",
    "dc:date",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "ncc:charset",
    "ncc:files",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:setInfo",
    "ncc:tocItems",
    "ncc:totalTime",
)
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


@functools.cache
def dtd(public_id: str) -> etree.DTD:
    """The shipped DTD for a document type's public identifier."""
    return etree.DTD(str(DTD_DIR / DTD_FILES[public_id]))


def parse_time(value: str) -> int | None:
    """Milliseconds from a SMIL 1.0 time (`npt=1.5s`, `1500ms`, `00:01:02.5`); None if invalid."""
    text = value.strip().removeprefix("npt=")
    try:
        if ":" in text:
            *bigger, second = text.split(":")
            if len(bigger) > 2:
                return None
            minutes = 0
            for part in bigger:
                minutes = minutes * 60 + int(part)
            return round((minutes * 60 + float(second)) * 1000)
        for suffix, factor in (("ms", 1), ("min", 60_000), ("h", 3_600_000), ("s", 1000)):
            if text.endswith(suffix):
                return round(float(text.removesuffix(suffix)) * factor)
        return round(float(text) * 1000)
    except ValueError:
        return None


AudioLength = Callable[[Path], float | None]
"""The decoded length of an audio file in ms, or None if it cannot be decoded."""


def validate_daisy(folder: Path, audio_length: AudioLength | None = None) -> list[str]:
    """Every problem found in the DAISY 2.02 book in `folder`, each naming its file; [] if none.

    `audio_length` lets a caller that has already decoded the book's MP3s (`check`) hand over
    their lengths instead of decoding them again.
    """
    return _Checker(folder, audio_length).run()


def daisy_rows(book: str, problems: list[str]) -> list[CheckResult]:
    """The check table's rows for a book (`book` as the table names it): one per problem,
    naming the file inside the book it is in, or one saying the book is valid."""
    if not problems:
        return [CheckResult(book, "daisy", True, "DAISY 2.02 book valid")]
    rows = []
    for problem in problems:
        inner, sep, detail = problem.partition(": ")
        rows.append(
            CheckResult(f"{book}/{inner}" if sep else book, "daisy", False, detail or problem)
        )
    return rows


def _stated_matches(stated: str, ms: int) -> bool:
    """Whether a stated time equals `ms`; a time given in whole seconds may be rounded."""
    value = parse_time(stated)
    return value is not None and abs(value - ms) <= (1 if "." in stated else 1000)


class _Checker:
    def __init__(self, folder: Path, audio_length: AudioLength | None) -> None:
        self.folder = folder
        self.measured_length = audio_length
        self.problems: list[str] = []
        self.documents: dict[str, etree._ElementTree | None] = {}
        self.audio_ms: dict[str, float | None] = {}

    def run(self) -> list[str]:
        ncc = self.document(NCC_NAME, _XHTML_IDS)
        if ncc is None:
            if not (self.folder / NCC_NAME).is_file():
                self.report(NCC_NAME, "missing")
            return self.problems
        meta = _meta(ncc)
        smils = self.check_ncc(ncc, meta)
        # Elapsed times are only known up to the first SMIL file that cannot be read; checking
        # the later ones against a wrong sum would bury the real problem under consequences.
        total: int | None = 0
        for name in smils:
            length = self.check_smil(name, total)
            total = None if total is None or length is None else total + length
        if total is not None:
            self.check_total(meta, total)
        for name, tree in self.documents.items():
            if name != NCC_NAME and tree is not None and tree.docinfo.public_id in _XHTML_IDS:
                self.check_title_heading(name, tree)
        return self.problems

    def report(self, name: str, problem: str) -> None:
        self.problems.append(f"{name}: {problem}")

    def document(self, name: str, kinds: frozenset[str]) -> etree._ElementTree | None:
        """The parsed, DTD-validated document `name` (each checked and reported once)."""
        if name not in self.documents:
            self.documents[name] = self._load(name, kinds)
        return self.documents[name]

    def _load(self, name: str, kinds: frozenset[str]) -> etree._ElementTree | None:
        path = self.folder / name
        if not path.is_file():
            return None  # Reported by whoever links to it.
        # No DTD loading while parsing: entities are not expanded and nothing is fetched.
        parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
        try:
            tree = etree.parse(str(path), parser)
        except etree.XMLSyntaxError as exc:
            self.report(name, f"not well-formed XML: {exc}")
            return None
        public_id = tree.docinfo.public_id
        if public_id not in kinds:
            self.report(name, f"doctype {public_id!r}, expected one of {sorted(kinds)}")
            return tree
        checker = dtd(public_id)
        if not checker.validate(tree):
            errors = list(checker.error_log.filter_from_errors())
            for error in errors[:_MAX_DTD_ERRORS]:
                self.report(name, f"line {error.line}: {error.message}")
            if len(errors) > _MAX_DTD_ERRORS:
                self.report(name, f"{len(errors) - _MAX_DTD_ERRORS} more DTD errors")
        return tree

    def target(self, source: str, href: str, kinds: frozenset[str]) -> str:
        """Follow `href` (file#id) from `source`, reporting what does not exist; the file name."""
        file_part, _, fragment = href.partition("#")
        name = unquote(file_part)
        tree = self.document(name, kinds)
        if tree is None:
            self.report(source, f"links to {href}, but {name} is missing or unreadable")
        elif fragment and not tree.xpath("//*[@id=$id]", id=unquote(fragment)):
            self.report(source, f"links to {href}, but {name} has no id {fragment!r}")
        return name

    def check_ncc(self, ncc: etree._ElementTree, meta: dict[str, str]) -> list[str]:
        """Check the NCC's metadata and headings; the SMIL files in the order they are linked."""
        for name in _REQUIRED_NCC_META:
            if name not in meta:
                self.report(NCC_NAME, f"no {name} metadata")
        if meta.get("dc:format", DAISY_FORMAT) != DAISY_FORMAT:
            self.report(NCC_NAME, f"dc:format is {meta['dc:format']!r}, not {DAISY_FORMAT!r}")
        body = ncc.getroot().find(f"{{{XHTML_NS}}}body")
        items = [e for e in body if isinstance(e.tag, str)] if body is not None else []
        self.check_title_heading(NCC_NAME, ncc)
        levels = [_heading_level(e) for e in items]
        # A player offers navigation levels down to ncc:depth: the deepest heading level used.
        depth = str(max(levels, default=1))
        if meta.get("ncc:depth", depth) != depth:
            deepest = f"the deepest heading is h{depth}"
            self.report(NCC_NAME, f"ncc:depth is {meta['ncc:depth']}, but {deepest}")
        if meta.get("ncc:tocItems", str(len(items))) != str(len(items)):
            self.report(NCC_NAME, f"ncc:tocItems is {meta['ncc:tocItems']}, not {len(items)}")
        smils: list[str] = []
        for number, item in enumerate(items, start=1):
            href = item.xpath("string(.//*[local-name()='a']/@href)")
            if not href:
                self.report(NCC_NAME, f"item {number} has no link")
                continue
            smil = self.target(NCC_NAME, str(href), _SMIL_IDS)
            if smil not in smils:
                smils.append(smil)
        return smils

    def check_title_heading(self, name: str, tree: etree._ElementTree) -> None:
        """DAISY 2.02: the NCC and each text document open with `<h1 class="title">`."""
        body = tree.getroot().find(f"{{{XHTML_NS}}}body")
        elements = body.iter() if body is not None else iter(())
        first = next((e for e in elements if _heading_level(e)), None)
        if first is None or _heading_level(first) != 1:
            self.report(name, "does not start with an h1 heading")
        elif first.get("class") != "title":
            self.report(name, 'the first heading is not class="title"')

    def check_smil(self, name: str, elapsed_ms: int | None) -> int | None:
        """Check one SMIL file's links, clips and stated times; its clips' total length."""
        tree = self.documents.get(name)
        if tree is None:
            return None
        length = 0
        for par in tree.iter("par"):
            for text in par.iter("text"):
                self.target(name, text.get("src", ""), _XHTML_IDS)
            for audio in par.iter("audio"):
                if audio.getparent() is par:
                    # Valid DAISY 2.02, but readers that follow `par/seq/audio` play nothing.
                    self.report(
                        name,
                        f"clip {audio.get('id', '?')} is not inside a <seq> in its <par>;"
                        " some DAISY players would not play it",
                    )
                length += self.check_clip(name, audio)
        meta = _meta(tree)
        here = "its clips last"
        stated = [
            ("ncc:timeInThisSmil", meta.get("ncc:timeInThisSmil"), length, here),
            ("seq dur", tree.xpath("string(/smil/body/seq/@dur)") or None, length, here),
        ]
        if elapsed_ms is not None:
            before = "the SMIL files before it last"
            stated.append(
                ("ncc:totalElapsedTime", meta.get("ncc:totalElapsedTime"), elapsed_ms, before)
            )
        for what, value, expected, source in stated:
            if value is None:
                self.report(name, f"no {what}")
            elif not _stated_matches(str(value), expected):
                self.report(name, f"{what} is {value}, but {source} {clock(expected)}")
        return length

    def check_clip(self, name: str, audio: etree._Element) -> int:
        """Check one audio clip; its length in ms (0 when unusable)."""
        clip = audio.get("id", "?")
        begin = parse_time(audio.get("clip-begin", "npt=0s"))
        end = parse_time(audio.get("clip-end", ""))
        if begin is None or end is None or not 0 <= begin < end:
            self.report(
                name, f"clip {clip} has times {audio.get('clip-begin')}..{audio.get('clip-end')}"
            )
            return 0
        src = unquote(audio.get("src", ""))
        available = self.audio_length(src)
        if available is None:
            self.report(name, f"clip {clip} plays {src!r}, which is missing or unreadable")
        elif end > available + AUDIO_TOLERANCE_MS:
            ends = clock(round(available))
            self.report(name, f"clip {clip} ends at {clock(end)}, after the end of {src} ({ends})")
        return end - begin

    def audio_length(self, src: str) -> float | None:
        """Decoded length of an audio file in ms, measured once; None if it cannot be read."""
        if src not in self.audio_ms:
            path = self.folder / src
            length: float | None = None
            if src and path.is_file() and self.measured_length is not None:
                length = self.measured_length(path)
                if length is None:
                    self.report(src, "cannot be decoded")
            elif src and path.is_file():
                try:
                    length = len(decode_pcm(path, _RATE)) / 2 / _RATE * 1000
                except ToolError as exc:
                    self.report(src, f"cannot be decoded: {exc}")
            self.audio_ms[src] = length
        return self.audio_ms[src]

    def check_total(self, meta: dict[str, str], clips_ms: int) -> None:
        stated = meta.get("ncc:totalTime")
        if stated is not None and not _stated_matches(stated, clips_ms):
            self.report(
                NCC_NAME, f"ncc:totalTime is {stated}, but the clips add up to {clock(clips_ms)}"
            )
        lengths = [ms for ms in self.audio_ms.values() if ms is not None]
        decoded = sum(lengths)
        if lengths and abs(decoded - clips_ms) > AUDIO_TOLERANCE_MS * len(lengths):
            audio = clock(round(decoded))
            self.report(NCC_NAME, f"the clips add up to {clock(clips_ms)}, the audio to {audio}")


def _heading_level(element: etree._Element) -> int:
    """1 to 6 for an XHTML heading `h1`..`h6`, else 0."""
    if not isinstance(element.tag, str):
        return 0  # A comment or processing instruction.
    name = etree.QName(element).localname
    return int(name[1]) if name in _HEADINGS else 0


def _meta(tree: etree._ElementTree) -> dict[str, str]:
    """A document's `<meta name content>` pairs (XHTML or SMIL)."""
    pairs = tree.xpath("//*[local-name()='meta'][@name]")
    return {str(m.get("name")): str(m.get("content", "")) for m in pairs}
