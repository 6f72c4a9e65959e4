from __future__ import annotations

import json

import pytest

import textwash
from textwash.encoding import EncodingOptions, UndecodableBytes, decode_bytes, repair_text

WESTERN = "Zoë’s café on the Rue Saint-Honoré served crème brûlée"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("western.cp1252.txt", "cp1252"),
        ("western.utf16.txt", "utf-16"),
        ("western.utf8bom.txt", "utf-8-sig"),
        ("spanish.latin1.txt", "latin-1"),
        ("russian.cp1251.txt", "cp1251"),
    ],
)
def test_files_of_unknown_encoding_decode(fixtures, name, encoding):
    decoded = decode_bytes((fixtures / "encoding" / name).read_bytes())
    assert decoded.encoding == encoding
    assert "\ufeff" not in decoded.text
    assert "Ã" not in decoded.text and "\ufffd" not in decoded.text


def test_utf16_without_bom_is_recognised():
    decoded = decode_bytes(WESTERN.encode("utf-16-le"))
    assert decoded.text == WESTERN and decoded.encoding == "utf-16-le"


def test_binary_data_is_refused(fixtures):
    with pytest.raises(UndecodableBytes, match="binary"):
        decode_bytes((fixtures / "encoding" / "binary.dat").read_bytes())


def test_analyze_bytes_records_the_encoding(fixtures):
    doc = textwash.analyze((fixtures / "encoding" / "western.cp1252.txt").read_bytes())
    assert doc.metadata["encoding"] == "cp1252"
    assert doc.text.startswith(WESTERN)


def _cases(fixtures):
    with open(fixtures / "encoding" / "mojibake.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_mojibake_and_entities_are_repaired_and_typography_kept(fixtures):
    for case in _cases(fixtures):
        assert textwash.clean(case["dirty"], stages=["encoding"]) == case["clean"], case["name"]


def test_each_repair_is_logged_with_ftfys_explanation():
    doc = textwash.analyze("Weâ€™re here.\n\nAll fine.", stages=["encoding"])
    (edit,) = doc.edits
    assert edit.rule == "fix_mojibake" and edit.paragraph == 0
    assert edit.before == "Weâ€™re" and edit.after == "We’re"
    assert "decode(utf-8)" in edit.evidence


def test_mojibake_uses_evidence_from_the_whole_document():
    # One mojibaked "½" alone is too little evidence; the other paragraph settles it.
    text = "Add ВЅ cup of milk.\n\nРњРѕСЃРєРІР° РЅР° СЂРµРєРµ is a city."
    fixed = "Add ½ cup of milk.\n\nМосква на реке is a city."
    assert textwash.clean(text, stages=["encoding"]) == fixed
    assert textwash.clean(text.split("\n\n")[0], stages=["encoding"]) == "Add ВЅ cup of milk."


def test_control_invisible_and_odd_whitespace_are_normalised(fixtures):
    text = (fixtures / "encoding" / "control-chars.txt").read_text(encoding="utf-8")
    doc = textwash.analyze(text, stages=["encoding"])
    assert doc.text == (
        "The file had a NUL, a bell and a form feed.\n\n"
        "Zerowidth and softhyphen and a wide space.\n"
    )
    assert {e.rule for e in doc.edits} == {
        "remove_control_chars",
        "remove_invisible_chars",
        "normalize_whitespace",
    }


def test_style_options_are_off_by_default_and_can_be_switched_on():
    text = "“ﬁne”, ＡＢＣ"
    assert repair_text(text) == text
    styled = EncodingOptions(uncurl_quotes=True, fix_latin_ligatures=True, fix_character_width=True)
    assert repair_text(text, styled) == '"fine", ABC'


def test_nfc_composes_decomposed_accents():
    assert textwash.clean("cafe\u0301", stages=["encoding"]) == "café"


def test_paragraph_emptied_by_repair_is_removed_and_logged():
    doc = textwash.analyze("Real text.\n\n\u200b", stages=["encoding"])
    assert doc.text == "Real text."
    assert doc.edits[-1].rule == "empty_after_repair"


def test_mojibake_from_every_code_page_ftfy_repairs_carries_the_signature():
    import ftfy.bad_codecs  # noqa: F401
    from ftfy.chardata import CHARMAP_ENCODINGS

    from textwash.encoding import _MAYBE_MOJIBAKE

    samples = list("éüñß’“”–—…€£©½Жяąłşğřůőαß♪中😀")
    for codec in CHARMAP_ENCODINGS:
        for char in samples:
            garbled = char.encode("utf-8").decode(codec, errors="ignore")
            assert _MAYBE_MOJIBAKE.search(f"a {garbled} b"), (codec, char, garbled)
    # Typical accented prose has no such pair, so ftfy's costlier check is skipped; a
    # rare legitimate pair ("Zoë’s": ë then ’) only costs that check, never a change.
    assert not _MAYBE_MOJIBAKE.search("The café — “déjà vu” in Köln at 12 °C, naïve.")
    assert textwash.clean("Zoë’s café", stages=["encoding"]) == "Zoë’s café"
