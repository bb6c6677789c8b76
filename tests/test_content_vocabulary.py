"""Vocabulary loading and term resolution."""

from __future__ import annotations

import pytest

from content_fixtures import STORY_PATH, edit, make_project, write
from site_builder.content import validate_content
from site_builder.content.errors import IssueLog
from site_builder.content.vocabulary import load_vocabularies


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def _resolvers(root):
    log = IssueLog(root)
    resolvers = load_vocabularies(root / "content" / "vocabularies", log)
    return resolvers, log.issues


@pytest.mark.parametrize(
    "spelling",
    ["Văn hóa - Xã hội", "Van hoa - Xa hoi", "văn hóa - xã hội", "van-hoa-xa-hoi", "VĂN HOÁ – XÃ HỘI"],
)
def test_resolve_by_name_key_or_folded_spelling(project, spelling):
    resolvers, issues = _resolvers(project)
    assert issues == []
    assert resolvers["fields"].resolve(spelling).key == "van-hoa-xa-hoi"


def test_resolve_by_alias_and_short_name(project):
    resolvers, _ = _resolvers(project)
    assert resolvers["fields"].resolve("công tác đảng").key == "xay-dung-dang"
    assert resolvers["organisations"].resolve("Hội LHPN Bình Xuyên").key == "hoi-lhpn-huyen-binh-xuyen"
    assert resolvers["campaigns"].resolve("Hoc tap va lam theo Bac").key == "hoc-tap-va-lam-theo-bac"
    assert resolvers["fields"].resolve("Nông nghiệp") is None


def test_key_defaults_to_slug_of_name(project):
    resolvers, _ = _resolvers(project)
    keys = [t.key for t in resolvers["fields"].vocabulary.terms]
    assert keys == ["xay-dung-dang", "van-hoa-xa-hoi"]


def test_unknown_term_did_you_mean(project):
    edit(project, STORY_PATH, "fields: [Xây dựng Đảng, Văn hóa - Xã hội]", "fields: [Xây dựng Đảng, Văn hoá xã hộii]")
    _, issues = validate_content(project)
    assert [(i.line, i.field) for i in issues] == [(17, "fields[1]")]
    assert issues[0].message == "không có lĩnh vực 'Văn hoá xã hộii' trong danh mục; có phải ý bạn là 'Văn hóa - Xã hội'?"


def test_unknown_term_lists_choices_when_few(project):
    edit(project, STORY_PATH, "  - level: cap-tinh", "  - level: quốc tế")
    _, issues = validate_content(project)
    assert [(i.line, i.field) for i in issues] == [(20, "recognition[0].level")]
    assert issues[0].message == (
        "không có cấp khen thưởng 'quốc tế' trong danh mục; hãy viết một trong: Cấp tỉnh, Cấp trung ương"
    )


def test_unknown_organisation_and_campaign(project):
    edit(project, STORY_PATH, "organisation: Hội LHPN huyện Bình Xuyên", "organisation: Hội LHPN huyện Bình Xuân")
    edit(project, STORY_PATH, "campaign: Học tập và làm theo Bác", "campaign: Dân vận khéo")
    _, issues = validate_content(project)
    assert [(i.line, i.field) for i in issues] == [(12, "organisation"), (18, "campaign")]
    assert issues[0].message == (
        "không có cơ quan, đơn vị 'Hội LHPN huyện Bình Xuân' trong danh mục; "
        "có phải ý bạn là 'Hội LHPN huyện Bình Xuyên'?"
    )
    assert issues[1].message.startswith("không có phong trào 'Dân vận khéo' trong danh mục; ")


def test_missing_vocabulary_file_means_no_terms(project):
    (project / "content/vocabularies/campaigns.yml").unlink()
    _, issues = validate_content(project)
    assert [(i.line, i.field) for i in issues] == [(18, "campaign")]
    assert issues[0].message == (
        "không có phong trào 'Học tập và làm theo Bác': tệp content/vocabularies/campaigns.yml "
        "chưa có phong trào nào; hãy thêm vào đó trước"
    )


def test_vocabulary_file_errors_have_lines(project):
    path = write(
        project,
        "content/vocabularies/fields.yml",
        "- name: Xây dựng Đảng\n"  # 1
        "- name: Kinh tế\n"  # 2
        "  descripton: typo\n"  # 3
        "- key: no-name\n"  # 4
        "- name: Xây dựng đảng\n"  # 5: same key as entry 0
        "- name: Giáo dục\n"  # 6
        "  key: Giao Duc\n",  # 7
    )
    _, issues = _resolvers(project)
    assert [(i.path, i.line, i.field) for i in issues] == [
        (path, 3, "[1].descripton"),
        (path, 4, "[2].name"),
        (path, 5, "[3]"),
        (path, 7, "[4].key"),
    ]
    assert issues[0].message == "không có mục 'descripton'; có phải ý bạn là 'description'?"
    assert issues[1].message == "thiếu tên: hãy thêm dòng 'name: ...'"
    assert issues[2].message == "khóa 'xay-dung-dang' bị dùng hai lần: mỗi mục phải có khóa riêng"


def test_vocabulary_must_be_a_list(project):
    path = write(project, "content/vocabularies/fields.yml", "name: Xây dựng Đảng\n")
    _, issues = _resolvers(project)
    assert [(i.path, i.line) for i in issues] == [(path, 1)]


def test_ambiguous_spelling_reported(project):
    path = write(
        project,
        "content/vocabularies/organisations.yml",
        "- name: Hội LHPN huyện Bình Xuyên\n  short_name: Hội LHPN\n- name: Hội LHPN tỉnh\n  aliases: [Hội LHPN]\n",
    )
    _, issues = _resolvers(project)
    assert [(i.path, i.line, i.field) for i in issues] == [(path, 3, "[1]")]
    assert issues[0].message == (
        "'Hội LHPN' cũng là tên của 'Hội LHPN huyện Bình Xuyên': "
        "mỗi tên, tên viết tắt và tên khác chỉ được dùng cho một mục"
    )
