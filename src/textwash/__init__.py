"""textwash: turn dirty scraped article text into clean, auditable corpus text.

Two calls cover most uses::

    >>> import textwash
    >>> textwash.clean("The caf&eacute; said â€œhelloâ€\x9d.", stages=["encoding"])
    'The café said “hello”.'
    >>> doc = textwash.analyze("Some text.")
    >>> doc.text, doc.edits
    ('Some text.', [])

``analyze`` returns a :class:`Document` with paragraphs, metadata, language, per-paragraph
artifact scores and the log of every edit; ``clean`` returns only the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .document import Document, Edit, Editor, Paragraph
from .encoding import UndecodableBytes
from .io import decode_input
from .pipeline import Pipeline, Stats
from .stage import ConfigError, Stage, StageOptions

__all__ = [
    "ConfigError",
    "Document",
    "Edit",
    "Editor",
    "Paragraph",
    "Pipeline",
    "Stage",
    "StageOptions",
    "Stats",
    "UndecodableBytes",
    "analyze",
    "clean",
]

__version__ = "0.1.0"

Config = str | Path | Mapping[str, Any] | None


def analyze(
    text_or_bytes: str | bytes,
    *,
    html: bool = False,
    stages: Sequence[str] | None = None,
    config: Config = None,
    id: str = "",
) -> Document:
    """Run the pipeline on one text (or bytes of unknown encoding; with ``html=True`` the
    page's own <meta charset> is honoured) and return the Document."""
    if isinstance(text_or_bytes, bytes):  # decoded as the command line decodes a file
        text, encoding = decode_input(text_or_bytes, html)
        metadata = {"encoding": encoding}
    else:
        text, metadata = text_or_bytes, {}
    if html:
        doc = Document.from_html(text, id=id, metadata=metadata)
    else:
        doc = Document.from_text(text, id=id, metadata=metadata)
    return _pipeline_for(stages, config)(doc)


def clean(
    text_or_bytes: str | bytes,
    *,
    stages: Sequence[str] | None = None,
    config: Config = None,
) -> str:
    """Return the cleaned text only, like ``ftfy.fix_text``."""
    return analyze(text_or_bytes, stages=stages, config=config).text


def _pipeline_for(stages: Sequence[str] | None, config: Config) -> Pipeline:
    if config is None or isinstance(config, str | Path):
        # a string stays whole, for from_config to refuse (tuple() would split it into letters)
        key = stages if stages is None or isinstance(stages, str) else tuple(stages)
        return _cached_pipeline(key, config)
    return Pipeline.from_config(config, stages=stages)


@lru_cache(maxsize=32)
def _cached_pipeline(stages: Sequence[str] | None, config: str | Path | None) -> Pipeline:
    return Pipeline.from_config(config, stages=stages)
