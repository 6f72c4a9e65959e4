"""Artifacts stage on human web text: how much would a user who turns on dropping lose?

    PYTHONPATH=src python evals/run_artifacts_fp.py [--stages casing,language,artifacts]
        [--examples N] [--json PATH]

The dev set of the artifacts yardstick is news paragraphs; real input is web pages. This
runner scores three corpora of genuine human text (none of it is copied into the project,
it is read from /work/shared at run time) and reports false positives:

* ``web``: the content lines (label 1) of the boilerplate eval's ``text_full.jsonl``, one
  document per page, one paragraph per line as the extractor hands them over (lists, specs,
  headings, captions, quotes, tables flattened to lines; several languages);
* ``news``: the ``clean`` variant of the casing eval (correctly cased English articles);
* ``dev-human``: label-0 rows of the artifacts dev set (``original`` and
  ``human_translation``), each (doc, system) as one document: the in-domain reference.

Each document runs through the given stages (default: the full default pipeline). Per
source and language: paragraphs scored, the share at >= 0.5 / 0.7 / 0.9, the share
unscored (None), the share of documents ``drop_document_above = 0.5`` would drop (the
stage's own length-weighted mean) and of documents that would lose at least one paragraph
to ``drop_paragraph_above = 0.5``; then the reasons that fire on paragraphs at >= 0.5, the
kinds of text they are, and the highest-scoring examples (truncated). Exits 0 when
/work/shared is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from textwash.document import Document
from textwash.pipeline import Pipeline
from textwash.registry import default_stage_names

SHARED = Path("/work/shared/eval")
THRESHOLDS = (0.5, 0.7, 0.9)


def _rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def corpora() -> dict[str, list[tuple[str, str]]]:
    """Source name -> [(document id, text)]."""
    web = []
    for row in _rows(SHARED / "boilerplate" / "data" / "text_full.jsonl"):
        lines = [line["text"] for line in row["lines"] if line["label"] == 1]
        if lines:
            web.append((row["id"][:12], "\n".join(lines)))
    news = [
        (row["doc_id"], row["gold"])
        for row in _rows(SHARED / "casing" / "dev" / "casing_dev.jsonl")
        if row["variant"] == "clean"
    ]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows(SHARED / "artifacts" / "dev.jsonl"):
        if row["label"] == 0 and row["kind"] in ("original", "human_translation"):
            groups[row["doc"], row["system"]].append(row["text"])
    dev = [(f"{d}/{s}", "\n\n".join(texts)) for (d, s), texts in groups.items()]
    return {"web": web, "news": news, "dev-human": dev}


_BULLET = re.compile(r"^\s*(?:[-*•·–—►▪●◦]|\d{1,3}[.)]|[a-z][.)])\s")
_WORDS = re.compile(r"[^\W\d_]+")


def kinds(text: str, language: str | None) -> list[str]:
    """Rough kinds of a paragraph, for the report (several may apply)."""
    words = _WORDS.findall(text)
    out = []
    if language and language != "en":
        out.append("non-English")
    if len(words) <= 4:
        out.append("short (<= 4 words)")
    elif len(words) <= 12 and not text.rstrip().endswith((".", "!", "?", ":", '"', "”")):
        out.append("heading/caption (5-12 words, no end stop)")
    if _BULLET.match(text):
        out.append("list item")
    digits = sum(c.isdigit() for c in text)
    if digits >= 0.15 * max(1, len(text.replace(" ", ""))):
        out.append("numbers/table")
    if text.lstrip()[:1] in "\"“„«'‘":
        out.append("quote")
    if re.search(r"[{};]\s*$|\b(def|return|function|var|const)\b.*[({]", text):
        out.append("code-like")
    if not out:
        out.append("prose")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stages", default=",".join(default_stage_names()))
    ap.add_argument("--examples", type=int, default=20)
    ap.add_argument("--json", type=Path, help="write per-paragraph scores here")
    args = ap.parse_args()
    if not SHARED.exists():
        print("shared eval data not found (/work/shared); nothing to run")
        return 0
    pipeline = Pipeline.from_config(
        {"artifacts": {"drop_document_above": 0.5}}, stages=args.stages.split(",")
    )
    # cell -> counters; a cell is (source, language)
    paras: dict[tuple[str, str], Counter] = defaultdict(Counter)
    docs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    reasons: dict[str, Counter] = defaultdict(Counter)
    kind_all: dict[str, Counter] = defaultdict(Counter)
    kind_hit: dict[str, Counter] = defaultdict(Counter)
    hits: list[tuple[float, str, str, str, list[str]]] = []
    dump: list[dict] = []
    for source, items in corpora().items():
        for doc_id, text in items:
            doc = pipeline(Document.from_text(text, id=doc_id))
            language = doc.language or "?"
            cell = (source, language)
            scored = [p for p in doc.paragraphs if p.artifact_score is not None]
            d = docs[cell]
            d["docs"] += 1
            d["dropped"] += (doc.drop_reason or "").startswith("artifacts")
            d["lose_paragraph"] += any(p.artifact_score >= 0.5 for p in scored)
            c = paras[cell]
            c["paragraphs"] += len(doc.paragraphs)
            c["unscored"] += len(doc.paragraphs) - len(scored)
            for p in doc.paragraphs:
                plang = p.language or doc.language
                ks = kinds(p.text, plang)
                for k in ks:
                    kind_all[source][k] += 1
                if p.artifact_score is None:
                    continue
                for t in THRESHOLDS:
                    c[t] += p.artifact_score >= t
                if p.artifact_score >= 0.5:
                    for k in ks:
                        kind_hit[source][k] += 1
                    for r in p.artifact_reasons:
                        if r["weight"] > 0:
                            reasons[source][r["feature"]] += 1
                    feats = [r["feature"] for r in p.artifact_reasons if r["weight"] > 0]
                    hits.append((p.artifact_score, source, language, p.text, feats))
                dump.append(
                    {
                        "source": source,
                        "doc": doc_id,
                        "language": plang,
                        "score": p.artifact_score,
                        "text": p.text[:200],
                    }
                )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in dump)
    print(f"stages: {args.stages}")
    print(
        f"{'source':10s} {'lang':6s} {'docs':>5s} {'paras':>6s} {'unscored':>8s} "
        + " ".join(f"{'>=' + str(t):>6s}" for t in THRESHOLDS)
        + f" {'doc drop@.5':>11s} {'doc loses para@.5':>17s}"
    )
    totals: dict[str, tuple[Counter, Counter]] = defaultdict(lambda: (Counter(), Counter()))
    for cell in sorted(paras, key=lambda c: (c[0], -docs[c]["docs"], c[1])):
        totals[cell[0]][0].update(paras[cell])
        totals[cell[0]][1].update(docs[cell])
    rows = [*sorted(paras, key=lambda c: (c[0], -docs[c]["docs"], c[1]))]
    for cell in rows + [(s, "ALL") for s in totals]:
        c, d = (paras[cell], docs[cell]) if cell[1] != "ALL" else totals[cell[0]]
        scored = max(1, c["paragraphs"] - c["unscored"])
        print(
            f"{cell[0]:10s} {cell[1]:6s} {d['docs']:5d} {c['paragraphs']:6d} "
            f"{c['unscored'] / max(1, c['paragraphs']):8.3f} "
            + " ".join(f"{c[t] / scored:6.3f}" for t in THRESHOLDS)
            + f" {d['dropped'] / d['docs']:11.3f} {d['lose_paragraph'] / d['docs']:17.3f}"
        )
    for source in totals:
        print(f"\n{source}: reasons on paragraphs >= 0.5 (positive weight):")
        print("  " + ", ".join(f"{k} {v}" for k, v in reasons[source].most_common()))
        print(f"{source}: kinds, paragraphs >= 0.5 / all of that kind:")
        print(
            "  "
            + "; ".join(
                f"{k} {kind_hit[source][k]}/{n} ({kind_hit[source][k] / n:.1%})"
                for k, n in kind_all[source].most_common()
            )
        )
    hits.sort(key=lambda h: -h[0])
    if args.examples:
        print(f"\nhighest-scoring human paragraphs (of {len(hits)} at >= 0.5):")
        # spread over sources: round-robin by source, best first
        by_source: dict[str, list] = defaultdict(list)
        for h in hits:
            by_source[h[1]].append(h)
        picked: list = []
        while len(picked) < args.examples and any(by_source.values()):
            for s in list(by_source):
                if by_source[s] and len(picked) < args.examples:
                    picked.append(by_source[s].pop(0))
        for score, source, language, text, feats in picked:
            print(f"  {score:.3f} {source}/{language} [{', '.join(feats)}] {text[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
