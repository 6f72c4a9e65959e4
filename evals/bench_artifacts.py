"""Throughput of the language and artifacts stages next to ftfy.fix_text, same texts, one process.

    PYTHONPATH=src python evals/bench_artifacts.py [--repeats 5]

Corpora: (a) the casing eval's gold documents, (b) the seed articles repeated. For each,
times artifacts alone, language alone, both (a two-stage pipeline) and ``ftfy.fix_text``:
best of ``--repeats`` runs in CPU time, the variants taking turns. Exits 0 without
/work/shared.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textwash.document import Document
from textwash.pipeline import Pipeline

SHARED = Path("/work/shared")


def corpora() -> dict[str, list[str]]:
    with open(SHARED / "eval/casing/dev/casing_dev.jsonl", encoding="utf-8") as handle:
        gold = [json.loads(line)["gold"] for line in handle if line.strip()]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    return {"casing gold": gold, "seeds x20": seeds * 20}


def best_of(runs: dict[str, Callable[[str], object]], texts: list[str], repeats: int) -> dict:
    """Best CPU time of each run; the runs take turns, so machine load hits all alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.process_time()
            for text in texts:
                run(text)
            best[name] = min(best[name], time.process_time() - start)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    if not (SHARED / "eval").exists():
        print("shared eval data not found (/work/shared); nothing to run")
        return 0
    import ftfy

    pipelines = {
        name: Pipeline.from_config(None, stages=stages)
        for name, stages in (
            ("artifacts", ["artifacts"]),
            ("language", ["language"]),
            ("language + artifacts", ["language", "artifacts"]),
        )
    }
    for pipeline in pipelines.values():
        pipeline(Document.from_text("Warm up the tables and profiles, once."))
    runs: dict[str, Callable[[str], object]] = {
        name: (lambda text, p=p: p(Document.from_text(text))) for name, p in pipelines.items()
    }
    runs["ftfy.fix_text"] = ftfy.fix_text
    for corpus, texts in corpora().items():
        size = sum(len(t.encode()) for t in texts) / 1e6
        print(f"{corpus}: {len(texts)} documents, {size:.3f} MB, best of {args.repeats}")
        for name, seconds in best_of(runs, texts, args.repeats).items():
            print(f"  {name:22s} {seconds:6.3f} s  {size / seconds:6.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
