"""What an MP3's first frames say: the MPEG version of a Layer III frame header, and the gapless
delay and padding of the Xing/LAME "Info" frame ffmpeg writes before the audio.

`mp3cut.py` cuts chapters by these; `check` allows for the delay and padding when it compares
the length an MP3 decodes to with the length its header states (ffmpeg 5.1 and mutagen count
them in; a newer ffmpeg leaves them out).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audioleaflet.errors import ToolError


@dataclass(frozen=True, slots=True)
class FrameVersion:
    """What a mono Layer III frame of one MPEG version looks like."""

    samples: int
    """Samples a frame holds."""
    side_info: int
    """Bytes of mono side information after the 4-byte header: the Info tag follows them."""
    bitrates: tuple[int, ...]
    rates: tuple[int, int, int]

    @property
    def info_at(self) -> int:
        """Where "Info" (or "Xing") stands in the first frame: after the header and side
        information."""
        return 4 + self.side_info


# By the version bits of a frame header's second byte (with the Layer III bits and no CRC).
_VERSIONS = {
    0xFA: FrameVersion(1152, 17, (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
                       (44100, 48000, 32000)),
    0xF2: FrameVersion(576, 9, (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
                       (22050, 24000, 16000)),
}  # fmt: skip
INFO_LENGTH = 120
""""Info", flags, frames, bytes, 100-byte TOC and quality: then the LAME tag."""


def frame_version(header: bytes) -> FrameVersion:
    """The version of the mono MPEG-1 or MPEG-2 Layer III frame whose 4-byte header this is."""
    version = _VERSIONS.get(header[1] & 0xFE) if len(header) == 4 and header[0] == 0xFF else None
    if version is None:
        raise ToolError(f"not an MPEG-1 or MPEG-2 Layer III frame header: {header.hex()}")
    return version


def frame_size(header: bytes, version: FrameVersion) -> int:
    """Bytes of the frame whose header this is."""
    bitrate = version.bitrates[header[2] >> 4]
    return version.samples * 125 * bitrate // frame_rate(header, version) + ((header[2] >> 1) & 1)


def frame_rate(header: bytes, version: FrameVersion) -> int:
    """The sample rate of the frame whose header this is."""
    return version.rates[(header[2] >> 2) & 3]


def gapless_field(version: FrameVersion) -> slice:
    """Where the LAME tag's delay and padding (12 bits each) are in the Info frame."""
    at = version.info_at + INFO_LENGTH + 21
    return slice(at, at + 3)


def _id3v2_size(head: bytes) -> int:
    """Bytes of the ID3v2 tag these first 10 bytes begin (0: none), footer included."""
    if len(head) < 10 or head[:3] != b"ID3":
        return 0
    # The size is "syncsafe": 7 bits a byte.
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    return 10 + size + (10 if head[5] & 0x10 else 0)


def gapless_ms(path: Path) -> float:
    """The encoder delay and padding an MP3's LAME tag states, in ms (0 without one); the ID3v2
    tag before it is skipped."""
    try:
        with path.open("rb") as handle:
            handle.seek(_id3v2_size(handle.read(10)))
            first = handle.read(512)
        version = frame_version(first[:4])
        at = version.info_at
        if first[at : at + 4] not in (b"Info", b"Xing") or len(first) < gapless_field(version).stop:
            return 0.0
        field = int.from_bytes(first[gapless_field(version)])
        return ((field >> 12) + (field & 0xFFF)) * 1000 / frame_rate(first[:4], version)
    except (OSError, ToolError, IndexError):
        return 0.0
