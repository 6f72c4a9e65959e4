#!/usr/bin/env python3
"""Throughput of each stage and of the whole pipeline, next to ftfy.fix_text alone.

    python benchmarks/bench.py CORPUS [--target-mb 1] [--passes 5] [--stages a,b]

CORPUS is anything ``textwash clean`` reads (a directory, .txt, .jsonl, .html). The texts
are repeated until they reach ``--target-mb``; every pass runs the whole pipeline on
fresh documents and times each stage inside it, so each stage sees realistic input (the
output of the stages before it). Lazy data loading is warmed up first and not timed.
Figures are medians over the passes. This is a benchmark, not a test: numbers depend on
the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

import ftfy

from textwash.document import Document
from textwash.io import iter_inputs
from textwash.pipeline import Pipeline


def load_corpus(paths: list[str], target_bytes: int) -> list[tuple[str, bool]]:
    """(text, is_html) pairs, repeated until the corpus reaches ``target_bytes``."""
    base = []
    for item in iter_inputs(paths):
        if isinstance(item, Document):
            is_html = item.html is not None
            base.append((item.html if is_html else item.text, is_html))
    if not base:
        raise SystemExit("no documents found in the corpus")
    corpus, size = [], 0
    while size < target_bytes:
        for text, is_html in base:
            corpus.append((text, is_html))
            size += len(text.encode("utf-8"))
    return corpus


def fresh(corpus: list[tuple[str, bool]]) -> list[Document]:
    return [Document.from_html(t) if html else Document.from_text(t) for t, html in corpus]


def ftfy_inputs(corpus: list[tuple[str, bool]]) -> list[str]:
    """What ftfy.fix_text is timed on: each document's text as the text stages first see
    it, so a page's extracted text rather than its HTML (language and artifacts only ever
    see extracted text; leaving pages out would time ftfy on less text than they read)."""
    extract = Pipeline.from_config(stages=["html"])
    return [extract(Document.from_html(t)).text if html else t for t, html in corpus]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--target-mb", type=float, default=1.0)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--stages", help="comma-separated stage selection (default: all)")
    args = parser.parse_args()

    corpus = load_corpus(args.corpus, int(args.target_mb * 1e6))
    megabytes = sum(len(t.encode("utf-8")) for t, _ in corpus) / 1e6
    stages = args.stages.split(",") if args.stages else None
    # One pipeline for every pass, warmed on the corpus itself: lazy tables (lexicons,
    # language profiles) load once per process in real runs too, so they are not timed.
    pipeline = Pipeline.from_config(stages=stages)
    for doc in fresh(corpus[: max(1, len(corpus) // 10)]):
        pipeline(doc)

    texts = ftfy_inputs(corpus)

    def ftfy_pass() -> float:
        start = time.perf_counter()
        for text in texts:
            ftfy.fix_text(text)
        return time.perf_counter() - start

    # ftfy runs right after each pipeline pass, so both see the same machine load; the
    # issues' ratios are taken within each pass, then their median.
    per_stage: dict[str, list[float]] = {}
    totals, ftfy_times = [], []
    for _ in range(args.passes):
        pipeline.fresh_stats()
        docs = fresh(corpus)
        start = time.perf_counter()
        for doc in docs:
            pipeline(doc)
        totals.append(time.perf_counter() - start)
        for name, stats in pipeline.stats.stages.items():
            per_stage.setdefault(name, []).append(stats.seconds)
        ftfy_times.append(ftfy_pass())

    ftfy_seconds = statistics.median(ftfy_times)
    text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    print(f"corpus: {len(corpus)} docs, {megabytes:.2f} MB, {args.passes} passes (median)")
    print(f"{'step':<22}{'seconds':>10}{'MB/s':>10}{'docs/s':>10}{'share':>8}")
    total = statistics.median(totals)

    def row(name: str, seconds: float, mb: float, docs: int, share: str = "") -> None:
        rate = mb / seconds if seconds else float("inf")
        per_doc = docs / seconds if seconds else float("inf")
        print(f"{name:<22}{seconds:>10.3f}{rate:>10.2f}{per_doc:>10.0f}{share:>8}")

    for name, samples in per_stage.items():
        seconds = statistics.median(samples)
        row(f"  stage {name}", seconds, megabytes, len(corpus), f"{seconds / total:.0%}")
    row("pipeline (all)", total, megabytes, len(corpus), "100%")
    row("ftfy.fix_text alone", ftfy_seconds, text_mb, len(texts))
    print_ratios(per_stage, totals, ftfy_times)


def print_ratios(
    per_stage: dict[str, list[float]], totals: list[float], ftfy_times: list[float]
) -> None:
    """The throughput targets of the issues, each a median of per-pass ratios: what casing
    adds to the rest of the pipeline, and language + artifacts next to ftfy.fix_text."""
    if "casing" in per_stage and len(per_stage) > 1:
        added = [c / (t - c) for c, t in zip(per_stage["casing"], totals, strict=True)]
        print(f"casing adds {statistics.median(added):.0%} to the rest of the pipeline")
    if {"language", "artifacts"} <= per_stage.keys():
        pairs = zip(per_stage["language"], per_stage["artifacts"], ftfy_times, strict=True)
        ratio = statistics.median((lang + art) / f for lang, art, f in pairs)
        print(f"language + artifacts take {ratio:.2f}x the time of ftfy.fix_text")


if __name__ == "__main__":
    main()
