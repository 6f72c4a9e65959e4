#!/usr/bin/env python3
"""Score the encoding stage with the shared scorer (../shared/eval/encoding), all dev sets.

    python evals/run_encoding.py

Prints the scorer's headline row for: the byte set (decoder), and the two text sets with
the stage's defaults and with the repair fixes only. Exits 0 with a note when the shared
eval data is absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent.parent / "shared" / "eval" / "encoding"

RUNS = [
    ("bytes_dev.jsonl", "decode"),
    ("news_mojibake_dev.jsonl", "encoding_stage"),
    ("news_mojibake_dev.jsonl", "encoding_repair_only"),
    ("ftfy_cases_dev.jsonl", "encoding_stage"),
    ("ftfy_cases_dev.jsonl", "encoding_repair_only"),
]


def main() -> int:
    if not EVAL.is_dir():
        print(f"encoding eval skipped: {EVAL} not present")
        return 0
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent / "src"), str(HERE)])
    for data, function in RUNS:
        result = subprocess.run(
            [sys.executable, "score_encoding.py", f"dev/{data}", "--fn", f"adapters:{function}"],
            cwd=EVAL,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        lines = result.stdout.splitlines()
        header = next(line for line in lines if line.startswith("group"))
        overall = next(line for line in lines if line.startswith("ALL"))
        speed = next((ln for ln in result.stderr.splitlines() if ln.startswith("#")), "")
        print(f"-- {data} with {function} {speed.split(':', 1)[-1].strip()}")
        print(header)
        print(overall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
