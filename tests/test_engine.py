"""The espeak-ng engine, for real: every supported language speaks, settings change the sound."""

from __future__ import annotations

import math
from array import array

import pytest

from audioleaflet.engines import SpeechSettings, get_engine
from audioleaflet.errors import LanguageError
from audioleaflet.languages import all_languages, get_language

PLAIN = SpeechSettings()
SAMPLES = {
    "da": "Tag en tablet to gange dagligt.",
    "de": "Nehmen Sie zweimal täglich eine Tablette.",
    "en": "Take one tablet twice a day.",
    "es": "Tome un comprimido dos veces al día.",
    "fr": "Prenez un comprimé deux fois par jour.",
    "it": "Prenda una compressa due volte al giorno.",
    "nb": "Ta en tablett to ganger daglig.",
    "nl": "Neem twee keer per dag een tablet.",
    "pl": "Przyjmować jedną tabletkę dwa razy dziennie.",
    "pt": "Tome um comprimido duas vezes por dia.",
    "sv": "Ta en tablett två gånger dagligen.",
}


def test_every_supported_language_has_a_sample() -> None:
    assert set(SAMPLES) == set(all_languages())


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_speaks(lang: str) -> None:
    engine = get_engine("espeak")
    speech = engine.synthesize(SAMPLES[lang], engine.default_voice(lang), PLAIN)
    assert speech.sample_rate == 22050
    samples = array("h")
    samples.frombytes(speech.pcm)
    seconds = len(samples) / speech.sample_rate
    words = len(SAMPLES[lang].split())
    # Plausible speaking rate: between 1 and 6 words a second.
    assert words / 6 < seconds < words / 1 + 1
    rms = math.sqrt(sum(s * s for s in samples[::5]) / len(samples[::5]))
    assert 20 * math.log10(rms / 32768) > -40


def test_unsupported_language_is_refused_clearly() -> None:
    with pytest.raises(LanguageError, match=r"'tlh' is not supported; supported languages: da"):
        get_language("tlh")


def test_regional_tags_fall_back_to_the_language() -> None:
    assert get_language("en-GB").tag == "en"
    assert get_language("da_DK").tag == "da"


def test_same_sentence_same_samples_whatever_was_said_before() -> None:
    engine = get_engine("espeak")
    english = engine.default_voice("en")
    first = engine.synthesize(SAMPLES["en"], english, PLAIN).pcm
    assert engine.synthesize(SAMPLES["en"], english, PLAIN).pcm == first
    engine.synthesize(SAMPLES["da"], engine.default_voice("da"), PLAIN)
    assert engine.synthesize(SAMPLES["en"], english, PLAIN).pcm == first


def test_espeak_pitch_changes_the_sound_but_not_the_length() -> None:
    engine = get_engine("espeak")
    voice = engine.default_voice("en")
    plain = engine.synthesize(SAMPLES["en"], voice, PLAIN).pcm
    higher = engine.synthesize(SAMPLES["en"], voice, SpeechSettings(pitch=1.5)).pcm
    assert higher != plain
    assert abs(len(higher) - len(plain)) < len(plain) * 0.05
