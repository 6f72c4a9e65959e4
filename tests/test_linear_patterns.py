"""Patterns rewritten to run in linear time find exactly what their plain forms found.

A plain pattern such as ``[\\W_]+$`` or ``\\w*\\d\\w*`` is retried by the search at every
character of a long run that does not end the way it needs, so one line of 20,000 "!" or
of one 20,000-letter "word" took seconds per stage (and a run of 4,000 capitalized words
took the casing stage minutes). The shipped patterns avoid the retries; each is checked
here against its plain form on short strings from an alphabet of the characters that
matter to it.
"""

from __future__ import annotations

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from textwash import boilerplate, casing

PLAIN_COUNT = re.compile(r"\s*[(\[]?\d[\d.,]*k?[)\]]?$")
PLAIN_EDGE_PUNCT = regex.compile(r"^[\W_]+|[\W_]+$")
PLAIN_DIGIT_TOKEN = regex.compile(r"\w*\d\w*")
PLAIN_LOWER_START = regex.compile(r"(?:[.!?][)\]]*\s|\n)\W*(\p{Ll}+)\b")

texts = st.text(alphabet="aBé1 2.,!?()[]k_-\n\u00a0\"'", max_size=24)


def _matches(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int, str | None, int]]:
    return [(m.start(), m.end(), m.group(1), m.start(1)) for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_fast_patterns_match_their_plain_forms(text: str) -> None:
    assert boilerplate._COUNT.sub("", text) == PLAIN_COUNT.sub("", text)
    assert boilerplate._EDGE_PUNCT.sub("", text) == PLAIN_EDGE_PUNCT.sub("", text)
    assert boilerplate._DIGIT_TOKEN.findall(text) == PLAIN_DIGIT_TOKEN.findall(text)
    assert _matches(casing._LOWER_START, text) == _matches(PLAIN_LOWER_START, text)


def test_the_edge_cases_the_rewrites_hinge_on() -> None:
    # a count after a comma is still a count; a word's figures make one token
    assert boilerplate._COUNT.sub("", "comments,12") == "comments,"
    assert boilerplate._DIGIT_TOKEN.findall("abc a1b2 x9") == ["a1b2", "x9"]
    # a line of marks alone goes whole; marks after a word go
    assert boilerplate._EDGE_PUNCT.sub("", "!!!") == ""
    assert boilerplate._EDGE_PUNCT.sub("", "(share this!!)") == "share this"
    # a run of marks without a lowercase word after it, then one with it
    found = _matches(casing._LOWER_START, "One. . . Two. . . three")
    assert [m[2] for m in found] == ["three"]
