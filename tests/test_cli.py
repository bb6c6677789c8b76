"""The `site-builder` command line: new, check, schema, build (run as a subprocess)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from conftest import REPO, SITE_BUILDER, TmpProject, run_tool, story_text
from site_builder.vietnamese import VIETNAM_TZ

ISSUE_LINE = re.compile(r"^(?P<path>content/\S+\.(?:md|yml)):(?P<line>\d+): (?P<field>[\w.\[\]-]+): (?P<message>\S.*)$")


def vietnam_today() -> dt.date:
    return dt.datetime.now(VIETNAM_TZ).date()


def front_matter_value(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].split("  #")[0].strip()
    raise AssertionError(f"no {key}: line")


# --- new -------------------------------------------------------------------------------


def test_new_story_creates_a_valid_draft_and_never_overwrites(tmp_project):
    p = tmp_project
    before = vietnam_today()
    result = run_tool(SITE_BUILDER, "new", "story", "Tiêu đề có dấu", cwd=p.root)
    after = vietnam_today()
    assert result.returncode == 0, result.stderr
    printed = result.stdout.strip()
    assert printed in {f"content/stories/{d.year}/tieu-de-co-dau.md" for d in (before, after)}
    path = p.root / printed
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert front_matter_value(text, "title") == '"Tiêu đề có dấu"'
    assert front_matter_value(text, "slug") == "tieu-de-co-dau"
    date = front_matter_value(text, "date")
    assert dt.datetime.strptime(date, "%Y-%m-%d %H:%M").date() in (before, after)
    assert front_matter_value(text, "draft") == "true"
    # The scaffold is valid content.
    check = run_tool(SITE_BUILDER, "check", cwd=p.root)
    assert check.returncode == 0, check.stdout + check.stderr

    original = path.read_bytes()
    again = run_tool(SITE_BUILDER, "new", "story", "Tiêu đề có dấu", cwd=p.root)
    assert again.returncode != 0
    assert "tieu-de-co-dau.md" in again.stderr
    assert path.read_bytes() == original
    assert sorted(x.name for x in (p.root / "content" / "stories").rglob("*.md")) == ["tieu-de-co-dau.md"]


def test_new_story_refuses_a_slug_used_in_another_year(tmp_project):
    p = tmp_project
    existing = p.add_story("tieu-de-co-dau", story_text("Tiêu đề có dấu", "2020-01-01 08:00"), year=2020)
    original = existing.read_bytes()
    result = run_tool(SITE_BUILDER, "new", "story", "Tiêu đề có dấu", cwd=p.root)
    assert result.returncode != 0
    assert existing.read_bytes() == original
    assert [x.name for x in (p.root / "content" / "stories").rglob("*.md")] == ["tieu-de-co-dau.md"]


def test_new_profile(tmp_project):
    p = tmp_project
    result = run_tool(SITE_BUILDER, "new", "profile", "Tổ hòa giải thôn Đông", "--kind", "tap-the", cwd=p.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/profiles/tap-the/to-hoa-giai-thon-dong.md"
    path = p.root / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert front_matter_value(text, "name") == '"Tổ hòa giải thôn Đông"'
    assert front_matter_value(text, "kind") == "tap-the"
    assert front_matter_value(text, "slug") == "to-hoa-giai-thon-dong"
    check = run_tool(SITE_BUILDER, "check", cwd=p.root)
    assert check.returncode == 0, check.stdout + check.stderr
    original = path.read_bytes()
    again = run_tool(SITE_BUILDER, "new", "profile", "Tổ hòa giải thôn Đông", "--kind", "ca-nhan", cwd=p.root)
    assert again.returncode != 0
    assert path.read_bytes() == original
    assert not (p.root / "content/profiles/ca-nhan/to-hoa-giai-thon-dong.md").exists()


def test_new_with_a_bad_kind_fails_cleanly(tmp_project):
    result = run_tool(SITE_BUILDER, "new", "profile", "Ai đó", "--kind", "tin-tong-hop", cwd=tmp_project.root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert not (tmp_project.root / "content" / "profiles").exists() or not any(
        (tmp_project.root / "content" / "profiles").rglob("*.md")
    )


# --- check -------------------------------------------------------------------------------


def test_check_passes_on_the_demo():
    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi" in result.stdout


BROKEN_STORY_A = """\
---
title: Bài A
date: 2026-13-40 08:00
summary: Tóm tắt.
kind: ca-nhan
fields: [Không có lĩnh vực này]
cover:
  src: 2026/khong-co.jpg
  alt: Ảnh
titel: x
---
Nội dung.
"""

BROKEN_STORY_B = """\
---
date: 2026-01-01
summary: Tóm tắt.
kind: khong-ro
people:
  - name: X
    profile: khong-ton-tai
---
Nội dung.
"""

BROKEN_PROFILE = """\
---
name: P
kind: tap-the
summary: S
---
"""

EXPECTED_PROBLEMS = {
    ("content/stories/2026/a.md", 3, "date"),
    ("content/stories/2026/a.md", 6, "fields[0]"),
    ("content/stories/2026/a.md", 8, "cover.src"),
    ("content/stories/2026/a.md", 10, "titel"),
    ("content/stories/2026/b.md", 1, "title"),
    ("content/stories/2026/b.md", 4, "kind"),
    ("content/stories/2026/b.md", 7, "people[0].profile"),
    ("content/profiles/ca-nhan/p.md", 3, "kind"),
}


@pytest.fixture
def broken_project(tmp_project) -> TmpProject:
    tmp_project.write("content/stories/2026/a.md", BROKEN_STORY_A)
    tmp_project.write("content/stories/2026/b.md", BROKEN_STORY_B)
    tmp_project.write("content/profiles/ca-nhan/p.md", BROKEN_PROFILE)
    return tmp_project


@pytest.mark.parametrize("cwd", ["project", "elsewhere"])
def test_check_lists_every_problem(broken_project, cwd, tmp_path):
    where = broken_project.root if cwd == "project" else tmp_path
    result = run_tool(SITE_BUILDER, "-f", broken_project.config, "check", cwd=where)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    parsed = [ISSUE_LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed) if not m]
    found = {(m["path"], int(m["line"]), m["field"]) for m in parsed}
    assert found == EXPECTED_PROBLEMS
    assert f"{len(EXPECTED_PROBLEMS)} lỗi" in result.stdout


# --- schema -------------------------------------------------------------------------------


def test_schema_writes_json_schemas(tmp_path):
    out = tmp_path / "schemas"
    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "schema", "-o", out)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted(str(out / f"{k}.schema.json") for k in ("story", "profile"))
    story = json.loads((out / "story.schema.json").read_text(encoding="utf-8"))
    profile = json.loads((out / "profile.schema.json").read_text(encoding="utf-8"))
    assert {"title", "date", "summary", "kind"} <= set(story["required"])
    assert {"title", "date", "summary", "kind", "cover", "people", "tags"} <= set(story["properties"])
    assert {"name", "kind", "summary"} <= set(profile["required"])
    assert "photo" in profile["properties"] and "title" not in profile["properties"]


# --- build --------------------------------------------------------------------------------

SUMMARY = re.compile(
    r"Đã dựng xong: (?P<stories>\d+) bài viết, (?P<pages>\d+) trang, (?P<warnings>\d+) cảnh báo, "
    r"(?P<seconds>\d+\.\d+) giây → (?P<site>.+)$",
    re.M,
)


def test_build_prints_a_summary(built_site, demo_catalog):
    match = SUMMARY.search(built_site.stdout)
    assert match, built_site.stdout
    assert int(match["stories"]) == len(demo_catalog.stories)
    generated = [u for u in built_site.html_urls() if u != "404.html"]
    assert int(match["pages"]) == len(generated)
    assert int(match["warnings"]) == 0
    assert 0 < float(match["seconds"]) < 120
    assert match["site"].strip() == str(built_site.dir)
