"""Bodies: photos found by the parser that renders them, other hosts refused, attribute lists
limited, every problem on its line; parsed once and cached."""

from __future__ import annotations

import re

import pytest

from conftest import story_text
from site_builder.bodies import Bodies
from site_builder.markdown_render import BODY_CLASSES, PAGE_IDS, MarkdownRenderer

REPO_THEMES = __import__("pathlib").Path(__file__).resolve().parents[1] / "themes"


@pytest.fixture(scope="module")
def parse():
    return MarkdownRenderer().parse


# --- photos, as CommonMark writes them -----------------------------------------------------------

FORMS = [
    ('![a](<thư mục/ảnh đẹp 2.jpg> "c")', "thư mục/ảnh đẹp 2.jpg", "a", "c"),
    ("![a](2026/x.jpg 'c')", "2026/x.jpg", "a", "c"),
    ("![a](2026/x.jpg (c))", "2026/x.jpg", "a", "c"),
    ("![a][r]\n\n[r]: 2026/x.jpg", "2026/x.jpg", "a", ""),
    ("![a][]\n\n[a]: 2026/x.jpg \"c\"", "2026/x.jpg", "a", "c"),
    ("![a [b] c](2026/x.jpg)", "2026/x.jpg", "a [b] c", ""),
    ("Chữ ![a](2026/x.jpg) chữ.", "2026/x.jpg", "a", ""),
]


@pytest.mark.parametrize("text, src, alt, title", FORMS)
def test_every_form_of_a_markdown_image_is_found(parse, text, src, alt, title):
    body = parse(text)
    assert [(i.src, i.alt, i.title) for i in body.images] == [(src, alt, title)]
    assert not body.problems and len(body.slots) == 1


def test_an_image_in_code_is_not_a_photo(parse):
    assert parse("Viết `![a](x.jpg)` như thế này.\n\n    ![b](y.jpg)").images == ()


@pytest.mark.parametrize("src", ["https://tracker.example/x.gif", "http://a.vn/x.jpg", "//a.vn/x.jpg",
                                 "data:image/png;base64,iVBOR", "HTTPS://A.VN/X.JPG", "file:///etc/x.jpg"])
def test_photos_from_other_hosts_are_refused_on_their_line(parse, src):
    body = parse(f"Đoạn một.\n\nĐoạn hai ![x]({src}) ba.")
    assert body.images == () and "<img" not in body.html and src not in body.html
    (problem,) = body.problems
    assert problem.line == 2 and "không phải tệp của trang web: hãy chép ảnh vào images/" in problem.message


# --- attribute lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("attrs, name", [
    ('ping="https://tracker.example/p"', "ping"),
    ("popover", "popover"),
    ("download", "download"),
    ('xlink:href="#x"', "xlink"),
    ('title="x" lang="en"', "title"),
])
def test_attributes_outside_the_short_list_are_reported_and_dropped(parse, attrs, name):
    body = parse(f"Đoạn.\n\n[liên kết](https://a.vn){{: {attrs} }}\n")
    assert body.problems and all(p.line == 2 for p in body.problems)
    assert any(f"'{name}" in p.message for p in body.problems), body.problems
    assert name not in body.html.replace("https://a.vn", "")


def test_classes_must_be_the_themes_body_classes(parse):
    body = parse("## Tiêu đề {: .md-header }\n\nĐoạn.\n{: .ghi-chu .can-giua }")
    assert [p.line for p in body.problems] == [0] and "'.md-header'" in body.problems[0].message
    assert 'class="ghi-chu can-giua"' in body.html and "md-header" not in body.html


@pytest.mark.parametrize("ident, ok", [("muc-1", True), ("moi-nhat", False), ("gs-x", False), ("__drawer", False),
                                       ("Muc", False), ("a b", False)])
def test_ids_may_not_be_the_pages_own(parse, ident, ok):
    body = parse(f'## Mục {{: id="{ident}" }}')
    assert (not body.problems) is ok
    assert (f'id="{ident}"' in body.html) is ok


def test_an_id_used_twice_is_reported(parse):
    body = parse("## A {: #muc }\n\n## B {: #muc }")
    assert [p.line for p in body.problems] == [0]  # found by its text: the first line holding it
    assert "được dùng hai lần trong bài: hãy đổi một trong hai" in body.problems[0].message


def test_inline_image_size_from_the_editor(parse):
    body = parse("Chữ ![logo](2026/x.jpg){: width=120 } chữ.")
    assert not body.problems and body.slots[0].width == "120"
    assert "gs-sized" not in body.html  # the slot, not the image yet

    class Photos:
        def inline(self, src, base):
            return {"src": base + src, "width": "600", "height": "300", "srcset": "", "sizes": "100vw"}

    html = MarkdownRenderer(Photos()).convert("Chữ ![logo](2026/x.jpg){: width=120 } chữ.")
    assert 'width="120" height="60"' in html and 'class="gs-sized"' in html


def test_every_body_class_is_styled_by_the_theme():
    css = (REPO_THEMES / "guong-sang/assets/guong-sang.css").read_text(encoding="utf-8")
    for name in BODY_CLASSES:
        assert re.search(rf"\.gs-article__body \.{name}\b", css), name


def test_the_pages_own_ids_are_known():
    """Every id our templates give a story or profile page is one a body may not take."""
    found = set()
    for template in (REPO_THEMES / "guong-sang").rglob("*.html"):
        found |= set(re.findall(r'\bid="([a-z][a-z0-9_-]*)"', template.read_text(encoding="utf-8")))
    assert found - PAGE_IDS == set()


# --- the cache -----------------------------------------------------------------------------------


class _Item:
    def __init__(self, path, body):
        self.path, self.body, self.body_line = path, body, 10


def test_bodies_are_parsed_once_and_cached(tmp_path):
    items = [_Item(tmp_path / f"{i}.md", f"Đoạn {i}.\n\n![a](2026/{i}.jpg)") for i in range(3)]
    first = Bodies(tmp_path / "cache")
    assert first.prepare(items, parallel=False) == [] and first.parsed == 3
    again = Bodies(tmp_path / "cache")
    assert again.prepare(items, parallel=False) == [] and again.parsed == 0
    assert [(i.src, line) for i, line in again.images(items[1])] == [("2026/1.jpg", 12)]
    assert again.html(items[0], None, "") == first.html(items[0], None, "")
    items[0].body = "Đã sửa."
    edited = Bodies(tmp_path / "cache")
    assert edited.prepare(items[:2], parallel=False) == [] and edited.parsed == 1
    assert edited.html(items[0], None, "") == "<p>Đã sửa.</p>"
    assert len(list((tmp_path / "cache").glob("pack-*.html"))) == 2  # the first pack, and the edited body's


def test_a_pack_cut_short_by_a_crash_is_not_trusted(tmp_path):
    items = [_Item(tmp_path / f"{i}.md", f"Đoạn {i} " * 50) for i in range(3)]
    Bodies(tmp_path / "cache").prepare(items, parallel=False)
    (pack,) = (tmp_path / "cache").glob("pack-*.html")
    with open(pack, "r+b") as f:
        f.truncate(pack.stat().st_size - 10)  # the last body's HTML is no longer whole
    again = Bodies(tmp_path / "cache")
    again.prepare(items, parallel=False)
    assert again.parsed == 1 and again.html(items[2], None, "").endswith("</p>")


def test_packs_of_old_texts_are_compacted_away(tmp_path):
    item = _Item(tmp_path / "x.md", "")
    for i in range(12):  # each edit leaves the previous text dead in its pack
        item.body = f"Bản sửa {i}. " + "chữ " * 50_000
        Bodies(tmp_path / "cache").prepare([item], parallel=False)
    packs = list((tmp_path / "cache").glob("pack-*.html"))
    total = sum(p.stat().st_size for p in packs)
    live = len(f"<p>Bản sửa 11. {'chữ ' * 50_000}".rstrip().encode()) + len("</p>")
    assert total <= 2 * max(live, 1 << 20) + live  # never more than this much dead weight
    bodies = Bodies(tmp_path / "cache")
    bodies.prepare([item], parallel=False)
    assert bodies.parsed == 0 and bodies.html(item, None, "").startswith("<p>Bản sửa 11.")


def test_many_bodies_are_parsed_by_forked_workers_into_their_packs(tmp_path):
    items = [_Item(tmp_path / f"{i}.md", f"Đoạn **{i}**.") for i in range(450)]
    bodies = Bodies(tmp_path / "cache")
    bodies.prepare(items, parallel=True)
    assert bodies.parsed == 450 and bodies.html(items[449], None, "") == "<p>Đoạn <strong>449</strong>.</p>"
    assert len(list((tmp_path / "cache").glob("pack-*.html"))) == 2  # one per worker
    again = Bodies(tmp_path / "cache")
    again.prepare(items, parallel=True)
    assert again.parsed == 0 and again.html(items[7], None, "") == "<p>Đoạn <strong>7</strong>.</p>"


def test_bodies_with_problems_are_reported_every_time(tmp_path):
    item = _Item(tmp_path / "x.md", "![x](https://a.vn/x.jpg)")
    for _ in range(2):
        (issue,) = Bodies(tmp_path / "cache").prepare([item], parallel=False)
        assert (issue.line, issue.field) == (10, "body")


# --- in real builds --------------------------------------------------------------------------------


def test_a_missing_photo_in_any_form_stops_check_and_build_on_its_line(tmp_project):
    body = "Mở đầu.\n\n![a](<thư mục/ảnh đẹp 2.jpg> \"c\")\n\n![b][r]\n\n[r]: 2026/khong-co.jpg\n"
    path = tmp_project.add_story("bai", story_text("Bài", "2026-03-14 08:30", body=body))
    body_line = path.read_text(encoding="utf-8").splitlines().index("Mở đầu.") + 1
    result = tmp_project.build()
    assert result.returncode == 1
    assert f"content/stories/2026/bai.md:{body_line + 2}: body:" in result.stderr
    assert f"content/stories/2026/bai.md:{body_line + 6}: body:" in result.stderr


def test_a_photo_path_with_spaces_is_published(tmp_project):
    tmp_project.copy_image("thư mục/ảnh đẹp 2.jpg")
    tmp_project.add_story("bai", story_text("Bài", "2026-03-14 08:30",
                                            body='![Đường hoa](<thư mục/ảnh đẹp 2.jpg> "Chú thích")'))
    assert tmp_project.build().returncode == 0
    html = (tmp_project.root / "site/bai-viet/bai/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="photo">.*?</figure>', html).group(0)
    assert "Chú thích" in figure and re.search(r'srcset="\.\./\.\./assets/images/[^"]+\.webp 480w', figure)


CHECKED_BODY = {
    "vi": ["content/stories/2026/bai.md:{line}: body: không được dùng thuộc tính 'ping' trong {{: ...}}: hãy xoá nó "
           "(chỉ được dùng: class, id)",
           "content/stories/2026/bai.md:{next}: body: ảnh '//t.vn/p.gif' không phải tệp của trang web: hãy chép ảnh vào "
           "anh/ và viết đường dẫn của ảnh ở đây (ảnh từ trang web khác không được đăng)"],
    "en": ["content/stories/2026/bai.md:{line}: body: attribute 'ping' is not allowed in {{: ...}}: remove it "
           "(allowed: class, id)",
           "content/stories/2026/bai.md:{next}: body: photo '//t.vn/p.gif' is not a file of the site: copy it into "
           "anh/ and write its path there (photos from other websites are not published)"],
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_check_reports_attribute_and_host_problems(tmp_project, language):
    """Each problem on its line, saying what to do, naming the configured photo folder; English with LANG=en."""
    from conftest import ENV, SITE_BUILDER, english_env, run_tool

    config = tmp_project.config.read_text(encoding="utf-8")
    tmp_project.config.write_text(config.replace("      per_page: 24\n", "      per_page: 24\n      images_dir: anh\n"),
                                  encoding="utf-8")
    path = tmp_project.add_story("bai", story_text("Bài", "2026-03-14 08:30",
                                                   body="Đoạn.\n{: ping=\"https://t.vn\" }\n\n![x](//t.vn/p.gif)"))
    body_line = path.read_text(encoding="utf-8").splitlines().index('{: ping="https://t.vn" }') + 1
    env = ENV if language == "vi" else english_env()
    result = run_tool(SITE_BUILDER, "-f", tmp_project.config, "check", cwd=tmp_project.root, env=env)
    assert result.returncode == 1
    expected = [line.format(line=body_line, next=body_line + 2) for line in CHECKED_BODY[language]]
    assert result.stderr.splitlines() == expected, result.stderr
