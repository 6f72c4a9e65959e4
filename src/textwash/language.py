"""Language: name the document's language, and each paragraph's where the document is mixed.

langdetect is the slowest piece of the pipeline (it walks every character in Python, then
samples n-grams in seven random trials), so detection is made cheap and repeatable:

* **Deterministic.** A private detector factory with ``seed = 0``; each detection builds a
  fresh detector, whose random generator is re-seeded, so one text always gets one answer.
* **Bounded.** A sample of ``sample_chars`` characters, taken from the start, middle and
  end of the document, replaces a full pass. When it is detected with probability >=
  ``confident``, that is the answer (the fast path, one call of about 2 ms). Otherwise
  the whole text (langdetect's own cap, 10,000 characters) is detected.
* **Mixed documents.** Two languages in the sample lower its probability; if the full
  detection is also below ``mixed_below``, the document is mixed, and only then is each
  paragraph of at least ``min_paragraph_chars`` characters detected on its own.
* **English shortcut.** Before langdetect runs, each sample window is checked for English
  function words ("the", "of", "and", ...): when every window has enough words, at least
  ``english_share`` of them are English function words and almost no non-ASCII letters,
  the document is English without a langdetect call. A window can fall on a headline or
  a list with few function words, so when the first look fails but every window still
  has a third of the required share (a window of French or German has next to none),
  the check is repeated once on windows three times as wide. Other languages share few of these
  words (the list leaves out "a", "in", "to", "on", "die", which they do share), and on
  the dev sets this shortcut agrees with full detection on every text it answers
  (evals/run_language.py reports it).
* **Case-proof.** langdetect reads ALL-CAPS English as something else (its profiles are
  mostly lower case), so a sample that is mostly upper case is lower-cased first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import count
from typing import Any, ClassVar

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from .document import Document
from .stage import ConfigError, Stage, StageOptions


@dataclass(frozen=True)
class LanguageOptions(StageOptions):
    #: Keep only documents in these languages (ISO 639-1, e.g. ("en", "de")); empty keeps
    #: all. "zh" matches langdetect's "zh-cn" and "zh-tw". Undetectable text is kept. A
    #: code langdetect does not know is refused (it would drop every document).
    keep_languages: tuple[str, ...] = ()
    #: Characters sampled (from start, middle and end) for the fast path.
    sample_chars: int = 600
    #: A sample detected at or above this probability settles the language.
    confident: float = 0.999
    #: A full detection below this top probability marks the document as mixed.
    mixed_below: float = 0.9
    #: In a mixed document, paragraphs shorter than this inherit nothing (too short to tell).
    min_paragraph_chars: int = 40
    #: English shortcut: share of English function words every sample window needs
    #: (1.0 or more turns the shortcut off).
    english_share: float = 0.12


@dataclass(frozen=True, slots=True)
class Detection:
    language: str
    probability: float
    #: Every candidate langdetect kept, best first (used to spot mixed text).
    candidates: tuple[tuple[str, float], ...]


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    """Load langdetect's 55 profiles once (about a second) into a private, seeded factory."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """The codes a language filter can match: langdetect's profile names ("en", "zh-cn")
    and their bases ("zh"). Read from the folder listing, so no profile is loaded."""
    names = {name.lower() for name in os.listdir(PROFILES_DIRECTORY)}
    return frozenset(names | {name.split("-")[0] for name in names})


def check_languages(codes: tuple[str, ...] | list[str], where: str) -> None:
    """Refuse a code no detection can produce: "english" or "pt-BR" would drop every
    document without a word about why."""
    unknown = [code for code in codes if code.lower() not in known_languages()]
    if unknown:
        listed = ", ".join(repr(code) for code in unknown)
        known = ", ".join(sorted(known_languages()))
        raise ConfigError(f"{where}: unknown language code {listed} (langdetect knows: {known})")


def _case_proof(text: str) -> str:
    """Lower-case text whose cased letters are mostly capitals (langdetect misreads them)."""
    upper = sum(1 for ch in text if ch.isupper())
    lower = sum(1 for ch in text if ch.islower())
    return text.lower() if upper > lower else text


#: Function words common in English prose and rare as words of other languages.
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "that",
        "with",
        "for",
        "are",
        "this",
        "be",
        "have",
        "has",
        "it",
        "which",
        "from",
        "by",
        "were",
        "she",
        "they",
        "his",
        "their",
        "not",
        "but",
        "will",
        "would",
        "said",
        "been",
        "who",
        "there",
        "its",
        "than",
    ]
)
_WORDS = re.compile(r"[^\W\d_]+")
#: Fewest words a window needs before the shortcut trusts its function-word share.
_SHORTCUT_WORDS = 15
#: A short window can fall on a headline, a list or a byline with few function words; if
#: each has at least 1/_WIDEN of the share, the shortcut looks again at windows this many
#: times wider before calling langdetect.
_WIDEN = 3


def english_shortcut(windows: list[str], share: float) -> bool:
    """True when every window is plainly English prose by its function words."""
    for window in windows:
        words = _WORDS.findall(window.lower())
        if len(words) < _SHORTCUT_WORDS:
            return False
        if not window.isascii() and sum(not w.isascii() for w in words) > len(words) // 10:
            return False
        if sum(map(_ENGLISH.__contains__, words)) < share * len(words):
            return False
    return True


class _Detector(Detector):
    """langdetect's detector with its two hot loops tightened: the same arithmetic in the
    same order and the same random draws, so the same probabilities, for about a sixth
    fewer instructions per detection (a language-profile update is 55 float products,
    and Python cannot do those faster without a numeric library).

    The n-gram walk is :class:`NGram`'s, with each character's normalisation (a Unicode
    block search) looked up once per process.
    """

    #: Character -> NGram.normalize(character), filled as characters are met.
    _normal: ClassVar[dict[str, str]] = {}

    def _extract_ngrams(self) -> list[str]:
        known, normal = self.word_lang_prob_map, self._normal
        found: list[str] = []
        grams, capital = " ", False  # NGram's buffer and its capitalword
        for ch in self.text:
            ch = normal.get(ch) or normal.setdefault(ch, NGram.normalize(ch))
            last = grams[-1]
            if last == " ":
                capital = False
                if ch == " ":
                    continue
                grams = " " + ch
            else:
                grams = grams[-2:] + ch
            capital = (capital or last.isupper()) if ch.isupper() else False
            if capital:
                continue
            if ch != " " and ch in known:
                found.append(ch)
            if grams[-2:] in known:
                found.append(grams[-2:])
            if len(grams) == 3 and grams in known:
                found.append(grams)
        return found

    def _detect_block(self) -> None:
        """langdetect's trials (``Detector._detect_block``) with the per-language updates
        as comprehensions and every lookup hoisted out of the loop."""
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        rows = list(map(self.word_lang_prob_map.__getitem__, ngrams))
        rng, trials = self.random, self.n_trial
        rng.seed(self.seed)
        langprob = [0.0] * len(self.langlist)
        for _ in range(trials):
            prob = self._init_probability()
            weight = (self.alpha + rng.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
            for i in count():
                prob = [p * (weight + q) for p, q in zip(prob, rng.choice(rows), strict=True)]
                if i % 5 == 0:  # normalise, and stop once one language is certain
                    total = sum(prob)
                    prob = [p / total for p in prob]
                    if max(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
            langprob = [f + p / trials for f, p in zip(langprob, prob, strict=True)]
        self.langprob = langprob


def detect(text: str) -> Detection | None:
    """Detect the language of ``text`` (None when it has no letters langdetect can use)."""
    detector = _Detector(_factory())
    detector.append(_case_proof(text))
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return None
    if not ranked:
        return None
    candidates = tuple((r.lang, round(r.prob, 6)) for r in ranked)
    return Detection(candidates[0][0], candidates[0][1], candidates)


def sample(text: str, size: int, windows: int = 3) -> str:
    """About ``size`` characters from ``windows`` evenly spaced places, cut at spaces.

    Spreading the sample over the whole text makes a mixed document show up as a less
    certain detection, so one langdetect call both names the language and flags mixing.
    """
    if len(text) <= size:
        return text
    return "\n".join(sample_windows(text, size, windows))


def sample_windows(text: str, size: int, windows: int = 3) -> list[str]:
    """The pieces :func:`sample` joins (the whole text when it is short)."""
    if len(text) <= size:
        return [text]
    width = size // windows
    step = (len(text) - width) / max(windows - 1, 1)
    pieces = []
    for k in range(windows):
        start = round(k * step)
        piece = text[start : start + width]
        if start:
            cut = piece.find(" ")
            piece = piece[cut + 1 :] if 0 <= cut < width // 4 else piece
        cut = piece.rfind(" ")
        pieces.append(piece[:cut] if cut > width * 3 // 4 else piece)
    return pieces


def detect_document(text: str, options: LanguageOptions) -> tuple[Detection | None, bool]:
    """The document's language and whether it looks mixed (then paragraphs need their own).

    One detection on the spread sample settles most documents; an uncertain one is redone
    on the whole text, and the document counts as mixed if that is uncertain too.
    """
    windows = sample_windows(text, options.sample_chars)
    if english_shortcut(windows, options.english_share) or (
        len(text) > options.sample_chars
        and english_shortcut(windows, options.english_share / _WIDEN)
        and english_shortcut(
            sample_windows(text, options.sample_chars * _WIDEN), options.english_share
        )
    ):
        return ENGLISH_SHORTCUT, False
    probe = text if len(windows) == 1 else "\n".join(windows)
    found = detect(probe)
    if probe is text or (found is not None and found.probability >= options.confident):
        return found, found is not None and found.probability < options.mixed_below
    found = detect(text)
    return found, found is not None and found.probability < options.mixed_below


#: The answer of the English shortcut (no langdetect probabilities: it reports 1.0).
ENGLISH_SHORTCUT = Detection("en", 1.0, (("en", 1.0),))


def matches(language: str, keep: tuple[str, ...]) -> bool:
    """Whether ``language`` ("pt-BR", "en") is one of ``keep``, by full code or its base
    ("pt" keeps "pt-BR"): the test --lang filters with, and the artifacts stage's scope."""
    base = language.split("-")[0].lower()
    return any(k.lower() in (language.lower(), base) for k in keep)


class LanguageStage(Stage):
    """Sets ``doc.language`` (and per-paragraph languages in mixed documents); can filter."""

    name = "language"
    Options = LanguageOptions
    options: LanguageOptions

    def __init__(self, options: StageOptions | None = None, **overrides: Any) -> None:
        super().__init__(options, **overrides)
        check_languages(self.options.keep_languages, "[language] keep_languages")

    def apply(self, doc: Document) -> Document:
        text = "\n".join(p.text for p in doc.paragraphs)
        found, mixed = detect_document(text, self.options)
        if found is None:
            doc.language = None
            return doc
        doc.language = found.language
        doc.metadata["language_probability"] = found.probability
        if mixed:
            self._detect_paragraphs(doc)
        keep = self.options.keep_languages
        if keep and not matches(found.language, keep):
            self.editor(doc).drop_document(
                f"language: {found.language} not in {','.join(keep)}", "keep_languages"
            )
        return doc

    def _detect_paragraphs(self, doc: Document) -> None:
        languages: dict[str, int] = {}
        for para in doc.paragraphs:
            if len(para.text) < self.options.min_paragraph_chars:
                continue
            found = detect(para.text)
            if found is not None:
                para.language = found.language
                languages[found.language] = languages.get(found.language, 0) + 1
        doc.metadata["language_mixed"] = dict(sorted(languages.items()))
