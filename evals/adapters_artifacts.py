"""Adapters for the artifacts yardstick: score paragraphs the way the pipeline does.

In the default pipeline the casing stage runs before artifacts: it repairs capitalisation
and logs each repair, and the artifacts stage reads some of those repairs as evidence
("arriving Is." -> "arriving is." is a stray capital). ``after_casing`` reproduces that for
single paragraphs, so the eval, the fit script and the pipeline see the same features.

The stage also pools each paragraph with the rest of its document (``document_blend``). A
dev row is one paragraph; the rows of one ``doc`` translated by one ``system`` are what
the pipeline would see as one document, so those are pooled together, never a document's
human and machine versions with each other (``system`` tells them apart, as provenance,
not as the label). ``score_documents`` does that with the stage's own code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache

from textwash.artifacts import (
    DOCUMENT_BLEND,
    MT_PRIOR,
    evidence_share,
    measure,
    pool_logits,
    score_paragraph,
    score_paragraphs,
    tables,
)
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
    """One paragraph's artifact score after the casing stage, as in the default pipeline
    (a one-paragraph document, which document pooling leaves as it is)."""
    texts, edits = after_casing([text])
    return score_paragraph(texts[0], edits[0])[0]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def documents(rows: Iterable[Mapping]) -> list[list[Mapping]]:
    """Dev rows grouped as the pipeline's documents: one ``doc`` by one ``system``."""
    groups: dict[tuple[str, str], list[Mapping]] = {}
    for row in rows:
        groups.setdefault((row["doc"], row["system"]), []).append(row)
    return list(groups.values())


def score_documents(rows: Iterable[Mapping], blend: float = DOCUMENT_BLEND) -> dict[str, float]:
    """Row id -> score, each (doc, system) scored as one document after the casing stage."""
    scores = {}
    for group in documents(rows):
        texts, edits = after_casing(r["text"] for r in group)
        scored = score_paragraphs(texts, edits, document_blend=blend)
        scores.update((r["id"], s) for r, (s, _) in zip(group, scored, strict=True))
    return scores


def pool_scores(
    rows: Iterable[Mapping], scores: Mapping[str, float], blend: float = DOCUMENT_BLEND
) -> dict[str, float]:
    """Paragraph scores from elsewhere (the fit script's out-of-fold file) pooled per
    (doc, system) exactly as the stage pools: log-odds at the stage's prior (the pool
    clips them, so the prior matters), a short paragraph's cut to its evidence share,
    weighted by the stage's word count. Returned at the balanced prior again, as the
    scores came in (the dev set is balanced)."""
    out = {}
    prior = _logit(MT_PRIOR)
    for group in documents(rows):
        texts, _ = after_casing(r["text"] for r in group)
        sizes = [len(measure(t, tables()).words) for t in texts]
        # The fit script's scores are balanced (prior 0.5): their log-odds are the evidence.
        own = [
            prior + _logit(scores[r["id"]]) * evidence_share(n)
            for r, n in zip(group, sizes, strict=True)
        ]
        pooled, _ = pool_logits(own, sizes, blend)
        out.update(
            (r["id"], 1 / (1 + math.exp(prior - x))) for r, x in zip(group, pooled, strict=True)
        )
    return out
