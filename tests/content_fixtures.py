"""A minimal valid project for content tests: vocabularies, one story, one profile, one image."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

STORY_PATH = "content/stories/2026/binh-xuyen-sang-tao.md"
PROFILE_PATH = "content/profiles/ca-nhan/nguyen-thi-phuong.md"
IMAGE_PATH = "images/2026/binh-xuyen-duong-hoa.jpg"

# Line numbers matter: tests assert them. Line 1 is "---".
STORY = """\
---
title: "Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác"
date: 2026-03-14 08:30
summary: >-
  Năm nay, Đảng bộ huyện Bình Xuyên có 80 mô hình hay.
kind: mo-hinh
people:
  - name: Nguyễn Thị Phượng
    role: Chủ nhiệm CLB phụ nữ thôn Thịnh Đức
    birth_year: 1972
    profile: nguyen-thi-phuong
organisation: Hội LHPN huyện Bình Xuyên
place:
  commune: xã Tân Phong
  district: huyện Bình Xuyên
  province: Vĩnh Phúc
fields: [Xây dựng Đảng, Văn hóa - Xã hội]
campaign: Học tập và làm theo Bác
recognition:
  - level: cap-tinh
    year: 2025
    title: Bằng khen của Chủ tịch UBND tỉnh
tags: [phụ nữ, nông thôn mới]
cover:
  src: 2026/binh-xuyen-duong-hoa.jpg
  alt: Hội viên phụ nữ chăm sóc đường hoa trong thôn
  caption: Chi hội phụ nữ thôn Ba Gò
  credit: Thành An
authors: [Thành An]
photographer: Thành An
source:
  outlet: Báo Vĩnh Phúc
  url: http://baovinhphuc.com.vn/
  date: 2019-05-10
featured: false
draft: false
expires: 2027-12-31
updated: 2026-03-20
slug: binh-xuyen-sang-tao
---
Markdown **body**.
"""

PROFILE = """\
---
name: Nguyễn Thị Phượng
kind: ca-nhan
summary: Chủ nhiệm CLB phụ nữ phòng chống tệ nạn xã hội.
role: Chủ nhiệm CLB
birth_year: 1972
organisation: Hội LHPN Bình Xuyên
place: {commune: xã Tân Phong, district: huyện Bình Xuyên, province: Vĩnh Phúc}
fields: [van-hoa-xa-hoi]
photo: {src: 2026/binh-xuyen-duong-hoa.jpg, alt: Chân dung bà Phượng}
consent: {by: nguoi, date: 2026-03-01, how: van-ban}
---
Tiểu sử.
"""

VOCABULARIES = {
    "fields": """\
- name: Xây dựng Đảng
  key: xay-dung-dang
  aliases: [Công tác Đảng]
  description: Công tác xây dựng Đảng.
- name: Văn hóa - Xã hội
""",
    "organisations": """\
- name: Hội LHPN huyện Bình Xuyên
  short_name: Hội LHPN Bình Xuyên
""",
    "campaigns": """\
- name: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
  key: hoc-tap-va-lam-theo-bac
  aliases: [Học tập và làm theo Bác]
""",
    "recognition_levels": """\
- name: Cấp tỉnh
  key: cap-tinh
- name: Cấp trung ương
  key: cap-trung-uong
""",
}


def write(root: Path, rel: str, text: str) -> Path:
    """Write `text` (UTF-8) at `root`/`rel`, creating folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(root: Path, rel: str, old: str, new: str) -> Path:
    """Replace `old` (which must occur) by `new` in the file at `rel`."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def make_image(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 3), (200, 120, 40)).save(path, "JPEG")
    return path


def make_project(root: Path) -> Path:
    """Create the minimal valid project in `root` and return `root`."""
    for name, text in VOCABULARIES.items():
        write(root, f"content/vocabularies/{name}.yml", text)
    write(root, STORY_PATH, STORY)
    write(root, PROFILE_PATH, PROFILE)
    make_image(root / IMAGE_PATH)
    return root
