"""End-to-end fixtures: the demo site built once per session, its catalog, tmp projects.

- `built_site`: `site-builder -f <repo>/mkdocs.yml build -d <tmp>/site`, run once (exit 0 asserted).
- `page("bai-viet/<slug>/")`: a built page as BeautifulSoup (cached).
- `demo_catalog`: the demo content's catalog, built with the same Vietnam "now" as the build,
  so tests compare the HTML with the content instead of hard-coding values.
- `tmp_project`: small throw-away projects (demo config, theme and vocabularies) for extra builds.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from site_builder import i18n

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SITE_BUILDER = BIN / "site-builder"
MKDOCS = BIN / "mkdocs"
PROPERDOCS = BIN / "properdocs"
# Messages are Vietnamese (what staff read) whatever the developer's locale; tests that want
# English ask for it (`english` fixture, `--lang en`, LANG=en).
i18n.set_language("vi")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "LANGUAGE": "vi"}

# The seed story of the demo (file name; its URL slug may be fixed by `slug:` in the front matter).
SEED_STORY_FILE = "binh-xuyen-nhieu-sang-tao-trong-hoc-tap-va-lam-theo-bac.md"

_FAKE_ORIGIN = "http://site.invalid/"


def run_tool(
    tool: Path, *args: object, cwd: Path | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a console script of the venv; text output, never raises on a non-zero exit."""
    return subprocess.run(
        [str(tool), *map(str, args)],
        cwd=cwd,
        env=ENV if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def english_env(**extra: str) -> dict[str, str]:
    """The tools' environment with LANG=en as the only language setting."""
    env = {k: v for k, v in ENV.items() if k not in i18n.ENVIRONMENT}
    return {**env, "LANG": "en", **extra}


@pytest.fixture
def english():
    """Messages in English for one test (they are Vietnamese otherwise)."""
    i18n.set_language("en")
    yield
    i18n.set_language("vi")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_path(page_url: str, href: str | None) -> str | None:
    """Resolve `href` found on the page at `page_url` (site-relative, e.g. "bai-viet/x/")
    to a site-relative path; None for links to other sites, mailto:, javascript:..."""
    if href is None:
        return None
    joined = urlsplit(urljoin(_FAKE_ORIGIN + page_url, href))
    if f"{joined.scheme}://{joined.netloc}/" != _FAKE_ORIGIN:
        return None
    return joined.path.lstrip("/")


def lead_figure(doc):
    """A story's lead photo: the <figure> placed directly in the article (not in its body)."""
    return doc.select_one("article.gs-article > figure")


def text_of(tag) -> str:
    """Visible text with whitespace collapsed."""
    return " ".join(tag.get_text(" ").split())


@dataclass(eq=False)
class BuiltSite:
    dir: Path
    stdout: str
    stderr: str
    _pages: dict = field(default_factory=dict, repr=False)

    def file(self, url: str) -> Path:
        """The file serving `url` ("" is the home page; "404.html" a file)."""
        if url == "" or url.endswith("/"):
            return self.dir / url / "index.html"
        return self.dir / url

    def exists(self, url: str) -> bool:
        return self.file(url).is_file()

    def page(self, url: str) -> BeautifulSoup:
        """The page at `url`, parsed once (tests must not modify the tree)."""
        if url not in self._pages:
            path = self.file(url)
            assert path.is_file(), f"no page at /{url} ({path})"
            self._pages[url] = soup_of(path)
        return self._pages[url]

    def links(self, tag, page_url: str) -> list[str]:
        """Site-relative targets of the `<a href>` inside `tag` (external links left out)."""
        out = []
        for a in tag.find_all("a", href=True):
            target = site_path(page_url, a["href"])
            if target is not None:
                out.append(target)
        return out

    def all_pages(self) -> dict[str, BeautifulSoup]:
        """Every HTML page of the site, parsed (url → soup)."""
        return {url: self.page(url) for url in self.html_urls()}

    def html_urls(self, redirects: bool = False) -> list[str]:
        """URL of every HTML page of the site ("404.html" for that one); with `redirects`, of the
        redirect pages instead (a meta refresh to another page, e.g. a former place page's)."""
        urls = []
        for path in sorted(self.dir.rglob("*.html")):
            if ('<meta http-equiv="refresh"' in path.read_text(encoding="utf-8")) != redirects:
                continue
            rel = path.relative_to(self.dir).as_posix()
            urls.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        return urls


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The demo site, built once per session with the real CLI."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "build", "-d", out)
    assert result.returncode == 0, f"demo build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(out, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def page(built_site):
    """`page("bai-viet/<slug>/")` → BeautifulSoup of that built page."""
    return built_site.page


@pytest.fixture(scope="session")
def build_now(built_site) -> dt.datetime:
    """Vietnam time of the build (taken right after it; the demo has no story near that instant)."""
    from site_builder.vietnamese import now_in_vietnam

    return now_in_vietnam()


@pytest.fixture(scope="session")
def demo_content():
    from site_builder.content import load_content

    return load_content(REPO)


@pytest.fixture(scope="session")
def demo_catalog(demo_content, build_now):
    from site_builder.catalog import build_catalog

    return build_catalog(demo_content, build_now)


@pytest.fixture(scope="session")
def demo_config() -> dict:
    """mkdocs.yml of the demo (plain YAML) with `plugin` = the site_builder options."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p["site_builder"] for p in config["plugins"] if isinstance(p, dict) and "site_builder" in p)
    return {**config, "plugin": plugin}


@pytest.fixture(scope="session")
def seed_story(demo_catalog):
    matches = [s for s in demo_catalog.stories if s.path.name == SEED_STORY_FILE]
    assert len(matches) == 1, f"seed story content/stories/*/{SEED_STORY_FILE} is not published"
    return matches[0]


# --- small throw-away projects ------------------------------------------------------


def story_text(
    title: str,
    date: dt.datetime | str,
    *,
    kind: str = "ca-nhan",
    summary: str = "Tóm tắt ngắn của bài viết.",
    body: str = "Nội dung bài viết.",
    extra: str = "",
) -> str:
    """A story file; `extra` is raw YAML appended to the front matter."""
    when = date if isinstance(date, str) else date.strftime("%Y-%m-%d %H:%M")
    lines = ["---", f"title: {yaml_str(title)}", f"date: {when}", f"summary: {yaml_str(summary)}", f"kind: {kind}"]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines += ["---", body, ""]
    return "\n".join(lines)


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar."""
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10_000).strip()


class TmpProject:
    """A project folder with the demo's mkdocs.yml, theme (symlink) and vocabularies."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        (root / "themes").symlink_to(REPO / "themes", target_is_directory=True)
        shutil.copytree(REPO / "content" / "vocabularies", root / "content" / "vocabularies")
        (root / "content" / "stories").mkdir(parents=True)
        (root / "images").mkdir()
        for cache in ("fonts", "images", "compress"):  # subsetting fonts, resizing photos, compressing the theme
            source = REPO / ".cache" / cache
            if source.is_dir():
                try:
                    shutil.copytree(source, root / ".cache" / cache)
                except shutil.Error:
                    pass  # a concurrent build changed the cache: a cold cache only costs time

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def add_story(self, slug: str, text: str, year: int | None = None) -> Path:
        """Write content/stories/<year>/<slug>.md; the year defaults to that of the `date:` line."""
        if year is None:
            year = int(next(line for line in text.splitlines() if line.startswith("date:")).split()[1][:4])
        return self.write(f"content/stories/{year}/{slug}.md", text)

    def copy_image(self, src: str, demo_src: str = "2026/binh-xuyen-duong-hoa.jpg") -> None:
        """Copy a demo photo to images/<src>."""
        target = self.root / "images" / src
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "images" / demo_src, target)

    def copy_demo_story(self, rel: str) -> Path:
        """Copy a demo story (path under content/stories/) and its cover image."""
        source = REPO / "content" / "stories" / rel
        text = source.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---", 2)[1])
        if front.get("cover"):
            self.copy_image(front["cover"]["src"], front["cover"]["src"])
        target = self.root / "content" / "stories" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def build(self, *args: object, site: str = "site", tool: Path = SITE_BUILDER) -> subprocess.CompletedProcess:
        if tool == SITE_BUILDER:
            return run_tool(tool, "-f", self.config, "build", "-d", self.root / site, *args, cwd=self.root)
        return run_tool(tool, "build", "-f", self.config, "-d", self.root / site, *args, cwd=self.root)


@pytest.fixture
def tmp_project(tmp_path) -> TmpProject:
    return TmpProject(tmp_path / "project")


def low_memory_pagefind(folder: Path) -> Path:
    """The real Pagefind binary, run as a service with too little memory to index: it crashes
    (aborts or panics, as out of memory), for the tests of what a failed search index reports."""
    from site_builder.search import find_binary

    script = folder / "pagefind-low-memory"
    script.write_text(f'#!/bin/sh\nif [ "$1" = --service ]; then ulimit -v 30000; fi\nexec "{find_binary(REPO)}" "$@"\n')
    script.chmod(0o755)
    return script


#: How SearchIndexError describes that crash, in English and (by default) in Vietnamese.
PAGEFIND_CRASH = (r"the Pagefind binary .*pagefind-low-memory (was killed by SIG[A-Z]+( \(out of memory\?\))?|exited "
                  r"with code \d+) while (creating an index|indexing record \d+ of \d+|building the bundle's files): "
                  r"run the command again; if it happens again, tell the technical staff( \(it printed: .+\))?")
PAGEFIND_CRASH_VI = (r"chương trình Pagefind .*pagefind-low-memory (bị dừng bởi SIG[A-Z]+( \(có thể do hết bộ nhớ\))?|"
                     r"thoát với mã lỗi \d+) khi (tạo chỉ mục|lập chỉ mục bản ghi \d+/\d+|tạo các tệp của gói): "
                     r"hãy chạy lại lệnh; nếu vẫn lỗi, hãy báo cho bộ phận kỹ thuật( \(nó in ra: .+\))?")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) from a background thread; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
