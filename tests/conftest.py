from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

#: The output record's fields, in order: the contract JSONL consumers rely on.
RECORD_FIELDS = [
    "id",
    "text",
    "metadata",
    "language",
    "paragraphs",
    "edits",
    "dropped",
    "drop_reason",
]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
