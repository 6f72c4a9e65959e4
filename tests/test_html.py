"""The html stage: what it does with input that was said to be HTML."""

from __future__ import annotations

import textwash

PLAIN = (
    "A note on the harbour works, written without any markup. It has two sentences.\n\n"
    "A second paragraph follows here.\n"
)


def test_html_input_without_a_tag_is_read_as_text_and_says_so():
    """trafilatura finds no main text in tagless input: the document was dropped."""
    doc = textwash.analyze(PLAIN, html=True, stages=["encoding"])
    assert not doc.dropped
    assert doc.text == PLAIN
    assert [(e.stage, e.rule, e.action) for e in doc.edits] == [("html", "not_html", "flag")]


def test_a_page_with_tags_is_still_extracted():
    page = "<html><body><p>" + PLAIN.replace("\n\n", "</p><p>") + "</p></body></html>"
    doc = textwash.analyze(page, html=True, stages=["encoding"])
    assert not doc.dropped and "<p>" not in doc.text
    assert all(e.rule != "not_html" for e in doc.edits)


def test_entities_and_angle_brackets_alone_are_not_markup():
    doc = textwash.analyze("caf&eacute; costs < 3 euros, tea > 2\n", html=True, stages=["encoding"])
    assert doc.text == "café costs < 3 euros, tea > 2\n"


def test_an_empty_page_is_still_dropped_with_a_reason():
    doc = textwash.analyze("  \n", html=True, stages=["encoding"])
    assert doc.dropped and doc.drop_reason
