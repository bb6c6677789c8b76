"""A full disk: a clear message naming the folder and the space, no partial cache entry, the last site kept.

Each test runs the real `site-builder` in a private mount namespace on a small tmpfs
(`unshare -m`), so the disk really fills up; where mounting is not allowed, they are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ENV, SITE_BUILDER, english_env, story_text

UNSHARE = shutil.which("unshare")


def _in_small_disk(mount: str, size_kb: int, script: str, cwd, env=None) -> subprocess.CompletedProcess:
    command = f"mount -t tmpfs -o size={size_kb}k tmpfs '{mount}' && {script}"
    return subprocess.run([UNSHARE, "-m", "sh", "-c", command], cwd=cwd, env=env or english_env(),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def small_disks_allowed(tmp_path):
    if UNSHARE is None:
        pytest.skip("no unshare here")
    probe = tmp_path / "probe"
    probe.mkdir()
    if _in_small_disk(str(probe), 64, "true", tmp_path).returncode != 0:
        pytest.skip("mounting a tmpfs in a private namespace is not allowed here")


#: What a full disk says (the folder, the free space, what to do), Vietnamese unless English is asked for.
FULL = {
    "vi": (r"^(LỖI +- |Lỗi: )hết dung lượng đĩa: không ghi được vào .*/small/\S+ \(còn trống \d+(\.\d)? [KMG]?B"
           r"(; cần thêm ít nhất \d+(\.\d)? [KMG]?B)?\)\. Hãy giải phóng bớt dung lượng trên đĩa này \(hoặc chọn "
           r"thư mục khác\) rồi chạy lại lệnh; chưa có gì được xuất bản$",
           "Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên."),
    "en": (r"^(ERROR +- |Error: )the disk is full: cannot write into .*/small/\S+ \(\d+(\.\d)? [KMG]?B free(; at least "
           r"\d+(\.\d)? [KMG]?B more is needed)?\)\. Free some space on this disk \(or set another folder\) and run "
           r"the command again; nothing was published$",
           "The build failed; the site built before is kept."),
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_full_site_disk_keeps_the_last_site_and_says_so(tmp_project, small_disks_allowed, language):
    tmp_project.add_story("bai", story_text("Bài", "2026-03-14 08:30"))
    assert tmp_project.build().returncode == 0  # a good site, and a warm cache
    good = tmp_project.root / "site"
    good_kb = sum(p.stat().st_blocks * 512 for p in good.rglob("*") if p.is_file()) // 1024  # small files: blocks
    mount = tmp_project.root / "small"
    mount.mkdir()
    tmp_project.add_story("bai-moi", story_text("Bài mới", "2026-03-15 08:30"))
    script = (f"cp -a '{good}' '{mount}/site' && "
              f"'{SITE_BUILDER}' -f '{tmp_project.config}' build -d '{mount}/site'; echo \"exit=$?\"; "
              f"diff -r '{good}' '{mount}/site' >/dev/null && echo same-site; ls -a '{mount}'")
    result = _in_small_disk(str(mount), good_kb + 300, script, tmp_project.root,
                            ENV if language == "vi" else english_env())
    out = result.stdout + result.stderr
    assert "exit=1" in out and "same-site" in out, out
    full, kept = FULL[language]
    assert re.search(full, result.stderr, re.MULTILINE) and kept in result.stderr, out
    assert "Traceback" not in out, out
    assert "staging" not in result.stdout, out  # the half-built staging folder was removed


def test_a_full_cache_disk_leaves_no_partial_cache_entry(tmp_project, small_disks_allowed):
    from PIL import Image

    mount = tmp_project.root / "small"
    mount.mkdir()
    shutil.rmtree(tmp_project.root / ".cache", ignore_errors=True)
    folder = tmp_project.root / "images" / "2026"
    folder.mkdir(parents=True)
    for i in range(3):  # noise does not compress: its variants fill the small cache disk
        Image.effect_noise((2400, 1600), 80).convert("RGB").save(folder / f"anh-{i}.jpg", quality=95)
    body = "\n\n".join(f"![Ảnh {i}](2026/anh-{i}.jpg)" for i in range(3))
    tmp_project.add_story("bai", story_text("Bài", "2026-03-14 08:30", body=body))
    project = tmp_project.root
    script = (f"mkdir -p '{mount}/cache' && ln -s '{mount}/cache' '{project}/.cache' && "
              f"'{SITE_BUILDER}' -f '{tmp_project.config}' build; echo \"exit=$?\"; "
              f"find '{mount}/cache' -name '*.tmp' | sed 's/^/leftover: /'; "
              f"find '{mount}/cache' -type f -size 0 ! -name .complete | sed 's/^/empty: /'")
    result = _in_small_disk(str(mount), 1200, script, project)
    out = result.stdout + result.stderr
    assert "exit=1" in out and "the disk is full" in out and "Traceback" not in out, out
    assert "leftover:" not in out and "empty:" not in out, out
    assert not (project / "site").exists()
