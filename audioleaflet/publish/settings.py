"""Feed settings: `podcast.toml` beside the leaflets, overridden by command-line options."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from audioleaflet.atomic import write_bytes
from audioleaflet.errors import InputError
from audioleaflet.images import ImageError, artwork_advice, read_cover
from audioleaflet.intake.characters import clean_data
from audioleaflet.intake.tree import SourceTree, is_present, regular_file
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
            given["base_url"] = _option_url(str(given["base_url"]), "--base-url")
        if "owner_email" in given:
            given["owner_email"] = _option_email(str(given["owner_email"]))
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


URL_EXAMPLE = "https://example.org/audio/"
EMAIL_EXAMPLE = "leaflets@example.org"
# Characters a URL path may hold as they are (RFC 3986 pchar and "/"), less the quote, which
# feeds and the HTML pages that embed them trip over; everything else is percent-encoded.
_PATH_SAFE = "/%!$&()*+,;=:@-._~"
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?)+$|^\[[0-9A-Fa-f:.]+\]$")
# The HTML standard's "valid e-mail address": what a mail client accepts in practice.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def normal_url(url: str) -> str:
    """`url` as an absolute http(s) address a feed can carry: a space, quote or letter outside
    ASCII in the path is percent-encoded and a non-ASCII host name IDNA-encoded; a URL that
    cannot be mended raises `ValueError` saying what is wrong with it."""
    text = url.strip()
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValueError(f"has a control character in it; write it on one line, like {URL_EXAMPLE}")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"must be an absolute address starting https://, like {URL_EXAMPLE}")
    if "@" in parts.netloc:
        raise ValueError("must not hold a user name or password: the feed is public")
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        host = ""
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has a port that is not a number from 0 to 65535") from None
    if not host or not _HOST.match(host if ":" not in host else f"[{host}]"):
        raise ValueError(
            f"has no usable host name (spaces, quotes and other signs cannot be in one); "
            f"write it like {URL_EXAMPLE}"
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValueError(
            f"must not have a ?query or #fragment: file names are added to it; like {URL_EXAMPLE}"
        )
    netloc = f"[{host}]" if ":" in host else host.lower()
    if port is not None:
        netloc += f":{port}"
    # A lone "%" is a percent sign, not the start of an escape.
    path = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", parts.path)
    return urlunsplit((scheme, netloc, quote(path, safe=_PATH_SAFE), "", ""))


def _option_url(url: str, option: str) -> str:
    try:
        return normal_url(url)
    except ValueError as exc:
        raise InputError(f"{option} {url!r} {exc}") from None


def check_email(address: str) -> str:
    """`address` without surrounding spaces, if it is an e-mail address; else `ValueError`."""
    text = address.strip()
    if not _EMAIL.match(text):
        raise ValueError(f"is not an e-mail address; write it like {EMAIL_EXAMPLE}")
    return text


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
    """`podcast.toml` in a source folder or beside a leaflet, the first found."""
    for source in sources:
        folder = source if source.is_dir() else source.parent
        for candidate in (folder / PODCAST_TOML, folder.parent / PODCAST_TOML):
            if candidate.is_file() and (
                candidate.parent == folder or (folder / "leaflet.toml").is_file()
            ):
                return candidate
    return None


def load_settings(
    path: Path | None,
    follow_symlinks: bool = False,
    warn: Callable[[str], None] = lambda _line: None,
) -> FeedSettings:
    """The settings in `path`; its image must be inside its folder unless `follow_symlinks`."""
    if path is None:
        return FeedSettings()
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
        per_language[str(lang)] = {k: str(v) for k, v in table.items()}
    image = toml.string("image")
    if image is not None:
        try:
            image = image_source(image, path.parent, SourceTree(path.parent, follow_symlinks))
        except ValueError as exc:
            raise toml.fail("image", f"{image!r} {exc}") from None
    defaults = FeedSettings()
    return FeedSettings(
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
        loudness=_loudness(toml),
    )


def _checked(toml: TomlFile, key: str, check: Callable[[str], str]) -> str | None:
    """The text at `key` as `check` mends it; its complaint becomes an error naming the line."""
    value = toml.string(key)
    if value is None:
        return None
    try:
        return check(value)
    except ValueError as exc:
        raise toml.fail(key, f"{value!r} {exc}") from None


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
    if path is None:
        return SpeechChoices()
    return read_speech_choices(TomlFile(regular_file(path, "a TOML file")))


def save_settings(output: Path, settings: FeedSettings) -> None:
    text = json.dumps(asdict(settings), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes(output / SAVED_SETTINGS, text.encode())


_SAVED_TYPES: dict[str, type | tuple[type, ...]] = {
    "explicit": bool,
    "locked": bool,
    "per_language": dict,
    "loudness": (int, float),
}


def _saved(path: Path) -> tuple[FeedSettings, list[str]]:
    """The settings a build recorded, checked as podcast.toml's are, and what of them was
    dropped. A hand edit or another version raises (`ValueError`, `TypeError`, `InputError`,
    `OSError`), meaning defaults."""
    recorded = json.loads(regular_file(path, "a JSON file").read_text("utf-8"))
    # Cleaned as any text entering the build: a hand edit could add a control character.
    loaded = FeedSettings(**clean_data(recorded).data)
    for name, value in asdict(loaded).items():
        wrong = not isinstance(value, _SAVED_TYPES.get(name, str)) or (
            name == "loudness" and isinstance(value, bool)
        )
        if value is not None and wrong:
            raise TypeError(f"{name} has the wrong type")
    check_loudness(float(loaded.loudness), "saved loudness")
    for table in loaded.per_language.values():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise TypeError("per_language must hold texts")
    loaded = dataclasses.replace(
        loaded,
        base_url=loaded.base_url and normal_url(loaded.base_url),
        link=loaded.link and normal_url(loaded.link),
        owner_email=loaded.owner_email and check_email(loaded.owner_email),
    )
    image = loaded.image
    if image and urlsplit(image).scheme not in ("http", "https") and not is_present(Path(image)):
        # The cover moved since: the default cover, and every other setting kept.
        note = f"its image {image} no longer exists; the feeds get the default cover"
        return dataclasses.replace(loaded, image=None), [note]
    return dataclasses.replace(loaded, image=image and image_source(image, path.parent)), []


def resolve_settings(
    sources: list[Path],
    output: Path,
    config: Path | None,
    follow_symlinks: bool = False,
    warn: Callable[[str], None] = lambda _line: None,
    **overrides: object,
) -> FeedSettings:
    """Feed settings for a build: the given or nearby podcast.toml, else those the output folder
    was last built with, else defaults; then the command-line overrides.

    A podcast.toml found beside the sources (not named by `config`) must be inside its folder,
    like its image, unless `follow_symlinks`. Saved settings that cannot be used (a hand edit,
    another version) are a `warn`ing naming the file, and the defaults are used; the build then
    saves the settings it used.
    """
    found = config or find_settings_file(sources)
    if found is not None:
        if config is None:
            SourceTree(found.parent, follow_symlinks).inside(found)
        settings = load_settings(found, follow_symlinks, warn)
    else:
        settings = FeedSettings()
        saved = output / SAVED_SETTINGS
        if is_present(saved):
            try:
                settings, notes = _saved(saved)
            except (ValueError, TypeError, InputError, OSError) as exc:
                warn(
                    f"{saved}: unusable ({exc}); the feeds get the default settings, or put a "
                    f"{PODCAST_TOML} beside the leaflets"
                )
            else:
                for note in notes:
                    warn(f"{saved}: {note}")
    return settings.with_overrides(**overrides)
