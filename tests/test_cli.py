"""The `site-builder` command line: new, check, schema, build (run as a subprocess)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from conftest import ENV, REPO, SITE_BUILDER, TmpProject, english_env, run_tool, story_text
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
    assert again.stderr == (
        f"Lỗi: tệp {printed} đã có, không ghi đè: hãy sửa tệp đó, hoặc chọn tiêu đề khác.\n"
    )
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


# What staff read is Vietnamese; developers get English with --lang en or LANG=en.
LANGUAGES = {
    "default": ((), ENV, "vi"),
    "LANG=C": ((), {**english_env(), "LANG": "C.UTF-8"}, "vi"),
    "--lang en": (("--lang", "en"), ENV, "en"),
    "LANG=en": ((), english_env(), "en"),
    "LANG=en --lang vi": (("--lang", "vi"), english_env(), "vi"),
}
MISSING_TITLE = {
    "vi": "content/stories/2026/b.md:1: title: thiếu tiêu đề: hãy thêm dòng 'title: ...'",
    "en": "content/stories/2026/b.md:1: title: title is required (tiêu đề): add a line 'title: ...'",
}
UNKNOWN_KEY = {
    "vi": "content/stories/2026/a.md:10: titel: không có mục 'titel'; có phải ý bạn là 'title'?",
    "en": "content/stories/2026/a.md:10: titel: unknown field 'titel'; did you mean 'title'?",
}


@pytest.mark.parametrize("how", list(LANGUAGES))
def test_check_messages_are_vietnamese_unless_english_is_asked_for(broken_project, how):
    options, env, language = LANGUAGES[how]
    result = run_tool(SITE_BUILDER, *options, "-f", broken_project.config, "check", cwd=broken_project.root, env=env)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert MISSING_TITLE[language] in lines and UNKNOWN_KEY[language] in lines
    summary = {
        "vi": "0 bài viết, 0 hồ sơ; 8 lỗi, 0 cảnh báo.\n"
              "Hãy sửa các lỗi ở trên (tệp:dòng: mục: việc cần làm), rồi kiểm tra lại.\n",
        "en": "0 stories, 0 profiles; 8 errors, 0 warnings.\n"
              "Correct the errors above (file:line: field: what to do), then check again.\n",
    }
    assert result.stdout == summary[language]


def test_lang_may_follow_the_command(broken_project):
    result = run_tool(SITE_BUILDER, "-f", broken_project.config, "check", "--lang", "en", cwd=broken_project.root)
    assert UNKNOWN_KEY["en"] in result.stderr.splitlines()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_failed_build_explains_itself(broken_project, language):
    env = ENV if language == "vi" else english_env()
    result = run_tool(SITE_BUILDER, "-f", broken_project.config, "build", cwd=broken_project.root, env=env)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    expected = {
        "vi": ("LỖI      - 8 lỗi nội dung: hãy sửa rồi dựng lại",
               "Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên. Hãy sửa các lỗi ở trên rồi dựng lại."),
        "en": ("ERROR    - 8 content errors: correct them and build again",
               "The build failed; the site built before is kept. Correct the errors above, then build again."),
    }[language]
    assert lines[0] == expected[0], result.stderr
    assert MISSING_TITLE[language] in lines and UNKNOWN_KEY[language] in lines
    assert lines[-1] == expected[1]
    assert len(lines) == 1 + len(EXPECTED_PROBLEMS) + 1, result.stderr  # nothing else: no MkDocs chatter
    assert result.stdout == ""


USAGE_ERRORS = {
    ("new", "story"): {
        "vi": ["cách dùng: site-builder new [-h] [--lang {vi,en}] [--kind LOẠI]",
               "site-builder new: lỗi: còn thiếu tham số bắt buộc: TIÊU_ĐỀ",
               "Chạy 'site-builder new --help' để xem các lệnh và tùy chọn."],
        "en": ["usage: site-builder new [-h] [--lang {vi,en}] [--kind KIND]",
               "site-builder new: error: the following arguments are required: TITLE",
               "Run 'site-builder new --help' to see the commands and their options."],
    },
    ("bogus",): {
        "vi": ["cách dùng: site-builder [-h] [-f TỆP] [--lang {vi,en}] LỆNH ...",
               "site-builder: lỗi: tham số LỆNH: lựa chọn không hợp lệ: 'bogus' "
               "(hãy chọn một trong: 'new', 'check', 'build', 'serve', 'admin', 'import', 'convert', 'stats', 'schema', 'unpublish', 'audit', 'server-config', 'deploy')",
               "Chạy 'site-builder --help' để xem các lệnh và tùy chọn."],
        "en": ["usage: site-builder [-h] [-f FILE] [--lang {vi,en}] COMMAND ...",
               "site-builder: error: argument COMMAND: invalid choice: 'bogus' "
               "(choose from 'new', 'check', 'build', 'serve', 'admin', 'import', 'convert', 'stats', 'schema', 'unpublish', 'audit', 'server-config', 'deploy')",
               "Run 'site-builder --help' to see the commands and their options."],
    },
    ("check", "--quickly"): {
        "vi": ["cách dùng: site-builder [-h] [-f TỆP] [--lang {vi,en}] LỆNH ...",
               "site-builder: lỗi: không hiểu các tham số: --quickly",
               "Chạy 'site-builder --help' để xem các lệnh và tùy chọn."],
        "en": ["usage: site-builder [-h] [-f FILE] [--lang {vi,en}] COMMAND ...",
               "site-builder: error: unrecognized arguments: --quickly",
               "Run 'site-builder --help' to see the commands and their options."],
    },
}


@pytest.mark.parametrize("how", list(LANGUAGES))
@pytest.mark.parametrize("args", list(USAGE_ERRORS), ids=" ".join)
def test_usage_errors_are_vietnamese_unless_english_is_asked_for(tmp_path, args, how):
    options, env, language = LANGUAGES[how]
    result = run_tool(SITE_BUILDER, *options, *args, cwd=tmp_path, env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    first, *rest = USAGE_ERRORS[args][language]
    assert lines[0].startswith(first) and lines[-2:] == rest, result.stderr
    assert result.stdout == ""


def test_help_is_vietnamese(tmp_path):
    result = run_tool(SITE_BUILDER, "build", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("cách dùng: site-builder build ")
    assert "  --strict              coi cảnh báo là lỗi\n" in result.stdout
    assert "tùy chọn:\n  -h, --help            hiện hướng dẫn này rồi thoát\n" in result.stdout


def test_build_outside_a_site_folder(tmp_path):
    result = run_tool(SITE_BUILDER, "build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "Lỗi: không có tệp mkdocs.yml ở đây: hãy chạy lệnh trong thư mục của trang, hoặc chỉ rõ tệp bằng -f.\n"
    )


def test_new_with_a_reserved_slug_is_refused(tmp_project):
    result = run_tool(SITE_BUILDER, "new", "profile", "Cá nhân", cwd=tmp_project.root)
    assert result.returncode == 1
    assert result.stderr == (
        "Lỗi: 'Cá nhân' sẽ cho đường dẫn (slug) 'ca-nhan', đã được dành cho một trang của website: "
        "hãy viết tiêu đề dài hơn\n"
    )


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
    # pages of the site: not the 404 page nor the embed cards (nhung/<slug>/, made for other sites' frames)
    generated = [u for u in built_site.html_urls() if u != "404.html" and not u.startswith("nhung/")]
    assert int(match["pages"]) == len(generated)
    assert int(match["warnings"]) == 0
    assert float(match["seconds"]) > 0  # a figure, not a speed target (those are in bench/)
    assert match["site"].strip() == str(built_site.dir)
    # MkDocs' English progress lines ("Cleaning site directory", "Documentation built in ...") are not shown.
    assert built_site.stdout.splitlines() == [match[0]] and built_site.stderr == ""
