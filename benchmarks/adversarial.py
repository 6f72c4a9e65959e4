#!/usr/bin/env python3
"""Worst-case time of each stage on hostile lines: is any stage super-linear in a line?

    python benchmarks/adversarial.py [--chars 20000] [--budget 5]

Scraped text holds lines no article has: 20,000 "!" in a row, one 20,000-letter "word",
". . ." for a page, a Title Case run of 4,000 words. A pattern that is retried at every
character of such a run, or a lookup over every window of it, turns one line into minutes
of work and stalls a whole corpus run. Each unit below is repeated to ``--chars``
characters inside one line between two ordinary paragraphs, and every text stage is
timed on it alone (CPU seconds). The script prints the slowest cases and exits 1 if any
stage took more than ``--budget`` seconds on one document. Doubling ``--chars`` should
roughly double the times; a stage whose time grows four-fold is quadratic in that unit.
This is a benchmark, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import time

from textwash.document import Document
from textwash.pipeline import Pipeline
from textwash.registry import STAGES

BODY = "The harbour council met on Tuesday to discuss the new ferry timetable for the summer."
#: Runs of one kind of character or word, and the word shapes each stage looks at.
UNITS = (
    "!", ".", "-", "_", "(", "»", "…", "—", "1", "1,", "1 ", "A", "é", "A.", "a.", "Ab",
    "Ж", "中", "😀", "\u200b", "a\u0301", "\u00a0", " ", ". ", "a ", "the ", "THE ", "Word ",
    "If we ", "Is. ", "Mr. ", "U.S. ", "(a) ", "«a» ", "A, ", "De ", "O'", "@", "#tag ", "$1 ",
    "http://x.co/", '"', "'", "x\n", "Word\n\n",
)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=20000, help="length of each hostile run")
    parser.add_argument("--budget", type=float, default=5.0, help="most seconds per stage")
    parser.add_argument("--show", type=int, default=10, help="how many slowest cases to print")
    args = parser.parse_args()

    stages = [name for name in STAGES if name != "html"]  # text in, not pages
    pipelines = {name: Pipeline.from_config({}, stages=[name]) for name in stages}
    # Lazy tables and models load here, untimed: a short run of every unit takes the same
    # paths as the long ones (an ordinary paragraph alone skips langdetect's profiles).
    warm_up = "\n".join([BODY, *("word " + unit * 20 + " end" for unit in UNITS), BODY])
    for pipeline in pipelines.values():
        pipeline(Document.from_text(warm_up))
    timings: list[tuple[float, str, str]] = []
    for unit in UNITS:
        text = "\n".join([BODY, "word " + unit * (args.chars // len(unit)) + " end", BODY])
        for name, pipeline in pipelines.items():
            start = time.process_time()
            pipeline(Document.from_text(text))
            timings.append((time.process_time() - start, name, unit))
    timings.sort(reverse=True)
    print(f"{len(UNITS)} hostile runs of {args.chars:,} characters x {len(stages)} stages")
    print(f"{'seconds':>8}  {'stage':<12} unit")
    for seconds, name, unit in timings[: args.show]:
        print(f"{seconds:8.3f}  {name:<12} {unit!r}")
    slow = [t for t in timings if t[0] > args.budget]
    if slow:
        print(f"{len(slow)} case(s) over the budget of {args.budget} s")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
