"""Artifacts: score each paragraph for translation artifacts, with the evidence that fired.

The score is a transparent rule-and-weight model: a handful of named features are measured
on the paragraph alone (never on its neighbours or its place in the corpus), each is
standardised and weighted, and a logistic function turns the sum into [0, 1]. The weights
are DATA (``data/artifacts/weights.json``), fitted offline by
``scripts/fit_artifact_weights.py``; this module needs no machine-learning library.

Two kinds of feature:

* **Visible artifacts**, each with an evidence span: repeated words or n-grams ("if we If
  we"), dangling fragments ("Change."), closed-class words capitalised mid-sentence ("blinken
  Said"), names lower-cased where the paragraph also writes them capitalised, foreign-script
  leftovers, unbalanced quotes or brackets. Capitalisation repairs logged by the ``casing``
  stage count too, so the evidence survives that stage fixing the text.
* **Profiles** of the paragraph measured against English frequency tables (from
  symspellpy's Google Books counts): word pairs that English rarely puts together, words
  the lexicon does not know, word frequency, lexical variety, function-word share,
  sentence length, commas. Modern MT is fluent, and these weak signals are most of what a
  monolingual reader can see in it.
"""

from __future__ import annotations

import gzip
import json
import math
import operator
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from itertools import compress, repeat
from typing import Any

import regex

from .document import Document, Edit, Paragraph
from .stage import Stage, StageOptions

#: Words are runs of letters (``[^\W\d_]``: the stdlib engine, about twice as fast as
#: ``regex`` on this pattern), with inner apostrophes ("don't", "O’Neill").
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_FOREIGN = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Cyrillic}\p{Arabic}"
    r"\p{Hebrew}\p{Greek}\p{Thai}\p{Devanagari}]+"
)
_DIGIT = re.compile(r"\d")
#: A sentence ends at . ! ? (plus closing quotes) followed by space.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
#: Characters after which a capital letter mid-sentence is expected (quotes, colons).
_OPENERS = frozenset(":;\"'“‘(-–—[/")

#: Casing-stage rules and the artifact feature each one is evidence for.
CASING_RULES = {
    "common_upper": "stray_capital",
    "start_lower": "case_anomaly",
    "all_upper": "case_anomaly",
    "all_lower": "case_anomaly",
}


#: Default ``mt_prior`` (see ArtifactsOptions).
MT_PRIOR = 0.2


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
    #: Report a feature as a reason when it adds at least this much to the log-odds.
    reason_min_logit: float = 0.25
    #: Extra closed-class words that are never capitalised mid-sentence.
    extra_stray_capital_words: tuple[str, ...] = ()
    #: Extra abbreviations whose full stop does not end a sentence (lower case, no dot).
    extra_abbreviations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One visible artifact: which feature, the text that shows it, and where."""

    feature: str
    evidence: str
    span: tuple[int, int]


@dataclass
class Measurement:
    """Feature values of one paragraph plus the spans that back the visible ones."""

    values: dict[str, float]
    findings: list[Finding] = field(default_factory=list)
    #: The paragraph and its lower-cased words, for the word-rate profile.
    text: str = ""
    words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Tables:
    """Lexicon, pair table and word lists, loaded once per process."""

    unigrams: dict[str, int]
    bigrams: dict[str, int]
    stray_capital_words: frozenset[str]
    stray_capital_end_words: frozenset[str]
    abbreviations: frozenset[str]
    allowed_repeats: frozenset[str]
    function_words: frozenset[str]
    #: Word-profile log-odds (MT vs human) per word, and per punctuation mark.
    profile: dict[str, float]
    profile_marks: tuple[tuple[str, float], ...]

    @cached_property
    def lexicon(self) -> dict[str, tuple[int, int, int, int, float]]:
        """Per word, everything the profile needs, so one lookup per token suffices:
        (log frequency, known, common, function word, word-profile weight).

        "Common" words are frequent enough that English should have seen each pair of them.
        """
        out: dict[str, tuple[int, int, int, int, float]] = {}
        function, profile = self.function_words, self.profile
        for w in {*self.unigrams, *function, *profile}:
            f = self.unigrams.get(w)
            known = f is not None
            out[w] = (
                f or 0,
                known,
                known and f >= _FREQUENT_DB,
                w in function,
                profile.get(w, 0.0),
            )
        return out

    @cached_property
    def stray_any(self) -> frozenset[str]:
        return self.stray_capital_words | self.stray_capital_end_words


def _read_table(name: str, kind: type = int) -> dict[str, Any]:
    path = resources.files("textwash") / "data" / "artifacts" / name
    table: dict[str, Any] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                key, _, value = line.rstrip("\n").partition("\t")
                table[key] = kind(value)
    return table


def read_profile() -> tuple[dict[str, float], tuple[tuple[str, float], ...]]:
    """The word-profile table (fitted by scripts/fit_artifact_weights.py): words, marks."""
    table = _read_table(PROFILE_FILE, float)
    marks = tuple((k, v) for k, v in table.items() if not k[:1].isalpha())
    return {k: v for k, v in table.items() if k[:1].isalpha()}, marks


#: Shipped word-profile table: token <TAB> log-odds weight per occurrence rate.
PROFILE_FILE = "word_profile.tsv.gz"


@lru_cache(maxsize=1)
def _base_tables() -> Tables:
    rules_path = resources.files("textwash") / "data" / "artifacts" / "rules.toml"
    rules = tomllib.loads(rules_path.read_text(encoding="utf-8"))
    profile, marks = read_profile()
    return Tables(
        unigrams=_read_table("unigrams.tsv.gz"),
        bigrams=_read_table("bigrams.tsv.gz"),
        stray_capital_words=frozenset(rules["stray_capital_words"]),
        stray_capital_end_words=frozenset(rules["stray_capital_end_words"]),
        abbreviations=frozenset(rules["abbreviations"]),
        allowed_repeats=frozenset(rules["allowed_repeats"]),
        function_words=frozenset(rules["function_words"]),
        profile=profile,
        profile_marks=marks,
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
    def _dense(self) -> tuple[tuple[str, float, float], ...]:
        """(name, weight per raw unit, offset): one multiply-add per feature."""
        return tuple(
            (n, w / s, w * m / s)
            for n, m, s, w in zip(self.names, self.means, self.scales, self.weights, strict=True)
        )

    def contributions(self, measured: Measurement) -> list[tuple[str, float]]:
        """Each feature's addition to the log-odds."""
        get = measured.values.get
        return [(name, coef * get(name, 0.0) - offset) for name, coef, offset in self._dense]

    def score(self, measured: Measurement, prior: float = 0.5) -> float:
        logit = self.bias + _logit(prior) + sum(c for _, c in self.contributions(measured))
        return _sigmoid(logit)


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


# --- measuring one paragraph ------------------------------------------------------------

#: A word plus the single space that joins it to the next word (empty when anything else
#: separates them): one regex pass yields the tokens and which neighbours form a pair.
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
#: Near repeats compare the first five letters ("draft"/"drafts").
_STEM = operator.itemgetter(slice(0, 5))
_TOKEN = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)(?:( )(?=[^\W\d_]))?")


@dataclass(slots=True)
class _Split:
    """One tokenisation pass over a paragraph, shared by every feature.

    Word lists are built with C-level regex calls; character spans (for evidence) and
    sentence-opening positions (for the capitalisation checks) cost a second pass, so
    they are computed only when a candidate artifact needs them.
    """

    text: str
    words: list[str]
    lowers: list[str]
    #: joined[i] is " " when word i and word i + 1 are separated by exactly one space.
    joined: list[str]
    sentences: list[tuple[int, int]]
    _spans: list[tuple[int, int]] | None = None
    _starts: set[int] | None = None

    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = [m.span(1) for m in _TOKEN.finditer(self.text)]
        return self._spans

    def starts(self) -> set[int]:
        """Offsets of the first word of every sentence."""
        if self._starts is None:
            found = (_WORD.search(self.text, s, e) for s, e in self.sentences)
            self._starts = {m.start() for m in found if m}
        return self._starts

    def after_opener(self, at: int) -> bool:
        before = self.text[:at].rstrip()
        return bool(before) and before[-1] in _OPENERS


def _split(text: str, t: Tables) -> _Split:
    found = _TOKEN.findall(text)
    words = list(map(_FIRST, found))
    lowers = list(map(str.lower, words))
    if "’" in text:
        lowers = [w.replace("’", "'") for w in lowers]
    return _Split(text, words, lowers, list(map(_SECOND, found)), _sentences(text, t))


def _sentences(text: str, t: Tables) -> list[tuple[int, int]]:
    """Sentence spans: . ! ? followed by space, except after abbreviations and initials."""
    sentences: list[tuple[int, int]] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            head = text[begin : match.start()].rsplit(None, 1)
            last = head[-1].lower().rstrip(".") if head else ""
            if last in t.abbreviations or len(last) == 1:
                continue
        sentences.append((begin, match.end()))
        begin = match.end()
    if text[begin:].strip():
        sentences.append((begin, len(text)))
    return sentences


def _repeats(p: _Split, t: Tables) -> Iterable[Finding]:
    """Adjacent repeats of one to three words ("the the", "if we If we")."""
    w = p.lowers
    equal = {n: list(map(operator.eq, w, w[n:])) for n in (3, 2, 1)}
    if True not in equal[1] and True not in equal[2] and True not in equal[3]:
        return
    candidates = sorted({i for n in (3, 2, 1) for i, same in enumerate(equal[n]) if same})
    resume = 0
    for i in candidates:
        if i < resume:
            continue
        for n in (3, 2, 1):
            j = i + n
            if j + n > len(w) or not all(equal[n][i:j]):
                continue
            spans = p.spans()
            if (n == 1 and f"{w[i]} {w[i]}" in t.allowed_repeats) or (
                p.text[spans[j - 1][1] : spans[j][0]].strip()
            ):
                continue
            span = (spans[i][0], spans[j + n - 1][1])
            yield Finding("repeated_ngram", p.text[span[0] : span[1]], span)
            resume = j + n
            break


def _near_repeats(p: _Split, t: Tables) -> Iterable[Finding]:
    """A content word echoed within three words ("draft a draft", "burden of a burden")."""
    lowers = p.lowers
    stems = list(map(_STEM, lowers))
    echo2 = list(map(operator.eq, stems, stems[2:]))
    echo3 = list(map(operator.eq, stems, stems[3:]))
    if True not in echo2 and True not in echo3:
        return
    candidates = sorted(
        {i for i, e in enumerate(echo2) if e} | {i for i, e in enumerate(echo3) if e}
    )
    for i in candidates:
        if len(lowers[i]) <= 3 or lowers[i] in t.function_words:
            continue
        for j in (i + 2, i + 3):
            if (
                j < len(stems)
                and stems[j] == stems[i]
                and len(lowers[j]) > 3
                and lowers[j] not in t.function_words
                and not p.words[j][:1].isupper()
            ):
                spans = p.spans()
                span = (spans[i][0], spans[j][1])
                yield Finding("near_repeat", p.text[span[0] : span[1]], span)
                break


def _fragments(p: _Split, t: Tables) -> Iterable[Finding]:
    """One- or two-word "sentences" ending in a full stop after a longer one ("Change.")."""
    text = p.text
    for k, (start, end) in enumerate(p.sentences):
        piece = text[start:end].strip()
        if k == 0 or not piece.rstrip("\"'”’)").endswith("."):
            continue
        words = _WORD.findall(piece)
        if not 1 <= len(words) <= 2:
            continue
        if any(w.lower() in t.abbreviations for w in words) or piece[:1] in "\"'“‘(":
            continue
        offset = text.index(piece, start)
        yield Finding("fragment", piece, (offset, offset + len(piece)))


def _case_findings(p: _Split, t: Tables) -> Iterable[Finding]:
    """Closed-class words capitalised mid-sentence ("blinken Said", "arriving Is.").

    Candidates come from set lookups over the capitalised words; only they are placed in
    their sentence (a capital opening a sentence or following a quote or colon is expected).
    """
    words, lowers, text = p.words, p.lowers, p.text
    caps = list(compress(range(len(words)), map(str.isupper, map(_FIRST, words))))
    if len(caps) * 2 > len(words):  # a title-case headline: capitals are its style
        return
    stray = [i for i in caps if lowers[i] in t.stray_any and words[i][1:].islower()]
    if not stray:
        return
    spans, starts = p.spans(), p.starts()
    for i in stray:
        start, end = spans[i]
        if start in starts or p.after_opener(start):
            continue
        if lowers[i] in t.stray_capital_words or text[end : end + 1] in ".,;":
            yield Finding("stray_capital", words[i], (start, end))


def _unbalanced(text: str) -> Iterable[Finding]:
    """Quotes or brackets that do not pair up (dropped or duplicated in translation)."""
    for opener, closer in (("“", "”"), ("(", ")"), ("[", "]")):
        if text.count(opener) != text.count(closer):
            yield _mark(text, max(text.find(opener), text.find(closer)))
    if text.count('"') % 2:
        yield _mark(text, text.rfind('"'))


def _mark(text: str, at: int) -> Finding:
    end = min(len(text), at + 20)
    return Finding("unbalanced_punctuation", text[at:end], (at, end))


#: Word pairs whose words are both at least this frequent (dB, log10 x 10) are expected in
#: the pair table; a missing one is an unusual collocation.
_FREQUENT_DB = -37


def measure(text: str, t: Tables, casing_edits: Sequence[Edit] = ()) -> Measurement:
    """All feature values of one paragraph, from its text (and its own casing repairs)."""
    p = _split(text, t)
    findings: list[Finding] = [
        *_repeats(p, t),
        *_near_repeats(p, t),
        *_fragments(p, t),
        *_case_findings(p, t),
        *_unbalanced(text),
    ]
    if not text.isascii():
        for m in _FOREIGN.finditer(text):
            findings.append(Finding("foreign_script", m.group(), m.span()))
    for edit in casing_edits:
        feature = CASING_RULES.get(edit.rule)
        if feature:
            findings.append(Finding(feature, f"{edit.before} -> {edit.after}"[:80], (-1, -1)))
    counts = dict.fromkeys(COUNT_FEATURES, 0.0)
    own: dict[str, int] = {}
    casing: dict[str, int] = {}
    for f in findings:
        bucket = casing if f.span == (-1, -1) else own
        bucket[f.feature] = bucket.get(f.feature, 0) + 1
    # A repair the casing stage made hides the flaw from our own check: take the larger.
    for name in (own.keys() | casing.keys()) & counts.keys():
        counts[name] = float(min(3, max(own.get(name, 0), casing.get(name, 0))))
    if not casing and _case_anomaly(text):
        counts["case_anomaly"] = 1.0
        findings.append(Finding("case_anomaly", text[:40], (0, min(len(text), 40))))
    values = {**counts, **_profile(p, t, findings)}
    return Measurement(values, findings, text, p.lowers)


def _case_anomaly(text: str) -> bool:
    head = text[:400]
    letters = sum(map(str.isalpha, head))
    if letters < 20:
        return False
    upper = sum(map(str.isupper, head))
    return upper > 0.8 * letters or upper == 0 or text.lstrip()[:1].islower()


#: Lexicon entry of a word the tables do not know.
_UNKNOWN = (0, False, False, False, 0.0)


def _profile(p: _Split, t: Tables, findings: list[Finding]) -> dict[str, float]:
    """The statistical profile: collocations, word frequency, variety, length, word profile.

    One lexicon lookup per token gives every per-word quantity (transposed with ``zip``);
    the pair checks are C-level ``map`` calls over those columns. A pair key is "w1" +
    gap + "w2", so words not joined by exactly one space never match the pair table.
    """
    text, lowers, joined = p.text, p.lowers, p.joined
    n = len(lowers)
    if not n:
        return dict.fromkeys(PROFILE_FEATURES, 0.0)
    freq, known, common, function, weight = zip(
        *map(t.lexicon.get, lowers, repeat(_UNKNOWN)), strict=True
    )
    keys = list(map(operator.add, map(operator.add, lowers, joined), lowers[1:]))
    seen = list(map(t.bigrams.__contains__, keys))
    linked = list(map(bool, joined))
    pairs = sum(map(operator.and_, map(operator.and_, linked, known), known[1:]))
    expected = list(map(operator.and_, map(operator.and_, linked, common), common[1:]))
    rare = sum(expected) - sum(map(operator.and_, expected, seen))
    if rare:
        i = next(k for k, (e, s) in enumerate(zip(expected, seen, strict=False)) if e and not s)
        pair = f"{p.words[i]} {p.words[i + 1]}"
        at = text.find(pair)
        findings.append(Finding("rare_pair", pair, (at, at + len(pair))))
    marks = sum(coef * text.count(mark) for mark, coef in t.profile_marks)
    return {
        "rare_pair_rate": rare / max(pairs, 1),
        "pair_coverage": sum(seen) / max(pairs, 1),
        "word_logfreq": sum(freq) / max(sum(known), 1) / 10,
        "lexical_variety": len(set(lowers)) / math.sqrt(n),
        "function_share": sum(function) / n,
        "sentence_length": math.log1p(n / max(len(p.sentences), 1)),
        "digit_rate": sum(map(text.count, "0123456789")) / max(len(text), 1),
        "word_profile": (sum(weight) + marks) / n,
    }


PROFILE_FEATURES = (
    "rare_pair_rate",
    "pair_coverage",
    "word_logfreq",
    "lexical_variety",
    "function_share",
    "sentence_length",
    "digit_rate",
    "word_profile",
)
COUNT_FEATURES = (
    "repeated_ngram",
    "near_repeat",
    "fragment",
    "stray_capital",
    "case_anomaly",
    "foreign_script",
    "unbalanced_punctuation",
)


# --- the stage ---------------------------------------------------------------------------


def score_paragraph(
    text: str,
    casing_edits: Sequence[Edit] = (),
    model: Model | None = None,
    t: Tables | None = None,
    reason_min_logit: float = 0.25,
    prior: float = MT_PRIOR,
) -> tuple[float, list[dict[str, Any]]]:
    """Score one paragraph: (score in [0, 1], reasons with evidence spans).

    ``prior`` is the expected share of MT paragraphs (0.5: the fitted, balanced model).
    """
    model = model or default_model()
    t = t or tables()
    measured = measure(text, t, casing_edits)
    contributions = model.contributions(measured)
    score = _sigmoid(model.bias + _logit(prior) + sum(c for _, c in contributions))
    reasons: list[dict[str, Any]] = []
    by_feature: dict[str, list[Finding]] = {}
    for f in measured.findings:
        by_feature.setdefault(f.feature, []).append(f)
    by_feature["rare_pair_rate"] = by_feature.pop("rare_pair", [])
    for name, logit in sorted(
        (c for c in contributions if c[1] >= reason_min_logit), key=lambda c: -c[1]
    ):
        evidence = by_feature.get(name) or []
        reason: dict[str, Any] = {"feature": name, "weight": round(logit, 3)}
        if evidence:
            reason["evidence"] = [f.evidence for f in evidence][:5]
            reason["span"] = [list(f.span) for f in evidence if f.span != (-1, -1)][:5]
        else:
            reason["value"] = round(measured.values.get(name, 0.0), 4)
        reasons.append(reason)
    return round(score, 6), reasons


class ArtifactsStage(Stage):
    """Scores every paragraph; optionally drops paragraphs or documents above a threshold."""

    name = "artifacts"
    Options = ArtifactsOptions
    options: ArtifactsOptions

    def __init__(self, options: StageOptions | None = None, **overrides: object) -> None:
        super().__init__(options, **overrides)
        self._tables = tables(
            self.options.extra_stray_capital_words, self.options.extra_abbreviations
        )
        self._model = default_model()

    def apply(self, doc: Document) -> Document:
        casing: dict[int, list[Edit]] = {}
        for edit in doc.edits:
            if edit.stage == "casing" and edit.paragraph is not None:
                casing.setdefault(edit.paragraph, []).append(edit)
        total = weighted = top = 0.0
        for para in doc.paragraphs:
            self._score(para, casing.get(para.index, ()))
            size = len(para.text)
            score = para.artifact_score or 0.0
            total, weighted, top = total + size, weighted + score * size, max(top, score)
        mean = weighted / total if total else 0.0
        doc.metadata["artifact_max"] = round(top, 6)
        doc.metadata["artifact_mean"] = round(mean, 6)
        self._drop(doc, mean)
        return doc

    def _score(self, para: Paragraph, casing_edits: Sequence[Edit]) -> None:
        para.artifact_score, para.artifact_reasons = score_paragraph(
            para.text,
            casing_edits,
            self._model,
            self._tables,
            self.options.reason_min_logit,
            self.options.mt_prior,
        )

    def _drop(self, doc: Document, mean: float) -> None:
        editor = self.editor(doc)
        limit = self.options.drop_paragraph_above
        if limit is not None:
            for para in list(doc.paragraphs):
                if (para.artifact_score or 0.0) >= limit:
                    top = ", ".join(r["feature"] for r in para.artifact_reasons[:3])
                    editor.remove(
                        para, "artifact_paragraph", f"score {para.artifact_score:.3f}: {top}"
                    )
        limit = self.options.drop_document_above
        if limit is not None and mean >= limit:
            editor.drop_document(
                f"artifacts: mean score {mean:.3f} >= {limit}", "artifact_document"
            )
