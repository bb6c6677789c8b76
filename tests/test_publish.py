"""Publishing: the new site replaces the old one in one step; leftovers of dead builds are removed."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from site_builder import publish

DEAD = 2**22 + 1  # above pid_max: no such process


def _site(folder: Path, text: str) -> Path:
    (folder / "bai-viet").mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _not_interactive(monkeypatch):
    monkeypatch.setattr(publish, "_interactive", lambda: False)  # remove old sites before returning


def test_exchange_swaps_two_folders(tmp_path):
    a, b = _site(tmp_path / "a", "A"), _site(tmp_path / "b", "B")
    publish.exchange(a, b)
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"


def test_the_site_is_never_missing_while_it_is_replaced(tmp_path, monkeypatch):
    site = _site(tmp_path / "site", "old")
    staging = _site(publish.staging_dir_for(site), "new")
    seen = []
    real_rename, real_exchange = Path.rename, publish.exchange

    def rename(self, target):
        seen.append(site.is_dir())
        return real_rename(self, target)

    def exchange(a, b):
        seen.append(site.is_dir())
        real_exchange(a, b)
        seen.append(site.is_dir())

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(publish, "exchange", exchange)
    publish.swap_into_place(staging, site)
    assert seen and all(seen)
    assert (site / "index.html").read_text() == "new" and not site.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_an_atomic_exchange_the_site_becomes_a_link_switched_in_one_step(tmp_path, monkeypatch):
    def unsupported(a, b):
        raise OSError(errno.EINVAL, "not supported here")

    monkeypatch.setattr(publish, "exchange", unsupported)
    site = _site(tmp_path / "site", "first")
    publish.swap_into_place(_site(publish.staging_dir_for(site), "second"), site)
    assert site.is_symlink() and (site / "index.html").read_text() == "second"
    first_release = Path(os.path.realpath(site))
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append(Path(b)), real_replace(a, b)))
    publish.swap_into_place(_site(publish.staging_dir_for(site), "third"), site)
    assert replaced == [site]  # the switch is one rename of a new link over the old one
    assert (site / "index.html").read_text() == "third" and not first_release.exists()
    assert len(list(tmp_path.iterdir())) == 2  # the link and the current build's folder


def test_folders_of_dead_builds_are_removed_by_the_next_build(tmp_path):
    site = _site(tmp_path / "site", "old")
    dead_staging = _site(tmp_path / f".site-staging-{DEAD}", "half")
    alive_staging = _site(tmp_path / f".site-staging-{os.getppid()}", "another build, still running")
    staging = publish.staging_dir_for(site)
    assert not dead_staging.exists() and alive_staging.exists()
    dead_old = _site(tmp_path / f".site-old-{DEAD}", "never removed")
    publish.swap_into_place(_site(staging, "new"), site)
    assert not dead_old.exists() and (site / "index.html").read_text() == "new"
