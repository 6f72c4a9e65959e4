"""Build ``src/textwash/data/casing/wordnet_names.txt.gz``: multi-word names in their cased
form ("White House", "Wall Street", "Securities and Exchange Commission").

Why: a text that has lost its casing ("the white house said") keeps no trace of which
runs of common words are names. Word by word the lexicon rightly says "white" and "house"
are lowercase; only the sequence says otherwise. ``names.txt.gz`` (GeoNames) covers places;
this file adds institutions, events, works, people and other named things.

Source: Princeton WordNet 3.0, read from the Debian package ``wordnet-base``
(``apt-get install wordnet-base``; files in /usr/share/wordnet). Licence: the WordNet 3.0
licence (permission to use, copy, modify and distribute for any purpose without fee,
provided the copyright notice and disclaimer appear on all copies; they are kept in the
output's header). Why this source and not another:

* WordNet keeps the case of its lemmas ("White_House", but "white_wine"), and says for
  each multi-word lemma whether it is also listed lowercase ("attorney general" and
  "Attorney General" both exist: such a phrase is left out, its casing depends on use);
* the ``truecase`` package's cased bigrams come from NLTK corpora whose licences do not
  allow redistribution; ``symspellpy``'s bigrams and ``wordfreq`` are lowercase;
  Wikipedia-title lists on PyPI are CC BY-SA (share-alike) and of unclear vintage.

Kept: lemmas of two or more words, never listed lowercase, that start with a capital
letter, with a sense in a lexicographer file of named things (``NAME_LEXFILES``), and that
are not titles or offices (``titles.txt``: "Chief Executive" and "President of the
United States" are Capitalized only before a name, and news writes them lowercase), and
that do not start with a function word (initials like "A. E." included): the stage looks
up every word that starts a name, and "a", "in", "the" are everywhere. The eval data
(shared/eval/casing) plays no part in this file.

Build-time dependency: the Debian package ``wordnet-base`` only (no PyPI package). Run::

    python scripts/build_casing_names.py [--wordnet /usr/share/wordnet]
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/textwash/data/casing/wordnet_names.txt.gz"
#: Lexicographer files of named things: noun.artifact (06: buildings, products),
#: noun.communication (10: documents, works), noun.event (11), noun.group (14:
#: organisations), noun.location (15), noun.object (17), noun.person (18), noun.time (28:
#: holidays). The others hold concepts that WordNet capitalizes but news often does not
#: ("High Mass", "New Look", "A level"), and Latin plant and animal names.
NAME_LEXFILES = {"06", "10", "11", "14", "15", "17", "18", "28"}
TITLES = OUT.parent / "titles.txt"
FUNCTION_WORDS = OUT.parent / "function_words.txt"
HEADER = """\
# textwash casing: multi-word names, cased; built by scripts/build_casing_names.py from
# WordNet 3.0, under its licence, reproduced here as it requires:
#
# This software and database is being provided to you, the LICENSEE, by Princeton
# University under the following license. By obtaining, using and/or copying this software
# and database, you agree that you have read, understood, and will comply with these terms
# and conditions.: Permission to use, copy, modify and distribute this software and
# database and its documentation for any purpose and without fee or royalty is hereby
# granted, provided that you agree to comply with the following copyright notice and
# statements, including the disclaimer, and that the same appear on ALL copies of the
# software, database and documentation, including modifications that you make for internal
# use or for distribution. WordNet 3.0 Copyright 2006 by Princeton University. All rights
# reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES
# NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT
# LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
# ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE,
# DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS,
# TRADEMARKS OR OTHER RIGHTS. The name of Princeton University or Princeton may not be used
# in advertising or publicity pertaining to distribution of the software and/or database.
# Title to copyright in this software, database and any associated documentation shall at
# all times remain with Princeton University and LICENSEE agrees to preserve same.
"""
#: Adjective lemmas carry a syntactic marker: "galore(ip)".
_MARKER = re.compile(r"\([a-z]+\)$")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'.-]*( [A-Za-z][A-Za-z'.-]*)+")


def read_lemmas(wordnet: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Every multi-word lemma by its lowercase: its written forms, and the lowercase keys
    that have a sense in a lexicographer file of named things."""
    forms: dict[str, set[str]] = defaultdict(set)
    named: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        for line in (wordnet / f"data.{pos}").open(encoding="latin-1"):
            if line.startswith("  "):  # the licence at the top of each file
                continue
            head = line.split(" ")
            count = int(head[3], 16)
            for k in range(count):
                lemma = _MARKER.sub("", head[4 + 2 * k])
                if "_" not in lemma:
                    continue
                form = lemma.replace("_", " ")
                forms[form.lower()].add(form)
                if head[1] in NAME_LEXFILES:
                    named.add(form.lower())
    return forms, named


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    forms, named = read_lemmas(args.wordnet)
    titles = {line.strip() for line in TITLES.open() if not line.startswith("#")}
    function = {
        word for line in FUNCTION_WORDS.open() if not line.startswith("#") for word in line.split()
    }
    names = sorted(
        next(iter(written))
        for key, written in forms.items()
        if key in named
        and key not in titles  # Capitalized only before a name: the stage's titles rule
        and key.split(" of ")[0] not in titles  # an office: "the president of the union"
        and key.split(" ")[0].rstrip(".") not in function  # "A. E. Housman", "In Cold Blood"
        and len(written) == 1  # one cased form, never lowercase ("Supreme Court" is both)
        and next(iter(written))[0].isupper()
        and _WORDS.fullmatch(next(iter(written)))
    )
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(HEADER)
        for name in names:
            out.write(name + "\n")
    print(f"{len(names)} names -> {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
