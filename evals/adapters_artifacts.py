"""Adapters for the artifacts yardstick: score paragraphs the way the stage does."""

from __future__ import annotations

from textwash.artifacts import score_paragraph


def artifact_score(text: str) -> float:
    """One paragraph's artifact score (no casing edits: the eval texts are paragraphs)."""
    return score_paragraph(text)[0]
