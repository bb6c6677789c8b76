"""Social cards: size and format, title wrapping, cover, brand background, cache, publishing."""

from __future__ import annotations

import pickle
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageFont

import site_builder.images.social as social
from site_builder.images import ImageErrors, ImagePipeline, ImageSettings, ImageSettingsError
from site_builder.images.social import (
    BOLD_FONT,
    CARD_HEIGHT,
    CARD_WIDTH,
    ELLIPSIS,
    TITLE_MAX_LINES,
    TITLE_SIZES,
    CardJob,
    CardRequest,
    SocialCards,
    font_path,
    wrap_title,
)
from test_images_support import assert_no_metadata, photo_jpeg, save_as, snapshot, write

RED, BLUE = (210, 30, 30), (30, 40, 210)
DATE = "Thứ Bảy, 14/03/2026"
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


def new_cards(root: Path, workers: int = 2) -> SocialCards:
    pipeline = ImagePipeline(root / "images", ImageSettings(widths=(16, 32), workers=workers))
    return SocialCards(pipeline, "Gương Sáng", root / ".cache/cards")


def card_path(cards: SocialCards, url: str) -> Path:
    return cards.cache_dir / url.rsplit("/", 1)[1]


def mean(im: Image.Image, box) -> tuple[float, ...]:
    return im.crop(box).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))


# ------------------------------------------------------------------------ the file


def test_card_is_a_1200x630_baseline_jpeg_without_metadata(project):
    cards = new_cards(project)
    urls = cards.render_all([CardRequest("bai-mau", "Bình Xuyên: làm theo Bác", DATE, "2026/exif.jpg")])
    assert URL.match(urls["bai-mau"]) and urls["bai-mau"].startswith("assets/cards/bai-mau-")
    path = card_path(cards, urls["bai-mau"])
    with Image.open(path) as im:
        assert im.format == "JPEG" and im.size == (CARD_WIDTH, CARD_HEIGHT) and im.mode == "RGB"
        assert not im.info.get("progressive") and not im.info.get("progression")
        assert "icc_profile" not in im.info  # sRGB, untagged
    assert_no_metadata(path)


def test_awkward_and_very_long_titles_render(project):
    cards = new_cards(project, workers=1)
    titles = {
        "script": 'Đừng </script><script>alert("x")</script> “ngoặc” \'đơn\' & <b>',
        "long": LONG,
        "nfd": unicodedata.normalize("NFD", "Ẩn ức ỗ ặc Nguyễn Thị Hường"),
        "emoji": "Chè La Bằng 🍵 đi xa\u200b\x00",
        "empty": "",
        "one-word": "Đ" * 200,
    }
    urls = cards.render_all([CardRequest(slug, t, DATE, "2026/red.jpg") for slug, t in titles.items()])
    assert set(urls) == set(titles) and cards.stats.rendered == len(titles)
    for url in urls.values():
        with Image.open(card_path(cards, url)) as im:
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
    words = social.curly_quotes(title).split()
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
    assert social.clean_text(letters) == letters


# ------------------------------------------------------------------------ look


def test_the_cover_shows_in_the_upper_part(project):
    cards = new_cards(project, workers=1)
    urls = cards.render_all(
        [CardRequest(c, "Kim Liên: tháng Năm nhớ Bác", DATE, f"2026/{c}.jpg") for c in ("red", "blue")]
    )
    box = (300, 170, 900, 330)  # below the site name, above the title
    red = mean(Image.open(card_path(cards, urls["red"])), box)
    blue = mean(Image.open(card_path(cards, urls["blue"])), box)
    assert red[0] > 150 and red[2] < 60, red
    assert blue[2] > 150 and blue[0] < 60, blue


def test_no_cover_gives_the_brand_background(project):
    cards = new_cards(project, workers=1)
    urls = cards.render_all([CardRequest("khong-anh", "Kim Liên: tháng Năm nhớ Bác", DATE, None)])
    with Image.open(card_path(cards, urls["khong-anh"])) as im:
        r, g, b = mean(im, (300, 170, 900, 330))
        assert 120 < r < 210 and g < 60 and b < 60, (r, g, b)  # deep red #9b1c1c, with a gradient
        assert im.getpixel((600, CARD_HEIGHT - 3))[:2] > (200, 160)  # the gold rule


def test_title_is_drawn_in_white(project):
    cards = new_cards(project, workers=1)
    blank = cards.render_all([CardRequest("a", "", "", None)])["a"]
    titled = cards.render_all([CardRequest("b", "Kim Liên: tháng Năm nhớ Bác", "", None)])["b"]
    band = (72, 450, 1128, 560)
    def white_pixels(url: str) -> int:
        with Image.open(card_path(cards, url)) as im:
            return sum(1 for p in im.crop(band).get_flattened_data() if min(p) > 230)

    whites = [white_pixels(u) for u in (blank, titled)]
    assert whites[0] == 0 and whites[1] > 5000


# ------------------------------------------------------------------------ cache


def test_second_run_renders_nothing_and_a_new_title_renders_again(project, monkeypatch):
    requests = [CardRequest(c, f"Bài {c}", DATE, f"2026/{c}.jpg") for c in ("red", "blue")]
    requests.append(CardRequest("none", "Không có ảnh", DATE, None))
    first = new_cards(project)
    urls = first.render_all(requests)
    assert first.stats.rendered == 3

    jobs, opened, hashed = [], [], []
    monkeypatch.setattr(social, "run_card_job", lambda job: jobs.append(job))
    monkeypatch.setattr(social, "content_digest", lambda data: hashed.append(data))
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a))
    second = new_cards(project)
    assert second.render_all(requests) == urls
    assert second.stats.rendered == 0 and second.stats.cached == 3
    assert jobs == [] and opened == [] and hashed == []  # a stat per file: nothing read or decoded
    monkeypatch.undo()

    third = new_cards(project, workers=1)
    changed = third.render_all([CardRequest("red", "Bài mới", DATE, "2026/red.jpg"), *requests[1:]])
    assert third.stats.rendered == 1 and third.stats.cached == 2
    assert changed["red"] != urls["red"] and changed["blue"] == urls["blue"]


def test_a_changed_cover_or_site_name_renders_again(project):
    request = CardRequest("red", "Bài", DATE, "2026/red.jpg")
    url = new_cards(project).render_all([request])["red"]
    write(project, "2026/red.jpg", save_as(Image.new("RGB", (320, 200), (200, 200, 20)), "JPEG"), old=False)
    cards = new_cards(project)
    assert cards.render_all([request])["red"] != url and cards.stats.rendered == 1
    renamed = SocialCards(cards.pipeline, "Gương Sáng Việt", cards.cache_dir)
    assert renamed.render_all([request])["red"] != url and renamed.stats.rendered == 1


def test_cover_digests_are_shared_with_the_photo_pipeline_without_losing_its_work(project):
    settings = ImageSettings(widths=(16, 32), workers=1)
    photos = ImagePipeline(project / "images", settings)
    cards = SocialCards(ImagePipeline(project / "images", settings), "Gương Sáng", project / ".cache/cards")
    photos.process_all([photos.request("2026/red.jpg")])  # saved after `cards` read the manifest
    cards.render_all([CardRequest("blue", "Xanh", DATE, "2026/blue.jpg")])
    again = ImagePipeline(project / "images", settings)
    again.process_all([again.request("2026/red.jpg")])
    assert again.stats.processed == 0 and again.stats.cached == 1  # the photo's result was kept
    st = (project / "images/2026/blue.jpg").stat()
    assert again.cache.digest_for_stat("2026/blue.jpg", st.st_size, st.st_mtime_ns)  # and the cover's digest added


def test_many_misses_go_through_the_process_pool(project):
    cards = new_cards(project, workers=2)
    requests = [CardRequest(f"bai-{i}", f"Bài số {i}", DATE, "2026/blue.jpg" if i % 2 else None) for i in range(5)]
    urls = cards.render_all(requests, progress=False)
    assert len(urls) == 5 and cards.stats.rendered == 5
    assert all(card_path(cards, u).is_file() for u in urls.values())
    job = CardJob("s", "s", "t", DATE, "Gương Sáng", str(project / "images/2026/blue.jpg"), 1, "/x", "f" * 16)
    assert len(pickle.dumps(job)) < 1000  # workers get strings and paths, not pixels


# ------------------------------------------------------------------------ errors, images/, publish


def test_bad_covers_are_all_reported(project):
    cards = new_cards(project, workers=1)
    requests = [
        CardRequest("ok", "Được", DATE, "2026/red.jpg"),
        CardRequest("missing", "Thiếu", DATE, "2026/khong-co.jpg"),
        CardRequest("outside", "Ngoài", DATE, "../secret.jpg"),
    ]
    with pytest.raises(ImageErrors) as info:
        cards.render_all(requests)
    assert len(info.value.errors) == 2
    urls = new_cards(project, workers=1).render_all(requests, raise_errors=False)
    assert set(urls) == {"ok"}


def test_images_folder_is_never_written(project):
    before = snapshot(project / "images")
    cards = new_cards(project)
    cards.render_all([CardRequest(c, c, DATE, f"2026/{c}.jpg") for c in ("red", "blue", "exif")])
    cards.publish(project / "site")
    assert snapshot(project / "images") == before
    with pytest.raises(ImageSettingsError):
        SocialCards(cards.pipeline, "Gương Sáng", project / "images/.cards")


def test_publish_links_the_cards_into_the_site(project):
    cards = new_cards(project, workers=1)
    urls = cards.render_all([CardRequest("red", "Đỏ", DATE, "2026/red.jpg"), CardRequest("x", "X", DATE, None)])
    site = project / "site"
    written = cards.publish(site)
    assert sorted(p.relative_to(site).as_posix() for p in written) == sorted(urls.values())
    for url in urls.values():
        assert (site / url).read_bytes() == card_path(cards, url).read_bytes()
    assert cards.publish(site) == []  # already there


def test_publish_without_cards_writes_nothing(project):
    cards = new_cards(project, workers=1)
    assert cards.render_all([]) == {}
    site = project / "site"
    assert cards.publish(site) == []
    assert not (site / "assets" / "cards").exists()
