"""The pipeline: references, cache, errors, outputs, images/ left untouched."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import site_builder.images.pipeline as pipeline_module
import site_builder.images.process as process_module
from site_builder.images import ImageError, ImageErrors, ImagePipeline, ImageSettings, ImageSettingsError
from site_builder.routes import urls
from imagekit import STORY, count_calls, count_fs_calls, photo_jpeg, snapshot, write

SETTINGS = ImageSettings(widths=(16, 32, 48), workers=2)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (the working directory) with a few photos in images/."""
    monkeypatch.chdir(tmp_path)
    for o, name in ((1, "2026/a.jpg"), (6, "2026/b.jpg"), (8, "2026/Đường hoa.jpg"), (3, "c.jpg")):
        write(tmp_path, name, photo_jpeg(o))
    (tmp_path / "content/stories/2026").mkdir(parents=True)
    (tmp_path / STORY).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    return tmp_path


def new_pipeline(root: Path, settings: ImageSettings = SETTINGS) -> ImagePipeline:
    return ImagePipeline(root / "images", settings)


def requests_for(p: ImagePipeline, srcs) -> list:
    return [p.request(src, STORY, 10 + i, "cover.src") for i, src in enumerate(srcs)]


ALL = ["2026/a.jpg", "2026/b.jpg", "2026/Đường hoa.jpg", "c.jpg"]


# ------------------------------------------------------------------------ cache


def test_second_build_reprocesses_nothing_and_decodes_nothing(project, monkeypatch):
    p = new_pipeline(project)
    first = p.process_all(requests_for(p, ALL))
    assert p.stats.processed == 4 and p.stats.cached == 0

    opened = count_calls(monkeypatch, Image, "open")
    hashed = count_calls(monkeypatch, pipeline_module, "content_digest")
    jobs = count_calls(monkeypatch, pipeline_module, "run_job")
    p2 = new_pipeline(project)
    second = p2.process_all(requests_for(p2, ALL))
    assert p2.stats.processed == 0 and p2.stats.cached == 4
    assert opened == [] and jobs == [] and hashed == []  # stat + manifest only
    assert {k: v.variants for k, v in second.items()} == {k: v.variants for k, v in first.items()}


def test_an_unchanged_photo_costs_an_lstat_and_a_stat(project, monkeypatch):
    """On a warm cache, what each more photo costs: resolving its path (lstat) and the manifest's
    stat; the cache's files are listed once (bench/images.py prints the time)."""
    for i in range(30):
        write(project, f"many/{i}.jpg", photo_jpeg(1 + i % 8, size=(32, 24)))
    srcs = [f"many/{i}.jpg" for i in range(30)]
    p = new_pipeline(project)
    p.process_all(requests_for(p, srcs), progress=False)

    def calls_for(n: int) -> list:
        p2 = new_pipeline(project)
        calls = count_fs_calls(monkeypatch)
        p2.process_all(requests_for(p2, srcs[:n]))
        p2.outputs()
        monkeypatch.undo()
        assert p2.stats.processed == 0 and p2.stats.cached == n
        return calls

    ten, thirty = calls_for(10), calls_for(30)
    per_photo = [c for c in thirty if c not in ten]
    assert len(thirty) - len(ten) == 2 * 20 and {name for name, _ in per_photo} == {"stat", "lstat"}, per_photo


def test_touched_but_identical_file_hits_by_content_hash(project, monkeypatch):
    p = new_pipeline(project)
    p.process_all(requests_for(p, ALL))
    path = project / "images/2026/a.jpg"
    os.utime(path, ns=(1_800_000_000_000_000_000,) * 2)  # mtime changed, bytes not
    hashed = count_calls(monkeypatch, pipeline_module, "content_digest")
    p2 = new_pipeline(project)
    p2.process_all(requests_for(p2, ALL))
    assert p2.stats.processed == 0 and len(hashed) == 1
    p3 = new_pipeline(project)  # the new stat was remembered
    p3.process_all(requests_for(p3, ALL))
    assert p3.stats.processed == 0


def test_changed_file_is_reprocessed_with_new_names(project):
    p = new_pipeline(project)
    before = p.process_all(requests_for(p, ALL))
    write(project, "2026/a.jpg", photo_jpeg(2))
    p2 = new_pipeline(project)
    after = p2.process_all(requests_for(p2, ALL))
    assert p2.stats.processed == 1 and p2.stats.cached == 3
    assert {v.name for v in before["2026/a.jpg"].variants}.isdisjoint(v.name for v in after["2026/a.jpg"].variants)


def test_new_file_is_not_trusted_by_stat_until_old_enough(project, monkeypatch):
    """A file written in the same instant as the cache read could change unseen: rehash it."""
    write(project, "fresh.jpg", photo_jpeg(1), old=False)
    p = new_pipeline(project)
    p.process_all(requests_for(p, ["fresh.jpg"]))
    hashed = count_calls(monkeypatch, pipeline_module, "content_digest")
    p2 = new_pipeline(project)
    p2.process_all(requests_for(p2, ["fresh.jpg"]))
    assert p2.stats.processed == 0 and len(hashed) == 1


def test_settings_change_or_missing_cache_file_reprocesses(project):
    p = new_pipeline(project)
    first = p.process_all(requests_for(p, ALL))
    other = ImageSettings(widths=(16, 32, 48), quality={"webp": 60}, workers=2)
    p2 = new_pipeline(project, other)
    second = p2.process_all(requests_for(p2, ALL))
    assert p2.stats.processed == 4
    assert {v.name for v in first["c.jpg"].variants}.isdisjoint(v.name for v in second["c.jpg"].variants)
    # the first settings' cache is still there
    p3 = new_pipeline(project)
    p3.process_all(requests_for(p3, ALL))
    assert p3.stats.processed == 0
    p3.cache.path_of(first["c.jpg"].variants[0].name).unlink()
    p4 = new_pipeline(project)
    p4.process_all(requests_for(p4, ALL))
    assert p4.stats.processed == 1


def test_same_photo_used_twice_is_processed_once(project):
    p = new_pipeline(project)
    reqs = requests_for(p, ["c.jpg", "./c.jpg", "c.jpg"])
    images = p.process_all(reqs)
    assert p.stats.processed == 1 and p.stats.sources == 1
    assert images["c.jpg"] is images["./c.jpg"]


def test_prune_cache_drops_unused(project):
    p = new_pipeline(project)
    p.process_all(requests_for(p, ALL))
    files = len(list(p.cache.files_dir.iterdir()))
    removed = p.prune_cache(used=["c.jpg"])
    assert removed == files - 6
    assert len(list(p.cache.files_dir.iterdir())) == 6


def test_progress_bar_does_not_break_processing(project):
    p = new_pipeline(project)
    images = p.process_all(requests_for(p, ALL), progress=True)
    assert len(images) == 4


# ------------------------------------------------------------------------ outputs


def test_outputs_list_every_variant_once_with_its_cached_file(project):
    p = new_pipeline(project)
    images = p.process_all(requests_for(p, [*ALL, "./c.jpg"]))
    outputs = p.outputs()
    variants = {v for img in images.values() for v in img.variants}
    assert len(outputs) == len(variants) == 4 * 6 and outputs == sorted(outputs)
    for v in variants:
        assert (v.url, p.cache.path_of(v.name)) in outputs
        assert v.url == urls.photo(v.name) and p.cache.path_of(v.name).read_bytes()
    assert p.outputs(images) == outputs
    assert p.outputs([images["c.jpg"]]) == sorted((v.url, p.cache.path_of(v.name)) for v in images["c.jpg"].variants)
    assert not (project / "site").exists()


def test_outputs_honour_the_url_prefix(project):
    p = new_pipeline(project, ImageSettings(widths=(16,), url_prefix="/media/anh/"))
    p.process_all(requests_for(p, ["c.jpg"]))
    assert [path.rsplit("-", 2)[0] for path, _ in p.outputs()] == ["media/anh/c", "media/anh/c"]


def test_vietnamese_file_names_become_ascii_slugs(project):
    p = new_pipeline(project)
    img = p.process_all(requests_for(p, ["2026/Đường hoa.jpg"]))["2026/Đường hoa.jpg"]
    assert all(v.name.startswith("duong-hoa-") and v.name.isascii() for v in img.variants)


def test_nfd_file_name_matches_nfc_reference(project):
    import unicodedata

    write(project, unicodedata.normalize("NFD", "Ảnh lễ hội.jpg"), photo_jpeg(1))
    p = new_pipeline(project)
    req = p.request(unicodedata.normalize("NFC", "Ảnh lễ hội.jpg"), STORY, 3)
    assert req.error is None


# ------------------------------------------------------------------------ bad input


def error_of(project: Path, src: str, settings: ImageSettings = SETTINGS, line: int = 12) -> ImageError:
    p = new_pipeline(project, settings)
    req = p.request(src, project / STORY, line, "cover.src")
    with pytest.raises(ImageErrors) as info:
        p.process_all([req])
    [err] = info.value.errors
    assert str(err).startswith(f"{STORY}:{line}: cover.src: images/"), str(err)
    return err


def test_missing_file_names_story_and_line(project):
    err = error_of(project, "2026/khong-co.jpg")
    assert str(err) == (f"{STORY}:12: cover.src: images/2026/khong-co.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp "
                        "và thư mục")


def test_missing_file_suggests_close_name(project):
    assert str(error_of(project, "2026/A.JPG")).endswith(
        "images/2026/A.JPG: không có tệp ảnh này; có phải ý bạn là '2026/a.jpg'?")
    assert str(error_of(project, "2025/a.jpg")).endswith(
        "images/2025/a.jpg: không có tệp ảnh này: trong images/ không có thư mục 2025/; hãy kiểm tra đường dẫn")


def test_not_an_image(project):
    write(project, "notes.jpg", "Đây không phải ảnh\n".encode())
    err = error_of(project, "notes.jpg")
    assert str(err) == (
        f"{STORY}:12: cover.src: images/notes.jpg: tệp này không phải ảnh: hãy dùng ảnh JPEG, PNG, WebP hoặc HEIC"
    )
    write(project, "empty.jpg", b"")
    assert str(error_of(project, "empty.jpg")).endswith("images/empty.jpg: tệp rỗng: hãy chép lại ảnh")


def test_truncated_jpeg(project):
    data = photo_jpeg(1, size=(400, 300), quality=90)
    write(project, "cut.jpg", data[: len(data) // 2])
    assert str(error_of(project, "cut.jpg")).endswith(
        "images/cut.jpg: tệp ảnh bị thiếu hoặc bị hỏng: hãy chép lại ảnh từ bản gốc")


def test_over_the_pixel_limit(project):
    err = error_of(project, "c.jpg", ImageSettings(widths=(16,), max_pixels=1000))
    assert str(err).endswith("images/c.jpg: ảnh có 64×48 = 0.0 megapixel, vượt giới hạn 0.001 megapixel "
                             "(images.max_pixels): hãy thu nhỏ ảnh trước khi đăng")


def test_decompression_bomb_header_is_refused_without_decoding(project, monkeypatch):
    # A PNG header claiming 100000 x 100000 pixels, with almost no data.
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")
    write(project, "bomb.png", png)
    err = error_of(project, "bomb.png")
    assert "ảnh quá lớn, không mở an toàn được" in str(err) or "vượt giới hạn" in str(err)


def test_path_leaving_images_is_refused(project):
    (project / "escape.jpg").write_bytes(photo_jpeg(1))  # exists, but outside images/
    err = error_of(project, "../escape.jpg")
    assert str(err) == (f"{STORY}:12: cover.src: images/../escape.jpg: dẫn ra ngoài thư mục images/ ('..'): hãy để ảnh "
                        "trong images/ và viết đường dẫn trong đó")
    assert "dẫn ra ngoài thư mục images/" in str(error_of(project, "2026/../../escape.jpg"))


def test_absolute_path_is_refused(project):
    inside = str(project / "images/c.jpg")
    absolute = ": là đường dẫn tuyệt đối: hãy viết đường dẫn bên trong images/, ví dụ 2026/anh.jpg"
    assert str(error_of(project, inside)).endswith(absolute)
    assert str(error_of(project, "C:/photos/c.jpg")).endswith(absolute)


def test_symlink_out_of_images_is_refused(project):
    (project / "secret.jpg").write_bytes(photo_jpeg(1))
    (project / "images/link.jpg").symlink_to(project / "secret.jpg")
    (project / "images/dirlink").symlink_to(project / "content")
    outside = ": là liên kết dẫn ra ngoài thư mục images/: hãy chép ảnh vào images/"
    assert str(error_of(project, "link.jpg")).endswith(outside)
    assert str(error_of(project, "dirlink/stories/2026/bai-mau.md")).endswith(outside)
    (project / "images/inside.jpg").symlink_to(project / "images/c.jpg")  # a link within images/ is fine
    p = new_pipeline(project)
    assert p.request("inside.jpg").error is None


def test_other_bad_references(project):
    assert str(error_of(project, "https://example.org/a.jpg")).endswith(
        ": là địa chỉ web: hãy chép ảnh vào thư mục images/ và viết đường dẫn của ảnh trong đó")
    assert str(error_of(project, "2026")).endswith(
        "images/2026: là một thư mục, không phải ảnh: hãy viết đường dẫn tới một ảnh trong thư mục đó")
    assert str(error_of(project, "2026\\a.jpg")).endswith(": hãy ngăn cách các thư mục bằng '/', không dùng '\\'")
    p = new_pipeline(project)
    assert str(p.request("  ", STORY, 1).error).endswith(
        "chưa ghi ảnh: hãy viết đường dẫn của ảnh bên trong images/, ví dụ 2026/anh.jpg")


def test_all_errors_are_reported_together_and_good_photos_still_processed(project):
    write(project, "notes.jpg", b"hello")
    p = new_pipeline(project)
    reqs = [
        p.request("c.jpg", project / STORY, 5),
        p.request("missing.jpg", project / STORY, 6),
        p.request("notes.jpg", project / STORY, 7, "body"),
        p.request("notes.jpg", project / "content/profiles/ca-nhan/x.md", 2, "photo.src"),
        p.request("../x.jpg", project / STORY, 9, "gallery"),
    ]
    with pytest.raises(ImageErrors) as info:
        p.process_all(reqs)
    text = str(info.value)
    assert text.startswith("4 lỗi ảnh (mỗi lỗi có ghi cách sửa):\n")
    assert [(e.origin_line, e.field) for e in info.value.errors] == [
        (2, "photo.src"),
        (6, "cover.src"),
        (7, "body"),
        (9, "gallery"),
    ]
    images = p.process_all(reqs, raise_errors=False)
    assert set(images) == {"c.jpg"} and len(p.errors) == 4


def test_images_folder_is_never_modified(project):
    write(project, "notes.jpg", b"hello")
    data = photo_jpeg(6, size=(400, 300))
    write(project, "cut.jpg", data[:3000])
    before = snapshot(project / "images")
    p = new_pipeline(project)
    p.process_all(requests_for(p, ALL + ["notes.jpg", "cut.jpg", "missing.jpg"]), raise_errors=False)
    p.process_all(requests_for(p, ALL))
    p.prune_cache()
    assert snapshot(project / "images") == before
    os.utime(project / "images/c.jpg", ns=(1_800_000_000_000_000_000,) * 2)  # touched: hashed again
    before = snapshot(project / "images")
    p2 = new_pipeline(project)
    p2.process_all(requests_for(p2, ALL))
    assert snapshot(project / "images") == before


CONFIGURED_FOLDER = {
    "vi": [
        "photos/../x.jpg: dẫn ra ngoài thư mục photos/ ('..'): hãy để ảnh trong photos/ và viết đường dẫn trong đó",
        "photos/https://a.vn/b.jpg: là địa chỉ web: hãy chép ảnh vào thư mục photos/ và viết đường dẫn của ảnh trong đó",
        "photos/link.jpg: là liên kết dẫn ra ngoài thư mục photos/: hãy chép ảnh vào photos/",
        "photos/2025/a.jpg: không có tệp ảnh này: trong photos/ không có thư mục 2025/; hãy kiểm tra đường dẫn",
        "photos/2026/A.JPG: không có tệp ảnh này; có phải ý bạn là '2026/a.jpg'?",
        "photos//abs.jpg: là đường dẫn tuyệt đối: hãy viết đường dẫn bên trong photos/, ví dụ 2026/anh.jpg",
    ],
    "en": [
        "photos/../x.jpg: leads outside photos/ ('..'): put the photo in photos/ and write its path there",
        "photos/https://a.vn/b.jpg: is a web address: copy the photo into photos/ and write its path there",
        "photos/link.jpg: is a link that leads outside photos/: copy the photo into photos/",
        "photos/2025/a.jpg: there is no such photo: photos/ has no folder 2025/; check the path",
        "photos/2026/A.JPG: there is no such photo; did you mean '2026/a.jpg'?",
        "photos//abs.jpg: is an absolute path: write the path inside photos/, such as 2026/anh.jpg",
    ],
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_messages_name_the_configured_images_folder(project, language):
    """Each bad reference says what to do, naming the photo folder of the settings; Vietnamese unless English is asked for."""
    from site_builder import i18n

    (project / "images").rename(project / "photos")
    p = ImagePipeline(project / "photos", SETTINGS, project_root=project)
    (project / "secret.jpg").write_bytes(photo_jpeg(1))
    (project / "photos/link.jpg").symlink_to(project / "secret.jpg")
    srcs = ("../x.jpg", "https://a.vn/b.jpg", "link.jpg", "2025/a.jpg", "2026/A.JPG", "/abs.jpg")
    i18n.set_language(language)
    try:
        errors = [str(p.request(src, STORY, 4).error) for src in srcs]
    finally:
        i18n.set_language("vi")
    assert errors == [f"{STORY}:4: cover.src: {message}" for message in CONFIGURED_FOLDER[language]]
    assert p.request("2026/a.jpg").error is None


def test_cache_dir_inside_images_is_refused(project):
    with pytest.raises(ImageSettingsError, match="nằm trong thư mục ảnh .*: hãy chọn một thư mục bên ngoài"):
        ImagePipeline(project / "images", ImageSettings(cache_dir=Path("images/.cache")))


def test_decode_for_social_cards(project):
    p = new_pipeline(project)
    d = p.decode("2026/b.jpg", max_width=32)
    assert (d.width, d.height) == (64, 48) and d.image.size == (32, 24)  # JPEG decoded at 1/2
    assert p.decode("2026/b.jpg").image.size == (64, 48)
    with pytest.raises(ImageError, match="không có tệp ảnh này"):
        p.decode("nope.jpg")


def test_command_line_exits_non_zero_with_clear_errors(project):
    write(project, "notes.jpg", b"hello")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run(
        [sys.executable, "-m", "site_builder.images", "--no-progress", "c.jpg", "notes.jpg", "../x.jpg"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "images/notes.jpg: tệp này không phải ảnh" in run.stderr
    assert "images/../x.jpg: dẫn ra ngoài thư mục images/" in run.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "site_builder.images", "--no-progress", "--out", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 1  # notes.jpg is still in images/
    (project / "images/notes.jpg").unlink()
    ok = subprocess.run(
        [sys.executable, "-m", "site_builder.images", "--no-progress", "--out", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    # default widths (480, ...) exceed these 64-pixel photos: one width each, WebP and JPEG
    assert ok.stdout.startswith("4 ảnh: ") and len(list((project / "site/assets/images").iterdir())) == 8


def test_worker_errors_do_not_crash(project, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(process_module, "process_bytes", boom)
    p = new_pipeline(project, ImageSettings(widths=(16,), workers=1))
    with pytest.raises(ImageErrors, match=r"không xử lý được ảnh \(RuntimeError: kaboom\): hãy chạy lại lệnh"):
        p.process_all(requests_for(p, ["c.jpg"]))


def test_png_source_bytes_unchanged_after_processing(project):
    buf = io.BytesIO()
    Image.new("RGBA", (40, 30), (1, 2, 3, 128)).save(buf, "PNG")
    path = write(project, "t.png", buf.getvalue())
    p = new_pipeline(project)
    p.process_all(requests_for(p, ["t.png"]))
    assert path.read_bytes() == buf.getvalue()
