"""Adapters for the artifacts yardstick: score paragraphs the way the pipeline does.

In the default pipeline the casing stage runs before artifacts: it repairs capitalisation
and logs each repair, and the artifacts stage reads some of those repairs as evidence
("arriving Is." -> "arriving is." is a stray capital). ``after_casing`` reproduces that for
single paragraphs, so the eval, the fit script and the pipeline see the same features.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from textwash.artifacts import score_paragraph
from textwash.casing import CasingStage
from textwash.document import Document, Edit, Paragraph

_casing = cache(CasingStage)  # one stage (and its loaded lexicon) per process


def after_casing(texts: Iterable[str]) -> tuple[list[str], list[list[Edit]]]:
    """Each paragraph as the casing stage leaves it (alone, as its own document), and the
    casing edits made to it."""
    stage = _casing()
    out, edits = [], []
    for text in texts:
        doc = stage.apply(Document(id="", paragraphs=[Paragraph(text=text, index=0)]))
        out.append(doc.paragraphs[0].text)
        edits.append([e for e in doc.edits if e.stage == "casing"])
    return out, edits


def artifact_score(text: str) -> float:
    """One paragraph's artifact score after the casing stage, as in the default pipeline."""
    texts, edits = after_casing([text])
    return score_paragraph(texts[0], edits[0])[0]
