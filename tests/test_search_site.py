"""Search in the built demo site (no browser): the Pagefind bundle, /tim-kiem/ and the header box."""

from __future__ import annotations

import json
import re

from conftest import site_path, text_of


def test_no_lunr_index_is_shipped(built_site):
    assert not list(built_site.dir.rglob("search_index.json"))
    assert not (built_site.dir / "search").exists()
    assert not (built_site.dir / "assets" / "javascripts" / "lunr").exists()  # Material's unused language files


def test_pagefind_bundle_covers_every_story_and_profile(built_site, demo_catalog):
    bundle = built_site.dir / "pagefind"
    manifest = json.loads((bundle / "gs-search.json").read_text(encoding="utf-8"))
    assert sum(b["stories"] for b in manifest["bundles"]) == len(demo_catalog.stories)
    assert sum(b["profiles"] for b in manifest["bundles"]) == len(demo_catalog.profiles)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["vi"]
    assert entry["languages"]["vi"]["page_count"] == len(demo_catalog.stories) + len(demo_catalog.profiles)
    assert (bundle / "pagefind.js").is_file()
    assert not (bundle / "pagefind-ui.js").exists()  # Pagefind's own UIs are not shipped
    assert not (bundle / "pagefind-worker.js").exists()  # nor its worker: search.js runs it on the page


def test_search_page_preloads_files_that_exist(built_site):
    """/tim-kiem/ asks for Pagefind's script, the manifest and the WebAssembly while it is parsed:
    the names in the template are those the build writes (a 404 would also fail the browser tests)."""
    soup = built_site.page("tim-kiem/")
    links = [link for link in soup.select("link[rel=preload], link[rel=modulepreload]") if "pagefind/" in link["href"]]
    paths = {site_path("tim-kiem/", link["href"]) for link in links}
    assert paths == {"pagefind/pagefind.js", "pagefind/gs-search.json", "pagefind/wasm.unknown.pagefind"}
    for link in links:
        assert built_site.exists(site_path("tim-kiem/", link["href"])), link
        if link["rel"] == ["preload"]:
            assert link["as"] == "fetch" and link.has_attr("crossorigin")  # as Pagefind's fetch() asks
    manifest = json.loads((built_site.dir / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))
    assert manifest["bundles"][0]["wasm"] == "wasm.unknown.pagefind"


def test_search_page(page):
    soup = page("tim-kiem/")
    box = soup.select_one("[data-gs-search]")
    assert box is not None
    label = box.find("label", attrs={"for": "gs-search-q"})
    assert label is not None and text_of(label) == "Từ khóa"
    field = box.find("input", id="gs-search-q")
    assert field["name"] == "q" and field["type"] == "search"
    assert box.select_one("[data-gs-status]")["aria-live"] == "polite"
    assert box.select_one("ol[data-gs-results]") is not None
    noscript = text_of(box.find("noscript"))
    assert "cần JavaScript" in noscript
    assert soup.select_one("h1").get_text(strip=True) == "Tìm kiếm"
    scripts = [s["src"] for s in soup.find_all("script", src=True)]
    script = site_path("tim-kiem/", next(s for s in scripts if "/search." in s))
    assert re.fullmatch(r"assets/search\.[0-9a-f]{10}\.js", script)  # fingerprinted (site_builder.assets)


def test_header_search_box_on_every_generated_page(built_site):
    for url in ("", "tim-kiem/", "linh-vuc/", "ho-so/"):
        soup = built_site.page(url)
        form = soup.select_one("header.md-header form.gs-search-box")
        assert form is not None, url
        assert form["role"] == "search" and form["method"] == "get"
        assert site_path(url, form["action"]) == "tim-kiem/", url
        field = form.find("input", attrs={"name": "q"})
        label = form.find("label", attrs={"for": field["id"]})
        assert label is not None and text_of(label)
        css = soup.find("link", href=lambda h: h and re.search(r"assets/search\.[0-9a-f]{10}\.css$", h))
        assert built_site.exists(site_path(url, css["href"])), url  # fingerprinted (site_builder.assets)
    assert len(list((built_site.dir / "assets").glob("search.*.js"))) == 1


def test_search_page_is_in_no_section_and_in_the_sitemap(built_site):
    soup = built_site.page("tim-kiem/")
    assert not soup.select(".md-tabs__item--active")
    sitemap = (built_site.dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "/tim-kiem/</loc>" in sitemap
