from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI must be reproducible: the same examples on every run, so a red build means a
# change broke something, not that a new random example turned up. Local runs explore.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

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
