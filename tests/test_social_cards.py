"""Social cards: the title's layout (card_text), the drawing (card_draw), and the card job of the
image pipeline (one cache and manifest with the photos, errors, outputs)."""

from __future__ import annotations

import json
import pickle
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageFont

import site_builder.images.card_text as card_text
import site_builder.images.pipeline as pipeline_module
from site_builder.images import (
    CardRequest,
    ImageErrors,
    ImagePipeline,
    ImageSettings,
    ImageSettingsError,
    SocialCard,
)
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH, encode_card, render_card
from site_builder.images.card_job import CardJob
from site_builder.images.card_text import BOLD_FONT, ELLIPSIS, TITLE_MAX_LINES, TITLE_SIZES, font_path, wrap_title
from site_builder.routes import urls
from imagekit import (
    STORY,
    assert_no_metadata,
    count_calls,
    count_fs_calls,
    photo_jpeg,
    save_as,
    snapshot,
    write,
)

RED, BLUE = (210, 30, 30), (30, 40, 210)
DATE = "Thứ Bảy, 14/03/2026"
SITE = "Gương Sáng"
BOLD = str(font_path(BOLD_FONT))
LONG = (
    "Người thợ cả Đặng Thị Hường giữ nghề đan lát truyền thống suốt bốn mươi năm ở làng Thổ Hà "
    "bên dòng sông Cầu, và những câu chuyện chưa kể về các thế hệ nghệ nhân Ẩm thực, ỗ, ặc "
) * 3
URL = re.compile(r"^assets/cards/[a-z0-9-]+-[0-9a-f]{10}\.jpg$")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "2026/red.jpg", save_as(Image.new("RGB", (320, 200), RED), "JPEG"))
    write(tmp_path, "2026/blue.jpg", save_as(Image.new("RGB", (320, 200), BLUE), "JPEG"))
    write(tmp_path, "2026/exif.jpg", photo_jpeg(6, size=(96, 64)))  # EXIF, GPS, XMP, comment
    return tmp_path


def new_pipeline(root: Path, workers: int = 2, images: str = "images") -> ImagePipeline:
    return ImagePipeline(root / images, ImageSettings(widths=(16, 32), workers=workers), project_root=root)


def card(slug: str, title: str, cover: str | None = None, site: str = SITE, **kw) -> CardRequest:
    return CardRequest(slug, title, DATE, site, cover, **kw)


def card_path(pipeline: ImagePipeline, made: SocialCard) -> Path:
    return pipeline.cache.path_of(made.name)


def mean(im: Image.Image, box) -> tuple[float, ...]:
    return im.crop(box).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))


# ------------------------------------------------------------------------ the file


def test_card_is_a_1200x630_baseline_jpeg_without_metadata(project):
    pipeline = new_pipeline(project)
    made = pipeline.render_cards([card("bai-mau", "Bình Xuyên: làm theo Bác", "2026/exif.jpg")])["bai-mau"]
    assert URL.match(made.url) and made.url == urls.card(made.name) and made.name.startswith("bai-mau-")
    path = card_path(pipeline, made)
    with Image.open(path) as im:
        assert im.format == "JPEG" and im.size == (CARD_WIDTH, CARD_HEIGHT) and im.mode == "RGB"
        assert not im.info.get("progressive") and not im.info.get("progression")
        assert "icc_profile" not in im.info  # sRGB, untagged
    assert_no_metadata(path)


def test_awkward_and_very_long_titles_render(project):
    pipeline = new_pipeline(project, workers=1)
    titles = {
        "script": 'Đừng </script><script>alert("x")</script> “ngoặc” \'đơn\' & <b>',
        "long": LONG,
        "nfd": unicodedata.normalize("NFD", "Ẩn ức ỗ ặc Nguyễn Thị Hường"),
        "emoji": "Chè La Bằng 🍵 đi xa\u200b\x00",
        "empty": "",
        "one-word": "Đ" * 200,
    }
    made = pipeline.render_cards([card(slug, t, "2026/red.jpg") for slug, t in titles.items()])
    assert set(made) == set(titles) and pipeline.stats.cards_rendered == len(titles)
    for c in made.values():
        with Image.open(card_path(pipeline, c)) as im:
            assert im.size == (CARD_WIDTH, CARD_HEIGHT)
    lines, size = wrap_title(LONG, BOLD, 1056, TITLE_MAX_LINES)
    assert len(lines) == TITLE_MAX_LINES and size == TITLE_SIZES[-1] and lines[-1].endswith(ELLIPSIS)


# ------------------------------------------------------------------------ wrapping


def fits(line: str, size: int, max_width: int) -> bool:
    font = ImageFont.truetype(BOLD, size, layout_engine=ImageFont.Layout.BASIC)
    return font.getlength(line) <= max_width and font.getbbox(line)[2] <= max_width


@pytest.mark.parametrize(
    "title",
    [
        "Kim Liên: tháng Năm nhớ Bác",
        "Bác sĩ Ngọc Lan: \"Trạm y tế phải là nhà của bà con\"",
        "Huyện Đoàn Bình Xuyên phát động cuộc thi ảnh \"Thanh niên làm theo lời Bác\"",
        "Trung đội dân quân cơ động Trung Mỹ vững vàng dưới chân Tam Đảo",
        LONG,
    ],
)
@pytest.mark.parametrize("max_width", [1056, 700, 420])
def test_wrap_title_never_splits_words_and_every_line_fits(title, max_width):
    lines, size = wrap_title(title, BOLD, max_width, 4)
    assert 1 <= len(lines) <= 4 and size in TITLE_SIZES
    assert all(fits(line, size, max_width) for line in lines), lines
    words = card_text.curly_quotes(title).split()
    got = " ".join(lines).removesuffix(ELLIPSIS).split()
    assert got[:-1] == words[: len(got) - 1], "words were split, changed or reordered"
    assert got[-1] == words[len(got) - 1] or (lines[-1].endswith(ELLIPSIS) and words[len(got) - 1].startswith(got[-1]))
    if got == words:
        assert not lines[-1].endswith(ELLIPSIS)
    else:
        assert lines[-1].endswith(ELLIPSIS)
        # the cut is after a whole word of the title
        assert lines[-1].removesuffix(ELLIPSIS).split()[-1] == words[len(got) - 1].rstrip(",;:")


def test_wrap_title_shrinks_step_by_step_before_cutting():
    assert wrap_title("Kim Liên: tháng Năm nhớ Bác", BOLD, 1056, 4) == (["Kim Liên: tháng Năm nhớ Bác"], 64)
    medium = (
        "Cánh đồng lúa giảm phát thải: sau hai năm, nông dân cù lao tự tin mở rộng diện tích gieo cấy, "
        "thu hút thêm nhiều hợp tác xã và doanh nghiệp cùng tham gia chuỗi liên kết"
    )
    lines, size = wrap_title(medium, BOLD, 1056, 4)
    assert TITLE_SIZES[-1] < size < TITLE_SIZES[0] and not lines[-1].endswith(ELLIPSIS)
    bigger = TITLE_SIZES[TITLE_SIZES.index(size) - 1]
    assert len(wrap_title(medium, BOLD, 1056, 99, sizes=(bigger,))[0]) > 4  # the larger size did not fit


def test_wrap_title_is_nfc_keeps_no_break_spaces_and_cuts_a_giant_word():
    lines, _ = wrap_title(unicodedata.normalize("NFD", "Ẩn ức ỗ ặc"), BOLD, 1056, 4)
    assert lines == ["Ẩn ức ỗ ặc"] and all(unicodedata.is_normalized("NFC", line) for line in lines)
    lines, size = wrap_title("aaaa bbbb\u00a0cccc dddd", BOLD, 330, 4, sizes=(40,))
    assert any("bbbb\u00a0cccc" in line for line in lines)
    lines, size = wrap_title("Đ" * 300, BOLD, 500, 4)
    assert len(lines) == 1 and lines[0].endswith(ELLIPSIS) and fits(lines[0], size, 500)
    assert wrap_title("   ", BOLD, 500, 4)[0] == []


def test_wrap_title_prefers_breaking_at_a_colon():
    lines, _ = wrap_title("Thượng úy Nguyễn Văn Sơn: công an xã của bà con vùng chè", BOLD, 1056, 4)
    assert lines == ["Thượng úy Nguyễn Văn Sơn:", "công an xã của bà con vùng chè"]


def test_font_has_every_vietnamese_letter():
    letters = "ĂăÂâĐđÊêÔôƠơƯư" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    assert card_text.clean_text(letters) == letters


# ------------------------------------------------------------------------ drawing


def test_drawing_is_a_pure_function_of_its_arguments():
    cover = Image.new("RGB", (320, 200), RED)
    first = encode_card(render_card("Kim Liên: tháng Năm nhớ Bác", DATE, SITE, cover))
    assert encode_card(render_card("Kim Liên: tháng Năm nhớ Bác", DATE, SITE, cover.copy())) == first
    assert encode_card(render_card("Kim Liên: tháng Năm nhớ Bác", DATE, SITE, None)) != first


def test_the_cover_shows_in_the_upper_part(project):
    pipeline = new_pipeline(project, workers=1)
    title = "Kim Liên: tháng Năm nhớ Bác"
    made = pipeline.render_cards([card(c, title, f"2026/{c}.jpg") for c in ("red", "blue")])
    box = (300, 170, 900, 330)  # below the site name, above the title
    red = mean(Image.open(card_path(pipeline, made["red"])), box)
    blue = mean(Image.open(card_path(pipeline, made["blue"])), box)
    assert red[0] > 150 and red[2] < 60, red
    assert blue[2] > 150 and blue[0] < 60, blue


def test_no_cover_gives_the_brand_background(project):
    pipeline = new_pipeline(project, workers=1)
    made = pipeline.render_cards([card("khong-anh", "Kim Liên: tháng Năm nhớ Bác")])
    with Image.open(card_path(pipeline, made["khong-anh"])) as im:
        r, g, b = mean(im, (300, 170, 900, 330))
        assert 120 < r < 210 and g < 60 and b < 60, (r, g, b)  # deep red #9b1c1c, with a gradient
        assert im.getpixel((600, CARD_HEIGHT - 3))[:2] > (200, 160)  # the gold rule


def test_title_is_drawn_in_white():
    band = (72, 450, 1128, 560)

    def white_pixels(title: str) -> int:
        im = render_card(title, "", SITE, None)
        return sum(1 for p in im.crop(band).get_flattened_data() if min(p) > 230)

    assert white_pixels("") == 0 and white_pixels("Kim Liên: tháng Năm nhớ Bác") > 5000


# ------------------------------------------------------------------------ one cache, one manifest


def test_a_cached_card_costs_no_read_and_no_decode(project, monkeypatch):
    requests = [card(c, f"Bài {c}", f"2026/{c}.jpg") for c in ("red", "blue")] + [card("none", "Không có ảnh")]
    first = new_pipeline(project)
    made = first.render_cards(requests)
    assert first.stats.cards_rendered == 3

    jobs = count_calls(monkeypatch, pipeline_module, "run_card_job")
    hashed = count_calls(monkeypatch, pipeline_module, "content_digest")
    opened = count_calls(monkeypatch, Image, "open")
    second = new_pipeline(project)
    assert second.render_cards(requests) == made
    assert second.stats.cards_rendered == 0 and second.stats.cards_cached == 3
    assert jobs == [] and opened == [] and hashed == []  # the covers' digests come from the manifest


def test_a_card_whose_cover_the_build_processed_costs_no_system_call(project, monkeypatch):
    """The build's order: the covers go through process_all first, then the cards (warm cache)."""
    for i in range(6):
        write(project, f"many/{i}.jpg", save_as(Image.new("RGB", (64, 40), (40 * i, 90, 120)), "JPEG"))
    requests = [card(f"bai-{i}", f"Bài {i}", f"many/{i}.jpg") for i in range(6)]
    warm = new_pipeline(project)
    warm.process_all([warm.request(r.cover_src) for r in requests])
    warm.render_cards(requests)

    def calls_for(n: int) -> list:
        pipeline = new_pipeline(project)
        pipeline.process_all([pipeline.request(r.cover_src) for r in requests[:n]])
        calls = count_fs_calls(monkeypatch)
        made = pipeline.render_cards(requests[:n])
        monkeypatch.undo()
        assert len(made) == n and pipeline.stats.cards_cached == n and pipeline.stats.cards_rendered == 0
        return calls

    one, six = calls_for(1), calls_for(6)
    assert len(six) == len(one), six  # the fonts' fingerprint once per build; nothing per card


def test_a_card_alone_costs_two_stats_of_its_cover(project, monkeypatch):
    """Without process_all first (e.g. a card-only run): the cover's lstat (its path) and stat (the manifest)."""
    for i in range(6):
        write(project, f"many/{i}.jpg", save_as(Image.new("RGB", (64, 40), (40 * i, 90, 120)), "JPEG"))
    requests = [card(f"bai-{i}", f"Bài {i}", f"many/{i}.jpg") for i in range(6)]
    new_pipeline(project).render_cards(requests)

    def calls_for(n: int) -> list:
        pipeline = new_pipeline(project)
        calls = count_fs_calls(monkeypatch)
        pipeline.render_cards(requests[:n])
        monkeypatch.undo()
        assert pipeline.stats.cards_cached == n
        return calls

    one, six = calls_for(1), calls_for(6)
    per_card = [c for c in six if c not in one]
    assert len(six) - len(one) == 2 * 5 and {name for name, _ in per_card} == {"stat", "lstat"}, per_card


def test_a_changed_title_cover_or_site_name_renders_again(project):
    request = card("red", "Bài", "2026/red.jpg")
    before = new_pipeline(project).render_cards([request])["red"]
    retitled = new_pipeline(project)
    assert retitled.render_cards([card("red", "Bài mới", "2026/red.jpg")])["red"].name != before.name
    assert retitled.stats.cards_rendered == 1
    renamed = new_pipeline(project)
    assert renamed.render_cards([card("red", "Bài", "2026/red.jpg", site="Gương Sáng Việt")])["red"] != before
    assert renamed.stats.cards_rendered == 1
    write(project, "2026/red.jpg", save_as(Image.new("RGB", (320, 200), (200, 200, 20)), "JPEG"), old=False)
    recovered = new_pipeline(project)
    assert recovered.render_cards([request])["red"].name != before.name and recovered.stats.cards_rendered == 1


def test_photos_and_cards_share_one_cache_and_one_manifest(project):
    pipeline = new_pipeline(project)
    pipeline.process_all([pipeline.request("2026/blue.jpg")])
    made = pipeline.render_cards([card("red", "Đỏ", "2026/red.jpg"), card("x", "X")])
    assert [p.name for p in (project / ".cache").iterdir()] == ["images"]  # no .cache/cards/
    [manifest] = (project / ".cache/images").glob("manifest-*.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["cards"] == {"red": made["red"].name, "x": made["x"].name}
    assert {"2026/blue.jpg", "2026/red.jpg"} <= set(data["sources"])  # the card's cover digest too
    files = {p.name for p in (project / ".cache/images/files").iterdir()}
    assert {made["red"].name, made["x"].name} <= files
    variants = {v.name for v in pipeline.process_all([pipeline.request("2026/blue.jpg")])["2026/blue.jpg"].variants}
    assert files == variants | {made["red"].name, made["x"].name}


def test_a_card_cover_read_once_spares_the_next_build_the_read(project, monkeypatch):
    new_pipeline(project).render_cards([card("red", "Đỏ", "2026/red.jpg")])
    hashed = count_calls(monkeypatch, pipeline_module, "content_digest")
    again = new_pipeline(project)
    again.render_cards([card("red", "Đỏ", "2026/red.jpg")])
    assert hashed == [] and again.stats.cards_cached == 1


def test_prune_keeps_the_cards_in_use(project):
    pipeline = new_pipeline(project)
    pipeline.process_all([pipeline.request("2026/blue.jpg")])
    old = pipeline.render_cards([card("red", "Đỏ", "2026/red.jpg"), card("x", "X")])
    new = new_pipeline(project).render_cards([card("red", "Đỏ mới", "2026/red.jpg")])["red"]  # retitled
    pruner = new_pipeline(project)
    assert pruner.prune_cache() == 1  # only red's previous card
    assert not pruner.cache.path_of(old["red"].name).exists()
    assert pruner.cache.path_of(new.name).is_file() and pruner.cache.path_of(old["x"].name).is_file()
    again = new_pipeline(project)
    again.render_cards([card("red", "Đỏ mới", "2026/red.jpg"), card("x", "X")])
    again.process_all([again.request("2026/blue.jpg")])
    assert again.stats.cards_rendered == 0 and again.stats.cards_cached == 2 and again.stats.processed == 0
    assert new_pipeline(project).prune_cache(used=["2026/blue.jpg"], cards=["red"]) == 1  # x's card
    assert not pruner.cache.path_of(old["x"].name).exists() and pruner.cache.path_of(new.name).is_file()


def test_many_misses_go_through_the_process_pool(project):
    pipeline = new_pipeline(project, workers=2)
    requests = [card(f"bai-{i}", f"Bài số {i}", "2026/blue.jpg" if i % 2 else None) for i in range(5)]
    made = pipeline.render_cards(requests, progress=False)
    assert len(made) == 5 and pipeline.stats.cards_rendered == 5
    assert all(card_path(pipeline, c).is_file() for c in made.values())
    job = CardJob("s", "s", "t", DATE, SITE, str(project / "images/2026/blue.jpg"), 1, "/x", "f" * 16)
    assert len(pickle.dumps(job)) < 1000  # workers get strings and paths, not pixels


def test_a_slug_twice_is_refused(project):
    with pytest.raises(ValueError, match="duplicate slug"):
        new_pipeline(project).render_cards([card("a", "A"), card("a", "B")])


# ------------------------------------------------------------------------ errors, images/, outputs


def test_bad_covers_are_all_reported_with_file_and_line(project):
    pipeline = new_pipeline(project, workers=1)
    write(project, "2026/notes.jpg", b"not a photo")
    requests = [
        card("ok", "Được", "2026/red.jpg"),
        card("missing", "Thiếu", "2026/khong-co.jpg", origin_path=Path(STORY), origin_line=6),
        card("outside", "Ngoài", "../secret.jpg", origin_path=Path(STORY), origin_line=7),
        card("broken", "Hỏng", "2026/notes.jpg", origin_path=Path(STORY), origin_line=8),
    ]
    with pytest.raises(ImageErrors) as info:
        pipeline.render_cards(requests)
    assert [str(e) for e in info.value.errors] == [
        f"{STORY}:6: cover.src: images/2026/khong-co.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp và thư mục",
        f"{STORY}:7: cover.src: images/../secret.jpg: dẫn ra ngoài thư mục images/ ('..'): hãy để ảnh trong images/ "
        "và viết đường dẫn trong đó",
        f"{STORY}:8: cover.src: images/2026/notes.jpg: tệp này không phải ảnh: hãy dùng ảnh JPEG, PNG, WebP hoặc HEIC",
    ]
    again = new_pipeline(project, workers=1)
    assert set(again.render_cards(requests, raise_errors=False)) == {"ok"} and len(again.errors) == 3


def test_a_card_that_cannot_be_drawn_is_reported_and_the_others_made(project, monkeypatch):
    import site_builder.images.card_job as card_job

    real = card_job.render_card

    def render(title, *args):
        if title == "Hỏng":
            raise OSError("No space left on device")
        return real(title, *args)

    monkeypatch.setattr(card_job, "render_card", render)
    pipeline = new_pipeline(project, workers=1)
    requests = [card("ok", "Được"), card("broken", "Hỏng", origin_path=Path(STORY))]
    with pytest.raises(ImageErrors) as info:
        pipeline.render_cards(requests)
    assert [str(e) for e in info.value.errors] == [
        f"{STORY}: ảnh chia sẻ: images: không tạo được ảnh chia sẻ (OSError: No space left on device): hãy chạy lại "
        "lệnh; nếu vẫn lỗi, hãy báo cho bộ phận kỹ thuật"
    ]
    [(path, source)] = pipeline.outputs()  # the good card is made (and cached), not the broken one
    assert pipeline.stats.cards_rendered == 1 and path.startswith(urls.card("ok-")) and source.is_file()


def test_images_folder_is_never_written(project):
    before = snapshot(project / "images")
    pipeline = new_pipeline(project)
    pipeline.render_cards([card(c, c, f"2026/{c}.jpg") for c in ("red", "blue", "exif")])
    pipeline.process_all([pipeline.request(f"2026/{c}.jpg") for c in ("red", "blue", "exif")])
    pipeline.prune_cache()
    assert snapshot(project / "images") == before
    with pytest.raises(ImageSettingsError):
        ImagePipeline(project / "images", ImageSettings(cache_dir=project / "images/.cache"))


def test_outputs_list_every_card_and_photo_variant_without_writing(project):
    pipeline = new_pipeline(project, workers=1)
    images = pipeline.process_all([pipeline.request("2026/blue.jpg")])
    made = pipeline.render_cards([card("red", "Đỏ", "2026/red.jpg"), card("x", "X")])
    before = {p.relative_to(project).as_posix() for p in project.rglob("*")}
    outputs = pipeline.outputs()
    assert {p.relative_to(project).as_posix() for p in project.rglob("*")} == before  # nothing written
    cards = {(c.url, card_path(pipeline, c)) for c in made.values()}
    variants = {(v.url, pipeline.cache.path_of(v.name)) for v in images["2026/blue.jpg"].variants}
    assert set(outputs) == cards | variants and len(outputs) == len(cards) + len(variants)
    assert outputs == sorted(outputs)
    assert all(path.startswith((urls.CARDS, urls.PHOTOS)) and source.is_absolute() and source.is_file()
               for path, source in outputs)
    assert pipeline.outputs(images, cards=[]) == sorted(variants)
    assert pipeline.outputs([], cards=made) == sorted(cards)


def test_no_cards_no_card_outputs(project):
    pipeline = new_pipeline(project, workers=1)
    assert pipeline.render_cards([]) == {} and pipeline.outputs() == []
