#!/usr/bin/env python3
"""HTML throughput: our pipeline (html -> encoding -> boilerplate) next to trafilatura alone.

    PYTHONPATH=src python benchmarks/bench_html.py [PATH ...] [--repeats 7] [--config FILE]

PATH: directories (or files) of .html / .html.gz pages. Without one, the pages of the
boilerplate eval (``../shared/eval/boilerplate/data/html_task.jsonl``) are used when that
directory exists; with no pages at all the script says so and exits 0.

The machine is shared and timings are noisy, so the comparison is built to be fair rather
than fast: both sides get the same pages and one untimed warm-up, then ``--repeats`` rounds
in which each side goes once over all pages. The sides take turns page by page, so that
load from other processes falls on both alike, but a side never follows the other on the
same page, where it would find the page warm (in the CPU caches, its lines in
trafilatura's line cache): run that way, the per-round ratio swung by ~0.05 with the order,
and run as whole passes one after the other, by ~0.2 with the load. So while one side is on
page ``i`` the other is on the page half the corpus away, and who goes first alternates.
Time is CPU time (``time.process_time``): other processes do not count, only the slowing
of our own. Reported: best and median of the per-round totals, and the median of the
per-round ratios. Use a hundred pages or more: on a few, the line caches of both sides
(ours hold 4,096 lines) would carry over from one round to the next.

A last round times the parts of our pipeline the same way (trafilatura calls wrapped,
stages timed one by one): the wrappers cost a little, so it is not part of the comparison.
This is a benchmark, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import trafilatura

import textwash
import textwash.html
from textwash.document import Document
from textwash.pipeline import Pipeline

#: The stages of the boilerplate eval's HTML task (evals/adapters_boilerplate.py).
STAGES = ("html", "encoding", "boilerplate")
DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "boilerplate"


def baseline(page: str) -> str:
    """What we compare with: trafilatura's own text, precision preset, no comments."""
    return trafilatura.extract(page, include_comments=False, favor_precision=True) or ""


def our_pipeline(config: Path | None = None) -> Callable[[str], str]:
    """Our pipeline as the eval adapter runs it (text of a dropped document: empty)."""

    def ours(page: str) -> str:
        doc = textwash.analyze(page, html=True, stages=STAGES, config=config)
        return "" if doc.dropped else doc.text

    return ours


def _read(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


def _html_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in candidates:
            if file.is_file() and file.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
                yield file


def load_pages(paths: list[Path], eval_dir: Path) -> list[str]:
    """The pages given, or the eval's HTML task pages (in its order) when none are."""
    if paths:
        return [_read(file) for file in _html_files(paths)]
    task = eval_dir / "data" / "html_task.jsonl"
    if not task.exists():
        return []
    with task.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [_read(eval_dir / "data" / record["html"]) for record in records]


def compare(pages: list[str], repeats: int, ours: Callable[[str], str]) -> dict[str, list[float]]:
    """CPU seconds per round for each side.

    The sides take turns page by page, so that both run under the same load, but never on
    the same page in a row: while one side is on page ``i``, the other is on the page half
    the corpus away. Who goes first alternates from page to page and round to round.
    """
    sides: dict[str, Callable[[str], str]] = {"trafilatura": baseline, "textwash": ours}
    totals: dict[str, list[float]] = {name: [] for name in sides}
    half = len(pages) // 2
    for round_number in range(repeats):
        spent = dict.fromkeys(sides, 0.0)
        gc.collect()
        for i in range(len(pages)):
            turns = [("trafilatura", pages[i]), ("textwash", pages[(i + half) % len(pages)])]
            if (i + round_number) % 2:
                turns.reverse()
            for name, page in turns:
                start = time.process_time()
                sides[name](page)
                spent[name] += time.process_time() - start
        for name in sides:
            totals[name].append(spent[name])
    return totals


class _Timed:
    """Wraps a function, adding its CPU time and call count to a tally under a label."""

    def __init__(self, fn: Callable[..., Any], tally: dict[str, list[float]], label: Callable):
        self.fn, self.tally, self.label = fn, tally, label

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return self.fn(*args, **kwargs)
        finally:
            entry = self.tally.setdefault(self.label(kwargs), [0.0, 0])
            entry[0] += time.process_time() - start
            entry[1] += 1


def breakdown(pages: list[str], config: Path | None = None) -> dict[str, list[float]]:
    """CPU seconds and calls per part of our pipeline, and of the baseline, over one round."""
    tally: dict[str, list[float]] = {}
    pipeline = Pipeline.from_config(config, stages=STAGES)
    originals = (trafilatura.bare_extraction, textwash.html.head_metadata)

    def extraction_label(kwargs: dict[str, Any]) -> str:
        if kwargs.get("favor_recall"):
            return "  trafilatura, recall retry"
        return "  trafilatura extraction"

    trafilatura.bare_extraction = _Timed(originals[0], tally, extraction_label)
    textwash.html.head_metadata = _Timed(originals[1], tally, lambda _: "  metadata (head)")
    try:
        half = len(pages) // 2
        for i in range(len(pages)):
            if i % 2:
                _timed_baseline(pages[i], tally)
            _instrumented(pipeline, pages[(i + half) % len(pages)], tally)
            if not i % 2:
                _timed_baseline(pages[i], tally)
    finally:
        trafilatura.bare_extraction, textwash.html.head_metadata = originals
    return tally


def _timed_baseline(page: str, tally: dict[str, list[float]]) -> None:
    start = time.process_time()
    baseline(page)
    _add(tally, "trafilatura alone (baseline)", time.process_time() - start)


def _instrumented(pipeline: Pipeline, page: str, tally: dict[str, list[float]]) -> None:
    """Our pipeline on one page, each stage timed on its own."""
    doc = Document.from_html(page)
    whole = time.process_time()
    for stage in pipeline.stages:
        start = time.process_time()
        doc = stage.apply(doc)
        _add(tally, f"stage {stage.name}", time.process_time() - start)
        if doc.dropped:
            break
    doc.text  # noqa: B018 (the adapter returns the joined text: part of the cost)
    _add(tally, "textwash pipeline (all)", time.process_time() - whole)


def _add(tally: dict[str, list[float]], label: str, seconds: float) -> None:
    entry = tally.setdefault(label, [0.0, 0])
    entry[0] += seconds
    entry[1] += 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, help="HTML files or directories")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--repeats", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    parser.add_argument("--config", type=Path, help="a textwash config file for our side")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the per-part pass")
    args = parser.parse_args()

    pages = load_pages(args.paths, args.eval_dir)
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        where = ", ".join(map(str, args.paths)) or args.eval_dir
        print(f"no HTML pages found ({where}); nothing to benchmark")
        return 0
    megabytes = sum(len(page.encode("utf-8")) for page in pages) / 1e6

    ours = our_pipeline(args.config)
    for page in pages:  # warm-up: imports, lazy tables, first-call caches
        baseline(page)
        ours(page)
    totals = compare(pages, args.repeats, ours)

    print(f"{len(pages)} pages, {megabytes:.2f} MB; {args.repeats} rounds, CPU time")
    columns = ("best s", 9), ("pages/s", 9), ("MB/s", 8), ("median s", 10), ("pages/s", 9)
    print(" " * 14 + "".join(f"{title:>{width}}" for title, width in columns) + f"{'MB/s':>8}")
    for name, samples in totals.items():
        best, median = min(samples), statistics.median(samples)
        print(
            f"{name:<14}{best:>9.3f}{len(pages) / best:>9.1f}{megabytes / best:>8.2f}"
            f"{median:>10.3f}{len(pages) / median:>9.1f}{megabytes / median:>8.2f}"
        )
    base, mine = totals["trafilatura"], totals["textwash"]
    rounds = [b / m for b, m in zip(base, mine, strict=True)]
    print(
        "speed ratio textwash / trafilatura: "
        f"best-of-{args.repeats} {min(base) / min(mine):.3f}, "
        f"median {statistics.median(base) / statistics.median(mine):.3f}, "
        f"median of per-round ratios {statistics.median(rounds):.3f} "
        f"(rounds: {' '.join(f'{r:.3f}' for r in rounds)})"
    )

    if not args.no_breakdown:
        tally = breakdown(pages, args.config)
        reference = tally["trafilatura alone (baseline)"][0]
        print("\nper part, one instrumented round (CPU s; share of trafilatura alone):")
        for label in (
            "trafilatura alone (baseline)",
            "textwash pipeline (all)",
            *(f"stage {name}" for name in STAGES),
            "  trafilatura extraction",
            "  trafilatura, recall retry",
            "  metadata (head)",
        ):
            seconds, calls = tally.get(label, (0.0, 0))
            print(f"{label:<32}{seconds:>8.3f}{seconds / reference:>8.1%}{int(calls):>7} calls")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
