#!/usr/bin/env python3
"""Run every eval runner in this folder (evals/run_<stage>.py) one after the other.

    python evals/run_evals.py [--quick]

Each runner scores one stage with the shared scorers in ../shared/eval and exits 0 with a
note when that data is absent, so this is safe on machines without it. ``--quick`` runs
only the runners that take well under a minute (CI's smoke run).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Runners fast enough for a CI smoke run (the boilerplate and artifact ones take minutes).
QUICK = {"run_encoding", "run_language", "run_casing"}


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    failed = []
    for runner in sorted(HERE.glob("run_*.py")):
        if runner.name == Path(__file__).name or (quick and runner.stem not in QUICK):
            continue
        print(f"=== {runner.stem}", flush=True)
        if subprocess.run([sys.executable, str(runner)]).returncode:
            failed.append(runner.stem)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
