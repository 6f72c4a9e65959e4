"""Run the shared casing scorer on the casing stage and print its figures and throughput.

Usage: ``PYTHONPATH=src python evals/run_casing.py [--bench]`` from the worktree root.
``--bench`` instead times the stage alone (best of 3, CPU time of this process, so other
processes on the machine disturb it less) on each variant's inputs, and the lexicon load.
Exits 0 with a message when ../shared (the eval data) is not there.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path("/work/shared/eval/casing")
DATA = EVAL / "dev" / "casing_dev.jsonl"


def bench() -> None:
    """Print the lexicon load time and MB/s per variant (documents built beforehand)."""
    sys.path.insert(0, str(ROOT / "src"))
    from textwash.casing import CasingStage, load_lexicon
    from textwash.document import Document

    start = time.perf_counter()
    load_lexicon()
    print(f"lexicon load: {time.perf_counter() - start:.3f} s")
    records = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    stage = CasingStage()
    for variant in ("clean", "seedlike", "lower", "upper", "all"):
        texts = [r["input"] for r in records if variant in ("all", r["variant"])]
        size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        best = float("inf")
        for _ in range(3):
            docs = [Document.from_text(t) for t in texts]
            start = time.process_time()
            for doc in docs:
                stage.apply(doc)
            best = min(best, time.process_time() - start)
        print(f"{variant:9s} {size:6.3f} MB {best:6.3f} s {size / best:6.2f} MB/s")


def main() -> int:
    if not DATA.exists():
        print(f"casing eval data not found at {DATA}; nothing to score")
        return 0
    if "--bench" in sys.argv[1:]:
        bench()
        return 0
    env_path = f"{ROOT / 'src'}:{ROOT / 'evals'}"
    command = [
        sys.executable,
        str(EVAL / "score_casing.py"),
        str(DATA),
        "--fn",
        "adapters_casing:casing_stage",
    ]
    return subprocess.call(command, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})


if __name__ == "__main__":
    sys.exit(main())
