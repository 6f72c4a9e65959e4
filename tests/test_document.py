from __future__ import annotations

from conftest import RECORD_FIELDS
from hypothesis import given, settings
from hypothesis import strategies as st

from textwash.document import Document, case_shape, case_shape_is, split_paragraphs


def _texts(text: str) -> list[str]:
    return [part for _before, part in split_paragraphs(text)]


def test_blank_lines_separate_paragraphs_and_hard_wrapped_lines_stay_together():
    text = "Title line\nof the piece\n\nBody one that wraps\nin the middle.\n \nBody two."
    assert _texts(text) == [
        "Title line\nof the piece",
        "Body one that wraps\nin the middle.",
        "Body two.",
    ]


def test_a_wrapped_line_that_starts_with_the_pronoun_i_stays_in_its_paragraph():
    # The casing stage writes "i" as "I"; if that made the break a paragraph break, a
    # second run would split the paragraph (and read it differently): not idempotent.
    for pronoun in ("i", "I"):
        text = f"The storm came\n{pronoun} stayed in\n\nNext."
        assert _texts(text) == [f"The storm came\n{pronoun} stayed in", "Next."]
    assert _texts("One thing\nIt rained\n\nNext.") == ["One thing", "It rained", "Next."]


def test_single_line_breaks_separate_paragraphs_when_there_is_no_blank_line():
    assert _texts("One.\r\nTwo.\rThree.\u2028four") == ["One.", "Two.", "Three.", "four"]


def test_mixed_layout_lines_of_whole_sentences_are_paragraphs():
    text = "Headline\n\n\nFirst paragraph.\nSecond paragraph.\nA heading\nThird one.\n\nEnd."
    assert _texts(text) == [
        "Headline",
        "First paragraph.",
        "Second paragraph.",
        "A heading",
        "Third one.",
        "End.",
    ]
    assert [b for b, _ in split_paragraphs(text)] == ["", "\n\n", "\n", "\n", "\n", "\n\n"]


def test_paragraph_separator_character_is_a_blank_line():
    assert _texts("One.\u2029Two.") == ["One.", "Two."]


def test_text_round_trips_when_nothing_changes():
    for text in ["A.\n\nB.", "A.\nB.\nC.", "Only one.\n", "A.\n\nB.\n", "T\n\nA.\nB.\n\nC."]:
        assert Document.from_text(text).text == text


def test_paragraph_indices_survive_removal():
    doc = Document.from_text("a\n\nb\n\nc")
    editor = doc.editor("test")
    editor.remove(doc.paragraphs[1], "rule")
    assert [p.index for p in doc.paragraphs] == [0, 2]
    assert doc.edits[0].paragraph == 1 and doc.edits[0].before == "b"


def test_annotate_only_logs_but_changes_nothing():
    doc = Document.from_text("keep me\n\nand me")
    editor = doc.editor("test", annotate_only=True)
    editor.remove(doc.paragraphs[0], "drop_rule")
    editor.replace(doc.paragraphs[1], "AND ME", "shout_rule")
    editor.to_metadata(doc.paragraphs[1], "title", "and me", "title_rule", "and me")
    assert doc.text == "keep me\n\nand me"
    assert [e.rule for e in doc.edits] == ["drop_rule", "shout_rule", "title_rule"]
    assert not any(e.applied for e in doc.edits)
    assert doc.metadata == {"title": "and me"}


def test_to_metadata_moves_text_and_removes_empty_paragraph():
    doc = Document.from_text("March 3, 2024\n\nA photo (AFP)\n\nBody.")
    editor = doc.editor("boilerplate")
    date, caption, _body = doc.paragraphs
    editor.to_metadata(date, "date", "2024-03-03", "date_line", "March 3, 2024")
    editor.to_metadata(caption, "captions", "A photo (AFP)", "caption", "A photo (AFP)", multi=True)
    assert doc.text == "Body."
    assert doc.metadata["date"] == "2024-03-03"
    assert doc.metadata["captions"] == ["A photo (AFP)"]
    assert doc.edits[0].action == "to_metadata"


def test_to_dict_has_the_stable_contract():
    record = Document.from_text("A.\nB.", id="x").to_dict()
    assert list(record) == RECORD_FIELDS
    assert record["text"] == "A.\n\nB."
    assert set(record["paragraphs"][0]) >= {"text", "artifact_score", "artifact_reasons", "flags"}


def test_indentation_after_a_blank_line_belongs_to_the_paragraph():
    text = "One para.\n\n    indented code\n    second"
    assert Document.from_text(text).text == text


def test_a_list_value_given_in_metadata_is_not_changed_in_place():
    captions = ["given"]
    doc = Document.from_text("Photo (AFP)\n\nBody.", metadata={"captions": captions})
    doc.editor("t").to_metadata(
        doc.paragraphs[0], "captions", "Photo (AFP)", "credit", "Photo (AFP)", multi=True
    )
    assert captions == ["given"] and doc.metadata["captions"] == ["given", "Photo (AFP)"]


_CASED_WORDS = st.sampled_from(
    ["AB", "ab", "Ab", "aB", "I", "i", "12", "ÉCOLE", "école", "İS", "ǅa"]
)
_PARAGRAPHS = st.lists(st.lists(_CASED_WORDS, max_size=12).map(" ".join), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_PARAGRAPHS)
def test_case_shape_is_answers_each_half_of_case_shape(texts: list[str]) -> None:
    # It may stop counting early (casing asks for one half only), never with another answer.
    halves = (case_shape_is(texts, upper=True), case_shape_is(texts, upper=False))
    assert halves == case_shape(texts)
