"""Acceptance of publishing: Debian's nginx, on 127.0.0.1, serving a deployed release with the
configuration `site-builder server-config nginx` prints; Chromium reports no CSP violation.

nginx and its Brotli module are installed from Debian when missing (`apt-get install nginx
libnginx-mod-http-brotli-static`, as root). The redirect (301) and the withdrawn story (410) come
from a rules file written by the test (`_server/rules.json`), as the build will write them when
stories get `aliases:` and can be withdrawn.
"""

from __future__ import annotations

import brotli
import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, SITE_BUILDER, TmpProject, run_tool
from site_builder import server_config
from site_builder.outputs.server_rules import ServerRules

pytestmark = pytest.mark.browser

NGINX_PACKAGES = ["nginx", "libnginx-mod-http-brotli-static"]
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
STORY = "2024/kim-lien-thang-nam-nho-bac.md"
SLUG = "kim-lien-thang-nam-nho-bac"
OLD_ADDRESS = "/tin-tuc/kim-lien-thang-nam-123.html"  # the story's `aliases:`: 301 from the build's rules
WITHDRAWN = "binh-xuyen-sang-tao"  # taken down with `site-builder unpublish`: 410 with its removal notice
ALIAS = "/tin-tuc/binh-xuyen-sang-tao.html"
GONE = "/bai-viet/bai-da-go/"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


def _install_nginx() -> str:
    """Debian's nginx with the Brotli static module, installed when missing."""
    if shutil.which("nginx") is None or not BROTLI_MODULE.is_file():
        if os.geteuid() != 0:
            _missing("nginx is not installed (apt-get install " + " ".join(NGINX_PACKAGES) + ")")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *NGINX_PACKAGES], env=env, check=True,
                       capture_output=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int, seconds: float = 10) -> bool:
    """Whether something accepts connections on 127.0.0.1:`port` within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def _get(port: int, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET `path` from 127.0.0.1:`port`: status, headers (lower-case names), body as sent."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


class Nginx:
    """nginx in the foreground on 127.0.0.1:`port`, with the generated site configuration."""

    def __init__(self, binary: str, folder: Path, site_conf: str, port: int) -> None:
        self.folder, self.port = folder, port
        (folder / "tmp").mkdir(parents=True, exist_ok=True)
        (folder / "site.conf").write_text(site_conf, encoding="utf-8")
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"load_module {BROTLI_MODULE};\n{user}worker_processes 1;\npid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {folder}/tmp;\n  proxy_temp_path {folder}/tmp;\n"
            f"  fastcgi_temp_path {folder}/tmp;\n  uwsgi_temp_path {folder}/tmp;\n  scgi_temp_path {folder}/tmp;\n"
            f"  include {folder}/site.conf;\n}}\n", encoding="utf-8")
        check = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                         "-g", "daemon off;"], stderr=subprocess.PIPE)
        if not _listening(port):
            self.stop()
            raise AssertionError(f"nginx did not start: {(folder / 'error.log').read_text()}")

    def get(self, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
        return _get(self.port, path, encoding)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _cli(*args: object, cwd: Path) -> str:
    result = run_tool(SITE_BUILDER, *args, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Nginx, TmpProject, Path]]:
    binary = _install_nginx()
    project = TmpProject(tmp_path_factory.mktemp("nginx") / "project")
    shutil.copytree(REPO / "content", project.root / "content", dirs_exist_ok=True)  # the demo site
    shutil.copytree(REPO / "images", project.root / "images", dirs_exist_ok=True)
    _cli("-f", project.config, "unpublish", WITHDRAWN, "--reason", "Theo yêu cầu của gia đình", cwd=project.root)
    story = project.root / "content" / "stories" / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("---\n", f"---\naliases:\n  - {OLD_ADDRESS}\n", 1),
                     encoding="utf-8")
    assert project.build().returncode == 0
    rules_file = project.root / "site" / "_server" / "rules.json"
    rules = json.loads(rules_file.read_text(encoding="utf-8"))
    rules["redirects"].append({"from": ALIAS, "to": f"/bai-viet/{SLUG}/"})
    rules["gone"].append(GONE)
    rules_file.write_text(json.dumps(rules), encoding="utf-8")
    dest = project.root.parent / "srv"
    _cli("-f", project.config, "deploy", dest, cwd=project.root)
    port = _free_port()
    conf = _cli("-f", project.config, "server-config", "nginx", "--site", dest / "current", "--root", dest / "current",
                "--listen", f"127.0.0.1:{port}", cwd=project.root)
    server = Nginx(binary, project.root.parent / "nginx", conf, port)
    try:
        yield server, project, dest
    finally:
        server.stop()


def test_precompressed_files_are_served_as_they_are(served):
    server, project, dest = served
    page = (dest / "current" / "bai-viet" / SLUG / "index.html").read_bytes()
    status, headers, body = server.get(f"/bai-viet/{SLUG}/", "br")
    assert status == 200 and headers["content-encoding"] == "br"
    assert body == (dest / "current" / "bai-viet" / SLUG / "index.html.br").read_bytes()
    assert brotli.decompress(body) == page
    status, headers, body = server.get(f"/bai-viet/{SLUG}/", "gzip")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == page
    status, headers, body = server.get(f"/bai-viet/{SLUG}/")
    assert "content-encoding" not in headers and body == page
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "accept-encoding" in headers["vary"].lower()


def test_cache_headers_types_and_security_headers(served):
    server, _project, dest = served
    site = dest / "current"
    _status, home, _body = server.get("/")
    assert home["cache-control"] == "public, max-age=300"
    assert home["x-content-type-options"] == "nosniff"
    assert home["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "'wasm-unsafe-eval'" in home["content-security-policy"]
    assert "'unsafe-inline'" not in home["content-security-policy"].split("style-src")[0]
    (css,) = [p.relative_to(site).as_posix() for p in (site / "assets").glob("guong-sang.*.css")]
    (font,) = [p.relative_to(site).as_posix() for p in (site / "assets" / "fonts").glob("be-vietnam-pro-700.*.woff2")]
    photo = next(p.relative_to(site).as_posix() for p in (site / "assets" / "images").glob("*.webp"))
    for path, kind in [(css, "text/css"), (font, "font/woff2"), (photo, "image/webp")]:
        status, headers, _body = server.get("/" + path, "br, gzip")
        assert status == 200, path
        assert headers["cache-control"] == "public, max-age=31536000, immutable", path
        assert headers["content-type"].split(";")[0] == kind, path
    for path, kind in [("/sitemap.xml", "text/xml"), ("/pagefind/gs-search.json", "application/json")]:
        status, headers, _body = server.get(path)
        assert status == 200 and headers["content-type"].split(";")[0] == kind, path
        assert headers["cache-control"] == "public, max-age=300", path


def test_404_page_alias_301_withdrawn_410_and_rules_not_served(served):
    server, _project, dest = served
    status, headers, body = server.get("/khong-co-trang-nay/")
    assert status == 404
    assert body == (dest / "current" / "404.html").read_bytes()
    assert "lang=\"vi\"" in body.decode("utf-8")
    status, headers, _body = server.get(ALIAS)
    assert status == 301 and headers["location"] == f"/bai-viet/{SLUG}/"
    status, headers, _body = server.get(OLD_ADDRESS)
    assert status == 301 and headers["location"] == f"/bai-viet/{SLUG}/"
    status, headers, body = server.get(GONE)
    assert status == 410 and body == (dest / "current" / "404.html").read_bytes()
    assert server.get("/_server/rules.json")[0] == 404
    status, _headers, body = server.get(f"/bai-viet/{WITHDRAWN}/", "br")
    notice = (dest / "current" / "bai-viet" / WITHDRAWN / "index.html").read_bytes()
    assert status == 410 and brotli.decompress(body) == notice  # the build's rules: the removal notice, 410


def _embed_paths(site: Path) -> tuple[str, str, str]:
    """A story's embed card, its oEmbed JSON and its API file (site-absolute paths)."""
    card = f"/nhung/{SLUG}/"
    assert (site / card[1:] / "index.html").is_file() and (site / card[1:] / "oembed.json").is_file()
    return card, f"{card}oembed.json", f"/api/stories/{SLUG}.json"


def test_embed_cards_may_be_framed_anywhere_and_other_sites_may_read_the_data(served):
    server, _project, dest = served
    site = dest / "current"
    card, oembed, api_story = _embed_paths(site)
    _status, headers, _body = server.get(card)
    assert "frame-ancestors *" in headers["content-security-policy"]
    _status, headers, _body = server.get(f"/bai-viet/{SLUG}/")
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    for path in [api_story, oembed, "/api/stories.json", "/feed.json", "/rss.xml", "/"]:
        status, headers, _body = server.get(path)
        assert status == 200 and headers["access-control-allow-origin"] == "*", path


def test_files_the_build_does_not_precompress_are_compressed_on_request(served):
    """Per-story files for other sites and programs get no .br/.gz (thousands, rarely asked for):
    nginx gzips them when asked; files under 1 KiB go as they are."""
    server, _project, dest = served
    site = dest / "current"
    card, oembed, api_story = _embed_paths(site)
    for path in [api_story, card + "index.html", oembed]:
        assert not (site / f"{path[1:]}.gz").exists() and not (site / f"{path[1:]}.br").exists(), path
    data = (site / api_story[1:]).read_bytes()
    assert len(data) > 1024
    status, headers, body = server.get(api_story, "br, gzip")
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == data
    assert headers["content-type"] == "application/json; charset=utf-8"
    small = (site / oembed[1:]).read_bytes()
    assert len(small) < 1024
    status, headers, body = server.get(oembed, "gzip")
    assert status == 200 and "content-encoding" not in headers and body == small
    assert (site / "api" / "stories.json.br").is_file()  # the lists are precompressed


def test_an_object_store_gets_the_headers_nginx_sends(served):
    """The headers `server-config s3` documents for each uploaded object are those nginx sends."""
    server, _project, dest = served
    site = dest / "current"
    rules = ServerRules.from_json((site / "_server" / "rules.json").read_bytes(), "rules.json")
    sample = ["index.html", "404.html", "sitemap.xml", "robots.txt", "assets/favicon.svg", "pagefind/pagefind.js",
              "pagefind/gs-search.json", *[p.relative_to(site).as_posix() for pattern in
                                          ["assets/*.css", "assets/*.js", "assets/fonts/*.woff2",
                                           "assets/images/*.webp", "assets/images/*.jpg", "pagefind/fragment/*",
                                           "assets/javascripts/*.js", "assets/stylesheets/*.css"]
                                          for p in sorted(site.glob(pattern))[:2] if not p.name.endswith((".br", ".gz"))]]
    assert len(sample) > 15
    for path in sample:
        status, headers, _body = server.get("/" + path)
        assert status == 200, path
        expected = server_config.object_headers(path, rules)
        assert {"Content-Type": headers["content-type"], "Cache-Control": headers["cache-control"]} == expected, path
    store = server_config.object_store(rules)
    assert {"Key": ALIAS[1:], "WebsiteRedirectLocation": f"/bai-viet/{SLUG}/"} in store["redirect_objects"]
    for redirect in rules.redirects:  # each answers 301 from nginx too (the place pages of the 2025 reform...)
        status, headers, _body = server.get(redirect.source)
        assert status == 301 and headers["location"] == redirect.location, redirect
    assert {"Key": "dia-phuong/vinh-phuc/index.html", "WebsiteRedirectLocation": "/dia-phuong/phu-tho/"} in \
        store["redirect_objects"]
    assert set(store["gone"]) == {GONE, f"/bai-viet/{WITHDRAWN}/"}
    assert store["response_headers"]["X-Content-Type-Options"] == "nosniff"
    _status, headers, _body = server.get(f"/nhung/{SLUG}/")
    assert store["embed_cards"]["Content-Security-Policy"] == headers["content-security-policy"]
    assert store["response_headers"]["Access-Control-Allow-Origin"] == headers["access-control-allow-origin"]


def test_caddy_serves_the_same(served, tmp_path):
    """Caddy (Debian's, when installed) with `server-config caddy`: the same answers as nginx."""
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (apt-get install caddy)")
    server, project, dest = served
    port = _free_port()
    conf = _cli("-f", project.config, "server-config", "caddy", "--site", dest / "current", "--root", dest / "current",
                "--listen", f":{port}", cwd=project.root)
    (tmp_path / "Caddyfile").write_text(conf.replace(f":{port} {{", f"http://127.0.0.1:{port} {{"), encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    process = subprocess.Popen([caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _listening(port), "caddy did not start"
        for path, encoding in [("/", "br"), (f"/bai-viet/{SLUG}/", "gzip"), ("/khong-co/", "br"), (ALIAS, None),
                               (GONE, None), (f"/bai-viet/{WITHDRAWN}/", None), ("/_server/rules.json", None),
                               ("/" + next((dest / "current" / "assets").glob("guong-sang.*.css")).relative_to(
                                   dest / "current").as_posix(), "br"),
                               *((path, None) for path in _embed_paths(dest / "current"))]:
            ours, theirs = server.get(path, encoding), _get(port, path, encoding)
            assert ours[0] == theirs[0], path
            for header in ("content-encoding", "cache-control", "content-security-policy", "x-content-type-options",
                           "location", "access-control-allow-origin"):
                assert ours[1].get(header) == theirs[1].get(header), (path, header)
            if ours[0] in (200, 404, 410):
                assert ours[2] == theirs[2], path
        api_story = _embed_paths(dest / "current")[2]  # not precompressed: each server gzips it on request
        status, headers, body = _get(port, api_story, "gzip")
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == (dest / "current" / api_story[1:]).read_bytes()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_no_csp_violation_in_chromium(served):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    chromium = shutil.which("chromium")
    if chromium is None:
        _missing("chromium is not installed (apt-get install chromium)")
    server, _project, dest = served
    base = f"http://127.0.0.1:{server.port}"
    term = next((dest / "current" / "linh-vuc").glob("*/index.html")).parent.name
    listen = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
              "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page()
            page.add_init_script(listen)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
            for path in ["/", f"/bai-viet/{SLUG}/", f"/linh-vuc/{term}/", "/404.html"]:
                page.goto(base + path)
                page.wait_for_load_state("load")
                assert page.evaluate("window.__csp") == [], path
            page.goto(base + "/tim-kiem/?q=lam+theo+bac")
            page.wait_for_selector("[data-gs-search][data-gs-state=done]", timeout=20_000)
            assert page.locator(".gs-result").count() >= 1
            assert page.evaluate("window.__csp") == [] and errors == []
            # The listener does hear a violation: an inline script the policy does not list is refused.
            page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                          " document.body.append(s); }")
            page.wait_for_function("window.__csp.length > 0")
            assert page.evaluate("window.ran") is None
        finally:
            browser.close()


def test_a_newspaper_on_another_origin_frames_the_embed_card_and_reads_the_api(served, tmp_path):
    """A page of another origin (another port of 127.0.0.1): the embed card shows in its iframe, a
    story page does not (only the site may frame it), and its script reads the JSON API."""
    import http.server
    import threading

    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    chromium = shutil.which("chromium")
    if chromium is None:
        _missing("chromium is not installed (apt-get install chromium)")
    server, _project, dest = served
    base = f"http://127.0.0.1:{server.port}"
    (tmp_path / "index.html").write_text(
        f'<!doctype html><meta charset="utf-8"><title>Báo</title>'
        f'<iframe name="card" src="{base}/nhung/{SLUG}/"></iframe>'
        f'<iframe name="page" src="{base}/bai-viet/{SLUG}/"></iframe>'
        f'<script>fetch("{base}/api/stories.json").then(r => r.json())'
        f'.then(d => {{ window.api = d.stories.map(s => s.slug); }}, e => {{ window.api = String(e); }});</script>',
        encoding="utf-8")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    newspaper = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=newspaper.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{newspaper.server_address[1]}/")
                page.wait_for_function("window.api !== undefined")
                assert SLUG in page.evaluate("window.api")
                page.wait_for_load_state("load")
                card = page.frame(name="card")
                assert card is not None and "Kim Liên" in card.title()
                assert card.locator(f'a[href$="/bai-viet/{SLUG}/"]').count() >= 1
                framed = page.frame(name="page")  # refused by frame-ancestors 'self': Chromium's error page
                assert framed is None or "Kim Liên" not in framed.evaluate("document.title")
            finally:
                browser.close()
    finally:
        newspaper.shutdown()


def test_a_changed_site_is_served_then_rolled_back(served):
    server, project, dest = served
    story = project.root / "content" / "stories" / STORY
    story.write_text(story.read_text(encoding="utf-8") + "\nĐoạn mới: Gương sáng thay đổi.\n", encoding="utf-8")
    assert project.build().returncode == 0
    _cli("-f", project.config, "deploy", dest, cwd=project.root)
    releases = sorted((dest / "releases").iterdir())
    assert len(releases) == 2 and os.readlink(dest / "current") == f"releases/{releases[1].name}"
    unchanged = next((releases[0] / "assets" / "images").iterdir())  # a photo: a hard link to the first release's
    assert unchanged.stat().st_ino == (releases[1] / unchanged.relative_to(releases[0])).stat().st_ino
    _status, _headers, body = server.get(f"/bai-viet/{SLUG}/")
    assert "Đoạn mới: Gương sáng thay đổi." in body.decode("utf-8")
    _cli("-f", project.config, "deploy", dest, "--rollback", cwd=project.root)
    _status, _headers, body = server.get(f"/bai-viet/{SLUG}/")
    assert "Đoạn mới" not in body.decode("utf-8")
    _status, headers, body = server.get(f"/bai-viet/{SLUG}/", "br")
    assert "Đoạn mới" not in brotli.decompress(body).decode("utf-8")
