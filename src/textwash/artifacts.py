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
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex

from .document import Document, Edit, Paragraph
from .stage import Stage, StageOptions

_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}]+)*")
_FOREIGN = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Cyrillic}\p{Arabic}"
    r"\p{Hebrew}\p{Greek}\p{Thai}\p{Devanagari}]+"
)
_DIGIT = regex.compile(r"\d")
#: A sentence ends at . ! ? (plus closing quotes) followed by space.
_SENTENCE_END = regex.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
#: Characters after which a capital letter mid-sentence is expected (quotes, colons).
_OPENERS = frozenset(":;\"'“‘(-–—[/")

#: Casing-stage rules and the artifact feature each one is evidence for.
CASING_RULES = {
    "name_lower": "name_lower",
    "name_span_lower": "name_lower",
    "common_upper": "stray_capital",
    "start_lower": "case_anomaly",
    "all_upper": "case_anomaly",
    "all_lower": "case_anomaly",
}


@dataclass(frozen=True)
class ArtifactsOptions(StageOptions):
    #: Remove paragraphs scoring at or above this (None: keep every paragraph).
    drop_paragraph_above: float | None = None
    #: Drop documents whose length-weighted mean score is at or above this (None: never).
    drop_document_above: float | None = None
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
    profile_words: tuple[str, ...]
    profile_marks: tuple[str, ...]


def _read_table(name: str) -> dict[str, int]:
    path = resources.files("textwash") / "data" / "artifacts" / name
    table: dict[str, int] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                key, _, value = line.rstrip("\n").partition("\t")
                table[key] = int(value)
    return table


@lru_cache(maxsize=1)
def _base_tables() -> Tables:
    rules_path = resources.files("textwash") / "data" / "artifacts" / "rules.toml"
    rules = tomllib.loads(rules_path.read_text(encoding="utf-8"))
    return Tables(
        unigrams=_read_table("unigrams.tsv.gz"),
        bigrams=_read_table("bigrams.tsv.gz"),
        stray_capital_words=frozenset(rules["stray_capital_words"]),
        stray_capital_end_words=frozenset(rules["stray_capital_end_words"]),
        abbreviations=frozenset(rules["abbreviations"]),
        allowed_repeats=frozenset(rules["allowed_repeats"]),
        function_words=frozenset(rules["function_words"]),
        profile_words=tuple(rules["profile_words"]),
        profile_marks=tuple(rules["profile_marks"]),
    )


@lru_cache(maxsize=8)
def tables(
    extra_capitals: tuple[str, ...] = (), extra_abbreviations: tuple[str, ...] = ()
) -> Tables:
    base = _base_tables()
    if not extra_capitals and not extra_abbreviations:
        return base
    return Tables(
        unigrams=base.unigrams,
        bigrams=base.bigrams,
        stray_capital_words=base.stray_capital_words | {w.lower() for w in extra_capitals},
        stray_capital_end_words=base.stray_capital_end_words,
        abbreviations=base.abbreviations | {a.lower().rstrip(".") for a in extra_abbreviations},
        allowed_repeats=base.allowed_repeats,
        function_words=base.function_words,
        profile_words=base.profile_words,
        profile_marks=base.profile_marks,
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

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float]]:
        """Each feature's addition to the log-odds."""
        return [
            (name, weight * (values.get(name, 0.0) - mean) / scale)
            for name, mean, scale, weight in zip(
                self.names, self.means, self.scales, self.weights, strict=True
            )
        ]

    def score(self, values: dict[str, float]) -> float:
        logit = self.bias + sum(c for _, c in self.contributions(values))
        return _sigmoid(logit)


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


@dataclass(slots=True)
class _Token:
    text: str
    lower: str
    start: int
    end: int
    sentence_start: bool
    after_opener: bool


def _tokens(text: str, t: Tables) -> tuple[list[_Token], list[tuple[int, int]]]:
    """Words with their spans, and sentence spans (abbreviations do not end a sentence)."""
    sentences: list[tuple[int, int]] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[begin : match.start()].rsplit(None, 1)
        last = head[-1].lower().rstrip(".") if head else ""
        if match.group().startswith(".") and (last in t.abbreviations or len(last) == 1):
            continue
        sentences.append((begin, match.end()))
        begin = match.end()
    if text[begin:].strip():
        sentences.append((begin, len(text)))
    tokens: list[_Token] = []
    for s_start, s_end in sentences:
        first = True
        for m in _WORD.finditer(text, s_start, s_end):
            k = m.start() - 1
            while k >= s_start and text[k].isspace():
                k -= 1
            opener = k >= s_start and text[k] in _OPENERS
            word = m.group()
            lower = word.lower().replace("’", "'")
            tokens.append(_Token(word, lower, m.start(), m.end(), first, opener))
            first = False
    return tokens, sentences


def _repeats(text: str, tokens: list[_Token], t: Tables) -> Iterable[Finding]:
    """Adjacent repeats of one to three words ("the the", "if we If we")."""
    words = [tok.lower for tok in tokens]
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            j = i + n
            if j + n <= len(words) and words[i:j] == words[j : j + n]:
                phrase = " ".join(words[i:j])
                if (n == 1 and f"{phrase} {phrase}" in t.allowed_repeats) or (
                    text[tokens[j - 1].end : tokens[j].start].strip()
                ):
                    continue
                span = (tokens[i].start, tokens[j + n - 1].end)
                yield Finding("repeated_ngram", text[span[0] : span[1]], span)
                i = j + n - 1
                break
        i += 1


def _near_repeats(text: str, tokens: list[_Token], t: Tables) -> Iterable[Finding]:
    """A content word echoed within three words ("draft a draft", "burden of a burden")."""
    stems = [
        tok.lower[:5] if len(tok.lower) > 3 and tok.lower not in t.function_words else ""
        for tok in tokens
    ]
    for i, stem in enumerate(stems):
        if not stem:
            continue
        for j in range(i + 2, min(i + 4, len(stems))):
            if stems[j] == stem and not tokens[j].text[:1].isupper():
                span = (tokens[i].start, tokens[j].end)
                yield Finding("near_repeat", text[span[0] : span[1]], span)
                break


def _fragments(text: str, sentences: list[tuple[int, int]], t: Tables) -> Iterable[Finding]:
    """One- or two-word "sentences" ending in a full stop after a longer one ("Change.")."""
    for k, (start, end) in enumerate(sentences):
        piece = text[start:end].strip()
        words = _WORD.findall(piece)
        if k == 0 or not 1 <= len(words) <= 2 or not piece.rstrip("\"'”’)").endswith("."):
            continue
        if any(w.lower() in t.abbreviations for w in words) or piece[:1] in "\"'“‘(":
            continue
        offset = text.index(piece, start)
        yield Finding("fragment", piece, (offset, offset + len(piece)))


def _case_findings(tokens: list[_Token], text: str, t: Tables) -> Iterable[Finding]:
    """Function words capitalised mid-sentence; names lower-cased that appear capitalised."""
    capitalised = {tok.lower for tok in tokens if tok.text[:1].isupper() and not tok.sentence_start}
    titled = sum(1 for tok in tokens if tok.text[:1].isupper())
    if titled * 2 > len(tokens):  # a title-case headline: capitals are its style
        return
    for tok in tokens:
        if tok.sentence_start or tok.after_opener:
            continue
        word = tok.text
        if (
            word[:1].isupper()
            and word[1:].islower()
            and (
                tok.lower in t.stray_capital_words
                or (tok.lower in t.stray_capital_end_words and text[tok.end : tok.end + 1] in ".,;")
            )
        ):
            yield Finding("stray_capital", word, (tok.start, tok.end))
        elif (
            word.islower()
            and tok.lower in capitalised
            and tok.lower not in t.stray_capital_words
            and tok.lower not in t.stray_capital_end_words
            and t.unigrams.get(tok.lower, -99) < -50
        ):
            yield Finding("name_lower", word, (tok.start, tok.end))


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
    tokens, sentences = _tokens(text, t)
    findings: list[Finding] = [
        *_repeats(text, tokens, t),
        *_near_repeats(text, tokens, t),
        *_fragments(text, sentences, t),
        *_case_findings(tokens, text, t),
        *_unbalanced(text),
    ]
    for m in _FOREIGN.finditer(text):
        findings.append(Finding("foreign_script", m.group(), m.span()))
    for edit in casing_edits:
        feature = CASING_RULES.get(edit.rule)
        if feature:
            findings.append(Finding(feature, f"{edit.before} -> {edit.after}"[:80], (-1, -1)))
    counts = {name: 0.0 for name in COUNT_FEATURES}
    own: dict[str, int] = {}
    casing: dict[str, int] = {}
    for f in findings:
        bucket = casing if f.span == (-1, -1) else own
        bucket[f.feature] = bucket.get(f.feature, 0) + 1
    for name in counts:  # a repair the casing stage made hides the flaw from our own check
        counts[name] = float(min(3, max(own.get(name, 0), casing.get(name, 0))))
    if not casing and _case_anomaly(text):
        counts["case_anomaly"] = 1.0
        findings.append(Finding("case_anomaly", text[:40], (0, min(len(text), 40))))
    values = {**counts, **_profile(tokens, sentences, text, t, findings)}
    return Measurement(values, findings)


def _case_anomaly(text: str) -> bool:
    letters = [ch for ch in text[:400] if ch.isalpha()]
    if len(letters) < 20:
        return False
    upper = sum(ch.isupper() for ch in letters)
    return upper > 0.8 * len(letters) or upper == 0 or text.lstrip()[:1].islower()


def _profile(
    tokens: list[_Token],
    sentences: list[tuple[int, int]],
    text: str,
    t: Tables,
    findings: list[Finding],
) -> dict[str, float]:
    """The statistical profile: lexicon, collocations, variety, length and punctuation."""
    n = len(tokens)
    lowers = [tok.lower for tok in tokens]
    known = [t.unigrams.get(w) for w in lowers]
    unknown = 0
    lower_words = 0
    for tok, freq in zip(tokens, known, strict=True):
        if tok.text.islower() and len(tok.text) > 2:
            lower_words += 1
            if freq is None:
                unknown += 1
                if unknown <= 3:
                    findings.append(Finding("unknown_word", tok.text, (tok.start, tok.end)))
    pairs = rare = 0
    logp_sum = pmi_sum = 0.0
    found = 0
    rarest: tuple[int, int, int] | None = None
    for i in range(n - 1):
        a, b = known[i], known[i + 1]
        if a is None or b is None or text[tokens[i].end : tokens[i + 1].start] != " ":
            continue
        pairs += 1
        logp = t.bigrams.get(f"{lowers[i]} {lowers[i + 1]}")
        if logp is not None:
            found += 1
            logp_sum += logp
            pmi_sum += logp - b
        elif a >= _FREQUENT_DB and b >= _FREQUENT_DB:
            rare += 1
            if rarest is None or a + b > rarest[0]:
                rarest = (a + b, tokens[i].start, tokens[i + 1].end)
    if rarest is not None:
        findings.append(Finding("rare_pair", text[rarest[1] : rarest[2]], rarest[1:]))
    freqs = [f for f in known if f is not None]
    words = max(n, 1)
    sentence_count = max(len(sentences), 1)
    counts = Counter(lowers)
    profile = {f"rate:{w}": counts[w] / words for w in t.profile_words}
    profile.update({f"rate:{m}": text.count(m) / words for m in t.profile_marks})
    return {
        **profile,
        "pair_pmi": pmi_sum / max(found, 1) / 10,
        "unknown_word_rate": unknown / max(lower_words, 1),
        "rare_pair_rate": rare / max(pairs, 1),
        "pair_coverage": found / max(pairs, 1),
        "pair_logp": logp_sum / max(found, 1) / 10,
        "word_logfreq": sum(freqs) / max(len(freqs), 1) / 10,
        "lexical_variety": len(set(lowers)) / math.sqrt(words),
        "function_share": sum(1 for w in lowers if w in t.function_words) / words,
        "sentence_length": math.log1p(n / sentence_count),
        "comma_rate": text.count(",") / words,
        "digit_rate": len(_DIGIT.findall(text)) / max(len(text), 1),
        "diacritic_word_rate": sum(1 for w in lowers if not w.isascii()) / words,
    }


COUNT_FEATURES = (
    "repeated_ngram",
    "near_repeat",
    "fragment",
    "stray_capital",
    "name_lower",
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
) -> tuple[float, list[dict[str, Any]]]:
    """Score one paragraph: (score in [0, 1], reasons with evidence spans)."""
    model = model or default_model()
    t = t or tables()
    measured = measure(text, t, casing_edits)
    contributions = model.contributions(measured.values)
    score = _sigmoid(model.bias + sum(c for _, c in contributions))
    reasons: list[dict[str, Any]] = []
    by_feature: dict[str, list[Finding]] = {}
    for f in measured.findings:
        by_feature.setdefault(f.feature, []).append(f)
    by_feature["rare_pair_rate"] = by_feature.pop("rare_pair", [])
    by_feature["unknown_word_rate"] = by_feature.pop("unknown_word", [])
    for name, logit in sorted(contributions, key=lambda c: -c[1]):
        if logit < reason_min_logit:
            break
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
            para.text, casing_edits, self._model, self._tables, self.options.reason_min_logit
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
