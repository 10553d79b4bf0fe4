"""espeak-ng speaks the 200th sentence of a worker exactly as it speaks the first.

Setting the rate, pitch and volume in the long-lived process left state behind in espeak-ng:
after about 166 sentences every later one from that worker came out cut short (a third of a
long sentence; a short word as silence), which lost words in every long build.
"""

from __future__ import annotations

from audioleaflet.engines import SpeechSettings
from audioleaflet.engines.espeak import EspeakEngine


def test_the_200th_sentence_sounds_like_the_first() -> None:
    engine = EspeakEngine()
    voice = engine.default_voice("da")
    settings = SpeechSettings(rate=1.1)
    first = engine.synthesize("elleve tabletter", voice, settings).pcm
    for _ in range(200):
        engine.synthesize("elleve", voice, settings)
    assert engine.synthesize("elleve tabletter", voice, settings).pcm == first
