"""The document model: paragraphs, metadata, and the log of every edit made to them.

A stage never assigns to a paragraph's text directly. It asks an :class:`Editor` to make
the change, and the editor writes one :class:`Edit` per change into ``Document.edits``.
That single path is what lets a user audit every removed or rewritten piece of text, and
what makes ``annotate_only`` work for every stage at once: the editor logs the change and
leaves the text alone.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Action = Literal["remove", "replace", "flag", "to_metadata"]

#: Every line-break form is read as ``\n``; U+2029 PARAGRAPH SEPARATOR is a blank line.
#: (Each branch opens with a literal, so ``re`` skips to the next "\r" or U+2028 in C.)
_LINE_BREAKS = re.compile(r"\r\n?|\u2028")
#: Blank lines: a newline, then one or more lines holding only horizontal whitespace.
#: The next paragraph's own indentation is not part of the separator.
_BLANK_LINE = re.compile(r"\n(?:[^\S\n]*\n)+")


@dataclass(frozen=True, slots=True)
class Edit:
    """One change a stage made (or, under ``annotate_only``, would have made).

    ``paragraph`` is the paragraph's position in the *input* document, so it stays
    meaningful after other paragraphs are removed. ``applied`` is false when the stage
    ran in annotate-only mode and the text was left as it was.
    """

    stage: str
    rule: str
    action: Action
    before: str
    after: str
    paragraph: int | None
    evidence: str = ""
    applied: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of text plus what the analysis stages found out about it."""

    text: str
    index: int
    #: The line break(s) that preceded this paragraph in the input ("" for the first).
    break_before: str = "\n\n"
    artifact_score: float | None = None
    artifact_reasons: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "artifact_score": self.artifact_score,
            "artifact_reasons": self.artifact_reasons,
            "flags": self.flags,
            "language": self.language,
        }


#: A line break inside a sentence: no terminal punctuation before, a lowercase letter (or
#: the pronoun "I") after. "I" counts as lowercase because the casing stage writes "i" as
#: "I": otherwise its fix would turn a wrapped line into a paragraph of its own on the next
#: run, and cleaning would not be idempotent.
_SOFT_BREAK = re.compile(r"[^.!?:;\"”’»)\]]\n(?=\s*(?:[^\W\d_A-ZÀ-ÖØ-Þ]|I\b))")


def split_paragraphs(text: str) -> list[tuple[str, str]]:
    """Split text into ``(break_before, paragraph)`` pairs.

    Paragraphs are separated by blank lines. A single line break separates paragraphs
    too, unless it sits inside a hard-wrapped block (most of the block's breaks fall
    mid-sentence) or the text has no blank line at all, in which case every line is a
    paragraph (extractor output often looks like that). Recording the break before each
    paragraph lets an unchanged text be put back together exactly. Empty paragraphs
    carry no text and are dropped.
    """
    text = _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    has_blank_lines = _BLANK_LINE.search(text) is not None
    pieces: list[tuple[str, str]] = []
    for block in _BLANK_LINE.split(text):
        block = block.strip("\n")
        if not block.strip():
            continue
        lines = block.split("\n")
        # (the costly count last: extractor output, one line per paragraph, skips it)
        if (
            has_blank_lines
            and len(lines) > 1
            and 2 * len(_SOFT_BREAK.findall(block)) >= len(lines) - 1
        ):
            lines = [block]  # hard-wrapped prose: one paragraph with inner line breaks
        for line_number, line in enumerate(lines):
            if line.strip():
                pieces.append(("\n" if line_number else "\n\n", line))
    if pieces:
        pieces[0] = ("", pieces[0][1])
    return pieces


@dataclass
class Document:
    """A document on its way through the pipeline.

    ``html`` holds raw markup that the ``html`` stage has not extracted yet; once it has,
    the text lives in ``paragraphs``. Each paragraph remembers the break that preceded
    it, so text that needs no change comes out exactly as it went in.
    """

    id: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    language: str | None = None
    edits: list[Edit] = field(default_factory=list)
    dropped: bool = False
    drop_reason: str | None = None
    html: str | None = None
    trailing_newline: bool = False

    @classmethod
    def from_text(cls, text: str, id: str = "", metadata: dict[str, Any] | None = None) -> Document:
        doc = cls(id=id, metadata=dict(metadata or {}))
        doc.set_text(text)
        return doc

    @classmethod
    def from_html(cls, html: str, id: str = "", metadata: dict[str, Any] | None = None) -> Document:
        return cls(id=id, metadata=dict(metadata or {}), html=html)

    def set_text(self, text: str) -> None:
        """Replace the whole body (used by loaders and the HTML extractor, not by fixes)."""
        self.paragraphs = [
            Paragraph(text=part, index=i, break_before=before)
            for i, (before, part) in enumerate(split_paragraphs(text))
        ]
        self.trailing_newline = text.endswith(("\n", "\r"))

    @property
    def text(self) -> str:
        """The text with the input's own paragraph breaks."""
        body = "".join(
            (p.break_before if i else "") + p.text for i, p in enumerate(self.paragraphs)
        )
        return body + "\n" if self.trailing_newline and body else body

    def editor(self, stage: str, annotate_only: bool = False) -> Editor:
        return Editor(self, stage, annotate_only)

    def to_dict(self) -> dict[str, Any]:
        """The stable output record (one JSONL line); text uses blank-line separators."""
        return {
            "id": self.id,
            "text": "\n\n".join(p.text for p in self.paragraphs),
            "metadata": self.metadata,
            "language": self.language,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "edits": [e.to_dict() for e in self.edits],
            "dropped": self.dropped,
            "drop_reason": self.drop_reason,
        }


class Editor:
    """The only way a stage changes a document; every change becomes one logged Edit.

    Under ``annotate_only`` the edits are still logged (with ``applied=False``) but text
    and paragraph list stay untouched. Flags and metadata are annotations, not text, so
    they are always set.
    """

    def __init__(self, doc: Document, stage: str, annotate_only: bool = False) -> None:
        self.doc = doc
        self.stage = stage
        self.annotate_only = annotate_only

    def log(
        self,
        para: Paragraph | None,
        rule: str,
        action: Action,
        before: str,
        after: str,
        evidence: str = "",
    ) -> Edit:
        """Record one edit without touching the text (pair with :meth:`set_text`)."""
        edit = Edit(
            stage=self.stage,
            rule=rule,
            action=action,
            before=before,
            after=after,
            paragraph=None if para is None else para.index,
            evidence=evidence,
            applied=not self.annotate_only,
        )
        self.doc.edits.append(edit)
        return edit

    def set_text(self, para: Paragraph, text: str) -> None:
        """Give a paragraph its new text, after its edits were logged."""
        if not self.annotate_only:
            para.text = text

    def replace(self, para: Paragraph, text: str, rule: str, evidence: str = "") -> None:
        """Rewrite a whole paragraph as one edit."""
        if text != para.text:
            self.log(para, rule, "replace", para.text, text, evidence)
            self.set_text(para, text)

    def remove(self, para: Paragraph, rule: str, evidence: str = "") -> None:
        """Take a paragraph out of the document."""
        self.log(para, rule, "remove", para.text, "", evidence)
        if not self.annotate_only:
            self.doc.paragraphs = [p for p in self.doc.paragraphs if p is not para]

    def flag(self, para: Paragraph, flag: str, rule: str, evidence: str = "") -> None:
        """Mark a paragraph (e.g. ``truncated``) without changing its text."""
        if flag not in para.flags:
            para.flags.append(flag)
        self.log(para, rule, "flag", para.text, para.text, evidence)

    def to_metadata(
        self,
        para: Paragraph,
        key: str,
        value: Any,
        rule: str,
        before: str,
        remaining: str = "",
        multi: bool = False,
    ) -> None:
        """Move ``before`` (part or all of a paragraph) into ``metadata[key]``.

        With ``multi`` (captions, say) the key holds a list of every value; otherwise the
        first value found wins. The paragraph keeps ``remaining``; an empty one is removed.
        """
        if multi:  # a new list: never append to a caller's list, or to a non-list value
            known = self.doc.metadata.get(key)
            earlier = known if isinstance(known, list) else [] if known is None else [known]
            self.doc.metadata[key] = [*earlier, value]
        else:
            self.doc.metadata.setdefault(key, value)
        self.log(para, rule, "to_metadata", before, remaining, evidence=f"metadata.{key}")
        if self.annotate_only:
            return
        if remaining.strip():
            para.text = remaining
        else:
            self.doc.paragraphs = [p for p in self.doc.paragraphs if p is not para]

    def drop_document(self, reason: str, rule: str) -> None:
        """Drop the whole document (it is still written out, with its reason)."""
        self.log(None, rule, "flag", "", "", evidence=reason)
        if not self.annotate_only:
            self.doc.dropped = True
            self.doc.drop_reason = reason


def case_shape(texts: list[str]) -> tuple[bool, bool]:
    """Whether the whole text is ALL-CAPS, and whether it is all lowercase (judged on
    whitespace-separated words; those without letters do not count).

    Shared by the stages that must agree on it: casing truecases such a text, and
    boilerplate reads it case-blind so that a second run finds nothing new.
    """
    upper, lower, cased = _case_counts(" ".join(texts))
    return _all_upper(upper, cased), _all_lower(lower, cased)


def case_shape_is(texts: list[str], upper: bool) -> bool:
    """One half of ``case_shape`` (ALL-CAPS if ``upper``, else all lowercase), counted
    paragraph by paragraph: it stops as soon as the words still to come could no longer
    change the answer, which in ordinary prose is after the first few paragraphs. (A
    paragraph of n characters holds at most (n + 1) // 3 words of two characters or more.)
    """
    u = low = cased = 0
    room = sum((len(text) + 1) // 3 for text in texts)  # words the rest may still hold
    for text in texts:
        room -= (len(text) + 1) // 3
        du, dl, dc = _case_counts(text)
        u, low, cased = u + du, low + dl, cased + dc
        # ALL-CAPS needs upper >= 0.8 cased; each word to come adds at most 0.2 to
        # upper - 0.8 cased. All lowercase needs cased - lower <= 0.01 cased, and
        # cased - lower never shrinks. (In integers: no rounding to decide wrongly.)
        if (5 * u - 4 * cased + room < 0) if upper else (100 * (cased - low) > cased + room):
            return False
    return _all_upper(u, cased) if upper else _all_lower(low, cased)


def _case_counts(text: str) -> tuple[int, int, int]:
    """The ALL-CAPS, lowercase and cased words of ``text`` (whitespace-separated, of two
    characters or more)."""
    words = [w for w in text.split() if len(w) > 1]  # a lone "i" says nothing
    uppers = list(filter(str.isupper, words))
    upper = len(uppers)
    lower = sum(map(str.islower, words))
    # Words with a capital that are not ALL-CAPS (counted in C: this runs on whole texts).
    changed = sum(map(str.__ne__, words, map(str.lower, words)))
    mixed = changed - sum(map(str.__ne__, uppers, map(str.lower, uppers)))
    return upper, lower, upper + lower + mixed


def _all_upper(upper: int, cased: int) -> bool:
    return cased >= 3 and upper >= 0.8 * cased


def _all_lower(lower: int, cased: int) -> bool:
    return cased >= 5 and cased - lower <= 0.01 * cased
