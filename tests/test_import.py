"""`site-builder import`: the seed article, a Word file, a saved page and a hostile text, imported into one
project that then passes `check` and builds; bylines, NFD, dry runs, refusals and broken files."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SITE_BUILDER, TmpProject, run_tool, soup_of, text_of
from imagekit import photo_jpeg
from site_builder.importers import Importer
from site_builder.importers.outlets import outlets
from site_builder.importers.rules import interpret, Vocabularies
from site_builder.importers.text_reader import read_text

SEED = REPO.parent / "shared" / "seeds" / "000_af1eae5366e27d0c.txt"
SEED_TITLE = "Bình Xuyên - Nhiều sáng tạo trong học tập và làm theo Bác"
SEED_SLUG = "binh-xuyen-nhieu-sang-tao-trong-hoc-tap-va-lam-theo-bac"
FURNITURE = ("Phản hồi", "Các tin khác", "Mới nhất", "Liên kết website", "Theo http", "Bài, ảnh")
HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b> *sao* [x](y) {: .ghi-chu }'
VNI_PARAGRAPH = "Hoäi vieân phuï nöõ thoân Ba Goø chaêm soùc ñöôøng hoa"  # "Hội viên phụ nữ thôn Ba Gò chăm sóc đường hoa"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"the seed article {SEED} is not here")


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---", 2)[2]


def make_docx(path: Path, photo: bytes) -> Path:
    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.add_heading("Cô giáo Lan gieo chữ ở bản Mông", level=1)
    sapo = document.add_paragraph()
    sapo.add_run("Hơn 20 năm, cô giáo Lê Thị Lan đưa con chữ đến với trẻ em xã Trung Mỹ.").bold = True
    document.add_picture(io.BytesIO(photo), width=Inches(2))
    document.add_paragraph("Cô Lan trong giờ lên lớp (Ảnh: Minh Hương)", style="Caption")
    document.add_paragraph("Cô Lê Thị Lan, giáo viên Trường THCS Trung Mỹ, cho biết: em nào cũng chăm học.")
    document.add_heading("Lớp học không thu tiền", level=2)
    document.add_paragraph(VNI_PARAGRAPH + ".")
    document.add_paragraph("Mỗi tối, cô dạy thêm cho các em.", style="List Bullet")
    document.add_paragraph("Cuối tuần, cô đến từng nhà.", style="List Bullet")
    document.add_paragraph("Bài: Lê Văn Bình - Ảnh: Minh Hương")
    document.save(path)
    return path


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Thôn Đồng Hạ giữ bình yên - Báo Vĩnh Phúc</title>
<link rel="canonical" href="http://baovinhphuc.com.vn/xa-hoi/thon-dong-ha-giu-binh-yen-12345.htm">
</head><body>
<div id="header"><ul class="main-menu"><li><a href="/">Trang chủ</a></li><li>Chính trị</li><li>Xã hội</li></ul></div>
<div class="breadcrumb">Xã hội › Đời sống</div>
<div class="wrapper"><div class="col-main"><div class="detail">
<h1 class="detail-title">Thôn Đồng Hạ giữ bình yên</h1>
<div class="detail-time">Thứ Sáu, 10/05/2019 08:30</div>
<div class="share-buttons"><a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">In bài</a></div>
<h2 class="sapo">Tổ tự quản an ninh thôn Đồng Hạ, xã Sơn Lôi góp phần giữ bình yên cho xóm làng.</h2>
<div class="detail-content">
<table class="image center"><tr><td><img src="dong-ha_files/to-tu-quan.jpg" alt="Tổ tự quản tuần tra"></td></tr>
<tr><td class="image_desc">Tổ tự quản tuần tra ban đêm (Ảnh: Thành An)</td></tr></table>
<p>Mỗi tối, các thành viên tổ tự quản lại đi tuần quanh thôn, nhắc nhở bà con cảnh giác với kẻ gian.</p>
<p>Ông Trần Văn Hải, Trưởng thôn Đồng Hạ, cho biết: từ khi có tổ tự quản, thôn không còn mất trộm.</p>
<h3>Cách làm</h3>
<ul><li>Tuần tra theo ca.</li><li>Họp tổ mỗi tháng.</li></ul>
<p style="text-align:right"><strong>Bài, ảnh: Thành An</strong></p>
</div>
<div class="box-tin-khac"><h3>Các tin khác</h3><ul><li><a href="/a">Tin khác một</a></li><li><a href="/b">Tin khác hai</a></li></ul></div>
<p>Chia sẻ</p>
</div></div><div class="sidebar"><h3>Mới nhất</h3><ul><li>Tin mới một</li></ul></div></div>
<div id="footer"><h3>Liên kết website</h3><a href="http://x.vn">X</a></div>
<script>alert("no")</script></body></html>
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """One project, a folder of four articles (and the seed's photo in --images) imported in one call."""
    project = TmpProject(tmp_path_factory.mktemp("import") / "project")
    articles = project.root.parent / "articles"
    photos = project.root.parent / "anh"
    (articles / "dong-ha_files").mkdir(parents=True)
    photos.mkdir()
    if SEED.is_file():
        (articles / SEED.name).write_bytes(SEED.read_bytes())
        (photos / f"{SEED.stem}.jpg").write_bytes(photo_jpeg(size=(320, 240)))
    make_docx(articles / "co-giao-lan.docx", photo_jpeg(size=(300, 200)))
    (articles / "dong-ha.html").write_text(PAGE, encoding="utf-8")
    (articles / "dong-ha_files" / "to-tu-quan.jpg").write_bytes(photo_jpeg(size=(200, 150)))
    (articles / "hostile.txt").write_text(f"{HOSTILE}\n\nSapo: {HOSTILE}\n\n{HOSTILE}\n\nBài và ảnh: Ngọc Anh\n",
                                          encoding="utf-8")
    result = run_tool(SITE_BUILDER, "import", articles, "--images", photos, cwd=project.root)
    return project, result


def story(project: TmpProject, slug: str) -> Path:
    found = list((project.root / "content" / "stories").glob(f"*/{slug}.md"))
    assert len(found) == 1, f"no story {slug}: {list((project.root / 'content').rglob('*.md'))}"
    return found[0]


def test_the_folder_imports_in_one_call_with_a_summary_table(imported):
    project, result = imported
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nhập bài" in result.stdout and "Kết quả" in result.stdout  # the table, in Vietnamese
    expected = 4 if SEED.is_file() else 3
    assert f"Đã nhập {expected}/{expected} bài" in result.stdout


def test_imported_stories_pass_check_with_review_warnings(imported):
    project, _ = imported
    check = run_tool(SITE_BUILDER, "check", cwd=project.root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 lỗi" in check.stdout
    review = [line for line in check.stderr.splitlines() if ": review[" in line]
    assert review and all(": cảnh báo: cần xem lại: " in line for line in review)
    # each warning names the file and the line of its item
    path = story(project, "co-giao-lan-gieo-chu-o-ban-mong")
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("review:")) + 1
    assert any(line.startswith(f"content/stories/{path.parent.name}/{path.name}:{first}: review[0]: ")
               for line in review), review


@pytest.fixture(scope="module")
def built(imported):
    project, _ = imported
    result = project.build("--drafts")
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "site"


@needs_seed
def test_seed_article(imported, built):
    project, _ = imported
    path = story(project, SEED_SLUG)
    data = front(path)
    assert data["title"] == SEED_TITLE
    assert data["authors"] == ["Thành An"] and data["photographer"] == "Thành An"
    assert data["source"] == {"outlet": "Báo Vĩnh Phúc", "url": "http://baovinhphuc.com.vn"}
    assert "Chi hội phụ nữ thôn Ba Gò, xã Trung Mỹ chăm sóc đường hoa trong thôn" in data["cover"]["caption"]
    assert data["cover"]["credit"] == "Thành An"
    assert data["cover"]["src"] == f"{path.parent.name}/{SEED_SLUG}.jpg"
    assert (project.root / "images" / data["cover"]["src"]).is_file()
    assert data["summary"].startswith("Thiết thực học tập và làm theo tư tưởng")
    assert data["draft"] is True
    text = body(path)
    for furniture in FURNITURE:
        assert furniture not in text
    assert "Trong ảnh" not in text  # the caption is the cover's, not a paragraph
    review = " ".join(data["review"])
    for commune in ("xã Trung Mỹ", "xã Sơn Lôi", "xã Tân Phong"):
        assert commune in review
    assert data["place"] == {"district": "huyện Bình Xuyên", "province": "Vĩnh Phúc"}
    assert data["people"][0]["name"] == "Nguyễn Thị Phượng"
    page = soup_of(built / "bai-viet" / SEED_SLUG / "index.html")
    assert text_of(page.select_one("h1")) == SEED_TITLE
    assert "Chi hội phụ nữ thôn Ba Gò" in text_of(page.select_one("article.gs-article > figure"))


@needs_seed
def test_seed_proposed_places_are_places_of_the_content_model(tmp_path):
    project = TmpProject(tmp_path / "p")
    importer = Importer(project.root, project.root / "content", project.root / "images", dry_run=True)
    [result] = importer.run([SEED])
    assert result.status == "planned"
    communes = {p.commune: p for p in result.draft.places}
    for commune in ("xã Trung Mỹ", "xã Sơn Lôi", "xã Tân Phong"):
        assert communes[commune].province == "Vĩnh Phúc"
        assert communes[commune].district == "huyện Bình Xuyên"
    # without a photo the cover is written as comment lines holding the caption, and marked for review
    cover = [line for line in result.text.splitlines() if line.startswith("# ")]
    assert any("Chi hội phụ nữ thôn Ba Gò" in line for line in cover)
    assert any(note.startswith("cover: ") for note in result.draft.review)
    assert not list(project.root.rglob("*.md")) and not list((project.root / "images").rglob("*.*"))


def test_docx_heading_sapo_photo_caption_and_vni(imported, built):
    project, _ = imported
    path = story(project, "co-giao-lan-gieo-chu-o-ban-mong")
    data = front(path)
    assert data["title"] == "Cô giáo Lan gieo chữ ở bản Mông"
    assert data["summary"] == "Hơn 20 năm, cô giáo Lê Thị Lan đưa con chữ đến với trẻ em xã Trung Mỹ."
    assert data["cover"]["caption"] == "Cô Lan trong giờ lên lớp"
    assert data["cover"]["credit"] == "Minh Hương"
    assert data["cover"]["src"].isascii() and (project.root / "images" / data["cover"]["src"]).is_file()
    assert data["authors"] == ["Lê Văn Bình"] and data["photographer"] == "Minh Hương"
    assert {"name": "Lê Thị Lan", "role": "giáo viên Trường THCS Trung Mỹ"} in data["people"]
    # no province is named (and no outlet gives one): no place, a note naming the commune
    assert "place" not in data
    assert any(note.startswith("place: ") and "xã Trung Mỹ" in note for note in data["review"])
    text = body(path)
    assert "## Lớp học không thu tiền" in text
    assert "Hội viên phụ nữ thôn Ba Gò chăm sóc đường hoa." in text  # typed in VNI
    assert "- Mỗi tối, cô dạy thêm cho các em." in text
    assert "Bài: Lê Văn Bình" not in text
    page = soup_of(built / "bai-viet" / "co-giao-lan-gieo-chu-o-ban-mong" / "index.html")
    assert "Hội viên phụ nữ thôn Ba Gò chăm sóc đường hoa." in page.get_text()


def test_html_page_without_its_furniture(imported, built):
    project, _ = imported
    path = story(project, "thon-dong-ha-giu-binh-yen")
    data = front(path)
    assert str(data["date"]) == "2019-05-10 08:30" and path.parent.name == "2019"
    assert data["summary"].startswith("Tổ tự quản an ninh thôn Đồng Hạ")
    assert data["source"] == {"outlet": "Báo Vĩnh Phúc", "date": dt.date(2019, 5, 10),
                              "url": "http://baovinhphuc.com.vn/xa-hoi/thon-dong-ha-giu-binh-yen-12345.htm"}
    assert data["cover"]["caption"] == "Tổ tự quản tuần tra ban đêm" and data["cover"]["alt"] == "Tổ tự quản tuần tra"
    assert data["authors"] == ["Thành An"]
    text = body(path)
    for furniture in ("Trang chủ", "Chính trị", "Các tin khác", "Tin khác một", "Mới nhất", "Liên kết website",
                      "Facebook", "Zalo", "In bài", "Chia sẻ", "alert", "Thứ Sáu", "Bài, ảnh"):
        assert furniture not in text, furniture
    assert "### Cách làm" in text and "- Tuần tra theo ca." in text
    assert data["place"] == {"commune": "xã Sơn Lôi", "province": "Vĩnh Phúc"}
    assert (built / "bai-viet" / "thon-dong-ha-giu-binh-yen" / "index.html").is_file()


def test_hostile_text_round_trips(imported, built):
    project, _ = imported
    [path] = [p for p in (project.root / "content" / "stories").rglob("*.md") if front(p)["title"] == HOSTILE]
    data = front(path)
    assert data["summary"] == f"Sapo: {HOSTILE}"
    assert data["authors"] == ["Ngọc Anh"] and data["photographer"] == "Ngọc Anh"
    page = soup_of(built / "bai-viet" / data["slug"] / "index.html")
    assert text_of(page.select_one("h1")) == HOSTILE
    paragraphs = [text_of(p) for p in page.select("article p")]
    assert HOSTILE in paragraphs
    assert not page.select("article b")
    assert all(script.get_text().strip() != "alert(1)" for script in page.select("script"))


# --- rules on small articles ---------------------------------------------------------------------------


def draft_of(text: str):
    return interpret(read_text(text.encode("utf-8")), outlets(), Vocabularies())


@pytest.mark.parametrize("line, authors, photographer, outlet", [
    ("Bài, ảnh: Thành An", ["Thành An"], "Thành An", None),
    ("Bài và ảnh: Thành An", ["Thành An"], "Thành An", None),
    ("Bài: Thành An - Ảnh: Minh Hương", ["Thành An"], "Minh Hương", None),
    ("Bài: Thành An, Lê Bình - Ảnh: Minh Hương", ["Thành An", "Lê Bình"], "Minh Hương", None),
    ("Thành An (Báo Vĩnh Phúc)", ["Thành An"], "", "Báo Vĩnh Phúc"),
    ("Ngọc Anh (Báo Tuổi Trẻ)", ["Ngọc Anh"], "", "Báo Tuổi Trẻ"),
    ("Tin, ảnh: Hà Phương", ["Hà Phương"], "Hà Phương", None),
])
def test_byline_forms(line, authors, photographer, outlet):
    draft = draft_of(f"Tiêu đề\n\nSapo của bài viết khá dài để là sapo.\n\nĐoạn thân bài.\n\n{line}\n")
    assert draft.authors == authors
    assert draft.photographer == photographer
    assert (draft.source.outlet if draft.source else None) == outlet
    assert all(line not in b.text for b in draft.blocks)


def test_source_line_finds_the_outlet_by_name_or_address():
    draft = draft_of("Tiêu đề\n\nSapo.\n\nThân bài.\n\nTheo Báo Hà Nam\n")
    assert (draft.source.outlet, draft.source.url) == ("Báo Hà Nam", "")
    assert any("Báo Ninh Bình" in note for note in draft.notes)  # merged in 2025
    draft = draft_of("Tiêu đề\n\nSapo.\n\nThân bài.\n\nTheo www.baovinhphuc.com.vn/tin/x.htm\n")
    assert (draft.source.outlet, draft.source.url) == ("Báo Vĩnh Phúc", "http://www.baovinhphuc.com.vn/tin/x.htm")


def test_nfd_and_old_tone_placement_are_normalised(tmp_path):
    project = TmpProject(tmp_path / "p")
    source = tmp_path / "nfd.txt"
    text = "Hoà thuận ở thôn Đồng Hạ\n\nSapo: bà con hoà thuận, khoẻ mạnh.\n\nThân bài nói về thuý.\n"
    source.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    importer = Importer(project.root, project.root / "content", project.root / "images")
    [result] = importer.run([source])
    assert result.status == "imported", result.error
    written = result.story.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", written)
    data = front(result.story)
    assert data["title"] == "Hòa thuận ở thôn Đồng Hạ"
    assert data["summary"] == "Sapo: bà con hòa thuận, khỏe mạnh."
    assert "Thân bài nói về thúy." in body(result.story)
    assert result.story.name == "hoa-thuan-o-thon-dong-ha.md"


# --- never overwriting, dry runs, broken files -------------------------------------------------------------


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_dry_run_writes_nothing(tmp_project, tmp_path):
    p = tmp_project
    article = tmp_path / "bai.docx"
    make_docx(article, photo_jpeg())
    before = files_under(p.root)
    result = run_tool(SITE_BUILDER, "import", "--dry-run", article, cwd=p.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sẽ nhập" in result.stdout and "Chạy thử" in result.stdout
    assert files_under(p.root) == before


def test_a_second_import_refuses_to_overwrite(tmp_project, tmp_path):
    p = tmp_project
    article = tmp_path / "bai.docx"
    make_docx(article, photo_jpeg())
    first = run_tool(SITE_BUILDER, "import", article, cwd=p.root)
    assert first.returncode == 0, first.stdout + first.stderr
    path = story(p, "co-giao-lan-gieo-chu-o-ban-mong")
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn biên tập viên viết thêm.\n", encoding="utf-8")
    before = files_under(p.root)
    second = run_tool(SITE_BUILDER, "import", article, cwd=p.root)
    assert second.returncode == 1
    assert f"{article}: lỗi: content/stories/" in second.stderr and "không bị ghi đè" in second.stderr
    assert files_under(p.root) == before


def test_a_broken_docx_is_named_in_vietnamese_and_fails(tmp_project, tmp_path):
    p = tmp_project
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a Word file")
    result = run_tool(SITE_BUILDER, "import", broken, cwd=p.root)
    assert result.returncode == 1
    assert f"{broken}: lỗi: " in result.stderr
    assert "tài liệu Word" in result.stderr and "lưu lại dạng .docx" in result.stderr
    assert not list((p.root / "content" / "stories").rglob("*.md"))


def test_other_files_are_refused_with_a_reason(tmp_project, tmp_path):
    odd = tmp_path / "bai.pdf"
    odd.write_bytes(b"%PDF-1.4")
    result = run_tool(SITE_BUILDER, "import", odd, tmp_path / "khong-co.txt", cwd=tmp_project.root)
    assert result.returncode == 1
    assert "chỉ nhập được tệp .txt, .html, .htm và .docx" in result.stderr
    assert "không có tệp hay thư mục này" in result.stderr
