"""Create new story and profile files for editors (never overwriting)."""

from __future__ import annotations

import datetime as dt
import errno
import json
from pathlib import Path

from ..i18n import _
from ..routes import urls
from ..vietnamese import VIETNAM_TZ, nfc, slugify
from .models import Kind
from .values import parse_profile_kind, parse_story_kind

MAX_SLUG = 80

_STORY = """\
---
title: {title}
date: {date}  # ngày đăng (giờ Việt Nam), ví dụ 2026-03-14 08:30
summary: Tóm tắt bài viết.  # sapo: 1–3 câu
kind: {kind}  # ca-nhan | tap-the | mo-hinh | tin-tong-hop
draft: true  # đổi thành false khi bài sẵn sàng xuất bản
slug: {slug}  # đường dẫn cố định: /bai-viet/{slug}/
# aliases:  # địa chỉ cũ (trang web trước đây, hoặc trước khi đổi slug): mỗi địa chỉ chuyển người đọc tới bài này
#   - /tin-tuc/ten-bai-cu-123456.html
#   - /bai-viet/slug-cu/
# people:
#   - name: Họ và tên
#     role: Chức vụ, vai trò
#     birth_year: 1972
#     profile: slug-ho-so
# organisation: Tên cơ quan, đơn vị (trong organisations.yml)
# place:
#   commune: xã ...
#   district: huyện ...
#   province: Tỉnh ...
# fields: [Lĩnh vực]  # trong fields.yml
# campaign: Tên phong trào  # trong campaigns.yml
# recognition:
#   - level: Cấp khen thưởng  # trong recognition_levels.yml
#     year: 2025
#     title: Bằng khen ...
# tags: [thẻ 1, thẻ 2]
# cover:
#   src: {year}/{slug}.jpg  # trong thư mục images/
#   alt: Mô tả nội dung ảnh
#   caption: Chú thích ảnh
#   credit: Tác giả ảnh
# authors: [Tên tác giả]
# photographer: Tên người chụp ảnh
---
Nội dung bài viết.
"""

_PROFILE = """\
---
name: {name}
kind: {kind}  # ca-nhan | tap-the | mo-hinh (phải khớp thư mục)
summary: Tóm tắt hồ sơ.  # một hoặc hai câu
draft: true  # đổi thành false khi hồ sơ sẵn sàng xuất bản
slug: {slug}  # đường dẫn cố định: /ho-so/{slug}/
# aliases:  # địa chỉ cũ: mỗi địa chỉ chuyển người đọc tới hồ sơ này
#   - /ho-so/slug-cu/
# role: Chức vụ, vai trò
# birth_year: 1972  # chỉ dùng cho cá nhân
# organisation: Tên cơ quan, đơn vị (trong organisations.yml)
# place:
#   commune: xã ...
#   province: Tỉnh ...
# fields: [Lĩnh vực]
# recognition:
#   - level: Cấp khen thưởng
#     year: 2025
#     title: Bằng khen ...
# photo:
#   src: ho-so/{slug}.jpg  # trong thư mục images/
#   alt: Mô tả nội dung ảnh
---
Giới thiệu, tiểu sử.
"""


def title_slug(text: str) -> str:
    """The slug of a title or name ("" when it has no letters or digits), at most MAX_SLUG long,
    cut at a word."""
    slug = slugify(text)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    return slug


def slug_for(text: str, what: str) -> str:
    """The slug of a new story or profile named `text` (80 characters at most); ValueError (a
    message for staff) when `text` has no letters or digits or gives a reserved slug."""
    slug = title_slug(text)
    if not slug:
        raise ValueError(
            _("{text!r} has no letters or digits to make a file name from: write a title with words").format(text=text)
        )
    if slug in urls.reserved_slugs(what):
        raise ValueError(
            _("{text!r} would give the slug {slug!r}, which is reserved for a page of the site: "
              "write a longer title").format(text=text, slug=slug)
        )
    return slug


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _refuse_existing(path: Path, same_slug: list[Path]) -> None:
    for existing in [path, *same_slug]:
        if existing.exists():
            raise FileExistsError(errno.EEXIST, _("the file already exists"), str(existing))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, _("the file already exists"), str(path)) from None
    return path


def new_story(
    root: Path,
    title: str,
    kind: Kind | str = "ca-nhan",
    today: dt.date | dt.datetime | None = None,
    content_dir: str | Path = "content",
) -> Path:
    """Write `<content_dir>/stories/<year>/<slug>.md` as a draft and return its path.

    Raises FileExistsError if that file, or a story with the same slug in
    another year folder, already exists; ValueError (with a message for the
    editor) for an unknown kind or a title that gives no usable slug.
    """
    title = nfc(title).strip()
    story_kind = parse_story_kind(kind.value if isinstance(kind, Kind) else kind)
    slug = slug_for(title, "story")
    if today is None:
        today = dt.datetime.now(VIETNAM_TZ).replace(tzinfo=None)
    date = f"{today:%Y-%m-%d %H:%M}" if isinstance(today, dt.datetime) else f"{today:%Y-%m-%d}"
    stories = Path(root) / content_dir / "stories"
    path = stories / str(today.year) / f"{slug}.md"
    _refuse_existing(path, sorted(stories.glob(f"*/{slug}.md")) + [stories / f"{slug}.md"])
    text = _STORY.format(title=_quote(title), date=date, kind=story_kind.value, slug=slug, year=today.year)
    return _write(path, text)


def new_profile(root: Path, name: str, kind: Kind | str, content_dir: str | Path = "content") -> Path:
    """Write `<content_dir>/profiles/<kind>/<slug>.md` as a draft and return its path.

    Raises FileExistsError if a profile with that slug already exists; ValueError
    as `new_story` does.
    """
    name = nfc(name).strip()
    profile_kind = parse_profile_kind(kind.value if isinstance(kind, Kind) else kind)
    slug = slug_for(name, "profile")
    profiles = Path(root) / content_dir / "profiles"
    path = profiles / profile_kind.value / f"{slug}.md"
    _refuse_existing(path, sorted(profiles.glob(f"*/{slug}.md")))
    text = _PROFILE.format(name=_quote(name), kind=profile_kind.value, slug=slug)
    return _write(path, text)
