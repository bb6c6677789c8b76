"""Image processing: orientation, metadata, ICC, widths, formats, colour modes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms, features

from site_builder.images import ImagePipeline, ImageSettings, ProcessedImage
from site_builder.images.process import decode, register_heif, srgb_profile, target_sizes
from imagekit import (
    BLUE,
    GREEN,
    QUADRANTS,
    RED,
    SRGB_ICC,
    assert_no_metadata,
    assert_upright,
    exif_with,
    icc_of,
    jpeg_segments,
    near,
    photo_jpeg,
    quadrant_image,
    save_as,
    stored_for,
    write,
)

WIDTHS = (16, 32, 48)
SETTINGS = ImageSettings(widths=WIDTHS, workers=2)

try:
    register_heif()
    _buf = io.BytesIO()
    Image.new("RGB", (16, 16)).save(_buf, "HEIF")
    HEIC_OK, HEIC_WHY = True, ""
except Exception as e:  # pragma: no cover - depends on the libheif build
    HEIC_OK, HEIC_WHY = False, f"pillow-heif cannot encode HEIC here ({e})"


def _cmyk_jpeg(colour: tuple[int, int, int, int], strip_adobe: bool = False) -> bytes:
    buf = io.BytesIO()
    Image.new("CMYK", (64, 48), colour).save(buf, "JPEG", quality=95)
    data = buf.getvalue()
    if strip_adobe:  # drop the APP14 "Adobe" segment: the CMYK values are then not inverted
        out, i = bytearray(data[:2]), 2
        while True:
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if marker == 0xDA:
                out += data[i:]
                break
            if not (marker == 0xEE and data[i + 4 : i + 9] == b"Adobe"):
                out += data[i : i + 2 + length]
            i += 2 + length
        data = bytes(out)
    return data


def _png(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", **kw)
    return buf.getvalue()


def _alpha_quadrants(mode: str = "RGBA") -> Image.Image:
    """Quadrants, with the top-left one fully transparent (red underneath)."""
    im = quadrant_image().convert("RGBA")
    alpha = Image.new("L", im.size, 255)
    alpha.paste(0, (0, 0, 32, 24))
    im.putalpha(alpha)
    return im if mode == "RGBA" else im.convert(mode)


def _sources() -> dict[str, bytes]:
    s: dict[str, bytes] = {}
    for o in range(1, 9):
        s[f"orient/o{o}.jpg"] = photo_jpeg(o)
        s[f"orient/big{o}.jpg"] = photo_jpeg(o, size=(400, 300))  # decoded with draft() at 1/8
    s["orient/o6.png"] = save_as(stored_for(quadrant_image(), 6), "PNG", 6)
    s["orient/o8.webp"] = save_as(stored_for(quadrant_image(), 8), "WEBP", 8, quality=95, xmp=b"MARKERXMP")
    s["orient/grey3.jpg"] = save_as(stored_for(quadrant_image(), 3).convert("L"), "JPEG", 3, icc=None, quality=95)
    if HEIC_OK:
        s["heic/o6.heic"] = save_as(stored_for(quadrant_image(), 6), "HEIF", 6, quality=95)
    s["cmyk/adobe.jpg"] = _cmyk_jpeg((255, 0, 0, 0))  # cyan
    s["cmyk/plain.jpg"] = _cmyk_jpeg((55, 255, 255, 255), strip_adobe=True)  # really (200, 0, 0, 0)
    grey16 = Image.new("I;16", (64, 48), 0)
    for value, box in ((16384, (32, 0)), (32768, (0, 24)), (65535, (32, 24))):
        grey16.paste(Image.new("I;16", (32, 24), value), box)  # (paste of a number is a no-op on I;16)
    s["modes/grey16.png"] = _png(grey16)
    s["modes/palette.png"] = _png(quadrant_image().convert("P", palette=Image.Palette.ADAPTIVE, colors=8))
    s["modes/palette-alpha.png"] = _png(_alpha_quadrants().convert("P", palette=Image.Palette.ADAPTIVE, colors=8))
    s["modes/rgba.png"] = _png(_alpha_quadrants(), icc_profile=SRGB_ICC)
    s["modes/rgba-opaque.png"] = _png(quadrant_image().convert("RGBA"))
    s["modes/la.png"] = _png(_alpha_quadrants("LA"))
    s["modes/bilevel.png"] = _png(quadrant_image().convert("1"))
    s["small/tiny.jpg"] = photo_jpeg(1, size=(10, 8))
    s["small/forty.jpg"] = photo_jpeg(6, size=(40, 30))
    return s


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, ProcessedImage], ImagePipeline]:
    root = tmp_path_factory.mktemp("project")
    requests = []
    pipeline = ImagePipeline(root / "images", SETTINGS)
    for rel, data in _sources().items():
        write(root, rel, data)
        requests.append(pipeline.request(rel, root / "content/stories/x.md", 1))
    images = pipeline.process_all(requests, progress=False)
    assert pipeline.stats.processed == len(requests)
    return root, images, pipeline


def outputs(pipeline: ImagePipeline, img: ProcessedImage) -> list[tuple[object, Path]]:
    return [(v, pipeline.cache.path_of(v.name)) for v in img.variants]


ORIENTED = [f"orient/o{o}.jpg" for o in range(1, 9)] + [f"orient/big{o}.jpg" for o in range(1, 9)]
ORIENTED += ["orient/o6.png", "orient/o8.webp", "small/forty.jpg"]


@pytest.mark.parametrize("src", ORIENTED)
def test_every_variant_is_upright(built, src):
    _, images, pipeline = built
    img = images[src]
    assert img.width > img.height  # landscape once upright, whatever was stored
    for v, path in outputs(pipeline, img):
        with Image.open(path) as out:
            assert out.size == (v.width, v.height)
            if v.width >= 32:
                assert_upright(out)


def test_greyscale_jpeg_with_orientation_is_upright_and_stays_grey(built):
    _, images, pipeline = built
    grey = {k: Image.new("RGB", (1, 1), c).convert("L").getpixel((0, 0)) for k, c in QUADRANTS.items()}
    for v, path in outputs(pipeline, images["orient/grey3.jpg"]):
        with Image.open(path) as out:
            assert out.mode == ("L" if v.format == "jpeg" else "RGB")
            if v.width >= 32:
                assert_upright(out, {k: (g, g, g) for k, g in grey.items()}, tol=12)


@pytest.mark.skipif(not HEIC_OK, reason=HEIC_WHY or "HEIC available")
def test_heic_is_read_upright_without_metadata_with_icc(built):
    _, images, pipeline = built
    img = images["heic/o6.heic"]
    assert (img.width, img.height) == (64, 48)
    for v, path in outputs(pipeline, img):
        assert_no_metadata(path)
        assert icc_of(path) == SRGB_ICC
        if v.width >= 32:
            with Image.open(path) as out:
                assert_upright(out)


def test_sources_really_carry_the_metadata_we_check_for():
    data = photo_jpeg(6)
    with Image.open(io.BytesIO(data)) as im:
        exif = im.getexif()
        assert exif[0x0112] == 6 and exif.get_ifd(0x8825)[1] == "N"
        assert im.info["icc_profile"] == SRGB_ICC and "xmp" in im.info
    assert any(m == 0xE1 for m, _ in jpeg_segments(data))


def test_no_output_keeps_exif_gps_xmp_or_comments(built):
    _, images, pipeline = built
    checked = 0
    for img in {id(i): i for i in images.values()}.values():
        for _, path in outputs(pipeline, img):
            assert_no_metadata(path)
            checked += 1
    assert checked > 100


def test_icc_profile_is_kept(built):
    _, images, pipeline = built
    for src in ("orient/o1.jpg", "orient/big6.jpg", "orient/o6.png", "orient/o8.webp", "modes/rgba.png"):
        for v, path in outputs(pipeline, images[src]):
            assert icc_of(path) == SRGB_ICC, (src, v.name)
    for v, path in outputs(pipeline, images["orient/grey3.jpg"]):
        assert icc_of(path) is None  # none in the source: none invented


def test_widths_and_formats(built):
    _, images, pipeline = built
    img = images["orient/o1.jpg"]
    assert img.formats == ("webp", "jpeg")
    for fmt in ("webp", "jpeg"):
        assert [(v.width, v.height) for v in img.by_format(fmt)] == [(16, 12), (32, 24), (48, 36)]
    for v, path in outputs(pipeline, img):
        with Image.open(path) as out:
            assert out.format == {"webp": "WEBP", "jpeg": "JPEG"}[v.format]
            assert out.size == (v.width, v.height)
        assert path.suffix == {"webp": ".webp", "jpeg": ".jpg"}[v.format]
        assert v.bytes == path.stat().st_size


def test_names_are_slug_width_content_hash(built):
    _, images, _ = built
    names = [v.name for v in images["orient/o1.jpg"].variants]
    assert names[0].startswith("o1-16-") and names[0].endswith(".webp")
    hashes = {n.rsplit("-", 1)[1].split(".")[0] for n in names}
    assert len(hashes) == 1 and len(hashes.pop()) == 10
    other = {v.name.rsplit("-", 1)[1] for v in images["orient/o2.jpg"].variants}
    assert not other & {n.rsplit("-", 1)[1] for n in names}


def test_small_sources_are_never_upscaled(built):
    _, images, _ = built
    assert [v.width for v in images["small/tiny.jpg"].by_format("jpeg")] == [10]
    assert [v.width for v in images["small/forty.jpg"].by_format("jpeg")] == [16, 32, 40]
    assert target_sizes(50, 40, (16, 32, 48)) == [(16, 13), (32, 26), (48, 38)]  # 50 is within 10% of 48
    assert target_sizes(4000, 3000, (480, 960, 1600)) == [(480, 360), (960, 720), (1600, 1200)]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_draft_decodes_jpeg_at_reduced_scale_for_every_orientation(orientation):
    data = photo_jpeg(orientation, size=(400, 300))
    d = decode(data, max_pixels=10**8, max_width=100)
    assert (d.width, d.height) == (400, 300)
    assert d.image.size == (100, 75)  # libjpeg scaled by 1/4, then made upright
    assert_upright(d.image)
    d = decode(data, max_pixels=10**8, max_width=101)
    assert d.image.size == (200, 150)  # 1/4 would be too small


def test_cmyk_jpeg_adobe_inverted_and_plain(built):
    _, images, pipeline = built
    for src, want in (("cmyk/adobe.jpg", (0, 255, 255)), ("cmyk/plain.jpg", (55, 255, 255))):
        for v, path in outputs(pipeline, images[src]):
            with Image.open(path) as out:
                assert out.mode == "RGB"
                assert near(out.getpixel((v.width // 2, v.height // 2)), want, 20), (src, out.getpixel((0, 0)))


def test_16_bit_greyscale_png_is_scaled_not_clipped(built):
    _, images, pipeline = built
    want = {"tl": 0, "tr": 64, "bl": 128, "br": 255}
    for v, path in outputs(pipeline, images["modes/grey16.png"]):
        if v.width < 32:
            continue
        with Image.open(path) as out:
            assert_upright(out, {k: (g, g, g) for k, g in want.items()}, tol=8)


def test_paletted_png(built):
    _, images, pipeline = built
    img = images["modes/palette.png"]
    assert not img.has_alpha
    for v, path in outputs(pipeline, img):
        with Image.open(path) as out:
            assert out.mode == "RGB"
            if v.width >= 32:
                assert_upright(out)


@pytest.mark.parametrize("src", ["modes/rgba.png", "modes/palette-alpha.png", "modes/la.png"])
def test_alpha_kept_in_webp_and_flattened_on_white_in_jpeg(built, src):
    _, images, pipeline = built
    img = images[src]
    assert img.has_alpha and img.placeholder == ""
    for v, path in outputs(pipeline, img):
        if v.width < 32:  # too few pixels to sample away from the edges
            continue
        with Image.open(path) as out:
            if v.format == "webp":
                assert out.mode == "RGBA"
                assert out.getpixel((v.width // 4, v.height // 4))[3] == 0
                assert out.getpixel((3 * v.width // 4, 3 * v.height // 4))[3] == 255
            else:
                assert out.mode in ("RGB", "L")
                assert near(out.convert("RGB").getpixel((v.width // 4, v.height // 4)), (255, 255, 255), 12)
    if src != "modes/la.png":
        for v, path in outputs(pipeline, img):
            if v.width >= 32:
                with Image.open(path) as out:
                    assert_upright(out.convert("RGB"), {"tr": GREEN, "bl": BLUE}, tol=45)


def test_opaque_alpha_is_dropped(built):
    _, images, pipeline = built
    img = images["modes/rgba-opaque.png"]
    assert not img.has_alpha and img.placeholder
    for v, path in outputs(pipeline, img):
        with Image.open(path) as out:
            assert out.mode == "RGB"


def test_bilevel_becomes_greyscale(built):
    _, images, pipeline = built
    for v, path in outputs(pipeline, images["modes/bilevel.png"]):
        with Image.open(path) as out:
            assert out.mode in ("L", "RGB")


def test_placeholder_is_tiny_webp_and_colour(built):
    _, images, _ = built
    img = images["orient/big6.jpg"]
    assert img.placeholder.startswith("data:image/webp;base64,")
    assert len(img.placeholder) <= 200
    import base64

    with Image.open(io.BytesIO(base64.b64decode(img.placeholder.split(",", 1)[1]))) as tiny:
        assert tiny.width <= 24 and tiny.width > tiny.height
    assert img.colour.startswith("#") and len(img.colour) == 7


@pytest.mark.skipif(not features.check("avif"), reason="Pillow without AVIF")
def test_avif_when_enabled(tmp_path):
    write(tmp_path, "a.jpg", photo_jpeg(6))
    settings = ImageSettings.from_config({"widths": [32, 48], "avif": True, "cache_dir": str(tmp_path / "c")})
    pipeline = ImagePipeline(tmp_path / "images", settings)
    img = pipeline.process_all([pipeline.request("a.jpg")])["a.jpg"]
    assert img.formats == ("avif", "webp", "jpeg")
    for v in img.by_format("avif"):
        path = pipeline.cache.path_of(v.name)
        assert path.suffix == ".avif"
        with Image.open(path) as out:
            assert out.format == "AVIF" and out.size == (v.width, v.height)
            assert_upright(out)
        assert_no_metadata(path)
        assert icc_of(path) == SRGB_ICC


def test_cmyk_with_icc_profile_is_converted_to_srgb():
    """A CMYK JPEG with a CMYK profile goes through the profile (if one is on this machine)."""
    import glob

    profiles = []
    for path in glob.glob("/usr/share/color/icc/**/*.ic[cm]", recursive=True):
        try:
            if ImageCms.getOpenProfile(path).profile.xcolor_space.strip() == "CMYK":
                profiles.append(path)
        except Exception:
            pass
    if not profiles:
        pytest.skip("no CMYK ICC profile installed (e.g. Debian's icc-profiles-free)")
    icc = Path(profiles[0]).read_bytes()
    buf = io.BytesIO()
    Image.new("CMYK", (32, 24), (255, 0, 0, 0)).save(buf, "JPEG", icc_profile=icc)
    d = decode(buf.getvalue(), max_pixels=10**6)
    assert d.image.mode == "RGB" and d.icc == srgb_profile()[1]
    r, g, b = d.image.getpixel((4, 4))
    assert b > r and g > r  # cyan-ish


def test_decoded_image_has_no_metadata_left():
    d = decode(photo_jpeg(6), max_pixels=10**6)
    assert d.image.info == {} and d.icc == SRGB_ICC and d.format == "JPEG"
    assert d.image.size == (64, 48)
    assert_upright(d.image, {"tl": RED}, tol=30)


def test_exif_helper_round_trips():
    assert exif_with(5)[0x0112] == 5


def test_greyscale_with_grey_icc_profile_becomes_srgb():
    """WebP cannot carry a grey profile: such photos are converted to sRGB through it."""
    import glob

    profiles = [p for p in glob.glob("/usr/share/color/icc/**/*.icc", recursive=True) if "Gray" in p]
    grey = [p for p in profiles if ImageCms.getOpenProfile(p).profile.xcolor_space.strip() == "GRAY"]
    if not grey:
        pytest.skip("no grey ICC profile installed (e.g. Debian's icc-profiles-free)")
    buf = io.BytesIO()
    Image.new("L", (32, 24), 100).save(buf, "JPEG", icc_profile=Path(grey[0]).read_bytes())
    d = decode(buf.getvalue(), max_pixels=10**6)
    assert d.image.mode == "RGB" and d.icc == srgb_profile()[1]
    r, g, b = d.image.getpixel((4, 4))
    assert max(r, g, b) - min(r, g, b) <= 2


def test_broken_or_mismatched_icc_profile_is_dropped():
    buf = io.BytesIO()
    quadrant_image().save(buf, "JPEG", icc_profile=b"not a profile at all" * 10)
    assert decode(buf.getvalue(), max_pixels=10**6).icc is None
    buf = io.BytesIO()
    quadrant_image().convert("L").save(buf, "JPEG", icc_profile=SRGB_ICC)  # RGB profile on grey pixels
    d = decode(buf.getvalue(), max_pixels=10**6)
    assert d.image.mode == "RGB" and d.icc == SRGB_ICC


def test_jpeg_progressive_and_webp_method_settings():
    from site_builder.images.process import encode

    im = quadrant_image(64, 48)
    baseline = encode(im, "jpeg", ImageSettings(), None)
    progressive = encode(im, "jpeg", ImageSettings(jpeg_progressive=True), None)
    assert 0xC0 in [m for m, _ in jpeg_segments(baseline)]  # SOF0: baseline
    assert 0xC2 in [m for m, _ in jpeg_segments(progressive)]  # SOF2: progressive
    assert encode(im, "webp", ImageSettings(webp_method=6), None)[:4] == b"RIFF"
    assert ImageSettings(webp_method=6).fingerprint() != ImageSettings().fingerprint()


def test_a_tall_infographic_is_published_and_what_was_done_is_said(tmp_project):
    """1080×17000 is taller than WebP allows (16383 px): JPEG only at that size, with a warning."""
    from PIL import Image as PILImage

    from conftest import story_text

    folder = tmp_project.root / "images" / "2026"
    folder.mkdir(parents=True)
    PILImage.new("RGB", (1080, 17000), (200, 30, 30)).save(folder / "infographic.jpg", quality=70)
    tmp_project.add_story("infographic", story_text(
        "Đồ họa", "2026-03-14 08:30", body="![Đồ họa 80 mô hình](2026/infographic.jpg)"))
    result = tmp_project.build()
    assert result.returncode == 0, result.stderr
    assert ("images/2026/infographic.jpg: ảnh 1080×17000 px lớn hơn mức WEBP cho phép (16383 px): ở kích thước này ảnh "
            "chỉ được đăng dạng JPEG (muốn hết cảnh báo này, hãy thu nhỏ ảnh để chiều cao và chiều rộng không quá "
            "16383 px)") in result.stderr
    html = (tmp_project.root / "site/bai-viet/infographic/index.html").read_text(encoding="utf-8")
    webp = html.split('type="image/webp" srcset="', 1)[1].split('"', 1)[0]
    assert "960w" in webp and "1080w" not in webp
    jpeg = [p for p in (tmp_project.root / "site/assets/images").iterdir() if p.name.startswith("infographic-1080-")]
    assert [p.suffix for p in jpeg] == [".jpg"] and PILImage.open(jpeg[0]).size == (1080, 17000)
    again = tmp_project.build("--strict")  # from the cache: still said, so --strict still stops
    assert again.returncode == 1 and "lớn hơn mức WEBP cho phép" in again.stderr
