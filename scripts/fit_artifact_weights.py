"""Fit the artifacts stage's feature weights on the shared dev set; write weights.json.

The stage is a logistic model over named features (textwash.artifacts.measure). This script
measures every dev paragraph, fits a logistic regression on standardised features, and
ships the result as data (src/textwash/data/artifacts/weights.json), so the stage itself
runs without scikit-learn.

* Seed rows (source == "seed") are never fitted on: they are the check.
* Visible-artifact features fire on a few real MT paragraphs only, so the fit also sees
  augmented copies of human-translated dev paragraphs with one artifact injected by
  ``_corrupt`` below (our own generator, not the eval's synthetic set). English-original
  paragraphs are never corrupted (dev_synthetic.jsonl is built from those). The copies keep
  the document group of their source, so cross-validation never splits them apart.
* Classes are balanced over real rows, and the bias is refitted on real rows alone with the
  weights fixed, so the augmented positives cannot shift it: 0.5 is a 50/50 threshold.
* Visible-artifact weights are constrained to be >= 0 (an artifact is never evidence of
  human text): fit, clip negatives to 0, refit the rest.
* Honest numbers: 5-fold GroupKFold by ``doc`` prints out-of-fold AUCs next to the
  in-sample ones; ``--oof PATH`` writes the out-of-fold predictions for score_artifacts.py.
  They are paragraph scores before the stage's document pooling (``document_blend``, not
  fitted here): ``evals/run_artifacts.py --oof PATH`` pools them as the stage does.
* The ``lexical`` feature is itself a supervised model (logistic regression over word,
  title-case word and punctuation-mark counts over the square root of the paragraph's word
  count; words seen in at least MIN_DOCS dev documents, so no one document's names are
  learnt), shipped as lexical.tsv.gz. Tried and not kept (nested out-of-fold AUC no
  better): word pairs, idf weighting, C = 16, MIN_DOCS = 2, three-letter suffixes. The
  combiner must see it as it behaves on unseen text, so its column is always out-of-fold
  (GroupKFold by ``doc`` within whatever rows are being fitted), and the out-of-fold report
  nests that inside each outer fold: no outer test row ever trains either model. Augmented
  copies never train it (they differ from their source by one injected artifact).

Build-only dependencies: numpy, scikit-learn (and scipy, which scikit-learn installs).

    PYTHONPATH=src python scripts/fit_artifact_weights.py [--dev PATH] [--oof PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evals"))
from adapters_artifacts import after_casing

from textwash.artifacts import (
    COUNT_FEATURES,
    MARKS,
    mark_counts,
    measure,
    measure_batch,
    tables,
    title_key,
)

DEV = Path("/work/shared/eval/artifacts/dev.jsonl")
#: The eval's synthetic diagnostic (never fitted on): with --oof its rows are scored too,
#: each by the outer fold model that did not see its document (they are dev documents).
SYNTHETIC = DEV.with_name("dev_synthetic.jsonl")
OUT = Path(__file__).resolve().parents[1] / "src" / "textwash" / "data" / "artifacts"
#: Weight of the augmented-copy term of the fit's loss, and of the paired term (see fit).
AUGMENT_WEIGHT = 1.0
PAIR_WEIGHT = 0.5
C = 0.5
#: Inverse regularisation of the word-choice model, and the number of distinct dev
#: documents a word must occur in to get a weight.
LEX_C = 8.0
MIN_DOCS = 3
#: The settings fit_lexical uses (the defaults above unless --lex-c / --min-docs).
LEXICAL = {"c": LEX_C, "min_docs": MIN_DOCS}


def _corrupt(text: str, rng: random.Random) -> str | None:
    """Inject one visible artifact (repeat, stray capital, fragment). No lowered names:
    the stage no longer reads the casing stage's name repairs (see textwash.artifacts)."""
    words = text.split(" ")
    if len(words) < 12:
        return None
    kind = rng.choice(["repeat", "stray_capital", "fragment"])
    i = rng.randrange(2, len(words) - 3)
    if kind == "repeat":
        n = rng.choice([1, 2])
        words[i:i] = [w.capitalize() if k == 0 else w for k, w in enumerate(words[i : i + n])]
    elif kind == "stray_capital":
        verbs = ("is", "said", "was", "has", "will", "are", "told", "were")
        small = [k for k in range(1, len(words)) if words[k] in verbs]
        if not small:
            return None
        k = rng.choice(small)
        words[k] = words[k].capitalize()
    else:
        cut = [k for k in range(3, len(words) - 2) if words[k].endswith(".") and len(words[k]) > 3]
        if not cut:
            return None
        k = rng.choice(cut)
        words[k + 1 : k + 1] = [words[k + 1].strip(".,").capitalize() + "."]
    return " ".join(words)


#: One row's input to the word-choice model: its words and marks (each once per
#: occurrence), and its number of words.
Bag = tuple[list[str], int]


def features(rows: list[dict], names: list[str]) -> tuple[np.ndarray, list[Bag]]:
    """Feature matrix (one row per paragraph, one column per name) and each row's words
    and punctuation marks as the stage reads them (for the word-choice model), after the
    casing stage, as in the default pipeline."""
    texts, edits = after_casing(r["text"] for r in rows)
    batch = measure_batch(texts, tables(), edits)
    words = []
    for k in range(len(rows)):
        marks = [m for m, n in zip(MARKS, mark_counts(texts[k]), strict=True) for _ in range(n)]
        cased = [key for key in map(title_key, batch.paragraph_words(k, cased=True)) if key]
        words.append(([*batch.paragraph_words(k), *marks, *cased], len(batch.paragraph_words(k))))
    return np.array([batch.values[n] for n in names]).T, words


def fit_lexical(words: list[Bag], y: np.ndarray, docs: np.ndarray) -> dict[str, float]:
    """Word and mark weights of the word-choice model, rounded as shipped (class-balanced
    LR over counts / sqrt(number of words))."""
    seen: dict[str, set[str]] = {}
    for (ws, _), d in zip(words, docs, strict=True):
        for w in set(ws):
            seen.setdefault(w, set()).add(d)
    vocab = sorted(w for w, ds in seen.items() if len(ds) >= LEXICAL["min_docs"])
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, (ws, size) in enumerate(words):
        counts: dict[int, int] = {}
        for w in ws:
            if w in index:
                counts[index[w]] = counts.get(index[w], 0) + 1
        for c, n in counts.items():
            rows.append(r)
            cols.append(c)
            vals.append(n / math.sqrt(max(size, 1)))
    x = csr_matrix((vals, (rows, cols)), shape=(len(words), len(vocab)))
    model = LogisticRegression(C=LEXICAL["c"], max_iter=5000, class_weight="balanced").fit(x, y)
    return {
        w: round(float(c), 4) for w, c in zip(vocab, model.coef_[0], strict=True) if round(c, 4)
    }


def apply_lexical(weights: dict[str, float], words: list[Bag]) -> np.ndarray:
    """The ``lexical`` feature exactly as the stage computes it."""
    return np.array(
        [sum(weights.get(w, 0.0) for w in ws) / math.sqrt(max(size, 1)) for ws, size in words]
    )


def lexical_column(
    idx: np.ndarray, words: list[Bag], y: np.ndarray, docs: np.ndarray, real: np.ndarray
) -> np.ndarray:
    """Out-of-fold ``lexical`` values for rows idx: each from a model fitted on the real rows
    of the other documents among idx."""
    out = np.zeros(len(idx))
    for train, test in GroupKFold(n_splits=5).split(idx, groups=docs[idx]):
        fit_on = idx[train][real[idx[train]]]
        weights = fit_lexical([words[i] for i in fit_on], y[fit_on], docs[fit_on])
        out[test] = apply_lexical(weights, [words[i] for i in idx[test]])
    return out


def pair_rows(pairs: np.ndarray, y: np.ndarray, idx: np.ndarray) -> tuple[list[int], list[int]]:
    """(MT row, human row) for every MT and human row among idx that share a ``pair``."""
    sides: dict[str, tuple[list[int], list[int]]] = {}
    for i in idx:
        if pairs[i]:
            sides.setdefault(pairs[i], ([], []))[y[i]].append(i)
    mt, human = [], []
    for negs, poss in sides.values():
        for p in poss:
            for n in negs:
                mt.append(p)
                human.append(n)
    return mt, human


def fit(
    x: np.ndarray,
    y: np.ndarray,
    train: np.ndarray,
    real: np.ndarray,
    source: np.ndarray,
    pairs: np.ndarray,
    names: list[str],
    pair_weight: float = PAIR_WEIGHT,
) -> tuple[np.ndarray, float]:
    """Logistic model fitted on the rows ``train`` by minimising, with an L2 penalty 1/C:

    * the class-balanced log-loss of the real rows (this alone sets the bias, so 0.5 is a
      50/50 threshold);
    * AUGMENT_WEIGHT x the log-loss of "augmented copy above its source": a copy differs
      from its source paragraph by one injected artifact, so only the artifact features
      can tell them apart and the profile weights stay those of real text;
    * pair_weight x the log-loss of "MT above the human version of the same source
      paragraph": topic and length cancel within a pair, so this weighs what differs
      between translations of one text (paired win rate) against what differs between
      sources (AUC).

    Visible-artifact weights are bounded >= 0 (an artifact is never evidence of human
    text).
    """
    fitted = set(train.tolist())
    rows = train[real[train]]
    yr = y[rows]
    wr = np.where(yr == 1, len(rows) / (2 * yr.sum()), len(rows) / (2 * (len(rows) - yr.sum())))
    copies = [i for i in train if not real[i] and source[i] in fitted]
    mt, human = pair_rows(pairs, y, rows)
    terms = [
        (x[copies] - x[source[copies]], AUGMENT_WEIGHT),
        (x[mt] - x[human], pair_weight),
    ]
    xr, n = x[rows], wr.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, bias = theta[:-1], theta[-1]
        z = xr @ coef + bias
        g = wr * (1 / (1 + np.exp(-z)) - yr) / n
        value = np.sum(wr * (np.logaddexp(0, z) - yr * z)) / n + coef @ coef / (2 * C * n)
        grad = xr.T @ g + coef / (C * n)
        for diff, weight in terms:
            if weight and len(diff):
                zd = diff @ coef
                value += weight * np.mean(np.logaddexp(0, -zd))
                grad -= weight * diff.T @ (1 / (1 + np.exp(zd))) / len(diff)
        return value, np.r_[grad, g.sum()]

    bounds = [(0, None) if n in COUNT_FEATURES else (None, None) for n in names]
    start = np.zeros(x.shape[1] + 1)
    theta = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)]).x
    return theta[:-1], float(theta[-1])


def write_lexical(weights: dict[str, float]) -> None:
    """lexical.tsv.gz: word <TAB> weight, strongest first (mtime 0: reproducible bytes)."""
    path = OUT / "lexical.tsv.gz"
    lines = [
        f"# word-choice weights fitted by scripts/fit_artifact_weights.py (C={LEXICAL['c']}, "
        f"words in >= {LEXICAL['min_docs']} dev documents)\n",
        *(f"{w}\t{c}\n" for w, c in sorted(weights.items(), key=lambda p: (-abs(p[1]), p[0]))),
    ]
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write("".join(lines).encode("utf-8"))
    print(f"wrote {path} ({len(weights)} words)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--oof", type=Path, help="write out-of-fold predictions here")
    ap.add_argument("--dry-run", action="store_true", help="do not write weights.json")
    ap.add_argument("--drop", default="", help="ablation: comma-separated features to leave out")
    ap.add_argument("--lex-c", type=float, default=LEX_C, help="word-choice model C")
    ap.add_argument("--min-docs", type=int, default=MIN_DOCS, help="word-choice vocabulary")
    ap.add_argument("--pair-weight", type=float, default=PAIR_WEIGHT, help="paired loss term")
    args = ap.parse_args()
    LEXICAL.update(c=args.lex_c, min_docs=args.min_docs)

    if not args.dev.exists():
        print(f"{args.dev} not found; nothing to fit")
        return 0
    with open(args.dev, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    rng = random.Random(0)
    extra = []
    for r in rows:
        if r["source"] != "seed" and r["kind"] == "human_translation":
            corrupted = _corrupt(r["text"], rng)
            if corrupted:
                extra.append({**r, "text": corrupted, "label": 1, "source": "augmented"})
    probe = measure("A b.", tables())
    names = [*COUNT_FEATURES, *sorted(set(probe.values) - set(COUNT_FEATURES))]
    dropped = {d for d in args.drop.split(",") if d}
    names = [n for n in names if n not in dropped]
    real = [r for r in rows if r["source"] != "seed"]
    fit_rows = real + extra
    x_raw, words = features(fit_rows, names)
    groups = np.array([r["doc"] for r in fit_rows])
    y = np.array([r["label"] for r in fit_rows])
    is_real = np.array([r["source"] != "augmented" for r in fit_rows])
    first = {}
    for i in np.flatnonzero(is_real):
        first.setdefault(fit_rows[i]["id"], i)
    # augmented copies keep their source's id: the row each was made from
    source = np.array([-1 if is_real[i] else first[r["id"]] for i, r in enumerate(fit_rows)])
    pairs = np.array([r.get("pair") or "" for r in fit_rows])
    lex = names.index("lexical") if "lexical" in names else None
    everything = np.arange(len(fit_rows))
    if lex is not None:  # never the shipped table's in-sample values
        x_raw[:, lex] = lexical_column(everything, words, y, groups, is_real)
        lexical = fit_lexical([words[i] for i in everything[is_real]], y[is_real], groups[is_real])
    mean = x_raw.mean(axis=0)
    scale = x_raw.std(axis=0)
    scale[scale == 0] = 1.0
    x = (x_raw - mean) / scale

    print("univariate AUC on real rows (feature alone, > 0.5 = higher in MT):")
    for k, n in enumerate(names):
        print(f"  {n:24s} {roc_auc_score(y[is_real], x[is_real, k]):.3f}")

    synthetic = []
    if args.oof and SYNTHETIC.exists():
        with open(SYNTHETIC, encoding="utf-8") as handle:
            synthetic = [json.loads(line) for line in handle if line.strip()]
        syn_raw, syn_words = features(synthetic, names)
        syn_docs = np.array([r["doc"] for r in synthetic])
        syn_oof = np.full(len(synthetic), np.nan)
    oof = np.zeros(len(fit_rows))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        xf = x.copy()
        if lex is not None:  # nested: the outer test rows train neither model
            inner = lexical_column(train, words, y, groups, is_real)
            fit_on = train[is_real[train]]
            fold = fit_lexical([words[i] for i in fit_on], y[fit_on], groups[fit_on])
            xf[train, lex] = (inner - mean[lex]) / scale[lex]
            outer = apply_lexical(fold, [words[i] for i in test])
            xf[test, lex] = (outer - mean[lex]) / scale[lex]
        coef, bias = fit(xf, y, train, is_real, source, pairs, names, args.pair_weight)
        oof[test] = 1 / (1 + np.exp(-(xf[test] @ coef + bias)))
        if synthetic:  # rows of this fold's test documents, never of its training ones
            held = np.isin(syn_docs, groups[test]) & ~np.isin(syn_docs, groups[train])
            xs = (syn_raw[held] - mean) / scale
            if lex is not None:
                raw = apply_lexical(fold, [w for w, h in zip(syn_words, held, strict=True) if h])
                xs[:, lex] = (raw - mean[lex]) / scale[lex]
            syn_oof[held] = 1 / (1 + np.exp(-(xs @ coef + bias)))
    coef, bias = fit(x, y, everything, is_real, source, pairs, names, args.pair_weight)
    ins = 1 / (1 + np.exp(-(x @ coef + bias)))
    kinds = np.array([r["kind"] for r in fit_rows])
    print("flag rate at 0.5 (in-sample / out-of-fold):")
    for kind in ("mt", "human_translation", "original"):
        mask = is_real & (kinds == kind)
        print(f"  {kind:18s} {np.mean(ins[mask] >= 0.5):.3f} / {np.mean(oof[mask] >= 0.5):.3f}")
    sources = sorted({r["source"] for r in real})
    src = np.array([r["source"] for r in fit_rows])
    print(f"{'source':22s} {'in-sample':>9s} {'out-of-fold':>11s}")
    for s in ["all", *sources, "augmented"]:
        if s == "augmented":  # augmented copies against every real human paragraph
            mask = (src == "augmented") | (is_real & (y == 0))
        else:
            mask = is_real if s == "all" else src == s
        if len(set(y[mask])) == 2:
            inside, outside = roc_auc_score(y[mask], ins[mask]), roc_auc_score(y[mask], oof[mask])
            print(f"{s:22s} {inside:9.3f} {outside:11.3f}")
    mt, human = pair_rows(pairs, y, np.flatnonzero(is_real))
    for label, scores in (("in-sample", ins), ("out-of-fold", oof)):
        wins = np.sign(scores[mt] - scores[human])
        print(f"paired win rate {label}: {np.mean((wins + 1) / 2):.3f}")

    if args.oof:
        seeds = [r for r in rows if r["source"] == "seed"]
        seed_x, seed_words = features(seeds, names)
        if lex is not None:
            seed_x[:, lex] = apply_lexical(lexical, seed_words)
        seed_scores = 1 / (1 + np.exp(-(((seed_x - mean) / scale) @ coef + bias)))
        with open(args.oof, "w", encoding="utf-8") as out:
            for r, s in zip(fit_rows, oof, strict=True):
                if r["source"] != "augmented":
                    out.write(json.dumps({"id": r["id"], "score": round(float(s), 6)}) + "\n")
            for r, s in zip(seeds, seed_scores, strict=True):
                out.write(json.dumps({"id": r["id"], "score": round(float(s), 6)}) + "\n")
            for r, s in zip(synthetic, syn_oof, strict=True):
                if not np.isnan(s):  # a document outside dev has no out-of-fold model
                    out.write(json.dumps({"id": r["id"], "score": round(float(s), 6)}) + "\n")
    print("weights (per standard deviation):")
    for n, c in sorted(zip(names, coef, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {n:24s} {c:+.3f}")
    if not args.dry_run:
        data = {
            "model": "logistic regression over standardised features; see "
            "scripts/fit_artifact_weights.py",
            "fitted_on": "shared eval artifacts dev.jsonl without seed rows, classes balanced, "
            f"plus augmented copies (weight {AUGMENT_WEIGHT}) for the weights only; bias "
            f"refitted on real rows; C={C}",
            "bias": round(bias, 6),
            "features": [
                {
                    "name": n,
                    "mean": round(float(m), 6),
                    "scale": round(float(s), 6),
                    "weight": round(float(c), 6),
                }
                for n, m, s, c in zip(names, mean, scale, coef, strict=True)
            ],
        }
        (OUT / "weights.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print("wrote", OUT / "weights.json")
        if lex is not None:
            write_lexical(lexical)
    return 0


if __name__ == "__main__":
    sys.exit(main())
