"""The table `audioleaflet voices` prints: per language, every voice here, best first."""

from __future__ import annotations

from audioleaflet.engines import EngineOptions
from audioleaflet.languages import all_languages
from audioleaflet.voices.ranking import best_voice, installed_voices, measured_on, rank


def voice_table(options: EngineOptions, lang: str | None = None) -> list[str]:
    """Lines of the table, language by language, in the order a build would prefer them; the
    voice a build uses when none is chosen is marked `default`."""
    voices, unavailable = installed_voices(options)
    rows = [f"{'language':<22} {'voice':<34} {'network':<15} {'intelligibility':<16} default"]
    for tag, language in all_languages().items():
        if lang and tag != lang:
            continue
        default = best_voice(tag, options).voice
        label = f"{tag} {language.name}"
        for ranked in rank([v for v in voices if v.lang == tag]):
            voice = ranked.voice
            network = "needs internet" if not voice.offline else "offline"
            mark = "default" if voice == default else ""
            rows.append(
                f"{label:<22} {voice.label:<34} {network:<15} {ranked.figure:<16} {mark}".rstrip()
            )
            label = ""
    rows.append(f"(intelligibility: Whisper base word error rate, 0 = every word; {measured_on()})")
    rows += [f"(not usable: {line})" for line in unavailable]
    return rows
