from __future__ import annotations

from dataclasses import dataclass

import pytest

import textwash
from textwash.document import Document
from textwash.pipeline import Pipeline, StageError
from textwash.registry import default_stage_names
from textwash.stage import ConfigError, Stage, StageOptions


def test_default_pipeline_starts_with_the_input_stages():
    names = Pipeline.from_config().names
    assert names[:2] == ["html", "encoding"]


def test_stages_can_be_chosen_by_name_and_html_is_always_kept():
    assert Pipeline.from_config(stages=["encoding"]).names == ["html", "encoding"]


def test_config_keys_map_onto_stage_options(tmp_path):
    config = tmp_path / "textwash.toml"
    config.write_text('[pipeline]\nstages = ["encoding"]\n[encoding]\nuncurl_quotes = true\n')
    pipeline = Pipeline.from_config(config)
    assert pipeline.stages[-1].options.uncurl_quotes is True
    assert textwash.clean("“quoted”", config=config) == '"quoted"'


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"encodng": {}}, "unknown table [encodng]"),
        ({"encoding": {"uncurl": True}}, "unknown option 'uncurl'"),
        ({"encoding": {"uncurl_quotes": "yes"}}, "expected bool"),
        ({"pipeline": {"stages": ["nope"]}}, "unknown stage 'nope'"),
        ({"pipeline": {"colour": 1}}, "unknown [pipeline] key"),
        ({"language": {"keep_languages": ["en", "pt-BR"]}}, "unknown language code 'pt-BR'"),
    ],
)
def test_config_errors_name_the_problem(config, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Pipeline.from_config(config)


def test_invalid_toml_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[encoding\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: invalid TOML"):
        Pipeline.from_config(bad)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[encoding]\nuncurl = true\n", "unknown option 'uncurl'"),
        ('[encoding]\nuncurl_quotes = "yes"\n', "uncurl_quotes: expected bool"),
        ('[pipeline]\nstages = ["nope"]\n', "unknown stage 'nope'"),
    ],
)
def test_a_wrong_option_names_the_file_it_is_in(tmp_path, toml, message):
    """Only table-level errors named the file; a wrong key or value said just [encoding]."""
    path = tmp_path / "mine.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=r"mine\.toml: .*" + message):
        Pipeline.from_config(path)


def test_annotate_only_records_without_changing(tmp_path):
    doc = textwash.analyze("caf&eacute;  bar", config={"pipeline": {"annotate_only": True}})
    assert doc.text == "caf&eacute;  bar"
    assert {e.rule for e in doc.edits} == {"unescape_html", "normalize_whitespace"}
    assert not any(e.applied for e in doc.edits)


def test_document_without_text_is_dropped_with_a_reason():
    doc = textwash.analyze("  \n\n \u200b ")
    assert doc.dropped and doc.drop_reason.startswith("empty")


@dataclass(frozen=True)
class _BoomOptions(StageOptions):
    pass


class _Boom(Stage):
    name = "boom"
    Options = _BoomOptions

    def apply(self, doc: Document) -> Document:
        raise KeyError("oops")


def test_a_failing_stage_names_itself():
    pipeline = Pipeline([_Boom()])
    with pytest.raises(StageError, match="stage 'boom' failed: KeyError"):
        pipeline(Document.from_text("x", id="d1"))


def test_stats_account_for_every_document():
    pipeline = Pipeline.from_config(stages=["encoding"])
    docs = [Document.from_text(t) for t in ["fine.", "caf&eacute;", ""]]
    list(pipeline.run(docs))
    stats = pipeline.stats
    assert stats.documents_in == 3
    assert stats.kept + stats.dropped + stats.rejected == 3
    assert stats.changed == 1
    assert stats.to_dict()["edits_per_stage"]["encoding"] == 1


class _Peel(Stage):
    """Removes the first paragraph if it is 'x': each removal can expose another."""

    name = "peel"

    def apply(self, doc: Document) -> Document:
        return self.until_stable(doc, self._once)

    def _once(self, doc: Document, round_number: int) -> None:
        if doc.paragraphs and doc.paragraphs[0].text == "x":
            self.editor(doc).remove(doc.paragraphs[0], "leading_x")


def test_until_stable_repeats_while_the_text_changes_and_stops_when_it_does_not():
    doc = _Peel().apply(Document.from_text("x\nx\nkeep\nx"))
    assert doc.text == "keep\nx" and len(doc.edits) == 2
    capped = _Peel().apply(Document.from_text("x\nx\nx\nx\nkeep"))
    assert capped.text == "x\nkeep"  # three rounds at most
    annotated = _Peel(annotate_only=True).apply(Document.from_text("x\nx\nkeep"))
    assert annotated.text == "x\nx\nkeep" and len(annotated.edits) == 1


def test_an_empty_stage_selection_runs_no_text_stage():
    """stages=[] used to mean the whole default pipeline (casing recapitalised this)."""
    text = "this is lower case text. and more of it"
    assert textwash.clean(text, stages=[]) == text
    assert Pipeline.from_config(None, stages=[]).names == ["html"]
    assert Pipeline.from_config({"pipeline": {"stages": []}}).names == ["html"]
    assert Pipeline.from_config(None).names == default_stage_names()


def test_a_stage_name_given_as_a_string_is_refused_clearly():
    with pytest.raises(ConfigError, match="list of stage names, not the string 'encoding'"):
        textwash.clean("x", stages="encoding")  # type: ignore[arg-type]


def test_analyze_honours_a_pages_declared_charset_like_the_command_line():
    """Bytes with html=True went to detection alone, which read this page as Latin-1."""
    page = (
        '<html><head><meta charset="iso-8859-2"></head><body><article><p>'
        "Zażółć gęślą jaźń, powiedział burmistrz w poniedziałek rano.</p></article></body></html>"
    ).encode("iso-8859-2")
    doc = textwash.analyze(page, html=True, stages=["encoding"])
    assert doc.metadata["encoding"] == "iso-8859-2"
    assert doc.text == "Zażółć gęślą jaźń, powiedział burmistrz w poniedziałek rano."
