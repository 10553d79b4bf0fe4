"""The talking book as one M4B: AAC in MP4, with chapter atoms, tags and cover art.

ffmpeg encodes and writes the chapters (mutagen cannot write MP4 chapters); it reads them from
an FFMETADATA file with a 1/1000 time base, so the marks are the timing model's milliseconds
exactly. It writes both kinds players read: a QuickTime chapter text track (Apple) and a Nero
`chpl` atom (most others). mutagen then writes the `ilst` tags and the cover from one table, as
`tags.py` does for ID3 (the publisher has no common MP4 atom and is left out).

Timing: the AAC encoder puts 1024 samples of priming before the audio and pads the last frame;
the MP4 muxer records both in an edit list, so a decoder that honours it (ffmpeg does, and so
do Apple's players) gives back exactly the samples we put in. The input timestamps are
rewritten from the sample count first, because MP3 inputs start at a negative time (the MP3
encoder's own delay), which would otherwise shift the whole book a few ms against its chapters.

Repeatability: `+bitexact` keeps ffmpeg's version and the clock out of the file (creation
times are written as 0), and nothing else varies, so the same inputs and ffmpeg give the same
bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover

from audioleaflet.atomic import atomic_file
from audioleaflet.audio.encode import write_concat_list
from audioleaflet.audio.tags import Tags
from audioleaflet.images import image_mime
from audioleaflet.model import ChapterTiming
from audioleaflet.programs.ffmpeg import run_ffmpeg

M4B_SAMPLE_RATE = 22050
# Spoken word at 64 kbps AAC-LC. The "fast" coder, because on espeak speech it measured 1.8x
# faster than the default (twoloop) with the true peak as good (-0.7 against -0.8 dBTP, both
# below the -0.5 of the MP3 it came from); DESIGN.md warns of overshoot with twoloop at 64k.
# It also sounds better (`scripts/codec_quality.py`, wideband PESQ: espeak-ng 4.11 against
# 3.83, Piper 4.45 against 4.19). Without temporal noise shaping: 8 % faster, and PESQ as high
# or higher with every engine we ship (espeak-ng 4.11 and 4.11, Pico 4.48 and 4.48, Piper 4.48
# against 4.45).
M4B_BITRATE = "64k"
# iTunes media kind ("stik"): 2 is an audiobook, so Apple lists it under Books, not Music.
_MEDIA_KIND_AUDIOBOOK = 2

# Our field -> its iTunes ilst atom. The language has no ilst atom: it goes in the audio track's
# own language field (mdhd, ISO 639-2), which is where MP4 players look for it.
_MP4_TEXT_ATOMS: dict[str, str] = {
    "title": "\xa9nam",
    "album": "\xa9alb",
    "artist": "\xa9ART",
    "date": "\xa9day",
    "genre": "\xa9gen",
    "comment": "\xa9cmt",
    # The narrator, as Apple's audiobook tools write it: the voice that read the leaflet.
    "voice": "\xa9nrt",
}

# FFMETADATA: `=`, `;`, `#`, `\` and line breaks are escaped with a backslash.
_FFMETADATA_SPECIAL = re.compile(r"([=;#\\\n])")
# The Nero `chpl` atom gives a chapter title one length byte: ffmpeg cuts a longer title at 255
# bytes, in the middle of a letter if it falls there, and mutagen then refuses the whole file.
CHAPTER_TITLE_BYTES = 255
_CUT = "…"
# ffmpeg's FFMETADATA reader ends a line at a line feed not preceded by a backslash, escaped or
# not: a title ending in `\` would run on and swallow the next chapter. FULLWIDTH REVERSE
# SOLIDUS shows it as a backslash still.
_FINAL_BACKSLASH = "\uff3c"


def _ffmetadata_value(text: str) -> str:
    return _FFMETADATA_SPECIAL.sub(r"\\\1", text)


def chapter_title(title: str) -> str:
    """`title` as an M4B chapter can hold it: a final `\\` as `＼`, and cut at a word to 255
    bytes, ending in `…`, when it is longer."""
    if title.endswith("\\"):
        title = title[:-1] + _FINAL_BACKSLASH
    if len(title.encode("utf-8")) <= CHAPTER_TITLE_BYTES:
        return title
    room = CHAPTER_TITLE_BYTES - len(_CUT.encode("utf-8"))
    cut = title.encode("utf-8")[:room].decode("utf-8", "ignore")
    words = cut.rsplit(" ", 1)[0] if " " in cut[room // 2 :] else cut
    return words.rstrip() + _CUT


def ffmetadata(timings: Sequence[ChapterTiming]) -> str:
    """The chapters as an FFMETADATA file, times in milliseconds as the timing model has them."""
    lines = [";FFMETADATA1"]
    for chapter in timings:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={_ffmetadata_value(chapter_title(chapter.title))}",
        ]
    return "\n".join(lines) + "\n"


def _check(timings: Sequence[ChapterTiming]) -> None:
    if not timings:
        raise ValueError("an M4B needs at least one chapter")
    previous_end = 0
    for chapter in timings:
        if not previous_end <= chapter.start_ms < chapter.end_ms:
            raise ValueError(f"chapter {chapter.title!r} is out of order or empty")
        previous_end = chapter.end_ms


def m4b_output(chapters_input: int, lang: str, out: Path) -> list[str | Path]:
    """The output options of an M4B whose chapters come from FFMETADATA input `chapters_input`
    (the audio is mapped by the caller, before these)."""
    return [
        "-map_chapters", str(chapters_input),
        # Global tags from the FFMETADATA file, which has none, and no stream tags: nothing of
        # the inputs' tags (or a creation time) reaches the book; the chapters keep their
        # titles, and mutagen writes our tags afterwards.
        "-map_metadata", str(chapters_input),
        "-map_metadata:s", "-1",
        "-fflags", "+bitexact",
        "-flags:a", "+bitexact",
        "-ac", "1",
        "-ar", str(M4B_SAMPLE_RATE),
        "-c:a", "aac",
        "-b:a", M4B_BITRATE,
        "-aac_coder", "fast",
        "-aac_tns", "0",
        "-metadata:s:a:0", f"language={lang}",
        # The index before the audio, so a podcast app can play while downloading.
        "-movflags", "+faststart",
        # The temporary name does not end in .m4b, so the muxer is named: ipod is the one for
        # .m4a/.m4b (brand M4A, iTunes-style metadata).
        "-f", "ipod",
        out,
    ]  # fmt: skip


def write_chapters_file(path: Path, timings: Sequence[ChapterTiming]) -> None:
    """The FFMETADATA file of `timings`, checked, for `m4b_output`'s chapters input."""
    _check(timings)
    path.write_text(ffmetadata(timings), encoding="utf-8")


def _encode(inputs: Sequence[Path], timings: Sequence[ChapterTiming], lang: str, out: Path) -> None:
    # Named after the temporary file, so `remove_leftovers` tidies them too after a kill.
    concat = out.with_name(out.name + ".concat")
    chapters = out.with_name(out.name + ".chapters")
    write_concat_list(inputs, concat)
    write_chapters_file(chapters, timings)
    try:
        run_ffmpeg(
            ["-y", "-f", "concat", "-safe", "0", "-i", concat, "-f", "ffmetadata", "-i", chapters,
             # Audio only: chapter MP3s carry their cover as a video stream. Timestamps counted
             # from the samples, so MP3 inputs (which start at minus the MP3 encoder delay)
             # line up with the chapters just as WAVs do.
             "-map", "0:a", "-af", "asetpts=N/SR/TB", *m4b_output(1, lang, out)]
        )  # fmt: skip
    finally:
        concat.unlink(missing_ok=True)
        chapters.unlink(missing_ok=True)


def _tag(path: Path, tags: Tags, cover: Path | None) -> None:
    mp4 = MP4(path)
    if mp4.tags is None:
        mp4.add_tags()
    atoms = mp4.tags
    assert atoms is not None  # add_tags made them
    atoms.clear()
    for field, atom in _MP4_TEXT_ATOMS.items():
        value = getattr(tags, field)
        if value:
            atoms[atom] = [value]
    atoms["trkn"] = [(tags.track, tags.track_total)]
    atoms["stik"] = [_MEDIA_KIND_AUDIOBOOK]
    if cover is not None:
        kind = MP4Cover.FORMAT_PNG if image_mime(cover) == "image/png" else MP4Cover.FORMAT_JPEG
        atoms["covr"] = [MP4Cover(cover.read_bytes(), imageformat=kind)]
    mp4.save(path, padding=lambda info: 0)


def encode_m4b(
    dest: Path, inputs: Sequence[Path], timings: Sequence[ChapterTiming], language: str
) -> None:
    """The untagged M4B with its chapters, for the encoded cache; `tag_m4b` adds the tags."""
    _check(timings)
    with atomic_file(dest) as tmp:
        _encode(inputs, timings, language, tmp)


def tag_m4b(path: Path, tags: Tags, cover: Path | None = None) -> None:
    """Write `tags` (and `cover`, default `tags.cover`) into the M4B at `path`."""
    _tag(path, tags, cover if cover is not None else tags.cover)


def read_m4b_chapters(path: Path) -> list[tuple[float, float]]:
    """The chapter marks (start, end in ms) of an MP4, as ffmpeg reads them from its chapter
    track: the FFMETADATA that `ffmetadata` writes, read back."""
    text = run_ffmpeg(["-i", path, "-f", "ffmetadata", "-"])
    marks: list[tuple[float, float]] = []
    chapter: dict[str, str] | None = None
    for line in [*text.splitlines(), "[END]"]:
        if line.startswith("["):
            if chapter is not None:
                num, _, den = chapter.get("TIMEBASE", "1/1000").partition("/")
                scale = 1000 * int(num) / int(den or 1)
                marks.append((int(chapter["START"]) * scale, int(chapter["END"]) * scale))
            chapter = {} if line == "[CHAPTER]" else None
        elif chapter is not None and "=" in line:
            key, _, value = line.partition("=")
            chapter[key] = value
    return marks
