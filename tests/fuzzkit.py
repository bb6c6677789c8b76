"""Random stories for the fuzzing test (tests/test_fuzz.py) and its long profile (bench/fuzz.py).

A story is front matter (every field, each either a plausible value or any YAML value:
scalars of every type, nesting, Unicode, hostile and huge strings, unknown keys; sometimes
no valid YAML at all) and a Markdown body (headings, photos that exist or not, from other
hosts, attribute lists, raw HTML, tables, code). `run_check` runs `site-builder check` in
this process on a small project and returns its exit code and output.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import yaml
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
STORY_FILE = "content/stories/2026/bai-thu.md"
PHOTO = "2026/anh.jpg"  # exists in the project
PROFILE = "nguyen-thi-phuong"  # exists in the project

HOSTILE = ["</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'><svg onload=alert(1)>",
           "{{ config }}", "{% raw %}", "\\u0000", "\u202e\u200b\ufeff", "&amp;&lt;", "javascript:alert(1)",
           "${jndi:ldap://x}", "---", "...", "%00", "[x](javascript:alert(1))", "```", "|a|b|"]

_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵĐ -,.:", min_size=1, max_size=60),
    st.sampled_from(HOSTILE),
    st.builds(lambda s, n: s * n, st.sampled_from(["Dài ", "x", "ảnh "]), st.integers(100, 3000)),
)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**25, 10**25), st.floats(), _text,
                    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.datetimes())
_any = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
                    max_leaves=12)
_date = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.datetimes(dt.datetime(1990, 1, 1)),
                  st.sampled_from(["2026-03-14 08:30", "2026-02-30", "14/03/2026", "2026-3-4", "hôm qua"]))
_names = st.sampled_from(["Xây dựng Đảng", "Phát triển kinh tế", "Kinh tế", "xay-dung-dang", "Không có", "VH - XH"])
_photo = st.fixed_dictionaries({"src": st.sampled_from([PHOTO, "2026/khong-co.jpg", "../x.jpg", "https://a.vn/x.jpg",
                                                        "/etc/passwd", "2026\\anh.jpg", ""]) | _text},
                               optional={"alt": _text, "caption": _text, "credit": _text, "line": st.integers()})

#: For each field, values likely to pass (to reach the deeper checks) or not.
_PLAUSIBLE = {
    "title": _text, "summary": _text, "date": _date, "publish_date": _date, "expires": _date, "updated": _date,
    "kind": st.sampled_from(["ca-nhan", "tap-the", "mo-hinh", "tin-tong-hop", "Cá nhân", "bogus"]),
    "people": st.lists(st.fixed_dictionaries({"name": _text}, optional={
        "role": _text, "birth_year": st.integers(1800, 2100) | _text,
        "profile": st.sampled_from([PROFILE, "khong-co"]) | _text}), max_size=4),
    "organisation": _text, "campaign": _text, "fields": st.lists(_names, max_size=4) | _names,
    "place": st.fixed_dictionaries({"province": _text}, optional={"commune": _text, "district": _text}),
    "recognition": st.lists(st.fixed_dictionaries({"level": _text | st.sampled_from(["cap-tinh"]),
                                                   "year": st.integers(1800, 2100), "title": _text}), max_size=3),
    "tags": st.lists(_text, max_size=5), "cover": _photo, "authors": st.lists(_text, max_size=3) | _text,
    "photographer": _text, "featured": st.booleans() | _text, "draft": st.booleans(),
    "source": st.fixed_dictionaries({"outlet": _text}, optional={"url": _text | st.just("https://a.vn/b"),
                                                                 "date": _date}),
    "slug": st.sampled_from(["bai-thu", "page", "Bai Thu", "bai--thu", ""]) | _text,
    "aliases": st.lists(st.sampled_from(["/tin-tuc/a-1.html", "/bai-viet/cu", "/tin-t%E1%BB%A9c/", "/x?a=1", "/../x",
                                         "/%C3", "https://a.vn/x", "/assets/x", "/", "/bai-viet/bai-thu/"]) | _text,
                        max_size=4) | _text,
}
_words = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵĐ -,.:<>&\"'", min_size=1,
                 max_size=80).filter(lambda t: t.strip())
_good_date = st.dates(dt.date(2026, 1, 1), dt.date(2026, 11, 1))  # the story's folder is stories/2026/
#: Values that pass, so that most examples reach the photos, the bodies and the build.
_VALID = {
    "title": _words, "summary": _words, "date": _good_date, "kind": st.sampled_from(["ca-nhan", "tap-the", "mo-hinh"]),
    "people": st.lists(st.fixed_dictionaries({"name": _words}, optional={
        "role": _words, "birth_year": st.integers(1900, 2020), "profile": st.just(PROFILE)}), max_size=3),
    "fields": st.lists(st.sampled_from(["Xây dựng Đảng", "Kinh tế", "xay-dung-dang"]), max_size=2),
    "place": st.fixed_dictionaries({"province": _words}, optional={"commune": _words}),
    "tags": st.lists(_words, max_size=4), "authors": st.lists(_words, max_size=2), "featured": st.booleans(),
    "cover": st.fixed_dictionaries({"src": st.just(PHOTO), "alt": _words}, optional={"caption": _words}),
    "source": st.fixed_dictionaries({"outlet": _words}, optional={"url": st.just("https://baophutho.vn/a?b=1&c=2")}),
}
valid_front_matter = st.fixed_dictionaries({k: _VALID[k] for k in ("title", "date", "summary", "kind")},
                                           optional={k: v for k, v in _VALID.items() if k not in ("title", "date", "summary", "kind")})
_REQUIRED = ("title", "date", "summary", "kind")
front_matter = st.fixed_dictionaries(
    {k: _PLAUSIBLE[k] for k in _REQUIRED},  # mostly plausible, so that the deeper checks are reached
    optional={**{k: v | _any for k, v in _PLAUSIBLE.items() if k not in _REQUIRED}, "body": _any, "bogus key": _any,
              "titel": _any},
) | st.dictionaries(st.sampled_from([*_PLAUSIBLE, "body", "path", "x"]), _any, max_size=8)

_fragment = st.one_of(
    _text,
    st.builds(lambda t: f"## {t}", _text),
    st.builds(lambda alt, src, title: f'![{alt}]({src} "{title}")', _text,
              st.sampled_from([PHOTO, "<2026/anh.jpg>", "2026/khong-co.jpg", "https://t.vn/p.gif", "//t.vn/x.jpg",
                               "data:image/png;base64,AA"]), _text),
    st.builds(lambda alt: f"![{alt}][r]\n\n[r]: {PHOTO}", _text),
    st.builds(lambda a, v: f"Đoạn.\n{{: {a}={v!r} }}", st.sampled_from(["class", "id", "ping", "onclick", "width",
                                                                           "style", "xlink:href", "popover"]), _text),
    st.builds(lambda c: f"Đoạn {{: .{c} }}", st.sampled_from(["ghi-chu", "md-header", "x y"])),
    st.sampled_from(["<script>alert(1)</script>", "| a | b |\n|---|---|\n| 1 | 2 |", "```\ncode\n```",
                     "[^1]\n\n[^1]: Chú thích.", "- một\n- hai", "> trích dẫn", "[liên kết](javascript:x)"]),
)
body = st.lists(_fragment, max_size=8).map("\n\n".join)
#: Bodies that pass: paragraphs, headings, lists, the existing photo (alone, in a gallery, in a line), allowed classes.
good_body = st.lists(st.one_of(
    _words, st.builds(lambda t: f"## {t}", _words), st.builds(lambda a, b: f"- {a}\n- {b}", _words, _words),
    st.builds(lambda alt: f'![{alt.replace("]", "")}]({PHOTO} "Chú thích")', _words),
    st.just(f"![a]({PHOTO})\n![b](<{PHOTO}>)"), st.builds(lambda t: f"Chữ ![x]({PHOTO}){{: width=120 }} {t}", _words),
    st.builds(lambda t: f"{t}\n{{: .ghi-chu }}", _words),
), max_size=6).map("\n\n".join)


def story_text(front: dict | str, body_text: str) -> str:
    """The file: YAML front matter (or raw text when `front` is a string) and the body."""
    yaml_text = front if isinstance(front, str) else yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{yaml_text}---\n{body_text}\n"


story_file = st.one_of(
    st.builds(story_text, valid_front_matter, good_body),
    st.builds(story_text, valid_front_matter, body),
    st.builds(story_text, front_matter, body),
    st.builds(story_text, st.text(max_size=200), body),  # front matter that is not valid YAML, or not a mapping
)


def make_project(root: Path) -> Path:
    """The demo's settings, theme and vocabularies, one profile and one photo."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if not (root / "themes").exists():
        (root / "themes").symlink_to(REPO / "themes", target_is_directory=True)
    shutil.copytree(REPO / "content" / "vocabularies", root / "content" / "vocabularies", dirs_exist_ok=True)
    profile = root / "content" / "profiles" / "ca-nhan" / f"{PROFILE}.md"
    profile.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "content" / "profiles" / "ca-nhan" / f"{PROFILE}.md", profile)
    portrait = root / "images" / "profiles" / f"{PROFILE}.jpg"  # the profile's photo
    portrait.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "images" / "profiles" / f"{PROFILE}.jpg", portrait)
    photo = root / "images" / PHOTO
    photo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "images" / "2026" / "binh-xuyen-duong-hoa.jpg", photo)
    (root / "content" / "stories" / "2026").mkdir(parents=True, exist_ok=True)
    return root


ISSUE = re.compile(r"^\S.*?:\d+: \S")


def run_check(root: Path) -> tuple[int, list[str], str]:
    """`site-builder check` in this process: (exit code, its problem lines, its summary)."""
    from site_builder import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["-f", str(root / "mkdocs.yml"), "check"])
    return code, [line for line in err.getvalue().splitlines() if line.strip()], out.getvalue()
