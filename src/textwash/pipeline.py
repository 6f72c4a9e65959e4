"""The pipeline: an ordered list of stages, plus the running figures a data pipeline wants."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import load_config
from .document import Document
from .registry import INPUT_STAGES, default_stage_names, stage_class
from .stage import ConfigError, Stage


@dataclass
class StageStats:
    documents: int = 0
    edits: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "edits": sum(self.edits.values()),
            "edits_by_action": dict(self.edits),
            "seconds": round(self.seconds, 4),
        }


@dataclass
class Stats:
    """Documents in = kept + dropped + rejected; every input is accounted for."""

    documents_in: int = 0
    kept: int = 0
    changed: int = 0
    dropped: int = 0
    rejected: int = 0
    drop_reasons: Counter[str] = field(default_factory=Counter)
    stages: dict[str, StageStats] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents_in": self.documents_in,
            "kept": self.kept,
            "changed": self.changed,
            "dropped": self.dropped,
            "rejected": self.rejected,
            "drop_reasons": dict(self.drop_reasons),
            "edits_per_stage": {n: sum(s.edits.values()) for n, s in self.stages.items()},
            "stages": {name: s.to_dict() for name, s in self.stages.items()},
        }

    def merge(self, other: Stats) -> None:
        """Add another run's figures (a worker process's) to these."""
        self.documents_in += other.documents_in
        self.kept += other.kept
        self.changed += other.changed
        self.dropped += other.dropped
        self.rejected += other.rejected
        self.drop_reasons.update(other.drop_reasons)
        for name, theirs in other.stages.items():
            mine = self.stages.setdefault(name, StageStats())
            mine.documents += theirs.documents
            mine.edits.update(theirs.edits)
            mine.seconds += theirs.seconds

    def summary(self) -> str:
        edits = " ".join(f"{n}={sum(s.edits.values())}" for n, s in self.stages.items())
        return (
            f"{self.documents_in} documents in: {self.kept} kept ({self.changed} changed), "
            f"{self.dropped} dropped, {self.rejected} rejected; edits: {edits or 'none'}"
        )


class StageError(RuntimeError):
    """A stage raised on one document; the run goes on and the document is rejected."""

    def __init__(self, stage: str, doc: Document, cause: Exception) -> None:
        super().__init__(f"stage {stage!r} failed: {type(cause).__name__}: {cause}")
        self.stage = stage
        self.doc = doc


class Pipeline:
    """Runs each document through its stages in order and keeps per-stage figures."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)
        self.stats = Stats(stages={s.name: StageStats() for s in self.stages})

    @classmethod
    def from_config(
        cls,
        config: str | Path | Mapping[str, Any] | None = None,
        stages: Sequence[str] | None = None,
        annotate_only: bool | None = None,
    ) -> Pipeline:
        """Build the pipeline from defaults, a config file, and an optional stage selection.

        Input stages (``html``) are always included, first: an HTML document cannot reach
        a text stage without extraction. ``stages=[]`` selects none beyond them; None (and
        no ``stages`` in the config) selects the default pipeline.
        """
        if isinstance(stages, str):  # would be read letter by letter
            raise ConfigError(f"stages must be a list of stage names, not the string {stages!r}")
        table = load_config(config)
        settings = table.get("pipeline", {})
        if stages is None:
            stages = settings.get("stages", default_stage_names())
        names = list(stages)
        if annotate_only is None:
            annotate_only = bool(settings.get("annotate_only", False))
        for name in reversed(INPUT_STAGES):
            if name not in names:
                names.insert(0, name)
        if len(set(names)) != len(names):
            raise ConfigError(f"a stage is named twice in {names}")
        built = []
        for name in names:
            values = dict(table.get(name, {}))
            if annotate_only:
                values["annotate_only"] = True
            built.append(stage_class(name).from_mapping(values))
        return cls(built)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        edits_before = len(doc.edits)
        for stage in self.stages:
            if doc.dropped:
                break
            stats = self.stats.stages[stage.name]
            start, first_edit = time.perf_counter(), len(doc.edits)
            try:
                doc = stage.apply(doc)
            except Exception as exc:
                raise StageError(stage.name, doc, exc) from exc
            stats.seconds += time.perf_counter() - start
            stats.documents += 1
            stats.edits.update(e.action for e in doc.edits[first_edit:])
        if not doc.dropped and not doc.paragraphs and doc.html is None:
            doc.dropped, doc.drop_reason = True, "empty: no text left"
        changed = any(e.applied and e.action != "flag" for e in doc.edits[edits_before:])
        self._count(doc, changed=changed)
        return doc

    def _count(self, doc: Document, changed: bool) -> None:
        self.stats.documents_in += 1
        if doc.dropped:
            self.stats.dropped += 1
            self.stats.drop_reasons[(doc.drop_reason or "").split(":")[0]] += 1
        else:
            self.stats.kept += 1
            self.stats.changed += changed

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Stream documents through the pipeline, one at a time."""
        for doc in docs:
            yield self(doc)

    def fresh_stats(self) -> Stats:
        """Hand over the figures so far and start counting from zero."""
        stats = self.stats
        self.stats = Stats(stages={s.name: StageStats() for s in self.stages})
        return stats

    def record_reject(self) -> None:
        self.stats.documents_in += 1
        self.stats.rejected += 1
