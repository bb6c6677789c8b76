"""Consent and personal data (site_builder.content.privacy) through the loader and `check`:
each consent rule (adult, minor without a guardian, a child of 7 or more, `require_consent`),
each kind of personal data with the usual Vietnamese spellings, and `allow_personal_data`."""

from __future__ import annotations

import pytest

from conftest import SITE_BUILDER, TmpProject, run_tool, story_text
from site_builder.content import validate_content

COVER = "cover: {src: 2026/anh.jpg, alt: Ảnh minh họa}\n"


def issues_of(project: TmpProject, require_consent: bool = False) -> list[tuple[int, str, str, str]]:
    _content, issues = validate_content(project.root, "content", require_consent)
    return [(i.line, i.field, i.severity, i.message) for i in issues]


def _story(project: TmpProject, extra: str, body: str = "Nội dung.", summary: str = "Tóm tắt ngắn.") -> None:
    project.copy_image("2026/anh.jpg")
    project.add_story("bai", story_text("Bài", "2026-03-14 08:30", summary=summary, body=body, extra=extra))


@pytest.fixture
def project(tmp_path) -> TmpProject:
    return TmpProject(tmp_path / "p")


def test_adult_without_consent_is_a_warning_naming_line_and_person(project):
    _story(project, COVER + "people:\n  - name: Nguyễn Văn A\n    role: Nông dân\n")
    [(line, field, severity, message)] = issues_of(project)
    assert (line, field, severity) == (8, "people[0].name", "warning")
    assert "Nguyễn Văn A" in message and "consent:" in message


def test_require_consent_makes_it_an_error(project):
    _story(project, COVER + "people:\n  - name: Nguyễn Văn A\n")
    [(_line, _field, severity, _message)] = issues_of(project, require_consent=True)
    assert severity == "error"


def test_require_consent_setting_fails_check(project):
    _story(project, COVER + "people:\n  - name: Nguyễn Văn A\n")
    config = project.config.read_text(encoding="utf-8")
    project.config.write_text(config.replace("      per_page: 24", "      per_page: 24\n      privacy:\n"
                                             "        require_consent: true"), encoding="utf-8")
    result = run_tool(SITE_BUILDER, "-f", project.config, "check")
    assert result.returncode == 1
    assert "content/stories/2026/bai.md:8: people[0].name: Nguyễn Văn A" in result.stderr


def test_recorded_consent_and_no_photo_are_fine(project):
    _story(project, COVER + "people:\n  - name: Nguyễn Văn A\n"
                   "    consent: {by: nguoi, date: 2026-03-01, how: văn bản, note: Lưu tại xã}\n")
    assert issues_of(project) == []
    project.add_story("khong-anh", story_text("Không ảnh", "2026-03-14 08:30", extra="people:\n  - name: B\n"))
    assert issues_of(project) == []


def test_a_minor_needs_a_guardian_whatever_the_setting(project):
    _story(project, COVER + "people:\n  - name: Cháu C\n    minor: true\n"
                   "    consent: {by: nguoi, date: 2026-03-01, how: loi-noi}\n")
    [(line, field, severity, message)] = issues_of(project)
    assert (field, severity) == ("people[0].consent", "error")
    assert "giam-ho" in message


def test_a_guardian_must_be_named_and_a_child_of_7_agrees_too(project):
    _story(project, COVER + "people:\n  - name: Cháu D\n    birth_year: 2016\n"
                   "    consent: {by: giam-ho, date: 2026-03-01, how: van-ban}\n")
    [(_l, _f, severity, message)] = issues_of(project)
    assert severity == "error" and "consent.guardian" in message
    _story(project, COVER + "people:\n  - name: Cháu D\n    birth_year: 2016\n"
                   "    consent: {by: giam-ho, guardian: Bố của D, date: 2026-03-01, how: van-ban}\n")
    [(_l, _f, severity, message)] = issues_of(project)
    assert severity == "error" and "ca-hai" in message and "10" in message
    _story(project, COVER + "people:\n  - name: Cháu D\n    birth_year: 2016\n"
                   "    consent: {by: ca-hai, guardian: Bố của D, date: 2026-03-01, how: van-ban}\n")
    assert issues_of(project) == []


def test_consent_on_the_profile_covers_the_story(project):
    project.copy_image("2026/chan-dung.jpg")
    project.write("content/profiles/ca-nhan/nguyen-van-a.md",
                  "---\nname: Nguyễn Văn A\nkind: ca-nhan\nsummary: Nông dân giỏi.\n"
                  "photo: {src: 2026/chan-dung.jpg, alt: Chân dung}\n"
                  "consent: {by: person, date: 2026-01-01, how: written}\n---\nTiểu sử.\n")
    _story(project, COVER + "people:\n  - name: Nguyễn Văn A\n    profile: nguyen-van-a\n")
    assert issues_of(project) == []


def test_unknown_consent_values_are_errors_with_choices(project):
    _story(project, COVER + "people:\n  - name: A\n    consent: {by: ai-do, date: 2026-03-01, how: van-ban}\n")
    [(_l, field, severity, message)] = issues_of(project)
    assert (field, severity) == ("people[0].consent.by", "error")
    assert "nguoi, giam-ho, ca-hai" in message


@pytest.mark.parametrize("spelling", ["0912 345 678", "0912.345.678", "+84 912 345 678", "0912345678",
                                      "(0211) 3862 123", "091-234-5678"])
def test_phone_numbers_in_the_body_are_warned_on_their_line(project, spelling):
    _story(project, "", body=f"Dòng một.\n\nLiên hệ anh Tư: {spelling}.\n")
    [(line, field, severity, message)] = issues_of(project)
    assert (line, field, severity) == (9, "body", "warning")
    assert spelling in message


@pytest.mark.parametrize("text, kind", [
    ("Số CCCD của bà là 001089012345.", "căn cước"),
    ("CMND: 135790246", "căn cước"),
    ("Gia đình ở số nhà 45, thôn Ba Gò.", "số nhà"),
    ("Nhà anh ở số 12 đường Lê Lợi.", "số nhà"),
    ("Cháu sinh ngày 12/3/2015 tại xã.", "ngày sinh"),
])
def test_other_personal_data(project, text, kind):
    _story(project, "", body=text)
    [(_line, _field, severity, message)] = issues_of(project)
    assert severity == "warning" and kind in message


def test_what_is_not_personal_data(project):
    _story(project, "", body="Năm 2024 có 80 mô hình, 2.500 hội viên, 1.200.000 đồng; Quyết định số 1234/QĐ-UBND "
                             "ngày 14/03/2026. Ông sinh ngày 1/1/1950.")
    assert issues_of(project) == []


def test_captions_and_summary_are_scanned(project):
    _story(project, "cover: {src: 2026/anh.jpg, alt: Ảnh, caption: 'Gọi 0912 345 678'}\n",
           summary="Liên hệ 0987 654 321.")
    found = {(field, severity) for _l, field, severity, _m in issues_of(project)}
    assert found == {("cover.caption", "warning"), ("summary", "warning")}


def test_acknowledged_personal_data_stops_warning_and_a_stale_entry_is_said(project):
    _story(project, "allow_personal_data:\n  - {text: 0211 3862 123, reason: Đường dây nóng của xã}\n",
           body="Đường dây nóng: (0211) 3862 123... hoặc 0211.3862.123")
    assert issues_of(project) == []
    _story(project, "allow_personal_data:\n  - {text: 0211 3862 123, reason: Đường dây nóng của xã}\n",
           body="Không còn số nào.")
    [(_l, field, severity, message)] = issues_of(project)
    assert (field, severity) == ("allow_personal_data[0].text", "warning") and "0211 3862 123" in message


def test_withdrawn_items_are_not_checked(project):
    _story(project, COVER + "people:\n  - name: A\nwithdrawn: {date: 2026-11-01, reason: Theo yêu cầu}\n",
           body="0912 345 678")
    assert issues_of(project) == []
