"""`site-builder deploy DEST`: publish the built site as a release, switch to it in one step, roll back.

DEST is a local folder or an rsync/ssh target (``user@host:/srv/guongsang``). It holds:

    releases/<time>/     one complete site per deploy (UTC time of the deploy, so names sort by age)
    current -> releases/<time>     what the web server serves (its `root`)

A deploy uploads into ``releases/.partial-<time>/``, reusing every unchanged file of the newest
release (a hard link: locally `os.link` after comparing the bytes, remotely
``rsync --checksum --link-dest``), renames it to ``releases/<time>/`` and then points `current`
at it with one `rename` of a new symbolic link over the old one. Until that rename nothing the
server reads has changed, so an interrupted deploy leaves `current` as it was (the partial folder
is removed by the next deploy). The last `keep` releases are kept (never the current one);
`rollback` points `current` back at the release before it.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.i18n import _
from site_builder.routes import urls

RELEASES = "releases"
CURRENT = "current"
PARTIAL = ".partial-"
_RELEASE_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")
_REMOTE = re.compile(r"^(?:[^/:@\s]+@)?[^/:\s]+:")


class DeployError(RuntimeError):
    """A deploy or rollback that could not be done; the message says why and what to do."""


@dataclass
class Result:
    """What a deploy did: the release, files written and reused, bytes written (or sent)."""

    release: str
    files: int = 0
    reused: int = 0
    bytes_written: int = 0
    rules_changed: bool = False
    first: bool = False
    removed: list[str] = field(default_factory=list)


def release_name(now: dt.datetime | None = None) -> str:
    """A new release's name: the UTC time, to the microsecond (``20261127T134755.123456Z``)."""
    return (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%S.%fZ")


def is_remote(dest: str) -> bool:
    """Whether `dest` names an rsync/ssh target (``host:path``, ``user@host:path``) rather than a folder."""
    return bool(_REMOTE.match(dest)) and not os.path.exists(dest)


def target(dest: str, rsh: str = "ssh") -> "LocalTarget | RemoteTarget":
    if is_remote(dest):
        host, _sep, path = dest.partition(":")
        return RemoteTarget(host, path or ".", rsh)
    return LocalTarget(Path(dest))


def deploy(site: Path, dest: "LocalTarget | RemoteTarget", keep: int = 5, now: dt.datetime | None = None) -> Result:
    """Upload `site` as a new release of `dest`, make it current, keep the newest `keep` releases."""
    if keep < 1:
        raise DeployError(_("--keep must be at least 1 (it is {keep})").format(keep=keep))
    site = Path(os.path.realpath(site))
    if not (site / "index.html").is_file():
        raise DeployError(_("{site} holds no built site (no index.html): run 'site-builder build' first")
                          .format(site=site))
    dest.prepare()
    releases = dest.releases()
    name = release_name(now)
    if releases and name <= releases[-1]:
        raise DeployError(_("the newest release {name} is not older than this deploy: check the computer's clock")
                          .format(name=releases[-1]))
    before = dest.current()
    result = dest.upload(site, name, releases[-1] if releases else None)
    dest.switch(name)
    result.first = before is None
    result.rules_changed = before is not None and dest.read(before, urls.SERVER_RULES) != dest.read(name, urls.SERVER_RULES)
    result.removed = prune(dest, keep)
    return result


def prune(dest: "LocalTarget | RemoteTarget", keep: int) -> list[str]:
    """Remove the oldest releases beyond `keep` (never the current one); returns their names."""
    current = dest.current()
    releases = dest.releases()
    old = [r for r in releases[: max(0, len(releases) - keep)] if r != current]
    dest.remove(old)
    return old


def rollback(dest: "LocalTarget | RemoteTarget") -> tuple[str, str, bool]:
    """Point `current` at the release before it; returns (from, to, whether the server rules differ)."""
    current = dest.current()
    releases = dest.releases()
    if current is None or current not in releases:
        raise DeployError(_("{dest} has no current release to roll back from").format(dest=dest))
    older = [r for r in releases if r < current]
    if not older:
        raise DeployError(_("{dest}: {release} is the oldest release kept: there is none to go back to")
                          .format(dest=dest, release=current))
    dest.switch(older[-1])
    return current, older[-1], dest.read(current, urls.SERVER_RULES) != dest.read(older[-1], urls.SERVER_RULES)


class LocalTarget:
    """Releases in a folder of this computer (or a mounted one)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __str__(self) -> str:
        return str(self.root)

    def prepare(self) -> None:
        (self.root / RELEASES).mkdir(parents=True, exist_ok=True)
        for leftover in (self.root / RELEASES).glob(PARTIAL + "*"):  # deploys that were interrupted
            shutil.rmtree(leftover, ignore_errors=True)

    def releases(self) -> list[str]:
        folder = self.root / RELEASES
        return sorted(p.name for p in folder.iterdir() if _RELEASE_NAME.match(p.name)) if folder.is_dir() else []

    def current(self) -> str | None:
        try:
            return Path(os.readlink(self.root / CURRENT)).name
        except OSError:
            return None

    def read(self, release: str, path: str) -> bytes | None:
        try:
            return (self.root / RELEASES / release / path).read_bytes()
        except OSError:
            return None

    def upload(self, site: Path, name: str, previous: str | None) -> Result:
        """Copy `site` into a partial release, hard-linking the files that `previous` has unchanged."""
        partial = self.root / RELEASES / f"{PARTIAL}{name}"
        base = self.root / RELEASES / previous if previous else None
        result = Result(name)
        for folder, dirs, names in os.walk(site):
            relative = os.path.relpath(folder, site)
            out = partial / relative if relative != "." else partial
            out.mkdir(parents=True, exist_ok=True)
            for file_name in names:
                source = os.path.join(folder, file_name)
                target = out / file_name
                old = base / relative / file_name if base is not None else None
                result.files += 1
                if old is not None and old.is_file() and filecmp.cmp(source, old, shallow=False):
                    os.link(old, target)
                    result.reused += 1
                else:
                    shutil.copy2(source, target)
                    result.bytes_written += os.path.getsize(target)
        os.rename(partial, self.root / RELEASES / name)
        return result

    def switch(self, release: str) -> None:
        """Point `current` at `release` in one step (a new link renamed over the old one)."""
        link = self.root / f".{CURRENT}-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(f"{RELEASES}/{release}", target_is_directory=True)
        os.replace(link, self.root / CURRENT)

    def remove(self, releases: list[str]) -> None:
        for release in releases:
            shutil.rmtree(self.root / RELEASES / release, ignore_errors=True)


class RemoteTarget:
    """Releases on another computer, reached with rsync over ssh (`rsh`, the remote shell command)."""

    def __init__(self, host: str, path: str, rsh: str = "ssh") -> None:
        self.host = host
        self.path = path
        self.rsh = rsh

    def __str__(self) -> str:
        return f"{self.host}:{self.path}"

    def _run(self, script: str, check: bool = True) -> str:
        command = [*shlex.split(self.rsh), self.host, f"cd {shlex.quote(self.path)} && {script}"]
        done = subprocess.run(command, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise DeployError(_("{dest}: the command on the server failed ({reason}): check that the folder exists "
                                "and that you may write in it").format(dest=self, reason=done.stderr.strip()
                                                                      or done.returncode))
        return done.stdout

    def prepare(self) -> None:
        command = [*shlex.split(self.rsh), self.host, f"mkdir -p {shlex.quote(self.path)}/{RELEASES}"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise DeployError(_("{dest}: cannot reach the server or make the folder ({reason})")
                              .format(dest=self, reason=done.stderr.strip() or done.returncode))
        self._run(f"rm -rf {RELEASES}/{PARTIAL}*")

    def releases(self) -> list[str]:
        return sorted(n for n in self._run(f"ls -1 {RELEASES}").split() if _RELEASE_NAME.match(n))

    def current(self) -> str | None:
        link = self._run(f"readlink {CURRENT} || true").strip()
        return os.path.basename(link) if link else None

    def read(self, release: str, path: str) -> bytes | None:
        text = self._run(f"cat {RELEASES}/{release}/{shlex.quote(path)} 2>/dev/null || true")
        return text.encode("utf-8") if text else None

    def upload(self, site: Path, name: str, previous: str | None) -> Result:
        """rsync `site` into a partial release; with --checksum, files equal to `previous`'s are hard links."""
        partial = f"{self.path.rstrip('/')}/{RELEASES}/{PARTIAL}{name}/"
        command = ["rsync", "--recursive", "--links", "--checksum", "--delete", "--stats", "-e", self.rsh]
        if previous:
            command.append(f"--link-dest=../{previous}")
        command += [f"{site}/", f"{self.host}:{partial}"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise DeployError(_("{dest}: rsync failed ({reason}); the current release was not changed")
                              .format(dest=self, reason=done.stderr.strip() or done.returncode))
        self._run(f"mv {RELEASES}/{PARTIAL}{name} {RELEASES}/{name}")
        stats = _rsync_stats(done.stdout)
        files = stats.get("Number of regular files transferred", 0)
        total = stats.get("regular files", stats.get("Number of files", 0))
        return Result(name, files=total, reused=max(0, total - files), bytes_written=stats.get("Total bytes sent", 0))

    def switch(self, release: str) -> None:
        link = f".{CURRENT}-new"
        self._run(f"ln -sfn {RELEASES}/{release} {link} && mv -T {link} {CURRENT}")

    def remove(self, releases: list[str]) -> None:
        if releases:
            self._run("rm -rf " + " ".join(f"{RELEASES}/{r}" for r in releases))


def _rsync_stats(output: str) -> dict[str, int]:
    """The figures of `rsync --stats` ("Number of files: 1,234 (reg: ...)" -> 1234)."""
    out = {}
    for line in output.splitlines():
        key, sep, value = line.partition(":")
        number = re.match(r"\s*([\d,.]+)", value)
        if sep and number:
            out[key.strip()] = int(number.group(1).replace(",", "").split(".")[0])
        regular = re.search(r"\(reg: ([\d,]+)", line) if key.strip() == "Number of files" else None
        if regular:
            out["regular files"] = int(regular.group(1).replace(",", ""))
    return out
