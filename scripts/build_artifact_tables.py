"""Build the artifacts stage's English frequency tables (package data) from symspellpy.

Source: the two frequency dictionaries that ship inside the ``symspellpy`` wheel
(MIT License, (c) Wolf Garbe / mammothb): ``frequency_dictionary_en_82_765.txt``
(82,765 words with counts), from Google Books n-gram counts intersected with SCOWL word
lists. MIT allows redistribution with the notice; the shipped file keeps it in its first
line. (Its 243k-pair bigram dictionary was shipped too, for a pair-coverage feature, until
the supervised word-choice feature made that feature worth less than its cost.)

Output (src/textwash/data/artifacts/):
  unigrams.tsv.gz  word <TAB> round(10 * log10(count / total))   (<= 0, "decibel" units)

Quantising to tenths of a decade keeps the file small (gzip) and is finer than any
threshold the stage uses. Build-only dependency: ``symspellpy`` (pip install symspellpy).

    python scripts/build_artifact_tables.py
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import symspellpy

NOTICE = "# from symspellpy (MIT License, (c) Wolf Garbe, mammothb): Google Books n-gram counts"
OUT = Path(__file__).resolve().parents[1] / "src" / "textwash" / "data" / "artifacts"


def _read(path: Path, width: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == width + 1:
                key = " ".join(parts[:width]).lower()
                counts[key] = counts.get(key, 0) + int(parts[width])
    return counts


def _write(path: Path, rows: dict[str, int]) -> None:
    # mtime=0: the same input gives byte-identical output.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write((NOTICE + "\n").encode())
        for key in sorted(rows):
            gz.write(f"{key}\t{rows[key]}\n".encode())


def main() -> None:
    base = Path(symspellpy.__file__).parent
    unigrams = _read(base / "frequency_dictionary_en_82_765.txt", 1)
    total = sum(unigrams.values())
    OUT.mkdir(parents=True, exist_ok=True)
    decibels = {w: round(10 * math.log10(c / total)) for w, c in unigrams.items()}
    _write(OUT / "unigrams.tsv.gz", decibels)
    print("unigrams.tsv.gz", (OUT / "unigrams.tsv.gz").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
