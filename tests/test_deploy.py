"""`site-builder deploy`: releases, the `current` link, unchanged files reused, rollback, keep,
interrupted deploys; a remote target through rsync (its remote shell run on this machine)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from conftest import SITE_BUILDER, run_tool
from site_builder import deploy
from site_builder.routes import urls


def make_site(folder: Path, home: str = "Trang chủ", rules: str = '{"version": 1}') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(f"<h1>{home}</h1>", encoding="utf-8")
    (folder / "assets").mkdir(exist_ok=True)
    (folder / "assets" / "anh.webp").write_bytes(os.urandom(50_000))
    (folder / "bai-viet" / "x").mkdir(parents=True, exist_ok=True)
    (folder / "bai-viet" / "x" / "index.html").write_text("<p>Bài x</p>" * 100, encoding="utf-8")
    (folder / "_server").mkdir(exist_ok=True)
    (folder / urls.SERVER_RULES).write_text(rules, encoding="utf-8")
    return folder


def at(second: int) -> dt.datetime:
    return dt.datetime(2026, 11, 27, 8, 0, second, tzinfo=dt.timezone.utc)


def served(dest: Path, path: str = "index.html") -> str:
    return (dest / "current" / path).read_text(encoding="utf-8")


def test_deploy_change_and_rollback_locally(tmp_path):
    site = make_site(tmp_path / "site")
    dest = deploy.target(str(tmp_path / "srv"))
    first = deploy.deploy(site, dest, now=at(1))
    assert first.first and first.files == 4 and first.reused == 0 and first.bytes_written > 50_000
    assert os.readlink(tmp_path / "srv" / "current") == f"releases/{first.release}"
    again = deploy.deploy(site, dest, now=at(2))
    assert (again.files, again.reused, again.bytes_written, again.rules_changed) == (4, 4, 0, False)
    old, new = (tmp_path / "srv" / "releases" / r for r in (first.release, again.release))
    assert (old / "assets" / "anh.webp").stat().st_ino == (new / "assets" / "anh.webp").stat().st_ino

    (site / "index.html").write_text("<h1>Trang chủ mới</h1>", encoding="utf-8")
    changed = deploy.deploy(site, dest, now=at(3))
    assert changed.reused == 3 and changed.bytes_written == len("<h1>Trang chủ mới</h1>".encode())
    assert served(tmp_path / "srv") == "<h1>Trang chủ mới</h1>"

    assert deploy.rollback(dest) == (changed.release, again.release, False)
    assert served(tmp_path / "srv") == "<h1>Trang chủ</h1>"
    deploy.rollback(dest)
    with pytest.raises(deploy.DeployError, match="oldest|cũ nhất"):
        deploy.rollback(dest)


def test_keep_removes_the_oldest_releases_but_never_the_current_one(tmp_path):
    site = make_site(tmp_path / "site")
    dest = deploy.target(str(tmp_path / "srv"))
    names = [deploy.deploy(site, dest, keep=2, now=at(i)).release for i in range(1, 5)]
    assert dest.releases() == names[-2:]
    deploy.rollback(dest)
    assert dest.current() == names[-2]
    result = deploy.deploy(site, dest, keep=1, now=at(9))
    assert dest.releases() == [result.release] and result.removed == names[-2:]


def test_rules_changes_are_said(tmp_path):
    dest = deploy.target(str(tmp_path / "srv"))
    deploy.deploy(make_site(tmp_path / "a"), dest, now=at(1))
    changed = deploy.deploy(make_site(tmp_path / "b", rules='{"version": 1, "gone": ["/x/"]}'), dest, now=at(2))
    assert changed.rules_changed
    assert deploy.rollback(dest)[2] is True


def test_an_interrupted_deploy_leaves_current_as_it_was(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    dest = deploy.target(str(tmp_path / "srv"))
    first = deploy.deploy(site, dest, now=at(1))
    (site / "index.html").write_text("<h1>Mới</h1>", encoding="utf-8")
    real_copy = shutil.copy2

    def copy_then_fail(source, target):
        real_copy(source, target)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deploy.shutil, "copy2", copy_then_fail)
    with pytest.raises(OSError):
        deploy.deploy(site, dest, now=at(2))
    assert dest.current() == first.release and served(tmp_path / "srv") == "<h1>Trang chủ</h1>"
    assert dest.releases() == [first.release]
    monkeypatch.setattr(deploy.shutil, "copy2", real_copy)
    second = deploy.deploy(site, dest, now=at(3))
    assert served(tmp_path / "srv") == "<h1>Mới</h1>"
    assert sorted(p.name for p in (tmp_path / "srv" / "releases").iterdir()) == [first.release, second.release]


def test_the_cli_deploys_and_rolls_back(tmp_path):
    site = make_site(tmp_path / "site")
    dest = tmp_path / "srv"
    out = run_tool(SITE_BUILDER, "deploy", dest, "--site", site)
    assert out.returncode == 0 and "Đã triển khai bản" in out.stdout and "bản đầu tiên" in out.stdout
    (site / "index.html").write_text("<h1>Hai</h1>", encoding="utf-8")
    assert run_tool(SITE_BUILDER, "deploy", dest, "--site", site).returncode == 0
    back = run_tool(SITE_BUILDER, "deploy", dest, "--rollback")
    assert back.returncode == 0 and "Đã quay lại" in back.stdout and served(dest) == "<h1>Trang chủ</h1>"
    empty = run_tool(SITE_BUILDER, "deploy", tmp_path / "srv2", "--site", tmp_path / "khong-co")
    assert empty.returncode == 1 and "site-builder build" in empty.stderr


@pytest.fixture
def fake_ssh(tmp_path) -> str:
    """A remote shell that runs the command on this machine (`ssh HOST COMMAND...` without ssh)."""
    if shutil.which("rsync") is None:
        if os.environ.get("CI"):
            pytest.fail("rsync is not installed (apt-get install rsync)")
        pytest.skip("rsync is not installed")
    script = tmp_path / "fake-ssh"
    script.write_text('#!/bin/sh\n[ "$1" = -l ] && shift 2\nshift\nexec sh -c "$*"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_remote_deploy_sends_only_what_changed(tmp_path, fake_ssh):
    site = make_site(tmp_path / "site")
    assert deploy.is_remote("web@gs.example.vn:/srv/guongsang") and not deploy.is_remote(str(tmp_path))
    dest = deploy.target(f"web@server:{tmp_path / 'remote'}", rsh=fake_ssh)
    first = deploy.deploy(site, dest, now=at(1))
    assert first.files == 4 and first.bytes_written > 50_000
    assert (tmp_path / "remote" / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Trang chủ</h1>"
    (site / "index.html").write_text("<h1>Đổi</h1>", encoding="utf-8")
    second = deploy.deploy(site, dest, now=at(2))
    assert second.reused == 3 and second.bytes_written < 5_000  # the photo is not sent again
    releases = tmp_path / "remote" / "releases"
    assert ((releases / first.release / "assets" / "anh.webp").stat().st_ino
            == (releases / second.release / "assets" / "anh.webp").stat().st_ino)
    assert (tmp_path / "remote" / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Đổi</h1>"
    assert deploy.rollback(dest)[1] == first.release
    assert (tmp_path / "remote" / "current" / "index.html").read_text(encoding="utf-8") == "<h1>Trang chủ</h1>"
