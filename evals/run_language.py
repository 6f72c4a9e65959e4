"""Language stage on the shared dev texts: agreement of the fast path with full detection.

For every text: the stage's answer (probes + fallback) against one langdetect pass over the
whole text with the same seeded detector, how often the fast path settled it, the ALL-CAPS
check on the casing set (``upper`` input vs its gold), and throughput.

    PYTHONPATH=src python evals/run_language.py
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from textwash.language import LanguageOptions, detect, detect_document

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval")


def _load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def text_sets() -> dict[str, list[str]]:
    casing = _load(EVAL / "casing/dev/casing_dev.jsonl")
    boiler = _load(EVAL / "boilerplate/data/text_full.jsonl")
    artifacts = _load(EVAL / "artifacts/dev.jsonl")
    return {
        "casing gold": [r["gold"] for r in casing if r["variant"] == "clean"],
        "casing input (all variants)": [r["input"] for r in casing],
        "boilerplate text_full": ["\n".join(x["text"] for x in r["lines"]) for r in boiler],
        "artifacts dev": [r["text"] for r in artifacts],
    }


def main() -> int:
    if not EVAL.exists():
        print("shared eval data not found; nothing to run")
        return 0
    options = LanguageOptions()
    detect("warm up the profiles")
    for name, texts in text_sets().items():
        agree = fast = mixed = 0
        start = time.perf_counter()
        answers = []
        for text in texts:
            found, is_mixed = detect_document(text, options)
            answers.append(found)
            mixed += is_mixed
        seconds = time.perf_counter() - start
        langs: Counter[str] = Counter()
        for text, found in zip(texts, answers, strict=True):
            full = detect(text)
            agree += (found and found.language) == (full and full.language)
            fast += len(text) > options.sample_chars
            langs[found.language if found else "none"] += 1
        size = sum(len(t.encode()) for t in texts) / 1e6
        print(
            f"{name:30s} n={len(texts):5d} agree_with_full={agree / len(texts):.4f} "
            f"probed={fast} mixed={mixed} {size / seconds:.2f} MB/s "
            f"langs={dict(langs.most_common(4))}"
        )
    casing = _load(EVAL / "casing/dev/casing_dev.jsonl")
    gold = {r["doc_id"]: r["gold"] for r in casing if r["variant"] == "clean"}
    upper = [(r["input"], gold[r["doc_id"]]) for r in casing if r["variant"] == "upper"]
    same = 0
    for text, reference in upper:
        a, _ = detect_document(text, options)
        b, _ = detect_document(reference, options)
        same += (a and a.language) == (b and b.language)
    print(f"ALL-CAPS input vs gold: same language in {same}/{len(upper)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
