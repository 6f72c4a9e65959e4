"""Tests for the boilerplate stage: triggers per family and language, must-keep cases,
a labeled regression gate, metadata salvage, truncation, repeated lines, HTML, properties."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import textwash
from textwash.boilerplate import (
    FEATURES,
    LANGUAGES,
    BoilerplateStage,
    RepeatedLineIndex,
    compile_rules,
    line_model,
)
from textwash.document import Document
from textwash.html import head_metadata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "boilerplate"
TRIGGERS = tomllib.loads((FIXTURES / "triggers.toml").read_text(encoding="utf-8"))

CALLS = tomllib.loads((FIXTURES / "calls_to_action.toml").read_text(encoding="utf-8"))

BODY_1 = (
    "The town library will stay open late on Thursdays from next month, the council "
    "announced after a survey of more than two thousand readers."
)
BODY_2 = (
    "Staff said the longer hours would help students who work during the day and "
    "families who cannot visit on weekends."
)
BODY_3 = "A reading room for teenagers will open on the second floor in the autumn as well."

SALVAGED = {"credits": "captions", "byline": "byline", "contributors": "contributors"}


def run(text: str, **options: object) -> Document:
    return BoilerplateStage(**options).apply(Document.from_text(text))


def boilerplate_edits(doc: Document) -> list:
    return [e for e in doc.edits if e.stage == "boilerplate"]


# --- one trigger per family and language ----------------------------------------------

CASES = [(lang, family, line) for lang, table in TRIGGERS.items() for family, line in table.items()]


@pytest.mark.parametrize(("lang", "family", "line"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_trigger_line_leaves_text_and_names_its_rule(lang: str, family: str, line: str) -> None:
    # English bodies around every language's trigger: the tables are tested here, the
    # choice of tables by the document's language below
    doc = run("\n".join([BODY_1, BODY_2, line, BODY_3]), guess_language=False)
    rule = family if lang == "common" else f"{family}:{lang}"
    assert line not in doc.text.split("\n")
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    edit = next(e for e in boilerplate_edits(doc) if e.before == line)
    assert edit.rule == rule or (edit.rule.split(":")[0] == family and _shared(line, lang))
    if family in SALVAGED:
        assert edit.action == "to_metadata"
        assert doc.metadata[SALVAGED[family]]
    else:
        assert edit.action == "remove"


def _shared(line: str, lang: str) -> bool:
    """True when another language's table lists the same trigger (e.g. "Por " in es/pt)."""
    own = compile_rules((lang,))
    others = compile_rules(tuple(code for code in LANGUAGES if code != lang))
    return own.match(line, 5, False) is not None and others.match(line, 5, False) is not None


# --- must keep -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["quote", "subheading", "one_line", "short_list"])
def test_real_text_is_kept(name: str) -> None:
    text = (FIXTURES / "keep" / f"{name}.txt").read_text(encoding="utf-8").strip()
    doc = run(text)
    assert doc.text == text
    assert not [e for e in boilerplate_edits(doc) if e.action != "flag"]


def test_phrase_inside_a_sentence_is_not_a_comment_form() -> None:
    line = "Readers were invited to leave a comment on the proposal before the deadline in May."
    assert run(f"{BODY_1}\n{line}\n{BODY_2}").text == f"{BODY_1}\n{line}\n{BODY_2}"


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for a reader account at the front desk to borrow one of the new laptops",
        "Loans are now logged in the regional lending register (Lr) and the new portal (Ap)",
        "Reporting by the library's own staff found that most loans are made after six",
        "Editing by hand took the archivists most of the winter, the head librarian said.",
        # commissions in the news: no "through our links" in the same clause
        "Under the new rules, agents could earn a commission of 3% on every purchase.",
        "The council said our links with the twin town earn no commission for anyone.",
        "Shares in the printing firm that supplies the library rose after the announcement.",
        "The reading room was updated at 9:30 on Monday with new lamps and wider desks.",
    ],
)
def test_lookalikes_of_a_prompt_or_a_credit_are_kept(line: str) -> None:
    text = f"{BODY_1}\n{line}\n{BODY_2}"
    assert run(text).text == text


@pytest.mark.parametrize(
    ("box", "rule"),
    [
        (
            ["Jane Roe", "Staff Writer", "Jane Roe is a staff writer for the Harbour Gazette."],
            "author:en",
        ),
        (
            ["Tom Poe (tpoe@example.org) is the editor of the Harbour Gazette.", "Full Bio"],
            "author:en",
        ),
        (
            ["Über Max Muster", "Max Muster schreibt seit 2030 über Bibliotheken und Archive."],
            "author:de",
        ),
    ],
)
def test_an_author_box_at_the_end_leaves_the_text(box: list[str], rule: str) -> None:
    doc = run("\n".join([BODY_1, BODY_2, BODY_3, *box]), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert next(e for e in boilerplate_edits(doc) if e.before == box[0]).rule == rule


@pytest.mark.parametrize(
    "lines",
    [
        # a bio-shaped sentence inside the text, with the text going on after it
        [
            BODY_1,
            "Jane Roe is a staff writer for the Harbour Gazette, and she asked first.",
            BODY_2,
        ],
        # the last sentence says who someone is, but does not start with a name
        [BODY_1, BODY_2, "The new director is a former reporter for the local radio station."],
    ],
)
def test_a_bio_shaped_sentence_in_the_text_is_kept(lines: list[str]) -> None:
    assert run("\n".join(lines)).text.split("\n") == lines


def test_two_sentences_under_a_related_header_are_text_not_a_link() -> None:
    prose = "Our survey closes on Friday. Results follow in the spring issue of the bulletin"
    doc = run(f"{BODY_1}\nRelated Articles\nLonger Hours Begin in March\n{prose}\n{BODY_2}")
    assert doc.text.split("\n") == [BODY_1, prose, BODY_2]


TEASERS = [
    "Longer Hours Begin in March at the Town Library",
    "Readers Vote for a New Reading Room in the North Wing",
    "The Mobile Library Returns to the Harbour Villages",
]


def test_a_question_subheading_after_a_share_line_keeps_its_list() -> None:
    # A question ends the link list under a header: here it opens the article's own list.
    question = "Which branches will open late this winter?"
    items = [
        "The central branch stays open until nine on weekdays",
        "The harbour branch adds a late evening on Thursdays",
        "The two village branches keep their usual hours for now",
    ]
    lines = [BODY_1, "Share this article", question, *items, BODY_2]
    assert run("\n".join(lines)).text.split("\n") == [BODY_1, question, *items, BODY_2]


def test_a_question_under_a_related_header_stays_when_prose_follows() -> None:
    question = "Will the Old Reading Room Open Again in the Spring?"
    lines = [BODY_1, "Related Articles", TEASERS[0], question, BODY_2, BODY_1]
    assert run("\n".join(lines)).text.split("\n") == [BODY_1, question, BODY_2, BODY_1]


@pytest.mark.parametrize(
    ("lang", "family"), [(lang, family) for lang in CALLS for family in ("cta", "no_spam")]
)
def test_a_call_to_action_or_a_no_spam_promise_leaves_the_text(lang: str, family: str) -> None:
    line = CALLS[lang][family]
    doc = run("\n".join([BODY_1, BODY_2, line, BODY_3]), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    edit = next(e for e in boilerplate_edits(doc) if e.before == line)
    assert edit.rule == f"{'ads' if family == 'cta' else 'newsletter'}:{lang}"


@pytest.mark.parametrize("sentence", [s for table in CALLS.values() for s in table["keep"]])
def test_a_call_to_action_inside_a_sentence_stays(sentence: str) -> None:
    lines = [BODY_1, sentence, BODY_2, BODY_3]
    assert run("\n".join(lines), guess_language=False).text.split("\n") == lines


CHROME = tomllib.loads((FIXTURES / "page_chrome.toml").read_text(encoding="utf-8"))
CHROME_CASES = [
    (lang, family, line)
    for lang, table in CHROME.items()
    if lang not in ("bylines", "inside", "heads")
    for family, lines in table.items()
    if family != "keep"
    for line in lines
]


@pytest.mark.parametrize(("lang", "family", "line"), CHROME_CASES)
def test_page_chrome_above_the_text_leaves_it_and_is_no_title(
    lang: str, family: str, line: str
) -> None:
    # between paragraphs the line leaves the text by its family's rule; right above the
    # text, where the title chooser looks, it is no title either
    doc = run("\n".join([BODY_1, BODY_2, line, BODY_3]), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    edit = next(e for e in boilerplate_edits(doc) if e.before == line)
    assert edit.rule in (family, f"{family}:{lang}")
    doc = run("\n".join([line, BODY_1, BODY_2, BODY_3]), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert "title" not in doc.metadata


@pytest.mark.parametrize(
    "headline", [line for table in CHROME.values() for line in table.get("keep", [])]
)
def test_a_headline_with_the_words_of_page_chrome_stays_the_title(headline: str) -> None:
    doc = run("\n".join([headline, BODY_1, BODY_2, BODY_3]), guess_language=False)
    assert doc.metadata["title"] == headline
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]


@pytest.mark.parametrize("byline", CHROME["bylines"]["lines"])
def test_a_byline_without_its_by_is_the_byline_not_the_title(byline: str) -> None:
    for head in ([HEADLINE, byline], [HEADLINE, "By", byline]):
        doc = run("\n".join([*head, "May 2, 2031", BODY_1, BODY_2]), guess_language=False)
        assert doc.text.split("\n") == [BODY_1, BODY_2]
        assert (doc.metadata["title"], doc.metadata["byline"]) == (HEADLINE, byline)


@pytest.mark.parametrize(
    ("head", "byline"),
    [
        (["Will the Ferry Run All Winter?", "Jane Roe, Staff Writer"], "Jane Roe, Staff Writer"),
        (
            ["Library Opens Late", "Author:", "Harbour Gazette Editorial Staff"],
            "Harbour Gazette Editorial Staff",
        ),
    ],
)
def test_a_byline_under_a_question_or_its_label(head: list[str], byline: str) -> None:
    # a headline may end in a question mark; "Author:" is the byline's own label, not a
    # line that opens a list
    doc = run("\n".join([*head, "May 2, 2031", BODY_1, BODY_2]), guess_language=False)
    assert (doc.metadata["title"], doc.metadata["byline"]) == (head[0], byline)


@pytest.mark.parametrize("line", CHROME["bylines"]["not_bylines"])
def test_a_name_and_a_place_is_no_byline(line: str) -> None:
    for headline in (HEADLINE, "Harbour Board Delays Vote on Idle Cranes"):
        lines = [headline, line, "May 2, 2031", BODY_1, BODY_2]
        assert "byline" not in run("\n".join(lines), guess_language=False).metadata


@pytest.mark.parametrize("head", CHROME["heads"]["lines"])
def test_a_kicker_or_a_dek_over_the_text_is_no_byline(head: list[str]) -> None:
    # a one-word kicker is no headline to stand under; two names are no byline: the
    # line under the kicker or the headline stays in the text or becomes the title
    doc = run("\n".join([*head, BODY_1, BODY_2, BODY_3]), guess_language=False)
    assert "byline" not in doc.metadata
    assert head[-1] in [*doc.text.split("\n"), doc.metadata.get("title")]


@pytest.mark.parametrize(
    "headline", ["Harbour ferry to resume night service", "Harbour Ferry to Resume Night Service"]
)
def test_a_second_byline_is_not_lost_nor_the_title(headline: str) -> None:
    # metadata.byline holds one value: a byline without its "By" under another byline
    # goes to the contributors' list (kept in the text, it would be the title next run)
    second = "Tom Poe - Staff Writer"
    lines = [headline, "By Jane Roe", second, BODY_1, BODY_2]
    doc = run("\n".join(lines), guess_language=False)
    assert (doc.metadata["byline"], doc.metadata["contributors"]) == ("Jane Roe", [second])
    assert doc.metadata.get("title") != second
    assert doc.text.split("\n") == [BODY_1, BODY_2]


PEOPLE = "Council Names New Library Board"


@pytest.mark.parametrize(
    "people",
    [
        ["The board members are:", "Jane Roe and Tom Poe", "Ann Lee, Treasurer"],
        ["Board members", "Ann Lee, Editor", "Tom Poe, Correspondent"],
    ],
)
def test_a_list_of_people_under_the_headline_is_no_byline(people: list[str]) -> None:
    doc = run("\n".join([PEOPLE, *people, BODY_1, BODY_2]), guess_language=False)
    assert "byline" not in doc.metadata
    assert doc.metadata["title"] == PEOPLE
    assert set(people[1:]) <= set(doc.text.split("\n"))


@pytest.mark.parametrize("line", CHROME["inside"]["lines"])
def test_the_words_of_page_chrome_inside_the_text_stay(line: str) -> None:
    lines = [BODY_1, BODY_2, line, BODY_3]
    doc = run("\n".join(lines), guess_language=False)
    assert doc.text.split("\n") == lines
    assert not doc.metadata


@pytest.mark.parametrize("line", CHROME["inside"]["lines_with_subheading"])
def test_a_follow_line_inside_the_text_opens_no_list(line: str) -> None:
    # a title-case follow line may be a subheading; it never takes the next one with it
    lines = [BODY_1, BODY_2, line, "The Last Crossing", BODY_3]
    assert run("\n".join(lines), guess_language=False).text.split("\n") == lines


ENDINGS = tomllib.loads((FIXTURES / "keep" / "endings.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("ending", ENDINGS["ending"], ids=lambda ending: ending["name"])
def test_a_list_closing_the_article_is_kept(ending: dict[str, str]) -> None:
    text = ending["text"].strip()
    assert run(text).text == text


BYLINES_WITH_DATES = [
    # (line, name, the part cut as the byline, the part the date rule takes)
    ("By Jane Doe | Nov 18, 2031 at 10:32 a.m.", "Jane Doe", "By Jane Doe | "),
    (
        "By Jane Doe, Staff Writer | Updated Nov. 18, 2031",
        "Jane Doe, Staff Writer",
        "By Jane Doe, Staff Writer | Updated ",
    ),
    ("By Jane Doe on November 18, 2031", "Jane Doe", "By Jane Doe on "),
]


@pytest.mark.parametrize(("line", "name", "cut"), BYLINES_WITH_DATES)
def test_a_byline_running_into_its_date_fills_both_fields(line: str, name: str, cut: str) -> None:
    doc = run(f"{line}\n{BODY_1}\n{BODY_2}")
    assert doc.text.split("\n") == [BODY_1, BODY_2]
    assert (doc.metadata["byline"], doc.metadata["date"]) == (name, "2031-11-18")
    assert [e.before for e in boilerplate_edits(doc)] == [cut, line[len(cut) :]]


@pytest.mark.parametrize(
    "sentence",
    [
        "By Tuesday, the ferry had left the pier at 6 a.m.",
        "By Easter Sunday, April 20, 2031, the first boats were leaving at 6 a.m.",
        "By Sunday, the river had crested, and on May 2, 2031 the levee broke at 4 a.m.",
        "By Monday Morning, May 5, the queue started at 7 a.m.",
    ],
)
def test_a_sentence_opening_with_by_and_a_date_stays_whole(sentence: str) -> None:
    for text in (f"{BODY_1}\n{sentence}\n{BODY_2}", f"{sentence}\n{BODY_1}\n{BODY_2}"):
        doc = run(text)
        assert sentence in doc.text.split("\n")
        assert "byline" not in doc.metadata


@pytest.mark.parametrize(
    "line", ["By Priya Natarajan | Today at 10:32 a.m.", "By Priya Natarajan, 10:32 a.m."]
)
def test_a_byline_ending_in_a_clock_time_leaves_the_text(line: str) -> None:
    doc = run(f"{BODY_1}\n{line}\n{BODY_2}")
    assert doc.text.split("\n") == [BODY_1, BODY_2]
    assert doc.metadata["byline"].startswith("Priya Natarajan")


HEADLINE = "Harbour ferry to resume night service"


@pytest.mark.parametrize("above", [[], ["Home | News"], ["Opinion"]])
def test_the_first_line_above_the_byline_is_the_title_in_any_case(above: list[str]) -> None:
    doc = run("\n".join([*above, HEADLINE, "By Jane Doe | May 2, 2031", BODY_1, BODY_2]))
    assert doc.text.split("\n") == [BODY_1, BODY_2]
    assert (doc.metadata["title"], doc.metadata["byline"]) == (HEADLINE, "Jane Doe")


TITLE_CASE_HEADLINE = "Library Extends Thursday Opening Hours"


def test_the_title_is_the_headline_near_the_text_not_the_page_top() -> None:
    # the page's first line, a Title Case menu entry, was taken as the title; the lines
    # of a gallery's buttons under the headline do not push it out of reach
    menu = ["Weather Radar And Maps", "Sign In", "Traffic cameras", "School closings"]
    gallery = ["Image", "1", "of", "5", "Close"]
    doc = run("\n".join([*menu, TITLE_CASE_HEADLINE, *gallery, BODY_1, BODY_2, BODY_3]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert doc.metadata["title"] == TITLE_CASE_HEADLINE


@pytest.mark.parametrize("headline", [HEADLINE, "Watch: Storm Hilde batters the coast"])
def test_a_line_between_the_headline_and_the_byline_leaves_the_title_undecided(
    headline: str,
) -> None:
    # "Watch: ..." is matched by a rule, but as a headline with a label, not as chrome
    standfirst = "Residents vow to keep fighting after a three-year campaign"
    doc = run("\n".join([headline, standfirst, "By Jane Doe", BODY_1, BODY_2]))
    assert "title" not in doc.metadata


def test_a_byline_with_a_date_is_no_menu_row() -> None:
    # "A | B" is a breadcrumb's shape, but a row with a year in it is a byline and its date
    body = [
        "Die Stadtbibliothek bleibt ab dem nächsten Monat donnerstags länger geöffnet, "
        "teilte der Gemeinderat nach einer Umfrage unter mehr als zweitausend Lesern mit.",
        "Die Mitarbeiter sagten, die längeren Öffnungszeiten würden vor allem Familien "
        "helfen, die am Wochenende nicht kommen können.",
    ]
    doc = run("\n".join(["Von Anna Schmidt | 18. November 2031", *body]))
    assert doc.text.split("\n") == body
    assert (doc.metadata["byline"], doc.metadata["date"]) == ("Anna Schmidt", "2031-11-18")


def test_two_sentences_before_the_text_are_not_taken_as_the_title() -> None:
    lead = "Our survey closes on Friday. Results follow in the spring issue"
    doc = run(f"{lead}\n{BODY_1}\n{BODY_2}")
    assert doc.text.split("\n")[0] == lead
    assert "title" not in doc.metadata


BREAKS = [(lang, phrase) for lang in LANGUAGES for phrase in compile_rules((lang,)).breaks]


@pytest.mark.parametrize(("lang", "phrase"), BREAKS)
def test_an_ad_break_marks_no_edge_so_the_lead_above_it_stays(lang: str, phrase: str) -> None:
    # The lead paragraph, the ad break, a table of figures (short lines, which keep the
    # main block from reaching up to the lead), then the article: the break goes, the lead
    # stays (it was cut "before the main text" when the break counted as page chrome).
    table = ["Branch", "Visits", "Change", "North", "1,204", "+12%", "Harbour", "877", "-3%"]
    lines = [BODY_1, phrase.capitalize(), *table, BODY_2, BODY_3, BODY_2]
    doc = run("\n".join(lines), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, *table, BODY_2, BODY_3, BODY_2]
    (edit,) = boilerplate_edits(doc)
    assert edit.rule == f"ads:{lang}" and edit.before == phrase.capitalize()


def test_a_teaser_above_an_advert_label_before_the_text_still_goes() -> None:
    # The plain label ("Advertisement") is no break: page chrome above it stays chrome.
    teaser = "The best winter coats of the year, tested by our team on the snowy hills above town."
    table = ["Branch", "Visits", "Change", "North", "1,204", "+12%", "Harbour", "877", "-3%"]
    doc = run("\n".join([teaser, "Advertisement", *table, BODY_1, BODY_2, BODY_3]))
    assert doc.text.split("\n") == [*table, BODY_1, BODY_2, BODY_3]
    assert boilerplate_edits(doc)[0].evidence == "before the main text"


def test_a_list_under_an_ad_break_that_reads_continue_reading_stays() -> None:
    # "Continue reading after the ad" opens like a "Continue reading" teaser header, whose
    # list goes with it; as a break it heads nothing, and the steps below it stay.
    steps = ["Check the tide table", "Book a cabin online", "Arrive twenty minutes early"]
    lines = [BODY_1, BODY_2, "Continue reading after the ad", *steps, BODY_3, BODY_2, BODY_1]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == [BODY_1, BODY_2, *steps, BODY_3, BODY_2, BODY_1]


def test_a_label_with_a_count_is_looked_up_without_it_but_reported_whole() -> None:
    rules = compile_rules(("en",))
    assert rules.match("Comments (12)", 2, False).evidence == "comments (12"
    assert rules.match("Story continues below (2)", 4, False).kind == "break"


def test_a_menu_cut_far_before_the_text_stops_at_an_ad_break() -> None:
    menu = [f"Section {word}" for word in "ABCDEFGHIJKLMNOPQRSTUV"]
    names = ["Ann Lee", "Tom Poe", "Ida Lund", "Eva Berg", "Max Roe", "Kim Dahl"] * 2
    lines = [*menu, "Story continues below", *names, BODY_1, BODY_2, BODY_3, BODY_2, BODY_1]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == [*names, BODY_1, BODY_2, BODY_3, BODY_2, BODY_1]


def test_a_photographers_copyright_is_a_credit_not_the_page_footer() -> None:
    credit = "The north wing after the refit, photos © Ida Lund, 2031"
    venue = ["North Wing Reading Room", "Harbour Street 12, Lund"]
    doc = run("\n".join([BODY_1, BODY_2, credit, *venue]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, *venue]
    assert doc.metadata["captions"] == [credit]


# --- regression gate over the labeled fixture corpus ----------------------------------


def _labeled() -> list[tuple[list[str], list[str]]]:
    docs = []
    for path in sorted((FIXTURES / "labeled").glob("*.txt")):
        rows = [line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines()]
        docs.append(([label for label, _ in rows], [text for _, text in rows]))
    return docs


def test_labeled_corpus_precision_and_recall_floors() -> None:
    kept_content = kept_boiler = content = boiler = 0
    for labels, lines in _labeled():
        cleaned = textwash.clean("\n".join(lines), stages=["encoding", "boilerplate"])
        output = set(cleaned.split("\n"))
        for label, line in zip(labels, lines, strict=True):
            kept = line in output
            if label == "C":
                content += 1
                kept_content += kept
            else:
                boiler += 1
                kept_boiler += kept
    content_recall = kept_content / content
    boiler_recall = 1 - kept_boiler / boiler
    precision = kept_content / (kept_content + kept_boiler)
    assert content_recall == 1.0, content_recall
    assert boiler_recall >= 0.9, boiler_recall
    assert precision >= 0.9, precision


# --- metadata salvage -------------------------------------------------------------------


def test_leaked_date_prefix_moves_to_metadata_and_keeps_the_sentence() -> None:
    doc = run(f" date 2031-02-09 {BODY_1}\n\n{BODY_2}")
    assert doc.metadata["date"] == "2031-02-09"
    assert doc.paragraphs[0].text == BODY_1


@pytest.mark.parametrize(
    "sentence",
    [
        "June 5, 2031 was the day the harbour bridge finally opened to cyclists and walkers.",
        "5 juin 2031 restera une date importante pour les cyclistes de la ville portuaire.",
    ],
)
def test_a_sentence_that_opens_with_a_date_keeps_it(sentence: str) -> None:
    """Only a capital after the date shows a leaked prefix: here the date is the subject."""
    doc = run(f"{sentence}\n\n{BODY_2}")
    assert doc.paragraphs[0].text == sentence
    assert "date" not in doc.metadata


def test_a_date_that_does_not_exist_gets_no_iso_form() -> None:
    doc = run(f"{BODY_1}\nFebruary 30, 2031\n{BODY_2}")
    assert "date" not in doc.metadata
    assert doc.metadata["date_text"] == ["February 30, 2031"]


def test_a_leaked_prefix_without_iso_form_joins_the_date_text_list() -> None:
    doc = run(f"June 31, 2031\nFebruary 30, 2031 - {BODY_1}\n\n{BODY_2}")
    assert doc.paragraphs[0].text == BODY_1
    assert doc.metadata["date_text"] == ["June 31, 2031", "February 30, 2031"]


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("June 5, 2031", "2031-06-05"),
        ("5. Juni 2031", "2031-06-05"),
        ("Publié le 5 juin 2031", "2031-06-05"),
        ("5 de junio de 2031", "2031-06-05"),
        ("Published: 2031-06-05 10:15 CET", "2031-06-05"),
    ],
)
def test_standalone_date_lines_become_iso(line: str, iso: str) -> None:
    doc = run(f"Library Opens Late on Thursdays\n{line}\n{BODY_1}\n{BODY_2}")
    assert doc.metadata["date"] == iso
    assert line not in doc.text


@pytest.mark.parametrize(
    "line",
    [
        "Mis à jour le 5 juin 2031",
        "Dernière mise à jour le 5 juin 2031 à 10h32",
        "Mise à jour : 5 juin 2031",
        "Zuletzt aktualisiert am 5. Juni 2031",
        "Laatst bijgewerkt op 5 juni 2031 om 10:32",
        "Última atualização em 5 de junho de 2031",
        "Last updated on June 5, 2031",
        "Posted at 10:32 on June 5, 2031",
    ],
)
def test_labels_of_several_words_make_a_date_line(line: str) -> None:
    """A stamp label of several words counts as a whole phrase ("mis à jour le"). A day
    word's phrase ("a las") does not: "Publicado el 5 de junio de 2031 a las 10:32" is no
    date line between paragraphs, as on main, so that an event line stays content."""
    doc = run(f"{BODY_1}\n{line}\n{BODY_2}")
    assert doc.text.split("\n") == [BODY_1, BODY_2]
    assert doc.metadata["date"] == "2031-06-05"


@pytest.mark.parametrize(
    "line", ["Las Vegas, 5 de junio de 2031", "Mis en scène le 5 juin 2031", "Jour le 5 juin 2031"]
)
def test_a_word_of_a_label_phrase_alone_is_no_label(line: str) -> None:
    doc = run(f"{BODY_1}\n{line}\n{BODY_2}")
    assert line in doc.text.split("\n")
    assert "date" not in doc.metadata


@pytest.mark.parametrize(
    "byline",
    [
        "By Jane Doe | Last updated on June 5, 2031",
        "By Jane Doe, dernière mise à jour le 5 juin 2031",
    ],
)
def test_a_byline_ending_in_a_label_phrase_keeps_name_and_date_apart(byline: str) -> None:
    doc = run(f"Library Opens Late on Thursdays\n{byline}\n{BODY_1}\n{BODY_2}")
    assert doc.metadata["byline"] == "Jane Doe"
    assert doc.metadata["date"] == "2031-06-05"
    assert doc.text.split("\n") == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    ("byline", "body"),
    [
        (
            "Von Jane Doe | Zuletzt aktualisiert am 5. Juni 2031",
            "Die Bibliothek der Stadt bleibt ab dem nächsten Monat donnerstags länger offen, "
            "wie der Rat nach einer Umfrage unter mehr als zweitausend Lesern mitteilte.",
        ),
        (
            "Door Jane Doe | Laatst bijgewerkt op 5 juni 2031",
            "De bibliotheek van de stad blijft vanaf volgende maand op donderdag langer open, "
            "zo maakte de gemeente bekend na een enquête onder meer dan tweeduizend lezers.",
        ),
    ],
)
def test_a_longer_label_phrase_wins_over_its_own_tail(byline: str, body: str) -> None:
    # "aktualisiert am" is a label too: the byline must not end in "| Zuletzt"
    doc = run(f"Bibliotheek\n{byline}\n{body}\n{body}")
    assert doc.metadata["byline"] == "Jane Doe"
    assert doc.metadata["date"] == "2031-06-05"


#: Two sentences of running text per language, for lines whose phrase table is chosen by it.
LEAD_BODIES = {
    "en": f"{BODY_1}\n{BODY_2}",
    "fr": "La bibliothèque de la ville restera ouverte plus tard le jeudi dès le mois "
    "prochain, a annoncé le conseil après une enquête auprès de deux mille lecteurs.\n"
    "Le personnel a expliqué que ces horaires aideraient les étudiants qui travaillent.",
    "de": "Die Bibliothek der Stadt bleibt ab dem nächsten Monat donnerstags länger offen, "
    "wie der Rat nach einer Umfrage unter mehr als zweitausend Lesern mitteilte.\n"
    "Die Mitarbeiter sagten, die längeren Zeiten würden vor allem Studierenden helfen.",
    "nl": "De bibliotheek van de stad blijft vanaf volgende maand op donderdag langer open, "
    "zo maakte de gemeente bekend na een enquête onder meer dan tweeduizend lezers.\n"
    "Het personeel zei dat de langere uren vooral studenten zouden helpen.",
    "es": "La biblioteca de la ciudad abrirá hasta más tarde los jueves a partir del mes "
    "que viene, según anunció el ayuntamiento tras una encuesta a dos mil lectores.\n"
    "El personal explicó que el nuevo horario ayudará a los estudiantes que trabajan.",
    "it": "La biblioteca della città resterà aperta più a lungo il giovedì dal mese "
    "prossimo, ha annunciato il consiglio dopo un sondaggio tra duemila lettori.\n"
    "Il personale ha spiegato che il nuovo orario aiuterà gli studenti che lavorano.",
}


@pytest.mark.parametrize(
    ("byline", "name", "lang"),
    [
        # a surname that is also a day word ("le", "am", "op", "del", "di", "de", "van"),
        # before the separator that ends the name: no label of the date
        ("By Minh Le | June 5, 2031", "Minh Le", "en"),
        ("By Minh Le, June 5, 2031", "Minh Le", "en"),
        ("By Minh Le | Updated June 5, 2031", "Minh Le", "en"),
        ("By Tom De | June 5, 2031", "Tom De", "en"),
        ("By Jan Van | June 5, 2031", "Jan Van", "en"),
        ("By Li Sun, June 5, 2031", "Li Sun", "en"),
        ("Par Jean Le, mis à jour le 5 juin 2031", "Jean Le", "fr"),
        ("Par Jean Le le 5 juin 2031", "Jean Le", "fr"),
        ("Von Lena Am | 5. Juni 2031", "Lena Am", "de"),
        ("Von Lena Am · Aktualisiert am 5. Juni 2031", "Lena Am", "de"),
        ("Door Eva Op | 5 juni 2031", "Eva Op", "nl"),
        ("Por Ana Del, publicado el 5 de junio de 2031", "Ana Del", "es"),
        ("Di Marco Di - 5 giugno 2031", "Marco Di", "it"),
        # labels that do introduce the date still go
        ("By Jane Doe on Thursday, June 5, 2031", "Jane Doe", "en"),
        ("By Jane Doe | Updated | June 5, 2031", "Jane Doe", "en"),
        ("By Jane Doe | Thu, June 5, 2031", "Jane Doe", "en"),
        ("Von Hans Meier, am 5. Juni 2031", "Hans Meier", "de"),
        ("Door Eva de Vries op donderdag 5 juni 2031", "Eva de Vries", "nl"),
        # a stamp glued to the byline with its capital: after a full name, the date's
        ("Par Marie Dupont Le 5 juin 2031", "Marie Dupont", "fr"),
        ("Von Hans Meier Am 5. Juni 2031", "Hans Meier", "de"),
        ("Por Ana García El 5 de junio de 2031", "Ana García", "es"),
    ],
)
def test_a_day_word_before_the_separator_is_the_name_s_last_word(
    byline: str, name: str, lang: str
) -> None:
    doc = run(f"{byline}\n\n{LEAD_BODIES[lang]}")
    assert (doc.metadata["byline"], doc.metadata["date"]) == (name, "2031-06-05")
    assert doc.text.split("\n") == LEAD_BODIES[lang].split("\n")


@pytest.mark.parametrize("line", ["BY: Jane Roe", "By: Jane Roe", "| BY: Jane Roe"])
def test_a_byline_with_a_colon_after_by_moves_to_metadata(line: str) -> None:
    doc = run(f"Library Will Open Late All Winter\n{line}\n\n{BODY_1}\n{BODY_2}")
    assert doc.metadata["byline"] == "Jane Roe"
    assert doc.text.split("\n") == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    "line",
    [
        "Posted on June 5, 2031 by admin",
        "June 5, 2031 / 0 Comments / in Town News / by editor",
        "Publié le 5 juin 2031 par Marie Dupont",
        "5. Juni 2031 | 4 Kommentare",
        "5 de junio de 2031 por Ana García | 2 comentarios",
        "Pubblicato il 5 giugno 2031 da Mario Rossi",
        "Geplaatst op 5 juni 2031 door Jan de Vries",
        "Posted on June 5, 2031 in News by admin",
        "June 5, 2031 • by admin • 0 replies",
    ],
)
def test_a_post_meta_row_between_paragraphs_moves_to_metadata(line: str) -> None:
    doc = run(f"{BODY_1}\n{line}\n{BODY_2}")
    assert doc.text.split("\n") == [BODY_1, BODY_2]
    assert doc.metadata["date"] == "2031-06-05"
    assert [e.before for e in boilerplate_edits(doc)] == [line]


@pytest.mark.parametrize(
    "line",
    [
        "June 5, 2031 in Harbour City",
        "Election Day | June 5, 2031",
        "June 5, 2031 by the council",
        "The vote on June 5, 2031 by the council passed.",
        "By June 5, 2031, the library had forty new volunteers / helpers.",
        # by/par/por/da/door also mean "by train", "by decree", "from Milan"
        "June 5, 2031 · by train",
        "June 5, 2031 by Governor Alvarez",
        "Le 5 juin 2031, par décret",
        "El 5 de junio de 2031, por unanimidad",
        "5 giugno 2031 · da Milano",
        "5 juni 2031 · door de Tweede Kamer",
        "Saturday, June 5, 2031 · in the Main Hall · by Anna Berg",
        "June 5, 2031 · Reply 2",
    ],
)
def test_a_date_with_words_of_its_own_between_paragraphs_stays(line: str) -> None:
    doc = run(f"{BODY_1}\n{line}\n{BODY_2}")
    assert line in doc.text.split("\n")
    assert "date" not in doc.metadata


def test_a_timeline_of_dated_rows_stays_whole() -> None:
    rows = [
        "3 de marzo de 2031 · por el Gobierno",
        "4 de marzo de 2031 · por el Congreso",
        "9 de marzo de 2031 · por el Senado",
    ]
    doc = run("\n".join([BODY_1, "Cronología", *rows, BODY_2]))
    assert doc.text.split("\n") == [BODY_1, "Cronología", *rows, BODY_2]


@pytest.mark.parametrize(
    "schedule",
    [
        ["Upcoming hearings:", "June 25, 2031 at 7 pm", "July 23, 2031 at 7 pm"],
        ["June 25, 2031", "July 23, 2031", "August 27, 2031"],
        ["Termine:", "25. Juni 2031, 19 Uhr", "23. Juli 2031, 19 Uhr"],
    ],
)
def test_a_schedule_of_date_lines_stays_with_the_paragraph_above(schedule: list[str]) -> None:
    """The dates of a schedule are its content: they neither go to metadata nor count as
    page-chrome markers that cut the paragraph above them as an edge."""
    lines = [BODY_1, *schedule, BODY_2]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == lines
    assert "date" not in doc.metadata


@pytest.mark.parametrize(
    "timeline",
    [
        [
            "Key dates:",
            "May 4, 2031",
            "Survey closes",
            "June 1, 2031",
            "Results published",
            "July 6, 2031",
            "New hours start",
        ],
        ["May 4, 2031", "Survey closes", "June 1, 2031", "Results out.", "July 6, 2031", "Opening"],
        # sentences as entries only under a colon heading: between paragraphs they are
        # more often comments
        [
            "Timeline:",
            "Tuesday, May 4, 2031",
            "The survey closes.",
            "Tuesday, June 1, 2031",
            "The council publishes the results.",
            "Monday, July 6, 2031 at 9 am",
            "The new hours start.",
        ],
        [
            "Calendrier :",
            "4 mai 2031",
            "Fin de l'enquête",
            "1er juin 2031",
            "Publication des résultats",
            "6 juillet 2031",
            "Nouveaux horaires",
        ],
        # a date and its entry on one line were never date lines
        ["May 4, 2031: Survey closes", "June 1, 2031: Results", "July 6, 2031: Opening"],
    ],
)
def test_a_timeline_of_dates_and_entries_stays_with_the_paragraph_above(
    timeline: list[str],
) -> None:
    """Dates in calendar order, each heading one short line, inside the text: a timeline.
    Its dates neither go to metadata nor cut the paragraph above as page chrome."""
    lines = [BODY_1, *timeline, BODY_2, BODY_3]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == lines
    assert "date" not in doc.metadata
    assert not boilerplate_edits(doc)


def test_a_timeline_under_a_colon_heading_may_open_the_text() -> None:
    lines = ["Key dates:", "May 4, 2031", "Survey closes", "June 1, 2031", "Results"]
    lines += ["July 6, 2031", "New hours start", BODY_1, BODY_2]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == lines


RECENT = ["Bike lanes for the old town", "Harbour ferry returns", "New mayor sworn in"]


@pytest.mark.parametrize(
    "page",
    [
        # newest first, between paragraphs
        [
            BODY_1,
            "May 9, 2031",
            RECENT[0],
            "May 7, 2031",
            RECENT[1],
            "May 2, 2031",
            RECENT[2],
            BODY_2,
            BODY_3,
        ],
        # in calendar order, but after the text: a sidebar, not a timeline
        [
            BODY_1,
            BODY_2,
            "May 2, 2031",
            RECENT[0],
            "May 7, 2031",
            RECENT[1],
            "May 9, 2031",
            RECENT[2],
        ],
        # labelled stamps between entries
        [
            BODY_1,
            "Updated May 2, 2031",
            "Bike lanes",
            "Updated May 7, 2031",
            "Ferry",
            "Updated May 9, 2031",
            "Mayor",
            BODY_2,
            BODY_3,
        ],
    ],
)
def test_dates_between_short_lines_that_are_no_timeline_still_move(page: list[str]) -> None:
    doc = run("\n".join(page))
    assert doc.metadata["date"] in {"2031-05-02", "2031-05-09"}
    assert not any(line.startswith(("May ", "Updated")) for line in doc.text.split("\n"))


def test_a_recent_posts_list_in_calendar_order_goes_with_its_header() -> None:
    """A sidebar list of titles and dates inside the text goes as the list under its
    header, and the paragraphs above it stay."""
    days = ["May 2, 2031", "May 7, 2031", "May 9, 2031", "May 12, 2031"]
    pairs = [line for pair in zip([*RECENT, "Market moves"], days, strict=True) for line in pair]
    doc = run("\n".join([BODY_1, BODY_2, "Recent posts", *pairs, BODY_3, BODY_1]))
    # the paragraphs after the list go too, as a tail after a closing marker (an old
    # weakness: a schedule's lines must not carry the text across a header)
    assert doc.text.split("\n")[:2] == [BODY_1, BODY_2]
    assert not set(doc.text.split("\n")) & {*RECENT, *days, "Recent posts"}


@pytest.mark.parametrize(
    "head",
    [
        ["June 5, 2031", "June 5, 2031 10:15", "Updated June 6, 2031"],
        # labelled stamps naming three days
        ["Published June 5, 2031", "Updated June 6, 2031", "Last modified June 7, 2031"],
        ["Veröffentlicht am 5. Juni 2031", "Aktualisiert am 6. Juni 2031", "Stand 7. Juni 2031"],
        # newest first: a date navigation, an archive
        ["June 7, 2031", "June 6, 2031", "June 5, 2031"],
        # two dates under a line of page chrome that ends in a colon
        ["Share this:", "June 5, 2031", "Updated June 6, 2031"],
    ],
)
def test_a_posts_own_date_lines_still_move_to_metadata(head: list[str]) -> None:
    """Stamps that carry labels, name one or two days, or run newest first are page
    chrome, not a schedule."""
    doc = run("\n".join(["Library Opens Late on Thursdays", *head, BODY_1, BODY_2, BODY_3]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert doc.metadata["date"] in {"2031-06-05", "2031-06-07"}


@pytest.mark.parametrize(
    ("lead", "dateline"),
    [
        ("OSLO (Reuters) - ", "OSLO (Reuters)"),
        ("Harbour City: ", "Harbour City"),
        ("LISBON — ", "LISBON"),
    ],
)
def test_dateline_prefix_moves_and_sentence_stays(lead: str, dateline: str) -> None:
    doc = run(f"{lead}{BODY_1}\n{BODY_2}")
    assert doc.metadata["dateline"] == dateline
    assert doc.paragraphs[0].text == BODY_1


def test_title_line_goes_to_metadata() -> None:
    doc = run(f"Library Opens Late on Thursdays\n\n{BODY_1}\n\n{BODY_2}")
    assert doc.metadata["title"] == "Library Opens Late on Thursdays"
    assert "Library Opens" not in doc.text


def test_caption_with_agency_credit_goes_to_captions() -> None:
    caption = "Readers queue outside the library (AFP)"
    doc = run(f"Library Opens Late\n\n{caption}\n\n{BODY_1}\n\n{BODY_2}")
    assert doc.metadata["captions"] == [caption]


def test_multi_line_paragraph_logs_each_removed_line() -> None:
    text = f"{BODY_1}\n\nShare this article\nAdvertisement\n\n{BODY_2}"
    doc = run(text)
    removed = [e for e in boilerplate_edits(doc) if e.action == "remove"]
    assert [e.before for e in removed] == ["Share this article", "Advertisement"]
    assert doc.text == f"{BODY_1}\n\n{BODY_2}"


# --- truncation ------------------------------------------------------------------------

CUT = "The new opening hours were welcomed by the readers' association, which had asked for"


def test_cut_off_last_paragraph_is_flagged() -> None:
    doc = run(f"{BODY_1}\n\n{CUT}")
    assert "truncated" in doc.paragraphs[-1].flags
    assert doc.paragraphs[-1].text == CUT


def test_trim_truncated_keeps_the_last_complete_sentence() -> None:
    doc = run(f"{BODY_1}\n\n{BODY_3} {CUT}", trim_truncated=True)
    assert doc.paragraphs[-1].text == BODY_3
    assert any(e.rule == "truncated" and e.action == "replace" for e in doc.edits)


# --- user rules and repeated lines ----------------------------------------------------


def test_user_phrases_and_patterns() -> None:
    text = f"{BODY_1}\nGet the Daily Bugle app\nTicket code: 99-AB\n{BODY_2}"
    doc = run(text, extra_phrases=("Get the Daily Bugle app",), extra_patterns=(r"^ticket code:",))
    assert doc.text == f"{BODY_1}\n{BODY_2}"
    assert {e.rule for e in boilerplate_edits(doc)} == {"user"}


def test_config_file_options_reach_the_stage(tmp_path: Path) -> None:
    config = tmp_path / "textwash.toml"
    config.write_text('[boilerplate]\nextra_phrases = ["Brought to you by Acme"]\n')
    text = f"{BODY_1}\nBrought to you by Acme\n{BODY_2}"
    assert textwash.clean(text, stages=["boilerplate"], config=config) == f"{BODY_1}\n{BODY_2}"


def test_repeated_lines_across_one_source() -> None:
    footer = "Valley Courier is an independent local paper"
    docs = [
        Document.from_text(f"{BODY_1} {n}\n{footer}\n{BODY_2}", metadata={"source": "vc"})
        for n in range(4)
    ]
    index = RepeatedLineIndex()
    for doc in docs:
        index.add(doc)
    stage = BoilerplateStage(index=index, repeated_lines_min_docs=3)
    out = stage.apply(docs[0])
    assert footer not in out.text
    assert any(e.rule == "repeated_lines" for e in out.edits)
    other = Document.from_text(f"{BODY_1}\n{footer}\n{BODY_2}", metadata={"source": "other"})
    assert footer in stage.apply(other).text


# --- HTML ------------------------------------------------------------------------------


def test_html_article_text_and_metadata() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    doc = textwash.analyze(html, html=True, stages=["html", "encoding", "boilerplate"])
    assert doc.metadata["title"] == "Lighthouse Keeper Retires After Forty Years"
    assert doc.text.startswith("After forty years of climbing")
    assert "A Museum for the Tower" in doc.text
    for junk in ("Leave a Reply", "Share this article", "will not be published", "©"):
        assert junk not in doc.text
    assert len(doc.paragraphs) >= 5  # paragraph breaks survive extraction


def test_html_fast_metadata_reads_meta_tags_in_any_attribute_order() -> None:
    page = (
        "<html><head><title>Gulls Return | Harbour News</title>"
        '<meta content="2030-04-02T09:00:00+02:00" property="article:published_time">'
        "<meta name='author' content='Ida Lund'>"
        '<meta property="og:site_name" content="Harbour News"></head><body></body></html>'
    )
    found = head_metadata(page)
    assert found == {
        "title": "Gulls Return | Harbour News",
        "date": "2030-04-02",
        "byline": "Ida Lund",
        "site_name": "Harbour News",
    }


@pytest.mark.parametrize(
    ("recall_text", "taken"),
    [
        (f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}", True),  # precision lost the article
        (f"Subscribe to read.\n\n{BODY_3}", False),  # only a little more: precision stands
    ],
)
def test_html_thin_precision_text_is_extracted_again_with_recall(
    monkeypatch: pytest.MonkeyPatch, recall_text: str, taken: bool
) -> None:
    import trafilatura

    def extract(page: str, **options: object) -> SimpleNamespace:
        return SimpleNamespace(text=recall_text if options["favor_recall"] else BODY_3)

    monkeypatch.setattr(trafilatura, "bare_extraction", extract)
    doc = textwash.analyze("<html></html>", html=True, stages=["html"])
    assert doc.text == (recall_text if taken else BODY_3)
    off = {"html": {"retry_below": 0}}
    assert textwash.analyze("<html></html>", html=True, stages=["html"], config=off).text == BODY_3


# --- properties ------------------------------------------------------------------------

POOL = [
    BODY_1,
    BODY_2,
    BODY_3,
    CUT,
    "Leave a Reply",
    "Share",
    "Related Articles",
    "Help Arrives From the Valley",
    "March 3, 2031",
    "By Clara Beck",
    "Advertisement",
    "Photo: Sam Field/AFP",
    "© 2031 Valley Courier",
    "Two ripe tomatoes",
    "14 Comments",
    "OSLO (Reuters) - " + BODY_2,
    " date 2031-02-09 " + BODY_3,
    "Home > News",
]
documents = st.lists(st.sampled_from(POOL), min_size=1, max_size=14).map("\n".join)
noise = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _is_subsequence(outputs: list[str], inputs: list[str]) -> bool:
    """Each output line is an input line (or its tail, after a prefix moved), in order."""
    it = iter(inputs)
    return all(any(inp == out or inp.endswith(out) for inp in it) for out in outputs)


@PROPS
@given(documents)
def test_output_lines_are_a_subsequence_of_input_lines(text: str) -> None:
    doc = run(text)
    outputs = [line for line in doc.text.split("\n") if line]
    assert _is_subsequence(outputs, text.split("\n"))


@PROPS
@given(documents)
def test_annotate_only_leaves_text_unchanged(text: str) -> None:
    before = Document.from_text(text).text
    doc = run(text, annotate_only=True)
    assert doc.text == before
    assert all(not e.applied for e in doc.edits if e.action != "flag")


@PROPS
@given(st.one_of(documents, noise))
def test_stage_never_raises(text: str) -> None:
    run(text)
    run(text, annotate_only=True, trim_truncated=True)


@PROPS
@given(documents)
def test_stage_is_idempotent(text: str) -> None:
    once = run(text, trim_truncated=True)
    twice = BoilerplateStage(trim_truncated=True).apply(
        Document.from_text(once.text, metadata=dict(once.metadata))
    )
    assert twice.text == once.text


def test_head_date_time_lines_and_split_byline_move_to_metadata() -> None:
    head = ["By", "Clara Beck", "Clara Beck - Mar 3, 2031, 9:15 pm CET", "• 3 min read"]
    doc = run("\n".join([*head, BODY_1, BODY_2, BODY_3]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert doc.metadata["byline"] == "Clara Beck"
    assert doc.metadata["date"] == "2031-03-03"


def test_headline_list_before_the_text_goes_but_score_rows_stay() -> None:
    teasers = [
        "Harbour Ferry Gets a New Timetable for the Winter",
        "Five Walks Along the Old Canal You Should Try",
        "Council Approves Budget for the Sports Hall Roof",
    ]
    assert run("\n".join([*teasers, BODY_1, BODY_2])).text.split("\n") == [BODY_1, BODY_2]
    scores = [
        "Northfield 12 9 14 20 — 55",
        "Eastbrook 10 15 8 11 — 44",
        "Northfield d. Eastbrook 55-44",
    ]
    doc = run("\n".join([*scores, BODY_1, BODY_2]))
    assert doc.text.split("\n")[-4:] == [*scores[1:], BODY_1, BODY_2]
    assert not [e for e in boilerplate_edits(doc) if e.rule == "edge"]


def test_blog_archive_widget_goes() -> None:
    archive = ["2031", "March (4)", "February (11)", "Januar 2031 (2)"]
    doc = run("\n".join([BODY_1, BODY_2, BODY_3, *archive]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]


def test_long_menu_far_before_the_text_goes_but_a_table_stays() -> None:
    menu = [f"Section {a}{b}" for a in "ABCD" for b in "XYZWVUTSRQ"]
    body = [BODY_1, BODY_2, "Opening hours", "Monday", "Tuesday", BODY_3] * 3
    assert run("\n".join([*menu, *body])).text.split("\n")[-len(body) :] == body
    assert "Section AX" not in run("\n".join([*menu, *body])).text
    table = [f"{n} {n * 3} {n * 7}" for n in range(1, 30)]
    text = "\n".join([*table, *body])
    assert run(text).text.split("\n")[: len(table)] == table


def test_counted_label_and_inline_related_link() -> None:
    doc = run(
        "\n".join(
            [
                BODY_1,
                "View all (23)",
                BODY_2,
                "Related: Ferry Timetable Changes",
                "What the Council Decided",
                BODY_3,
            ]
        )
    )
    assert doc.text.split("\n") == [BODY_1, BODY_2, "What the Council Decided", BODY_3]


def test_line_model_weights_load_and_can_be_switched_off() -> None:
    model = line_model()
    assert len(model.weights) == len(FEATURES) and 0.0 <= model.threshold < 1.0
    assert model.threshold < model.restore <= 1.0
    text = "\n".join([BODY_1, BODY_2, "Opening hours 2031", "Share this article", BODY_3])
    with_model, rules = run(text), run(text, line_model=False)
    assert BODY_1 in with_model.text and BODY_3 in with_model.text
    assert "Share this article" not in with_model.text and "Share this article" not in rules.text


ARTICLE = [BODY_1, BODY_2, BODY_3] * 4  # well over the body a closing section needs


def test_comment_section_the_main_text_ran_into_goes() -> None:
    comment = (
        "I have been waiting for longer opening hours at the library for years, and the "
        "teenage reading room is a great idea too. My daughter will be thrilled to hear "
        "this, she studies there every week after her shift at the bakery ends."
    )
    thread = ["Comments", "Reply"]
    for who in ("mara_k", "oldreader", "tomtom", "quietfox", "ben_r", "ivy"):
        thread += [who, "2 days ago", comment, "Reply"]
    doc = run("\n".join([*ARTICLE, *thread]))
    assert doc.text.split("\n") == ARTICLE
    # a share row between paragraphs does not close the text
    middle = ["Share", "Tweet", "Email"]
    text = "\n".join([*ARTICLE, *middle, *ARTICLE])
    assert run(text).text.split("\n") == [*ARTICLE, *ARTICLE]


def test_page_header_above_a_marker_goes_but_the_headline_stays() -> None:
    header = [f"{place} news" for place in ("Harbour", "Hill", "Old Town", "Canal", "Park")]
    header += [f"{sport} results" for sport in ("Rowing", "Cricket", "Chess", "Netball")]
    header += ["Weather", "Events", "Letters", "Puzzles", "Recipes", "Gardening"]
    headline = "Library Hours Grow Longer on Thursdays"
    lines = [*header, headline, "March 3, 2031", BODY_1, BODY_2, BODY_3]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert doc.metadata["title"] == headline and doc.metadata["date"] == "2031-03-03"


# --- phrase tables by the document's language ------------------------------------------

DE_BODY = [
    "Die Stadtbibliothek hat in diesem Jahr mehr Besucher gezählt als je zuvor, und die "
    "Leitung will die Öffnungszeiten am Abend deshalb noch einmal verlängern.",
    "Vor allem Schüler und Studenten nutzen die neuen Lesesäle, in denen es auch am "
    "Wochenende ruhig ist und genug Plätze für alle gibt.",
]


def test_language_guess_reads_function_words() -> None:
    from textwash.boilerplate import guess_language

    assert guess_language("\n".join([BODY_1, BODY_2, BODY_3])) == "en"
    assert guess_language("\n".join(DE_BODY)) == "de"
    assert guess_language("Lorem ipsum\n12 34") is None


def test_other_languages_tables_do_not_touch_an_english_heading() -> None:
    # "disclaimer" is page chrome in the Dutch table, a heading in English text
    text = "\n".join([BODY_1, BODY_2, "Disclaimer", BODY_3])
    assert "Disclaimer" in run(text).text.split("\n")
    assert "Disclaimer" not in run(text, guess_language=False).text.split("\n")


def test_german_text_uses_german_and_english_tables() -> None:
    doc = run("\n".join([DE_BODY[0], "Artikel teilen", DE_BODY[1], "Share this article"]))
    assert doc.text.split("\n") == DE_BODY
    assert {e.rule for e in boilerplate_edits(doc)} == {"share:de", "share:en"}


def test_unrecognised_language_uses_all_tables() -> None:
    lines = [
        "Ez a bekezdés egy hosszabb magyar mondat, amely a könyvtár új nyitvatartásáról "
        "szól és elég hosszú ahhoz, hogy szövegnek számítson.",
        "Artikel teilen",
    ]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == lines[:1]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("4 of 15", "gallery:en"),
        ("Back to Gallery", "navigation:en"),
        ("Loading comments...", "comments:en"),
        ("Follow me on", "share:en"),
        ("Marta Lind Submitted photo", "credits:en"),
        ("First published on March 3, 2031 / 9:15 AM", "date"),
        ("The harbour master at the new pier Jane Roe via AP", "credits"),
        ("A gull on the old pier in the morning fogCredit: Jane Roe", "credits"),
        ("Media captionThe harbour master opens the new pier", "credits:en"),
        ("Unsubscribe at any time. We will never share your email with anyone.", "newsletter:en"),
        ("Tom Poe contributed reporting from the harbour office.", "contributors:en"),
        ("Additional reporting by Jane Roe", "contributors:en"),
        ("1.2k Shares", "share:en"),
        ("Like this story? Pass it on to a friend!", "share:en"),
        ("Sharing is caring!", "share:en"),
        ("Write to Jane Roe at jroe@example.org", "share:en"),
        ("In This Article:", "related:en"),
        ("You May Also Be Interested In", "related:en"),
        ("Harbour news daily! Sign up for our Free Weekly Newsletters here", "newsletter:en"),
        ("If you buy something through this post, we may get a share of the sale.", "affiliate:en"),
        (
            "We may earn a commission if you buy through recommended links in this article.",
            "affiliate:en",
        ),
        ("Related coverage from the Weekend Desk:", "related:en"),
    ],
)
def test_generic_cms_lines_go(line: str, rule: str) -> None:
    doc = run("\n".join([BODY_1, BODY_2, line, BODY_3]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]
    assert next(e for e in boilerplate_edits(doc) if e.before == line).rule == rule


def test_counts_and_follow_inside_sentences_stay() -> None:
    lines = [
        BODY_1,
        "Readers who sign up for our weekly newsletter get the ferry timetable first, she said.",
        "Last year more than 12,000 residents chose to sign up for our free weekly newsletter.",
        "Followers who buy the lipstick through this video earn her a commission of 15 percent.",
        "Residents who buy stamps through our post office earn the shop a share of the revenue.",
        "Critics say the platforms earn a commission on these recommended links, she said.",
        "Only 4 of 15 ferries left on time, and the council wants to know why.",
        "Follow me on the walk along the old canal, said the guide to the group.",
        BODY_3,
    ]
    assert run("\n".join(lines)).text.split("\n") == lines


def test_privacy_promise_inside_a_news_sentence_stays() -> None:
    line = (
        "The clinic said it would never share your email or phone number with insurers, a "
        "promise the regulator now wants written into law."
    )
    lines = [BODY_1, line, BODY_2, BODY_3]
    assert run("\n".join(lines)).text.split("\n") == lines


def test_sentence_made_of_several_cms_phrases_goes_but_one_quoted_phrase_stays() -> None:
    form = (
        "We send it every Friday morning, delivered to your inbox, and you can unsubscribe at "
        "any time with a single click."
    )
    quote = (
        "The mayor joked that the new ferry timetable would be delivered to your inbox before "
        "the ferries themselves ever arrived at the harbour on time."
    )
    doc = run("\n".join([BODY_1, BODY_2, quote, BODY_3, form]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, quote, BODY_3]


def test_model_does_not_touch_a_document_without_paragraphs() -> None:
    # a lone headline or a short list: nothing to compare a line with, the rules decide
    lines = ["Harbour Ferry Gets a New Timetable", "Opening hours", "Tickets and prices"]
    assert run("\n".join(lines)).text.split("\n") == lines


def test_all_lowercase_text_is_cleaned_in_one_run() -> None:
    """A text that lost its capitals: the dateline, byline, title and author box are
    judged case-blind, so the casing stage's repairs leave a second run nothing to do."""
    text = (FIXTURES / "caseless" / "article.txt").read_text(encoding="utf-8")
    once = textwash.clean(text)
    assert textwash.clean(once) == once
    doc = textwash.analyze(text)
    assert doc.metadata["dateline"] == "tromsø (nordic wire)"
    assert doc.metadata["byline"] == "ingrid haugen"
    assert "ingrid haugen is a reporter" not in doc.text.lower()
    assert "island councils said the change" in doc.text.lower()


def test_all_lowercase_lead_keeps_a_phrase_before_a_colon() -> None:
    """Case-blind is not blind to function words: "the short answer:" is no place."""
    text = (FIXTURES / "caseless" / "lead_colon.txt").read_text(encoding="utf-8")
    doc = textwash.analyze(text, stages=["boilerplate"])
    assert "dateline" not in doc.metadata
    assert doc.text.strip() == text.strip()
    once = textwash.clean(text)
    assert textwash.clean(once) == once


@pytest.mark.parametrize(
    "line",
    [
        "The bank says it will never share your data with advertisers.",
        "Research by Oxford economists shows that harbour wages fell last year.",
        "Scientists from five universities contributed reporting tools and data to the "
        "survey, which ran for three years along the whole coast.",
    ],
)
def test_news_sentences_with_credit_or_promise_words_stay(line: str) -> None:
    lines = [BODY_1, BODY_2, line, BODY_3]
    assert run("\n".join(lines)).text.split("\n") == lines


@pytest.mark.parametrize(
    "ending",
    [
        # an article about a journalist may end on her; nothing round it says "box"
        [
            "Ana Cruz is a veteran journalist who co-founded a harbour newspaper and has "
            "faced a series of charges that her supporters call politically motivated."
        ],
        # a heading "About ..." over a paragraph that is no bio of anyone it names
        ["About Face Masks", "The masks were handed out in every school across the region."],
    ],
)
def test_a_closing_paragraph_about_a_person_or_topic_stays(ending: list[str]) -> None:
    lines = [BODY_1, BODY_2, BODY_3, *ending]
    assert run("\n".join(lines)).text.split("\n") == lines


# --- lines left inside a block of chrome ------------------------------------------------

BODY_4 = "The council will review the new hours after a year and publish the visitor numbers."
BODY_5 = "Readers can suggest further changes at the front desk or on the library's own forms."
BODY_6 = "Opening hours on public holidays stay as they are, with the doors closed at noon."
BODY_7 = "The old card catalogue moves to the basement, where visitors can still browse it."


def test_lines_left_between_lines_that_go_leave_too() -> None:
    # a gallery widget: the tables know "Image" and "Close", not the counter between them
    widget = ["Image", "1", "of", "5", "Town Hall at Night", "Close"]
    doc = run("\n".join([BODY_1, BODY_2, *widget, BODY_3, BODY_4, BODY_5]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3, BODY_4, BODY_5]
    assert {e.before for e in boilerplate_edits(doc) if e.rule == "island"} == {
        "1",
        "of",
        "5",
        "Town Hall at Night",
    }


@pytest.mark.parametrize(
    "middle",
    [
        # a subheading with a paragraph on one side
        ["Advertisement", "Help Arrives From the Valley", BODY_7],
        # a sentence between two lines that go, long or short
        ["Advertisement", BODY_7, "Advertisement"],
        ["Advertisement", "The mayor said no.", "Advertisement"],
        # a list longer than a widget's leftovers
        ["Advertisement", "Bread", "Milk", "Eggs", "Apples", "Rice", "Advertisement"],
        # ads sit at paragraph breaks: a subheading or a fact box between two of them
        ["Advertisement", "What happens next", "Advertisement"],
        [
            "Advertisement",
            "Key figures in the budget:",
            "$4.2 million for road repairs",
            "$1.1 million for new school buses",
            "12 new teaching posts",
            "Advertisement",
        ],
        # a line ending in a colon introduces what follows, even inside widget lines
        ["Video", "In numbers:", "12 new teaching posts", "Close"],
    ],
)
def test_text_next_to_lines_that_go_is_kept(middle: list[str]) -> None:
    doc = run("\n".join([BODY_1, BODY_2, BODY_3, *middle, BODY_4, BODY_5, BODY_6]))
    chrome = {"Advertisement", "Video", "Close"}
    kept = [line for line in middle if line not in chrome]
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3, *kept, BODY_4, BODY_5, BODY_6]


def test_photo_credits_bound_no_island() -> None:
    # credits sit at paragraph breaks too; the line model is off to see the island rule
    # alone (it judges this subheading on its own)
    middle = ["Photo: Jane Roe", "Help Arrives From the Valley", "Photo: Tom Poe"]
    doc = run("\n".join([BODY_1, BODY_2, BODY_3, *middle, BODY_4, BODY_5]), line_model=False)
    assert "Help Arrives From the Valley" in doc.text.split("\n")
    assert not [e for e in boilerplate_edits(doc) if e.rule == "island"]


@pytest.mark.parametrize(
    "lines",
    [
        # a chorus line repeated further down, not in a row
        [BODY_1, "Let the river run", BODY_2, "Let the river run", BODY_3],
        # a short label printed twice in a row ("Yes" / "Yes" in a vote table)
        [BODY_1, BODY_2, "Yes", "Yes", BODY_3],
        # a sentence said twice on purpose
        [BODY_1, BODY_2, "We will never close this library.", "We will never close this library."],
        # table cells repeating in pairs
        [BODY_1, BODY_2, BODY_3, "Draw", "Loss", "Draw", "Loss", BODY_4, BODY_5],
        # a chant quoted as two lines, in the text and closing it; a refrain
        [BODY_1, BODY_2, "No justice, no peace", "No justice, no peace", BODY_3, BODY_4],
        [BODY_1, BODY_2, BODY_3, BODY_4, "No justice, no peace", "No justice, no peace"],
        [BODY_1, BODY_2, *["Row the boat to the far shore", "And sing"] * 2, BODY_3, BODY_4],
    ],
)
def test_lines_repeated_in_a_row_are_kept(lines: list[str]) -> None:
    # a line or block printed twice is the writer's as often as the page's: no rule for it
    assert run("\n".join(lines)).text.split("\n") == lines


# --- commissions in the news are no affiliate disclosure -----------------------------

FR_BODY = [
    "La bibliothèque municipale restera ouverte plus tard le jeudi à partir du mois "
    "prochain, a annoncé le conseil.",
    "Les employés disent que les nouveaux horaires aideront les étudiants qui travaillent "
    "pendant la journée.",
    "Une salle de lecture pour les adolescents ouvrira au deuxième étage cet automne.",
]
NL_BODY = [
    "De bibliotheek van de stad blijft vanaf volgende maand op donderdag langer open, zo "
    "maakte de raad bekend.",
    "Het personeel zegt dat de nieuwe tijden de studenten helpen die overdag moeten werken "
    "en niet eerder kunnen komen.",
    "Een leeszaal voor jongeren gaat in het najaar open op de tweede verdieping, en is voor "
    "iedereen gratis.",
]
EN_BODY = [BODY_1, BODY_2, BODY_3]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # a commission, the reader buying, "our", but no page links in the clause
        (
            EN_BODY,
            "If you buy a house through an agent, you will usually pay a commission of 5 to "
            "6 percent, and our analysis found that most buyers never ask for a lower rate.",
        ),
        (
            EN_BODY,
            "Airlines stopped paying us a commission years ago, said one agent in Ohio. If you "
            "click on a fare online, the booking goes straight to the carrier.",
        ),
        (
            EN_BODY,
            "The brokers earn a commission on each sale; readers can find the links to the "
            "filings below.",
        ),
        (
            EN_BODY,
            "Golfers at the links in St Andrews said the club would receive a share of the "
            "revenue from the open.",
        ),
        # news about affiliate links: links, but not the page's own
        (
            EN_BODY,
            "Critics say influencers earn a commission on links they post without telling "
            "followers.",
        ),
        (
            DE_BODY,
            "Über Links in sozialen Netzwerken verdienen Influencer oft eine Provision, sagen "
            "Verbraucherschützer.",
        ),
        (
            FR_BODY,
            "Les influenceurs touchent une commission via les liens qu'ils publient, selon "
            "l'enquête.",
        ),
        (
            EN_BODY,
            "Los influencers cobran una comisión por los enlaces que publican, según el estudio.",
        ),
        # someone's words, in quotation marks
        (
            EN_BODY,
            '"If you buy a policy through our links, we take a commission," the chief '
            "executive told reporters.",
        ),
        # "liens", "links" (the political left), "Vergütung", "vergoeding" alone
        (
            FR_BODY,
            "« Nos liens avec la Commission européenne restent solides », a déclaré le ministre.",
        ),
        (
            FR_BODY,
            "Nos liens avec la Commission européenne restent solides, a déclaré le ministre.",
        ),
        (
            DE_BODY,
            "„Wir stehen politisch links und fordern eine faire Vergütung für alle "
            "Pflegekräfte“, sagte die Vorsitzende.",
        ),
        (
            DE_BODY,
            "Wir stehen politisch links und fordern eine faire Vergütung für alle "
            "Pflegekräfte, sagte die Vorsitzende.",
        ),
        (
            NL_BODY,
            '"Wij staan links en wij willen een eerlijke vergoeding voor het zorgpersoneel", '
            "zei de voorzitter.",
        ),
        (
            NL_BODY,
            "Wij staan links en wij willen een eerlijke vergoeding voor het zorgpersoneel, "
            "zei de voorzitter.",
        ),
    ],
)
@pytest.mark.parametrize("guess", [True, False], ids=["own-language", "all-tables"])
def test_commissions_in_the_news_are_kept(body: list[str], line: str, guess: bool) -> None:
    lines = [*body, line, *body]
    assert run("\n".join(lines), guess_language=guess).text.split("\n") == lines


def test_a_quote_about_commissions_leaves_the_line_above_it_alone() -> None:
    # a false hit at the top used to take the lead above it as an edge line
    lead = "The regulator published new rules on Monday."
    quote = (
        '"If you buy a policy through us, you should know what commission we take," the '
        "chief executive told reporters."
    )
    lines = [lead, quote, BODY_1, BODY_2, BODY_3, BODY_4]
    assert run("\n".join(lines)).text.split("\n") == lines


@pytest.mark.parametrize(
    "line",
    [
        "We may earn a commission when you buy through links on our site.",
        "When you buy through links on our site, we may earn an affiliate commission.",
        "If you buy something through one of these links, we may earn a commission.",
    ],
)
def test_affiliate_disclosures_in_either_order_leave(line: str) -> None:
    doc = run("\n".join([BODY_1, BODY_2, line, BODY_3, BODY_4]))
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3, BODY_4]


def test_headline_judged_with_the_capitals_casing_would_give_back() -> None:
    """A head line whose words the document writes capitalised mid-sentence is Title Case:
    casing will give them their capitals, and a second run must not find a new headline."""
    head = "Work on the harbour bridge"
    text = f"{head}\n\nWe crossed the Harbour Bridge\n\n{BODY_1}\n\n{BODY_2}"
    doc = run(text)
    assert doc.metadata["title"] == head
    once = textwash.clean(text)
    assert textwash.clean(once) == once


@pytest.mark.parametrize(
    "event",
    ["Domingo 8 de junio de 2031 a las 18:30", "Sábado 14 de junio de 2031 a las 21:00"],
)
def test_an_event_line_with_a_time_connector_stays_in_the_text(event: str) -> None:
    """A day and a time alone ("a las") make an event line, content, not a date line."""
    lines = [BODY_1, event, BODY_2, BODY_3]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == lines
    assert "date" not in doc.metadata


def test_a_schedule_before_a_closing_marker_does_not_carry_the_text_across_it() -> None:
    """A schedule's lines are no sentences: the footer after "About us" still goes."""
    footer = "We are a tiny team of reporters who have written about the river towns since 1987."
    schedule = ["May 3, 2031", "May 17, 2031", "May 31, 2031"]
    doc = run("\n".join([BODY_1, BODY_2, *schedule, "About us", footer]))
    assert footer not in doc.text
    assert doc.text.split("\n")[:2] == [BODY_1, BODY_2]


@pytest.mark.parametrize(
    "block",
    [
        # comments: sentences under dates, with or without their header
        [
            "May 5, 2031",
            "Lovely idea, well done.",
            "May 6, 2031",
            "Will it cost more?",
            "May 7, 2031",
            "About time too.",
        ],
        ["Comments", "May 5, 2031", "Lovely idea", "May 6, 2031", "Costs?", "May 7, 2031", "Ok"],
    ],
)
def test_comments_under_dates_are_no_timeline(block: list[str]) -> None:
    """Dates heading short sentences between paragraphs are more often comments than a
    timeline: their dates still go (and the first one is no timeline's date in the text)."""
    doc = run("\n".join([BODY_1, BODY_2, *block, BODY_3]))
    assert not any(line.startswith("May ") for line in doc.text.split("\n"))


def test_a_widget_above_the_post_is_no_timeline() -> None:
    """Dates and short lines under a one-line tagline, then the post's stamp and title:
    the widget is no timeline, so the title still goes to metadata."""
    widget = ["May 2, 2031", "Garden open day", "May 3, 2031", "Quiz night"]
    widget += ["May 4, 2031", "Choir concert"]
    page = "\n\n".join(
        [
            "Welcome to the Riverside Arts Club, bringing music and painting to town since 1961.",
            "\n".join(widget),
            "May 5, 2031\nLibrary Opens Late on Thursdays",
            BODY_1,
            BODY_2,
        ]
    )
    doc = run(page)
    assert doc.metadata.get("title") == "Library Opens Late on Thursdays"
    assert not any(line in doc.text for line in widget)


def test_a_title_case_timeline_under_a_one_line_lead_stays() -> None:
    """A known miss stays one: a tagline over a widget of dated posts and then the post's
    stamp and headline, with no blank line anywhere, reads line for line as this timeline
    (one line of text, ascending dates, Title Case entries, the last just over the text).
    Refusing such blocks cut the lead, the timeline and made an entry the title, a worse
    loss than the widget kept, so the two are not told apart."""
    timeline = ["May 4, 2031", "Survey Closes", "June 1, 2031", "Results Are Published"]
    timeline += ["July 6, 2031", "New Opening Hours Start"]
    lines = [BODY_1, *timeline, BODY_2, BODY_3]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == lines
    assert "title" not in doc.metadata


# --- credit labels split from their value, Russian tables, look-alikes ---------------------

RU_1 = (
    "Городская библиотека будет работать по четвергам до десяти вечера, сообщили в "
    "администрации после опроса двух тысяч читателей."
)
RU_2 = (
    "По словам сотрудников, новые часы помогут студентам, которые работают днём, и семьям, "
    "которые не могут прийти в выходные."
)


@pytest.mark.parametrize(
    ("label", "value", "credit"),
    [
        ("Photo:", "Jane Roe for the Harbour Gazette", "Photo: Jane Roe for the Harbour Gazette"),
        ("Credit:", "Jane Roe, Harbour Gazette", "Credit: Jane Roe, Harbour Gazette"),
        # white space the scrape left in the label: one space in the credit
        ("Image\u00a0source:", "Jane Roe/Agency", "Image source: Jane Roe/Agency"),
        ("Image  credit:", "Tom Poe/Agency", "Image credit: Tom Poe/Agency"),
    ],
)
def test_a_credit_label_alone_heads_its_value_on_the_next_line(
    label: str, value: str, credit: str
) -> None:
    # the name above the label is a subheading of the text, not the credit's caption
    doc = run("\n".join([BODY_1, "Jane Roe", label, value, BODY_2, BODY_3]))
    assert doc.text.split("\n") == [BODY_1, "Jane Roe", BODY_2, BODY_3]
    assert doc.metadata["captions"] == [credit]
    # the value's rule; "Photo" alone is also a navigation line, whose cut of it stands
    assert {e.rule for e in boilerplate_edits(doc)} - {"navigation:en"} == {"credits:en"}


@pytest.mark.parametrize("label", ["Фото:", "Иллюстрация:"])
def test_a_credit_label_is_asked_in_the_texts_own_language(label: str) -> None:
    doc = run("\n".join([RU_1, label, "Иван Петров, Городская газета", RU_2]))
    assert doc.text.split("\n") == [RU_1, RU_2]
    assert doc.metadata["captions"] == [f"{label} Иван Петров, Городская газета"]
    assert {e.rule for e in boilerplate_edits(doc)} == {"credits:ru"}
    # a German label in an English text is no label
    lines = [BODY_1, BODY_2, "Bildnachweis:", "Max Muster", BODY_3]
    assert "Max Muster" in run("\n".join(lines)).text.split("\n")


@pytest.mark.parametrize(
    "lines",
    [
        # a label over a sentence, a heading or a list item is no split credit
        ["Photo:", "The harbour at dawn, seen from the old lighthouse on the pier."],
        ["Photo:", "The long road home"],
        ["Video:", "How the bridge collapsed"],
        ["Pictured:", "Best novel: The Salt Road"],
        ["Image\u00a0source:", "Harbour museum archive"],
        ["Foto:", "Die lange Reise nach Hause"],
        # names, but a list of them: moving the first would break it
        ["Credit:", "Jane Roe", "Tom Poe", "Ann Lee"],
        # a line that ends in a colon but is no label, over a short line
        ["Here is what the readers asked for:", "Longer opening hours"],
        # the label without its colon, over the rest of a sentence split by a link
        ["Photos", "which were shared online by the library last week"],
        # a value that is a line of the text, a heading or an interview's speaker: a credit
        # is a name and its agency (second review)
        ["Photo:", "Maria Alvarez, 41, lost her stall in May"],
        ["Image:", "Residents of the old quarter have signed a petition"],
        ["Credit:", "Jobs for the young are scarce here now"],
        ["Photo:", "Tom Berg - a baker who lost his shop"],
        ["Photo:", "Riverside Market"],
        ["Photo:", "How The Bridge Was Built"],
        ["Photo:", "Clara Holm", BODY_2],
        ["Фото:", "Анна Смирнова, 52 года, лишилась киоска весной"],
        ["Фото:", "Новая Набережная"],
    ],
)
def test_lines_that_look_like_a_split_credit_stay(lines: list[str]) -> None:
    doc = run("\n".join([BODY_1, BODY_2, *lines, BODY_3]))
    for line in lines[1:]:
        assert line in doc.text.split("\n")
    assert "captions" not in doc.metadata


def test_a_russian_text_gets_the_russian_tables_and_its_byline() -> None:
    # No Russian month names (dates.toml): "9 мая — День Победы ..." is a sentence, and a
    # Russian lead that opens with its day ("5 марта губернатор ...") would lose it.
    lines = [
        "Текст: Иван Петров",
        RU_1,
        RU_2,
        "Поделиться",
        RU_1 + " Читайте также наш прошлый обзор, сказали в библиотеке.",
        "Материалы по теме",
        "Как выбрать книгу для отпуска",
        "Пять библиотек, которые стоит увидеть",
    ]
    doc = run("\n".join(lines))
    assert doc.text.split("\n") == [RU_1, RU_2, lines[4]]
    assert doc.metadata["byline"] == "Иван Петров"


@pytest.mark.parametrize(
    "line",
    [
        "Теги: бюджет, библиотеки, город",
        "© 2031 Городская газета. Все права защищены.",
        "Вам также может быть интересно",
    ],
)
def test_a_russian_tag_list_footer_or_related_header_leaves_the_text(line: str) -> None:
    assert run("\n".join([RU_1, RU_2, line])).text.split("\n") == [RU_1, RU_2]


@pytest.mark.parametrize("box", [["About Jane Roe"], ["Sobre João Silva", "Facebook"]])
def test_an_author_box_header_alone_at_the_very_end_leaves_the_text(box: list[str]) -> None:
    # the box lost its bio: the header heads nothing
    doc = run("\n".join([BODY_1, BODY_2, BODY_3, *box]), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, BODY_2, BODY_3]


def test_a_list_ending_in_an_about_item_stays_whole_with_a_share_row_after_it() -> None:
    # the "About ..." item is one of several short lines after the text: a list's item
    items = ["The programme:", "Harbour Lights", "Two Weeks In June", "About Last Winter"]
    doc = run("\n".join([BODY_1, BODY_2, *items, "Share"]), guess_language=False)
    assert doc.text.split("\n") == [BODY_1, BODY_2, *items]


def test_a_long_closing_paragraph_under_a_heading_that_names_no_one_in_it_stays() -> None:
    closing = (
        "The council will vote on the budget in March, and the library hopes to hire two "
        "more staff before the summer so that the longer hours can start on time without "
        "closing the reading room on Mondays, which readers asked for in the survey."
    )
    lines = [BODY_1, BODY_2, "About Jane Roe", closing]
    assert run("\n".join(lines), guess_language=False).text.split("\n") == lines


LOOK_ALIKES = tomllib.loads((FIXTURES / "keep" / "look_alikes.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", LOOK_ALIKES["case"], ids=lambda case: case["name"])
def test_text_that_looks_like_a_box_a_credit_or_a_widget_is_kept(case: dict[str, str]) -> None:
    text = case["text"].strip()
    assert run(text).text == text


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies as explained in our Cookie Policy.",
        "Thanks for signing up! You have been added to our mailing list.",
    ],
)
def test_a_form_worded_like_a_report_still_leaves_the_text(line: str) -> None:
    # "as explained", "been added": no verb of speech reports these form lines
    assert line not in run("\n".join([BODY_1, BODY_2, line, BODY_3])).text.split("\n")


def test_a_russian_lead_that_opens_with_its_day_keeps_it() -> None:
    lead = "9 мая — День Победы, главный праздник страны, и в этом году парад прошёл без зрителей."
    assert run("\n".join([lead, RU_1, RU_2])).text.split("\n")[0] == lead


@pytest.mark.parametrize("label", ["İmage:", "Photoſ:", "PHOTO:"])
def test_a_label_whose_lowercase_is_no_table_key_never_crashes(label: str) -> None:
    run("\n".join([BODY_1, label, "Jane Roe / Agency", BODY_2]))
