"""The table `audioleaflet voices` prints: per language, every engine's voices here."""

from __future__ import annotations

from audioleaflet.engines import DEFAULT_ENGINE, EngineOptions, Voice, engine_names, get_engine
from audioleaflet.errors import LeafletError
from audioleaflet.languages import all_languages


def _engine_voices(options: EngineOptions) -> tuple[list[Voice], list[str]]:
    voices: list[Voice] = []
    unavailable: list[str] = []
    for name in engine_names():
        try:
            found = get_engine(name, options).voices()
        except LeafletError as exc:
            unavailable.append(f"{name}: {exc}")
            continue
        if not found:
            unavailable.append(f"{name}: no voices installed here")
        voices += found
    return voices, unavailable


def voice_table(options: EngineOptions, lang: str | None = None) -> list[str]:
    """Lines of the table, language by language; the default voice of each marked."""
    voices, unavailable = _engine_voices(options)
    languages = all_languages()
    rows = [f"{'language':<22} {'voice':<34} {'network':<15} default"]
    for tag, language in languages.items():
        if lang and tag != lang:
            continue
        default = get_engine(DEFAULT_ENGINE, options).default_voice(tag)
        label = f"{tag} {language.name}"
        for voice in sorted((v for v in voices if v.lang == tag), key=lambda v: v.label):
            network = "needs internet" if not voice.offline else "offline"
            mark = "default" if voice == default else ""
            rows.append(f"{label:<22} {voice.label:<34} {network:<15} {mark}".rstrip())
            label = ""
    rows += [f"(not usable: {line})" for line in unavailable]
    return rows
