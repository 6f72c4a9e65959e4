"""Callables in the shapes the shared eval scorers expect (``--fn adapters:NAME``).

Run through ``evals/run_evals.py``; nothing here is part of the library API.
"""

from __future__ import annotations

import textwash
from textwash.encoding import EncodingOptions, decode_bytes, repair_text

_REPAIR_ONLY = EncodingOptions(
    remove_control_chars=False,
    remove_invisible_chars=False,
    normalize_whitespace=False,
)


def decode(data: bytes) -> str:
    """Byte set: the decoder alone."""
    return decode_bytes(data).text


def encoding_stage(text: str) -> str:
    """Text sets: the whole encoding stage with its defaults (repair + normalisation)."""
    return textwash.clean(text, stages=["encoding"])


def encoding_repair_only(text: str) -> str:
    """Text sets: only the repair fixes (entities, mojibake, NFC), no normalisation."""
    return repair_text(text, _REPAIR_ONLY)
