"""Feed settings: `podcast.toml` beside the leaflets, overridden by command-line options."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from audioleaflet.atomic import write_bytes
from audioleaflet.errors import InputError
from audioleaflet.images import ImageError, artwork_advice, read_cover
from audioleaflet.model import SpeechChoices
from audioleaflet.readers.toml_file import TomlFile
from audioleaflet.voices.config import SPEECH_KEYS, read_speech_choices

PODCAST_TOML = "podcast.toml"
# The settings a build used, kept beside its feeds: a later build of a single file into the same
# folder (which finds no podcast.toml) must not rewrite the clinic's feeds with defaults.
SAVED_SETTINGS = ".feed-settings.json"
_KEYS = {
    "title",
    "description",
    "link",
    "base_url",
    "author",
    "owner_name",
    "owner_email",
    "category",
    "subcategory",
    "explicit",
    "image",
    "locked",
    "feeds",
    "loudness",
    *SPEECH_KEYS,
}
_FEED_KEYS = {"title", "description"}


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """Everything a podcast feed says about the channel."""

    title: str = "Audio leaflets"
    description: str = "Patient leaflets read aloud, with chapters."
    base_url: str | None = None
    """Where `output/` is published; enclosure URLs are made from it."""
    link: str | None = None
    """The publisher's web page; defaults to `base_url`."""
    author: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None
    category: str = "Health & Fitness"
    subcategory: str | None = "Medicine"
    explicit: bool = False
    locked: bool = False
    """`podcast:locked`: ask other platforms not to import the feed."""
    image: str | None = None
    """A URL, or a PNG/JPEG file relative to `podcast.toml`."""
    per_language: dict[str, dict[str, str]] = field(default_factory=dict)
    """Title and description per language."""
    loudness: float = -16.0
    """Integrated loudness of every published file, LUFS: -16 is the spoken-word podcast norm
    (Apple's guideline); -19 and -23 (EBU R128 broadcast) are the other common choices."""

    def title_for(self, lang: str) -> str:
        return self.per_language.get(lang, {}).get("title", self.title)

    def description_for(self, lang: str) -> str:
        return self.per_language.get(lang, {}).get("description", self.description)

    def with_overrides(self, **overrides: object) -> FeedSettings:
        """These settings with every override that is not None applied."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if "base_url" in given:
            check_base_url(str(given["base_url"]), "--base-url")
        if "loudness" in given:
            given["loudness"] = check_loudness(float(str(given["loudness"])), "--loudness")
        if "image" in given:
            given["image"] = check_image(str(given["image"]), Path.cwd(), "--image")
        if "category" in given and "subcategory" not in given:
            # A subcategory belongs to its category: a new category starts without one.
            given["subcategory"] = None
        if "title" in given:
            # A title given on the command line is meant for every feed this build writes.
            given["per_language"] = {
                lang: {k: v for k, v in fields.items() if k != "title"}
                for lang, fields in self.per_language.items()
            }
        return dataclasses.replace(self, **given)  # type: ignore[arg-type]


def check_base_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or not (
        parts.netloc or parts.scheme == "file"
    ):
        raise InputError(
            f"{where}: base URL {url!r} must be absolute, like https://example.org/audio/"
        )


def check_image(image: str, folder: Path, where: str) -> str:
    """A URL as it is, or the absolute path of an existing PNG/JPEG file; else a clear error."""
    if urlsplit(image).scheme in ("http", "https"):
        if not image.lower().endswith((".png", ".jpg", ".jpeg")):
            raise InputError(f"{where}: image URL {image!r} must end in .png or .jpg")
        return image
    path = (folder / image).resolve()
    if not path.is_file():
        raise InputError(f"{where}: image {image!r} does not exist ({path}); fix the path")
    try:
        read_cover(path)
    except ImageError as problem:
        raise InputError(f"{where}: image {image!r} {problem}") from None
    return str(path)


def artwork_warning(settings: FeedSettings) -> str | None:
    """A warning when the feed's own image breaks Apple Podcasts' artwork rules (other apps
    show it all the same, so this is no error); an error if it no longer decodes."""
    if not settings.image or urlsplit(settings.image).scheme in ("http", "https"):
        return None
    try:
        advice = artwork_advice(read_cover(Path(settings.image)))
    except ImageError as problem:
        raise InputError(f"feed image {settings.image} {problem}") from None
    return f"warning: feed image {settings.image} {advice}" if advice else None


def find_settings_file(sources: list[Path]) -> Path | None:
    """`podcast.toml` in a source folder or beside a leaflet, the first found."""
    for source in sources:
        folder = source if source.is_dir() else source.parent
        for candidate in (folder / PODCAST_TOML, folder.parent / PODCAST_TOML):
            if candidate.is_file() and (
                candidate.parent == folder or (folder / "leaflet.toml").is_file()
            ):
                return candidate
    return None


def load_settings(path: Path | None) -> FeedSettings:
    if path is None:
        return FeedSettings()
    toml = TomlFile(path)
    toml.check_keys(_KEYS)
    feeds = toml.data.get("feeds", {})
    if not isinstance(feeds, dict):
        raise toml.fail("feeds", "must be tables like [feeds.da]")
    per_language: dict[str, dict[str, str]] = {}
    for lang, table in feeds.items():
        if not isinstance(table, dict):
            raise toml.fail("feeds", f"entry {lang!r} must be a table [feeds.{lang}]")
        toml.check_keys(_FEED_KEYS, table)
        per_language[str(lang)] = {k: str(v) for k, v in table.items()}
    base_url = toml.string("base_url")
    if base_url is not None:
        try:
            check_base_url(base_url, str(path))
        except InputError:
            raise toml.fail(
                "base_url", f"{base_url!r} must be absolute, like https://example.org/audio/"
            ) from None
    image = toml.string("image")
    if image is not None:
        try:
            image = check_image(image, path.parent, str(path))
        except InputError as exc:
            raise toml.fail("image", str(exc).split(": image ", 1)[1]) from None
    defaults = FeedSettings()
    return FeedSettings(
        title=toml.string("title") or defaults.title,
        description=toml.string("description") or defaults.description,
        base_url=base_url,
        link=toml.string("link"),
        author=toml.string("author"),
        owner_name=toml.string("owner_name"),
        owner_email=toml.string("owner_email"),
        category=toml.string("category") or defaults.category,
        subcategory=toml.string("subcategory", defaults.subcategory),
        explicit=toml.boolean("explicit", defaults.explicit),
        locked=toml.boolean("locked", defaults.locked),
        image=image,
        per_language=per_language,
        loudness=_loudness(toml),
    )


LOUDNESS_RANGE = (-31.0, -9.0)


def check_loudness(value: float, where: str) -> float:
    low, high = LOUDNESS_RANGE
    if not low <= value <= high:
        raise InputError(
            f"{where} {value:g} LUFS is out of range; use {low:g} to {high:g}, e.g. -16"
        )
    return float(value)


def _loudness(toml: TomlFile) -> float:
    value = toml.data.get("loudness", -16.0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise toml.fail("loudness", "must be a number of LUFS, e.g. -16")
    try:
        return check_loudness(float(value), "loudness")
    except InputError as exc:
        raise toml.fail("loudness", str(exc).removeprefix("loudness ")) from None


def load_speech_choices(path: Path | None) -> SpeechChoices:
    """The `[voices]`, `[speech]` and `[pauses]` a podcast.toml sets for every leaflet."""
    return SpeechChoices() if path is None else read_speech_choices(TomlFile(path))


def save_settings(output: Path, settings: FeedSettings) -> None:
    text = json.dumps(asdict(settings), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes(output / SAVED_SETTINGS, text.encode())


def _saved(path: Path) -> FeedSettings:
    """The settings a build recorded; a hand edit or an older version raises, meaning defaults."""
    loaded = FeedSettings(**json.loads(path.read_text(encoding="utf-8")))
    loudness: object = loaded.loudness
    if isinstance(loudness, bool) or not isinstance(loudness, int | float):
        raise TypeError("loudness must be a number")
    check_loudness(float(loudness), "saved loudness")
    return loaded


def resolve_settings(
    sources: list[Path], output: Path, config: Path | None, **overrides: object
) -> FeedSettings:
    """Feed settings for a build: the given or nearby podcast.toml, else those the output folder
    was last built with, else defaults; then the command-line overrides."""
    config = config or find_settings_file(sources)
    if config is not None:
        settings = load_settings(config)
    else:
        settings = FeedSettings()
        saved = output / SAVED_SETTINGS
        if saved.is_file():
            # From an incompatible version: defaults, and the build rewrites it.
            with contextlib.suppress(ValueError, TypeError, InputError):
                loaded = FeedSettings(**json.loads(saved.read_text(encoding="utf-8")))
                # A hand edit or an older version: a wrong value means defaults, not a crash.
                if isinstance(loaded.loudness, bool) or not isinstance(
                    loaded.loudness, int | float
                ):
                    raise TypeError("loudness")
                check_loudness(loaded.loudness, "saved loudness")
                settings = loaded
    return settings.with_overrides(**overrides)
