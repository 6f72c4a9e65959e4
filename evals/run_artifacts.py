"""Artifacts stage against the shared yardstick: dev, dev_synthetic, seeds, throughput.

    PYTHONPATH=src python evals/run_artifacts.py [--oof PATH]

Scores every paragraph of dev.jsonl and dev_synthetic.jsonl with the shipped weights, after
the casing stage as in the default pipeline, each (doc, system)'s rows pooled as one
document with ``--document-blend`` (the stage's default; see adapters_artifacts), and runs
score_artifacts.py on them
(in-sample for dev: the weights and the 5k-word word-choice table were fitted on its
non-seed rows, so those figures are inflated and mean little, and pooling, which averages
that fitted evidence over a document, inflates them further: AUC 0.908;
pass --oof with the file written by ``scripts/fit_artifact_weights.py --oof`` for the
honest out-of-fold figures; that file scores dev_synthetic out-of-fold too: its clean
paragraphs are dev rows, so the shipped word-choice table has seen them). dev_synthetic is
also broken down per injected artifact kind. Then the seed check through the default pipeline, and
throughput of language + artifacts next to ftfy.fix_text. Exits 0 when /work/shared is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from adapters_artifacts import pool_scores, score_documents

import textwash
from textwash.artifacts import DOCUMENT_BLEND
from textwash.document import Document
from textwash.pipeline import Pipeline

SHARED = Path("/work/shared")
EVAL = SHARED / "eval" / "artifacts"
SEED_KEYS = ("If we If we", "arriving Is.", "Change.", "diplomat told Antony")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _auc(positives: list[float], negatives: list[float]) -> float:
    """P(positive scores above negative), ties counting half (Mann-Whitney)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _by_corruption(rows: list[dict], scores: dict[str, float]) -> None:
    """dev_synthetic per injected artifact: AUC of that kind's copies against every clean
    paragraph, and paired win rate against each copy's own clean paragraph."""
    clean = {r["pair"]: scores[r["id"]] for r in rows if not r["label"]}
    kinds: dict[str, list[dict]] = {}
    for r in rows:
        if r["label"]:
            kinds.setdefault(r["corruption"], []).append(r)
    parts = []
    for kind, copies in sorted(kinds.items()):
        own = [scores[r["id"]] for r in copies]
        paired = sum(
            (scores[r["id"]] > clean[r["pair"]]) + 0.5 * (scores[r["id"]] == clean[r["pair"]])
            for r in copies
        ) / len(copies)
        parts.append(f"{kind} {_auc(own, list(clean.values())):.3f} (paired {paired:.2f})")
    print("  per corruption, AUC vs all clean: " + "; ".join(parts))


def _score_file(gold: Path, predictions: Path | None, blend: float) -> None:
    """Score gold's rows (or take the given paragraph scores), pool each (doc, system) as
    one document with ``blend`` (0: every paragraph alone), and run the yardstick."""
    rows = _rows(gold)
    if predictions is None:
        scores = score_documents(rows, blend)
    else:
        given = {r["id"]: r["score"] for r in _rows(predictions)}
        scores = pool_scores(rows, given, blend)
    if any(r.get("corruption") for r in rows):
        _by_corruption(rows, scores)
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with open(pred, "w", encoding="utf-8") as out:
            for key, score in scores.items():
                out.write(json.dumps({"id": key, "score": score}) + "\n")
        subprocess.run(
            [sys.executable, str(EVAL / "score_artifacts.py"), str(gold), str(pred)],
            check=True,
        )


def seed_check(split_lines: bool) -> None:
    """Seeds through the default pipeline; optionally one paragraph per line (as in dev)."""
    docs = {}
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if split_lines:
            text = "\n\n".join(line for line in text.splitlines() if line.strip())
        docs[path.name[:3]] = textwash.analyze(text)
    print(f"seed check ({'one paragraph per line' if split_lines else 'file as given'}):")
    for name, doc in docs.items():
        print(
            f"  {name}: {len(doc.paragraphs)} paragraphs, language={doc.language}, "
            f"artifact_max={doc.metadata['artifact_max']:.3f} "
            f"artifact_mean={doc.metadata['artifact_mean']:.3f}"
        )
    hot = [p for p in docs["004"].paragraphs if any(k.lower() in p.text.lower() for k in SEED_KEYS)]
    others = [p for k in ("000", "002", "003") for p in docs[k].paragraphs]
    top = max(others, key=lambda p: p.artifact_score or 0.0)
    print(f"  004 artifact paragraphs: {[p.artifact_score for p in hot]}")
    print(f"  highest of 000/002/003: {top.artifact_score} ({top.text[:60]!r})")
    print(
        f"  every artifact paragraph above all of 000/002/003: "
        f"{min(p.artifact_score or 0 for p in hot) > (top.artifact_score or 0)}"
    )

    def mean(doc: Document) -> float:
        return sum(p.artifact_score or 0.0 for p in doc.paragraphs) / len(doc.paragraphs)

    print(
        f"  mean 004 {mean(docs['004']):.3f} - mean 002 {mean(docs['002']):.3f} = "
        f"{mean(docs['004']) - mean(docs['002']):.3f} (target >= 0.2)"
    )


def throughput() -> None:
    import ftfy

    casing = _rows(SHARED / "eval/casing/dev/casing_dev.jsonl")
    texts = [r["gold"] for r in casing if r["variant"] == "clean"]
    size = sum(len(t.encode()) for t in texts) / 1e6
    pipeline = Pipeline.from_config(None, stages=["language", "artifacts"])
    pipeline(Document.from_text("Warm up the tables and profiles."))
    for name, run in (
        ("ftfy.fix_text", ftfy.fix_text),
        ("language + artifacts", lambda t: pipeline(Document.from_text(t))),
    ):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for text in texts:
                run(text)
            best = min(best, time.perf_counter() - start)
        print(f"  {name:22s} {size:.3f} MB in {best:.2f} s = {size / best:.2f} MB/s")
    seconds = {n: round(s.seconds, 3) for n, s in pipeline.stats.stages.items()}
    print(f"  stage seconds over all runs: {seconds}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--oof", type=Path, help="out-of-fold predictions for dev.jsonl")
    ap.add_argument(
        "--document-blend",
        type=float,
        default=DOCUMENT_BLEND,
        help="pooling of each (doc, system)'s paragraphs (0: every paragraph alone)",
    )
    args = ap.parse_args()
    if not EVAL.exists():
        print("shared eval data not found (/work/shared); nothing to run")
        return 0
    blend = args.document_blend
    print(f"== dev.jsonl, shipped weights (in-sample), document_blend {blend} ==")
    _score_file(EVAL / "dev.jsonl", None, blend)
    if args.oof:
        for b in sorted({0.0, blend}):
            print(f"== dev.jsonl, out-of-fold (GroupKFold by doc), document_blend {b} ==")
            _score_file(EVAL / "dev.jsonl", args.oof, b)
    for b in sorted({0.0, blend}):
        print(f"== dev_synthetic.jsonl, shipped weights, document_blend {b} ==")
        _score_file(EVAL / "dev_synthetic.jsonl", None, b)
        if args.oof:  # the fit script scores these rows with the folds that never saw them
            print(f"== dev_synthetic.jsonl, out-of-fold, document_blend {b} ==")
            _score_file(EVAL / "dev_synthetic.jsonl", args.oof, b)
    seed_check(split_lines=False)
    seed_check(split_lines=True)
    print("throughput on casing dev clean documents:")
    throughput()
    return 0


if __name__ == "__main__":
    sys.exit(main())
