"""Encoding: decode bytes of unknown charset, then repair what decoding went wrong before us.

Two jobs live here:

* :func:`decode_bytes` turns a file's bytes into text. BOMs and UTF-8 decide most files;
  legacy files are read as Windows-1252 unless the result looks like a CJK or Cyrillic
  code page read as Western, in which case charset detection picks among those pages.
* :class:`EncodingStage` applies a short list of named fixes to each paragraph (HTML
  entities, mojibake, control and invisible characters, odd whitespace). Each fix that
  changes a paragraph is logged as its own edit, with ftfy's explanation where ftfy did
  the work. Typography is left as written: curly quotes, dashes, full-width CJK
  punctuation and ligatures stay unless an option asks otherwise.
"""

from __future__ import annotations

import codecs
import re  # stdlib re: these are plain character classes, and re scans them ~2x faster
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import ftfy
import ftfy.fixes

from .document import Document, Editor, Paragraph
from .stage import Stage, StageOptions


class UndecodableBytes(ValueError):
    """The bytes are not text in any encoding we can recognise (binary data, say)."""


# --- decoding bytes -------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Code pages tried when Windows-1252 reads as gibberish: each is common on the web for a
#: script that Windows-1252 cannot show.
_NON_WESTERN_CODEPAGES = (
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "gb18030",
    "big5",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_7",
    "cp1253",
    "cp1255",
    "cp1256",
    "cp874",
)

#: Three or more non-ASCII letters in a row: normal for CJK or Cyrillic read as
#: Windows-1252 ("ÇÑ±¹¾î"), rare in real Western European text.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")

#: C0 controls other than tab, newline, carriage return and form feed; a text file has few.
_BINARY_BYTES = frozenset(range(0, 9)) | {11} | frozenset(range(14, 32))


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedText:
    """Decode bytes of unknown encoding; raise :class:`UndecodableBytes` for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return DecodedText(_decode(data, encoding), encoding)
    utf16 = _sniff_utf16(data)
    if utf16:
        return DecodedText(_decode(data, utf16), utf16)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise UndecodableBytes("binary content (control bytes), not text")
    return _decode_legacy(data)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableBytes(f"invalid {encoding} at byte {exc.start}") from exc


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL in every other byte of mostly-Latin text."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _BINARY_BYTES)
    return controls > max(2, len(sample) // 100)


def _decode_legacy(data: bytes) -> DecodedText:
    """Bytes that are not UTF-8: Western European, unless that reads as gibberish."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:  # a byte cp1252 leaves undefined: not Western text
        western = None
    if western is not None and not _reads_as_gibberish(western):
        has_c1 = any(0x80 <= byte <= 0x9F for byte in data)
        return DecodedText(western, "cp1252" if has_c1 else "latin-1")
    guess = _guess_codepage(data)
    if guess is not None:
        return guess
    if western is not None:
        return DecodedText(western, "cp1252")
    return DecodedText(data.decode("latin-1"), "latin-1")


def _reads_as_gibberish(text: str) -> bool:
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    if non_ascii < 4:
        return False
    in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(text))
    return in_runs / non_ascii > 0.5


def _guess_codepage(data: bytes) -> DecodedText | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_NON_WESTERN_CODEPAGES)).best()
    if best is None:
        return None
    return DecodedText(str(best), codecs.lookup(best.encoding).name)


# --- text fixes -----------------------------------------------------------------------


@dataclass(frozen=True)
class EncodingOptions(StageOptions):
    #: Decode HTML entities left in plain text ("caf&eacute;" -> "café").
    unescape_html: bool = True
    #: Undo mojibake: text decoded with the wrong codec, once or twice (ftfy.fix_encoding).
    fix_mojibake: bool = True
    #: Drop C0 controls, deprecated format characters and stray byte-order marks.
    remove_control_chars: bool = True
    #: Drop zero-width spaces, word joiners and soft hyphens (joiners ZWJ/ZWNJ stay).
    remove_invisible_chars: bool = True
    #: Turn tabs and rare Unicode spaces into plain spaces, collapse runs, trim line ends.
    normalize_whitespace: bool = True
    #: Also turn no-break spaces into plain spaces (off: French typography uses them).
    replace_nbsp: bool = False
    #: Compose characters to Unicode NFC ("e" + combining acute -> "é").
    normalize_nfc: bool = True
    #: Straighten curly quotes (off: they are legitimate typography).
    uncurl_quotes: bool = False
    #: Split Latin ligatures ("ﬁ" -> "fi").
    fix_latin_ligatures: bool = False
    #: Make full-width Latin and half-width katakana normal width (off: CJK punctuation).
    fix_character_width: bool = False


@dataclass(frozen=True)
class Fix:
    """One named fix: the option that turns it on and a function returning (text, why).

    A fix with ``whole_document`` sees all paragraphs at once: mojibake detection needs
    the evidence of the whole text (one "Â½" alone is too little to act on).
    """

    name: str
    apply: Callable[[str, EncodingOptions], tuple[str, str]]
    whole_document: bool = False


_FTFY_MOJIBAKE = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
)


def _explain(steps: list[tuple[str, str]] | None) -> str:
    return ", ".join(f"{action}({arg})" for action, arg in steps or [])


def unescape_html(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Entities such as ``&amp;`` or ``&eacute;`` in text that is no longer HTML."""
    if "&" not in text:
        return text, ""
    return ftfy.fixes.unescape_html(text), "ftfy.fixes.unescape_html"


def _mojibake_signature() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """What any UTF-8 mojibake that ftfy can repair must contain, built from the code pages,
    and two quick hints that any text with that signature has.

    A multi-byte UTF-8 character is a lead byte (0xC2-0xF4) and continuation bytes
    (0x80-0xBF). Read in one of the single-byte code pages ftfy repairs, it becomes a
    lead-byte character directly followed by a continuation-byte character of that
    same page ("Ã©", "â€™", "‚Äô", "Ð¿"). Besides such pairs, ftfy acts on C1 controls,
    U+FFFD, lone surrogates, terminal escapes and a no-break space lost after "Ã"/"Â".

    The signature is an alternation that ``re`` tries at every position of the text. The
    hints (a lead character of any page before a continuation character of any page; one
    of the lone characters) each open with a character class, which ``re`` skips to with
    its fast scan: five times quicker, and most texts have neither, so the exact
    signature is only searched in the few that do.
    """
    import ftfy.bad_codecs  # noqa: F401 (registers the sloppy-windows-* codecs)
    from ftfy.chardata import CHARMAP_ENCODINGS

    def chars(codec: str, low: int, high: int) -> str:
        decoded = bytes(range(low, high + 1)).decode(codec, errors="ignore")
        return "".join(sorted(set(decoded))).replace("\\", "\\\\").replace("]", "\\]")

    leads = {codec: chars(codec, 0xC2, 0xF4) for codec in CHARMAP_ENCODINGS}
    continuations = {codec: chars(codec, 0x80, 0xBF) for codec in CHARMAP_ENCODINGS}
    pairs = [f"[{leads[codec]}][{continuations[codec]}]" for codec in CHARMAP_ENCODINGS]
    lone = "\\x80-\\x9f\\ufffd\\ud800-\\udfff\\x1b"
    others = f"[{lone}]|[\\u00c2\\u00c3] "
    hints = (
        re.compile(f"[{''.join(leads.values())}][{''.join(continuations.values())}]"),
        re.compile(f"[{lone}\\u00c2\\u00c3]"),
    )
    return re.compile("|".join([*pairs, others])), hints


#: Compiled once at import: text without this signature has no mojibake for ftfy to fix.
_MAYBE_MOJIBAKE, _MOJIBAKE_HINTS = _mojibake_signature()


def may_be_mojibake(text: str) -> bool:
    """True when ``text`` carries the signature the mojibake repair looks closer at."""
    return (
        any(hint.search(text) for hint in _MOJIBAKE_HINTS)
        and _MAYBE_MOJIBAKE.search(text) is not None
    )


def repairs_mojibake(text: str) -> bool:
    """True when the mojibake repair would change ``text``.

    Later stages that rewrite characters (casing) check their output with it, so that it
    is never something this stage would "repair" on a second run ("â " capitalized is
    "Â ", which reads as a no-break space mangled by a wrong code page).
    """
    return may_be_mojibake(text) and ftfy.fix_and_explain(text, config=_FTFY_MOJIBAKE)[0] != text


def fix_mojibake(text: str, options: EncodingOptions) -> tuple[str, str]:
    """UTF-8 read as Windows-1252, Latin-1, MacRoman, Windows-1251 (ftfy's fix_encoding).

    ftfy's own check is the costly part, so text without the mojibake signature (see
    :func:`_mojibake_signature`) skips it.
    """
    if not may_be_mojibake(text):
        return text, ""
    fixed, steps = ftfy.fix_and_explain(text, config=_FTFY_MOJIBAKE)
    return fixed, "ftfy: " + _explain(steps)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc]")


def remove_control_chars(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Controls nobody means to write: U+0000-U+0008, U+000B, U+000E-U+001F, U+007F, ..."""
    if not _CONTROL_CHARS.search(text):
        return text, ""
    return ftfy.fixes.remove_control_chars(text), "ftfy.fixes.remove_control_chars"


_INVISIBLE = re.compile(r"[\u200b\u2060\u00ad\u180e]")


def remove_invisible_chars(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Zero-width space, word joiner, soft hyphen: invisible, yet they split words apart."""
    if not _INVISIBLE.search(text):
        return text, ""
    return _INVISIBLE.sub("", text), "zero-width space, word joiner or soft hyphen"


_ODD_SPACES = re.compile(r"[\t\f\v\u1680\u2000-\u200a\u205f]")
_NBSP = re.compile(r"[\u00a0\u202f]")
_SPACE_RUN = re.compile(r" {2,}")
_LINE_EDGE_SPACES = re.compile(r" *\n *")
#: Pairs of spaces that ``normalize_whitespace`` has work with. (Looked for with ``in``
#: rather than as branches of one regex: ``re`` would try them all at every position.)
_SPACE_WORK = ("  ", " \n", "\n ")


def normalize_whitespace(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Tabs and rare spaces become " ", runs of spaces one space, line ends are trimmed."""
    work = (
        _ODD_SPACES.search(text)
        or any(pair in text for pair in _SPACE_WORK)
        or text.startswith((" ", "\n"))
        or text.endswith((" ", "\n"))
        or (options.replace_nbsp and _NBSP.search(text))
    )
    if not work:
        return text, ""
    text = _ODD_SPACES.sub(" ", text)
    if options.replace_nbsp:
        text = _NBSP.sub(" ", text)
    text = _LINE_EDGE_SPACES.sub("\n", _SPACE_RUN.sub(" ", text))
    return text.strip(" \n"), "spaces"


def normalize_nfc(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Decomposed accents (common in text from macOS) become their composed form."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text, ""
    return unicodedata.normalize("NFC", text), "NFC"


def uncurl_quotes(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Curly quotes become straight ASCII quotes (a style choice, off by default)."""
    return ftfy.fixes.uncurl_quotes(text), "ftfy.fixes.uncurl_quotes"


def fix_latin_ligatures(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Typographic ligatures ("ﬁ") become separate letters (off by default)."""
    return ftfy.fixes.fix_latin_ligatures(text), "ftfy.fixes.fix_latin_ligatures"


def fix_character_width(text: str, options: EncodingOptions) -> tuple[str, str]:
    """Full-width Latin letters and half-width katakana take normal width (off by default)."""
    return ftfy.fixes.fix_character_width(text), "ftfy.fixes.fix_character_width"


#: The fixes in the order they run; each is switched on by the option of the same name.
FIXES: tuple[Fix, ...] = tuple(
    Fix(function.__name__, function, whole_document=function is fix_mojibake)
    for function in (
        remove_control_chars,
        unescape_html,
        fix_mojibake,
        remove_invisible_chars,
        normalize_whitespace,
        normalize_nfc,
        uncurl_quotes,
        fix_latin_ligatures,
        fix_character_width,
    )
)


def repair_text(text: str, options: EncodingOptions | None = None) -> str:
    """Apply the enabled fixes to one string, without logging (for scorers and callers)."""
    options = options or EncodingOptions()
    for fix in FIXES:
        if getattr(options, fix.name):
            text, _why = fix.apply(text, options)
    return text


class EncodingStage(Stage):
    """Repairs character-level damage paragraph by paragraph, one logged edit per fix."""

    name = "encoding"
    Options = EncodingOptions
    options: EncodingOptions

    def __init__(self, options: StageOptions | None = None, **overrides: object) -> None:
        super().__init__(options, **overrides)
        self._fixes = [fix for fix in FIXES if getattr(self.options, fix.name)]

    def apply(self, doc: Document) -> Document:
        editor = self.editor(doc)
        texts = [para.text for para in doc.paragraphs]
        for _round in range(_MAX_ROUNDS):  # one fix can expose work for another
            before_round = texts
            for fix in self._fixes:
                if fix.whole_document:
                    texts = self._fix_whole_document(fix, doc.paragraphs, texts, editor)
                else:
                    texts = [
                        self._fix_paragraph(fix, para, text, editor)
                        for para, text in zip(doc.paragraphs, texts, strict=True)
                    ]
            if texts == before_round:
                break
        for para, text in zip(list(doc.paragraphs), texts, strict=True):
            if text == para.text:
                continue
            if text.strip():
                editor.set_text(para, text)
            else:  # whitespace alone is no paragraph (see split_paragraphs)
                editor.remove(para, "empty_after_repair")
        return doc

    def _fix_paragraph(self, fix: Fix, para: Paragraph, text: str, editor: Editor) -> str:
        fixed, why = fix.apply(text, self.options)
        if fixed != text:
            editor.log(para, fix.name, "replace", *_changed_span(text, fixed), why)
        return fixed

    def _fix_whole_document(
        self, fix: Fix, paragraphs: list[Paragraph], texts: list[str], editor: Editor
    ) -> list[str]:
        """Run a fix on the joined text, then log it per paragraph it changed."""
        joined = _PARAGRAPH_JOIN.join(texts)
        fixed, why = fix.apply(joined, self.options)
        if fixed == joined:
            return texts
        fixed_texts = fixed.split(_PARAGRAPH_JOIN)
        if len(fixed_texts) != len(texts):  # the fix moved a paragraph break: go one by one
            return [
                self._fix_paragraph(fix, para, text, editor)
                for para, text in zip(paragraphs, texts, strict=True)
            ]
        for para, before, after in zip(paragraphs, texts, fixed_texts, strict=True):
            if before != after:
                editor.log(para, fix.name, "replace", *_changed_span(before, after), why)
        return fixed_texts


#: Rounds of fixes at most; a removed control character can reveal mojibake, and so on.
_MAX_ROUNDS = 4

#: Paragraphs never contain a blank line, so a blank line can join and re-split them.
_PARAGRAPH_JOIN = "\n\n"


def _changed_span(before: str, after: str) -> tuple[str, str]:
    """The smallest differing span of two strings, widened to whole words for readability."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    start = _word_start(before, start)
    b_end, a_end = len(before) - end, len(after) - end
    while b_end < len(before) and not before[b_end].isspace():
        b_end += 1
        a_end += 1
    return before[start:b_end], after[start:a_end]


def _word_start(text: str, position: int) -> int:
    """Move back to the start of the word at ``position`` (or of the word before a space)."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position
