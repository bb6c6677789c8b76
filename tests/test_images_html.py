"""<figure>/<picture> HTML: attributes present, matching the published files, escaped."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, features

from site_builder.content.models import Photo
from site_builder.files import link_or_copy
from site_builder.images import (
    DEFAULT_SIZES,
    ImagePipeline,
    ImageSettings,
    ImageSettingsError,
    gallery_html,
    picture_element,
    picture_html,
)
from imagekit import photo_jpeg, write

PAGE = "bai-viet/binh-xuyen/"  # a story page, two folders below the site root
URL_BASE = "../../"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("html")
    write(root, "cover.jpg", photo_jpeg(6, size=(200, 150)))  # stored portrait, upright landscape
    write(root, "small.jpg", photo_jpeg(1, size=(40, 30)))
    from test_images_process import _alpha_quadrants, _png

    write(root, "logo.png", _png(_alpha_quadrants()))
    p = ImagePipeline(root / "images", ImageSettings(widths=(48, 96, 160), workers=1))
    images = p.process_all([p.request(s) for s in ("cover.jpg", "small.jpg", "logo.png")])
    for path, source in p.outputs():
        (root / "site" / path).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(source, root / "site" / path)
    return root / "site", images


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def resolve(site: Path, url: str) -> Path:
    assert url.startswith(URL_BASE)
    return (site / PAGE / url).resolve()


def srcset_entries(site: Path, srcset: str) -> list[tuple[Path, int]]:
    out = []
    for entry in srcset.split(", "):
        url, w = entry.rsplit(" ", 1)
        assert w.endswith("w")
        out.append((resolve(site, url), int(w[:-1])))
    return out


def test_figure_picture_img_attributes_match_the_files(site):
    site_dir, images = site
    html = picture_html(images["cover.jpg"], "Hội viên chăm sóc hoa", "Đường hoa", "Thành An", url_base=URL_BASE)
    soup = parse(html)
    figure = soup.find("figure")
    picture = figure.find("picture")
    [source] = picture.find_all("source")
    img = picture.find("img")
    assert source["type"] == "image/webp" and source["sizes"] == DEFAULT_SIZES
    for path, w in srcset_entries(site_dir, source["srcset"]):
        with Image.open(path) as im:
            assert im.format == "WEBP" and im.width == w
    widths = []
    for path, w in srcset_entries(site_dir, img["srcset"]):
        with Image.open(path) as im:
            assert im.format == "JPEG" and im.width == w
            widths.append(w)
    assert widths == [48, 96, 160]
    with Image.open(resolve(site_dir, img["src"])) as im:
        assert im.format == "JPEG"
    with Image.open(srcset_entries(site_dir, img["srcset"])[-1][0]) as largest:
        assert (int(img["width"]), int(img["height"])) == largest.size == (160, 120)  # upright, not 120x160
    assert img["sizes"] == DEFAULT_SIZES
    assert img["alt"] == "Hội viên chăm sóc hoa"
    assert img["loading"] == "lazy" and img["decoding"] == "async" and not img.has_attr("fetchpriority")
    caption = figure.find("figcaption")
    assert caption.get_text() == "Đường hoa Ảnh: Thành An"
    assert caption.find("span", class_="credit").get_text() == "Ảnh: Thành An"


def test_lead_photo_is_eager_with_high_priority(site):
    _, images = site
    img = parse(picture_html(images["cover.jpg"], "x", lead=True)).find("img")
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"
    assert not img.has_attr("decoding")
    assert "photo--lead" in parse(picture_html(images["cover.jpg"], "x", lead=True)).find("figure")["class"]


def test_placeholder_inline_and_tiny(site):
    _, images = site
    img = parse(picture_html(images["cover.jpg"], "x")).find("img")
    style = img["style"]
    uri = style.split("url(", 1)[1].split(")", 1)[0]
    assert uri.startswith("data:image/webp;base64,") and len(uri) <= 200
    assert "cover" in style and style.startswith("background:#")
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw[:4] == b"RIFF"
    assert "<script" not in picture_html(images["cover.jpg"], "x")


def test_no_placeholder_behind_transparent_photos(site):
    _, images = site
    img = parse(picture_html(images["logo.png"], "logo")).find("img")
    assert not img.has_attr("style")


def test_small_photo_only_its_own_width(site):
    _, images = site
    img = parse(picture_html(images["small.jpg"], "")).find("img")
    assert img["srcset"] == f"{images['small.jpg'].by_format('jpeg')[0].url} 40w"
    assert (img["width"], img["height"]) == ("40", "30")
    assert img["alt"] == ""


def test_everything_is_escaped(site):
    _, images = site
    alt = 'Cô "Hoa" <b> & </script><script>alert(1)</script>'
    html = picture_html(images["cover.jpg"], alt, caption="Chú thích <i>x</i> & \"y\"", credit="A & B <c>")
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    soup = parse(html)
    assert soup.find("img")["alt"] == alt
    assert soup.find("figcaption").get_text() == 'Chú thích <i>x</i> & "y" Ảnh: A & B <c>'
    assert "\n" not in html  # one line: safe inside Markdown


def test_credit_prefix_not_doubled_and_empty_caption_left_out(site):
    _, images = site
    soup = parse(picture_html(images["cover.jpg"], "x", credit="Ảnh: Thành An"))
    assert soup.find("figcaption").get_text() == "Ảnh: Thành An"
    assert parse(picture_html(images["cover.jpg"], "x")).find("figcaption") is None


def test_gallery_and_bare_picture(site):
    _, images = site
    html = gallery_html(
        [(images["cover.jpg"], Photo("cover.jpg", "một", "Ảnh một")), (images["small.jpg"], Photo("s", "hai"))],
        url_base=URL_BASE,
    )
    soup = parse(html)
    gallery = soup.find("div", class_="gallery")
    assert len(gallery.find_all("figure")) == 2
    assert all(i["loading"] == "lazy" for i in gallery.find_all("img"))
    assert all(i["src"].startswith(URL_BASE) for i in gallery.find_all("img"))
    bare = parse(picture_element(images["cover.jpg"], "x", sizes="200px", img_class="thumb"))
    assert bare.find("figure") is None and bare.find("img")["class"] == ["thumb"]
    assert bare.find("source")["sizes"] == "200px"


@pytest.mark.skipif(not features.check("avif"), reason="Pillow without AVIF")
def test_avif_source_comes_first(tmp_path):
    write(tmp_path, "a.jpg", photo_jpeg(1))
    p = ImagePipeline(tmp_path / "images", ImageSettings(widths=(32,), formats=("jpeg", "webp", "avif")))
    img = p.process_all([p.request("a.jpg")])["a.jpg"]
    types = [s["type"] for s in parse(picture_html(img, "x")).find_all("source")]
    assert types == ["image/avif", "image/webp"]


def test_settings_from_config_and_fingerprint():
    s = ImageSettings.from_config({"widths": [960, 480], "quality": {"jpg": 70}, "avif": False})
    assert s.widths == (480, 960) and s.quality["jpeg"] == 70 and s.formats == ("webp", "jpeg")
    with pytest.raises(ImageSettingsError, match="images: không có mục width: hãy sửa lại tên hoặc xoá đi"):
        ImageSettings.from_config({"width": [1]})
    with pytest.raises(ImageSettingsError, match="images.formats: hãy thêm 'jpeg' vào danh sách"):
        ImageSettings(formats=("webp",))
    with pytest.raises(ImageSettingsError, match="images.quality.webp: 0 không phải mức chất lượng: hãy viết một số từ 1"):
        ImageSettings(quality={"webp": 0})
    base = ImageSettings()
    assert base.fingerprint() == ImageSettings().fingerprint()
    assert base.fingerprint() != ImageSettings(quality={"webp": 70}).fingerprint()
    assert base.fingerprint() == ImageSettings(cache_dir=Path("/elsewhere"), url_prefix="img/", workers=1).fingerprint()


def test_fingerprint_covers_library_versions(monkeypatch):
    import site_builder.images.settings as settings_module

    before = ImageSettings().fingerprint()
    real = settings_module.library_versions
    monkeypatch.setattr(settings_module, "library_versions", lambda: {**real(), "Pillow": "99.0"})
    assert ImageSettings().fingerprint() != before
    assert "pillow_heif" in real() and "webp" in real()
