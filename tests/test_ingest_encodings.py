"""Legacy Vietnamese encodings: the tables' own examples, detection on bytes and on mojibake text."""
from __future__ import annotations

import codecs

import pytest

from pipeline.errors import RuleError
from pipeline.ingest.encodings import UndecodableError, decode_bytes, repair_text
from pipeline.ingest.legacy import EncodingFile, legacy_encodings
from pipeline.ingest.syllables import is_syllable, syllable_score
from pipeline.rules_io import load_rule_file, rules_dir, validate

ENCODINGS = {enc.name: enc for enc in legacy_encodings()}
EXAMPLES = [(enc.name, ex.input, ex.expected) for enc in legacy_encodings() for ex in enc.spec.examples]
TEXT_FORM_EXAMPLES = [case for case in EXAMPLES if ENCODINGS[case[0]].has_text_form]

PARAGRAPH = (
    "Theo kế hoạch, đến năm 2025 tỉnh phấn đấu có 95% cán bộ, công chức cấp xã đạt trình độ chuyên môn "
    "từ trung cấp trở lên. Tổng kinh phí thực hiện khoảng 4,4 tỷ đồng, trong đó ngân sách tỉnh bảo đảm 60%. "
    "Hằng năm mở ít nhất 20 lớp bồi dưỡng kiến thức quản lý nhà nước cho người dân tộc thiểu số ở các "
    "huyện miền núi; đồng thời hỗ trợ học nghề cho khoảng 1.300 lao động nông thôn."
)


def to_tcvn3(text: str) -> bytes:
    inverse = {char: int(key, 16) for key, char in ENCODINGS["TCVN3"].spec.byte_map.items()}
    return bytes(inverse[ch] if ch in inverse else ord(ch) for ch in text)


def to_vni(text: str) -> bytes:
    inverse = {char: seq for seq, char in ENCODINGS["VNI"].spec.sequences.items()}
    return "".join(inverse.get(ch, ch) for ch in text).encode("cp1252")


@pytest.mark.parametrize(("name", "shown", "expected"), EXAMPLES, ids=[f"{c[0]}:{c[2]}" for c in EXAMPLES])
def test_rule_file_example_as_bytes(name: str, shown: str, expected: str) -> None:
    decoded = decode_bytes(shown.encode("cp1252"))
    assert decoded.text == expected
    assert decoded.warnings and decoded.warnings[0].startswith(f"decoded as {name}")


@pytest.mark.parametrize(("name", "shown", "expected"), TEXT_FORM_EXAMPLES, ids=[f"{c[0]}:{c[2]}" for c in TEXT_FORM_EXAMPLES])
def test_rule_file_example_as_mojibake_text(name: str, shown: str, expected: str) -> None:
    assert ENCODINGS[name].convert_text(shown) == expected


class TestBytes:
    def test_utf8_plain_and_with_bom(self) -> None:
        assert decode_bytes(PARAGRAPH.encode("utf-8")).text == PARAGRAPH
        decoded = decode_bytes(codecs.BOM_UTF8 + PARAGRAPH.encode("utf-8"))
        assert decoded.text == PARAGRAPH and decoded.warnings == []

    @pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
    def test_utf16_and_utf32(self, codec: str) -> None:
        data = PARAGRAPH.encode(codec)
        if codec == "utf-16-le":
            data = codecs.BOM_UTF16_LE + data
        elif codec == "utf-16-be":
            data = codecs.BOM_UTF16_BE + data
        assert decode_bytes(data).text == PARAGRAPH

    def test_utf16_without_bom(self) -> None:
        decoded = decode_bytes(PARAGRAPH.encode("utf-16-le"))
        assert decoded.text == PARAGRAPH
        assert "UTF-16" in decoded.warnings[0]

    @pytest.mark.parametrize(("name", "encode"), [("TCVN3", to_tcvn3), ("VNI", to_vni)])
    def test_legacy_font_bytes(self, name: str, encode) -> None:
        decoded = decode_bytes(encode(PARAGRAPH))
        assert decoded.text == PARAGRAPH
        assert decoded.warnings[0].startswith(f"decoded as {name}")

    def test_windows_1258_bytes_are_composed_to_nfc(self) -> None:
        import unicodedata

        def split_tone(ch: str) -> str:  # cp1258 keeps the tone as a separate combining byte
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            return base + tones

        data = "".join(split_tone(ch) for ch in PARAGRAPH).encode("cp1258")
        assert len(data) > len(PARAGRAPH)  # some tones really are separate bytes
        decoded = decode_bytes(data)
        assert decoded.text == PARAGRAPH
        assert decoded.warnings[0].startswith("decoded as Windows-1258")

    def test_undecodable_bytes_say_why(self) -> None:
        with pytest.raises(UndecodableError, match="not UTF-8.*no legacy Vietnamese encoding fits"):
            decode_bytes(bytes(range(0x80, 0x100)) * 4)


class TestMojibakeText:
    @pytest.mark.parametrize(("name", "encode"), [("TCVN3", to_tcvn3), ("VNI", to_vni)])
    def test_unicode_mojibake_is_repaired(self, name: str, encode) -> None:
        shown = encode(PARAGRAPH).decode("cp1252")
        assert shown != PARAGRAPH
        text, warnings = repair_text(shown)
        assert text == PARAGRAPH
        assert len(warnings) == 1 and warnings[0].startswith(f"decoded as {name}")

    @pytest.mark.parametrize("text", [
        PARAGRAPH,
        PARAGRAPH + " Nhiệt độ 30°C ± 2°; © Báo Quảng Bình · «Tin nổi bật» ® ª º ¼ ½ ¾",
        "Señor Müller visited Zürich; the café façade was façade. Ærø, Øresund, ñandú, über, naïve.",
    ], ids=["vietnamese", "vietnamese-with-latin1-symbols", "european"])
    def test_proper_text_is_left_alone(self, text: str) -> None:
        assert repair_text(text) == (text, [])


class TestSyllables:
    @pytest.mark.parametrize("word", ["Việt", "người", "nghiêng", "khuỷu", "quốc", "giữa", "Uỷ", "ỦY", "tỷ", "hoà"])
    def test_valid(self, word: str) -> None:
        assert is_syllable(word)

    @pytest.mark.parametrize("word", ["ViÖt", "Vieät", "ho¹ch", "COVID", "strength", "việtt", "vìệt"])
    def test_invalid(self, word: str) -> None:
        assert not is_syllable(word)

    def test_score(self) -> None:
        assert syllable_score(PARAGRAPH) == 1.0
        assert syllable_score("") == 0.0


class TestRuleFiles:
    def test_rules_dir_holds_the_encoding_tables(self) -> None:
        assert (rules_dir() / "encodings" / "tcvn3.yaml").is_file()

    def test_tcvn3_table_is_complete_for_lower_case(self) -> None:
        import unicodedata

        letters = set("ăâêôơưđ") | {
            unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in "\u0300\u0301\u0303\u0309\u0323"
        }
        mapped = set(ENCODINGS["TCVN3"].spec.byte_map.values())
        assert letters <= mapped, sorted(letters - mapped)

    def test_vni_table_covers_every_letter_in_both_cases(self) -> None:
        import unicodedata

        letters = set("ăâêôơưđ") | {
            unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in "\u0300\u0301\u0303\u0309\u0323"
        }
        mapped = set(ENCODINGS["VNI"].spec.sequences.values())
        assert letters | {ch.upper() for ch in letters} <= mapped

    def test_unknown_key_is_a_rule_error_naming_file_and_field(self, tmp_path) -> None:
        with pytest.raises(RuleError, match=r"bad\.yaml: field colour: Extra inputs are not permitted"):
            validate({"name": "X", "warning": "decoded as X", "kind": "codec", "codec": "cp1258",
                      "examples": [{"input": "a", "expected": "a"}], "colour": "red"},
                     EncodingFile, source=tmp_path / "bad.yaml")

    def test_wrong_field_is_a_rule_error(self, tmp_path) -> None:
        with pytest.raises(RuleError, match=r"field byte_map: .*'7F'"):
            validate({"name": "X", "warning": "decoded as X", "kind": "bytemap", "byte_map": {"7F": "a"},
                      "examples": [{"input": "a", "expected": "a"}]}, EncodingFile, source=tmp_path / "bad.yaml")

    def test_missing_file_is_a_rule_error(self) -> None:
        with pytest.raises(RuleError, match="no-such.yaml"):
            load_rule_file("encodings/no-such.yaml", EncodingFile)
