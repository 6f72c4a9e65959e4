"""Artifacts stage: one trigger per feature, clean text scores low, properties of the score."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textwash
from textwash.artifacts import (
    FULL_EVIDENCE_WORDS,
    ArtifactsStage,
    _Doc,
    _plain,
    _tokens,
    evidence_share,
    measure,
    score_paragraph,
    score_paragraphs,
    tables,
    title_key,
)
from textwash.casing import CasingStage
from textwash.document import Document, Edit
from textwash.stage import ConfigError, shared_words

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "artifacts"
TRIGGERS: dict[str, str] = json.loads((FIXTURES / "triggers.json").read_text(encoding="utf-8"))
CLEAN = [
    p.strip()
    for p in (FIXTURES / "clean.txt").read_text(encoding="utf-8").split("\n\n")
    if p.strip()
]
#: One invented machine-translated document: three paragraphs with visible artifacts and
#: a last one that is fluent on its own.
MT_DOCUMENT = [
    p.strip()
    for p in (FIXTURES / "mt_document.txt").read_text(encoding="utf-8").split("\n\n")
    if p.strip()
]


@pytest.mark.parametrize("feature", sorted(TRIGGERS))
def test_each_trigger_fires_its_feature(feature: str) -> None:
    measured = measure(TRIGGERS[feature], tables())
    assert measured.values[feature] >= 1
    assert any(f.feature == feature for f in measured.findings)


@pytest.mark.parametrize("text", CLEAN)
def test_clean_native_paragraphs_fire_no_visible_artifact(text: str) -> None:
    measured = measure(text, tables())
    visible = {"repeated_ngram", "fragment", "stray_capital", "foreign_script", "untranslated_word"}
    assert not [f for f in measured.findings if f.feature in visible]


def test_loanwords_and_accented_names_are_not_untranslated() -> None:
    text = (
        "Over a café crème, the naïve résumé of Señor Dräger's rôle at the Åland office "
        "was read aloud; nobody had seen such déjà vu since the soirée in Zürich."
    )
    assert not [f for f in measure(text, tables()).findings if f.feature == "untranslated_word"]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_native_paragraphs_score_below_half(text: str) -> None:
    assert score_paragraph(text)[0] < 0.45


def test_visible_artifacts_score_above_half_and_above_clean_text() -> None:
    clean = max(score_paragraph(t)[0] for t in CLEAN)
    for feature in ("repeated_ngram", "fragment", "stray_capital"):
        score = score_paragraph(TRIGGERS[feature])[0]
        assert score > 0.5 and score > clean, feature


def test_prior_moves_the_threshold_not_the_ranking() -> None:
    texts = [*CLEAN, *TRIGGERS.values()]
    low = [score_paragraph(t, prior=0.05)[0] for t in texts]
    high = [score_paragraph(t, prior=0.5)[0] for t in texts]
    assert sorted(range(len(texts)), key=low.__getitem__) == sorted(
        range(len(texts)), key=high.__getitem__
    )
    assert all(a < b for a, b in zip(low, high, strict=True))


def test_reason_carries_evidence_and_span() -> None:
    text = TRIGGERS["repeated_ngram"]
    _, reasons = score_paragraph(text)
    reason = next(r for r in reasons if r["feature"] == "repeated_ngram")
    start, end = reason["span"][0]
    assert text[start:end] == reason["evidence"][0] == "if we If we"
    assert reason["weight"] > 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab’'-—/.,(“” \n2é", max_size=40), min_size=1, max_size=3))
def test_word_offsets_point_at_the_words(texts: list[str]) -> None:
    # Evidence spans come from these offsets: each must hold its word, in every paragraph.
    words, _, bounds = _tokens(texts)
    doc = _Doc(texts, words, bounds)
    for k in range(len(texts)):
        plain = _plain(doc.text)
        placed = [plain[a:b] for a, b in doc.spans(k)]
        assert placed == words[bounds[k] : bounds[k + 1]]


def test_casing_edits_count_as_evidence() -> None:
    text = "The mayor said the bridge would be rebuilt before the end of the year."
    edit = Edit("casing", "common_upper", "replace", "Said", "said", paragraph=0)
    assert score_paragraph(text, [edit])[0] > score_paragraph(text)[0]


def test_stage_sets_scores_metadata_and_drops_with_reasons() -> None:
    text = "\n\n".join([CLEAN[0], TRIGGERS["fragment"], CLEAN[1]])
    doc = ArtifactsStage().apply(Document.from_text(text))
    scores = [p.artifact_score for p in doc.paragraphs]
    assert all(s is not None and 0 <= s <= 1 for s in scores)
    assert doc.metadata["artifact_max"] == max(scores)
    assert min(scores) <= doc.metadata["artifact_mean"] <= max(scores)
    assert len(doc.paragraphs) == 3  # dropping is off by default

    doc = ArtifactsStage(drop_paragraph_above=0.7).apply(Document.from_text(text))
    assert [p.index for p in doc.paragraphs] == [0, 2]
    removed = [e for e in doc.edits if e.action == "remove"]
    assert len(removed) == 1 and "fragment" in removed[0].evidence

    doc = ArtifactsStage(drop_document_above=0.0).apply(Document.from_text(text))
    assert doc.dropped and doc.drop_reason.startswith("artifacts:")


def test_annotate_only_keeps_paragraphs() -> None:
    text = "\n\n".join([CLEAN[0], TRIGGERS["fragment"]])
    stage = ArtifactsStage(drop_paragraph_above=0.7, annotate_only=True)
    doc = stage.apply(Document.from_text(text))
    assert len(doc.paragraphs) == 2
    assert any(e.action == "remove" and not e.applied for e in doc.edits)


def test_default_pipeline_scores_paragraphs() -> None:
    doc = textwash.analyze(CLEAN[0])
    assert doc.language == "en"
    assert doc.paragraphs[0].artifact_score is not None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_score_in_unit_interval_and_never_raises(text: str) -> None:
    score, reasons = score_paragraph(text)
    assert 0.0 <= score <= 1.0
    assert score_paragraph(text) == (score, reasons)


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(CLEAN + list(TRIGGERS.values())),
    st.lists(st.sampled_from(CLEAN), max_size=3),
    st.integers(min_value=0, max_value=3),
)
def test_without_pooling_score_independent_of_position_and_neighbours(
    paragraph: str, others: list[str], position: int
) -> None:
    stage = ArtifactsStage(document_blend=0.0)
    alone = stage.apply(Document.from_text(paragraph)).paragraphs[0]
    parts = list(others)
    position = min(position, len(parts))
    parts.insert(position, paragraph)
    doc = stage.apply(Document.from_text("\n\n".join(parts), id="other"))
    placed = doc.paragraphs[position]
    assert placed.text == paragraph
    assert placed.artifact_score == alone.artifact_score


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(CLEAN + MT_DOCUMENT), min_size=1, max_size=4),
    st.lists(st.sampled_from(CLEAN + MT_DOCUMENT), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
)
def test_pooled_score_depends_on_own_document_only_not_order_or_other_documents(
    parts: list[str], other: list[str], rng: random.Random
) -> None:
    """With pooling a paragraph's score depends on the other paragraphs of its own document,
    but not on their order, its position, or any other document the stage has seen."""
    stage = ArtifactsStage()
    first = stage.apply(Document.from_text("\n\n".join(parts)))
    stage.apply(Document.from_text("\n\n".join(other), id="other"))
    shuffled = list(range(len(parts)))
    rng.shuffle(shuffled)
    again = stage.apply(Document.from_text("\n\n".join(parts[i] for i in shuffled)))
    before = [p.artifact_score for p in first.paragraphs]
    assert [p.artifact_score for p in again.paragraphs] == [before[i] for i in shuffled]
    assert all(0.0 <= s <= 1.0 for s in before)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=5))
def test_pooled_scores_in_unit_interval_and_never_raise(parts: list[str]) -> None:
    doc = ArtifactsStage().apply(Document.from_text("\n\n".join(parts)))
    assert all(0.0 <= (p.artifact_score or 0.0) <= 1.0 for p in doc.paragraphs)


def test_pooling_lifts_a_fluent_paragraph_of_an_mt_document() -> None:
    fluent = MT_DOCUMENT[-1]
    alone = ArtifactsStage().apply(Document.from_text(fluent)).paragraphs[0].artifact_score
    doc = ArtifactsStage().apply(Document.from_text("\n\n".join(MT_DOCUMENT)))
    para = doc.paragraphs[-1]
    assert alone < 0.5 < para.artifact_score
    assert para.artifact_score < max(p.artifact_score for p in doc.paragraphs)
    reason = next(r for r in para.artifact_reasons if r["feature"] == "document")
    assert reason["weight"] > 0
    assert reason["evidence"][0].endswith(f"of {len(MT_DOCUMENT)} paragraphs")


def test_pooling_keeps_a_clean_native_document_low() -> None:
    doc = ArtifactsStage().apply(Document.from_text("\n\n".join(CLEAN)))
    assert max(p.artifact_score for p in doc.paragraphs) < 0.45
    pulls = [r for p in doc.paragraphs for r in p.artifact_reasons if r["feature"] == "document"]
    assert all(abs(r["weight"]) >= 0.25 for r in pulls)  # a pull is a reason only when it counts


def test_garbled_paragraphs_do_not_get_their_clean_siblings_dropped() -> None:
    """Pooling clips each paragraph's weight in the document mean: two garbled paragraphs
    raise their siblings' scores a little, never over a drop threshold."""
    garbled = "if we If we do not not act now now, Then the the town Will suffer. Change."
    text = "\n\n".join([*CLEAN[:2], garbled, garbled])
    doc = ArtifactsStage(drop_paragraph_above=0.9).apply(Document.from_text(text))
    kept = [p.text for p in doc.paragraphs]
    assert kept == list(CLEAN[:2])


@pytest.mark.parametrize("text", [CLEAN[0], MT_DOCUMENT[-1], TRIGGERS["fragment"]])
def test_pooling_leaves_single_paragraph_documents_unchanged(text: str) -> None:
    pooled = ArtifactsStage().apply(Document.from_text(text)).paragraphs[0]
    alone = ArtifactsStage(document_blend=0.0).apply(Document.from_text(text)).paragraphs[0]
    assert (pooled.artifact_score, pooled.artifact_reasons) == (
        alone.artifact_score,
        alone.artifact_reasons,
    )


def test_pooling_blend_is_checked() -> None:
    with pytest.raises(ConfigError):
        ArtifactsStage(document_blend=1.5)


def test_paragraphs_without_words_score_zero_and_do_not_break_the_batch():
    doc = textwash.analyze(
        "12345\n\n!!!\n\nThe river rose by two metres overnight.", stages=["artifacts"]
    )
    scores = [p.artifact_score for p in doc.paragraphs]
    assert scores[:2] == [0.0, 0.0]
    alone = textwash.analyze("The river rose by two metres overnight.", stages=["artifacts"])
    assert scores[2] == alone.paragraphs[0].artifact_score


def test_lexical_feature_is_word_weights_over_root_length() -> None:
    t = replace(tables(), lexical={"moreover": 2.0, "ought": -1.0})
    words = "Moreover the plan ought to work, moreover it is cheap."
    measured = measure(words, t)
    n = len(measured.words)
    assert measured.values["lexical"] == pytest.approx((2.0 + 2.0 - 1.0) / math.sqrt(n))
    assert measure("The plan is cheap.", t).values["lexical"] == 0.0


def test_lexical_reason_names_the_words_that_pull_towards_mt() -> None:
    t = replace(tables(), lexical={"moreover": 9.0, "furthermore": 6.0, "plan": -3.0})
    text = "Moreover, the plan works; furthermore, moreover it is cheap to run every day."
    _, reasons = score_paragraph(text, t=t)
    reason = next(r for r in reasons if r["feature"] == "lexical")
    assert reason["evidence"] == ["moreover", "furthermore"]
    assert reason["weight"] > 0


def test_shipped_word_weights_keep_clean_text_low_and_are_modest() -> None:
    weights = tables().lexical
    assert 1000 < len(weights) < 20000  # a compact table, not a memorised corpus
    for text in CLEAN:
        assert measure(text, tables()).values["lexical"] < 1.5


def test_punctuation_marks_count_in_both_typings() -> None:
    t = replace(tables(), lexical={";": 1.0, '"': 0.5})
    straight = 'He said "no"; she said "yes"; they left.'
    typeset = "He said “no”; she said “yes”; they left."
    n = len(measure(straight, t).words)
    expected = (2 * 1.0 + 4 * 0.5) / math.sqrt(n)
    assert measure(straight, t).values["lexical"] == pytest.approx(expected)
    assert measure(typeset, t).values["lexical"] == pytest.approx(expected)


def test_title_case_words_add_their_own_weight() -> None:
    t = replace(tables(), lexical={"minister": 1.0, "^minister": 2.0})
    titled = measure("The Minister spoke to the minister of MINISTERS.", t)
    n = len(titled.words)
    # "Minister" gets both weights, "minister" its word weight; other casings neither.
    assert titled.values["lexical"] == pytest.approx((1.0 + 2.0 + 1.0) / math.sqrt(n))
    assert title_key("Minister") == "^minister"
    assert title_key("McDonald") is None and title_key("NATO") is None


def test_name_repairs_by_the_casing_stage_are_not_evidence() -> None:
    # On the dev data the casing stage capitalises names more often in human translations.
    text = "Officials in paris said the talks with the mayor would resume next week."
    doc = textwash.analyze(text, stages=["casing", "artifacts"])
    para = doc.paragraphs[0]
    assert "Paris" in para.text
    edits = [e for e in doc.edits if e.stage == "casing"]
    assert edits
    assert measure(para.text, tables(), edits).values == measure(para.text, tables()).values


@pytest.mark.parametrize("text", CLEAN)
def test_clean_native_paragraphs_score_low_after_casing(text: str) -> None:
    doc = textwash.analyze(text, stages=["casing", "artifacts"])
    assert doc.paragraphs[0].artifact_score < 0.45


def test_only_closed_class_capital_repairs_count_as_stray_capitals() -> None:
    text = "The council said a violent storm had damaged the old bridge last winter."
    said = Edit("casing", "common_upper", "replace", "Said", "said", paragraph=0)
    violent = Edit("casing", "common_upper", "replace", "Violent", "violent", paragraph=0)
    assert measure(text, tables(), [said]).values["stray_capital"] == 1
    assert measure(text, tables(), [violent]).values["stray_capital"] == 0


def test_end_word_repairs_count_only_before_punctuation() -> None:
    # As our own check: "arriving In." is a stray capital, "asked In the" is a title.
    lowered = Edit("casing", "common_upper", "replace", "In", "in", paragraph=0)
    inside = "The mayor said the bridge was what they had asked in the spring."
    end = "Food aid was arriving in, the officials said on Friday morning."
    assert measure(inside, tables(), [lowered]).values["stray_capital"] == 0
    assert measure(end, tables(), [lowered]).values["stray_capital"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "The bridge over the river was closed in May after the floods damaged its supports.",
        "The shop opened on May 12 and sold out of bread before noon on the first day.",
        "The reporter spoke to the broker Will Hanley about the sale of the old mill house.",
        "A poster read Lake Town Does Not Want a Second Airport Here, and the crowd cheered.",
    ],
)
def test_names_months_and_titles_are_no_stray_capitals(text: str) -> None:
    # A modal that is also a month or a name ("in May", "May 12", "Will Hanley") or a
    # word of a title-case run is no slip: no stray capital, and no casing repair counts.
    assert measure(text, tables()).values["stray_capital"] == 0


def test_stray_capital_before_a_lower_case_word_still_counts() -> None:
    text = "The mayor of the small town Will rebuild the bridge before the winter begins."
    assert measure(text, tables()).values["stray_capital"] == 1
    lowered = Edit("casing", "common_upper", "replace", "Will", "will", 0)
    repaired = text.replace("Will", "will")
    assert measure(repaired, tables(), [lowered]).values["stray_capital"] == 1


#: An invented web page as an extractor hands it over: headings, specs, list items, a
#: caption, a question, then two paragraphs of prose (one paragraph per line).
WEB_PAGE = (FIXTURES / "web_page.txt").read_text(encoding="utf-8")
#: Three invented German paragraphs.
GERMAN = (FIXTURES / "german.txt").read_text(encoding="utf-8")
TEXT_STAGES = ["casing", "language", "artifacts"]


def test_headings_specs_and_list_items_of_a_human_page_stay_below_half() -> None:
    doc = textwash.analyze(WEB_PAGE, stages=TEXT_STAGES)
    assert doc.language == "en" and len(doc.paragraphs) == WEB_PAGE.count("\n")
    assert max(p.artifact_score for p in doc.paragraphs) < 0.45


def test_short_paragraphs_keep_their_share_of_the_evidence() -> None:
    line = "Q&A"  # scores high on its own evidence: one rare, unknown "word"
    full = score_paragraphs([line], full_evidence_words=0)[0][0]
    cut, reasons = score_paragraphs([line])[0]
    prior = score_paragraphs([line], full_evidence_words=10**6)[0][0]
    assert prior < cut < full and full > 0.5 > cut
    reason = next(r for r in reasons if r["feature"] == "short")
    assert reason["weight"] < 0 and reason["value"] == 1
    assert evidence_share(3) == 0.25 and evidence_share(12) == evidence_share(40) == 1.0
    assert evidence_share(3, 0) == 1.0


@pytest.mark.parametrize("text", [*CLEAN, *TRIGGERS.values()])
def test_paragraphs_of_full_length_are_not_cut(text: str) -> None:
    assert len(measure(text, tables()).words) >= FULL_EVIDENCE_WORDS
    assert score_paragraphs([text]) == score_paragraphs([text], full_evidence_words=0)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120), st.integers(min_value=0, max_value=30))
def test_cut_score_lies_between_prior_and_full_evidence(text: str, full_words: int) -> None:
    """Cutting a paragraph's evidence moves its score towards the prior, never past it."""
    prior = score_paragraphs([text], full_evidence_words=10**6)[0][0]
    full = score_paragraphs([text], full_evidence_words=0)[0][0]
    cut = score_paragraphs([text], full_evidence_words=full_words)[0][0]
    assert min(prior, full) <= cut <= max(prior, full)
    assert 0.0 <= cut <= 1.0


def test_other_languages_get_no_score_and_are_never_dropped() -> None:
    config = {"artifacts": {"drop_paragraph_above": 0.0, "drop_document_above": 0.0}}
    doc = textwash.analyze(GERMAN, stages=TEXT_STAGES, config=config)
    assert doc.language == "de" and not doc.dropped
    assert len(doc.paragraphs) == 3
    assert all(p.artifact_score is None and not p.artifact_reasons for p in doc.paragraphs)
    assert doc.metadata["artifact_max"] is None and doc.metadata["artifact_mean"] is None
    record = doc.to_dict()
    assert record["paragraphs"][0]["artifact_score"] is None
    # Scoring every language is one option away.
    config["artifacts"] = {"score_languages": []}
    doc = textwash.analyze(GERMAN, stages=TEXT_STAGES, config=config)
    assert all(p.artifact_score is not None for p in doc.paragraphs)


def test_a_paragraph_in_its_own_language_follows_that_language() -> None:
    """In a mixed document, a paragraph's own language decides; the rest follow the
    document's. English paragraphs are pooled only with each other."""
    doc = Document.from_text("\n\n".join([CLEAN[0], "Guten Morgen und willkommen.", CLEAN[1]]))
    doc.language = "en"
    doc.paragraphs[1].language = "de"
    ArtifactsStage(drop_paragraph_above=0.0).apply(doc)
    assert [p.index for p in doc.paragraphs] == [1]  # both English ones dropped at 0.0
    english = ArtifactsStage().apply(Document.from_text("\n\n".join(CLEAN[:2])))
    doc = Document.from_text("\n\n".join([CLEAN[0], "Guten Morgen und willkommen.", CLEAN[1]]))
    doc.language, doc.paragraphs[1].language = "de", "de"
    doc.paragraphs[0].language = doc.paragraphs[2].language = "en"
    ArtifactsStage().apply(doc)
    scores = [p.artifact_score for p in doc.paragraphs]
    assert scores == [
        english.paragraphs[0].artifact_score,
        None,
        english.paragraphs[1].artifact_score,
    ]


def test_text_of_unknown_language_is_scored() -> None:
    doc = textwash.analyze(CLEAN[0], stages=["artifacts"])
    assert doc.language is None and doc.paragraphs[0].artifact_score is not None


def test_recipe_units_are_abbreviations_not_fragments() -> None:
    text = "Melt the butter in a wide pan over a low heat for five minutes. Add 2 tbsp. sugar."
    assert measure(text, tables()).values["fragment"] == 0
    assert measure(text.replace("tbsp.", "spoons."), tables()).values["fragment"] >= 1


def test_an_unknown_language_to_score_is_refused():
    # "english" would match no detected language: every paragraph silently unscored
    with pytest.raises(ConfigError, match="score_languages"):
        ArtifactsStage(score_languages=("english",))


FRAGMENTS: dict[str, list[str]] = json.loads(
    (FIXTURES / "fragments.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("text", FRAGMENTS["fire"])
def test_dangling_short_sentences_are_fragments(text: str) -> None:
    assert measure(text, tables()).values["fragment"] >= 1


@pytest.mark.parametrize("text", FRAGMENTS["quiet"])
def test_short_sentences_written_on_purpose_are_no_fragments(text: str) -> None:
    """Stat lines, emphatic runs, recipe steps, headlines, quoted replies and their
    attributions, replies and clipped phrases, initials and abbreviations."""
    assert measure(text, tables()).values["fragment"] == 0


def test_a_capital_the_casing_stage_gave_is_no_sign_of_a_reply() -> None:
    """Casing capitalises the sentence start "never." to "Never."; the reply word then
    looks chosen, but the writer never wrote it so: still a fragment."""
    doc = textwash.analyze(
        "The talks went on for hours in all the provinces. never. Then the delegates left."
    )
    assert "Never." in doc.text
    assert "fragment" in [r["feature"] for r in doc.paragraphs[0].artifact_reasons]


def test_a_new_sentence_opens_after_an_abbreviation_before_a_function_word() -> None:
    two = "The delegation landed in the U.S. The next day it met the president."
    one = "The delegation met Dr. Alvarez at noon on Friday in the capital."
    assert (
        measure(two, tables()).values["sentence_length"]
        < measure(one, tables()).values["sentence_length"]
    )


def test_casing_and_artifacts_read_one_abbreviation_list() -> None:
    shared = shared_words("abbreviations.txt")
    assert tables().abbreviations == shared
    assert CasingStage()._abbreviations == shared
