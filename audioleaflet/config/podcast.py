"""`podcast.toml`: the feed settings, the loudness target and the speech choices for every
leaflet beside it; overridden by command-line options."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from audioleaflet.config.audio import DEFAULT_TARGET, LoudnessTarget, check_loudness
from audioleaflet.config.speech import SPEECH_KEYS, SpeechChoices, read_speech_choices
from audioleaflet.config.toml_file import TomlFile
from audioleaflet.config.urls import check_email, normal_url
from audioleaflet.errors import InputError
from audioleaflet.images import ImageError, artwork_advice, read_cover
from audioleaflet.intake.tree import SourceTree, is_present, regular_file

PODCAST_TOML = "podcast.toml"
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

    def title_for(self, lang: str) -> str:
        return self.per_language.get(lang, {}).get("title", self.title)

    def description_for(self, lang: str) -> str:
        return self.per_language.get(lang, {}).get("description", self.description)

    def author_for(self, lang: str) -> str:
        """Who the feed in `lang` says it is by: its author, else its owner, else its title."""
        return self.author or self.owner_name or self.title_for(lang)

    def with_overrides(self, **overrides: object) -> FeedSettings:
        """These settings with every override that is not None applied."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if "base_url" in given:
            given["base_url"] = _option_url(str(given["base_url"]), "--base-url")
        if "owner_email" in given:
            given["owner_email"] = _option_email(str(given["owner_email"]))
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


@dataclass(frozen=True, slots=True)
class BuildSettings:
    """What `podcast.toml` (or a folder's saved settings, or the defaults) and the options over
    it give a build: the feed's settings, and the loudness every file is normalised to."""

    feed: FeedSettings = field(default_factory=FeedSettings)
    loudness: LoudnessTarget = DEFAULT_TARGET

    def with_overrides(self, loudness: object = None, **feed: object) -> BuildSettings:
        """These settings with every override that is not None applied."""
        target = self.loudness
        if loudness is not None:
            lufs = check_loudness(float(str(loudness)), "--loudness")
            target = dataclasses.replace(target, integrated_lufs=lufs)
        return BuildSettings(self.feed.with_overrides(**feed), target)


def _option_url(url: str, option: str) -> str:
    try:
        return normal_url(url)
    except ValueError as exc:
        raise InputError(f"{option} {url!r} {exc}") from None


def _option_email(address: str) -> str:
    try:
        return check_email(address)
    except ValueError as exc:
        raise InputError(f"--owner-email {address!r} {exc}") from None


def image_source(image: str, folder: Path, tree: SourceTree | None = None) -> str:
    """A URL made fit for a feed, or the absolute path of a PNG/JPEG file (inside `tree` when
    one is given); else `ValueError` saying what is wrong with it."""
    if urlsplit(image.strip()).scheme.lower() in ("http", "https"):
        url = normal_url(image)
        if not urlsplit(url).path.lower().endswith((".png", ".jpg", ".jpeg")):
            raise ValueError("must be a URL ending in .png or .jpg")
        return url
    path = folder / image
    if not is_present(path):
        raise ValueError(f"does not exist ({path.resolve()}); fix the path")
    problem = (tree or SourceTree(folder, follow=True)).problem(path, "a PNG or JPEG file")
    if problem:
        raise ValueError(problem)
    read_cover(path)  # ImageError, a ValueError, says what is wrong with it
    return str(path.resolve())


def check_image(image: str, folder: Path, where: str) -> str:
    """`image_source` for an image named on the command line, read as given."""
    try:
        return image_source(image, folder)
    except ValueError as exc:
        raise InputError(f"{where}: image {image!r} {exc}") from None


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
    """`podcast.toml` in a source folder or beside a leaflet, the first found.

    Anything by that name counts (a folder, a named pipe, a dangling link): `load_settings`
    refuses it in one line, where skipping it would publish without the settings unnoticed.
    """
    for source in sources:
        folder = source if source.is_dir() else source.parent
        for candidate in (folder / PODCAST_TOML, folder.parent / PODCAST_TOML):
            if is_present(candidate) and (
                candidate.parent == folder or (folder / "leaflet.toml").is_file()
            ):
                return candidate
    return None


def load_settings(
    path: Path | None,
    follow_symlinks: bool = False,
    warn: Callable[[str], None] = lambda _line: None,
) -> BuildSettings:
    """The feed settings and loudness in `path`; its image must be inside its folder unless
    `follow_symlinks`."""
    if path is None:
        return BuildSettings()
    toml = TomlFile(regular_file(path, "a TOML file"))
    if toml.notice:
        warn(toml.notice)
    toml.check_keys(_KEYS)
    feeds = toml.data.get("feeds", {})
    if not isinstance(feeds, dict):
        raise toml.fail("feeds", "must be tables like [feeds.da]")
    per_language: dict[str, dict[str, str]] = {}
    for lang, table in feeds.items():
        if not isinstance(table, dict):
            raise toml.fail("feeds", f"entry {lang!r} must be a table [feeds.{lang}]")
        toml.check_keys(_FEED_KEYS, table)
        for key, value in table.items():
            if not isinstance(value, str):
                problem = f'in [feeds.{lang}] must be text in quotes ({key} = "…")'
                raise toml.fail(key, problem, table=f"feeds.{lang}")
        per_language[str(lang)] = dict(table)
    image = toml.string("image")
    if image is not None:
        try:
            image = image_source(image, path.parent, SourceTree(path.parent, follow_symlinks))
        except ValueError as exc:
            raise toml.fail("image", f"{image!r} {exc}") from None
    defaults = FeedSettings()
    feed = FeedSettings(
        title=toml.string("title") or defaults.title,
        description=toml.string("description") or defaults.description,
        base_url=_checked(toml, "base_url", normal_url),
        link=_checked(toml, "link", normal_url),
        author=toml.string("author"),
        owner_name=toml.string("owner_name"),
        owner_email=_checked(toml, "owner_email", check_email),
        category=toml.string("category") or defaults.category,
        subcategory=toml.string("subcategory", defaults.subcategory),
        explicit=toml.boolean("explicit", defaults.explicit),
        locked=toml.boolean("locked", defaults.locked),
        image=image,
        per_language=per_language,
    )
    target = LoudnessTarget(integrated_lufs=_loudness(toml))
    return BuildSettings(feed, target)


def _checked(toml: TomlFile, key: str, check: Callable[[str], str]) -> str | None:
    """The text at `key` as `check` mends it; its complaint becomes an error naming the line."""
    value = toml.string(key)
    if value is None:
        return None
    try:
        return check(value)
    except ValueError as exc:
        raise toml.fail(key, f"{value!r} {exc}") from None


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
    if path is None:
        return SpeechChoices()
    return read_speech_choices(TomlFile(regular_file(path, "a TOML file")))
