"""Legacy VNI and TCVN3 text: conversion, what is left alone, `check`'s warning and `site-builder convert`."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from conftest import SITE_BUILDER, run_tool, story_text
from site_builder.legacy_text import Encoding, convert, is_syllable, normalise, to_unicode

UNICODE = "Việt Nam đoàn kết, tôi yêu quê hương Bình Xuyên; ông Hoàng Văn Tuấn được khen thưởng"


def encode_tcvn3(text: str) -> str:
    """`text` as the TCVN3 bytes GNU iconv writes, read back as Latin-1 (what a .VnTime file shows)."""
    done = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True,
                          check=True)
    return done.stdout.decode("latin-1")


VNI = "Vieät Nam ñoaøn keát, toâi yeâu queâ höông Bình Xuyeân; oâng Hoaøng Vaên Tuaán ñöôïc khen thöôûng"


def test_vni_text_is_converted():
    result = to_unicode(VNI)
    assert result.encoding is Encoding.VNI
    assert result.text == UNICODE
    assert result.words >= 10


def test_vni_capitals_take_capital_marks():
    assert to_unicode("VIEÄT NAM ÑOAØN KEÁT").text == "VIỆT NAM ĐOÀN KẾT"


@pytest.mark.skipif(subprocess.run(["which", "iconv"], capture_output=True).returncode != 0, reason="no iconv")
def test_tcvn3_text_from_iconv_is_converted_back():
    """The table was made from glibc's TCVN5712-1; text it encodes (lowercase, as ABC fonts store it) comes back."""
    text = UNICODE.lower()
    legacy = encode_tcvn3(text)
    assert legacy != text
    result = to_unicode(legacy)
    assert result.encoding is Encoding.TCVN3
    assert result.text == text


def test_tcvn3_known_words():
    assert to_unicode("Tr\xadêng häc cña chóng t«i cã 30 häc sinh giái").text == \
        "Trường học của chúng tôi có 30 học sinh giỏi"


@pytest.mark.parametrize("text", [
    UNICODE,
    "Hoà bình, hoà thuận, khoẻ mạnh, thuý",  # old tone placement is Unicode, not VNI "hồ"
    "Müller © 2024 Báo X, 30°C, « Le Monde », ½ × 3, São Paulo",
    "CLB, UBND, MTTQ, KT - XH, 100 % cán bộ",
    '</script><script>alert(1)</script> "Trích" & <b>đậm</b>',
])
def test_unicode_and_foreign_text_is_left_alone(text):
    result = to_unicode(text)
    assert result.encoding is None
    assert result.text == text


def test_a_vni_run_inside_a_unicode_paragraph_converts_only_its_words():
    result = to_unicode("Đảng bộ hoà Vieät Nam ñoaøn keát")
    assert result.text == "Đảng bộ hoà Việt Nam đoàn kết"


def test_normalise_gives_nfc_and_the_modern_tone_placement():
    nfd = unicodedata.normalize("NFD", "Hoà thuận, khoẻ, thuý, quý, hoàng")
    assert normalise(nfd) == "Hòa thuận, khỏe, thúy, quý, hoàng"
    assert normalise(VNI) == UNICODE


@pytest.mark.parametrize("word, expected", [
    ("nghiêng", True), ("quốc", True), ("gìn", True), ("khuỷu", True), ("hoà", True), ("hòa", True),
    ("caùc", False), ("Vieät", False), ("UBND", False), ("aâ", False), ("hóaà", False),
])
def test_syllables(word, expected):
    assert is_syllable(word) is expected


def test_convert_is_plain_table_lookup():
    assert convert("ñöôøng", Encoding.VNI) == "đường"
    assert convert("\xa7\xb6ng", Encoding.TCVN3) == "Đảng"


# --- check and convert ----------------------------------------------------------------------------


def test_check_warns_about_legacy_text_and_convert_fixes_it(tmp_project):
    p = tmp_project
    text = story_text("Bài có chữ VNI", "2025-03-01 08:00", summary="Caùc caáp hoäi phuï nöõ Bình Xuyeân",
                      body="Đoạn đầu bằng Unicode.\n\nToâi yeâu Vieät Nam.\n")
    path = p.add_story("bai-vni", text)
    check = run_tool(SITE_BUILDER, "check", cwd=p.root)
    assert check.returncode == 0, check.stderr  # a warning, not an error
    lines = check.stderr.splitlines()
    summary_line = [line for line in lines if ": summary: " in line]
    body_line = [line for line in lines if ": body: " in line]
    assert summary_line and summary_line[0].startswith("content/stories/2025/bai-vni.md:4: summary: cảnh báo:")
    assert "VNI" in summary_line[0] and "site-builder convert content/stories/2025/bai-vni.md" in summary_line[0]
    assert body_line and body_line[0].startswith("content/stories/2025/bai-vni.md:9: body: cảnh báo:")

    dry = run_tool(SITE_BUILDER, "convert", "--dry-run", path, cwd=p.root)
    assert dry.returncode == 0, dry.stderr
    assert path.read_text(encoding="utf-8") == text
    done = run_tool(SITE_BUILDER, "convert", path, cwd=p.root)
    assert done.returncode == 0, done.stderr
    converted = path.read_text(encoding="utf-8")
    assert "Các cấp hội phụ nữ Bình Xuyên" in converted and "Tôi yêu Việt Nam." in converted
    check = run_tool(SITE_BUILDER, "check", cwd=p.root)
    assert "VNI" not in check.stderr, check.stderr


def test_convert_reads_a_windows_1252_file_and_writes_utf8(tmp_project):
    p = tmp_project
    text = story_text("Bài cũ", "2025-03-01 08:00", summary="Toâi yeâu Vieät Nam", body="Ñoaøn keát.\n")
    path = p.root / "content/stories/2025/bai-cu.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("Bài cũ", "Bai cu").encode("cp1252"))
    assert run_tool(SITE_BUILDER, "check", cwd=p.root).returncode == 1  # not UTF-8: an error
    assert run_tool(SITE_BUILDER, "convert", path, cwd=p.root).returncode == 0
    converted = path.read_bytes().decode("utf-8")
    assert "summary: \"Tôi yêu Việt Nam\"" in converted and "Đoàn kết." in converted
    assert run_tool(SITE_BUILDER, "check", cwd=p.root).returncode == 0
