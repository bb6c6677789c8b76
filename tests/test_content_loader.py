"""load_content / validate_content: every validation rule, with exact path, line and field."""

from __future__ import annotations

import datetime as dt
import pickle
import unicodedata
from pathlib import Path

import pytest

from content_fixtures import PROFILE, PROFILE_PATH, STORY, STORY_PATH, edit, make_image, make_project, write
from site_builder.content import ContentErrors, ContentIssue, load_content, validate_content
from site_builder.content.models import Kind, Person, Photo, Place, Recognition, Source, Story


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def issues_of(root: Path) -> list[tuple[str, int, str]]:
    """(relative path, line, field) of every issue."""
    _, issues = validate_content(root)
    return [(i.path.relative_to(root.resolve()).as_posix(), i.line, i.field) for i in issues]


def only_issue(root: Path) -> ContentIssue:
    _, issues = validate_content(root)
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


# --- the valid project -----------------------------------------------------------------


def test_valid_story_produces_expected_object(project):
    content = load_content(project)
    assert len(content.stories) == 1 and len(content.profiles) == 1
    expected = Story(
        path=(project / STORY_PATH).resolve(),
        slug="binh-xuyen-sang-tao",
        title="Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác",
        date=dt.datetime(2026, 3, 14, 8, 30),
        summary="Năm nay, Đảng bộ huyện Bình Xuyên có 80 mô hình hay.",
        kind=Kind.MODEL,
        body="Markdown **body**.\n",
        body_line=41,
        people=(Person("Nguyễn Thị Phượng", "Chủ nhiệm CLB phụ nữ thôn Thịnh Đức", 1972, "nguyen-thi-phuong"),),
        organisation="hoi-lhpn-huyen-binh-xuyen",
        place=Place("Vĩnh Phúc", "xã Tân Phong", "huyện Bình Xuyên"),
        fields=("xay-dung-dang", "van-hoa-xa-hoi"),
        campaign="hoc-tap-va-lam-theo-bac",
        recognition=(Recognition("cap-tinh", 2025, "Bằng khen của Chủ tịch UBND tỉnh"),),
        tags=("phụ nữ", "nông thôn mới"),
        cover=Photo(
            "2026/binh-xuyen-duong-hoa.jpg",
            "Hội viên phụ nữ chăm sóc đường hoa trong thôn",
            "Chi hội phụ nữ thôn Ba Gò",
            "Thành An",
        ),
        authors=("Thành An",),
        photographer="Thành An",
        source=Source("Báo Vĩnh Phúc", "http://baovinhphuc.com.vn/", dt.date(2019, 5, 10)),
        featured=False,
        draft=False,
        publish_date=None,
        expires=dt.datetime(2027, 12, 31),
        updated=dt.datetime(2026, 3, 20),
    )
    assert content.stories[0] == expected
    assert sorted(content.vocabularies) == ["campaigns", "fields", "organisations", "recognition_levels"]


def test_valid_profile(project):
    profile = load_content(project).profiles[0]
    assert profile.slug == "nguyen-thi-phuong" and profile.kind is Kind.PERSON
    assert profile.organisation == "hoi-lhpn-huyen-binh-xuyen"  # resolved from its short name
    assert profile.fields == ("van-hoa-xa-hoi",)
    assert profile.photo == Photo("2026/binh-xuyen-duong-hoa.jpg", "Chân dung bà Phượng")
    assert profile.body_line == 13


def test_minimal_story_defaults(project):
    write(project, "content/stories/2026/ngan.md", "---\ntitle: Ngắn\ndate: 2026-01-02\nsummary: S\nkind: Cá nhân\n---\n")
    story = {s.slug: s for s in load_content(project).stories}["ngan"]
    assert story.kind is Kind.PERSON
    assert story.date == dt.datetime(2026, 1, 2)
    assert story.people == () and story.place is None and story.cover is None and story.source is None
    assert story.body == "" and story.body_line == 7


@pytest.mark.parametrize("label, kind", [("Tập thể", Kind.COLLECTIVE), ("tin tổng hợp", Kind.ROUNDUP), ("mo-hinh", Kind.MODEL)])
def test_kind_accepts_key_or_label(project, label, kind):
    edit(project, STORY_PATH, "kind: mo-hinh", f"kind: {label}")
    assert load_content(project).stories[0].kind is kind


def test_authors_plain_string_and_aware_datetime(project):
    edit(project, STORY_PATH, "authors: [Thành An]", "authors: Thành An")
    edit(project, STORY_PATH, "date: 2026-03-14 08:30", "date: 2026-03-14T01:30:00Z")
    story = load_content(project).stories[0]
    assert story.authors == ("Thành An",)
    assert story.date == dt.datetime(2026, 3, 14, 8, 30)  # Vietnam time, naive


def test_nfd_input_is_normalised(project):
    nfd = unicodedata.normalize("NFD", STORY)
    assert nfd != STORY
    write(project, STORY_PATH, nfd)
    edit(project, STORY_PATH, "Markdown **body**.", unicodedata.normalize("NFD", "Nội dung có dấu."))
    story = load_content(project).stories[0]
    assert story.title == "Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác"
    assert unicodedata.is_normalized("NFC", story.title)
    assert story.body == "Nội dung có dấu.\n" and unicodedata.is_normalized("NFC", story.body)
    assert story.tags == ("phụ nữ", "nông thôn mới")
    assert story.organisation == "hoi-lhpn-huyen-binh-xuyen"


def test_nfd_key_is_normalised_before_matching(project):
    edit(project, STORY_PATH, "featured: false", unicodedata.normalize("NFD", "nổi_bật: false"))
    issue = only_issue(project)
    assert (issue.line, issue.field) == (35, "nổi_bật")
    assert unicodedata.is_normalized("NFC", issue.field)


def test_hostile_strings_are_text(project):
    edit(project, STORY_PATH, 'title: "Bình Xuyên: nhiều', 'title: "</script><script>alert(1)</script> Bình Xuyên: nhiều')
    edit(project, STORY_PATH, "tags: [phụ nữ, nông thôn mới]", "tags: ['<b>&amp;', '{{ x }}']")
    story = load_content(project).stories[0]
    assert story.title.startswith("</script><script>alert(1)</script>")
    assert story.tags == ("<b>&amp;", "{{ x }}")


# --- file-level problems --------------------------------------------------------------------


def test_not_utf8(project):
    (project / STORY_PATH).write_bytes(STORY.encode("utf-8").replace("Năm nay".encode(), b"N\xe3m nay"))
    issue = only_issue(project)
    assert (issue.line, issue.field) == (5, "")
    assert issue.message == "tệp không phải mã UTF-8 (byte 0xe3): hãy lưu lại tệp với mã UTF-8"


def test_missing_front_matter(project):
    write(project, STORY_PATH, "title: x\n")
    assert issues_of(project) == [(STORY_PATH, 1, "")]


def test_malformed_yaml_line(project):
    edit(project, STORY_PATH, "kind: mo-hinh", "kind: [mo-hinh")
    (path, line, field), = issues_of(project)
    assert path == STORY_PATH and line in (6, 7) and field == ""


def test_failed_file_is_left_out_but_others_load(project):
    edit(project, STORY_PATH, "kind: mo-hinh", "kind: bài báo")
    write(project, "content/stories/2026/khac.md", "---\ntitle: K\ndate: 2026-01-02\nsummary: S\nkind: tap-the\n---\n")
    content, issues = validate_content(project)
    assert [s.slug for s in content.stories] == ["khac"]
    assert [(i.line, i.field) for i in issues] == [(6, "kind")]
    assert issues[0].message == (
        "không có loại 'bài báo'; hãy viết một trong: ca-nhan (Cá nhân), tap-the (Tập thể), mo-hinh (Mô hình), "
        "tin-tong-hop (Tin tổng hợp)"
    )


# --- required fields, types, unknown keys -----------------------------------------------------------


def test_missing_required_fields_point_to_line_1(project):
    write(project, "content/stories/2026/trong.md", "---\nkind: ca-nhan\n---\n")
    assert [i for i in issues_of(project) if "trong" in i[0]] == [
        ("content/stories/2026/trong.md", 1, "date"),
        ("content/stories/2026/trong.md", 1, "summary"),
        ("content/stories/2026/trong.md", 1, "title"),
    ]
    _, issues = validate_content(project)
    assert [str(i) for i in issues if i.field == "title"] == [
        "content/stories/2026/trong.md:1: title: thiếu tiêu đề: hãy thêm dòng 'title: ...'"
    ]


def test_empty_title_and_summary(project):
    edit(project, STORY_PATH, 'title: "Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác"', 'title: "  "')
    edit(project, STORY_PATH, "summary: >-\n  Năm nay, Đảng bộ huyện Bình Xuyên có 80 mô hình hay.", "summary:\n")
    _, issues = validate_content(project)
    assert [(i.line, i.field, i.message) for i in issues] == [
        (2, "title", "không được để trống: hãy điền nội dung"),
        (4, "summary", "không được để trống: hãy điền nội dung"),
    ]


def test_type_errors_are_translated(project):
    edit(project, STORY_PATH, "    birth_year: 1972", "    birth_year: khoảng 1970")
    edit(project, STORY_PATH, "featured: false", "featured: có lẽ")
    edit(project, STORY_PATH, "tags: [phụ nữ, nông thôn mới]", "tags: {a: b}")
    edit(project, STORY_PATH, "place:\n  commune", "place: Vĩnh Phúc\nxplace:\n  commune")
    _, issues = validate_content(project)
    got = [(i.line, i.field, i.message) for i in issues]
    assert (10, "people[0].birth_year", "cần một số nguyên (ví dụ 1972), không phải 'khoảng 1970'") in got
    assert (36, "featured", "cần true (có) hoặc false (không), không phải 'có lẽ'") in got  # one line added above
    assert (24, "tags", "cần một danh sách (ví dụ [a, b] hoặc các dòng '- ...'), không phải một nhóm dòng 'tên: giá trị'") in got
    assert (13, "place", "cần các dòng 'tên: giá trị' thụt vào bên dưới, không phải 'Vĩnh Phúc'") in got
    assert (14, "xplace", "không có mục 'xplace'; có phải ý bạn là 'place'?") in got
    assert len(got) == 5


def test_unknown_keys_did_you_mean(project):
    edit(project, STORY_PATH, "  caption: Chi hội", "  captoin: Chi hội")
    edit(project, STORY_PATH, "photographer: Thành An", "photograper: Thành An")
    _, issues = validate_content(project)
    assert [(i.line, i.field, i.message) for i in issues] == [
        (27, "cover.captoin", "không có mục 'captoin'; có phải ý bạn là 'caption'?"),
        (30, "photograper", "không có mục 'photograper'; có phải ý bạn là 'photographer'?"),
    ]


def test_three_errors_in_one_file_all_reported(project):
    edit(project, STORY_PATH, "kind: mo-hinh", "kinds: mo-hinh")
    edit(project, STORY_PATH, "  alt: Hội viên phụ nữ chăm sóc đường hoa trong thôn", "  alt: ''")
    with pytest.raises(ContentErrors) as raised:
        load_content(project)
    assert [(i.path.name, i.line, i.field) for i in raised.value.issues] == [
        ("binh-xuyen-sang-tao.md", 1, "kind"),
        ("binh-xuyen-sang-tao.md", 6, "kinds"),
        ("binh-xuyen-sang-tao.md", 26, "cover.alt"),
    ]
    text = str(raised.value)
    assert text.splitlines()[0] == "3 lỗi nội dung: hãy sửa rồi dựng lại"
    assert "content/stories/2026/binh-xuyen-sang-tao.md:26: cover.alt: không được để trống: hãy điền nội dung" in text


# --- dates and years ------------------------------------------------------------------------


def test_date_forms(project):
    edit(project, STORY_PATH, "date: 2026-03-14 08:30", "date: '2026-03-14 8:05'")
    edit(project, STORY_PATH, "updated: 2026-03-20", "updated: 2026-03-20 10:00:00")
    story = load_content(project).stories[0]
    assert story.date == dt.datetime(2026, 3, 14, 8, 5)
    assert story.updated == dt.datetime(2026, 3, 20, 10, 0)


def test_bad_dates(project):
    edit(project, STORY_PATH, "date: 2026-03-14 08:30", "date: 14/03/2026")
    edit(project, STORY_PATH, "updated: 2026-03-20", "updated: 2026-02-30 10:00")
    edit(project, STORY_PATH, "  date: 2019-05-10", "  date: hôm qua")
    _, issues = validate_content(project)
    assert [(i.line, i.field) for i in issues] == [(3, "date"), (34, "source.date"), (38, "updated")]
    assert issues[0].message == "cần một ngày dạng 2026-03-14 hoặc \"2026-03-14 08:30\", không phải '14/03/2026'"
    assert issues[2].message == "ngày không hợp lệ '2026-02-30 10:00': tháng đó không có ngày này; hãy sửa lại ngày"


def test_expires_before_date(project):
    edit(project, STORY_PATH, "expires: 2027-12-31", "expires: 2026-03-01")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (37, "expires")
    assert issue.message == (
        "ngày hết hạn expires (2026-03-01 00:00) sớm hơn date (2026-03-14 08:30): hãy sửa một trong hai ngày"
    )


def test_expires_before_publish_date(project):
    edit(project, STORY_PATH, "updated: 2026-03-20", "publish_date: 2028-01-01")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (37, "expires")
    assert issue.message == (
        "ngày hết hạn expires (2027-12-31 00:00) sớm hơn publish_date (2028-01-01 00:00): hãy sửa một trong hai ngày"
    )


def test_year_folder_mismatch_is_a_warning(project):
    path = write(project, "content/stories/2025/binh-xuyen-sang-tao.md", STORY)
    (project / STORY_PATH).unlink()
    issue = only_issue(project)
    assert (issue.path, issue.line, issue.field, issue.severity) == (path.resolve(), 3, "date", "warning")
    assert issue.message == (
        "ngày đăng thuộc năm 2026 nhưng tệp nằm trong thư mục stories/2025/: "
        "hãy chuyển tệp sang stories/2026/ hoặc sửa lại ngày"
    )
    assert str(issue).startswith("content/stories/2025/binh-xuyen-sang-tao.md:3: date: cảnh báo: ngày đăng")
    assert len(load_content(project).stories) == 1  # warnings do not raise


def test_story_outside_year_folder_is_fine(project):
    write(project, "content/stories/chuyen-de/bai.md", STORY.replace("slug: binh-xuyen-sang-tao\n", ""))
    assert issues_of(project) == []


@pytest.mark.parametrize("year", [1899, dt.date.today().year + 1])
def test_birth_year_range(project, year):
    edit(project, STORY_PATH, "    birth_year: 1972", f"    birth_year: {year}")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (10, "people[0].birth_year")
    assert issue.message == f"năm {year} không hợp lệ: hãy viết một năm từ 1900 đến {dt.date.today().year}"


def test_recognition_year_range(project):
    edit(project, STORY_PATH, "    year: 2025", "    year: 20025")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (21, "recognition[0].year")


# --- slugs ----------------------------------------------------------------------------------


def test_invalid_fixed_slug(project):
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao", "slug: Bình_Xuyên")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (39, "slug")
    assert issue.message == (
        "đường dẫn (slug) không hợp lệ 'Bình_Xuyên': chỉ dùng chữ thường a-z, số 0-9 và dấu gạch ngang, "
        "ví dụ 'slug: binh-xuyen'"
    )


def test_file_stem_must_be_a_valid_slug(project):
    write(project, "content/stories/2026/Bài Mới.md", "---\ntitle: K\ndate: 2026-01-02\nsummary: S\nkind: tap-the\n---\n")
    issue = only_issue(project)
    assert (issue.path.name, issue.line, issue.field) == ("Bài Mới.md", 1, "slug")
    assert issue.message == (
        "tên tệp 'Bài Mới' không dùng làm đường dẫn (slug) được (chỉ dùng a-z, 0-9 và dấu gạch ngang): "
        "hãy đổi tên tệp thành bai-moi.md hoặc thêm dòng 'slug: bai-moi'"
    )


def test_fixed_slug_overrides_invalid_stem(project):
    write(project, "content/stories/2026/Bài Mới.md", "---\ntitle: K\ndate: 2026-01-02\nsummary: S\nkind: tap-the\nslug: bai-moi\n---\n")
    assert {s.slug for s in load_content(project).stories} == {"bai-moi", "binh-xuyen-sang-tao"}


def test_story_slug_page_is_reserved(project):
    # /bai-viet/page/ holds the numbered pages of the story list (/bai-viet/page/2/ ...).
    write(project, "content/stories/2026/page.md", "---\ntitle: K\ndate: 2026-01-02\nsummary: S\nkind: tap-the\n---\n")
    issue = only_issue(project)
    assert str(issue) == (
        "content/stories/2026/page.md:1: slug: đường dẫn (slug) 'page' đã được dành riêng: địa chỉ /bai-viet/page/ "
        "là của các trang đánh số của một danh sách; hãy đổi tên tệp hoặc thêm một dòng như 'slug: page-1'"
    )
    assert [s.slug for s in validate_content(project)[0].stories] == ["binh-xuyen-sang-tao"]


def test_fixed_story_slug_page_is_reserved(project, english):
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao", "slug: page")
    issue = only_issue(project)
    assert str(issue) == (
        f"{STORY_PATH}:39: slug: the slug 'page' is reserved: its address /bai-viet/page/ belongs to the numbered "
        "pages of a list; change the line 'slug: page', e.g. to 'slug: page-1'"
    )


@pytest.mark.parametrize("kind", ["ca-nhan", "tap-the", "mo-hinh"])
def test_profile_slug_equal_to_a_kind_is_reserved(project, kind):
    # /ho-so/<kind>/ is the list of the profiles of that kind.
    write(project, f"content/profiles/tap-the/{kind}.md", "---\nname: Nhóm\nkind: tap-the\nsummary: S\n---\n")
    issue = only_issue(project)
    label = {"ca-nhan": "cá nhân", "tap-the": "tập thể", "mo-hinh": "mô hình"}[kind]
    assert str(issue) == (
        f"content/profiles/tap-the/{kind}.md:1: slug: đường dẫn (slug) '{kind}' đã được dành riêng: "
        f"địa chỉ /ho-so/{kind}/ là của trang danh sách hồ sơ {label}; "
        f"hãy đổi tên tệp hoặc thêm một dòng như 'slug: {kind}-1'"
    )


def test_fixed_profile_slug_equal_to_a_kind_is_reserved(project):
    edit(project, PROFILE_PATH, "kind: ca-nhan", "kind: ca-nhan\nslug: mo-hinh")
    edit(project, STORY_PATH, "    profile: nguyen-thi-phuong\n", "    consent: {by: nguoi, date: 2026-03-01, how: van-ban}\n")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (4, "slug")
    assert issue.message.endswith("hãy sửa dòng 'slug: mo-hinh', ví dụ thành 'slug: mo-hinh-1'")
    assert validate_content(project)[0].profiles == []


def test_a_story_may_use_a_profile_kind_as_slug(project):
    write(project, "content/stories/2026/tap-the.md", "---\ntitle: K\ndate: 2026-01-02\nsummary: S\nkind: tap-the\n---\n")
    assert issues_of(project) == []


def test_file_keys_are_not_front_matter(project):
    edit(project, STORY_PATH, "featured: false", "featured: false\nbody: Nội dung khác\npath: /etc/passwd")
    _, issues = validate_content(project)
    assert [(i.line, i.field, i.message) for i in issues] == [
        (36, "body", "không có mục 'body': hãy sửa lại tên mục hoặc xóa dòng này"),
        (37, "path", "không có mục 'path': hãy sửa lại tên mục hoặc xóa dòng này"),
    ]
    edit(project, STORY_PATH, "  credit: Thành An", "  credit: Thành An\n  line: 3")
    _, issues = validate_content(project)
    assert (29, "cover.line", "không có mục 'line'; hãy viết một trong: src, alt, caption, credit") in [
        (i.line, i.field, i.message) for i in issues
    ]


def test_validated_objects_keep_their_lines(project):
    story = load_content(project).stories[0]
    assert story.cover.line == 25 and story.cover.src == "2026/binh-xuyen-duong-hoa.jpg"
    assert load_content(project).profiles[0].photo.line == 10  # photo: {src: ...} on one line


def test_content_folder_may_have_another_name(project):
    (project / "content").rename(project / "noi-dung")
    content, issues = validate_content(project, "noi-dung")
    assert issues == []
    assert [s.slug for s in content.stories] == ["binh-xuyen-sang-tao"]
    assert content.stories[0].fields == ("xay-dung-dang", "van-hoa-xa-hoi")  # vocabularies found there too
    assert content.stories[0].path == (project / "noi-dung/stories/2026/binh-xuyen-sang-tao.md").resolve()
    _, issues = validate_content(project)
    assert [str(i) for i in issues] == ["content:1: không có thư mục nội dung content: hãy kiểm tra thư mục của trang"]


def test_duplicate_story_slugs_name_both_files(project):
    other = "content/stories/2025/bai-cu.md"
    write(project, other, "---\ntitle: K\ndate: 2025-01-02\nsummary: S\nkind: tap-the\nslug: binh-xuyen-sang-tao\n---\n")
    _, issues = validate_content(project)
    got = [(i.path.relative_to(project.resolve()).as_posix(), i.line, i.field) for i in issues]
    assert got == [(other, 6, "slug"), (STORY_PATH, 39, "slug")]
    assert issues[0].message == (
        f"hai bài viết trùng đường dẫn (slug) 'binh-xuyen-sang-tao': {STORY_PATH} cũng dùng; "
        "hãy đặt đường dẫn khác cho một trong hai"
    )
    assert f"(slug) 'binh-xuyen-sang-tao': {other} cũng dùng;" in issues[1].message


def test_duplicate_profile_slugs(project):
    other = "content/profiles/tap-the/nguyen-thi-phuong.md"
    write(project, other, "---\nname: Nhóm\nkind: tap-the\nsummary: S\n---\n")
    assert issues_of(project) == [(PROFILE_PATH, 1, "slug"), (other, 1, "slug")]


# --- references -------------------------------------------------------------------------------


def test_unknown_profile_reference(project):
    edit(project, STORY_PATH, "    profile: nguyen-thi-phuong", "    profile: nguyen-thi-phuongg")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (11, "people[0].profile")
    assert issue.message == "không có hồ sơ 'nguyen-thi-phuongg'; có phải ý bạn là 'nguyen-thi-phuong'?"


def test_profile_reference_by_name_suggests_slug(project):
    edit(project, STORY_PATH, "    profile: nguyen-thi-phuong", "    profile: Nguyễn Thị Phượng")
    assert only_issue(project).message == "không có hồ sơ 'Nguyễn Thị Phượng'; có phải ý bạn là 'nguyen-thi-phuong'?"


def test_profile_kind_must_match_folder(project):
    edit(project, PROFILE_PATH, "kind: ca-nhan", "kind: Tập thể")
    edit(project, PROFILE_PATH, "birth_year: 1972", "draft: false")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (3, "kind")
    assert issue.message == (
        "loại 'tap-the' không khớp với thư mục 'ca-nhan': hãy sửa loại hoặc chuyển tệp sang thư mục đúng"
    )


def test_profile_outside_kind_folder(project):
    write(project, "content/profiles/nguoi/ai-do.md", PROFILE.replace("kind: ca-nhan", "kind: ca-nhan\nslug: ai-do"))
    assert issues_of(project) == [("content/profiles/nguoi/ai-do.md", 1, "kind")]


def test_profile_kind_tin_tong_hop_rejected(project):
    edit(project, PROFILE_PATH, "kind: ca-nhan", "kind: tin-tong-hop")
    assert issues_of(project) == [(PROFILE_PATH, 3, "kind")]


def test_birth_year_on_collective_is_a_warning(project):
    write(project, "content/profiles/tap-the/nhom.md", "---\nname: Nhóm\nkind: tap-the\nsummary: S\nbirth_year: 1990\n---\n")
    issue = only_issue(project)
    assert (issue.line, issue.field, issue.severity) == (5, "birth_year", "warning")


# --- photos and sources -------------------------------------------------------------------------


def test_cover_requires_alt_and_src(project):
    edit(project, STORY_PATH, "  alt: Hội viên phụ nữ chăm sóc đường hoa trong thôn", "  credits: x")
    _, issues = validate_content(project)
    assert [(i.line, i.field, i.message) for i in issues] == [
        (24, "cover.alt", "thiếu mô tả ảnh: hãy thêm dòng 'alt: ...'"),
        (26, "cover.credits", "không có mục 'credits'; có phải ý bạn là 'credit'?"),
    ]
    edit(project, STORY_PATH, "  src: 2026/binh-xuyen-duong-hoa.jpg", "  alt: A")
    _, issues = validate_content(project)
    assert (24, "cover.src", "thiếu tệp ảnh: hãy thêm dòng 'src: ...'") in [(i.line, i.field, i.message) for i in issues]


@pytest.mark.parametrize("url", ["ftp://baovinhphuc.com.vn/", "baovinhphuc.com.vn", "javascript:alert(1)"])
def test_source_url_must_be_http(project, url):
    edit(project, STORY_PATH, "  url: http://baovinhphuc.com.vn/", f"  url: '{url}'")
    issue = only_issue(project)
    assert (issue.line, issue.field) == (33, "source.url")
    assert issue.message == f"địa chỉ web không hợp lệ '{url}': phải bắt đầu bằng http:// hoặc https://"


# --- API -------------------------------------------------------------------------------------


def test_load_content_raises_with_every_issue_validate_does_not(project):
    edit(project, STORY_PATH, "kind: mo-hinh", "kind: x")
    edit(project, PROFILE_PATH, "kind: ca-nhan", "kind: y")
    content, issues = validate_content(project)
    assert content.stories == [] and content.profiles == [] and len(issues) == 2
    with pytest.raises(ContentErrors) as raised:
        load_content(project)
    assert raised.value.issues == issues
    assert raised.value.errors == issues and raised.value.warnings == []
    copy = pickle.loads(pickle.dumps(raised.value))
    assert copy.issues == issues and str(copy) == str(raised.value)


def test_issue_str_uses_project_relative_path(tmp_path):
    issue = ContentIssue(tmp_path / "content/stories/2026/x.md", 7, "cover.alt", "rỗng", root=tmp_path)
    assert str(issue) == "content/stories/2026/x.md:7: cover.alt: rỗng"
    warning = ContentIssue(Path("/elsewhere/x.md"), 3, "date", "lạ", "warning", root=tmp_path)
    assert str(warning) == "/elsewhere/x.md:3: date: cảnh báo: lạ"


def test_messages_in_english_for_developers(project, english):
    edit(project, STORY_PATH, 'title: "Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác"\n', "")
    edit(project, STORY_PATH, "photographer: Thành An", "photograper: Thành An")
    with pytest.raises(ContentErrors) as raised:
        load_content(project)
    assert str(raised.value).splitlines() == [
        "2 content errors: correct them and build again",
        f"{STORY_PATH}:1: title: title is required (tiêu đề): add a line 'title: ...'",
        f"{STORY_PATH}:29: photograper: unknown field 'photograper'; did you mean 'photographer'?",
    ]
    warning = ContentIssue(Path("/elsewhere/x.md"), 3, "date", "odd", "warning")
    assert str(warning) == "/elsewhere/x.md:3: date: warning: odd"


def test_missing_content_folder(tmp_path):
    _, issues = validate_content(tmp_path)
    assert [(i.path.name, i.line) for i in issues] == [("content", 1)]


# --- files that would be ignored or published by mistake -------------------------------------------


@pytest.mark.parametrize("rel, words", [
    ("content/stories/z.md", "phải nằm trong thư mục năm"),
    ("content/stories/2026/sub/w.md", "phải nằm trong thư mục năm"),
    ("content/stories/2026/hoa.MD", "đổi tên tệp thành hoa.md"),
    ("content/stories/2026/hoa.markdown", "đổi tên tệp thành hoa.md"),
    ("content/profiles/x.md", "hồ sơ phải nằm trong"),
    ("content/profiles/ca-nhan/sub/y.md", "hồ sơ phải nằm trong"),
])
def test_a_story_or_profile_file_in_the_wrong_place_is_an_error(project, rel, words):
    write(project, rel, STORY)
    content, issues = validate_content(project)
    (issue,) = [i for i in issues if i.path.name == Path(rel).name]
    assert issue.is_error and issue.line == 1 and words in issue.message
    assert len(content.stories) == 1  # only the story in its right place


def test_a_story_linked_from_outside_the_content_folder_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "bai.md").write_text(STORY.replace("slug: binh-xuyen-sang-tao", "slug: bai-ngoai"), encoding="utf-8")
    (project / "content/stories/2026/bai-ngoai.md").symlink_to(outside / "bai.md")
    (project / "content/stories/2025").symlink_to(outside, target_is_directory=True)
    content, issues = validate_content(project)
    messages = {i.path.name: i.message for i in issues}
    assert "liên kết tới" in messages["bai-ngoai.md"] and "ngoài thư mục nội dung" in messages["bai-ngoai.md"]
    assert "thư mục này là liên kết" in messages["2025"]
    assert [s.slug for s in content.stories] == ["binh-xuyen-sang-tao"]


def test_a_link_inside_the_content_folder_is_read(project):
    (project / "content/stories/2025").mkdir()
    (project / "content/stories/2025/lien-ket.md").symlink_to(project / STORY_PATH)
    _, issues = validate_content(project)
    assert [i.field for i in issues if i.is_error] == ["slug", "slug"]  # read: the same slug twice


def test_other_files_beside_stories_are_a_warning(project):
    make_image(project / "content/stories/2026/anh.jpg")
    content, issues = validate_content(project)
    (issue,) = issues
    assert issue.severity == "warning" and "không được đọc" in issue.message and len(content.stories) == 1


# --- limits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, field, words", [
    ('title: "Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác"', "title: " + "Dài " * 100, "title",
     "quá dài: 399 ký tự, tối đa chỉ được 300"),
    ("tags: [phụ nữ, nông thôn mới]", "tags: [" + ", ".join(f"thẻ {i}" for i in range(31)) + "]", "tags",
     "quá nhiều: 31 mục, tối đa chỉ được 30"),
    ("tags: [phụ nữ, nông thôn mới]", "tags: [" + "x" * 101 + "]", "tags[0]", "quá dài: 101 ký tự"),
    ("  caption: Chi hội phụ nữ thôn Ba Gò", "  caption: " + "chữ " * 600, "cover.caption", "tối đa chỉ được 2000"),
])
def test_sizes_an_editor_controls_have_limits(project, old, new, field, words):
    edit(project, STORY_PATH, old, new)
    (issue,) = validate_content(project)[1]
    assert issue.field == field and words in issue.message and issue.message.endswith(("rút gọn", "bớt đi"))


def test_a_body_too_long_is_reported_on_its_first_line(project):
    from site_builder.content import limits

    path = edit(project, STORY_PATH, "Markdown **body**.", "Đoạn văn. " * (limits.BODY // 10 + 1))
    (issue,) = validate_content(project)[1]
    first_body_line = path.read_text(encoding="utf-8").splitlines().index("---", 1) + 2
    assert (issue.field, issue.line) == ("body", first_body_line) and "rút gọn" in issue.message


def test_a_huge_file_is_refused_without_reading_it(project):
    write(project, "content/stories/2026/khong-lo.md", STORY + "x" * (3 * 1024 * 1024))
    (issue,) = [i for i in validate_content(project)[1] if i.path.name == "khong-lo.md"]
    assert issue.line == 1 and "tệp quá lớn" in issue.message


def test_too_many_photos_in_one_body(tmp_path):
    from site_builder.bodies import Bodies
    from site_builder.content import limits

    class Item:
        path, body_line = tmp_path / "x.md", 20
        body = "\n\n".join(f"![Ảnh {i}](2026/{i}.jpg)" for i in range(limits.PHOTOS + 1))

    (issue,) = Bodies(None).prepare([Item()], parallel=False)
    assert (issue.line, issue.field) == (20, "body") and f"{limits.PHOTOS + 1} ảnh trong một bài" in issue.message
