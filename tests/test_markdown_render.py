"""Story bodies: Markdown is text, never code."""

import pytest

from site_builder.markdown_render import MarkdownRenderer


@pytest.fixture(scope="module")
def render():
    return MarkdownRenderer().convert


def test_raw_html_is_shown_as_text(render):
    html = render("Chữ <script>alert(1)</script> và <b>đậm</b>\n\n<div onclick='x'>khối</div>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<div" not in html and "<b>" not in html


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "jAvAsCrIpT&#58;alert(1)", "java%0ascript:x", "vbscript:x",
     "data:text/html;base64,PHNjcmlwdD4=", " javascript:x"],
)
def test_dangerous_link_targets_are_dropped(render, url):
    html = render(f"[bấm]({url})")
    assert "href" not in html and ">bấm</a>" in html


@pytest.mark.parametrize("url", ["https://baovinhphuc.com.vn/a", "mailto:a@b.vn", "tel:+842113", "../x/", "#muc", "?q=1"])
def test_safe_link_targets_are_kept(render, url):
    assert f'href="{url}"' in render(f"[bấm]({url})")


def test_attribute_lists_keep_classes_but_not_handlers_or_styles(render):
    html = render('## Tiêu đề {: .ghi-chu onclick="alert(1)" style="background:url(http://x)" }')
    assert 'class="ghi-chu"' in html
    assert "onclick" not in html and "style" not in html


def test_tables_and_footnotes(render):
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nCâu[^1].\n\n[^1]: Chú thích.")
    assert "<table>" in html and 'class="footnote"' in html


class _Photos:
    """A PhotoHtml double that records what the renderer asks for."""

    def figure(self, src, alt, caption, url_base):
        return f'<figure data-src="{url_base}{src}" data-caption="{caption}"></figure>'

    def gallery(self, items, url_base):
        return '<div class="gallery">' + "".join(f'<i data-src="{url_base}{src}"></i>' for src, _, _ in items) + "</div>"

    def inline(self, src, url_base):
        return {"src": url_base + "v-" + src, "width": "10", "height": "5", "srcset": "", "sizes": "100vw"}


def test_a_paragraph_of_one_image_is_a_figure_and_of_several_a_gallery():
    render = MarkdownRenderer(_Photos()).convert
    one = render('![Đường hoa](2026/a.jpg "Chi hội phụ nữ thôn Ba Gò")', "../../")
    assert '<figure data-src="../../2026/a.jpg" data-caption="Chi hội phụ nữ thôn Ba Gò">' in one and "<p>" not in one
    several = render("![a](2026/a.jpg)\n![b](2026/b.jpg)\n![c](2026/c.jpg)", "../../")
    assert several.count("<i data-src=") == 3 and 'class="gallery"' in several
    inline = render("Chữ ![a](2026/a.jpg) chữ.", "../../")
    assert 'src="../../v-2026/a.jpg"' in inline and 'width="10"' in inline and 'loading="lazy"' in inline


TRICKY = [
    "Dòng một  \ndòng hai (ngắt dòng cứng).",
    "A &amp; B, 1 < 2 > 0, &copy; Báo Vĩnh Phúc",
    "*nghiêng* và **đậm**, _gạch_ và __đậm__, a * b _ c",
    "Xem <https://baovinhphuc.com.vn/> hoặc <phanhoi@example.vn>.",
    "Chú thích[^1].\n\n[^1]: Theo Báo Vĩnh Phúc.",
    "Thoát \\*dấu sao\\* và `mã`.",
    "Đoạn có lớp.\n{: .gs-note }",
    "## Tiêu đề\n\nĐoạn văn thuần: Hội Phụ nữ xã Thịnh Đức ra mắt câu lạc bộ.\n\n- một\n- hai",
    "| Xã | Mô hình |\n|---|---|\n| Sơn Lôi | 12 |",
    "![ảnh](images/a.jpg \"Chú thích\")\n\nVăn bản ~ dấu ngã ~ và [liên kết](https://a.vn).",
]


@pytest.mark.parametrize("text", TRICKY)
def test_skipping_plain_texts_changes_no_output(text):
    """The plain-text shortcut (texts with no inline syntax skip the inline processor) is exact."""
    fast, slow = MarkdownRenderer(), MarkdownRenderer()
    slow._md.treeprocessors.deregister("gs-plain-text")
    assert fast.convert(text) == slow.convert(text)
