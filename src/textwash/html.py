"""HTML input: extract the main text and its metadata with trafilatura.

This stage acts only on documents that arrived as HTML; it is always first in the
pipeline. Its output is plain text, one paragraph per block, so every text stage after
it (boilerplate leftovers, casing, ...) runs on extracted pages just as on text input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .document import Document
from .stage import Stage, StageOptions

#: trafilatura metadata field -> our metadata key
_METADATA_FIELDS = {
    "title": "title",
    "date": "date",
    "author": "byline",
    "sitename": "site_name",
    "url": "url",
}


@dataclass(frozen=True)
class HtmlOptions(StageOptions):
    #: trafilatura's trade-off: "precision" drops doubtful blocks, "recall" keeps them.
    preset: Literal["balanced", "precision", "recall"] = "precision"
    include_comments: bool = False
    include_tables: bool = True
    #: Skip trafilatura's fallback extractors (faster, a little less robust).
    fast: bool = False


class HtmlStage(Stage):
    """Extracts article text from raw HTML; text documents pass through untouched."""

    name = "html"
    Options = HtmlOptions
    options: HtmlOptions

    def apply(self, doc: Document) -> Document:
        if doc.html is None:
            return doc
        import trafilatura

        result = trafilatura.bare_extraction(
            doc.html,
            url=doc.metadata.get("url"),
            fast=self.options.fast,
            favor_precision=self.options.preset == "precision",
            favor_recall=self.options.preset == "recall",
            include_comments=self.options.include_comments,
            include_tables=self.options.include_tables,
            with_metadata=True,
        )
        editor = self.editor(doc)
        doc.html = None
        if result is None:
            editor.drop_document("no main text found in HTML", "html_extraction")
            return doc
        doc.set_text(result.text or "")
        for source_key, key in _METADATA_FIELDS.items():
            value = getattr(result, source_key, None)
            if value and key not in doc.metadata:
                doc.metadata[key] = value
        return doc
