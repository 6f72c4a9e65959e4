"""Boilerplate: strip web leftovers from text, and move what is metadata into ``metadata``.

Extractors (and naive page dumps even more) leave comment forms, share rows, "Related"
lists, cookie notices, bylines, dates and photo credits in the text. This stage works line
by line and decides from two kinds of evidence:

* **Phrases, as data.** Each rule family (comments, related, share, newsletter, cookies,
  navigation, ads, affiliate, copyright, credits, byline, comment_count) is a table of
  phrases and patterns per language in ``data/boilerplate/<lang>.toml`` (``common.toml`` for shapes
  that need no language). A phrase only counts in the shape it has as boilerplate: a
  whole short line ("Leave a Reply"), the opening of a short line ("Read more: ..."), or a
  CMS sentence specific enough to be found anywhere in a short line ("Your email address
  will not be published"), or two phrases joined in one clause of an unquoted line (a
  shopping-link disclosure: "through our links" and "earn a commission"). "Leave a
  comment" inside a real sentence is left alone. Only the tables of the document's
  language (guessed from its function words) and English apply: a Dutch "disclaimer"
  line is page chrome, an English "Disclaimer" is a heading.
* **Structure.** Boilerplate clusters at the edges of the text. Every line gets a score
  (sentence-like lines are positive, short non-sentence lines and phrase hits negative);
  the main text is the run of lines with the highest total (a maximum-sum segment, as in
  Body Text Extraction). Outside it, lines that are not sentences go; inside it, only
  phrase hits and the link lists under a "Related" header do. A short line between two
  paragraphs is kept as a subheading. Page dumps need more: far from the main text a
  sparse trail of markers suffices to cut, a long run of short lines far before it is a
  menu, and runs of headline-shaped lines just before it are teasers of other stories.
  An ad break that says the article goes on ("Story continues below"; ``breaks`` in the
  tables) is removed, but it is no evidence for the edge cuts, and a menu cut stops at it:
  the article goes on after it, so it says nothing of where the page chrome ends.
  A few label lines left between two lines of a widget that go (gallery, navigation,
  share) are the rest of the same widget (a gallery's "1" / "of" / "5").
  Last, a small fitted line model (``data/boilerplate/weights.json``) judges the short
  lines the rules kept or only guessed at: it removes those it finds very unlikely to be
  content (threshold fitted for a content recall of 0.99) and puts back lead-in lines.

Dates, datelines, a title, bylines and photo captions are not deleted but moved into
``metadata`` (``date`` in ISO 8601, ``dateline``, ``title``, ``byline``, ``captions``).
A final paragraph cut off mid-sentence is flagged ``truncated`` (and optionally trimmed).
With a :class:`RepeatedLineIndex` filled in a first pass, lines that recur across many
documents of one source are removed too (site boilerplate, as in CCNet).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import operator
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial, wraps
from importlib import resources
from itertools import pairwise
from typing import Any, TypeVar

import regex

from .casing import CaseCounts, load_lexicon
from .document import Document, Editor, Paragraph, case_shape_is
from .stage import ConfigError, Stage, StageOptions

#: Languages shipped in ``data/boilerplate``; ``common`` holds language-independent shapes.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru")
#: Metadata keys that hold a list: a page has several captions or undated dates, and a
#: leaked prefix adds to those a line already gave.
_LIST_KEYS = frozenset({"captions", "contributors", "date_text", "subtitles"})
#: Families whose lines are moved to metadata rather than deleted.
_SALVAGE_FAMILIES = {"credits": "captions", "byline": "byline", "contributors": "contributors"}
#: A headline has at least this share of its longer words (after the first) capitalised.
_TITLE_SHARE = 0.6
#: At most this many lines between a headline cut with the page chrome and the text
#: (bylines, dates and lines a phrase rule matched aside: a share row, a gallery's
#: buttons): further up sit menus and other stories' teasers.
_HEADLINE_REACH = 4
#: Families whose lines come in blocks with unlisted labels between them (a gallery's
#: "Image" / "1" / "of" / "5" / "Close"): only these bound an island of such labels.
_WIDGET_FAMILIES = {"gallery", "navigation", "share"}
#: Families that open a block of more boilerplate (a "Related" list, a comment section).
_SECTION_FAMILIES = {"related", "comments", "newsletter", "share"}

#: Rounds of line decisions at most. A removed line changes what its neighbours look like
#: (their position at the edge, the line below them), so the stage repeats until nothing
#: more goes: cleaning its own output must change nothing. Pages need two or three.
_ROUNDS = 8

#: How long a line may be (in words) for each kind of phrase rule to judge it: a pattern
#: or a phrase at its start or inside it marks a UI line, not a paragraph that mentions it.
_PATTERN_WORDS = 40
_START_WORDS = 25
_CONTAINS_WORDS = 60
#: Newsletter, credit and share openers mark a line up to this long even as a sentence.
_LOOSE_WORDS = 15
#: A phrase inside a sentence marks it only when CMS phrases cover this share of it, or
#: when the line is this short (a sign-up prompt, not a sentence quoting one).
_COVERED = 0.3
_FORM_WORDS = 12

#: An author box: name and role lines above the bio, how short such lines are, and how
#: long a bio may be (a longer closing paragraph is the article's own, about a person).
_BOX_ABOVE = 2
_BOX_SHORT = 6
_BOX_WORDS = 40
#: A way to reach the author in the bio itself: an address, a handle, "follow".
_BOX_CONTACT = regex.compile(r"\S@\S|(?:^|\s)@\w|\bfollow\b", regex.IGNORECASE)
#: An edge this short beyond a boilerplate marker is cut whatever it holds.
_SHORT_TAIL = 12
#: Otherwise at least this share of its lines must be boilerplate markers.
_TAIL_EVIDENCE = 0.08
#: Non-sentence lines right before a closing marker that go with it ("Tags", a byline).
_LEAD_IN = 2
#: Lines this far from the main text, beyond a marker, need much less evidence: page dumps
#: put long menus and teaser lists there, with a "Share" or "©" only here and there.
_FAR = 10
_FAR_EVIDENCE = 0.03
#: The main text bridges at most this many non-sentence lines to reach a further paragraph.
_BRIDGE = 5
#: A credit line this short is bare ("Getty", "Jane Doe/AFP"); the line above it, if no
#: longer than a caption, is the caption.
_BARE_CREDIT = 6
_CAPTION = 45
#: At most this many words in the value under a credit label alone on its line ("Photo:" /
#: "Jane Doe/Agency"): a name and its agency, never a sentence.
_CREDIT_VALUE = 6
#: A run of short lines at least this long, far before the text, is a menu.
_MENU_MIN = 20
#: This many headline-shaped lines in a row before the text are a teaser list.
_TEASER_RUN = 3
#: A section marker inside the main text closes it when the article is long enough before
#: it (body words), markers cluster right after it (this many in a window of lines) and
#: the rest of the segment holds many of them: a comment section or a teaser block that
#: the segment ran into because comments and teasers are sentences too.
_CLOSE_BODY = 200
_CLOSE_CLUSTER = (3, 8)
_CLOSE_MARKERS = 12
#: The language guess reads this many characters at most; the leading language needs this
#: share of the words as its function words, this many in all, and this lead over the
#: runner-up.
_GUESS_CHARS = 6000
_GUESS_SHARE = 0.05
_GUESS_MIN = 8
_GUESS_LEAD = 1.5
#: The title is looked for this many lines above the marker nearest the main text.
_TITLE_REACH = 4
#: Body lines the main text needs before the lines above a marker before it are cut.
_ABOVE_BODY = 2
#: At most this many non-sentence lines left between two widget lines that go are chrome too.
_ISLAND = 4
#: This many bare date lines in calendar order are a schedule or a timeline, not a post's
#: dates (published, updated: one or two days); under a heading that ends in a colon,
#: this many ("Upcoming meetings:"; one date under "Twitter reacted:" is a page's
#: date, left where an embed was cut out).
_SCHEDULE_RUN = 3
_LISTED_RUN = 2
#: A timeline's entry after its date has at most this many words (a short line).
_EVENT_WORDS = 16

_WORD = regex.compile(r"\w+")
#: Every date shape has a digit: lines without one skip the (costly) date search.
_DIGIT = regex.compile(r"\d")
#: A count after a label, "(23)" or "12", taken off before the whole-line lookup. Searched
#: from the end ("(?r)"): searched forwards, it tried every digit of a long number in turn,
#: quadratic in its length. The same matches (fuzzed against the forward pattern).
_COUNT = regex.compile(r"(?r)\s*[(\[]?\d[\d.,]*k?[)\]]?$")
_NUMBER = regex.compile(r"(?<!\w)\d[\d.,:%-]*(?!\w)")
#: How a sentence ends: final punctuation, possibly inside closing quotes or brackets.
_TERMINAL = regex.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$|[\"”’»][.!?]?\s*$")
#: "Headline of another story..." : a cut-off teaser, not a finished sentence.
_TEASER_END = regex.compile(r"(?:\.\.\.|…)\s*$")
_CLOCK_END = regex.compile(r"\d\s*[ap]\.m\.\s*$", regex.IGNORECASE)
#: Punctuation at the start or end of a line. The end's run must follow a word character,
#: so that the search does not try it again at every mark of a long run of punctuation
#: (quadratic: a line of 20,000 "!" took seconds); the start's run takes a line of marks.
_EDGE_PUNCT = regex.compile(r"^[\W_]+|(?<=[^\W_])[\W_]+$")
_LEADING_PUNCT = regex.compile(r"^[\W_]+")
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’»)\]]*(?=\s)")
#: Where one sentence ends and the next starts inside a line: a word (not an initial or
#: "Mr"), final punctuation, a capital. Two sentences in a line make it prose, not a link.
_SENTENCE_BREAK = regex.compile(r"(?<=\w\w\w[.!?][\"'”’)]?)\s+(?=[\"“‘]?\p{Lu})")


# --- rules as data --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that matched a line: its family, language (None for ``common``) and evidence."""

    family: str
    lang: str | None
    #: How it matched, after the table keys: "line", "break" (a ``breaks`` line), "start",
    #: "contains", "pattern" (also a ``together`` pair), "ending" or "label".
    kind: str
    evidence: str

    @property
    def rule(self) -> str:
        return f"{self.family}:{self.lang}" if self.lang else self.family


@dataclass(frozen=True, slots=True)
class PatternRule:
    """A ``patterns`` or ``together`` entry of a family's table, compiled."""

    pattern: regex.Pattern[str]
    family: str
    lang: str | None
    #: A ``together`` rule's two phrases, each alone, its second first (the rarer one in the
    #: shipped tables: the commission). The pair holds only in a line without quotation
    #: marks that has both, and a search for one phrase is far cheaper than for the pair,
    #: which ``regex`` tries at every "on", "in" and "with" of the line: most lines lack
    #: the second phrase and skip the pair (same matches, a fraction of the time).
    parts: tuple[regex.Pattern[str], ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """All phrase tables compiled into a few lookups (one dict, three regexes)."""

    lines: dict[str, tuple[str, str | None]]
    #: Whole lines that say the article goes on after them ("Story continues below",
    #: ``breaks`` in the tables): removed like ``lines``, but they sit inside the article,
    #: so they mark no edge of it (their hits are of kind "break").
    breaks: frozenset[str]
    starts: re.Pattern[str] | None
    starts_owner: dict[str, tuple[str, str | None]]
    contains: re.Pattern[str] | None
    contains_owner: dict[str, tuple[str, str | None]]
    #: Verbs of speech (``speech_verbs``): a line with one reports a ``contains`` phrase.
    speech: re.Pattern[str] | None
    patterns: tuple[PatternRule, ...]
    #: Shapes that are page chrome only at the very end of a text (``ending`` in the
    #: tables): "Jane Doe is a reporter for ...", "About Jane Doe".
    endings: tuple[tuple[regex.Pattern[str], str, str | None], ...] = ()
    #: The roles that end a byline without its "by" ("Staff Writer"; ``roles`` in the
    #: byline tables), as one pattern asked at the end of a line.
    roles: regex.Pattern[str] | None = None
    #: Degrees after a name in such a byline ("Jane Doe, MS, RDN"; ``credentials``).
    credentials: frozenset[str] = frozenset()
    #: First words of a headline about a person, never of a byline ("Meet Jane Doe, ...",
    #: "Remembering Jane Doe, Reporter"; ``openers``).
    openers: frozenset[str] = frozenset()
    #: A credit label alone on its line ("Photo:", "Bild :"; ``labels`` in the credits
    #: tables), its value on the next line: the pattern and each label's owner.
    credit_label: regex.Pattern[str] | None = None
    label_owner: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def label(self, text: str) -> Hit | None:
        """The credit label that is all of this line ("Image\u00a0source:"), or None."""
        found = self.credit_label.match(text) if self.credit_label is not None else None
        if found is None:
            return None
        # A letter whose lowercase is not the table's ("İmage:", "Photoſ:") matches the
        # caseless pattern but names no label.
        owner = self.label_owner.get(" ".join(found.group(1).lower().split()))
        if owner is None:
            return None
        return Hit(*owner, "label", " ".join(found.group(1).split()))

    def ending(self, text: str, caseless: bool = False) -> Hit | None:
        """The first ``ending`` shape found in the line (judged case-blind in a text that
        lost its capitals), or None."""
        for pattern, family, lang in self.endings:
            found = (_case_blind(pattern) if caseless else pattern).search(text)
            if found:
                return Hit(family, lang, "ending", found.group(0).strip())
        return None

    def match(self, text: str, words: int, terminal: bool) -> Hit | None:
        """The first rule that says this line is boilerplate, or None."""
        key = normalize(text)
        if not key:
            return None
        entry = key
        owner = self.lines.get(entry)
        if owner is None and words <= 6:  # "View all (23)", "Comments 12": a label and a count
            entry = _COUNT.sub("", key)
            owner = self.lines.get(entry)
        if owner is not None:
            return Hit(owner[0], owner[1], "break" if entry in self.breaks else "line", key)
        quoted = None
        for rule in self.patterns if words <= _PATTERN_WORDS else ():
            if rule.parts:
                if quoted is None:
                    quoted = _QUOTED.search(text) is not None
                if quoted or not all(part.search(text) for part in rule.parts):
                    continue
            found = rule.pattern.search(text)
            if found:
                return Hit(
                    rule.family,
                    rule.lang,
                    "pattern",
                    found.group(0).strip() or rule.pattern.pattern,
                )
        if self.starts is not None and words <= _START_WORDS:
            found = self.starts.match(key)
            if found:
                phrase = found.group(0)
                family, lang = self.starts_owner[phrase]
                loose = family in ("newsletter", "credits", "share") and words <= _LOOSE_WORDS
                if phrase.endswith((":", "(")) or not terminal or loose:
                    return Hit(family, lang, "start", phrase.strip())
        if self.contains is not None and words <= _CONTAINS_WORDS:
            found = list(self.contains.finditer(key))
            if found:
                phrase = found[0].group(0)
                family, lang = self.contains_owner[phrase]
                # A CMS phrase covering little of a real sentence is a quotation, not a form;
                # several of them together ("no spam ... unsubscribe at any time") are one.
                # A line that quotes someone reports the phrase ('"No spam," she said'), and
                # so does one with a verb of speech ("..., the bank's press office said").
                covered = sum(len(m.group(0)) for m in found)
                if (
                    _QUOTED.search(text) is None
                    and (self.speech is None or self.speech.search(key) is None)
                    and (not terminal or covered >= _COVERED * len(key) or words <= _FORM_WORDS)
                ):
                    return Hit(family, lang, "contains", phrase)
        return None


#: Lines ``normalize`` remembers: room for every distinct line of a long page dump (a few
#: hundred lines, a thousand at most in the page dumps we have seen) several times over, so
#: the rounds after the first find all of theirs. Only lines up to _CACHED_LINE characters
#: are kept, so the memory stays a few megabytes (4,096 one-line documents of 90 KB held
#: 390 MB); a longer line is a paragraph of prose, cheap to redo next to its length.
_NORMALIZE_CACHE = 4096
_CACHED_LINE = 1000

_Result = TypeVar("_Result")


def _cached_per_line(function: Callable[[str], _Result]) -> Callable[[str], _Result]:
    """``function`` with a bounded cache for lines of up to ``_CACHED_LINE`` characters."""
    cached = lru_cache(maxsize=_NORMALIZE_CACHE)(function)

    @wraps(function)
    def call(text: str) -> _Result:
        return cached(text) if len(text) <= _CACHED_LINE else function(text)

    return call


@_cached_per_line
def normalize(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces, no punctuation at the edges.

    Cached: every round of decisions looks at the same lines again."""
    text = " ".join(text.lower().replace("’", "'").split())
    return _EDGE_PUNCT.sub("", text)


def _phrase_regex(phrases: Iterable[str], anchored: bool) -> re.Pattern[str] | None:
    """One alternation for many phrases, longest first, each ending on a word boundary.

    Plain literals, so the stdlib ``re`` does: it searches such alternations about three
    times faster than ``regex``.
    """
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        escaped = re.escape(phrase)
        parts.append(escaped + (r"(?!\w)" if phrase[-1:].isalnum() else ""))
    if not parts:
        return None
    body = "|".join(parts)
    return re.compile(("^(?:" if anchored else "(?<!\\w)(?:") + body + ")")


def _data_file(name: str) -> dict[str, Any]:
    path = resources.files("textwash") / "data" / "boilerplate" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


#: Quotation marks: a line holding one reports what someone said, not what the page says.
_QUOTES = '"“”«»„'
_QUOTED = re.compile(f"[{_QUOTES}]")
#: At most this many characters, none of them a sentence or clause end, between the two
#: phrases of a ``together`` rule.
_TOGETHER_GAP = 60


def _together(first: str, second: str) -> str:
    """A pattern for two phrases in one clause, in either order (the rule holds only in a
    line with no quotation and both phrases: :class:`PatternRule` ``parts``).

    What makes a disclosure ("if you buy through our links, we may earn a commission") is
    the two phrases joined in one clause; either word alone, or both in different clauses
    or in a quotation, is news ("our links with the Commission", "'we take a commission,'
    the chief executive said"). The quotation is checked apart, with a plain character
    search: as a lookahead in the pattern (``^(?!.*["“]).*?\\K...``) it made ``regex``
    step through the line with the pair, twice as slow as a search for the pair.
    """
    gap = f"[^.;:!?]{{0,{_TOGETHER_GAP}}}?"
    return f"(?:{first}){gap}(?:{second})|(?:{second}){gap}(?:{first})"


@lru_cache(maxsize=16)
def compile_rules(
    languages: tuple[str, ...] = LANGUAGES,
    disabled: tuple[str, ...] = (),
    extra_phrases: tuple[str, ...] = (),
    extra_patterns: tuple[str, ...] = (),
) -> RuleSet:
    """Load and compile the phrase tables once per option set (module-level cache)."""
    lines: dict[str, tuple[str, str | None]] = {}
    breaks: set[str] = set()
    starts: dict[str, tuple[str, str | None]] = {}
    contains: dict[str, tuple[str, str | None]] = {}
    patterns: list[PatternRule] = []
    endings: list[tuple[regex.Pattern[str], str, str | None]] = []
    roles: set[str] = set()
    credentials: set[str] = set()
    openers: set[str] = set()
    labels: dict[str, tuple[str, str | None]] = {}
    speech: set[str] = set()
    sources: list[tuple[str | None, dict[str, Any]]] = [(None, _data_file("common"))]
    for lang in languages:
        if lang not in LANGUAGES:
            raise ConfigError(f"[boilerplate] languages: no phrase tables for {lang!r}")
        sources.append((lang, _data_file(lang)))
    for lang, tables in sources:
        speech.update(verb.lower() for verb in tables.get("speech_verbs", ()))
        for family, table in tables.items():
            # (a top-level list such as ``speech_verbs`` is no rule family)
            if family in disabled or not isinstance(table, dict):
                continue
            owner = (family, lang)
            for phrase in table.get("lines", ()):
                lines.setdefault(normalize(phrase), owner)
            for phrase in table.get("breaks", ()):
                lines.setdefault(normalize(phrase), owner)
                breaks.add(normalize(phrase))
            for phrase in table.get("starts", ()):
                starts.setdefault(phrase.lower(), owner)
            for phrase in table.get("contains", ()):
                contains.setdefault(phrase.lower(), owner)
            for pattern in table.get("patterns", ()):
                patterns.append(PatternRule(regex.compile(pattern, regex.IGNORECASE), family, lang))
            roles.update(role.lower() for role in table.get("roles", ()))
            credentials.update(word.lower() for word in table.get("credentials", ()))
            openers.update(word.lower() for word in table.get("openers", ()))
            for label in table.get("labels", ()):
                labels.setdefault(" ".join(label.lower().split()), owner)
            for pattern in table.get("ending", ()):
                endings.append((regex.compile(pattern, regex.IGNORECASE), family, lang))
            for first, second in table.get("together", ()):
                parts = tuple(regex.compile(p, regex.IGNORECASE) for p in (second, first))
                pair = regex.compile(_together(first, second), regex.IGNORECASE)
                patterns.append(PatternRule(pair, family, lang, parts))
    for phrase in extra_phrases:
        lines[normalize(phrase)] = ("user", None)
        breaks.discard(normalize(phrase))  # the user's own rule says only "remove it"
    for pattern in extra_patterns:
        try:
            patterns.insert(0, PatternRule(regex.compile(pattern, regex.IGNORECASE), "user", None))
        except regex.error as exc:
            raise ConfigError(f"[boilerplate] extra_patterns: {pattern!r}: {exc}") from exc
    return RuleSet(
        lines=lines,
        breaks=frozenset(breaks),
        starts=_phrase_regex(starts, anchored=True),
        starts_owner=starts,
        contains=_phrase_regex(contains, anchored=False),
        contains_owner=contains,
        speech=_phrase_regex(speech, anchored=False),
        patterns=tuple(patterns),
        endings=tuple(endings),
        roles=_role_regex(roles),
        credentials=frozenset(credentials),
        openers=frozenset(openers),
        credit_label=regex.compile(
            rf"^\W*({_alternatives(list(labels), spaced=True)})\s*:\s*$", regex.IGNORECASE
        )
        if labels
        else None,
        label_owner=labels,
    )


def _role_regex(roles: Iterable[str]) -> regex.Pattern[str] | None:
    """One pattern for a role ending a line ("... Staff Writer"), longest roles first."""
    if not roles:
        return None
    return regex.compile(rf"(?:^|\s)(?:{_alternatives(list(roles))})s?\s*$", regex.IGNORECASE)


# --- dates, datelines, bylines ----------------------------------------------------------


@dataclass(frozen=True)
class DateRules:
    """Month names and date-line vocabulary, compiled from ``dates.toml``."""

    months: dict[str, int]
    #: The one-word stamp labels and day words (what may stand around a date line's date).
    labels: frozenset[str]
    date: regex.Pattern[str]
    prefix: regex.Pattern[str]
    not_places: frozenset[str]
    head: regex.Pattern[str]
    #: A blog archive widget entry: "March (12)", "Mai 2019 (3)".
    archive: regex.Pattern[str]
    #: :attr:`prefix` for a text without capitals: the next word cannot show its capital,
    #: so a separator must end the date ("march 22, 2024 - the ..."); a comma may not,
    #: since "march 22, 2024, the ..." opens a sentence.
    prefix_caseless: regex.Pattern[str]
    #: A post-meta row's author piece ("by admin"; group 1 = what stands before it), its
    #: comment count ("0 Comments") and category ("in Local News"), and the labels that
    #: let an author piece count ("Posted").
    meta_author: regex.Pattern[str]
    meta_count: regex.Pattern[str]
    meta_category: regex.Pattern[str]
    meta_labels: frozenset[str]
    #: The one-word day words (what may stand around a schedule's date).
    day_words: frozenset[str]
    #: The stamp labels and the day words of more than one word ("mis à jour le", "a
    #: las"), taken out of a text as a whole before its words are looked up one by one:
    #: "mis" or "las" alone is no date word. Only a schedule's dates read the day words'
    #: phrases (:meth:`bare`); a date line's are the stamp labels'.
    label_phrases: regex.Pattern[str]
    day_phrases: regex.Pattern[str]
    #: A label at the end of a text ("Jane Doe | Mis à jour le"), the longest there is.
    trailing_label: regex.Pattern[str]

    def day(self, found: regex.Match[str]) -> tuple[int, int, int]:
        """The day a match of :attr:`date` names, as (year, month, day); 0 for a part it
        lacks or does not know ("5 juin", "June 5" and "5. Juni" are one day)."""
        year, month, day = found.group("y"), found.group("m"), found.group("d")
        number = int(month) if month.isdigit() else self.months.get(month.lower().rstrip("."))
        return int(year or 0), number or 0, int(day)

    def iso(self, found: regex.Match[str]) -> str | None:
        """ISO 8601 date of a match of :attr:`date`, or None (no year, no such day)."""
        year, month, day = self.day(found)
        if not year or not month:
            return None
        try:  # "February 30, 2031" is no date: no metadata.date (date_text keeps the line)
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            return None

    def date_line(self, text: str, post_meta: bool = False) -> regex.Match[str] | None:
        """The date in a line that holds nothing else (labels, weekdays, times aside), or
        with ``post_meta`` also the date of a blog's post-meta row (:meth:`_post_meta`)."""
        found = self.date.search(text) if _DIGIT.search(text) else None
        if found is None:
            return None
        if self.only_date_words(_around(text, found)) or (
            post_meta and self._post_meta(text, found)
        ):
            return found
        return None

    def _post_meta(self, text: str, found: regex.Match[str]) -> bool:
        """Whether ``text``, around its date ``found``, is a blog's post-meta row, which
        names the post's comment count, or after a publishing label its author ("May 2,
        2031 / 0 Comments / in Local News / by editor", "Posted on May 2, 2031 by admin").
        Every piece between separators must be date words or such a piece, so a sentence
        never is one. Without a count or a label, "May 2, 2031 · by train" or "5 juin
        2031, par décret" is a timeline entry or a programme line, and a category or a
        name beside a date may be a dateline or a heading: all stay."""
        before = text[: found.start()]
        labelled = not self.meta_labels.isdisjoint(_LETTER_WORD.findall(before.lower()))
        counted = authored = False
        for piece in _META_SEPARATOR.split(f"{before} | {text[found.end() :]}"):
            piece = piece.strip(" ,;:-–—")
            if not piece or self.only_date_words(piece):
                continue
            if self.meta_count.match(piece):
                counted = True
                continue
            author = self.meta_author.match(piece)
            if author and (self.only_date_words(author[1]) or self._category(author[1])):
                authored = True  # "by admin", "Posted on", "in News by admin"
            elif not self._category(piece):
                return False
        return counted or (authored and labelled)

    def _category(self, piece: str) -> bool:
        """Whether ``piece`` names a post's category ("in Local News")."""
        return bool(self.meta_category.match(piece.strip()))

    def bare(self, text: str, found: regex.Match[str]) -> bool:
        """Whether the date line ``text`` (its date ``found``) names only a day and a time,
        as a schedule's item does, and no label of a post's own time stamp."""
        words = _LETTER_WORD.findall(self.day_phrases.sub(" ", _around(text, found).lower()))
        return all(word in self.day_words for word in words)

    def only_date_words(self, text: str) -> bool:
        """Whether every word of ``text`` is a date label or a month ("Updated Monday at",
        "a.m."): what may stand around a date, and nothing of a sentence."""
        # a day word's phrase ("a las") is left as words: "las" is no date word, so an
        # event line "Sábado 7 de junio de 2031 a las 21:00" stays content, as on main
        words = _LETTER_WORD.findall(self.label_phrases.sub(" ", text.lower()))
        return all(word in self.labels or word in self.months for word in words)


@lru_cache(maxsize=1)
def date_rules() -> DateRules:
    data = _data_file("dates")
    months: dict[str, int] = {}
    for names in data["months"].values():
        for number, alternatives in enumerate(names, start=1):
            for name in alternatives.split("|"):
                months.setdefault(name, number)
    month = _alternatives(list(months))
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
    named_month = rf"(?P<m>(?:{month}))\.?"
    date = regex.compile(
        rf"""(?<![\w-])(?|
            (?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)
          | (?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)
          | {day}\s+(?:de\s+)?{named_month},?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)?
          | {named_month}\s+{day},?\s+(?P<y>(?:19|20)\d\d)?
          | {named_month}\s+{day}(?P<y>)
          | {day}\s+(?:de\s+)?{named_month}(?P<y>)
        )(?![\w-])""",
        regex.IGNORECASE | regex.VERBOSE,
    )
    prefix = regex.compile(
        rf"^\s*(?:(?:date|datum|fecha|data|published|posted|updated)\s*:?\s*)?"
        # (?-i:...): under IGNORECASE ``\p{{Lu}}`` matches any letter, and "March 3, 2024
        # was the day ..." would lose its date: only a capital opens the text after it.
        rf"(?P<date>{date.pattern})\s*[-–—|:,]?\s+(?=(?-i:[\p{{Lu}}\"“‘«]))",
        regex.IGNORECASE | regex.VERBOSE,
    )
    prefix_caseless = regex.compile(
        rf"^\s*(?:(?:date|datum|fecha|data|published|posted|updated)\s*:?\s*)?"
        rf"(?P<date>{date.pattern})\s*[-–—|:]\s+(?=[\p{{L}}\"“‘«])",
        regex.IGNORECASE | regex.VERBOSE,
    )
    comments = _alternatives(data["post_meta_comments"])
    labels = data["stamp_labels"] + data["day_words"]
    # The word sets are looked up one word at a time, so an entry of several words
    # ("mis à jour le", "a las") is left to the phrase patterns below, the only ones it fits.
    stamp_words, stamp_phrases = _words_and_phrases(data["stamp_labels"])
    day_words, day_phrases = _words_and_phrases(data["day_words"])
    return DateRules(
        months=months,
        labels=stamp_words | day_words,
        date=date,
        prefix=prefix,
        not_places=frozenset(data["not_places"]),
        head=regex.compile("|".join(f"(?:{p})" for p in data["head_patterns"]), regex.IGNORECASE),
        archive=regex.compile(
            rf"^\s*(?:{month})\.?(?:\s+(?:19|20)\d\d)?\s*\(\d+\)\s*$", regex.IGNORECASE
        ),
        prefix_caseless=prefix_caseless,
        meta_author=regex.compile(
            rf"^(.*?)\b(?:{_alternatives(data['post_meta_author'])})\s+"
            r"[\p{L}\d][\p{L}\d'’._-]*"
            rf"(?:\s+(?:(?-i:\p{{Lu}})[\p{{L}}'’.-]*|{_NAME_PARTICLES})){{0,3}}$",
            regex.IGNORECASE,
        ),
        meta_count=regex.compile(
            rf"^(?:(?:\d+|{_alternatives(data['post_meta_none'])})\s+(?:{comments})"
            rf"|(?:{comments})\s*[(\[]\d+[)\]])$",
            regex.IGNORECASE,
        ),
        meta_category=regex.compile(
            rf"^(?:{_alternatives(data['post_meta_category'])})\s+\S+(?:\s+\S+){{0,3}}$",
            regex.IGNORECASE,
        ),
        meta_labels=frozenset(data["post_meta_labels"]),
        day_words=day_words,
        label_phrases=_phrases(stamp_phrases),
        day_phrases=_phrases(day_phrases),
        trailing_label=regex.compile(
            rf"(?<![\w'’-])(?:{_alternatives(labels, spaced=True)})\s*$", regex.IGNORECASE
        ),
    )


def _words_and_phrases(entries: list[str]) -> tuple[frozenset[str], list[str]]:
    """A date vocabulary split into its single words and its phrases of several."""
    return frozenset(e for e in entries if " " not in e), [e for e in entries if " " in e]


def _around(text: str, found: regex.Match[str]) -> str:
    """``text`` without the match ``found`` (a space where it was)."""
    return text[: found.start()] + " " + text[found.end() :]


def _alternatives(words: list[str], spaced: bool = False) -> str:
    """A regex alternation of ``words``, longest first (escaped); ``spaced``: any run of
    white space between the words of a phrase."""
    ordered = sorted(words, key=len, reverse=True)
    if spaced:
        return "|".join(r"\s+".join(map(regex.escape, word.split())) for word in ordered)
    return "|".join(map(regex.escape, ordered))


def _phrases(phrases: list[str]) -> regex.Pattern[str]:
    """The whole-word phrases ``phrases`` (lower case) anywhere in a lowercased text."""
    return regex.compile(rf"(?<![\w'’-])(?:{_alternatives(phrases, spaced=True)})(?![\w'’-])")


#: Lowercase words inside a place name ("Rio de Janeiro") and a person's name ("van der").
_PLACE_PARTICLES = "de|da|del|am|an|sur|upon"
_NAME_PARTICLES = "and|und|et|y|e|en|&|de|da|do|dos|van|von|der|den|la|le|di|del|du|ter|bin|al|el"
_PARTICLES = frozenset(f"{_PLACE_PARTICLES}|{_NAME_PARTICLES}".split("|"))
#: "WASHINGTON (Reuters) -", "Tel Aviv:", "BERLIN, 5. März (dpa) -", "PARIS —"
_DATELINE = regex.compile(
    rf"""^(?P<place>\p{{Lu}}[\p{{L}}.'’-]*(?:[ -](?:\p{{Lu}}[\p{{L}}.'’-]*|{_PLACE_PARTICLES}))
        {{0,3}})
        (?P<when>,\s*[\p{{L}}\d .]{{2,20}}?)?
        \s*(?P<agency>\([^()]{{2,30}}\))?
        \s*(?P<sep>:|—|–|--?)\s+(?=[\p{{Lu}}"“‘«])""",
    regex.VERBOSE,
)
#: A word of letters, with inner apostrophes and hyphens ("aujourd'hui", "segunda-feira").
_LETTER_WORD = regex.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: What separates the pieces of a post-meta row (``DateRules._post_meta``).
_META_SEPARATOR = regex.compile(r"\s*[/|•·]\s*")
#: The name after a byline word: capitalised words, initials, particles, then maybe ", Outlet".
_NAME = regex.compile(
    rf"""^\p{{Lu}}[\p{{L}}'’.-]*(?:\s+(?:\p{{Lu}}[\p{{L}}'’.-]*|{_NAME_PARTICLES}))*
        \s*(?:(?:,|\||/|–|—|-|\bfor\b|\bin\b)\s*.*)?$""",
    regex.VERBOSE,
)
#: Where the name in a byline ends and the outlet or role begins.
_NAME_END = regex.compile(r"[,|/–—]|\s-\s|\b(?:for|in)\b")


@lru_cache(maxsize=64)
def _case_blind(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """The shape for a text that lost its capitals: where it asks for a capital, any
    letter will do (a capital the casing stage may restore)."""
    blind = pattern.pattern.replace(r"(?-i:\p{Lu})", r"\p{L}").replace(r"\p{Lu}", r"\p{L}")
    return regex.compile(blind, pattern.flags)


_DATELINE_CASELESS = _case_blind(_DATELINE)
_NAME_CASELESS = _case_blind(_NAME)


def _may_be_name(words: list[str], loose_first: bool = False) -> bool:
    """Whether these lowercase words could be a name once their capitals are restored: no
    function word (the casing stage leaves those lowercase) but the particles of a name;
    the first word is free when ``loose_first`` ("los angeles (ap) -")."""
    function_words = stopwords()
    return all(
        word.lower() in _PARTICLES or word.lower().strip(".'’") not in function_words
        for word in words[1 if loose_first else 0 :]
    )


def _person(text: str, caseless: bool) -> bool:
    """A person's name, maybe followed by an outlet or role ("Jane Doe, Reuters")."""
    if not caseless:
        return bool(_NAME.match(text))
    name = _NAME_END.split(text, maxsplit=1)[0].split()
    return bool(name and _NAME_CASELESS.match(text) and _may_be_name(name))


#: A byline names at most this many words; between the name and its date stand only
#: separators (_BYLINE_GLUE) and date labels ("on", "updated").
_BYLINE_WORDS = 10
_BYLINE_GLUE = regex.compile(r"(?:\s|[|•·/,;:–—-])+$")
#: Where the name of a byline ends: "By Jane Doe | Today at 10:32 a.m.".
_BYLINE_SEPARATOR = regex.compile(r"\s*[|•·,–—]\s*")
#: What separates the pieces of a byline before its date ("Jane Doe | Updated | ").
_NAME_PIECE = regex.compile(r"[|•·/,;–—]|\s-\s")
#: A time zone or similar short capitals after a date ("2:26 PM HST").
_ZONE = regex.compile(r"\b\p{Lu}{2,4}\b")


def _is_byline(text: str, hit: Hit, caseless: bool = False) -> str | None:
    """The name part if ``text`` is "By Jane Doe, Outlet"-shaped, else None."""
    # "| By: Jane Doe": the rule matched the line without its leading separators
    text = _LEADING_PUNCT.sub("", text)
    name = text[len(hit.evidence) :].strip(" :") if hit.kind == "start" else ""
    return name if name and len(name.split()) <= _BYLINE_WORDS and _person(name, caseless) else None


#: A byline's name has at most this many words (before its role, or each of two names).
_ROLE_NAME_WORDS = 4
#: ... and the role, with the outlet before it ("AP Sports Writer"), at most this many.
_ROLE_WORDS = 5


def _byline_without_by(text: str, caseless: bool, rules: RuleSet) -> bool:
    """A byline that lost its "By": a name and then its role or degrees ("Jane Doe -
    Staff Writer", "Jane Doe, Harbour Gazette Sports Writer", "Jane Doe, MS, RDN"), or
    an outlet's staff ("Harbour Gazette Editorial Staff", a role of two words with no
    separator). Two names alone ("Jane Doe and Tom Poe") are none: as often a headline,
    a dek, two clubs or two firms.

    A headline that names a person says what happened ("Jane Doe Wins Poetry Prize"):
    a verb ends it, not a role; a one-word role needs its separator, or "Library Hires
    New Editor" would be a byline; and a headline that opens with a verb or a function
    word ("Meet Jane Doe, Reporter", "Our Staff Writers"; ``openers``) is none. Where
    the line stands is for the caller to judge (:meth:`BoilerplateStage._byline_place`).
    """
    text = text.strip()
    words = text.split()
    if not 2 <= len(words) <= _BYLINE_WORDS or _opener(words[0], rules):
        return False
    name, *rest = _NAME_PIECE.split(text, maxsplit=1)
    if rest:
        return _name_and_role(name.strip(), rest[0].strip(), caseless, rules)
    return _outlet_staff(text, caseless, rules)


def _name_and_role(name: str, role: str, caseless: bool, rules: RuleSet) -> bool:
    """A person's name, then a role of the ``roles`` tables ("Jane Doe - Staff Writer")
    or only degrees of the ``credentials`` one ("Jane Doe, MS, RDN"). A two-letter degree
    counts only beside a longer one ("Jane Doe, MD, PhD"): alone it is as likely a state
    ("Silver Spring, MD", "Salvador, BA")."""
    if not (2 <= len(name.split()) <= _ROLE_NAME_WORDS and _person(name, caseless)):
        return False
    roles = rules.roles
    if roles is not None and len(role.split()) <= _ROLE_WORDS and roles.search(role):
        return True
    degrees = [part.strip().rstrip(".").lower() for part in role.split(",")]
    return all(part in rules.credentials for part in degrees) and any(
        len(part) > 2 for part in degrees
    )


def _outlet_staff(text: str, caseless: bool, rules: RuleSet) -> bool:
    """A name, then a role of two words or more with no separator ("Harbour Gazette
    Editorial Staff"; a one-word role needs one: "Library Hires New Editor")."""
    found = rules.roles.search(text) if rules.roles is not None else None
    if found is None or " " not in found.group(0).strip():
        return False
    head = text[: found.start()].strip()
    return 1 <= len(head.split()) <= _ROLE_NAME_WORDS and _person(head, caseless)


def _opener(word: str, rules: RuleSet) -> bool:
    """Whether a line that starts with ``word`` is a headline, not a byline: a verb or
    label of the ``openers`` tables, or a function word ("Our", "The")."""
    key = word.lower().strip(".,:;'’\"“”")
    return key in rules.openers or (key not in _PARTICLES and key in stopwords())


def _dateline(text: str, rules: DateRules, caseless: bool = False) -> str | None:
    """The dateline prefix of a lead paragraph ("Tel Aviv:"), or None."""
    found = (_DATELINE_CASELESS if caseless else _DATELINE).match(text)
    if found is None:
        return None
    place = found.group("place")
    if normalize(place) in rules.not_places or len(text) - found.end() < 40:
        return None
    backed = bool(found.group("agency") or found.group("when"))
    if caseless and not _may_be_name(place.split(), loose_first=backed):
        return None
    letters = [c for c in place if c.isalpha()]
    shouting = len(letters) >= 3 and all(c.isupper() for c in letters)
    if shouting or found.group("agency") or found.group("sep") == ":" or found.group("when"):
        return text[: found.end()]
    return None


# --- the line model -------------------------------------------------------------------


#: What the phrase tables and the date rules say of one line's text: its hit, its date,
#: and for a byline that runs into its date the part before the date and the name in it.
_Verdict = tuple[Hit | None, "regex.Match[str] | None", tuple[str, str] | None]


@dataclass(slots=True)
class Line:
    """One line of a paragraph, with what the stage found out about it."""

    para: Paragraph
    text: str
    words: int
    terminal: bool
    hit: Hit | None = None
    date: regex.Match[str] | None = None
    #: A byline running into its date: the part before the date, and the name in it.
    dated: tuple[str, str] | None = None
    repeated: int = 0
    #: The document lost its capitals (all lowercase): shapes that ask for capitals
    #: judge it case-blind, as a second run would judge it once casing restored them.
    caseless: bool = False
    #: A line of a schedule or timeline (its dates, entries and heading): content, not a
    #: marker, and part of the main text as a short sentence is.
    schedule: bool = False
    #: what to do: None = keep; else (action, rule, evidence, metadata key, value)
    decision: tuple[str, str, str, str, Any] | None = None

    @property
    def body(self) -> bool:
        """Reads as running text: a sentence of some length, not a matched rule."""
        return (
            self.hit is None
            and self.date is None
            and ((self.terminal and self.words >= 8) or self.words >= 25)
        )

    @property
    def title_like(self) -> bool:
        return 2 <= self.words <= 25 and not self.terminal and self.hit is None

    def score(self) -> float:
        """Contribution to the main-text segment: sentences add, non-sentences subtract."""
        if self.hit is not None or self.date is not None or self.repeated:
            return -8.0 if self.hit is None or self.hit.family not in _SALVAGE_FAMILIES else -4.0
        if self.body:
            return float(min(self.words, 80))
        if self.terminal and self.words >= 3:
            return 1.0
        return -6.0 if self.words <= 2 else -4.0


def _lines(doc: Document) -> list[Line]:
    out = []
    caseless = _caseless(doc)
    for para in doc.paragraphs:
        for text in para.text.split("\n"):
            if text.strip():
                out.append(Line(para, text, *_words_terminal(text), caseless=caseless))
    return out


@_cached_per_line
def _words_terminal(text: str) -> tuple[int, bool]:
    """How many words the line has, and whether it ends like a sentence.

    Cached like :func:`normalize`: the rounds after the first see the same lines again."""
    terminal = bool(_TERMINAL.search(text)) and not _TEASER_END.search(text)
    return len(_WORD.findall(text)), terminal


def _caseless(doc: Document) -> bool:
    """Whether the document is lowercase throughout, so its capitals are lost, not absent.

    Whole-text damage, judged exactly as the casing stage judges it: it comes back with
    capitals, and a second run must find nothing the first one missed for want of them.
    A lone lowercase paragraph in a cased page is left to the usual shapes (precision
    first: a quote or a comment is no damage to undo). Only the lowercase half is asked,
    paragraph by paragraph: a cased page answers after its first few paragraphs.
    """
    return case_shape_is([para.text for para in doc.paragraphs], upper=False)


def _main_segment(lines: list[Line]) -> tuple[int, int]:
    """Indices [start, end) of the highest-scoring run of lines (Kadane, longest on ties)."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if total <= 0 and line.score() > 0:
            total, start = 0.0, i
        total += line.score()
        longer = i + 1 - start > best_span[1] - best_span[0]
        if total > best or (total == best and total > 0 and longer):
            best, best_span = total, (start, i + 1)
        if total < 0:
            total = 0.0
    return _bridge(lines, *best_span)


def _bridge(lines: list[Line], start: int, end: int) -> tuple[int, int]:
    """Grow the segment over a short gap of non-sentences up to the next body line.

    A short list or a subheading between two paragraphs belongs to the text, even when
    its lines cost more than the paragraph beyond them brings in. Markers stop the bridge.
    """

    def reach(i: int, step: int) -> int | None:
        gap, j = 0, i + step
        while gap <= _BRIDGE and 0 <= j < len(lines):
            if lines[j].hit is not None or lines[j].date is not None:
                return None
            if lines[j].body:
                return j
            gap += not lines[j].schedule
            j += step
        return None

    if start == end:
        return start, end
    while (j := reach(end - 1, 1)) is not None:
        end = j + 1
    while (j := reach(start, -1)) is not None:
        start = j
    return start, end


# --- the line model -------------------------------------------------------------------

#: Generic, language-independent features of a line and its neighbours, in vector order.
#: No line text, site or id goes in: the weights are fitted on a small dev set.
FEATURES = (
    "words_log",
    "chars_log",
    "mean_word_len",
    "terminal",
    "body",
    "ellipsis_end",
    "colon_end",
    "capitalised",
    "upper",
    "digits",
    "stopwords",
    "quote_start",
    "symbol_start",
    "dated",
    "inside",
    "before",
    "after",
    "distance_log",
    "position",
    "lead_in",
    "short_run_log",
    "between_body",
    "teaser_shape",
    "teaser_neighbour",
    "prev_body",
    "next_body",
    "prev_words_log",
    "next_words_log",
    "prev_hit",
    "next_hit",
    "prev_terminal",
    "next_terminal",
    "same_as_title",
    "earlier_copies_log",
    "relative_length",
    "glued",
    "teaser_run_log",
    "next_credit",
    "next_short",
    "no_letters",
)
#: The rules' one soft cut: non-sentence lines just before a closing marker.
_LEAD_IN_CUT = "just before a closing marker"
_CAPITALISED = regex.compile(r"[\p{L}][\p{L}'’-]{3,}")
_LETTER = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")
#: A word with a figure in it. It starts at a word's start ("\b"): from every letter of a
#: long word without a figure the search would fail again, quadratic in its length.
_DIGIT_TOKEN = regex.compile(r"\b\w*\d\w*")
#: Two words glued where a page put them in separate elements: "photoCredit", "captionThe".
_GLUED = regex.compile(r"\p{Ll}{3}\p{Lu}\p{Ll}")


@dataclass(frozen=True)
class LineModel:
    """A logistic model of "this line is article content", fitted offline.

    ``weights`` are per raw feature value (standardisation folded in), so evaluating a
    line is one dot product in plain Python. Lines scoring below ``threshold`` go; a
    lead-in line the rules cut comes back when it scores at least ``restore``.
    """

    weights: tuple[float, ...]
    bias: float
    threshold: float
    restore: float = 0.5

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> LineModel:
        named = data["weights"]
        unknown = set(named) - set(FEATURES)
        if unknown:
            raise ConfigError(f"[boilerplate] line model: unknown features {sorted(unknown)}")
        return cls(
            weights=tuple(float(named.get(name, 0.0)) for name in FEATURES),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            restore=float(data.get("restore", 0.5)),
        )

    def probability(self, features: list[float]) -> float:
        if len(features) != len(self.weights):
            raise ValueError(f"{len(features)} features for {len(self.weights)} weights")
        # the same products summed in the same order as a generator would, counted in C
        z = self.bias + sum(map(operator.mul, self.weights, features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def line_model() -> LineModel:
    """The shipped weights (``data/boilerplate/weights.json``, by fit_boilerplate_weights.py)."""
    path = resources.files("textwash") / "data" / "boilerplate" / "weights.json"
    return LineModel.from_mapping(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def stopword_sets() -> dict[str, frozenset[str]]:
    """Function words per shipped language (``data/boilerplate/stopwords.toml``)."""
    return {lang: frozenset(words.split()) for lang, words in _data_file("stopwords").items()}


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of all shipped languages."""
    return frozenset().union(*stopword_sets().values())


def guess_language(text: str) -> str | None:
    """The shipped language whose function words cover most of the text, or None.

    A cheap profile, enough to pick phrase tables: running text is about a third function
    words, and the lists overlap little beyond a few words ("de", "in"). None when no
    language clearly leads (too little text, or a language without tables).
    """
    # split, not a word regex: function words stand between spaces, and this runs on
    # every document
    tokens = text[:_GUESS_CHARS].lower().split()
    total = len(tokens)
    # each distinct token looked up once per language, not each occurrence
    seen = Counter(tokens)
    counts = Counter(
        {
            lang: sum(map(seen.__getitem__, seen.keys() & words))
            for lang, words in stopword_sets().items()
        }
    )
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _GUESS_SHARE * total or ranked[0][1] < _GUESS_MIN:
        return None
    if len(ranked) > 1 and ranked[0][1] < _GUESS_LEAD * ranked[1][1]:
        return None
    return ranked[0][0]


def _soft(line: Line) -> bool:
    """A line the model is fitted on: kept by the rules, or only cut as the lead-in of a
    closing marker. Phrase hits, dates, salvaged metadata and far edges stay as the rules
    say."""
    return line.decision is None or line.decision[2] == _LEAD_IN_CUT


def line_features(
    lines: list[Line], start: int, end: int, title: str, wanted: Iterable[int]
) -> list[list[float]]:
    """The feature vectors (:data:`FEATURES` order) of the ``wanted`` lines, after the
    rule pass."""
    words_of = stopwords()
    dates = date_rules()
    n = len(lines)
    body = [line.body for line in lines]
    keys = [" ".join(line.text.lower().split()) for line in lines]
    seen: Counter[str] = Counter()
    earlier = []  # copies of the line higher up: a repeated caption, a second menu
    for key in keys:
        earlier.append(seen[key])
        seen[key] += 1
    body_words = sorted(line.words for line, is_body in zip(lines, body, strict=True) if is_body)
    median = body_words[len(body_words) // 2] if body_words else 25
    teaser_run = _runs([_teaser(line) for line in lines])
    teaser = [length > 0 for length in teaser_run]
    run = _runs([not b for b in body])  # runs of adjacent non-body lines
    out = []
    for i in wanted:
        line = lines[i]
        prev = lines[i - 1] if i > 0 else None
        nxt = lines[i + 1] if i + 1 < n else None
        distance = start - i if i < start else i - end + 1 if i >= end else 0
        out.append(
            [
                *_shape(line, words_of),
                float(bool(_DIGIT.search(line.text) and dates.date.search(line.text))),
                float(start <= i < end),
                float(i < start),
                float(i >= end),
                math.log1p(distance),
                i / n,
                float(line.decision is not None and line.decision[2] == _LEAD_IN_CUT),
                math.log1p(run[i]),
                float(0 < i < n - 1 and body[i - 1] and body[i + 1] and not body[i]),
                float(teaser[i]),
                float((i > 0 and teaser[i - 1]) or (i + 1 < n and teaser[i + 1])),
                float(i > 0 and body[i - 1]),
                float(i + 1 < n and body[i + 1]),
                math.log1p(prev.words) if prev is not None else 0.0,
                math.log1p(nxt.words) if nxt is not None else 0.0,
                float(prev is not None and prev.hit is not None),
                float(nxt is not None and nxt.hit is not None),
                float(prev is not None and prev.terminal),
                float(nxt is not None and nxt.terminal),
                float(bool(title) and normalize(line.text) == title),
                math.log1p(earlier[i]),
                math.log((1 + line.words) / (1 + median)),
                float(min(3, len(_GLUED.findall(line.text)))),
                math.log1p(teaser_run[i]),
                float(nxt is not None and nxt.hit is not None and nxt.hit.family == "credits"),
                float(nxt is not None and nxt.words <= 3 and not nxt.terminal),
                float(not any(c.isalpha() for c in line.text)),
            ]
        )
    return out


def _gone(line: Line) -> bool:
    """The rules take the line out of the text (a prefix moved to metadata leaves it)."""
    return line.decision is not None and line.decision[0] != "prefix"


def _runs(marks: list[bool]) -> list[int]:
    """For each position, the length of the run of marked positions it lies in (0 if unmarked)."""
    out = [0] * len(marks)
    i = 0
    while i < len(marks):
        j = i
        while j < len(marks) and marks[j]:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = max(j, i + 1)
    return out


def _shape(line: Line, words_of: frozenset[str]) -> tuple[float, ...]:
    """Features of the line alone: length, punctuation, casing, figures, function words."""
    text = line.text.strip()
    tokens = _WORD.findall(text.lower())
    count = max(1, len(tokens))
    long_words = _CAPITALISED.findall(text)
    letters = len(_LETTER.findall(text))
    return (
        math.log1p(line.words),
        math.log1p(len(text)),
        sum(map(len, tokens)) / count,
        float(line.terminal),
        float(line.body),
        float(bool(_TEASER_END.search(text))),
        float(text.endswith(":")),
        sum(1 for w in long_words if w[0].isupper()) / len(long_words) if long_words else 0.0,
        len(_UPPER.findall(text)) / letters if letters else 0.0,
        len(_DIGIT_TOKEN.findall(text)) / count,
        sum(map(words_of.__contains__, tokens)) / count,
        float(text[:1] in "\"'“‘«„"),
        float(bool(text) and not text[0].isalnum() and text[0] not in "\"'“‘«„("),
    )


# --- repeated lines across a corpus ---------------------------------------------------


def line_hash(text: str) -> int:
    """A 64-bit hash of a normalised line (stable across runs, unlike ``hash``)."""
    digest = hashlib.blake2b(normalize(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class RepeatedLineIndex:
    """Counts, per source, in how many documents each line occurs (first pass).

    Memory stays bounded: a line is kept as a 64-bit hash, and a count per (source, hash).
    Feed every document with :meth:`add`, then hand the index to the stage
    (``BoilerplateStage(index=...)`` or ``stage.repeated_lines = index``) with the option
    ``repeated_lines_min_docs`` > 0; the second pass removes lines found in at least that
    many documents of the same source.
    """

    def __init__(self, key: str = "source", min_chars: int = 3) -> None:
        self.key = key
        self.min_chars = min_chars
        self.counts: dict[str, Counter[int]] = defaultdict(Counter)
        self.documents: Counter[str] = Counter()

    def source_of(self, doc: Document) -> str:
        return str(doc.metadata.get(self.key, ""))

    def _hashes(self, doc: Document) -> set[int]:
        return {
            line_hash(text)
            for para in doc.paragraphs
            for text in para.text.split("\n")
            if len(normalize(text)) >= self.min_chars
        }

    def add(self, doc: Document) -> None:
        """Count the distinct lines of one document (HTML must be extracted already)."""
        source = self.source_of(doc)
        self.documents[source] += 1
        self.counts[source].update(self._hashes(doc))

    def count(self, doc: Document, text: str) -> int:
        """In how many documents of ``doc``'s source the line occurs."""
        if len(normalize(text)) < self.min_chars:
            return 0
        return self.counts.get(self.source_of(doc), Counter())[line_hash(text)]


# --- the stage ------------------------------------------------------------------------


@dataclass(frozen=True)
class BoilerplateOptions(StageOptions):
    #: Languages whose phrase tables are used (all shipped ones by default).
    languages: tuple[str, ...] = LANGUAGES
    #: Use only the tables of the document's language (guessed from its function words)
    #: plus English, whose UI strings leak into pages of every language; all of
    #: ``languages`` when no language is recognised. Off = all tables for every text.
    guess_language: bool = True
    #: Rule families to switch off, e.g. ["navigation", "credits"].
    disable: tuple[str, ...] = ()
    #: Your own whole-line phrases (rule "user"): "Subscribe to the Daily Bugle".
    extra_phrases: tuple[str, ...] = ()
    #: Your own regular expressions, searched in each line (rule "user").
    extra_patterns: tuple[str, ...] = ()
    #: Remove non-sentence lines outside the main block of text (headers, footers).
    edges: bool = True
    #: Also remove sentence-like lines outside the main block (teasers in a page dump).
    edge_sentences: bool = True
    #: Move dates, datelines, title, bylines and captions into metadata.
    salvage_metadata: bool = True
    #: Trim a final paragraph that was cut off back to its last complete sentence.
    trim_truncated: bool = False
    #: Remove lines seen in at least this many documents of one source (0 = off; needs
    #: a filled :class:`RepeatedLineIndex`).
    repeated_lines_min_docs: int = 0
    #: Let the fitted line model (``data/boilerplate/weights.json``) take the decisions
    #: the rules only guess at; off = the hand rules alone.
    line_model: bool = True


class BoilerplateStage(Stage):
    """Removes boilerplate lines and salvages metadata, one logged edit per line."""

    name = "boilerplate"
    Options = BoilerplateOptions
    options: BoilerplateOptions

    def __init__(
        self,
        options: StageOptions | None = None,
        index: RepeatedLineIndex | None = None,
        model: LineModel | None = None,
        **overrides: Any,
    ) -> None:
        super().__init__(options, **overrides)
        #: The line model in use (another one can be handed in, e.g. per validation fold).
        self.model = model or (line_model() if self.options.line_model else None)
        self.rules = compile_rules(
            self.options.languages,
            self.options.disable,
            self.options.extra_phrases,
            self.options.extra_patterns,
        )
        self.dates = date_rules()
        self.repeated_lines = index
        #: "By" / "Von" alone on a line, the name on the next one.
        self.byline_words = frozenset(
            phrase.strip()
            for phrase, (family, _) in self.rules.starts_owner.items()
            if family == "byline" and phrase.endswith(" ")
        )
        #: "Author:" alone on a line, over the name.
        self.byline_labels = frozenset(
            phrase
            for phrase, (family, _) in self.rules.starts_owner.items()
            if family == "byline" and phrase.endswith(":")
        )

    def apply(self, doc: Document) -> Document:
        rules = self.rules_for(doc)
        verdicts: dict[str, _Verdict] = {}  # a line's rule verdict, per round
        untitled = "title" not in doc.metadata
        self.until_stable(
            doc, lambda d, n: self._clean_once(d, n, rules, verdicts, untitled), rounds=_ROUNDS
        )
        self._truncation(self.editor(doc), doc)
        return doc

    def rules_for(self, doc: Document) -> RuleSet:
        """The phrase tables for this document: its language's and English, or all.

        A Dutch "disclaimer" line is page chrome, an English "Disclaimer" is a heading.
        """
        if not self.options.guess_language:
            return self.rules
        lang = (doc.language or guess_language(doc.text) or "").split("-")[0].lower()  # de-DE
        if lang not in self.options.languages:
            return self.rules
        chosen = tuple(x for x in self.options.languages if x in (lang, "en"))
        return compile_rules(
            chosen,
            self.options.disable,
            self.options.extra_phrases,
            self.options.extra_patterns,
        )

    def _clean_once(
        self,
        doc: Document,
        round_number: int,
        rules: RuleSet,
        verdicts: dict[str, _Verdict],
        untitled: bool,
    ) -> bool:
        """One round of line decisions; another is asked for whenever a line went, since
        the lines left are then judged with new neighbours. ``untitled``: the document came
        without a ``metadata.title`` (any title there now was taken by an earlier round)."""
        lines = _lines(doc)
        if not lines:
            return False
        start, end = self.rule_pass(doc, lines, rules, verdicts)
        if self.model is not None:
            self._decide_model(doc, lines, start, end)
        if self.options.salvage_metadata:
            self._title(doc, lines, start, untitled)
            self._lead_prefix(lines, start, end)
        _islands(lines)
        editor = self.editor(doc)
        for para, group in _by_paragraph(lines):
            self._apply(editor, para, group)
        return any(line.decision is not None for line in lines)

    def rule_pass(
        self,
        doc: Document,
        lines: list[Line],
        rules: RuleSet | None = None,
        verdicts: dict[str, _Verdict] | None = None,
    ) -> tuple[int, int]:
        """Decide every line by the hand rules; return the main text segment [start, end)."""
        rules = rules or self.rules_for(doc)
        self._classify(doc, lines, rules, {} if verdicts is None else verdicts)
        self._schedules(lines)
        start, end = _main_segment(lines)
        if start == end:  # no sentence anywhere: a list, a table; leave it be
            start, end = 0, len(lines)
        self._decide_inside(lines, start, end, rules)
        if self.options.edges:
            close = _closing_section(lines, start, end)
            if close is not None:
                for line in lines[close:end]:
                    self._edge(line, "section of page chrome closing the main text")
                end = close
            self._decide_edges(lines, start, end)
            self._author_box(lines, rules)
        return start, end

    def _decide_model(self, doc: Document, lines: list[Line], start: int, end: int) -> None:
        """The line model takes the soft decisions: it removes or keeps each such line."""
        assert self.model is not None
        title = normalize(str(doc.metadata.get("title", "")))
        # Only beside a main text of some paragraphs: a lone headline or a list has nothing
        # to be told apart from (and the features compare a line with the paragraphs).
        removes = (
            self.model.threshold > 0 and sum(line.body for line in lines[start:end]) >= _ABOVE_BODY
        )
        # Running text is fitted on but not asked: the model puts no sentence of some length
        # below its threshold, and skipping them keeps the stage fast.
        wanted = [
            i
            for i, line in enumerate(lines)
            if _soft(line) and not line.body and (removes or line.decision)
        ]
        if not wanted:
            return
        for i, features in zip(
            wanted, line_features(lines, start, end, title, wanted), strict=True
        ):
            line = lines[i]
            p = self.model.probability(features)
            if line.decision is not None:  # a rule's cut is overturned only on a majority
                if p >= self.model.restore:
                    line.decision = None
            elif p < self.model.threshold:
                line.decision = ("remove", "model", f"p(content) {p:.2f}", "", None)

    # -- finding out ------------------------------------------------------------------

    def _classify(
        self,
        doc: Document,
        lines: list[Line],
        rules: RuleSet,
        verdicts: dict[str, _Verdict],
    ) -> None:
        """Phrase and date verdicts per line; ``verdicts`` keeps them for the next round,
        where most lines come back unchanged."""
        index, threshold = self.repeated_lines, self.options.repeated_lines_min_docs
        for line in lines:
            verdict = verdicts.get(line.text)
            if verdict is None:
                verdict = verdicts[line.text] = self._verdict(line, rules)
            line.hit, line.date, line.dated = verdict
            if index is not None and threshold > 0 and line.hit is None:
                count = index.count(doc, line.text)
                if count >= threshold:
                    line.repeated = count

    def _schedules(self, lines: list[Line]) -> None:
        """Date lines that are items of a list are content: a run of bare dates (a day and
        a time, no "Published" or "Updated") in calendar order ("June 25, 2031" / "July
        23, 2031" / ...), shorter under a plain heading that ends in a colon ("Upcoming
        meetings:"; not "Published:" nor a matched line such as "Share this:"), or a
        timeline whose dates each head one short line (:meth:`_timeline`). A post's own
        dates name one or two days or carry labels, archives and teaser lists run newest
        first, and comments (oldest first) head sentences, not labels; the lines of a
        schedule must neither go nor count as markers that cut the paragraph above them."""
        i = 0
        while i < len(lines):
            if lines[i].date is None:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and lines[j].date is not None:
                j += 1
            listed = self._listed(lines, i)
            if j - i >= (_LISTED_RUN if listed else _SCHEDULE_RUN) and self._in_order(lines[i:j]):
                _keep_schedule(lines, i, j, listed)
            elif j == i + 1:
                j = self._timeline(lines, i, listed)
            i = j

    def _timeline(self, lines: list[Line], i: int, listed: bool) -> int:
        """Where a timeline that starts with the date line ``lines[i]`` ends (its dates
        then stay), or where the block of dates and short lines that fails to be one ends:
        bare dates in calendar order, each followed by one short line of its own ("March
        3, 2031" / "Council votes" / "April 14, 2031" / ...) with no blank line between; when the
        first of them is a label, not a sentence, a sentence of some length is no entry
        but the text going on.

        Sidebars, teaser lists and comments look the same and sit at the edges of a page
        or of its text, so a timeline must stand inside the text: under a plain heading
        that ends in a colon ("Key dates:"), or between two lines of running text, its
        entries mostly labels (comments are sentences: "Great piece, thanks!"). Never
        under a section header ("Comments", "Related"), and a block that fails is skipped
        whole: a tail of it (or of a widget and the post's own stamp below it) is no
        timeline either.
        """
        shape = i + 1 < len(lines) and lines[i + 1].terminal
        k = i
        while (
            k + 1 < len(lines)
            and lines[k].date is not None
            and not (k > i and _blank_before(lines[k]))
            and not _blank_before(lines[k + 1])
            and _event(lines[k + 1])
            # a list of labels ends at a sentence of some length: the text again
            and (lines[k + 1].terminal == shape or not lines[k + 1].body)
        ):
            k += 2
        dates, entries = lines[i:k:2], lines[i + 1 : k : 2]
        inside = listed or (
            i > 0
            and lines[i - 1].body
            and k < len(lines)
            and lines[k].body
            and 2 * sum(entry.terminal for entry in entries) < len(entries)
        )
        if (
            len(dates) < _SCHEDULE_RUN
            or not inside
            or _under_section(lines, i - 1 - listed)
            or not self._in_order(dates)
        ):
            return max(k, i + 1)
        _keep_schedule(lines, i, k, listed)
        return k

    def _listed(self, lines: list[Line], i: int) -> bool:
        """Whether ``lines[i]`` stands under a plain heading that ends in a colon."""
        above = lines[i - 1] if i else None
        return (
            above is not None
            and above.hit is None
            and above.text.rstrip().endswith(":")
            and not self.dates.only_date_words(above.text)
        )

    def _in_order(self, dated: list[Line]) -> bool:
        """Whether the date lines ``dated`` are bare and name days in calendar order."""
        days: list[tuple[int, int, int]] = []
        for line in dated:
            if line.date is None or not self.dates.bare(line.text, line.date):
                return False
            days.append(self.dates.day(line.date))
        return all(map(operator.lt, days, days[1:]))

    def _verdict(self, line: Line, rules: RuleSet) -> _Verdict:
        hit = rules.match(line.text, line.words, line.terminal)
        clock = hit is None and line.terminal and _CLOCK_END.search(line.text) is not None
        if clock:
            # "By Jane Doe | May 2, 2031 at 9:30 a.m.": the period is the clock's, so the
            # line is matched as no sentence, and then counts only as a byline (below)
            hit = rules.match(line.text, line.words, False)
        byline = hit if hit is not None and hit.family == "byline" else None
        dated = None if byline is None else self._dated_byline(line, byline)
        if clock and (byline is None or (dated is None and not self._clocked_byline(line, byline))):
            hit = None
        if hit is None and line.words <= 4 and self.dates.archive.match(line.text):
            hit = Hit("navigation", None, "pattern", "archive entry")
        date = None
        if hit is None and line.words <= 16 and self.options.salvage_metadata:
            date = self.dates.date_line(line.text, post_meta=True)
        return hit, date, dated

    def _decide_inside(self, lines: list[Line], start: int, end: int, rules: RuleSet) -> None:
        """Phrase hits anywhere; the link list that follows a section header goes too."""
        section: Hit | None = None
        for line in lines:
            if line.hit is not None:
                self._decide_hit(line)
            if line.hit is not None:
                # a header opens a list; "Related: Some headline" is itself the link
                header = line.hit.family in _SECTION_FAMILIES and not _labelled(line)
                section = line.hit if header else None
            elif line.date is not None:
                self._decide_date(line)
            elif line.repeated:
                line.decision = (
                    "remove",
                    "repeated_lines",
                    f"in {line.repeated} documents",
                    "",
                    None,
                )
            elif section is not None and line.title_like and not _two_sentences(line.text):
                evidence = f"list under {section.evidence!r}"
                line.decision = ("remove", section.rule, evidence, "", None)
            else:
                section = None
        if self.options.salvage_metadata:
            self._captions(lines, rules)

    def _captions(self, lines: list[Line], rules: RuleSet) -> None:
        """The line right above a bare photo credit ("Getty", "Jane Doe/AFP") is its caption;
        a credit label alone ("Photo:") heads its value on the next line instead."""
        for k in range(len(lines) - 1):
            _split_credit(lines[k], lines[k + 1], lines[k + 2 : k + 3], rules)
        for above, line in pairwise(lines):
            hit = line.hit
            if (
                hit is not None
                and hit.family == "credits"
                and not line.text.rstrip().endswith(":")
                and line.words <= _BARE_CREDIT
                and above.decision is None
                and above.hit is None
                and above.words <= _CAPTION
                and above.para is line.para
            ):
                above.decision = (
                    "to_metadata",
                    hit.rule,
                    "caption above a credit",
                    "captions",
                    above.text,
                )

    def _decide_hit(self, line: Line) -> None:
        hit = line.hit
        assert hit is not None
        key = _SALVAGE_FAMILIES.get(hit.family) if self.options.salvage_metadata else None
        if key == "byline":
            if line.dated is not None:  # the date left over is the date rule's, next round
                prefix, name = line.dated
                line.decision = ("prefix", hit.rule, prefix, key, name)
                return
            name = _is_byline(line.text, hit, line.caseless)
            if name is None:
                line.hit = None  # "By the numbers": a heading, not a byline
                return
            line.decision = ("to_metadata", hit.rule, hit.evidence, key, name)
        elif key is not None:  # a caption, a "Reporting by" credit: the whole line
            line.decision = ("to_metadata", hit.rule, hit.evidence, key, line.text)
        elif hit.family == "byline" and _is_byline(line.text, hit, line.caseless) is None:
            line.hit = None
        else:
            line.decision = ("remove", hit.rule, hit.evidence, "", None)

    def _dated_byline(self, line: Line, hit: Hit) -> tuple[str, str] | None:
        """A byline that runs into its date ("By Jane Doe | May 2, 2031 at 9:30 a.m.",
        "By Jane Doe on May 2, 2031"): the part before the date, and the name in it.

        The name goes to ``metadata.byline`` and the rest of the line stays for the date
        rule, so each lands in its own field and nothing is lost.
        """
        text = line.text.lstrip()
        if hit.kind != "start" or not _DIGIT.search(text):
            return None
        found = self.dates.date.search(text, len(hit.evidence))
        # After the name only the date, its labels and time zones ("HST"): "By Sunday,
        # the river had crested, and on May 2, 2031 the levee broke" is a sentence.
        if found is None or not self.dates.date_line(_ZONE.sub(" ", text[found.start() :])):
            return None
        name = self._name_before_date(text[len(hit.evidence) : found.start()], line.caseless)
        if not name or len(name.split()) > _BYLINE_WORDS or not _person(name, line.caseless):
            return None
        return text[: found.start()], name

    def _clocked_byline(self, line: Line, hit: Hit) -> bool:
        """Whether a line ending in a clock time ("... at 10:32 a.m.") that does not run
        into a date is a byline all the same: a name and then nothing but date and time
        words ("By Jane Doe | Today at 10:32 a.m."). "By Tuesday, the ferry had left the
        pier at 6 a.m." has words of its own after the comma: a sentence.
        """
        text = line.text.lstrip()[len(hit.evidence) :]
        name, rest = [*_BYLINE_SEPARATOR.split(text, maxsplit=1), ""][:2]
        return bool(
            rest and _person(name.strip(), line.caseless) and self.dates.only_date_words(rest)
        )

    def _name_before_date(self, text: str, caseless: bool) -> str:
        """The name in a byline's part before its date, the date's labels taken off its end
        ("Jane Doe | Updated on " -> "Jane Doe").

        A label goes only where it introduces the date: directly before it or before a label
        that went ("on Monday, "), or as a whole piece between separators ("Jane Doe |
        Updated | "). A day word is also a name's last word in "Minh Le | March 3", "Lena
        Am, 3. März" or "Li Sun, May 2": across a separator that ends the name, or written
        the way a name writes its particle ("Le", "Am", "Del") after a first name, it stays.
        """
        name = text.rstrip(" :")
        while True:
            if label := self._trailing_label(name, caseless):
                name = name[: len(name) - len(label)].rstrip(" :")
                continue
            if name.endswith(","):  # "on Monday, ": a comma of the date's, not the name's
                before = name[:-1].rstrip()
                label = self._trailing_label(before, caseless)
                rest = before[: len(before) - len(label)]
                # "Minh Le, ", "Li Sun, ": a particle or a surname ends the name (tested
                # again here for lowercase "le", which ``_trailing_label`` lets through)
                if label and label.split()[0].lower() not in _PARTICLES and len(rest.split()) > 1:
                    name = rest.rstrip(" :")
                    continue
            name = _BYLINE_GLUE.sub("", name)
            piece = _NAME_PIECE.split(name)[-1]
            if piece == name or not piece.strip() or not self.dates.only_date_words(piece):
                return name.strip(" :")
            name = name[: len(name) - len(piece)]  # "Jane Doe | Updated | ": a label piece

    def _trailing_label(self, text: str, caseless: bool) -> str:
        """The date label ending ``text`` ("on", "updated", "mis à jour le"), or "" (also
        for a name particle written as a name writes it right after a first name: "Jean
        Le"; after two words it is the date's, glued on: "Marie Dupont Le 5 juin")."""
        found = self.dates.trailing_label.search(text)
        if found is None:
            return ""
        label = found.group(0)
        word = label.split()[0]
        if (
            not caseless
            and word.lower() in _PARTICLES
            and word.istitle()
            and len(_NAME_PIECE.split(text[: found.start()])[-1].split()) == 1
        ):
            return ""
        return label

    def _decide_date(self, line: Line) -> None:
        assert line.date is not None
        iso = self.dates.iso(line.date)
        key, value = ("date", iso) if iso else ("date_text", line.text)
        line.decision = ("to_metadata", "date", line.date.group(0), key, value)

    def _decide_edges(self, lines: list[Line], start: int, end: int) -> None:
        """Page chrome before and after the main block of text.

        Text can sit outside the block too (a table, a list of tour dates: no sentences),
        so an edge is cut only up to the outermost boilerplate marker ("Share", a date,
        "Related", "Leave a Reply", "©") and only when the cut-off part reads as
        boilerplate as a whole: short, or dense with markers.
        """
        evidence = [_edge_marker(line) for line in lines]
        head = next(
            (i for i in range(start - 1, -1, -1) if evidence[i] and _dense(evidence[:i])),
            None,
        )
        if head is not None:
            for line in lines[: head + 1]:
                self._edge(line, "before the main text")
        if self.options.salvage_metadata:
            self._head_metadata(lines[max(0, start - _FAR) : start])
        self._headline_lists(lines[:start])
        tail = next(
            (
                i
                for i in range(end, len(lines))
                if evidence[i]
                and lines[i].hit is not None
                and lines[i].hit.family not in _SALVAGE_FAMILIES
                and _dense(evidence[i + 1 :])
            ),
            None,
        )
        if tail is not None:
            for line in lines[max(end, tail - _LEAD_IN) : tail]:
                if not line.body:
                    self._edge(line, "just before a closing marker")
            for line in lines[tail:]:
                self._edge(line, "after a closing marker")
        self._far_edges(lines, evidence, start, end)
        if sum(line.body for line in lines[start:end]) >= _ABOVE_BODY:
            self._above_marker(lines, start)

    def _author_box(self, lines: list[Line], rules: RuleSet) -> None:
        """An author box at the very end: a short bio ("Jane Doe is a reporter for ...")
        with the name, a role, an "About Jane Doe" header or a "follow" link round it.

        Only the last sentence of the text is asked, and only when nothing but short lines
        (or lines already cut) follows it: inside the text the same words are a sentence.
        Even there, a bio alone is no box: an article about a journalist may well end
        "She is a reporter who ...". Something round it must say box: lines above or
        below it, or a way to reach the author.
        """
        i = len(lines) - 1
        while i >= 0 and (lines[i].decision is not None or _short(lines[i])):
            i -= 1
        if i < 0:
            return
        self._box_header_alone(lines[i + 1 :], rules)
        if lines[i].words > _BOX_WORDS:
            return
        hit = rules.ending(lines[i].text, lines[i].caseless)
        if hit is None and i > 0 and _soft(lines[i - 1]) and not lines[i - 1].body:
            header = rules.ending(lines[i - 1].text, lines[i - 1].caseless)  # "About Jane Doe"
            if header is not None and _names_open(lines[i - 1].text, lines[i].text):
                hit = header
        if hit is None:
            return
        first = i  # the name, role and header lines just above the bio go with it
        while first > max(0, i - _BOX_ABOVE) and _short(lines[first - 1]):
            first -= 1
        boxed = first < i or i < len(lines) - 1 or _BOX_CONTACT.search(lines[i].text)
        if not boxed:
            return
        for line in lines[first:]:
            if _soft(line):
                _remove_as_box(line, hit)

    def _box_header_alone(self, tail: list[Line], rules: RuleSet) -> None:
        """An "About Jane Doe" header alone after the text: the box lost its bio (cut off,
        or a widget the scrape left empty), so it heads nothing. It must be the only line
        kept after the last long one: with other short lines beside it, it is an item of a
        list ("The band played:" / "Juice" / "About Damn Time") or the head of a fact box
        ("About the festival" / "April 25 to May 4"), and it stays."""
        kept = [line for line in tail if _soft(line)]
        if len(kept) != 1:
            return
        header = kept[0]
        hit = rules.ending(header.text, header.caseless)
        if hit is not None:
            _remove_as_box(header, hit)

    def _above_marker(self, lines: list[Line], start: int) -> None:
        """Before the main text, what stands above a marker (a date, a byline, a share row)
        is page chrome: the article starts after its header, not before it.

        Sentences there stay (an intro the segment missed), and so does the headline-shaped
        line nearest the marker: most likely the title, for :meth:`_title` to judge. Only
        for a main text of some paragraphs: a lone line of sentence length (a tag list
        under a schedule) is no evidence of where the article starts.
        """
        marker = next((i for i in range(start - 1, -1, -1) if lines[i].decision), 0)
        headline = next(
            (
                i
                for i in range(marker - 1, max(-1, marker - 1 - _TITLE_REACH), -1)
                if lines[i].decision is None and lines[i].title_like and lines[i].words >= 3
            ),
            None,
        )
        for i, line in enumerate(lines[:marker]):
            if not line.body and i != headline:
                self._edge(line, "above a marker before the main text")

    def _far_edges(self, lines: list[Line], evidence: list[bool], start: int, end: int) -> None:
        """Far from the main text and beyond a marker, a thin trail of markers suffices."""
        head = next(
            (i for i in range(start - 1, -1, -1) if evidence[i] and _sparse(evidence[: i + 1])),
            None,
        )
        if head is not None:
            for line in lines[: max(0, min(head, start - _FAR))]:
                self._edge(line, "far before the main text")
        else:
            # a menu ends at an ad break: what follows the break is the article's
            stop = next((i for i in range(start) if _ad_break(lines[i])), start)
            menu = lines[: max(0, min(stop, start - _FAR))]
            if _menu(menu):
                for line in menu:
                    self._edge(line, "menu far before the main text")
        tail = next(
            (i for i in range(end, len(lines)) if evidence[i] and _sparse(evidence[i:])), None
        )
        if tail is not None:
            for line in lines[max(tail, end + _FAR) :]:
                self._edge(line, "far after the main text")

    def _head_metadata(self, head: list[Line]) -> None:
        """Date/time lines and bylines just before the text: split ("By" / "Jane Doe")
        or without their "By" ("Jane Doe - Staff Writer", :func:`_byline_without_by`).

        A line with a date next to another such line is a schedule (tour dates, fixtures),
        not a dateline, and stays.
        """
        dated = [
            line.date is not None
            or bool(_DIGIT.search(line.text) and self.dates.date.search(line.text))
            for line in head
        ]
        self._head_bylines(head)  # first: a byline line is no date line
        for i, line in enumerate(head):
            if line.decision is not None or line.body or line.words > 16 or line.schedule:
                continue
            if (i > 0 and dated[i - 1]) or (i + 1 < len(head) and dated[i + 1]):
                continue
            found = self.dates.date.search(line.text) if dated[i] else None
            if found and self.dates.iso(found):
                iso = self.dates.iso(found)
                line.decision = ("to_metadata", "date", found.group(0), "date", iso)
            elif found or self.dates.head.search(line.text):
                line.decision = ("to_metadata", "date", "date/time line", "date_text", line.text)

    def _head_bylines(self, head: list[Line]) -> None:
        """Send the bylines of ``head`` that have no "By" rule's hit to ``metadata.byline``
        (as decisions, before the date lines are judged): a byline without its "By"
        (:func:`_byline_without_by`) where a byline stands, or a lone "By" over the name.

        A line cut as page chrome around the headline is taken too: it leaves the text
        either way, and as the byline it no longer passes for the title. The byline is
        one value (the first found wins): a second one goes to the ``contributors`` list
        rather than leave the text for nothing (or stay there to pass for the title on a
        second run).
        """
        shaped = [
            line.words <= 16 and _byline_without_by(line.text, line.caseless, self.rules)
            for line in head
        ]
        for i, line in enumerate(head):
            if line.body or line.words > 16 or line.schedule or not _kept_or_edge(line):
                continue
            if shaped[i] and self._byline_place(head, shaped, i):
                key = "contributors" if _has_byline(head) else "byline"
                value = line.text.strip()
                line.decision = ("to_metadata", "byline", "byline without its by", key, value)
            elif not shaped[i]:
                self._lone_by(head, i)

    def _byline_place(self, head: list[Line], shaped: list[bool], i: int) -> bool:
        """Whether ``head[i]``, a byline without its "By" by its shape, stands where a
        byline stands: under its label ("Author:") or another byline; under a
        headline-shaped line of three words or more (a kicker such as "Culture" is
        shorter) that is the first line kept in the head (under a caption "A ferry at
        dawn. (Town Archive/Tom Poe)" it would pass for one); or atop the head over a
        headline-shaped line. Never
        next to another such line (a list of people: "Ann Lee, Editor" / "Tom Poe,
        Correspondent") nor under a line that opens a list ("The board members are:").
        """
        above = head[i - 1] if i > 0 else None
        below = head[i + 1] if i + 1 < len(head) else None
        if (i > 0 and shaped[i - 1]) or (below is not None and shaped[i + 1]):
            return False
        if above is None:
            return below is not None and _headline_shaped(below)
        if " ".join(above.text.lower().split()) in self.byline_labels or _has_byline([above]):
            return True  # "Author:" or another byline ("By Jane Doe") over it
        opens_list = above.text.rstrip().endswith(":")  # "The board members are:"
        if opens_list or above.words < _HEADLINE_MIN or not _headline_shaped(above):
            return False  # a kicker ("Culture"), a list's label, text
        # the headline is the first line kept: with a line kept above it, the shaped line
        # may be a caption or a menu's last entry, not the headline
        return all(line.decision is not None for line in head[: i - 1])

    def _lone_by(self, head: list[Line], i: int) -> None:
        """A lone "By" (``head[i]``) over the name: the name goes to ``metadata.byline``."""
        line = head[i]
        if normalize(line.text) not in self.byline_words or i + 1 == len(head):
            return
        name = head[i + 1]
        if not (
            _kept_or_edge(name) and name.words <= 6 and _person(name.text.strip(), name.caseless)
        ):
            return
        line.decision = ("remove", "byline", line.text.strip(), "", None)
        evidence = "name after a lone byline word"
        value = _BYLINE_GLUE.sub("", name.text.strip())  # "Jane Doe," over "Tom Poe"
        name.decision = ("to_metadata", "byline", evidence, "byline", value)

    def _headline_lists(self, head: list[Line]) -> None:
        """Runs of headline-shaped lines before the text: teasers of other stories."""
        run: list[Line] = []
        for line in [*head, None]:
            if (
                line is not None
                and line.decision is None
                and _teaser(line)
                and not (_DIGIT.search(line.text) and self.dates.date.search(line.text))
            ):  # dated lines in a row are a schedule
                run.append(line)
                continue
            if len(run) >= _TEASER_RUN:
                for teaser in run:
                    self._edge(teaser, "headline list before the main text")
            run = []

    def _edge(self, line: Line, where: str) -> None:
        if line.decision is None and (not line.body or self.options.edge_sentences):
            line.decision = ("remove", "edge", where, "", None)

    def _title(self, doc: Document, lines: list[Line], start: int, untitled: bool) -> None:
        """A headline before the text becomes ``metadata.title``.

        The first line that stays in the text is tried first (so a second run sees the
        same thing); failing that, the first headline among the page chrome cut away
        near the text (menus and other stories' teasers sit further up).
        Once an earlier round took the title, the line now first before the text is
        judged as a second run would judge it, as the line after the title: a line that
        went in between (a label the model cut only beside its new neighbours) no longer
        separates it from the title.
        """
        head = lines[:start]
        kept = [line for line in head if line.decision is None]
        known = doc.metadata.get("title")
        capitals = cache(partial(_may_capitalise, doc))  # one regex pass, only if asked
        if known is not None and untitled:
            self._after_title(str(known), kept, capitals)
            return
        if known is not None:
            for line in kept[:1]:
                if normalize(line.text) == normalize(str(known)):
                    line.decision = ("to_metadata", "title", "same as metadata.title", "title", "")
            return
        if kept:
            line = kept[0]
            if _headline(line, len(kept) == 1, capitals):
                line.decision = ("to_metadata", "title", "headline", "title", line.text.strip())
                self._after_title(line.text, kept[1:], capitals)
            return
        reach, between = len(head), 0  # the lines near the text: unmatched ones counted
        while reach:
            between += not _matched(head[reach - 1])
            if between > _HEADLINE_REACH:
                break
            reach -= 1
        for i in range(reach, len(head)):  # the topmost: an author line may follow it
            line = head[i]
            if _has_byline([line]):
                return  # a headline stands above its byline: below it a dek, a caption
            cut = line.decision is not None and line.decision[1] in ("edge", "model")
            if cut and not _in_menu(head, i) and _headline(line, _above_byline(head, i), capitals):
                line.decision = ("to_metadata", "title", "headline", "title", line.text.strip())
                return

    @staticmethod
    def _after_title(
        title: str, rest: list[Line], capitals: Callable[[], Callable[[str], bool]]
    ) -> None:
        """Settle now what a second run would take as the title once this one is gone.

        A repeated headline goes with the title; further headline-shaped lines before
        the text (a standfirst, a kicker) go to ``metadata.subtitles``. Without this a
        second run would move them one by one: the stage would not be idempotent.
        """
        for position, line in enumerate(rest, start=1):
            if normalize(line.text) == normalize(title):
                line.decision = ("to_metadata", "title", "repeated headline", "title", "")
            elif _headline(line, position == len(rest), capitals):
                value = line.text.strip()
                line.decision = (
                    "to_metadata",
                    "subtitle",
                    "headline after the title",
                    "subtitles",
                    value,
                )
            else:
                return

    def _lead_prefix(self, lines: list[Line], start: int, end: int) -> None:
        """A date or dateline glued to the start of the first paragraph moves to metadata."""
        for line in lines[start:end]:
            if line.decision is not None:
                continue
            if not line.body:
                return
            prefix = self.dates.prefix_caseless if line.caseless else self.dates.prefix
            found = prefix.match(line.text)
            if found:
                inner = self.dates.date.search(found.group("date"))
                iso = self.dates.iso(inner) if inner else None
                key = "date" if iso else "date_text"
                value = iso or found.group("date")
                line.decision = ("prefix", "date", found.group(0).strip(), key, value)
                text = line.text[found.end() :]
            else:
                text = line.text
            dateline = _dateline(text, self.dates, line.caseless)
            if dateline and line.decision is None:
                value = dateline.strip().rstrip(":—–-").strip()
                line.decision = ("prefix", "dateline", dateline.strip(), "dateline", value)
            return

    # -- changing the document --------------------------------------------------------

    def _apply(self, editor: Editor, para: Paragraph, group: list[Line]) -> None:
        """Carry out the decisions for one paragraph, one logged edit per line."""
        if all(line.decision is None for line in group):
            return
        current = [line.text for line in group]
        for i, line in enumerate(group):
            if line.decision is None:
                continue
            action, rule, evidence, key, value = line.decision
            # a prefix takes its evidence and leaves the rest of the line; the others take it all
            current[i] = line.text.lstrip()[len(evidence) :].lstrip() if action == "prefix" else ""
            if action in ("prefix", "to_metadata"):
                editor.to_metadata(
                    para,
                    key,
                    value,
                    rule,
                    before=evidence if action == "prefix" else line.text,
                    remaining=_join(current),
                    multi=key in _LIST_KEYS,
                )
            elif _join(current):
                editor.log(para, rule, "remove", line.text, "", evidence)
                editor.set_text(para, _join(current))
            else:
                editor.set_text(para, line.text)
                editor.remove(para, rule, evidence)

    def _truncation(self, editor: Editor, doc: Document) -> None:
        """Flag (and optionally trim) a last paragraph that stops mid-sentence."""
        if not doc.paragraphs:
            return
        para = doc.paragraphs[-1]
        last = para.text.rstrip().rsplit("\n", 1)[-1]
        cut_off = last[-1:].isalnum() or last[-1:] in ",;-–"
        if len(_WORD.findall(last)) < 8 or _TERMINAL.search(last) or not cut_off:
            return
        editor.flag(para, "truncated", "truncated", f"ends with {last[-30:]!r}")
        if self.options.trim_truncated:
            ends = list(_SENTENCE_END.finditer(para.text))
            if ends:
                trimmed = para.text[: ends[-1].end()]
                editor.replace(para, trimmed, "truncated", "trimmed to last sentence")


def _closing_section(lines: list[Line], start: int, end: int) -> int | None:
    """Where a long run of page chrome (comments, teasers) starts inside the main text.

    Only a section marker that comes after a good part of the article, with more markers
    right after it and many in the rest of the segment: an inline "Related:" or a share
    row between two paragraphs has neither.
    """
    evidence = [line.decision is not None for line in lines]
    size, window = _CLOSE_CLUSTER
    body = 0
    for i in range(start, end):
        line = lines[i]
        if (
            body >= _CLOSE_BODY
            and line.hit is not None
            and line.hit.family in _SECTION_FAMILIES
            and sum(evidence[i : i + window]) >= size
            and sum(evidence[i:end]) >= _CLOSE_MARKERS
        ):
            return i
        if line.body:
            body += line.words
    return None


def _islands(lines: list[Line]) -> None:
    """Short runs of label lines between two widget lines that go, go too.

    Page chrome comes in blocks ("Image" / "1" / "of" / "4" / "Caption" / "Close"), and the
    phrase tables know only some of its lines; what they leave in the middle of such a
    block ("1", "of", a gallery title) is the same block. Only lines of the widget families
    (gallery, navigation, share) bound such a block: ads, credits and the like sit at
    paragraph breaks, so a subheading or a fact box often has one on both sides
    ("Advertisement" / "What happens next" / "Advertisement"). A sentence stays, however
    short ("The mayor said no."): chrome is labels, not statements; and so does a run
    with a line ending in a colon, which introduces what follows it ("Key figures:").
    """
    gone = [_gone(line) for line in lines]  # before any island goes
    bounds = [
        out and line.hit is not None and line.hit.family in _WIDGET_FAMILIES
        for out, line in zip(gone, lines, strict=True)
    ]
    i = 0
    while i < len(lines):
        if gone[i]:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not gone[j]:
            j += 1
        run = lines[i:j]
        if (
            i > 0
            and j < len(lines)
            and bounds[i - 1]
            and bounds[j]
            and len(run) <= _ISLAND
            and not any(x.body or x.terminal or x.text.rstrip().endswith(":") for x in run)
        ):
            for line in run:
                line.decision = ("remove", "island", "inside a widget's lines", "", None)
        i = j


def _keep_schedule(lines: list[Line], start: int, end: int, listed: bool) -> None:
    """``lines[start:end]`` are a schedule (under a heading if ``listed``): content."""
    for line in lines[start - 1 if listed else start : end]:
        line.date = None
        line.schedule = True


def _blank_before(line: Line) -> bool:
    """Whether a blank line stands just before ``line`` (it opens a block of lines)."""
    return line.para.text.startswith(line.text) and line.para.break_before.count("\n") >= 2


def _under_section(lines: list[Line], above: int) -> bool:
    """Whether ``lines[above]`` is a section header ("Comments", "Related")."""
    hit = lines[above].hit if above >= 0 else None
    return hit is not None and hit.family in _SECTION_FAMILIES


def _event(line: Line) -> bool:
    """An entry of a timeline after its date: a short line that no rule matched."""
    return (
        line.date is None
        and line.hit is None
        and not line.repeated
        and line.words <= _EVENT_WORDS
        and not line.text.rstrip().endswith(":")
    )


def _ad_break(line: Line) -> bool:
    """An ad break inside the article: "Continue reading below" says the article goes on."""
    return line.hit is not None and line.hit.kind == "break"


def _edge_marker(line: Line) -> bool:
    """A line that may mark where the article starts or ends, for the edge cuts: a phrase
    hit (not an ad break) or a date."""
    return (line.hit is not None and line.hit.kind != "break") or line.date is not None


def _dense(evidence: list[bool]) -> bool:
    """A run of lines that reads as boilerplate as a whole: short, or full of markers."""
    return len(evidence) <= _SHORT_TAIL or sum(evidence) >= _TAIL_EVIDENCE * len(evidence)


def _teaser(line: Line) -> bool:
    """A headline-shaped line: a few words, no sentence or clause end, not a row of
    figures (a score table). The case of the first letter is not asked: the casing
    stage repairs it, and a second run must decide as the first did."""
    text = line.text.strip()
    return (
        not line.body
        and 5 <= line.words <= 20
        and not text.endswith((",", ";", ":"))
        and (text[:1].isalnum() or text[:1] in "\"'“‘«")
        and len(_NUMBER.findall(text)) < 0.3 * line.words
    )


#: The value under a credit label alone: a name of two or more capitalised words, then its
#: agency or outlet after "/", "|", "," or "for" ("Jane Doe / Agency", "Jane Roe for the
#: Harbour Gazette"). A name alone is no credit: "Photo:" / "Jane Doe" / her answer is an
#: interview, "Photo:" / "Riverside Market" a subheading.
_CREDIT_NAME = regex.compile(
    r"^(?P<name>\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*)+)"
    r"(?:\s*[/|,]\s*|\s+for\s+)\S+(?:\s+\S+){0,3}$"
)


def _remove_as_box(line: Line, hit: Hit) -> None:
    """Cut ``line`` as part of the author box that ``hit`` found."""
    line.decision = ("remove", hit.rule, f"author box: {hit.evidence}", "", None)


def _split_credit(label: Line, value: Line, after: list[Line], rules: RuleSet) -> None:
    """A credit the scrape split into its label element and its value ("Photo:" / "Jane
    Doe/Agency"): both go to ``metadata.captions`` as one credit.

    The value is short (``_CREDIT_VALUE`` words, no sentence) and a credit by its shape:
    a credit rule matched it ("Getty Images") or it is a name and its agency
    (``_CREDIT_NAME``); under a label anything else ("Photo:" / "The long road home",
    "Maria Lopez, 34, lost her job in May") is a heading or a line of the text. Label and
    value stand in one block (no blank line between them), a decision taken on the label
    stands (``_label_free``), and the pair must stand alone: a short line after it makes
    it the head of a list ("Credit:" / "Jane Doe / Agency" / "Tom Poe / Agency"), where
    moving one item would break it. Only a value a credit rule matched (and so leaves the
    text anyway) may stand in a block of its own.
    """
    hit = rules.label(label.text)
    if (
        hit is None
        or not _label_free(label)
        or value.date is not None
        or value.terminal
        or value.words > _CREDIT_VALUE
        or any(not line.terminal and line.words <= _CREDIT_VALUE for line in after)
    ):
        return
    if value.hit is not None:
        if (
            value.hit.family != "credits"
            or value.decision is None
            or value.decision[0] != "to_metadata"
        ):
            return
    elif (
        value.decision is not None
        or _blank_before(value)
        or not _credit_name(value.text, value.caseless)
    ):
        return
    credit = f"{hit.evidence}: {value.text.strip()}"
    if label.decision is None or label.decision[0] != "remove":
        label.decision = ("remove", hit.rule, "credit label over its value", "", None)
    value.decision = ("to_metadata", hit.rule, "value under a credit label", "captions", credit)


def _label_free(label: Line) -> bool:
    """Whether a split credit may take ``label``: no rule decided it, or one that already
    cuts it ("Photo" is a navigation line too; that cut stands) or makes the label alone
    a caption ("Image credit:"), which the whole credit then replaces."""
    decision = label.decision
    return decision is None or decision[0] == "remove" or decision[3] == "captions"


def _credit_name(text: str, caseless: bool) -> bool:
    """Whether ``text`` is a name and its agency (``_CREDIT_NAME``), the name's words no
    function words ("How The Bridge Was Built, Explained" is a heading)."""
    found = (_case_blind(_CREDIT_NAME) if caseless else _CREDIT_NAME).match(text.strip())
    return found is not None and _may_be_name(found.group("name").split())


def _names_open(header: str, bio: str) -> bool:
    """Whether ``bio`` opens with a name from ``header`` ("About Jane Doe" over "Jane
    writes ..."): what makes the line under an "About ..." heading a bio, not a section."""
    name = {word.casefold() for word in header.split()[1:]}
    first = bio.split(maxsplit=1)[:1]
    return bool(first) and first[0].casefold().strip(".,:;'’") in name


def _short(line: Line) -> bool:
    """A name, a role, a "follow" link: a few words, no sentence."""
    return _soft(line) and not line.terminal and line.words <= _BOX_SHORT


def _two_sentences(text: str) -> bool:
    """At least two sentences of three words or more: what a list of links never holds."""
    parts = _SENTENCE_BREAK.split(text)
    return sum(1 for part in parts if len(_WORD.findall(part)) >= 3) >= 2


def _menu(lines: list[Line]) -> bool:
    """A long run of short lines with no sentence and few figures: a site menu, not a table."""
    if len(lines) < _MENU_MIN:
        return False
    numeric = sum(1 for line in lines if _NUMBER.search(line.text))
    short = sum(1 for line in lines if line.words <= 6 and not line.terminal)
    return (
        not any(line.body for line in lines)
        and short >= 0.9 * len(lines)
        and numeric < 0.3 * len(lines)
    )


def _sparse(evidence: list[bool]) -> bool:
    """Markers at least every so often: enough evidence for lines far from the text."""
    return sum(evidence) >= _FAR_EVIDENCE * len(evidence)


def _may_capitalise(doc: Document) -> Callable[[str], bool]:
    """Whether the casing stage may give a lowercase word (lowercased) its capital in
    this document: the document writes it with a capital mid-sentence somewhere ("the
    bridge" beside "The Bridge"), or the casing lexicon writes it capitalised more often
    than not ("london").

    A head line's Title Case must be judged as if casing had already done so, or a second
    run would take as a headline the line the first one kept. The lexicon is asked on
    every page, whatever its language: casing has its own test for English text (Dutch
    passes it), and only a superset of what casing may do keeps the two runs alike.
    """
    found = CaseCounts().add_text("\n\n".join(para.text for para in doc.paragraphs))
    document = frozenset(form.lower() for form in found)
    named = load_lexicon().not_lowercase()
    return lambda word: word in document or named[word]


def _headline(
    line: Line, next_is_body: bool, capitals: Callable[[], Callable[[str], bool]]
) -> bool:
    """Short, no final period, not a row of numbers, and Title Case or followed by the text.

    ``capitals`` gives the test for lowercase words the casing stage may capitalise
    (``_may_capitalise``), which count as capitalised here too; asked only when the
    line's own capitals do not settle it.
    """
    text = line.text.strip()
    if not 3 <= line.words <= 25 or text.endswith((".", ":", ",", ";")) or _two_sentences(text):
        return False
    tokens = text.split()
    if 3 * sum(1 for token in tokens if any(ch.isdigit() for ch in token)) >= len(tokens):
        return False  # a score or table row, not a headline
    # Title Case is read from the words after the first: a line's first capital says
    # nothing (the casing stage gives every sentence start one), and a second run must
    # judge the repaired line as the first run judged the damaged one.
    words = [w for w in regex.findall(r"[\p{L}][\p{L}'’-]*", text)[1:] if len(w) > 3]
    if line.caseless:  # any word but a function word may get its capital back
        function_words = stopwords()
        capitalised = sum(1 for w in words if w.lower() not in function_words)
    else:
        capitalised = sum(1 for w in words if w[0].isupper())
        if words and not next_is_body and capitalised < _TITLE_SHARE * len(words):
            may_capitalise = capitals()
            capitalised += sum(1 for w in words if not w[0].isupper() and may_capitalise(w.lower()))
    return next_is_body or (bool(words) and capitalised / len(words) >= _TITLE_SHARE)


def _has_byline(lines: list[Line]) -> bool:
    """Whether one of ``lines`` goes to ``metadata.byline`` (a bare "Author:" does not)."""
    return any(line.decision is not None and line.decision[3] == "byline" for line in lines)


#: A headline that ends in a question or exclamation mark has at most this many words.
_HEADLINE_WORDS = 25
#: A headline over a byline has at least this many words (a kicker: "Culture", "Media").
_HEADLINE_MIN = 3


def _headline_shaped(line: Line) -> bool:
    """A line that may be a headline or its dek: no rule matched it, no sentence of text
    (a headline may ask: "... Are you guys OK?")."""
    asks = line.text.rstrip().endswith(("?", "!")) and line.words <= _HEADLINE_WORDS
    return line.hit is None and line.date is None and (asks or not (line.terminal or line.body))


def _kept_or_edge(line: Line) -> bool:
    """Whether the line is kept, or cut only for where it stands (page chrome by position)."""
    return line.decision is None or line.decision[1] == "edge"


def _matched(line: Line) -> bool:
    """Whether a phrase rule matched the line or it goes to the byline or the date."""
    return line.hit is not None or _salvaged(line)


def _salvaged(line: Line) -> bool:
    """Whether the line goes to the byline or the date (a lone "By" over the name too)."""
    return line.decision is not None and (
        line.decision[3] in ("byline", "date", "date_text") or line.decision[1] == "byline"
    )


def _above_byline(head: list[Line], i: int) -> bool:
    """Whether line ``i`` is the page's first line of its own, right above its byline and
    date: a headline in any case ("Ferry to resume night service" / "By Jane Doe"). Above
    it only chrome that rules matched and short labels ("Opinion"); between it and the
    text only lines going to the byline or date. A standfirst or a caption in between
    leaves the title undecided rather than guessed.
    """
    salvaged = [_salvaged(line) for line in head[i + 1 :]]
    return (
        bool(salvaged)
        and all(salvaged)
        and all(
            (line.hit is not None and not _labelled(line)) or line.words <= 2 for line in head[:i]
        )
    )


#: A menu entry has at most this many words.
_MENU_ENTRY = 4


def _in_menu(head: list[Line], i: int) -> bool:
    """Whether ``head[i]`` is an entry of a menu: short, between two more short entries
    no rule matched ("Opinion" / "Sea Views" / "Letters"). A headline stands alone
    between page chrome: labels, bylines, share rows."""
    if not 0 < i < len(head) - 1 or head[i].words > _MENU_ENTRY:
        return False
    return all(
        not _matched(line) and line.title_like and line.words <= _MENU_ENTRY
        for line in (head[i - 1], head[i + 1])
    )


def _labelled(line: Line) -> bool:
    """A line whose rule matched only its label: "Related: Some headline" is itself a
    link, "Watch: Storm batters the coast" a headline, not a bare header."""
    hit = line.hit
    return (
        hit is not None
        and hit.kind == "start"
        and hit.evidence.endswith(":")
        and len(normalize(line.text)) > len(hit.evidence) + 3
    )


def _join(parts: list[str]) -> str:
    return "\n".join(part for part in parts if part)


def _by_paragraph(lines: list[Line]) -> Iterator[tuple[Paragraph, list[Line]]]:
    group: list[Line] = []
    for line in lines:
        if group and line.para is not group[0].para:
            yield group[0].para, group
            group = []
        group.append(line)
    if group:
        yield group[0].para, group
