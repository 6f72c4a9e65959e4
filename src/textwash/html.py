"""HTML input: extract the main text and its metadata with trafilatura.

This stage acts only on documents that arrived as HTML; it is always first in the
pipeline. Its output is plain text, one paragraph per block, so every text stage after
it (boilerplate leftovers, casing, ...) runs on extracted pages just as on text input.
The precision preset sometimes keeps a paywall or reprint notice and drops the article;
a thin result is therefore extracted again with the recall preset (a few pages only).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Any, Literal

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


#: For ``metadata = "fast"``: our key -> <meta> names/properties (and JSON-LD keys), best
#: first. Publishers fill these in for search engines and social cards, so reading them is
#: enough for most pages and costs a regex over the head instead of a date search.
_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "date": (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "date",
        "dc.date",
        "dc.date.issued",
        "sailthru.date",
        "parsely-pub-date",
        "article:modified_time",
        "datemodified",
    ),
    "byline": ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"),
    "site_name": ("og:site_name", "application-name"),
    "url": ("og:url",),
}
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_JSON_LD_DATE = re.compile(r'"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]+)"')
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-([01]\d)-([0-3]\d)")
#: Anything that opens a tag, a comment, a doctype or a processing instruction.
_ANY_TAG = re.compile(r"<[A-Za-z!/?][^<>]*>")
#: Only the head (and a little more, for JSON-LD in the body top) is searched.
_HEAD_CHARS = 200_000


def head_metadata(page: str) -> dict[str, str]:
    """Title, date (ISO), author, site name and URL from <meta> tags, JSON-LD and <title>."""
    head = page[:_HEAD_CHARS]
    found: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        attributes = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTRIBUTE.finditer(tag)
        }
        name = (
            attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or ""
        ).lower()
        content = html_lib.unescape(attributes.get("content", "")).strip()
        if name and content:
            found.setdefault(name, content)
    for key, value in _JSON_LD_DATE.findall(head):
        found.setdefault(key.lower(), value)
    out: dict[str, str] = {}
    for key, names in _META_KEYS.items():
        value = next((found[n] for n in names if found.get(n)), None)
        if key == "date" and value:
            iso = _ISO_DATE.search(value)
            value = "-".join(iso.groups()) if iso else None
        if key == "byline" and value and value.startswith("http"):
            value = None
        if value:
            out[key] = value
    if "title" not in out:
        title = _TITLE_TAG.search(head)
        if title and title.group(1).strip():
            out["title"] = " ".join(html_lib.unescape(title.group(1)).split())
    return out


@dataclass(frozen=True)
class HtmlOptions(StageOptions):
    #: trafilatura's trade-off: "precision" drops doubtful blocks, "recall" keeps them.
    preset: Literal["balanced", "precision", "recall"] = "precision"
    #: Keep the page's reader comments (trafilatura's comment extraction): off, since
    #: comments are not the article.
    include_comments: bool = False
    #: Keep the text of tables in the article (as lines; trafilatura's default).
    include_tables: bool = True
    #: Skip trafilatura's fallback extractors (faster, a little less robust).
    fast: bool = False
    #: "fast" reads <meta> tags, JSON-LD dates and <title> (a regex over the head);
    #: "full" runs trafilatura's metadata extraction (htmldate date search, author
    #: heuristics: about 40 % more time per page); "none" skips metadata.
    metadata: Literal["fast", "full", "none"] = "fast"
    #: Under the precision preset, a page whose text comes out shorter than this many
    #: characters is extracted again with the recall preset (0: never).
    retry_below: int = 1000


#: The recall text replaces a thin precision text only if it is this many times longer:
#: precision then dropped the article itself (a paywall notice scored higher than the
#: body), not a few doubtful blocks, which recall would put back as well.
_RETRY_GAIN = 3


class HtmlStage(Stage):
    """Extracts article text from raw HTML; text documents pass through untouched."""

    name = "html"
    Options = HtmlOptions
    options: HtmlOptions

    def apply(self, doc: Document) -> Document:
        if doc.html is None:
            return doc
        page = doc.html
        if page.strip() and not _ANY_TAG.search(page):
            return self._plain_text(doc, page)
        preset = self.options.preset
        result = self._extract(page, doc, preset)
        text = (result.text or "") if result is not None else ""
        if preset == "precision" and len(text) < self.options.retry_below:
            retry = self._extract(page, doc, "recall", fast=True)
            if retry is not None and len(retry.text or "") >= _RETRY_GAIN * max(len(text), 1):
                result = retry
        editor = self.editor(doc)
        doc.html = None
        if result is None:
            editor.drop_document("no main text found in HTML", "html_extraction")
            return doc
        doc.set_text(result.text or "")
        if self.options.metadata == "full":
            found = {key: getattr(result, field, None) for field, key in _METADATA_FIELDS.items()}
        elif self.options.metadata == "fast":
            found = dict(head_metadata(page))
        else:
            found = {}
        for key, value in found.items():
            if value and key not in doc.metadata:
                doc.metadata[key] = value
        return doc

    def _plain_text(self, doc: Document, page: str) -> Document:
        """Input without a single tag is text, not a page: trafilatura finds no main text in
        it and the document would be dropped. It goes on as text, and the log says so."""
        doc.html = None
        doc.set_text(page)
        self.editor(doc).log(None, "not_html", "flag", "", "", evidence="no tag: read as text")
        return doc

    def _extract(self, page: str, doc: Document, preset: str, fast: bool = False) -> Any:
        """trafilatura's document (text and metadata) for one preset, or None.

        The recall retry runs ``fast`` (no comparison with the fallback extractors): it
        only has to find the article that precision dropped, and costs a third less.
        """
        import trafilatura

        return trafilatura.bare_extraction(
            page,
            url=doc.metadata.get("url"),
            fast=fast or self.options.fast,
            favor_precision=preset == "precision",
            favor_recall=preset == "recall",
            include_comments=self.options.include_comments,
            include_tables=self.options.include_tables,
            with_metadata=self.options.metadata == "full",
        )
