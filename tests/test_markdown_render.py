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
    html = render('## Tiêu đề {: .noi-bat onclick="alert(1)" style="background:url(http://x)" }')
    assert 'class="noi-bat"' in html
    assert "onclick" not in html and "style" not in html


def test_tables_and_footnotes(render):
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nCâu[^1].\n\n[^1]: Chú thích.")
    assert "<table>" in html and 'class="footnote"' in html
