"""Callables for the boilerplate yardstick (/work/shared/eval/boilerplate).

``evals/run_boilerplate.py`` builds predictions with these; nothing here is library API.
"""

from __future__ import annotations

import textwash

#: The text tasks run the encoding repairs and then the boilerplate stage.
TEXT_STAGES = ("encoding", "boilerplate")
#: The HTML task runs the default pipeline's text stages after extraction.
HTML_STAGES = ("html", "encoding", "boilerplate")


def text_stages(text: str) -> str:
    """Plain-text tasks: encoding + boilerplate with their defaults."""
    return textwash.clean(text, stages=list(TEXT_STAGES))


def html_pipeline(html: str) -> str:
    """HTML task: trafilatura (precision preset, recall retry on thin pages) + encoding +
    boilerplate."""
    doc = textwash.analyze(html, html=True, stages=list(HTML_STAGES))
    return "" if doc.dropped else doc.text
