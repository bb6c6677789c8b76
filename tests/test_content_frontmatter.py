"""Front matter splitting and line-aware YAML parsing."""

from __future__ import annotations

import datetime as dt
import unicodedata

from site_builder.content.frontmatter import decode, format_loc, parse_document, parse_yaml


def test_split_keeps_lines_of_keys_and_items():
    doc = parse_document(
        "---\n"
        "title: Tiêu đề\n"  # 2
        "date: 2026-03-14\n"  # 3
        "when: 2026-03-14 08:30:00\n"  # 4
        "people:\n"  # 5
        "  - name: A\n"  # 6
        "    role: B\n"  # 7
        "  - name: C\n"  # 8
        "---\n"
        "Body line one\n"  # 10
        "two\n"
    )
    assert doc.problems == []
    assert doc.data["date"] == dt.date(2026, 3, 14)
    assert doc.data["when"] == dt.datetime(2026, 3, 14, 8, 30)
    assert doc.line(("title",)) == 2
    assert doc.line(("people", 0)) == 6
    assert doc.line(("people", 0, "role")) == 7
    assert doc.line(("people", 1, "name")) == 8
    assert doc.line(("people", 1, "missing")) == 8  # nearest located parent
    assert doc.body == "Body line one\ntwo\n"
    assert doc.body_line == 10


def test_crlf_and_bom():
    doc = parse_document("\ufeff---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert doc.problems == []
    assert doc.data == {"title": "x"}
    assert doc.body == "body\r\n"
    assert doc.body_line == 4


def test_malformed_yaml_reports_yaml_line():
    doc = parse_document("---\ntitle: ok\nsummary: [unclosed\nkind: x\n---\n")
    assert len(doc.problems) == 1
    assert doc.problems[0].line in (3, 4)
    assert doc.problems[0].message.startswith("YAML viết sai (")
    assert doc.problems[0].message.endswith("hãy kiểm tra dấu nháy, dấu hai chấm và thụt lề")


def test_bad_indentation_line():
    doc = parse_document("---\ntitle: a\n  bad: b\n---\n")
    assert [p.line for p in doc.problems] == [3]


def test_missing_and_unterminated_front_matter_at_line_1():
    missing = parse_document("title: x\n\nbody")
    assert [(p.line, p.message) for p in missing.problems] == [
        (1, "thiếu phần đầu (front matter): dòng đầu tiên của tệp phải là '---'")
    ]
    unterminated = parse_document("---\ntitle: x\nbody\n")
    assert [p.line for p in unterminated.problems] == [1]
    assert unterminated.problems[0].message == (
        "phần đầu (front matter) chưa được đóng: hãy thêm dòng '---' sau phần đầu"
    )


def test_empty_front_matter_is_an_empty_mapping():
    doc = parse_document("---\n---\nbody")
    assert doc.problems == [] and doc.data == {} and doc.body_line == 3


def test_front_matter_must_be_a_mapping():
    doc = parse_document("---\n- a\n- b\n---\n")
    assert doc.data is None
    assert [(p.line, p.loc) for p in doc.problems] == [(2, ())]


def test_unsafe_tags_are_rejected_not_executed():
    doc = parse_document("---\ntitle: ok\nx: !!python/object/apply:os.system [echo hi]\n---\n")
    assert [(p.line, format_loc(p.loc)) for p in doc.problems] == [(3, "x")]
    assert doc.problems[0].message == (
        "không dùng được thẻ YAML 'tag:yaml.org,2002:python/object/apply:os.system': hãy bỏ phần có dấu '!'"
    )


def test_invalid_timestamp_is_a_problem_on_its_line():
    doc = parse_document("---\ntitle: a\ndate: 2026-02-30\n---\n")
    assert [(p.line, p.loc) for p in doc.problems] == [(3, ("date",))]
    assert doc.problems[0].message == "ngày không hợp lệ '2026-02-30': tháng đó không có ngày này; hãy sửa lại ngày"


def test_duplicate_key_reported():
    doc = parse_document("---\ntitle: a\nkind: x\ntitle: b\n---\n")
    assert [(p.line, p.loc) for p in doc.problems] == [(4, ("title",))]
    assert doc.problems[0].message == "mục 'title' được viết hai lần (lần đầu ở dòng 2): hãy giữ lại một"


def test_alias_bomb_and_recursion_are_stopped():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdef"):
        prev = "abcdef"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    parsed = parse_yaml("\n".join(lines))
    assert parsed.data is None and "YAML quá lớn (hơn 20000 giá trị)" in parsed.problems[0].message
    recursive = parse_yaml("a: &a [*a]")
    assert "tự trỏ vào chính nó" in recursive.problems[0].message


def test_nfd_keys_survive_as_given_until_normalised_by_caller():
    # the loader NFC-normalises the whole text before parsing; keys come out NFC
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", "---\ntiêu_đề: Hòa\n---\n"))
    doc = parse_document(text)
    assert list(doc.data) == ["tiêu_đề"]


def test_decode_reports_line_of_bad_byte():
    text, problem = decode("---\ntitle: ok\n".encode() + b"summary: caf\xe9\n")
    assert text is None and problem.line == 3
    assert "UTF-8" in problem.message


def test_format_loc():
    assert format_loc(("people", 0, "name")) == "people[0].name"
    assert format_loc((2, "name")) == "[2].name"
    assert format_loc(()) == ""
