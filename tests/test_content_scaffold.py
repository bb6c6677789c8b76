"""new_story / new_profile: paths, never overwriting, output validates."""

from __future__ import annotations

import datetime as dt

import pytest

from content_fixtures import make_project
from site_builder.content import load_content, validate_content
from site_builder.content.models import Kind
from site_builder.content.scaffold import new_profile, new_story


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def test_new_story_path_and_content(project):
    path = new_story(project, "Cô giáo: “Gieo chữ” nơi vùng cao!", today=dt.date(2026, 5, 4))
    assert path == project / "content/stories/2026/co-giao-gieo-chu-noi-vung-cao.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Cô giáo: “Gieo chữ” nơi vùng cao!"' in text
    assert "slug: co-giao-gieo-chu-noi-vung-cao" in text
    assert "date: 2026-05-04" in text and "draft: true" in text


def test_scaffolded_story_and_profile_validate(project):
    story = new_story(project, "Người thầy \"đặc biệt\" # 1: tâm huyết", kind="Tập thể", today=dt.datetime(2026, 5, 4, 9, 15))
    profile = new_profile(project, "Hợp tác xã Tân Phong", Kind.MODEL)
    assert profile == project / "content/profiles/mo-hinh/hop-tac-xa-tan-phong.md"
    content, issues = validate_content(project)
    assert issues == []
    by_path = {s.path: s for s in content.stories}
    created = by_path[story.resolve()]
    assert created.title == 'Người thầy "đặc biệt" # 1: tâm huyết'
    assert created.kind is Kind.COLLECTIVE and created.draft
    assert created.date == dt.datetime(2026, 5, 4, 9, 15)
    assert created.summary == "Tóm tắt bài viết."
    made = {p.slug: p for p in content.profiles}["hop-tac-xa-tan-phong"]
    assert made.kind is Kind.MODEL and made.draft


def test_default_today_validates(project):
    new_story(project, "Hôm nay")
    load_content(project)


def test_never_overwrites(project):
    path = new_story(project, "Bài một", today=dt.date(2026, 1, 1))
    path.write_text("edited", encoding="utf-8")
    with pytest.raises(FileExistsError) as raised:
        new_story(project, "Bài một", today=dt.date(2026, 2, 2))
    assert raised.value.filename == str(path)
    with pytest.raises(FileExistsError) as raised:  # same slug in another year folder
        new_story(project, "Bài một", today=dt.date(2027, 2, 2))
    assert raised.value.filename == str(path)
    assert path.read_text(encoding="utf-8") == "edited"
    profile = new_profile(project, "Nhóm A", "tap-the")
    with pytest.raises(FileExistsError):
        new_profile(project, "Nhóm A", "ca-nhan")
    assert profile.exists()


def test_bad_arguments(project):
    with pytest.raises(ValueError):
        new_story(project, "!!!")
    with pytest.raises(ValueError):
        new_story(project, "Tiêu đề", kind="bài báo")
    with pytest.raises(ValueError):
        new_profile(project, "Tin", "tin-tong-hop")


def test_scaffold_into_another_content_folder(project):
    path = new_story(project, "Bài mới", today=dt.date(2026, 1, 1), content_dir="noi-dung")
    assert path == project / "noi-dung/stories/2026/bai-moi.md"
    assert new_profile(project, "Nhóm A", "tap-the", content_dir="noi-dung") == project / "noi-dung/profiles/tap-the/nhom-a.md"


def test_reserved_slugs_are_refused(project):
    with pytest.raises(ValueError, match="'page', đã được dành cho một trang"):
        new_story(project, "Page", today=dt.date(2026, 1, 1))
    with pytest.raises(ValueError, match="'tap-the', đã được dành cho một trang"):
        new_profile(project, "Tập thể", "tap-the")
    assert new_story(project, "Tập thể", today=dt.date(2026, 1, 1)).name == "tap-the.md"  # fine for a story
