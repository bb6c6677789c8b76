"""Photo references of stories and profiles, checked by the image pipeline alone (`check_references`)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PIL import Image

import site_builder.images.pipeline as pipeline_module
from site_builder.content.models import Kind, Photo, Profile, Story
from site_builder.images import ImageErrors, ImagePipeline, ImageSettings, check_references, photo_requests
from site_builder.bodies import Bodies
from imagekit import count_fs_calls, photo_jpeg

STORY_A = Path("content/stories/2026/bai-a.md")
STORY_B = Path("content/stories/2026/bai-b.md")
PROFILE = Path("content/profiles/ca-nhan/nguyen-van-a.md")


def located(photo: Photo, line: int) -> Photo:
    """A photo as the loader makes it: with the line of its `src` (which editors cannot write)."""
    object.__setattr__(photo, "line", line)
    return photo


def story(path: Path, cover: str | None, body: str = "", cover_line: int = 12, body_line: int = 20) -> Story:
    return Story(
        path=path, slug=path.stem, title="Bài", date=dt.datetime(2026, 3, 14), summary="Tóm tắt.",
        kind=Kind.PERSON, body=body, body_line=body_line,
        cover=located(Photo(cover, "Ảnh bìa"), cover_line) if cover is not None else None,
    )


def profile(path: Path, photo: str, line: int = 7) -> Profile:
    return Profile(path=path, slug=path.stem, name="Nguyễn Văn A", kind=Kind.PERSON, summary="Hồ sơ.", body="",
                   body_line=10, photo=located(Photo(photo, "Chân dung"), line))


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project whose photos are in photos/ (`images_dir: photos`), not images/."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "photos" / "2026"
    folder.mkdir(parents=True)
    for name in ("a.jpg", "b.jpg"):
        (folder / name).write_bytes(photo_jpeg(1))
    (tmp_path / "outside.jpg").write_bytes(photo_jpeg(1))
    (tmp_path / "photos" / "2026" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    return tmp_path


def inline_images(item):
    """The photos of a body as the build finds them: parsed by the renderer."""
    bodies = Bodies(None)
    bodies.prepare([item], parallel=False)
    return list(bodies.photo_refs(item))


def pipeline_for(root: Path, folder: str = "photos") -> ImagePipeline:
    return ImagePipeline(root / folder, ImageSettings(widths=(16,), workers=1), project_root=root)


ITEMS = [
    story(STORY_A, "2026/khong-co.jpg", cover_line=12, body_line=20,
          body='Mở đầu.\n\n![Ảnh](2026/b.jpg)\n\n![Ảnh thiếu](2026/thieu.jpg "Chú thích")\n'
               "![Ảnh ngoài](https://example.vn/x.jpg)\n"),
    story(STORY_B, "../outside.jpg", body="![Liên kết](2026/link.jpg)\n", cover_line=9, body_line=15),
    profile(PROFILE, "2026/A.JPG", line=7),
    story(Path("content/stories/2026/bai-tot.md"), "2026/a.jpg", body="![Ảnh](2026/a.jpg)\n"),
]


def test_every_bad_reference_is_reported_with_file_line_and_field_in_the_images_folder(project):
    errors = check_references(pipeline_for(project), ITEMS, inline_images)
    assert [str(e) for e in errors] == [
        f"{STORY_A}:12: cover.src: photos/2026/khong-co.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp và thư mục",
        f"{STORY_A}:24: body: photos/2026/thieu.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp và thư mục",
        f"{STORY_B}:9: cover.src: photos/../outside.jpg: dẫn ra ngoài thư mục photos/ ('..'): hãy để ảnh trong photos/ "
        "và viết đường dẫn trong đó",
        f"{STORY_B}:15: body: photos/2026/link.jpg: là liên kết dẫn ra ngoài thư mục photos/: hãy chép ảnh vào photos/",
        f"{PROFILE}:7: photo.src: photos/2026/A.JPG: không có tệp ảnh này; có phải ý bạn là '2026/a.jpg'?",
    ]
    assert [(e.origin_path, e.origin_line, e.field) for e in errors][0] == (STORY_A, 12, "cover.src")


def test_good_references_give_no_error_and_images_is_not_looked_at(project):
    good = [ITEMS[-1]]
    assert check_references(pipeline_for(project), good, inline_images) == []
    (project / "images" / "2026").mkdir(parents=True)  # the default folder, with other photos
    (project / "images" / "2026" / "khong-co.jpg").write_bytes(photo_jpeg(1))
    assert [e.src for e in check_references(pipeline_for(project), ITEMS, inline_images)][0] == "2026/khong-co.jpg"
    in_images = check_references(pipeline_for(project, "images"), good, inline_images)
    assert [str(e) for e in in_images] == [
        "content/stories/2026/bai-tot.md:12: cover.src: images/2026/a.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp và thư mục",
        "content/stories/2026/bai-tot.md:20: body: images/2026/a.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp và thư mục",
    ]


def test_checking_reads_decodes_and_writes_nothing(project, monkeypatch):
    opened = []
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a))
    hashed = []
    monkeypatch.setattr(pipeline_module, "content_digest", lambda data: hashed.append(data))
    calls = count_fs_calls(monkeypatch)
    errors = check_references(pipeline_for(project), ITEMS, inline_images)
    monkeypatch.undo()
    assert len(errors) == 5 and opened == [] and hashed == []
    assert [c for c in calls if c[0] == "open"] == []  # not even the cache's manifest
    assert not (project / ".cache").exists()


def test_the_source_of_inline_references_can_be_swapped(project):
    def from_parsed_markdown(item):
        yield ("2026/khong-co-anh-nay.jpg", item.body_line + 1) if isinstance(item, Story) else ("2026/a.jpg", 11)

    items = [story(STORY_A, None, body="![không dùng](2026/thieu.jpg)"), profile(PROFILE, "2026/a.jpg")]
    assert [str(e) for e in check_references(pipeline_for(project), items, from_parsed_markdown)] == [
        f"{STORY_A}:21: body: photos/2026/khong-co-anh-nay.jpg: không có tệp ảnh này: hãy kiểm tra tên tệp và thư mục",
    ]


def test_the_build_reports_the_same_problems(project):
    pipeline = pipeline_for(project)
    with pytest.raises(ImageErrors) as info:
        pipeline.process_all(photo_requests(pipeline, ITEMS, inline_images))
    checked = check_references(pipeline_for(project), ITEMS, inline_images)
    assert sorted(map(str, info.value.errors)) == sorted(map(str, checked))


# --- `check` decodes the photos (once) ----------------------------------------------------------


def test_check_finds_a_damaged_photo_that_resolves_fine(tmp_project):
    from conftest import SITE_BUILDER, run_tool, story_text

    tmp_project.copy_image("2026/hong.jpg")
    tmp_project.copy_image("2026/tot.jpg")
    photo = tmp_project.root / "images" / "2026" / "hong.jpg"
    photo.write_bytes(photo.read_bytes()[:2000])  # truncated: the header is fine, the pixels are not
    path = tmp_project.add_story("bai", story_text(
        "Bài", "2026-03-14 08:30", extra="cover:\n  src: 2026/tot.jpg\n  alt: Ảnh tốt",
        body="Mở đầu.\n\n![Ảnh hỏng](2026/hong.jpg)"))
    line = path.read_text(encoding="utf-8").splitlines().index("![Ảnh hỏng](2026/hong.jpg)") + 1
    for _ in range(2):  # a bad photo is decoded (and reported) every time
        result = run_tool(SITE_BUILDER, "-f", tmp_project.config, "check")
        assert result.returncode == 1
        assert f"content/stories/2026/bai.md:{line}: body: images/2026/hong.jpg: " in result.stderr
    cache = ImagePipeline(tmp_project.root / "images", project_root=tmp_project.root).cache
    good = cache.digest_for_stat("2026/tot.jpg", *_size_mtime(tmp_project.root / "images/2026/tot.jpg"))
    assert good is None or cache.is_checked(good)  # remembered (when its mtime is old enough to trust)
    tmp_project.copy_image("2026/hong.jpg")
    assert run_tool(SITE_BUILDER, "-f", tmp_project.config, "check").returncode == 0


def _size_mtime(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def test_a_checked_photo_is_not_decoded_again(project, monkeypatch):
    pipeline = pipeline_for(project)
    source = project / "photos/2026/a.jpg"
    old = source.stat().st_mtime_ns - 10**10
    os.utime(source, ns=(old, old))  # old enough for its stat to be trusted
    requests = photo_requests(pipeline, [ITEMS[-1]], inline_images)
    assert pipeline.check_all(requests) == []
    decoded = []
    monkeypatch.setattr(pipeline_module, "run_check_job", lambda job: decoded.append(job) or None)
    again = pipeline_for(project)
    assert again.check_all(photo_requests(again, [ITEMS[-1]], inline_images)) == [] and decoded == []


@pytest.mark.parametrize("src, fragment", [
    ("/etc/passwd", "là đường dẫn tuyệt đối: hãy viết đường dẫn bên trong photos/"),
    ("C:/anh/a.jpg", "là đường dẫn tuyệt đối: hãy viết đường dẫn bên trong photos/"),
    ("../content/stories/2026/bai-a.md", "dẫn ra ngoài thư mục photos/"),
    ("2026/../../secret.jpg", "dẫn ra ngoài thư mục photos/"),
    ("https://example.com/a.jpg", "là địa chỉ web: hãy chép ảnh vào thư mục photos/"),
    ("2026\\a.jpg", "'/'"),
])
def test_a_cover_path_outside_the_photo_folder_is_refused_on_its_line(project, src, fragment):
    (error,) = check_references(pipeline_for(project), [story(STORY_A, src, cover_line=25)], inline_images)
    assert (error.origin_line, error.field) == (25, "cover.src") and fragment in error.message, error.message


def test_a_link_inside_the_photo_folder_is_fine(project):
    (project / "photos" / "inside-link.jpg").symlink_to(project / "photos" / "2026" / "a.jpg")
    assert check_references(pipeline_for(project), [story(STORY_A, "inside-link.jpg")], inline_images) == []


# --- what staff see in a failed build -----------------------------------------------------------

BUILD_PHOTO_ERRORS = {
    "vi": [
        "LỖI      - 2 lỗi ảnh (mỗi lỗi có ghi cách sửa):",
        "  content/stories/2026/bai.md:7: cover.src: images/2026/hong.jpg: tệp này không phải ảnh: hãy dùng ảnh JPEG, "
        "PNG, WebP hoặc HEIC",
        "  content/stories/2026/bai.md:{line}: body: images/2026/Tot.JPG: không có tệp ảnh này; có phải ý bạn là "
        "'2026/tot.jpg'?",
        "Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên. Hãy sửa các lỗi ở trên rồi dựng lại.",
    ],
    "en": [
        "ERROR    - 2 photo errors (each one says what to do):",
        "  content/stories/2026/bai.md:7: cover.src: images/2026/hong.jpg: the file is not a photo: use a JPEG, PNG, "
        "WebP or HEIC photo",
        "  content/stories/2026/bai.md:{line}: body: images/2026/Tot.JPG: there is no such photo; did you mean "
        "'2026/tot.jpg'?",
        "The build failed; the site built before is kept. Correct the errors above, then build again.",
    ],
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_failed_build_lists_its_photo_errors_in_the_staffs_language(tmp_project, language):
    """Every line of a build stopped by photos is Vietnamese and says what to do; English with LANG=en."""
    from conftest import ENV, SITE_BUILDER, english_env, run_tool, story_text

    tmp_project.copy_image("2026/tot.jpg")
    (tmp_project.root / "images" / "2026" / "hong.jpg").write_bytes(b"not a photo")
    path = tmp_project.add_story("bai", story_text(
        "Bài", "2026-03-14 08:30", extra="cover:\n  src: 2026/hong.jpg\n  alt: Ảnh hỏng",
        body="Mở đầu.\n\n![Ảnh](2026/Tot.JPG)"))
    line = path.read_text(encoding="utf-8").splitlines().index("![Ảnh](2026/Tot.JPG)") + 1
    result = run_tool(SITE_BUILDER, "-f", tmp_project.config, "build", cwd=tmp_project.root,
                      env=ENV if language == "vi" else english_env())
    assert result.returncode == 1
    assert result.stderr.splitlines() == [text.format(line=line) for text in BUILD_PHOTO_ERRORS[language]], result.stderr
