"""Builds of small throw-away projects: drafts/future flags, failed builds, the plain
MkDocs and ProperDocs CLIs, and hostile strings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import lead_figure, site_path, MKDOCS, PROPERDOCS, SITE_BUILDER, TmpProject, soup_of, story_text, text_of
from site_builder.vietnamese import now_in_vietnam

NOW = now_in_vietnam().replace(second=0, microsecond=0)
PAST = NOW - dt.timedelta(days=10)
FUTURE = NOW + dt.timedelta(days=30)

HOSTILE = "</script><img src=x onerror=alert(1)>"


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(project: TmpProject) -> list[str]:
    """Staging or old-site folders next to the site."""
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith((".site-", ".site_")))


def relative_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def modes_project(tmp_project) -> TmpProject:
    p = tmp_project
    p.add_story("bai-da-dang", story_text("Bài đã đăng", PAST, extra="tags: [thử nghiệm]"))
    p.add_story("bai-nhap", story_text("Bài nháp", PAST, extra="draft: true\ntags: [thử nghiệm]"))
    p.add_story("bai-hen-gio", story_text("Bài hẹn giờ", FUTURE, extra="tags: [thử nghiệm]"))
    p.add_story(
        "bai-hen-gio-dang",
        story_text("Bài hẹn giờ đăng", PAST, extra=f"publish_date: {FUTURE:%Y-%m-%d %H:%M}"),
    )
    p.add_story("bai-het-han", story_text("Bài hết hạn", PAST, extra=f"expires: {PAST + dt.timedelta(days=1):%Y-%m-%d}"))
    return p


def listed(site: Path) -> list[str]:
    doc = soup_of(page_file(site, "bai-viet"))
    return [text_of(a) for a in doc.select("a.gs-card__link")]


@pytest.mark.parametrize(
    "flags, shown",
    [
        ((), ["Bài đã đăng"]),
        (("--drafts",), ["Bài nháp", "Bài đã đăng"]),
        (("--future",), ["Bài hẹn giờ", "Bài hẹn giờ đăng", "Bài đã đăng"]),
    ],
    ids=["default", "drafts", "future"],
)
def test_drafts_and_future_flags(modes_project, flags, shown):
    result = modes_project.build(*flags)
    assert result.returncode == 0, result.stderr
    site = modes_project.root / "site"
    assert sorted(listed(site)) == sorted(shown)
    everything = {"Bài đã đăng": "bai-da-dang", "Bài nháp": "bai-nhap", "Bài hẹn giờ": "bai-hen-gio",
                  "Bài hẹn giờ đăng": "bai-hen-gio-dang", "Bài hết hạn": "bai-het-han"}
    for title, slug in everything.items():
        assert page_file(site, f"bai-viet/{slug}").is_file() == (title in shown), slug
    # The tag page follows the same selection.
    tag = soup_of(page_file(site, "the/thu-nghiem"))
    assert sorted(text_of(a) for a in tag.select("a.gs-card__link")) == sorted(
        t for t in shown if t in ("Bài đã đăng", "Bài nháp", "Bài hẹn giờ")
    )


@pytest.mark.parametrize("tool", [SITE_BUILDER, MKDOCS], ids=["site-builder", "mkdocs"])
def test_failed_build_keeps_previous_site(tmp_project, tool):
    p = tmp_project
    p.add_story("bai-tot", story_text("Bài tốt", PAST))
    first = p.build(tool=tool)
    assert first.returncode == 0, first.stderr
    site = p.root / "site"
    before = snapshot(site)
    assert "bai-viet/bai-tot/index.html" in before

    p.add_story("bai-loi", story_text("Bài lỗi", PAST, extra="fields: [Lĩnh vực không tồn tại]"))
    p.add_story("bai-tot-2", story_text("Bài tốt thứ hai", PAST))
    second = p.build(tool=tool)
    output = second.stdout + second.stderr
    assert second.returncode != 0
    # Line 6 of the file is `fields:` (---, title, date, summary, kind, fields).
    assert f"content/stories/{PAST.year}/bai-loi.md:6: fields[0]: " in output, output
    assert snapshot(site) == before, "the previous site must be left byte-for-byte unchanged"
    assert leftovers(p) == []


def test_failed_build_without_previous_site_leaves_nothing(tmp_project):
    p = tmp_project
    p.add_story("bai-loi", story_text("Bài lỗi", PAST, kind="khong-co-loai"))
    result = p.build()
    assert result.returncode != 0
    assert f"content/stories/{PAST.year}/bai-loi.md:5: kind: " in result.stdout + result.stderr
    assert not (p.root / "site").exists()
    assert leftovers(p) == []


def test_strict_build_fails_on_warnings_and_keeps_previous_site(tmp_project):
    p = tmp_project
    p.add_story("bai-tot", story_text("Bài tốt", PAST))
    assert p.build().returncode == 0
    site = p.root / "site"
    before = snapshot(site)
    # A story filed under the wrong year folder is a warning, not an error.
    p.add_story("sai-thu-muc", story_text("Sai thư mục", PAST), year=PAST.year - 1)
    lenient = p.build(site="site-lenient")
    assert lenient.returncode == 0, lenient.stderr
    warning = f"content/stories/{PAST.year - 1}/sai-thu-muc.md:3: date: cảnh báo: "
    assert warning in lenient.stdout + lenient.stderr
    assert "1 cảnh báo" in lenient.stdout
    strict = p.build("--strict")
    assert strict.returncode != 0
    assert warning in strict.stdout + strict.stderr
    assert snapshot(site) == before
    assert leftovers(p) == []


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> TmpProject:
    """A demo story and a story of our own, built once with `site-builder build` into site-ours/."""
    p = TmpProject(tmp_path_factory.mktemp("small") / "project")
    p.copy_demo_story("2026/phu-nu-la-bang-lam-giau-tu-bup-che.md")
    p.add_story(
        "bai-co-anh",
        story_text(
            "Bài có ảnh bìa", PAST, kind="tap-the",
            extra="tags: [chè, phụ nữ]\nplace: {commune: xã La Bằng, province: Thái Nguyên}\n"
            "cover: {src: 2026/bia.jpg, alt: Ảnh bìa, caption: Chú thích, credit: Thành An}\n"
            "authors: [Thành An]\nphotographer: Thành An",
        ),
    )
    p.copy_image("2026/bia.jpg")
    # A profile whose organisation and place no story of this project has.
    p.write("content/profiles/ca-nhan/ba-lan.md", "\n".join([
        "---", "name: Bà Lan", "kind: ca-nhan", "summary: Hội viên phụ nữ tiêu biểu.",
        "organisation: Hội LHPN huyện Bình Xuyên", "place: {commune: xã Tân Phong, province: Vĩnh Phúc}",
        "---", "Tiểu sử.", "",
    ]))
    ours = p.build(site="site-ours")
    assert ours.returncode == 0, ours.stdout + ours.stderr
    return p


def test_mkdocs_cli_builds_the_same_site(small_project):
    p = small_project
    theirs = p.build(site="site-mkdocs", tool=MKDOCS)
    assert theirs.returncode == 0, theirs.stderr
    a, b = p.root / "site-ours", p.root / "site-mkdocs"
    files = relative_files(a)
    assert "bai-viet/bai-co-anh/index.html" in files
    assert files == relative_files(b)
    for rel in sorted(f for f in files if f.endswith(".html")):
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_properdocs_builds_the_site(small_project):
    p = small_project
    result = p.build(site="site-properdocs", tool=PROPERDOCS)
    assert result.returncode == 0, result.stderr
    site = p.root / "site-properdocs"
    assert relative_files(site) == relative_files(p.root / "site-ours")
    doc = soup_of(page_file(site, "bai-viet/bai-co-anh"))
    assert text_of(doc.h1) == "Bài có ảnh bìa"
    assert text_of(doc.select_one(".gs-article__byline")) == "Bài, ảnh: Thành An"
    tag = soup_of(page_file(site, "the/che"))
    assert sorted(text_of(a) for a in tag.select("a.gs-card__link")) == [
        "Bài có ảnh bìa", "Phụ nữ La Bằng làm giàu từ búp chè",
    ]
    assert leftovers(p) == []


def profile_facts(doc) -> dict[str, object]:
    return {text_of(d): d.find_next_sibling("dd") for d in doc.select(".gs-profile dl.gs-facts dt")}


def test_profile_page_without_stories(small_project):
    doc = soup_of(page_file(small_project.root / "site-ours", "ho-so/ba-lan"))
    assert text_of(doc.h1) == "Bà Lan"
    assert text_of(doc.select_one("#bai-viet-lien-quan .gs-count")) == "0 bài"
    assert "Đơn vị" in profile_facts(doc)


def test_profile_organisation_without_term_page_does_not_link_home(small_project):
    doc = soup_of(page_file(small_project.root / "site-ours", "ho-so/ba-lan"))
    dd = profile_facts(doc)["Đơn vị"]
    assert text_of(dd) == "Hội LHPN huyện Bình Xuyên"
    assert [site_path("ho-so/ba-lan/", a["href"]) for a in dd.find_all("a")] in ([], ["don-vi/hoi-lhpn-huyen-binh-xuyen/"])


def test_profile_place_without_term_page_is_shown(small_project):
    doc = soup_of(page_file(small_project.root / "site-ours", "ho-so/ba-lan"))
    dd = profile_facts(doc).get("Địa phương")
    assert dd is None or text_of(dd) != ""
    assert dd is not None and "xã Tân Phong" in text_of(dd)


# --- hostile strings ----------------------------------------------------------------------


HOSTILE_BODY = f"""\
Đoạn đầu <script>alert(1)</script> và <img src=x onerror=alert(1)>.

<div onclick="alert(1)">khối HTML</div>

<script>alert(2)</script>

Ảnh trong bài: ![alt {HOSTILE} "nháy"](2026/bia.jpg "chú thích {HOSTILE} 'nháy'")

![alt {HOSTILE} "nháy"](2026/bia.jpg "chú thích {HOSTILE} 'nháy'")

## Tiêu đề có thuộc tính {{: .ghi-chu }}

Đoạn có thuộc tính.
{{: .trich-dan }}

[liên kết](javascript:alert(5))

Đoạn cuối.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    p = TmpProject(tmp_path_factory.mktemp("hostile") / "project")
    p.copy_image("2026/bia.jpg")
    q = json.dumps  # a JSON string is a valid double-quoted YAML scalar
    quoted_tag = 'thẻ "nháy" và <b>'
    alt = "Ảnh " + HOSTILE + ' "nháy kép" & \'đơn\''
    role = 'Vai <b>trò</b> "q"'
    extra = "\n".join([
        f"tags: [{q(HOSTILE)}, {q(quoted_tag)}]",
        "cover:",
        "  src: 2026/bia.jpg",
        f"  alt: {q(alt)}",
        f"  caption: {q('Chú thích ' + HOSTILE)}",
        f"  credit: {q('Tác giả ' + HOSTILE)}",
        f"authors: [{q('Người viết ' + HOSTILE)}]",
        "people:",
        f"  - name: {q('Nhân vật ' + HOSTILE)}",
        f"    role: {q(role)}",
        "    profile: nguoi-doc-hai",
        "place:",
        f"  commune: {q('xã ' + HOSTILE)}",
        f"  province: {q('Tỉnh ' + chr(34) + 'Q' + chr(34))}",
        "source:",
        f"  outlet: {q('Báo ' + HOSTILE)}",
        f"  url: {q('https://example.com/?a=1&b=2')}",
    ])
    title = f"Tiêu đề {HOSTILE} \"nháy kép\" 'nháy đơn' & co"
    summary = f"Tóm tắt {HOSTILE} \"q\" 'q' &amp;"
    p.write("content/profiles/ca-nhan/nguoi-doc-hai.md", "\n".join([
        "---",
        f"name: {q('Hồ sơ ' + HOSTILE)}",
        "kind: ca-nhan",
        f"summary: {q('Tóm tắt hồ sơ ' + HOSTILE)}",
        f"role: {q(role)}",
        f"photo: {{src: 2026/bia.jpg, alt: {q(alt)}, caption: {q('Chú thích ' + HOSTILE)}}}",
        "---",
        "Tiểu sử <script>alert(6)</script>.",
        "",
    ]))
    p.add_story("doc-hai", story_text(title, PAST, summary=summary, extra=extra, body=HOSTILE_BODY))
    p.add_story("binh-thuong", story_text("Bài bình thường", PAST - dt.timedelta(days=1), extra=f"tags: [{json.dumps(HOSTILE)}]"))
    result = p.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return {"root": p.root / "site", "title": title, "summary": summary}


def all_html(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path, soup_of(path)


def test_hostile_strings_are_escaped_everywhere(hostile_site):
    """No page gets an injected element or event handler from front matter strings
    (the Markdown body is covered by the tests below)."""
    site = hostile_site["root"]
    pages = 0
    for path, doc in all_html(site):
        pages += 1
        rel = path.relative_to(site)
        for body in doc.select(".gs-article__body"):
            body.decompose()
        assert not doc.find_all("img", src="x"), f"{rel}: injected <img>"
        handlers = [(t.name, a) for t in doc.find_all(True) for a in t.attrs if a.lower().startswith("on")]
        assert handlers == [], f"{rel}: {handlers}"
        for script in doc.find_all("script", type="application/ld+json"):
            assert "</script" not in script.string.lower()
            json.loads(script.string)
    assert pages > 10


def test_hostile_story_page_shows_text_literally(hostile_site):
    site = hostile_site["root"]
    doc = soup_of(page_file(site, "bai-viet/doc-hai"))
    title, summary = hostile_site["title"], hostile_site["summary"]
    assert text_of(doc.h1) == title
    assert doc.title.string.startswith(title)
    assert doc.find("meta", property="og:title")["content"] == title
    assert doc.find("meta", attrs={"name": "description"})["content"] == summary
    assert text_of(doc.select_one(".gs-article__sapo")) == summary
    lead = lead_figure(doc)
    assert lead.img["alt"] == "Ảnh " + HOSTILE + ' "nháy kép" & \'đơn\''
    assert doc.find("meta", property="og:image:alt")["content"] == lead.img["alt"]
    assert f"Chú thích {HOSTILE}" in text_of(lead.figcaption)
    assert f"Ảnh: Tác giả {HOSTILE}" in text_of(lead.figcaption)
    tags = [text_of(a) for a in doc.select(".gs-tags a")]
    assert f"#{HOSTILE}" in tags and '#thẻ "nháy" và <b>' in tags
    people = text_of(doc.select_one(".gs-people li"))
    assert f"Nhân vật {HOSTILE}" in people and 'Vai <b>trò</b> "q"' in people
    assert text_of(doc.select_one(".gs-article__source")).startswith(f"Theo Báo {HOSTILE}")
    assert doc.select_one(".gs-article__source a")["href"] == "https://example.com/?a=1&b=2"
    data = json.loads(doc.find("script", type="application/ld+json").string)
    assert data["headline"] == title and data["description"] == summary
    assert data["author"][0]["name"] == f"Người viết {HOSTILE}"
    # Share links carry the title URL-encoded, never raw.
    for a in doc.select(".gs-share a"):
        assert "<" not in a["href"] and '"' not in a["href"]


def test_hostile_profile_page_shows_text_literally(hostile_site):
    site = hostile_site["root"]
    doc = soup_of(page_file(site, "ho-so/nguoi-doc-hai"))
    assert text_of(doc.h1) == f"Hồ sơ {HOSTILE}"
    assert doc.find("meta", property="og:title")["content"] == f"Hồ sơ {HOSTILE}"
    assert text_of(doc.select_one(".gs-article__sapo")) == f"Tóm tắt hồ sơ {HOSTILE}"
    photo = doc.select_one("article figure")
    assert photo.img["alt"] == "Ảnh " + HOSTILE + ' "nháy kép" & \'đơn\''
    assert "Tiểu sử <script>alert(6)</script>." in text_of(doc.select_one(".gs-article__body"))
    assert doc.select_one(".gs-article__body script") is None
    # The story links the person to this profile, and the index lists it by its literal name.
    story = soup_of(page_file(site, "bai-viet/doc-hai"))
    assert text_of(story.select_one(".gs-people li a")) == f"Nhân vật {HOSTILE}"
    index = soup_of(page_file(site, "ho-so/ca-nhan"))
    assert [text_of(a) for a in index.select(".gs-cards--profiles a.gs-card__link")] == [f"Hồ sơ {HOSTILE}"]


def test_raw_html_in_markdown_body_is_text(hostile_site):
    doc = soup_of(page_file(hostile_site["root"], "bai-viet/doc-hai"))
    body = doc.select_one(".gs-article__body")
    text = text_of(body)
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert '<div onclick="alert(1)">khối HTML</div>' in text
    assert "<script>alert(2)</script>" in text
    assert body.find("script") is None and body.find("div") is None
    assert not body.find_all("img", src="x")


def test_markdown_image_alt_and_title_are_escaped(hostile_site):
    doc = soup_of(page_file(hostile_site["root"], "bai-viet/doc-hai"))
    body = doc.select_one(".gs-article__body")
    images = body.find_all("img")
    assert len(images) == 2
    for img in images:
        assert img["alt"] == f'alt {HOSTILE} "nháy"'
        assert img.get("title") in (None, f"chú thích {HOSTILE} 'nháy'")
    assert not doc.find_all("img", src="x")
    assert body.find("script") is None


def test_markdown_attribute_lists_cannot_add_event_handlers(hostile_site, tmp_project):
    doc = soup_of(page_file(hostile_site["root"], "bai-viet/doc-hai"))
    body = doc.select_one(".gs-article__body")
    handlers = [(t.name, a) for t in body.find_all(True) for a in t.attrs if a.lower().startswith("on")]
    assert handlers == [] and body.select("h2.ghi-chu") and body.select("p.trich-dan")
    tmp_project.add_story("doc-hai", story_text("Độc hại", PAST, body='## Tiêu đề {: onclick="alert(3)" }\n\n'
                                                                     'Đoạn.\n{: onmouseover="alert(4)" }'))
    result = tmp_project.build()
    assert result.returncode == 1 and not (tmp_project.root / "site").exists()
    assert "body: không được dùng thuộc tính 'onclick'" in result.stderr
    assert "body: không được dùng thuộc tính 'onmouseover'" in result.stderr


def test_markdown_links_cannot_run_javascript(hostile_site):
    doc = soup_of(page_file(hostile_site["root"], "bai-viet/doc-hai"))
    body = doc.select_one(".gs-article__body")
    assert [a["href"] for a in body.find_all("a", href=True) if a["href"].strip().lower().startswith("javascript:")] == []


def test_a_rebuild_replaces_the_site_and_removes_the_old_one_in_the_background(tmp_project):
    import time

    p = tmp_project
    p.add_story("bai-tot", story_text("Bài tốt", PAST))
    assert p.build().returncode == 0
    stale = p.root / f".site-old-{2**22 + 1}"  # a removal that never finished (no such process: above pid_max)
    (stale / "bai-viet").mkdir(parents=True)
    p.add_story("bai-moi", story_text("Bài mới", PAST))
    assert p.build().returncode == 0
    assert (p.root / "site" / "bai-viet" / "bai-moi" / "index.html").is_file()
    deadline = time.monotonic() + 10
    while leftovers(p) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(p) == []


def test_remove_later_deletes_in_a_detached_process(tmp_path):
    import subprocess
    import sys
    import time

    old = tmp_path / ".site-old-1"
    for i in range(200):
        (old / f"d{i}").mkdir(parents=True)
        (old / f"d{i}" / "index.html").write_text("x", encoding="utf-8")
    code = "import sys; from pathlib import Path; from site_builder.publish import remove_later; remove_later([Path(sys.argv[1])])"
    result = subprocess.run([sys.executable, "-c", code, str(old)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 10
    while old.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not old.exists()
