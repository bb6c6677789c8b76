"""Every path setting is honoured: the demo moved to other folders builds the same site."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SITE_BUILDER, run_tool


def _copy_demo(root: Path) -> Path:
    root.mkdir(parents=True)
    for part in ("mkdocs.yml", "content", "images"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
    (root / "themes").symlink_to(REPO / "themes", target_is_directory=True)
    if (REPO / ".cache" / "fonts").is_dir():
        shutil.copytree(REPO / ".cache" / "fonts", root / ".cache" / "fonts")
    return root


def _site(root: Path) -> dict[str, str]:
    result = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "build", cwd=root, timeout=300)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return _site(_copy_demo(tmp_path_factory.mktemp("paths") / "demo"))


def _set(config: Path, key: str, value: str) -> None:
    text = config.read_text(encoding="utf-8")
    if key == "images_dir":
        text = text.replace("  - site_builder:\n", f"  - site_builder:\n      images_dir: {value}\n")
    else:
        text = text.replace(f"{key}: content\n", f"{key}: {value}\n")
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("key, folder, moved", [
    ("images_dir", "images", "ảnh-gốc/tin-bài"),
    ("docs_dir", "content", "noi-dung"),
])
def test_a_moved_folder_with_its_setting_builds_the_same_site(reference, tmp_path, key, folder, moved):
    root = _copy_demo(tmp_path / "demo")
    (root / moved).parent.mkdir(parents=True, exist_ok=True)
    (root / folder).rename(root / moved)
    _set(root / "mkdocs.yml", key, moved)
    assert _site(root) == reference
    check = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "check", cwd=root)
    assert check.returncode == 0, check.stderr


def test_a_moved_folder_without_its_setting_says_where_it_looked(tmp_path):
    root = _copy_demo(tmp_path / "demo")
    (root / "images").rename(root / "photos")
    result = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "check", cwd=root)
    assert result.returncode == 1 and "images/2026/" in result.stderr
