"""Fault injection: the build is killed (SIGKILL) at each named point of site_builder.faults.

Each time, `site/` must still be the last good site (or, killed after the swap, the new
one, whole), no process of the build may survive, and the next build must succeed and
leave no folder behind. `bench/faults.py` runs the same at random moments for longer.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import SITE_BUILDER, TmpProject, english_env, story_text
from faultkit import leftovers, snapshot, wait_for_no_survivors
from site_builder.faults import POINTS

#: Points reached in a forked worker only when a site is large enough to have workers.
WORKER_POINTS = {"pages.worker", "bodies.worker", "precompress.worker"}
#: Points in the build's process on a small site, in a forked worker on a large one.
FORKED_WHEN_LARGE = {"outputs"}


def run_build(project: TmpProject, fault: str | None, marker: str) -> subprocess.CompletedProcess:
    env = english_env(GS_FAULT_RUN=marker)
    if fault:
        env["GUONGSANG_FAULT"] = fault
    return subprocess.run([str(SITE_BUILDER), "-f", str(project.config), "build"], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=300)


def cold_caches(root: Path, fault: str) -> None:
    """Empty the cache the point's stage uses, so that the stage really works when it is killed."""
    stage = {"photos": "images", "cards": "images", "bodies": "bodies", "search": "search",
             "precompress": "compress"}.get(fault.split(".")[0])
    if stage:
        subprocess.run(["rm", "-rf", str(root / ".cache" / stage)], check=True)


def kill_and_recover(project: TmpProject, fault: str, stories: int) -> None:
    root = project.root
    before = snapshot(root / "site")
    project.add_story(f"bai-them-{fault.replace('.', '-')}", story_text(f"Bài thêm {fault}", "2026-04-01 08:00"))
    cold_caches(root, fault)
    marker = uuid.uuid4().hex
    killed = run_build(project, fault, marker)
    output = killed.stdout + killed.stderr
    assert killed.returncode != 0, f"{fault}: the build was not stopped\n{output}"
    assert "Traceback" not in killed.stdout
    assert wait_for_no_survivors(marker) == [], f"{fault}: processes of the killed build survive"
    after = snapshot(root / "site")
    if fault == "publish.after":  # killed once the new site was in place: the new one, whole
        assert after != before and "index.html" in after and "bai-viet/bai-them-publish-after/index.html" in after
    else:
        assert after == before, f"{fault}: the last good site was changed"
    recovered = run_build(project, None, uuid.uuid4().hex)
    assert recovered.returncode == 0, f"{fault}: the next build failed\n{recovered.stdout}{recovered.stderr}"
    assert (root / "site" / "bai-viet" / f"bai-them-{fault.replace('.', '-')}" / "index.html").is_file()
    assert leftovers(root) == [], f"{fault}: folders left behind: {leftovers(root)}"


def make_project(root: Path, stories: int) -> TmpProject:
    from PIL import Image

    project = TmpProject(root)
    for i in range(2):
        project.copy_image(f"2026/anh-{i}.jpg")
    for i in range(4):  # large photos keep the photo workers busy when the build is killed
        Image.effect_noise((3000, 2000), 60).convert("RGB").save(root / "images" / "2026" / f"lon-{i}.jpg")
    for i in range(stories):
        cover = f"cover:\n  src: 2026/anh-{i % 2}.jpg\n  alt: Ảnh {i}" if i % 3 else ""
        project.add_story(f"bai-{i:04d}", story_text(f"Bài {i}", f"2026-03-{1 + i % 28:02d} 08:{i % 60:02d}",
                                                     extra=cover, body=f"Đoạn {i}.\n\n![Ảnh](2026/anh-{i % 2}.jpg)"))
    project.add_story("anh-lon", story_text("Ảnh lớn", "2026-02-01 08:00",
                                            body="\n\n".join(f"![Ảnh {i}](2026/lon-{i}.jpg)" for i in range(4))))
    result = run_build(project, None, uuid.uuid4().hex)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("faults") / "project", 6)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("faults-large") / "project", 820)


def test_there_are_at_least_twenty_kill_points():
    assert len(POINTS) >= 20


@pytest.mark.parametrize("fault", sorted(set(POINTS) - WORKER_POINTS))
def test_killed_at_a_point_the_site_and_the_next_build_are_fine(small, fault):
    kill_and_recover(small, fault, 6)


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(WORKER_POINTS | FORKED_WHEN_LARGE))
def test_a_killed_worker_of_a_large_site(large, fault):
    kill_and_recover(large, fault, 820)
