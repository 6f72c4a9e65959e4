"""Reproduce the boilerplate figures: build predictions, run the shared scorer, time it.

    PYTHONPATH=src python evals/run_boilerplate.py [--eval-dir DIR] [--out DIR] [--tasks ...]

Tasks: text_window and text_full (input "\\n".join of the lines, stages encoding +
boilerplate), html (pipeline html + encoding + boilerplate vs trafilatura favor_precision
alone, timed in the same process). Exits 0 with a message when the eval data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import adapters_boilerplate as adapters

import textwash

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "boilerplate"


def _records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _timed(fn: Callable[[str], str], inputs: list[tuple[str, str]]) -> tuple[dict, float, float]:
    """Predictions, seconds (best of two passes) and input MB."""
    best, preds = float("inf"), {}
    for _ in range(2):
        start = time.perf_counter()
        preds = {doc_id: fn(text) for doc_id, text in inputs}
        best = min(best, time.perf_counter() - start)
    megabytes = sum(len(text.encode("utf-8")) for _, text in inputs) / 1e6
    return preds, best, megabytes


def score_predictions(eval_dir: Path, gold: str, preds: dict, out: Path, name: str) -> dict:
    """Write ``{id: text}`` predictions as JSONL and run the shared scorer on them."""
    pred_path = out / f"{name}.jsonl"
    with pred_path.open("w", encoding="utf-8") as handle:
        for doc_id, text in preds.items():
            handle.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            str(eval_dir / "score_boilerplate.py"),
            str(eval_dir / "data" / gold),
            str(pred_path),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def _text_task(eval_dir: Path, name: str, out: Path) -> None:
    records = _records(eval_dir / "data" / f"{name}.jsonl")
    inputs = [(r["id"], "\n".join(line["text"] for line in r["lines"])) for r in records]
    preds, seconds, megabytes = _timed(adapters.text_stages, inputs)
    result = score_predictions(eval_dir, f"{name}.jsonl", preds, out, name)
    print(f"{name} (stages {', '.join(adapters.TEXT_STAGES)}): {json.dumps(result)}")
    rate = megabytes / seconds
    print(f"{name} throughput: {rate:.2f} MB/s ({megabytes:.2f} MB in {seconds:.2f} s)")
    _titles(name, records, inputs)


def _titles(name: str, records: list[dict], inputs: list[tuple[str, str]]) -> None:
    """metadata.title against the gold headline lines (label -1), a diagnostic the scorer
    does not make: a wrong title is salvage that misleads."""
    right = wrong = missed = 0
    for record, (_, text) in zip(records, inputs, strict=True):
        title = textwash.analyze(text, stages=list(adapters.TEXT_STAGES)).metadata.get("title")
        headlines = {line["text"] for line in record["lines"] if line["label"] == -1}
        right += title is not None and title in headlines
        wrong += title is not None and title not in headlines
        missed += title is None and bool(headlines)
    print(
        f"{name} metadata.title: {right} a gold headline, {wrong} other lines, "
        f"{missed} pages with a gold headline and no title"
    )


def _html_task(eval_dir: Path, out: Path) -> None:
    import trafilatura

    records = _records(eval_dir / "data" / "html_task.jsonl")
    inputs = []
    for r in records:
        with gzip.open(eval_dir / "data" / r["html"], "rb") as handle:
            inputs.append((r["id"], handle.read().decode("utf-8", errors="replace")))

    def alone(html: str) -> str:
        return trafilatura.extract(html, include_comments=False, favor_precision=True) or ""

    for label, fn in (("trafilatura favor_precision", alone), ("textwash", adapters.html_pipeline)):
        preds, seconds, megabytes = _timed(fn, inputs)
        result = score_predictions(
            eval_dir, "html_task.jsonl", preds, out, "html__" + label.split()[0]
        )
        print(f"html [{label}]: {json.dumps(result)}")
        print(f"html [{label}] throughput: {megabytes / seconds:.2f} MB/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--out", type=Path, default=None, help="keep predictions here")
    parser.add_argument("--tasks", nargs="*", default=["text_window", "text_full", "html"])
    args = parser.parse_args()
    if not (args.eval_dir / "score_boilerplate.py").exists():
        print(f"boilerplate eval data not found at {args.eval_dir}; nothing to run")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for task in args.tasks:
            if task == "html":
                _html_task(args.eval_dir, out)
            else:
                _text_task(args.eval_dir, task, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
