"""An impossible date is one problem, reported once, on its line."""

from content_fixtures import STORY_PATH, edit, make_project

from site_builder.content import validate_content


def test_impossible_date_is_reported_once(tmp_path):
    root = make_project(tmp_path)
    edit(root, STORY_PATH, "date: 2026-03-14", "date: 2026-13-01")
    _, issues = validate_content(root)
    dates = [i for i in issues if i.field == "date"]
    assert len(dates) == 1
    assert dates[0].message == "ngày không hợp lệ '2026-13-01 08:30': tháng phải từ 1 đến 12; hãy sửa lại ngày"
