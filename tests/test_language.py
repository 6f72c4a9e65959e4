"""Language stage: deterministic, case-proof, filters by language with a reason."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from textwash.document import Document
from textwash.language import LanguageOptions, LanguageStage, detect, detect_document, sample

ENGLISH = (
    "The bakery on the corner has been run by the same family for three generations, and "
    "on Saturday mornings the queue reaches the bus stop. Regulars say the bread is worth "
    "the wait, and the owners have no plans to change the recipe any time soon."
)
GERMAN = (
    "Die Bäckerei an der Ecke wird seit drei Generationen von derselben Familie geführt. "
    "Am Samstagmorgen reicht die Schlange bis zur Bushaltestelle, und die Stammkunden sagen, "
    "dass sich das Warten auf das Brot lohnt."
)
FRENCH = (
    "La boulangerie du coin est tenue par la même famille depuis trois générations. Le samedi "
    "matin, la file d'attente atteint l'arrêt de bus, et les habitués disent que le pain vaut "
    "bien l'attente."
)


def test_detects_language_and_probability() -> None:
    doc = LanguageStage().apply(Document.from_text(ENGLISH))
    assert doc.language == "en"
    assert 0.9 < doc.metadata["language_probability"] <= 1.0
    assert all(p.language is None for p in doc.paragraphs)


def test_deterministic_across_calls() -> None:
    text = ENGLISH[:60] + " " + GERMAN[:60]
    first = detect(text)
    assert all(detect(text) == first for _ in range(5))


def test_all_caps_does_not_flip_language() -> None:
    assert detect(ENGLISH.upper()).language == "en"
    doc = LanguageStage().apply(Document.from_text(ENGLISH.upper()))
    assert doc.language == "en"


def test_keep_languages_drops_with_reason() -> None:
    stage = LanguageStage(keep_languages=("en", "de"))
    assert not stage.apply(Document.from_text(GERMAN)).dropped
    doc = stage.apply(Document.from_text(FRENCH))
    assert doc.dropped
    assert doc.drop_reason == "language: fr not in en,de"


def test_mixed_document_gets_paragraph_languages() -> None:
    text = "\n\n".join([ENGLISH, FRENCH, ENGLISH, FRENCH, GERMAN])
    options = LanguageOptions(mixed_below=0.999999, confident=0.9999999)
    found, mixed = detect_document(text, options)
    assert found is not None and mixed
    doc = LanguageStage(options).apply(Document.from_text(text))
    assert [p.language for p in doc.paragraphs] == ["en", "fr", "en", "fr", "de"]


def test_no_letters_means_no_language_and_no_drop() -> None:
    doc = LanguageStage(keep_languages=("en",)).apply(Document.from_text("12345 67 89"))
    assert doc.language is None and not doc.dropped


def test_sample_is_bounded_and_spread() -> None:
    text = " ".join(["alpha"] * 500 + ["omega"] * 500)
    piece = sample(text, 600)
    assert len(piece) <= 600 and "alpha" in piece and "omega" in piece


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_is_deterministic(text: str) -> None:
    first = detect_document(text, LanguageOptions())
    assert detect_document(text, LanguageOptions()) == first


def test_english_shortcut_takes_english_only() -> None:
    from textwash.language import english_shortcut

    assert english_shortcut([ENGLISH], 0.12)
    assert not english_shortcut([GERMAN], 0.12)
    assert not english_shortcut([FRENCH], 0.12)
    assert not english_shortcut([ENGLISH, GERMAN], 0.12)  # every window must be English
    found, mixed = detect_document(ENGLISH, LanguageOptions())
    assert found is not None and found.language == "en" and not mixed


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "Zs", "P")), min_size=1, max_size=200))
def test_our_detector_gives_langdetect_s_own_probabilities(text: str) -> None:
    # _Detector re-codes langdetect 1.0.9's two hot loops: same arithmetic, same draws
    from textwash.language import _Detector, _factory

    def probabilities(detector: Detector) -> list[tuple[str, float]] | str:
        detector.append(text)
        try:
            return [(p.lang, p.prob) for p in detector.get_probabilities()]
        except LangDetectException as error:  # langdetect refuses text without features
            return type(error).__name__

    assert probabilities(_Detector(_factory())) == probabilities(_factory().create())


def test_our_detector_matches_langdetect_on_real_languages() -> None:
    from textwash.language import _Detector, _factory

    for text in (
        "The council met on Tuesday to discuss the new budget for the libraries.",
        "Der Stadtrat hat am Dienstag den neuen Haushalt für die Bibliotheken beschlossen.",
        "Городской совет утвердил новый бюджет после долгих дебатов во вторник.",
        "Le conseil municipal a adopté le nouveau budget des bibliothèques mardi soir.",
    ):
        ours, theirs = _Detector(_factory()), _factory().create()
        ours.append(text)
        theirs.append(text)
        assert [(p.lang, p.prob) for p in ours.get_probabilities()] == [
            (p.lang, p.prob) for p in theirs.get_probabilities()
        ]
