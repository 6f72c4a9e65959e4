"""Artifacts: score each paragraph for translation artifacts, with the evidence that fired.

The score is a transparent rule-and-weight model: a handful of named features are measured
on the paragraph alone (never on its neighbours or its place in the corpus), each is
standardised and weighted, and a logistic function turns the sum into [0, 1]. The weights
are DATA (``data/artifacts/weights.json``), fitted offline by
``scripts/fit_artifact_weights.py``; this module needs no machine-learning library.

**Document pooling.** Machine translation is applied to whole documents, so one
paragraph's evidence is also evidence about its siblings, and a single fluent paragraph's
own evidence is weak and noisy. Each paragraph's log-odds are therefore blended with its
document's mean (weighted by words), ``document_blend`` of the way (0 turns it off). The
score then depends on the other paragraphs of the same document, never on their order, on
the paragraph's position, or on any other document; a one-paragraph document is unchanged.
The pull is recorded as the ``document`` reason.

**What the model has no evidence for.** The tables and weights are English and were fitted
on news paragraphs of a sentence or more. On web text they misread two things as
translation (``evals/run_artifacts_fp.py``): other languages (a Russian recipe, a Korean
price list scored near 1 on word rarity and foreign script) and very short lines (a heading
"Q&A", "Price: $34.99": low variety and rare words in two tokens). So paragraphs whose
language (the paragraph's own, else the document's) is not in ``score_languages`` get no
score at all (None, never dropped), and a paragraph of fewer than ``full_evidence_words``
words keeps only its share of its own evidence, its log-odds against the prior scaled by
words / full_evidence_words (the ``short`` reason): too little text to tell, so close to
the prior, whichever way the features point. The ranking of longer paragraphs and the
prior's role are unchanged.

Two kinds of feature:

* **Visible artifacts**, each with an evidence span: repeated words or n-grams ("if we If
  we"), dangling fragments ("Change."), closed-class words capitalised mid-sentence ("blinken
  Said"), foreign-script leftovers, source-language words left untranslated ("dātor"),
  unbalanced quotes or brackets, a paragraph in one case or opening in lower case. The
  ``casing`` stage runs first and repairs case; its paragraph-level repairs count as
  ``case_anomaly``, so that evidence survives the repair.
  A capital it lowered counts as ``stray_capital`` only where our own check would have
  counted it (after a lower-case word; an end word only before punctuation: "arriving Is."
  but not "Characteristics In the"). Its name repairs ("paris" -> "Paris") do not count:
  on the dev data they fire more in human translations than in MT.
* **Profiles** of the paragraph measured against an English frequency table (from
  symspellpy's Google Books counts): word frequency, lexical variety, function-word share,
  sentence length. (Digit rate was tried and dropped: out-of-fold AUC unchanged without
  it. So was the share of word pairs symspellpy's 243k pair table knows, once the
  word-choice feature below came: out-of-fold AUC 0.697 with it, 0.694 without, for an
  eighth of the stage's time and 1 MB of data.)
* **Word choice**: ``lexical``, one supervised number per paragraph, the sum of per-word,
  per-title-case-word and per-punctuation-mark weights (``data/artifacts/lexical.tsv.gz``,
  a logistic regression over those counts fitted offline) over the square root of its
  length in words. Modern MT is fluent, and which
  words it prefers ("state", "also", "however" over idiom) is most of what a monolingual
  reader can see in it. It is one dictionary lookup per word, and its strongest words are
  the evidence shown.

Tried for word order, garbling and slips, and not kept (nested out-of-fold AUC all /
paired / wmt22.liv-en, against 0.744 / 0.742 / 0.782): a twin of ``lexical`` over
character 3-5-grams (the eval reference's representation; 0.746 / 0.750 / 0.789, all
within noise, for a 146 kB table, a slower stage on unseen text and a lower seed check);
a rate of lowercase words the frequency table does not know (0.741 / 0.742 / 0.781: human
text has as many); pronoun slips ("her ... he said": they fire more in human translations
than in MT on dev).
"""

from __future__ import annotations

import gzip
import json
import math
import operator
import re
import string
import tomllib
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources
from itertools import accumulate, compress, pairwise, repeat
from typing import Any

from .casing import load_lexicon as casing_lexicon
from .document import Document, Edit
from .language import check_languages
from .language import matches as matches_language
from .stage import ConfigError, Stage, StageOptions, shared_words

#: Words are runs of letters (``[^\W\d_]``: the stdlib engine, about twice as fast as
#: ``regex`` on this pattern), with inner apostrophes ("don't", "O’Neill").
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Letters of scripts that are not Latin (Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai,
#: kana, CJK, Hangul): stdlib ranges, several times faster than ``regex`` script classes.
_FOREIGN_LETTER = (
    "[\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
)
#: One letter, then any more (not "+": see _SENTENCE_END).
_FOREIGN = re.compile(f"{_FOREIGN_LETTER}{_FOREIGN_LETTER}*")

#: A possessive or contraction ending ("mētõr's"): the word is looked up without it.
_APOSTROPHE_TAIL = re.compile(r"['’].*$")

#: Casing-stage rules whose repairs are evidence of ``case_anomaly`` (see the module doc).
CASING_RULES = frozenset({"start_lower", "all_upper", "all_lower"})
#: The casing rule that lowers a capital mid-sentence ("blinken Said" -> "blinken said").
CASING_CAPITAL = "common_upper"


#: Default ``mt_prior`` (see ArtifactsOptions).
MT_PRIOR = 0.2
#: Default ``document_blend`` (see ArtifactsOptions): fixed in advance at the midpoint
#: (half the paragraph's own evidence, half its document's), not tuned on the eval data.
DOCUMENT_BLEND = 0.5
#: A paragraph's log-odds count at most this much (either way) in its document's mean
#: (probability 0.05..0.95): fixed a priori, like the blend.
POOL_CLIP = 3.0
#: Default ``full_evidence_words`` (see ArtifactsOptions): the weights were fitted on dev
#: paragraphs of at least 13 words (all but 4 of 3,403), so below 12 the model has seen no
#: text like it. Fixed from the dev set's support, not tuned on any score.
FULL_EVIDENCE_WORDS = 12


@dataclass(frozen=True)
class ArtifactsOptions(StageOptions):
    #: Remove paragraphs scoring at or above this (None: keep every paragraph).
    drop_paragraph_above: float | None = None
    #: Drop documents whose length-weighted mean score is at or above this (None: never).
    drop_document_above: float | None = None
    #: Expected share of machine-translated paragraphs in the input. The fitted weights
    #: are evidence against a 50/50 prior; this prior sets where 0.5 falls. At the default
    #: 0.2, clean native text scores well below 0.5 and visible artifacts above it.
    mt_prior: float = MT_PRIOR
    #: How far each paragraph's log-odds move towards its document's word-weighted mean
    #: (0: every paragraph on its own evidence; 1: every paragraph gets the document's).
    document_blend: float = DOCUMENT_BLEND
    #: A paragraph's own evidence (its log-odds against the prior) counts in full from this
    #: many words on, and in proportion below (a 3-word heading: a quarter): headings,
    #: list items and captions carry too little text for the profile features, which
    #: were fitted on paragraphs of sentences. 0: every paragraph counts in full.
    full_evidence_words: int = FULL_EVIDENCE_WORDS
    #: Score only paragraphs in these languages (the paragraph's own, else the document's,
    #: as the language stage names them); the others get no score (null) and are never
    #: dropped. The tables and weights are English, so on other languages they measure the
    #: language, not translation. Text of unknown language is scored. Empty: score all.
    score_languages: tuple[str, ...] = ("en",)
    #: Report a feature as a reason when it adds at least this much to the log-odds.
    reason_min_logit: float = 0.25
    #: Extra closed-class words that are never capitalised mid-sentence.
    extra_stray_capital_words: tuple[str, ...] = ()
    #: Extra abbreviations whose full stop does not end a sentence (lower case, no dot).
    extra_abbreviations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tables:
    """Lexicon, word weights and word lists, loaded once per process."""

    unigrams: dict[str, int]
    stray_capital_words: frozenset[str]
    stray_capital_end_words: frozenset[str]
    #: Words after which a capital is a name, month or title, not a stray ("in May").
    stray_capital_after: frozenset[str]
    abbreviations: frozenset[str]
    #: Words that make a sentence alone ("Possibly.") and that open a clipped two-word
    #: one ("And another."): a writer's choice, not a fragment (see _fragments).
    fragment_replies: frozenset[str]
    fragment_openers: frozenset[str]
    #: Numbers in words: like a figure, they make a stat line ("Two RBIs.").
    number_words: frozenset[str]
    #: Two-word sentences people say whole ("Thank you.", "Of course.").
    fragment_phrases: frozenset[str]
    #: Words no sentence ends in ("the", "of", "is"): a short sentence ending in one was
    #: cut off ("arriving Is.").
    dangling_endings: frozenset[str]
    allowed_repeats: frozenset[str]
    function_words: frozenset[str]
    #: Word -> weight of the supervised word-choice model (> 0: MT prefers the word).
    lexical: dict[str, float]

    @cached_property
    def lexicon(self) -> dict[str, int]:
        """Per word, one packed integer with everything the profile needs (see _FIELDS), so
        one lookup per token suffices and one sum per paragraph adds up every quantity.

        Most frequent first: the dicts keep insertion order, so the entries most tokens hit
        sit together in memory (cache misses, not hashing, are most of a lookup's cost).
        Fresh copies of the keys, allocated in this order, put the hot key strings (read by
        every lookup's comparison) next to each other too.
        """
        function, unigrams, lexical = self.function_words, self.unigrams, self.lexical
        words = sorted(
            {*unigrams, *function, *lexical},
            key=lambda w: (-unigrams.get(w, -999), w),
        )
        out: dict[str, int] = {}
        for w in words:
            f = unigrams.get(w)
            out[(" " + w)[1:]] = _pack(
                f is not None, w in function, -(f or 0), _quantum(lexical.get(w))
            )
        return out

    @cached_property
    def title_weights(self) -> dict[str, float]:
        """Word-choice weights of words written in title case ("Minister", "The"), keyed by
        that form: the table keeps them as "^minister"."""
        return {k[1:].capitalize(): w for k, w in self.lexical.items() if k.startswith(TITLE)}

    @cached_property
    def mark_weights(self) -> list[float]:
        """Word-choice weights of the punctuation marks, in MARKS order."""
        return [self.lexical.get(mark, 0.0) for mark in MARKS]

    @cached_property
    def stray_capitalised(self) -> frozenset[str]:
        """Every closed-class word as it looks capitalised ("Said", "The")."""
        words = self.stray_capital_words | self.stray_capital_end_words
        return frozenset(w.capitalize() for w in words)


def _read_table(name: str, kind: type = int) -> dict[str, Any]:
    path = resources.files("textwash") / "data" / "artifacts" / name
    table: dict[str, Any] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                key, _, value = line.rstrip("\n").partition("\t")
                table[key] = kind(value)
    return table


@lru_cache(maxsize=1)
def _base_tables() -> Tables:
    rules_path = resources.files("textwash") / "data" / "artifacts" / "rules.toml"
    rules = tomllib.loads(rules_path.read_text(encoding="utf-8"))
    return Tables(
        unigrams=_read_table("unigrams.tsv.gz"),
        stray_capital_words=frozenset(rules["stray_capital_words"]),
        stray_capital_end_words=frozenset(rules["stray_capital_end_words"]),
        stray_capital_after=frozenset(rules["stray_capital_after"]),
        abbreviations=shared_words("abbreviations.txt"),
        fragment_replies=frozenset(rules["fragment_replies"]),
        fragment_openers=frozenset(rules["fragment_openers"]),
        number_words=frozenset(rules["number_words"]),
        fragment_phrases=frozenset(rules["fragment_phrases"]),
        dangling_endings=frozenset(rules["dangling_endings"]),
        allowed_repeats=frozenset(rules["allowed_repeats"]),
        function_words=frozenset(rules["function_words"]),
        lexical=_read_table("lexical.tsv.gz", float),
    )


@lru_cache(maxsize=8)
def tables(
    extra_capitals: tuple[str, ...] = (), extra_abbreviations: tuple[str, ...] = ()
) -> Tables:
    base = _base_tables()
    if not extra_capitals and not extra_abbreviations:
        return base
    return replace(
        base,
        stray_capital_words=base.stray_capital_words | {w.lower() for w in extra_capitals},
        abbreviations=base.abbreviations | {a.lower().rstrip(".") for a in extra_abbreviations},
    )


@dataclass(frozen=True)
class Model:
    """Logistic model: standardised features, weights and a bias (from weights.json)."""

    names: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        feats = data["features"]
        return cls(
            names=tuple(f["name"] for f in feats),
            means=tuple(float(f["mean"]) for f in feats),
            scales=tuple(float(f["scale"]) for f in feats),
            weights=tuple(float(f["weight"]) for f in feats),
            bias=float(data["bias"]),
        )

    @cached_property
    def dense(self) -> tuple[tuple[str, float, float], ...]:
        """(name, weight per raw unit, offset): standardisation folded into the weights."""
        return tuple(
            (n, w / s, w * m / s)
            for n, m, s, w in zip(self.names, self.means, self.scales, self.weights, strict=True)
            if w
        )

    @cached_property
    def base(self) -> float:
        """The bias with every feature's mean folded in: logit = base + sum(coef * value)."""
        return self.bias - sum(offset for _, _, offset in self.dense)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@lru_cache(maxsize=1)
def default_model() -> Model:
    path = resources.files("textwash") / "data" / "artifacts" / "weights.json"
    return Model.from_dict(json.loads(path.read_text(encoding="utf-8")))


# --- measuring a batch of paragraphs -----------------------------------------------------
#
# Paragraphs are measured together: the token-level work (lexicon lookups,
# repeat checks) runs as a few C-level ``map`` calls over all the tokens of a document,
# per-paragraph sums come from slices at paragraph boundaries, and the rare visible
# artifacts are found by regexes over the whole document text. Paragraphs are joined by
# _GAP, which no word, sentence or repeat can cross (and no repeat), so every
# paragraph's values are exactly those it gets alone.

_GAP = "\n\n"
#: Tokens are whitespace-separated chunks (``str.split``: ten times faster than a word
#: regex) with these stripped from both ends: punctuation, digits, quotes, dashes, symbols.
#: Chunks that are nothing else (numbers, lone dashes) are no words.
_EDGE = string.punctuation + string.digits + "“”‘’«»„‚–—…·•°§©®™€£¥¢"
#: Characters that join words without a space ("well-known", "and/or"): split there too.
_JOINERS = ("-", "–", "—", "/")
_FIRST = operator.itemgetter(0)
#: Near repeats compare the first five letters ("draft"/"drafts").
_STEM = operator.itemgetter(slice(0, 5))
#: A sentence ends at . ! ? (plus closing quotes) followed by space. Spelt "[.!?][.!?]*",
#: not "[.!?]+": a pattern that opens with a character class lets the engine skip ahead to
#: the next stop; one that opens with a repeat is tried at every character (twice as slow).
_SENTENCE_END = re.compile(r"[.!?][.!?]*[\"'”’)\]]*(?=\s|$)")
#: Quotes and brackets that close after a sentence's stop, that open a sentence, and
#: that wrap a word before its stop ("(Capt." is "capt").
_CLOSERS = "\"'”’)]"
_OPENING_MARKS = "\"'“‘("
_MARKS_AROUND_WORD = "\"'“”‘’()[]\n"
_QUOTES = '"“”'
#: Short sentences in a row from which on they are a style, not a dropped piece.
_TERSE_RUN = 3
#: Endings of contractions that hold a verb ("we're", "don't"): with the word after
#: them, a clause ("We're close."). "'s" is also a possessive: see _clause.
_CONTRACTIONS = tuple(
    ending.replace("'", mark)
    for mark in "'’"
    for ending in ("'re", "'m", "'ll", "'ve", "'d", "n't")
)
_POSSESSIVE_OR_IS = ("'s", "’s")
#: A quotation closed by a question or exclamation mark: a short sentence after it is
#: its attribution ('"Is it safe?" Ortiz asked.').
_ATTRIBUTION = re.compile(r"[?!][\"”’']+$")
#: The word after an abbreviation's full stop, if it is capitalised (see _opens_sentence).
_NEXT_CAPITALISED = re.compile(r"\s+[\"'“‘(]?([A-Z][a-z]*)(?![\w.])")
#: Packed lexicon entry, low to high, 64 bits a field (no sum over a paragraph of fewer
#: than 2**40 words carries into the next): known to the frequency table, function
#: word, minus log frequency (dB), and on top, where a sign is harmless (the
#: fields below it are never negative), the word-choice weight in units of _LEXICAL_UNIT.
_FIELDS = ("known", "function", "neg_logfreq", "lexical")
_FIELD_BITS = 64
_FIELD_MASK = (1 << _FIELD_BITS) - 1
#: The word-choice weights ship with four decimals: as integers of this unit they add up
#: exactly inside the packed sum.
_LEXICAL_UNIT = 1e-4


def _quantum(weight: float | None) -> int:
    return round((weight or 0.0) / _LEXICAL_UNIT)


def _pack(*values: int) -> int:
    """One packed lexicon entry from its field values (in _FIELDS order, all but the last
    >= 0)."""
    return sum(int(v) << (_FIELD_BITS * j) for j, v in enumerate(values))


def _unpack(packed: list[int]) -> list[list[int]]:
    """Per field (in _FIELDS order), its value in each of a list of packed sums: a few
    C-level shifts and masks per field, not a Python loop per paragraph."""
    shifted = [
        list(map(operator.rshift, packed, repeat(_FIELD_BITS * j))) for j in range(len(_FIELDS))
    ]
    low = [list(map(operator.and_, column, repeat(_FIELD_MASK))) for column in shifted[:-1]]
    return [*low, shifted[-1]]  # the signed top field, floor-shifted


def _plain(text: str) -> str:
    """The text as words are read from it: joiners turned into spaces, curly apostrophes
    straight ("don’t" is "don't" to the lexicon). Same length, so the same offsets."""
    for joiner in _JOINERS:
        text = text.replace(joiner, " ")
    return text.replace("’", "'")


#: Punctuation the word-choice model weighs too (a mark per key: its straight and typeset
#: forms). Words never consist of these, so they share the word table's keys.
MARKS: dict[str, str] = {
    ",": ",",
    ";": ";",
    ":": ":",
    "(": "(",
    '"': '"“”„',
    "'": "'’‘",
    "-": "-–—",
    "?": "?",
    "!": "!",
    "%": "%",
    "$": "$",
}


#: Prefix of the word-choice table's keys for words in title case (a capital, then lower
#: case: sentence starts, names, titles), weighed on top of the word's own weight.
TITLE = "^"


def title_key(word: str) -> str | None:
    """The table key a word's title-case form is weighed under, if it is in title case."""
    return TITLE + word.lower() if word[:1].isupper() and word == word.capitalize() else None


def mark_counts(text: str) -> list[int]:
    """How often each of MARKS occurs in the text: :func:`_mark_rows` for one paragraph
    (the stage counts a whole batch at once)."""
    chars = {c: [text.count(c)] for forms in MARKS.values() for c in forms}
    return list(next(_mark_rows(chars)))


def _mark_rows(counts: dict[str, list[int]]) -> Iterable[tuple[int, ...]]:
    """Per paragraph, how often each of MARKS occurs, from the paragraphs' character
    counts (:meth:`_Doc.counts`)."""
    columns = [
        counts[forms] if len(forms) == 1 else map(sum, zip(*map(counts.get, forms), strict=True))
        for forms in MARKS.values()
    ]
    return zip(*columns, strict=True)


#: Echoes of a content word this many words later count as self-repetition ("query their
#: query"); closer echoes are near repeats.
_ECHO_RANGE = range(4, 9)


@dataclass(frozen=True)
class Finding:
    """One visible artifact: which feature, the text that shows it, and where."""

    feature: str
    evidence: str
    span: tuple[int, int]


@dataclass
class Batch:
    """Feature values of a batch of paragraphs, column-wise, plus the visible findings."""

    #: Feature name -> one value per paragraph.
    values: dict[str, list[float]]
    #: Per paragraph, the findings that back its visible-artifact counts (mostly empty).
    findings: list[list[Finding]]
    #: Words of all paragraphs as written and lower-cased, and each paragraph's
    #: [start, end) into them.
    words: list[str]
    lowers: list[str]
    bounds: list[int]

    def paragraph_words(self, k: int, cased: bool = False) -> list[str]:
        return (self.words if cased else self.lowers)[self.bounds[k] : self.bounds[k + 1]]


@dataclass
class Measurement:
    """Feature values of one paragraph plus the findings that back the visible ones."""

    values: dict[str, float]
    findings: list[Finding]
    words: list[str]


class _Doc:
    """The joined text of a batch, with paragraph offsets to place matches."""

    def __init__(self, texts: Sequence[str], words: list[str], bounds: list[int]) -> None:
        self.texts = texts
        self.words, self.bounds = words, bounds
        self.text = _GAP.join(texts)
        self.starts = [0, *accumulate(len(t) + len(_GAP) for t in texts)]
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def counts(self, chars: str) -> dict[str, list[int]]:
        """Per character, how often each paragraph holds it: one C-level pass over the
        paragraphs per character, none for characters the whole text lacks (most)."""
        zeros = [0] * len(self.texts)
        return {
            c: list(map(str.count, self.texts, repeat(c))) if c in self.text else zeros
            for c in dict.fromkeys(chars)
        }

    def which(self, at: int) -> int:
        return bisect_right(self.starts, at) - 1

    def spans(self, k: int) -> list[tuple[int, int]]:
        """Document offsets of paragraph k's words (only for evidence; :func:`_plain` keeps
        every offset). Cached per paragraph. Each word is the first match of itself from
        where the one before ended: what lies between is whitespace and edge characters
        (see _EDGE), and a word neither starts with those nor holds whitespace."""
        spans = self._spans.get(k)
        if spans is None:
            plain, at, spans = _plain(self.texts[k]), 0, []
            base = self.starts[k]
            for word in self.words[self.bounds[k] : self.bounds[k + 1]]:
                at = plain.index(word, at)
                spans.append((base + at, base + at + len(word)))
                at += len(word)
            self._spans[k] = spans
        return spans

    def add(self, findings: list[list[Finding]], feature: str, start: int, end: int) -> None:
        k = self.which(start)
        base = self.starts[k]
        findings[k].append(Finding(feature, self.text[start:end], (start - base, end - base)))


def _cuts(bounds: list[int]) -> list[slice]:
    """Each paragraph's slice of the per-word columns."""
    return list(map(slice, bounds, bounds[1:]))


def _sums(column: list[Any], cuts: list[slice]) -> list[Any]:
    """Per-paragraph sums of a per-token column (floats or packed ints; C-level slices
    and sums)."""
    return list(map(sum, map(column.__getitem__, cuts)))


def _tokens(texts: Sequence[str]) -> tuple[list[str], list[bool], list[int]]:
    """Words of all paragraphs, per word whether it stood alone between spaces (nothing
    stripped: a capital after it is mid-sentence), and each paragraph's word bounds."""
    chunks: list[str] = []
    cuts = [0]
    for text in texts:
        chunks += _plain(text).split()
        cuts.append(len(chunks))
    words = list(map(str.strip, chunks, repeat(_EDGE)))
    bare = list(map(operator.is_, words, chunks))  # str.strip returns the chunk unchanged
    if "" not in words:
        return words, bare, cuts
    # Empty words are all the one interned "": list.count finds them by identity.
    gone = accumulate(map(list.count, map(words.__getitem__, _cuts(cuts)), repeat("")))
    bounds = [0, *map(operator.sub, cuts[1:], gone)]
    return list(filter(None, words)), list(compress(bare, words)), bounds


def _case_findings(
    doc: _Doc,
    words: list[str],
    bare: list[bool],
    bounds: list[int],
    t: Tables,
    findings: list[list[Finding]],
) -> None:
    """Closed-class words capitalised right after a lower-case word ("blinken Said",
    "arriving Is."); those in stray_capital_end_words only before punctuation.

    Candidates come from one set lookup per word; only they are placed in the text.
    """
    text = doc.text
    title_case: dict[int, bool] = {}
    for i in compress(range(len(words)), map(t.stray_capitalised.__contains__, words)):
        # After a word that stood alone (not "said. The", "(The": most capitals open
        # sentences).
        if not i or not bare[i - 1]:
            continue
        always = words[i].lower() in t.stray_capital_words
        # An end word needs punctuation after it, so its chunk cannot be bare.
        if not words[i - 1][-1:].islower() or (bare[i] and not always):
            continue
        k = bisect_right(bounds, i) - 1
        if i == bounds[k]:
            continue
        if k not in title_case:  # counted once per paragraph, not once per hit
            caps = sum(map(str.isupper, map(_FIRST, words[bounds[k] : bounds[k + 1]])))
            title_case[k] = caps * 2 > bounds[k + 1] - bounds[k]
        if title_case[k]:  # a title-case headline
            continue
        start, end = doc.spans(k)[i - bounds[k]]
        if text[start - 1] == " " and _stray_context(text, start, end, always, t):
            doc.add(findings, "stray_capital", start, end)


def _stray_repair(text: str, edit: Edit, t: Tables) -> bool:
    """Whether a capital the casing stage lowered is one _case_findings would have counted:
    a closed-class word right after a lower-case word, an end word only before punctuation.
    The edit has no offset, so every place the lowered word now stands is tried."""
    if edit.rule != CASING_CAPITAL:
        return False
    word = edit.after
    always = word in t.stray_capital_words
    if not always and word not in t.stray_capital_end_words:
        return False
    at = text.find(" " + word)
    while at > 0:
        end = at + 1 + len(word)
        if not text[end : end + 1].isalpha() and _stray_context(text, at + 1, end, always, t):
            return True
        at = text.find(" " + word, end)
    return False


def _stray_context(text: str, start: int, end: int, always: bool, t: Tables) -> bool:
    """Whether the capital word at text[start:end] (after one space) stands where no
    capital belongs: right after a word ending in lower case (a name before it is fine:
    "Blinken Said"), and for an end word only before punctuation. Not before a capitalised
    word or a figure (names and dates: "broker Will Christie", "on May 26", a headline's
    "Does Not Have") and not after a preposition ("in May", "by Will"): those capitals
    are names, months or titles.
    """
    before = text[max(0, start - 40) : start - 1].rsplit(maxsplit=1)[-1:]
    before = before[0] if before else ""
    if not before[-1:].islower() or before.lower() in t.stray_capital_after:
        return False
    after = text[end : end + 1]
    if not always:
        return after in ".,;"
    following = text[end:].lstrip(" ")[:1]
    return after != " " or not (following.isupper() or following.isdigit())


def measure_batch(
    texts: Sequence[str], t: Tables, casing_edits: Sequence[Sequence[Edit]] = ()
) -> Batch:
    """All feature values of each paragraph (and its own casing repairs), column-wise."""
    words, bare, bounds = _tokens(texts)
    doc = _Doc(texts, words, bounds)
    lowers = list(map(str.lower, words))
    findings: list[list[Finding]] = [[] for _ in texts]
    counts = {name: [0.0] * len(texts) for name in COUNT_FEATURES}
    sentences = _sentences(doc, t, findings, casing_edits)
    stems, echoes = _echoes(lowers)
    _repeats(doc, lowers, bounds, echoes, t, findings)
    _near_repeats(doc, words, lowers, bounds, stems, echoes, t, findings)
    _case_findings(doc, words, bare, bounds, t, findings)
    # Words with non-ASCII letters ("dātor", "计划"), few, by paragraph; only their
    # paragraphs can hold foreign script or untranslated words, so those alone are read
    # (curly quotes are no part of a word).
    non_ascii: dict[int, list[int]] = {}  # paragraph -> positions of its such words
    if not doc.text.isascii():
        for i in compress(range(len(words)), map(operator.not_, map(str.isascii, words))):
            non_ascii.setdefault(bisect_right(bounds, i) - 1, []).append(i)
    for k, positions in non_ascii.items():
        base = doc.starts[k]
        for m in _FOREIGN.finditer(texts[k]):
            doc.add(findings, "foreign_script", base + m.start(), base + m.end())
        for i in positions:
            if _untranslated(words[i], t):
                doc.add(findings, "untranslated_word", *doc.spans(k)[i - bounds[k]])
    char_counts = doc.counts(_PAIRED + "".join(MARKS.values()))
    for k in compress(range(len(texts)), _unbalanced_any(char_counts)):
        findings[k] += _unbalanced(texts[k])
    for k in compress(range(len(texts)), map(_case_anomaly, texts)):
        if bounds[k + 1] - bounds[k] >= 4:
            findings[k].append(Finding("case_anomaly", texts[k][:40], (0, min(len(texts[k]), 40))))
    for k in compress(range(len(texts)), findings):
        for f in findings[k]:
            column = counts.get(f.feature)
            if column is not None:
                column[k] += 1
    for k, edits in enumerate(casing_edits):
        if not edits:
            continue
        # A repair hides the flaw from our own check: take the larger count.
        for feature, repaired in (
            ("case_anomaly", [e for e in edits if e.rule in CASING_RULES]),
            ("stray_capital", [e for e in edits if _stray_repair(texts[k], e, t)]),
        ):
            findings[k] += [
                Finding(feature, f"{e.before} -> {e.after}"[:80], (-1, -1)) for e in repaired
            ]
            counts[feature][k] = max(counts[feature][k], len(repaired))
    values: dict[str, list[float]] = {
        name: list(map(min, repeat(3.0), column)) for name, column in counts.items()
    }
    marks = t.mark_weights
    weighted = [sum(map(operator.mul, marks, row)) for row in _mark_rows(char_counts)]
    titled = _sums(list(map(t.title_weights.get, words, repeat(0.0))), _cuts(bounds))
    weighted = list(map(operator.add, weighted, titled))
    values.update(_profile(lowers, bounds, sentences, weighted, t))
    return Batch(values, findings, words, lowers, bounds)


def measure(text: str, t: Tables, casing_edits: Sequence[Edit] = ()) -> Measurement:
    """All feature values of one paragraph (a batch of one)."""
    batch = measure_batch([text], t, [casing_edits])
    return Measurement(
        {name: column[0] for name, column in batch.values.items()},
        batch.findings[0],
        batch.paragraph_words(0),
    )


def _sentences(
    doc: _Doc,
    t: Tables,
    findings: list[list[Finding]],
    casing_edits: Sequence[Sequence[Edit]],
) -> list[int]:
    """Sentences per paragraph (. ! ? and space, not after abbreviations or initials:
    "Capt.", "R.R.", "cu.ft.", unless a new sentence plainly opens: "U.S. The"), and the
    fragments among them (see :func:`_fragments`; the casing edits tell which sentence
    starts the casing stage capitalised: no sign of the writer's choice)."""
    counts = []
    abbreviations = t.abbreviations
    for k, text in enumerate(doc.texts):
        ends: list[int] = []  # where each sentence ends (the next one begins there)
        candidates: list[int] = []  # one- or two-word ones ending in a full stop, not first
        begin = 0
        for m in _SENTENCE_END.finditer(text):
            stop = m.start()
            if text[stop] == ".":
                last = text[text.rfind(" ", 0, stop) + 1 : stop].lower()
                last = last.strip(_MARKS_AROUND_WORD)
                if "." in last:  # dotted initials or units: the last part decides
                    head, _, tail = last.rpartition(".")
                    last = tail if head and tail.isalpha() else last
                if (last in abbreviations or len(last) == 1) and not _opens_sentence(
                    text, m.end(), t
                ):
                    continue
            end = m.end()
            if (
                ends
                and end - begin < 40
                and m.group().rstrip(_CLOSERS).endswith(".")
                and 1 <= len(_WORD.findall(text, begin, end)) <= 2
            ):
                candidates.append(len(ends))
            ends.append(end)
            begin = end
        if candidates:
            edits = casing_edits[k] if casing_edits else ()
            raised = frozenset(e.after for e in edits if e.rule == "start_lower")
            _fragments(doc, k, ends, candidates, t, findings, raised)
        counts.append(len(ends) + 1 if text[begin:].strip() else len(ends))
    return counts


def _fragments(
    doc: _Doc,
    k: int,
    ends: list[int],
    candidates: list[int],
    t: Tables,
    findings: list[list[Finding]],
    raised: frozenset[str],
) -> None:
    """One- or two-word "sentences" ending in a full stop after a longer one: a piece
    translation dropped or split off ("Water.", "of.", 'lasting change".'). Only
    paragraphs with such a sentence reach here (rare), so only theirs are counted in words.

    One that ends in a word no sentence ends in ("the.", "And the.", "arriving Is.") is
    always a fragment. Writers make the others on purpose too, and their shape tells them
    apart (see :func:`_deliberate`): a run of three or more short sentences, or a paragraph of
    nothing else, is emphatic or telegraphic style ("Best. Day. Ever.", "Stir. Season.
    Serve.", "Markets fall. Oil up."); a figure or number word makes a stat or data line
    ("Okafor 9 points.", "Two RBIs."); quoted speech ends inside its quote ('Come on.”')
    and its attribution follows a closing quote ('?" Schiff asked.'); after an ellipsis
    a sentence goes on ("encourage... settlement building"); a contraction is a subject
    and its verb, a clause ("It's staggering."); and a reply or sentence adverb stands
    alone or opens a clipped phrase ("Possibly.", "Really hard.", "And another.").
    """
    text = doc.texts[k]
    begins = [0, *ends]
    if text[ends[-1] :].strip():
        begins.append(len(text))  # the unfinished last sentence ends with the text
    spans = list(pairwise(begins))
    pieces = [_WORD.findall(text, b, e) for b, e in spans]
    # Terse style is statements ("Best. Day. Ever."): no dangling piece, no question.
    short = [
        1 <= len(words) <= 2
        and not _dangling(words, t)
        and not text[b:e].rstrip().rstrip(_CLOSERS).endswith("?")
        for words, (b, e) in zip(pieces, spans, strict=True)
    ]
    if all(short):  # a headline or note of nothing else ("Markets fall. Oil up.")
        return
    terse: set[int] = set()
    run = 0
    for i, is_short in enumerate([*short, False]):
        if is_short:
            run += 1
            continue
        if run >= _TERSE_RUN:
            terse.update(range(i - run, i))
        run = 0
    for i in candidates:
        b, words = begins[i], pieces[i]
        piece = text[b : ends[i]].strip()
        if piece[:1] in _OPENING_MARKS or any(w.lower() in t.abbreviations for w in words):
            continue
        if not _dangling(words, t) and (
            i in terse or _deliberate(text, b, piece, words, raised, t)
        ):
            continue
        at = doc.starts[k] + text.index(piece, b)
        doc.add(findings, "fragment", at, at + len(piece))


def _opens_sentence(text: str, at: int, t: Tables) -> bool:
    """Whether the word after an abbreviation's or initial's full stop (at ``at``) opens a
    new sentence: a capitalised function word ("in the U.S. The next day", "won by Ed.
    He"), which no name or title goes on with."""
    after = _NEXT_CAPITALISED.match(text, at)
    return after is not None and after[1] != "I" and after[1].lower() in t.function_words


def _dangling(words: list[str], t: Tables) -> bool:
    """Whether a short sentence ends in a word no sentence ends in ("the.", "of the.",
    "arriving Is."): a piece cut off, whatever its shape."""
    return words[-1].lower() in t.dangling_endings


def _deliberate(
    text: str, begin: int, piece: str, words: list[str], raised: frozenset[str], t: Tables
) -> bool:
    """Whether a short sentence has the shape of one written on purpose (see
    :func:`_fragments`): a figure or a number and its noun, a set phrase, quoted speech or
    its attribution, the tail after an ellipsis, a contraction and its word, or a reply
    word or fragment opener first. A capital the casing stage gave (``raised``) is not
    the writer's: "and the." became "And the.", still a fragment."""
    before = text[:begin].rstrip()  # never empty: a sentence came before
    lowers = [w.lower() for w in words]
    written_capital = words[0][:1].isupper() and words[0] not in raised
    first = lowers[0] if written_capital else ""  # as the writer opened the sentence
    pair = len(words) == 2
    return (
        any(map(str.isdigit, piece))
        or (pair and lowers[0] in t.number_words)  # "Two RBIs."
        or " ".join(lowers) in t.fragment_phrases  # "Thank you.", "Of course."
        or (written_capital and piece[-1] in _QUOTES and _inside_quote(text, begin))
        or (_ATTRIBUTION.search(before) is not None and not any(q in piece for q in _QUOTES))
        or before.endswith("..")
        or (pair and _clause(lowers[0], t))  # "We're close.", "It's brutal."
        or first in t.fragment_replies
        or (pair and first in t.fragment_openers)
    )


def _inside_quote(text: str, begin: int) -> bool:
    """Whether a quotation is open at ``begin``: the short sentence ending in its closing
    mark is quoted speech ('"Stay calm. Keep going."')."""
    before = text[:begin]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _clause(word: str, t: Tables) -> bool:
    """Whether a contraction holds a subject and its verb ("we're", "don't", "it's"):
    "'s" does only after a pronoun or the like; "government's" is a possessive."""
    if word.endswith(_CONTRACTIONS):
        return True
    return word.endswith(_POSSESSIVE_OR_IS) and word[:-2] in t.function_words


def _echoes(lowers: list[str]) -> tuple[list[str], dict[int, list[int]]]:
    """Stems (first five letters), and per distance n = 1..3 the positions i whose stem
    comes back at i + n: candidates for both repeats and near repeats, from three C-level
    comparisons shared by the two."""
    stems = list(map(_STEM, lowers))
    every = range(len(stems))
    return stems, {n: list(compress(every, map(operator.eq, stems, stems[n:]))) for n in (1, 2, 3)}


def _repeats(
    doc: _Doc,
    w: list[str],
    bounds: list[int],
    echoes: dict[int, list[int]],
    t: Tables,
    findings: list[list[Finding]],
) -> None:
    """Adjacent repeats of one to three words ("the the", "if we If we")."""
    resume = 0
    for i in sorted({*echoes[1], *echoes[2], *echoes[3]}):
        if i < resume:
            continue
        k = bisect_right(bounds, i) - 1
        first = bounds[k]
        for n in (3, 2, 1):
            j = i + n
            if j + n > bounds[k + 1] or w[i:j] != w[j : j + n]:
                continue
            spans = doc.spans(k)
            if (n == 1 and f"{w[i]} {w[i]}" in t.allowed_repeats) or (
                doc.text[spans[j - 1 - first][1] : spans[j - first][0]].strip()
            ):
                continue
            doc.add(findings, "repeated_ngram", spans[i - first][0], spans[j + n - 1 - first][1])
            resume = j + n
            break


def _near_repeats(
    doc: _Doc,
    words: list[str],
    lowers: list[str],
    bounds: list[int],
    stems: list[str],
    echoes: dict[int, list[int]],
    t: Tables,
    findings: list[list[Finding]],
) -> None:
    """A content word echoed within three words ("draft a draft", "burden of a burden")."""
    for i in sorted({*echoes[2], *echoes[3]}):
        if len(lowers[i]) <= 3 or lowers[i] in t.function_words:
            continue
        k = bisect_right(bounds, i) - 1
        for j in (i + 2, i + 3):
            if (
                j < bounds[k + 1]
                and stems[j] == stems[i]
                and len(lowers[j]) > 3
                and lowers[j] not in t.function_words
                and not words[j][:1].isupper()
            ):
                spans = doc.spans(k)
                doc.add(findings, "near_repeat", spans[i - bounds[k]][0], spans[j - bounds[k]][1])
                break


#: Quotes and brackets that must pair up (see _unbalanced).
_PAIRED = '"()“”[]'


def _unbalanced_any(counts: dict[str, list[int]]) -> Iterable[bool]:
    """The cheap test, per paragraph from its character counts, before :func:`_unbalanced`
    places the flaw."""
    return map(
        any,
        zip(
            map(operator.mod, counts['"'], repeat(2)),
            map(operator.ne, counts["("], counts[")"]),
            map(operator.ne, counts["“"], counts["”"]),
            map(operator.ne, counts["["], counts["]"]),
            strict=True,
        ),
    )


def _unbalanced(text: str) -> Iterable[Finding]:
    """Quotes or brackets that do not pair up (dropped or duplicated in translation)."""
    for opener, closer in (("“", "”"), ("(", ")"), ("[", "]")):
        if text.count(opener) != text.count(closer):
            yield _mark(text, max(text.find(opener), text.find(closer)))
    if text.count('"') % 2:
        yield _mark(text, text.rfind('"'))


def _untranslated(word: str, t: Tables) -> bool:
    """A lower-case word with letters outside ASCII that English does not write ("dātor",
    "shopläts"): a source-language word the translation left in place. Known are the words
    of the casing lexicon, web English with its loanwords as written ("déjà", "façade"),
    and those the frequency table knows without their accents. Capitalised words are names
    ("Dräger"); unknown all-ASCII words were tried too, but human text has more of them
    than MT.
    """
    if not word.islower():
        return False
    stem = _APOSTROPHE_TAIL.sub("", word)
    if casing_lexicon().get(stem) is not None:
        return False
    return unicodedata.normalize("NFD", stem).encode("ascii", "ignore").decode() not in t.unigrams


def _mark(text: str, at: int) -> Finding:
    end = min(len(text), at + 20)
    return Finding("unbalanced_punctuation", text[at:end], (at, end))


def _case_anomaly(text: str) -> bool:
    """No capitals at all, nothing but capitals, or a paragraph opening in lower case."""
    head = text[:400]
    return head.islower() or head.isupper() or text.lstrip()[:1].islower()


def _profile(
    lowers: list[str],
    bounds: list[int],
    sentences: list[int],
    marks: list[float],
    t: Tables,
) -> dict[str, list[float]]:
    """The statistical profile: word choice, word frequency, variety, function words,
    sentence length.

    One lexicon lookup per token gives a packed integer, and one sum per paragraph adds up
    every per-word quantity at once (see _FIELDS).
    """
    sizes = list(map(operator.sub, bounds[1:], bounds[:-1]))
    cuts = _cuts(bounds)
    per_word = [max(n, 1) for n in sizes]
    entries = list(map(t.lexicon.get, lowers, repeat(0)))
    known, function, neg_logfreq, lexical = _unpack(_sums(entries, cuts))
    return {
        "lexical": [
            (s * _LEXICAL_UNIT + m) / math.sqrt(n)
            for s, m, n in zip(lexical, marks, per_word, strict=True)
        ],
        "word_logfreq": [-s / max(k, 1) / 10 for s, k in zip(neg_logfreq, known, strict=True)],
        "lexical_variety": [
            len(set(lowers[a:b])) / math.sqrt(b - a) if b > a else 0.0 for a, b in pairwise(bounds)
        ],
        "function_share": [s / n for s, n in zip(function, per_word, strict=True)],
        "sentence_length": [
            math.log1p(n / max(s, 1)) if n else 0.0 for n, s in zip(sizes, sentences, strict=True)
        ],
    }


COUNT_FEATURES = (
    "repeated_ngram",
    "near_repeat",
    "fragment",
    "stray_capital",
    "case_anomaly",
    "foreign_script",
    "untranslated_word",
    "unbalanced_punctuation",
)


# --- scoring -----------------------------------------------------------------------------


_LETTER = re.compile(r"[^\W\d_]")
_WEIGHT = operator.itemgetter(1)


def _leading_words(words: list[str], weights: dict[str, float], n: int = 5) -> list[str]:
    """The paragraph's words that pull the word-choice model most towards MT."""
    pulls = {w: pull for w in set(words) if (pull := weights.get(w, 0.0)) > 0}
    return sorted(pulls, key=lambda w: (-pulls[w], w))[:n]


def pool_logits(
    logits: Sequence[float], sizes: Sequence[int], blend: float
) -> tuple[list[float], float | None]:
    """One document's paragraph log-odds, each moved ``blend`` of the way towards their
    mean weighted by ``sizes`` (words: a one-line caption says less than a long
    paragraph), and that mean (None, and the logits unchanged, for fewer than two).

    Each log-odds enters the mean clipped to +-``POOL_CLIP``: one garbled paragraph is
    strong evidence about itself, but it must not outvote its siblings and get clean
    paragraphs dropped with it."""
    total = sum(sizes)
    if not blend or len(logits) < 2 or not total:
        return list(logits), None
    clipped = (min(max(x, -POOL_CLIP), POOL_CLIP) for x in logits)
    mean = sum(map(operator.mul, clipped, sizes)) / total
    return [x + blend * (mean - x) for x in logits], mean


def evidence_share(words: int, full_words: int = FULL_EVIDENCE_WORDS) -> float:
    """How much of a paragraph's own evidence counts: all of it from ``full_words`` words
    on, in proportion below (0 or less: always all). Scaling the log-odds against the prior
    keeps the ranking independent of the prior."""
    return 1.0 if full_words <= 0 or words >= full_words else words / full_words


def score_paragraphs(
    texts: Sequence[str],
    casing_edits: Sequence[Sequence[Edit]] = (),
    model: Model | None = None,
    t: Tables | None = None,
    reason_min_logit: float = 0.25,
    prior: float = MT_PRIOR,
    document_blend: float = DOCUMENT_BLEND,
    full_evidence_words: int = FULL_EVIDENCE_WORDS,
) -> list[tuple[float, list[dict[str, Any]]]]:
    """Score paragraphs: (score in [0, 1], reasons with evidence spans) for each.

    The logit is a dot product (weights per raw unit, means folded into the bias); reasons
    are built only for paragraphs where a feature adds at least ``reason_min_logit``.
    ``prior`` is the expected share of MT paragraphs (0.5: the fitted, balanced model).
    A paragraph shorter than ``full_evidence_words`` words keeps only its share of that
    evidence (see :func:`evidence_share`; the cut is the ``short`` reason).
    The texts are one document's paragraphs and are pooled (see :func:`pool_logits`;
    ``document_blend=0`` scores each alone); paragraphs without letters stay out of the
    pool. The pull is a reason, as the features are, when it moves the log-odds at least
    ``reason_min_logit`` either way.
    """
    model = model or default_model()
    t = t or tables()
    batch = measure_batch(texts, t, casing_edits)
    evidence = [model.base] * len(texts)
    strong: list[list[tuple[str, float]]] = [[] for _ in texts]
    zeros, floor = [0.0] * len(texts), reason_min_logit
    for name, coef, offset in model.dense:
        adds = list(map(operator.mul, batch.values.get(name, zeros), repeat(coef)))
        evidence = list(map(operator.add, evidence, adds))
        for k in compress(range(len(texts)), map(operator.ge, adds, repeat(floor + offset))):
            strong[k].append((name, adds[k] - offset))
    worded = [k for k, text in enumerate(texts) if _LETTER.search(text)]
    sizes = [batch.bounds[k + 1] - batch.bounds[k] for k in worded]
    shares = [evidence_share(n, full_evidence_words) for n in sizes]
    base = _logit(prior)
    own = [base + evidence[k] * share for k, share in zip(worded, shares, strict=True)]
    pooled, mean = pool_logits(own, sizes, document_blend)
    # The same for every paragraph: formatted once.
    pull = (
        None
        if mean is None
        else (round(mean, 3), f"mean logit {mean:+.2f} of {len(worded)} paragraphs")
    )
    out: list[tuple[float, list[dict[str, Any]]]] = [(0.0, []) for _ in texts]
    for k, logit, pooled_logit, share, size in zip(worded, own, pooled, shares, sizes, strict=True):
        reasons: list[dict[str, Any]] = []
        kept = [(name, add * share) for name, add in strong[k] if add * share >= floor]
        if kept:
            by_feature: dict[str, list[Finding]] = {}
            for f in batch.findings[k]:  # mostly none
                by_feature.setdefault(f.feature, []).append(f)
            kept.sort(key=_WEIGHT, reverse=True)  # stable: ties keep the model's order
            for name, add in kept:
                reason: dict[str, Any] = {"feature": name, "weight": round(add, 3)}
                found = by_feature.get(name)
                if found:
                    reason["evidence"] = [f.evidence for f in found][:5]
                    reason["span"] = [list(f.span) for f in found if f.span != (-1, -1)][:5]
                else:
                    reason["value"] = round(batch.values[name][k], 4)
                if name == "lexical":
                    reason["evidence"] = _leading_words(batch.paragraph_words(k), t.lexical)
                reasons.append(reason)
        cut = evidence[k] * (share - 1.0)
        if abs(cut) >= reason_min_logit:
            reasons.append(
                {
                    "feature": "short",
                    "weight": round(cut, 3),
                    "value": size,
                    "evidence": [f"{size} words: own evidence x{share:.2f}"],
                }
            )
        if pull is not None and abs(pooled_logit - logit) >= reason_min_logit:
            reasons.append(
                {
                    "feature": "document",
                    "weight": round(pooled_logit - logit, 3),
                    "value": pull[0],
                    "evidence": [pull[1]],
                }
            )
        out[k] = (round(_sigmoid(pooled_logit), 6), reasons)
    return out


def score_paragraph(
    text: str,
    casing_edits: Sequence[Edit] = (),
    model: Model | None = None,
    t: Tables | None = None,
    reason_min_logit: float = 0.25,
    prior: float = MT_PRIOR,
) -> tuple[float, list[dict[str, Any]]]:
    """Score one paragraph (a batch of one)."""
    return score_paragraphs([text], [casing_edits], model, t, reason_min_logit, prior)[0]


@lru_cache(maxsize=256)
def _in_scope(language: str | None, languages: tuple[str, ...]) -> bool:
    """Whether paragraphs in ``language`` are scored (see ``score_languages``; unknown
    language is). Cached: it is asked once per paragraph, of a handful of languages."""
    return not languages or language is None or matches_language(language, languages)


class ArtifactsStage(Stage):
    """Scores every paragraph; optionally drops paragraphs or documents above a threshold."""

    name = "artifacts"
    Options = ArtifactsOptions
    options: ArtifactsOptions

    def __init__(self, options: StageOptions | None = None, **overrides: object) -> None:
        super().__init__(options, **overrides)
        check_languages(self.options.score_languages, "[artifacts] score_languages")
        self._tables = tables(
            self.options.extra_stray_capital_words, self.options.extra_abbreviations
        )
        self._model = default_model()
        blend = self.options.document_blend
        if not 0.0 <= blend <= 1.0:
            raise ConfigError(f"[artifacts] document_blend must be in [0, 1], not {blend}")

    def apply(self, doc: Document) -> Document:
        casing: dict[int, list[Edit]] = {}
        for edit in doc.edits:
            if edit.stage == "casing" and edit.paragraph is not None:
                casing.setdefault(edit.paragraph, []).append(edit)
        languages = self.options.score_languages
        paragraphs = [p for p in doc.paragraphs if _in_scope(p.language or doc.language, languages)]
        scored = score_paragraphs(
            [p.text for p in paragraphs],
            [casing.get(p.index, ()) for p in paragraphs] if casing else (),
            self._model,
            self._tables,
            self.options.reason_min_logit,
            self.options.mt_prior,
            self.options.document_blend,
            self.options.full_evidence_words,
        )
        for para in doc.paragraphs:  # out of scope: no score (the stage may run twice)
            para.artifact_score, para.artifact_reasons = None, []
        total = weighted = 0.0
        for para, (score, reasons) in zip(paragraphs, scored, strict=True):
            para.artifact_score, para.artifact_reasons = score, reasons
            size = len(para.text)
            total, weighted = total + size, weighted + score * size
        mean = weighted / total if total else None
        doc.metadata["artifact_max"] = round(max(s for s, _ in scored), 6) if scored else None
        doc.metadata["artifact_mean"] = None if mean is None else round(mean, 6)
        self._drop(doc, mean)
        return doc

    def _drop(self, doc: Document, mean: float | None) -> None:
        editor = self.editor(doc)
        limit = self.options.drop_paragraph_above
        if limit is not None:
            for para in list(doc.paragraphs):
                if para.artifact_score is not None and para.artifact_score >= limit:
                    top = ", ".join(r["feature"] for r in para.artifact_reasons[:3])
                    editor.remove(
                        para, "artifact_paragraph", f"score {para.artifact_score:.3f}: {top}"
                    )
        limit = self.options.drop_document_above
        if limit is not None and mean is not None and mean >= limit:
            editor.drop_document(
                f"artifacts: mean score {mean:.3f} >= {limit}", "artifact_document"
            )
