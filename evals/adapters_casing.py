"""Adapters for the casing scorer (``--fn adapters_casing:NAME``); not library API."""

from __future__ import annotations

import textwash


def casing_stage(text: str) -> str:
    """The casing stage alone, with its defaults."""
    return textwash.clean(text, stages=["casing"])
