"""What the build adds for publishing: precompressed siblings, fingerprinted assets, the server's
rules (`_server/rules.json`) and the configurations `server-config` prints from them."""

from __future__ import annotations

import base64
import gzip
import random
import hashlib
import json
import os
import re
from pathlib import Path

import brotli
import pytest

from conftest import SITE_BUILDER, TmpProject, run_tool, soup_of, story_text
from site_builder import compress, server_config
from site_builder.assets import rewrite_css
from site_builder.outputs import csp
from site_builder.outputs.server_rules import Redirect, RulesError, ServerRules
from site_builder.routes import urls

HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'


# --- precompression ------------------------------------------------------------------------------------

def test_the_cache_compresses_a_content_once(tmp_path, monkeypatch):
    calls = []
    encodings = {suffix: (lambda f, s: lambda data: calls.append(s) or f(data))(f, suffix)
                 for suffix, f in compress.ENCODINGS.items()}
    monkeypatch.setattr(compress, "ENCODINGS", encodings)
    cache = compress.CompressionCache(tmp_path / "compress")
    data = ("<p>Gương sáng giữa đời thường.</p>\n" * 200).encode("utf-8")
    first = cache.siblings_of(data)
    assert [s for s, _ in first] == [".br", ".gz"] and sorted(calls) == [".br", ".gz"]
    assert brotli.decompress(first[0][1].read_bytes()) == data and gzip.decompress(first[1][1].read_bytes()) == data
    assert cache.siblings_of(data) == first and len(calls) == 2  # unchanged: not compressed again
    noise = random.Random(7).randbytes(4000)
    assert cache.siblings_of(noise) == [] and cache.siblings_of(noise) == []  # not smaller: no sibling, remembered
    assert len(calls) == 4
    assert cache.siblings_of(b"<p>x</p>" * 100) == [] and len(calls) == 4  # under MIN_SIZE: never compressed


def test_what_gets_precompressed():
    for path in ["index.html", "bai-viet/a/index.html", "api/stories.json", "api/taxonomies.json", "nhung/nhung.css",
                 "rss.xml", "linh-vuc/y-te/feed.json", "pagefind/gs-search.json"]:
        assert compress.precompressed(path), path
    for path in ["nhung/bai-a/index.html", "nhung/bai-a/oembed.json", "api/stories/bai-a.json",
                 "api/stories/page/2.json", "_server/rules.json", "assets/images/a.webp"]:
        assert not compress.precompressed(path), path


def test_only_text_files_are_compressible():
    for path in ["index.html", "a/b.css", "x.js", "pagefind/gs-search.json", "sitemap.xml", "logo.svg", "robots.txt"]:
        assert compress.compressible(path), path
    for path in ["a.webp", "a.jpg", "f.woff2", "pagefind/index/vi_1.pf_index", "pagefind/wasm.unknown.pagefind",
                 "sitemap.xml.gz", "index.html.br"]:
        assert not compress.compressible(path), path


def test_every_text_file_of_the_site_has_its_siblings(built_site):
    site = built_site.dir
    text_files = [p for p in site.rglob("*") if p.is_file() and compress.compressible(p.name)
                  and not p.relative_to(site).as_posix().startswith(urls.SERVER_FOLDER)]  # never served
    assert len(text_files) > 100
    for path in text_files:
        data = path.read_bytes()
        br, gz = Path(f"{path}.br"), Path(f"{path}.gz")
        relative = path.relative_to(site).as_posix()
        if len(data) >= compress.MIN_SIZE and compress.precompressed(relative):
            assert br.is_file() and gz.is_file(), path
        if not compress.precompressed(relative) or len(data) < compress.MIN_SIZE:
            assert not br.exists() and not gz.exists(), path
        if br.exists():
            assert brotli.decompress(br.read_bytes()) == data, path
            assert br.stat().st_nlink >= 2, f"{br} is not linked from the compression cache"
        if gz.exists():
            assert gzip.decompress(gz.read_bytes()) == data, path
    for path in [*site.rglob("*.webp"), *site.rglob("*.woff2"), *site.rglob("*.pf_fragment")]:
        assert not Path(f"{path}.br").exists() and not Path(f"{path}.gz").exists(), path


def test_precompress_false_makes_no_siblings(tmp_project: TmpProject):
    config = tmp_project.config.read_text(encoding="utf-8")
    tmp_project.config.write_text(config.replace("      per_page: 24\n", "      per_page: 24\n      precompress: false\n"),
                                  encoding="utf-8")
    tmp_project.add_story("mot-bai", story_text("Một bài", "2026-01-02 08:00"))
    result = tmp_project.build()
    assert result.returncode == 0, result.stderr
    site = tmp_project.root / "site"
    assert list(site.rglob("*.br")) == []
    assert list(site.rglob("*.gz")) == []
    assert (site / urls.SERVER_RULES).is_file()  # the server's rules are written all the same


# --- fingerprinted assets ------------------------------------------------------------------------------

def test_theme_css_js_and_fonts_have_content_hash_names(built_site):
    site = built_site.dir
    named = re.compile(r"^(.+)\.([0-9a-f]{10})\.(css|js)$")
    assets = [p for p in (site / "assets").iterdir() if p.suffix in (".css", ".js")]
    assert {named.match(p.name).group(1) for p in assets} == {"guong-sang", "search"}
    for path in assets:
        assert named.match(path.name).group(2) == hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    fonts = sorted(p.name for p in (site / "assets" / "fonts").glob("*.woff2"))
    assert len(fonts) == 3 and all(re.match(r"^be-vietnam-pro-[0-9a-z-]+\.[0-9a-f]{10}\.woff2$", f) for f in fonts)
    (css,) = (site / "assets").glob("guong-sang.*.css")
    referenced = re.findall(r"url\(\"?fonts/([^\")]+)\"?\)", css.read_text(encoding="utf-8"))
    assert sorted(referenced) == fonts


@pytest.mark.parametrize("url", ["", "bai-viet/", "tim-kiem/", "404.html", "bai-viet/binh-xuyen-sang-tao/"])
def test_pages_link_the_fingerprinted_assets(built_site, url):
    doc = built_site.page(url)
    refs = [t.get("href") for t in doc.find_all("link")] + [t.get("src") for t in doc.find_all("script")]
    ours = [r for r in refs if r and re.search(r"assets/(guong-sang|search|fonts/)", r)]
    assert ours and all(re.search(r"\.[0-9a-f]{10}\.(css|js|woff2)$", r) for r in ours), ours
    for ref in ours:
        target = (built_site.file(url).parent / ref).resolve() if not ref.startswith("/") else built_site.dir / ref[1:]
        assert target.is_file(), ref


def test_rewrite_css_points_at_published_names():
    css = 'a{src:url("fonts/x.woff2")} b{background:url(img/y.svg)} c{src:url(https://e.example/z.woff2)}'
    out = rewrite_css(css, "assets/s.css", {"assets/fonts/x.woff2": "assets/fonts/x.0123456789.woff2"})
    assert out == ('a{src:url("fonts/x.0123456789.woff2")} b{background:url(img/y.svg)} '
                   'c{src:url(https://e.example/z.woff2)}')
    assert urls.fingerprinted("assets/guong-sang.css", "abc") == "assets/guong-sang.abc.css"


# --- the CSP and the server's rules ---------------------------------------------------------------------

def test_the_csp_lists_every_inline_script_of_every_page(built_site):
    rules = json.loads((built_site.dir / urls.SERVER_RULES).read_text(encoding="utf-8"))
    listed = set(rules["script_hashes"])
    seen = set()
    for path in built_site.dir.rglob("*.html"):
        for script in soup_of(path).find_all("script"):
            if script.get("src") or script.get("type") not in (None, "text/javascript", "module"):
                continue
            digest = base64.b64encode(hashlib.sha256(script.string.encode("utf-8")).digest()).decode()
            seen.add(f"'sha256-{digest}'")
    assert seen and seen == listed
    policy = ServerRules(script_hashes=tuple(listed)).content_security_policy
    assert "'unsafe-inline'" not in policy.split("; style-src")[0] and "'wasm-unsafe-eval'" in policy


def test_json_ld_and_data_scripts_are_not_hashed():
    html = (b'<script type="application/ld+json">{"a":1}</script><script id="__config" type="application/json">{}'
            b'</script><script src="x.js"></script><script>var a=1</script>')
    assert csp.inline_script_hashes(html) == {
        "'sha256-" + base64.b64encode(hashlib.sha256(b"var a=1").digest()).decode() + "'"}


def test_hostile_redirect_targets_round_trip_and_are_encoded_in_configurations():
    rules = ServerRules(redirects=(Redirect("/tin-cu/bài-1/", "/bai-viet/" + HOSTILE.replace(" ", "_")),),
                        gone=("/bai-viet/đã-gỡ/",))
    again = ServerRules.from_json(rules.to_json(), "rules.json")
    assert again == rules and again.redirects[0].target == "/bai-viet/" + HOSTILE.replace(" ", "_")
    location = rules.redirects[0].location
    assert not set(location) & set('<>"\\{}$; ') and location.startswith("/bai-viet/%3C/script%3E")
    nginx = server_config.nginx(rules, "/srv/guongsang/current")
    caddy = server_config.caddy(rules, "/srv/guongsang/current")
    assert f'"/tin-cu/bài-1/" "{location}";' in nginx and '"/bai-viet/đã-gỡ/" 1;' in nginx
    assert f"redir /tin-cu/bài-1/ {location} 301" in caddy and "error /bai-viet/đã-gỡ/ 410" in caddy
    assert "<script>" not in nginx and "<script>" not in caddy


@pytest.mark.parametrize("source", ["tin-cu/", "/a?id=1", "/a#b", "/a\nb"])
def test_a_path_no_server_rule_may_name_is_refused(source):
    with pytest.raises(RulesError, match="đường dẫn|path"):
        ServerRules(redirects=(Redirect(source, "/bai-viet/x/"),))
    with pytest.raises(RulesError):
        ServerRules(gone=(source,))


@pytest.mark.parametrize("source", ['/a";', "/a b/", "/a{x}/", "/$host/", "/a\\b", "/" + HOSTILE])
def test_a_path_a_configuration_could_misread_stays_a_redirect_page_only(source):
    rules = ServerRules(redirects=(Redirect(source, "/bai-viet/x/"), Redirect("/cu/", "/bai-viet/y/")),
                        gone=(source,))
    assert ServerRules.from_json(rules.to_json(), "rules.json") == rules  # kept exactly in the rules
    for config in (server_config.nginx(rules, "/srv/gs/current"), server_config.caddy(rules, "/srv/gs/current")):
        assert "/bai-viet/x/" not in config and source not in config and "/bai-viet/y/" in config


def test_a_damaged_rules_file_is_named(tmp_path):
    with pytest.raises(RulesError, match="site/_server/rules.json"):
        ServerRules.from_json(b"{not json", "site/_server/rules.json")
    with pytest.raises(RulesError, match="site/_server/rules.json: redirects"):
        ServerRules.from_json(json.dumps({"version": 1, "redirects": [{"from": "x", "to": "/"}]}).encode(),
                              "site/_server/rules.json")


def test_server_config_reads_the_built_site(built_site, tmp_path):
    result = run_tool(SITE_BUILDER, "server-config", "nginx", "--site", built_site.dir, "--root", "/srv/gs/current")
    assert result.returncode == 0, result.stderr
    assert 'root "/srv/gs/current";' in result.stdout and "gzip_static on;" in result.stdout
    assert "brotli_static on;" in result.stdout and "location ^~ /_server/" in result.stdout
    caddy = run_tool(SITE_BUILDER, "server-config", "caddy", "--site", built_site.dir, "--server-name", "gs.example.vn")
    assert caddy.returncode == 0 and caddy.stdout.splitlines()[2] == "gs.example.vn {"
    assert "precompressed br gzip" in caddy.stdout
    missing = run_tool(SITE_BUILDER, "server-config", "nginx", "--site", tmp_path)
    assert missing.returncode == 1 and "_server/rules.json" in missing.stderr and "site-builder build" in missing.stderr


def test_hashed_pattern_matches_hashed_names_only(built_site):
    pattern = re.compile(server_config.hashed_pattern(ServerRules(hashed_folders=("assets/", "assets/images/"))))
    site = built_site.dir
    hashed = [*site.glob("assets/*.css"), *site.glob("assets/fonts/*.woff2"), *site.glob("assets/images/*.webp"),
              *site.glob("assets/javascripts/*.js"), *site.glob("pagefind/fragment/*")]
    for path in hashed:
        if not path.name.endswith((".br", ".gz")):
            assert pattern.search("/" + path.relative_to(site).as_posix()), path
    for path in ["/", "/index.html", "/bai-viet/x/index.html", "/pagefind/pagefind.js", "/pagefind/gs-search.json",
                 "/sitemap.xml", "/assets/favicon.svg", "/bai-viet/cafe12345678/index.html"]:
        assert not pattern.search(path), path


def test_the_object_store_globs_pick_the_hashed_names(built_site):
    from fnmatch import fnmatchcase

    rules = ServerRules.from_json((built_site.dir / urls.SERVER_RULES).read_bytes(), "rules.json")
    globs = server_config.long_cache_globs(rules)
    for path in built_site.dir.rglob("*"):
        name = path.relative_to(built_site.dir).as_posix()
        if path.is_dir() or name.endswith((".br", ".gz")) or name == "assets/images/favicon.png":  # Material's own
            continue
        by_glob = any(fnmatchcase(name, g) for g in globs)
        assert by_glob == (server_config.object_headers(name, rules)["Cache-Control"] == server_config.LONG_CACHE), name
