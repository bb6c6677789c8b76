"""Synthetic Vietnamese stories for benchmarks: deterministic, realistic in shape.

`make_project(root, n)` writes a complete project (mkdocs.yml, vocabularies,
n stories, a few photos) that `site-builder build` accepts.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SYLLABLES = (
    "làm theo Bác học tập tư tưởng đạo đức phong cách Hồ Chí Minh đảng viên chi bộ thôn xã phường huyện "
    "tỉnh phụ nữ thanh niên nông dân cựu chiến binh mô hình điển hình tiêu biểu sáng kiến kinh nghiệm "
    "nông thôn mới đô thị văn minh an ninh trật tự quốc phòng giáo dục y tế môi trường chuyển đổi số "
    "sản xuất kinh doanh giỏi hộ nghèo nhà tình nghĩa đường hoa khu dân cư văn hóa thể thao khuyến học "
    "gia đình hạnh phúc tương thân tương ái nhân dân cán bộ công chức viên chức thi đua yêu nước cống hiến "
    "trách nhiệm nêu gương người đứng đầu tận tụy gần dân hiểu dân giúp dân học dân đoàn kết đồng lòng"
).split()

PROVINCES = {
    "Vĩnh Phúc": ["xã Sơn Lôi", "xã Trung Mỹ", "xã Tân Phong", "xã Thiện Kế", "phường Hương Canh", "xã Bá Hiến"],
    "Phú Thọ": ["xã Tiên Kiên", "phường Vân Phú", "xã Hy Cương", "xã Chu Hóa"],
    "Thái Nguyên": ["xã Phúc Xuân", "phường Tân Thịnh", "xã Quyết Thắng"],
    "Nghệ An": ["xã Kim Liên", "xã Nam Giang", "phường Hưng Dũng"],
    "An Giang": ["xã Mỹ Hòa Hưng", "phường Mỹ Bình", "xã Vĩnh Trường"],
}
# Editors reuse a limited set of tags; popularity is skewed (a few tags are on most stories).
TAGS = (
    "phụ nữ, thanh niên, nông thôn mới, đảng viên, cựu chiến binh, khuyến học, an sinh xã hội, "
    "người tốt việc tốt, dân vận khéo, chuyển đổi số, giảm nghèo, hiến đất làm đường, đường hoa, "
    "môi trường xanh, an ninh trật tự, phòng chống tệ nạn, xây dựng Đảng, học tập và làm theo Bác, "
    "gia đình văn hóa, khu dân cư kiểu mẫu, sản xuất giỏi, khởi nghiệp, hợp tác xã, OCOP, y tế cơ sở, "
    "hiến máu, nhà tình nghĩa, trẻ em, người cao tuổi, thể thao, văn nghệ, sáng kiến, cải cách hành chính, "
    "biên giới, biển đảo, dân quân tự vệ, công an xã, giáo viên, thầy thuốc, nông dân giỏi"
).split(", ")
KINDS = ("ca-nhan", "tap-the", "mo-hinh", "tin-tong-hop")
FIRST = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương".split()
MIDDLE = "Văn Thị Đức Minh Thu Quốc Ngọc Hữu".split()
LAST = "An Bình Cường Dũng Đông Hà Hải Hường Lan Mai Nam Phượng Quân Sơn Thảo Trang Tuấn Yến".split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(SYLLABLES) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(3, 6)))


def _tag(rng: random.Random) -> str:
    """A tag, Zipf-distributed over TAGS."""
    return TAGS[min(int(rng.paretovariate(1.2)) - 1, len(TAGS) - 1)]


def story_text(i: int, fields: list[str], orgs: list[str], photos: list[str]) -> str:
    """One story file's text (front matter + ~500-word body)."""
    rng = random.Random(i)
    province = rng.choice(list(PROVINCES))
    commune = rng.choice(PROVINCES[province])
    year = 2019 + i % 8
    title = _sentence(rng, rng.randint(8, 14)).rstrip(".")
    person = f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"
    body = []
    for section in range(3):
        body.append(f"## {_sentence(rng, 5).rstrip('.')}\n")
        body.extend(_paragraph(rng) + "\n" for _ in range(2))
    chosen = rng.sample(fields, k=rng.randint(1, 2))
    return "\n".join(
        [
            "---",
            f'title: "{title} {i}"',
            f"date: {year}-{1 + i % 12:02d}-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d}",
            f'summary: "{_sentence(rng, 30)}"',
            f"kind: {KINDS[i % 4]}",
            "people:",
            f"  - name: {person}",
            f"    role: {_sentence(rng, 4).rstrip('.')}",
            f"    consent: {{by: nguoi, date: {year}-01-01, how: van-ban}}",  # a site that records consents
            f"organisation: {rng.choice(orgs)}",
            f"place: {{commune: {commune}, province: {province}}}",
            f"fields: [{', '.join(chosen)}]",
            f"tags: [{', '.join(dict.fromkeys(_tag(rng) for _ in range(rng.randint(1, 3))))}]",
            "cover:",
            f"  src: {photos[i % len(photos)]}",
            f"  alt: {_sentence(rng, 8)}",
            f"  caption: {_sentence(rng, 12)}",
            "  credit: Thành An",
            "authors: [Thành An]",
            f"featured: {'true' if i % 97 == 0 else 'false'}",
            "---",
            "",
            *body,
        ]
    )


def make_project(root: Path, n: int, photos: int = 8) -> Path:
    """Write a buildable project with `n` stories under `root`; returns root."""
    import yaml
    from PIL import Image

    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "vocabularies", root / "content" / "vocabularies")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "themes").symlink_to(REPO / "themes")
    fields = [t["key"] for t in yaml.safe_load((root / "content/vocabularies/fields.yml").read_text("utf-8"))]
    orgs = [t["key"] for t in yaml.safe_load((root / "content/vocabularies/organisations.yml").read_text("utf-8"))]
    names = []
    for k in range(photos):
        name = f"bench/anh-{k}.jpg"
        path = root / "images" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (1600, 1000), (40 + 20 * k, 90, 160 - 10 * k)).save(path, quality=80)
        names.append(name)
    for i in range(n):
        text = story_text(i, fields, orgs, names)
        year = text.split("date: ", 1)[1][:4]
        path = root / "content" / "stories" / year / f"bai-{i:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
