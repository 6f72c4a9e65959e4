"""Run the shared casing scorer on the casing stage and print its figures and throughput.

Usage: ``PYTHONPATH=src python evals/run_casing.py`` from the worktree root. Exits 0 with a
message when ../shared (the eval data) is not there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path("/work/shared/eval/casing")


def main() -> int:
    data = EVAL / "dev" / "casing_dev.jsonl"
    if not data.exists():
        print(f"casing eval data not found at {data}; nothing to score")
        return 0
    env_path = f"{ROOT / 'src'}:{ROOT / 'evals'}"
    command = [sys.executable, str(EVAL / "score_casing.py"), str(data),
               "--fn", "adapters_casing:casing_stage"]
    return subprocess.call(command, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})


if __name__ == "__main__":
    sys.exit(main())
