"""Tests for the casing stage: fixtures for each kind of damage and each thing it must leave
alone, the edit log, and properties (only letter case changes, idempotence, lowercase words)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import textwash
from textwash.casing import CasingStage, load_lexicon, recase
from textwash.document import Document
from textwash.registry import STAGES
from textwash.stage import shared_words

FIXTURES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "casing" / "cases.json").read_text("utf-8")
)


def run(text: str, **options: object) -> Document:
    return CasingStage(**options).apply(Document.from_text(text))


@pytest.mark.parametrize("case", FIXTURES, ids=[c["name"] for c in FIXTURES])
def test_fixture(case: dict) -> None:
    doc = run(case["input"])
    assert doc.text == case["expected"]
    assert sorted({e.rule for e in doc.edits}) == case["rules"]
    if case["name"].startswith("keep_"):
        assert doc.text == case["input"] and not doc.edits


def test_registered_after_encoding() -> None:
    names = list(STAGES)
    assert names.index("casing") > names.index("encoding")


def test_each_fix_is_one_logged_edit_with_evidence() -> None:
    text = "The panel Said on Monday that it met Olaf Brandtner.\n\nLater, brandtner left."
    doc = run(text)
    assert [(e.rule, e.before, e.after, e.paragraph) for e in doc.edits] == [
        ("common_upper", "Said", "said", 0),
        ("name_lower", "brandtner", "Brandtner", 1),
    ]
    assert all(e.evidence and e.action == "replace" for e in doc.edits)
    assert all("casing_damage" in p.flags for p in doc.paragraphs)


def test_rejected_span_fix_never_doubles_text() -> None:
    """A span fix that overlaps an earlier fix is dropped, not applied on top of it."""
    text = (
        "Grab it today at The Cheapest cost. Grab it at The Cheapest cost.\n\n"
        "Buy the kettle now for The cheapest cost ever, and the mugs too."
    )
    out = textwash.clean(text, stages=["casing"])
    assert out.lower() == text.lower()


def test_annotate_only_records_without_rewriting() -> None:
    text = "The committee Said on Tuesday that the old bridge was safe to use."
    doc = run(text, annotate_only=True)
    assert doc.text == text
    assert [(e.rule, e.applied) for e in doc.edits] == [("common_upper", False)]
    assert doc.paragraphs[0].flags == ["casing_damage"]


def test_known_forms_option() -> None:
    text = "the team shipped the new wizzbang app to every user of the service last friday."
    doc = run(text, known_forms=("WizzBang",))
    assert "WizzBang" in doc.text and "Friday" in doc.text


def test_corpus_evidence_is_opt_in() -> None:
    first = "Reporters met Olaf Brandtner in the morning, and Brandtner smiled."
    second = "The crowd waited while brandtner spoke to the press."
    stage = CasingStage(corpus_evidence=True)
    stage.apply(Document.from_text(first))
    assert "Brandtner spoke" in stage.apply(Document.from_text(second)).text
    assert run(second).text == second


def test_recase_never_changes_non_bijective_letters() -> None:
    assert recase("straße", "STRASS") == "STRAße"
    assert recase("İstanbul", "istanbul") == "İstanbul"
    assert recase("ΟΔΟΣ", "οδος") == "οδοΣ"


def test_lexicon_loads_cased_shares() -> None:
    lexicon = load_lexicon()
    assert len(lexicon) > 100_000
    friday, said = lexicon.get("friday"), lexicon.get("said")
    assert friday is not None and friday.cap > 0.5
    assert said is not None and said.lower > 0.9


def test_caches_keep_only_lexicon_words() -> None:
    """Invented words must not pile up in the process-wide lexicon's caches or in a
    long-lived stage's: a pipeline cleaning lowercase text would leak memory. What the
    caches gain (after a first document has loaded what every document needs) are
    lexicon words, a few per document (affix stems), not one per invented word."""
    rng = random.Random(7)
    lexicon, stage = load_lexicon(), CasingStage()
    stage.apply(Document.from_text("the plorvak said that it was."))
    caches = (lexicon.not_lowercase(), lexicon._parsed, stage._lexicon_forms)
    before = [set(cache) for cache in caches]
    for _ in range(40):
        words = ["".join(rng.choices("bdfgklmnprstvz", k=rng.randint(5, 9))) for _ in range(30)]
        stage.apply(Document.from_text(" ".join(f"the {w} said that it was" for w in words)))
    for cache, old in zip(caches, before, strict=True):
        new = set(cache) - old
        assert all(word in lexicon for word in new)
        assert len(new) < 100  # of 1,200 invented words


# --- properties -------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "the",
        "The",
        "THE",
        "said",
        "Said",
        "paris",
        "Paris",
        "PARIS",
        "ß",
        "straße",
        "İzmir",
        "ΟΔΟΣ",
        "σοφία",
        "iPhone",
        "eBay",
        "us",
        "US",
        "if",
        "If",
        "nato",
        "NATO",
        "friday",
        "x",
        "I",
        "i",
        "de",
        "Gaulle",
        "well",
        "Well",
        "http://a.b/C",
        "#Tag",
        "über",
        "Über",
    ]
)
_SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", ": ", " “", "” ", "\n", "\n\n", "'"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=30))
    seps = draw(st.lists(_SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip()


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(texts())
def test_only_letter_case_changes(text: str) -> None:
    out = textwash.clean(text, stages=["casing"])
    assert out.lower() == text.lower()
    assert len(out) == len(text)


@_SETTINGS
@given(st.text(min_size=1, max_size=200))
def test_only_letter_case_changes_any_text(text: str) -> None:
    doc = Document.from_text(text)
    before = doc.text
    assert CasingStage().apply(doc).text.lower() == before.lower()


@_SETTINGS
@given(texts())
def test_idempotent(text: str) -> None:
    once = textwash.clean(text, stages=["casing"])
    assert textwash.clean(once, stages=["casing"]) == once


def _always_lowercase_words() -> list[str]:
    """Frequent words that are always lowercase; abbreviations ("etc.") are left out, as a
    sentence may go on after them in lowercase."""
    lexicon = load_lexicon()
    abbreviations = shared_words("abbreviations.txt")
    words = []
    for word in lexicon:
        entry = lexicon.get(word)
        if (
            entry
            and entry.zipf >= 4.5
            and entry.lower >= 0.97
            and word.isascii()
            and word not in abbreviations
        ):
            words.append(word)
        if len(words) >= 300:
            break
    return words


@_SETTINGS
@given(st.data())
def test_lowercase_words_change_only_at_sentence_starts(data: st.DataObject) -> None:
    vocabulary = _always_lowercase_words()
    sentences = data.draw(
        st.lists(
            st.lists(st.sampled_from(vocabulary), min_size=2, max_size=12),
            min_size=1,
            max_size=5,
        )
    )
    text = " ".join(" ".join(words) + "." for words in sentences)
    expected = " ".join(
        (" ".join(words) + ".")[0].upper() + (" ".join(words) + ".")[1:] for words in sentences
    )
    assert textwash.clean(text, stages=["casing"]) in (text, expected)


def test_a_name_opening_with_a_function_word_keeps_its_capital_in_a_truecased_paragraph() -> None:
    text = (
        "Staff at Via Rail said the trains would run late.\n\n"
        "a spokesperson for via rail said the delays would end soon and that via rail "
        "would refund every ticket."
    )
    assert run(text).text.split("\n\n")[1] == (
        "A spokesperson for Via Rail said the delays would end soon and that Via Rail "
        "would refund every ticket."
    )


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (  # the capital of "Via Rail" is not evidence for "via Instagram"
            "Commuters waited after a signal failure, and Via Rail apologised.\n\n"
            "the minister answered questions via instagram and via rail refunded tickets.",
            "The minister answered questions via Instagram and Via Rail refunded tickets.",
        ),
        (  # "The Who" lowercased in full, not half
            "Roger Daltrey of The Who spoke on Friday. The Who will tour in May.\n\n"
            "fans of the who, who waited for hours, cheered at the gates.",
            "Fans of the who, who waited for hours, cheered at the gates.",
        ),
    ],
)
def test_a_function_word_capital_is_kept_only_at_the_head_of_a_name(
    document: str, expected: str
) -> None:
    assert run(document).text.split("\n\n")[1] == expected
