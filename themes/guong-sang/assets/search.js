/* Gương Sáng: the /tim-kiem/ page. Pagefind (served from this site's pagefind/ folder) does the
   searching; this file prepares Vietnamese queries, shows results, facets and counts, and keeps the
   address shareable (/tim-kiem/?q=...&linh-vuc=...). No third-party code, no other host.

   Queries get the same treatment as the indexed text (site_builder/search/text.py): NFC, new tone
   placement (hoà → hòa) and đ written as d + U+0345, which Pagefind folds to "d" while keeping the
   exact form for ranking. Titles and excerpts turn "dͅ" back into "đ" before they are shown.

   The index may be split in bundles (newest first, see pagefind/gs-search.json): a query searches
   the newest bundle and merges older ones only while it has fewer than a page of results, or when
   the reader asks for older stories, so the first query stays small on very large sites.

   Speed: the page preloads pagefind.js, the manifest and the WebAssembly (gs/search.html); this file
   starts Pagefind as soon as it runs (on the page's thread, without Pagefind's worker) and, from the
   manifest, preloads the primary bundle's entry and metadata and the index chunks of the query in
   the address, so a search from /tim-kiem/?q=... waits for two rounds of downloads before the
   fragments of its first ten results. Filters are loaded only when the filter panel is opened.

   Those shortcuts (the preloads, the choice of index chunks, the browser's own inflating) rely on
   how Pagefind names, orders and compresses its files, which Pagefind does not document: they run
   only when the manifest names a Pagefind version they were checked against (VERIFIED, the same
   list as site_builder/search/compat.py). With any other version Pagefind loads its files itself,
   through its documented API only (import pagefind.js, options, init, search, filters, mergeIndex). */
(function () {
  "use strict";

  var MARK = "\u0345";
  var OLD_TONE = /([oOuU])(?<![qQ].)([àảãáạÀẢÃÁẠèẻẽéẹÈẺẼÉẸỳỷỹýỵỲỶỸÝỴ])(?!\p{L})/gu;
  var PAGE = 10;
  // Pagefind filter name -> [URL parameter, Vietnamese heading]
  var FACETS = [
    ["kind", "loai", "Loại"],
    ["field", "linh-vuc", "Lĩnh vực"],
    ["province", "tinh", "Tỉnh, thành phố"],
    ["commune", "xa", "Xã, phường"],
    ["year", "nam", "Năm"]
  ];
  // Must match site_builder/search/records.py META_WEIGHTS.
  var META_WEIGHTS = { title: 10, people: 6, place: 3, org: 2, kind: 0.5, date: 0.5 };
  var SORTS = { "moi-nhat": { date: "desc" }, "cu-nhat": { date: "asc" } };
  // Pagefind versions whose internals the shortcuts were checked against (site_builder/search/compat.py).
  var VERIFIED = ["1.6.0"];

  function moveTone(match, first, second) {
    var parts = second.normalize("NFD");
    var base = parts.charAt(0);
    var pair = (first + base).toLowerCase();
    if (pair !== "oa" && pair !== "oe" && pair !== "uy") { return match; }
    return (first + parts.slice(1)).normalize("NFC") + base;
  }

  /* The query as the index spells it (mirror of text.searchable). */
  function prepareQuery(text) {
    return String(text || "").normalize("NFC").replace(OLD_TONE, moveTone)
      .replace(/đ/g, "d" + MARK).replace(/Đ/g, "D" + MARK).replace(/\s+/g, " ").trim();
  }

  /* Indexed text back to what readers see (mirror of text.shown). */
  function shown(text) {
    return String(text || "").replace(/([dD])\u0345/g, function (m, d) { return d === "d" ? "đ" : "Đ"; });
  }

  /* performance.mark("gs:...") for bench/search.py's breakdown of a search. */
  function mark(name) { if (performance.mark) { performance.mark("gs:" + name); } }

  function count(n) { return Number(n).toLocaleString("vi-VN"); }

  window.gsSearch = { prepareQuery: prepareQuery, shown: shown, pagefindWords: pagefindWords, queryChunks: queryChunks };

  var box = document.querySelector("[data-gs-search]");
  if (!box) { return; }
  var script = document.currentScript;
  var root = new URL("..", script ? script.src : location.href);  // assets/search.js -> site root
  var bundle = new URL("pagefind/", root);
  var form = box.querySelector("[data-gs-form]");
  var input = box.querySelector("[data-gs-input]");
  var status = box.querySelector("[data-gs-status]");
  var list = box.querySelector("[data-gs-results]");
  var more = box.querySelector("[data-gs-more]");
  var older = box.querySelector("[data-gs-older]");
  var tools = box.querySelector("[data-gs-tools]");
  var facets = box.querySelector("[data-gs-facets]");
  var facetPanel = box.querySelector("[data-gs-facet-panel]");
  var sortSelect = box.querySelector("[data-gs-sort]");

  var state = { q: "", filters: {}, sort: "" };
  var pagefind = null;
  var manifest = null;
  var tuned = false;    // the manifest names a VERIFIED Pagefind version: the shortcuts run
  var merged = 1;       // bundles searched so far (the primary one first)
  var facetsLoaded = false;
  var seq = 0;
  var current = null;   // last search response
  var shownCount = 0;
  var timer = 0;
  box.setAttribute("data-gs-state", "idle");

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.sort = SORTS[params.get("sap-xep")] ? params.get("sap-xep") : "";
    state.filters = {};
    FACETS.forEach(function (f) {
      var values = params.getAll(f[1]).filter(Boolean);
      if (values.length) { state.filters[f[0]] = values; }
    });
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    FACETS.forEach(function (f) { (state.filters[f[0]] || []).forEach(function (v) { params.append(f[1], v); }); });
    if (state.sort) { params.set("sap-xep", state.sort); }
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function activeFilters() {
    var out = {};
    Object.keys(state.filters).forEach(function (k) {
      if (state.filters[k].length) { out[k] = { any: state.filters[k] }; }
    });
    return out;
  }

  function filterCount() {
    return Object.keys(state.filters).reduce(function (n, k) { return n + state.filters[k].length; }, 0);
  }

  var preloaded = {};

  /* Let the browser fetch a file Pagefind will ask for soon (a preload is matched by Pagefind's own
     fetch), so Pagefind does not wait for the file that names it first. */
  function preload(url) {
    if (preloaded[url]) { return; }
    preloaded[url] = true;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = url;
    document.head.appendChild(link);
  }

  /* The files Pagefind reads before it can search a bundle: its entry (asked for with the manifest's
     cache tag), its metadata and, for the primary bundle, the WebAssembly. */
  function preloadBundle(b, primary) {
    if (!b || !b.tag || !b.meta) { return; }
    var base = new URL(b.path, bundle);
    preload(new URL("pagefind-entry.json?ts=" + b.tag, base).href);
    preload(new URL(b.meta, base).href);
    if (primary) { preload(new URL(b.wasm, base).href); }
  }

  /* The words Pagefind looks up for a query (its search(): graphemes without punctuation, lower
     case, split at spaces, marks removed), and the index chunks it fetches for them (Pagefind 1.6.0,
     per word: the first chunk whose [from, to] range holds the word; failing that, every chunk whose
     range holds it when the word and each bound are cut to the shorter of the two). */
  var PUNCTUATION = /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u;  // Pagefind's test, as it is
  function pagefindWords(query) {
    // By code point rather than by grapheme: the same words for any query but one with
    // punctuation carrying combining marks, and no Intl.Segmenter to set up first.
    var text = Array.from(query).filter(function (g) { return !PUNCTUATION.test(g); })
      .map(function (g) { return g.toLocaleLowerCase(); }).join("");
    return text.replace(/\s{2,}/g, " ").trim().split(" ").map(function (w) {
      return w.normalize("NFD").replace(/(?![\u3099\u309A])\p{M}/gu, "");
    }).filter(Boolean);
  }

  function queryChunks(query, chunks) {
    var out = [];
    function add(hash) { if (out.indexOf(hash) < 0) { out.push(hash); } }
    pagefindWords(query).forEach(function (word) {
      if (!/^[\x20-\x7e]+$/.test(word)) { return; }  // Pagefind cuts bytes, JavaScript code units: ASCII only
      var exact = chunks.filter(function (c) { return c[0] <= word && word <= c[1]; })[0];
      if (exact) { add(exact[2]); return; }
      chunks.forEach(function (c) {
        var a = Math.min(word.length, c[0].length);
        var b = Math.min(word.length, c[1].length);
        if (word.slice(0, a) >= c[0].slice(0, a) && word.slice(0, b) <= c[1].slice(0, b)) { add(c[2]); }
      });
    });
    return out;
  }

  /* Pagefind cuts every query into graphemes with Intl.Segmenter, whose first use loads the
     browser's segmentation data (some 20 ms): do it while the index files are on their way. */
  function warmUp() {
    try {
      if (typeof Intl !== "undefined" && Intl.Segmenter) {
        Array.from(new Intl.Segmenter("vi", { granularity: "grapheme" }).segment("Gương Sáng"));
      }
    } catch (e) { /* Pagefind falls back to code points too */ }
  }

  function bundleOptions(b) {
    var options = { excerptLength: 26, ranking: { metaWeights: META_WEIGHTS } };
    if (b && b.tag) { options.metaCacheTag = b.tag; }
    return options;
  }

  /* Pagefind's files are gzip, and Pagefind inflates them in JavaScript (its WebAssembly alone takes
     some 30 ms of a first search). The browser inflates natively with DecompressionStream; Pagefind
     skips its own inflating when a file already starts with its signature. Only fetches of gzip
     bundle files under pagefind/ are touched; anything else, or a file the server already sent
     decompressed, passes through. */
  var PAGEFIND_FILE = /\.(pagefind|pf_meta|pf_index|pf_filter)$/;
  function inflateNatively() {
    if (typeof DecompressionStream === "undefined" || typeof Response === "undefined" || !window.fetch ||
        window.fetch.gsInflate) { return; }
    var fetch0 = window.fetch;
    var wrapped = function (input) {
      var reply = fetch0.apply(this, arguments);
      var url = typeof input === "string" ? input : (input && input.url) || "";
      var path;
      try { path = new URL(url, location.href).pathname; } catch (e) { return reply; }
      if (path.indexOf(bundle.pathname) !== 0 || !PAGEFIND_FILE.test(path)) { return reply; }
      return reply.then(function (response) {
        if (!response.ok) { return response; }
        return response.arrayBuffer().then(function (buffer) {
          var head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
          var body = head[0] === 0x1f && head[1] === 0x8b
            ? new Response(buffer).body.pipeThrough(new DecompressionStream("gzip")) : buffer;
          return new Response(body, { status: response.status, statusText: response.statusText });
        });
      });
    };
    wrapped.gsInflate = true;
    window.fetch = wrapped;
  }

  /* Pagefind on the page's own thread: its worker would cost a script and a thread start before
     the first search, and the preloads above only serve fetches made by the page. */
  function load() {
    if (!pagefind) {
      var query = prepareQuery(state.q);  // the address's query, when Pagefind starts with the page
      var ready = fetch(new URL("gs-search.json", bundle)).then(function (r) {
        return r.ok ? r.json() : { bundles: [{ path: "" }] };
      }).then(function (m) {
        manifest = m;
        tuned = VERIFIED.indexOf(m.version) >= 0;
        if (!tuned) { return m; }
        inflateNatively();  // before Pagefind's first fetch: init() waits for the manifest
        var first = m.bundles[0];
        preloadBundle(first, true);
        if (query && first && first.chunks) {  // a search from the address: its index chunks too
          queryChunks(query, first.chunks).forEach(function (hash) {
            preload(new URL("index/" + hash + ".pf_index", new URL(first.path, bundle)).href);
          });
        }
        return m;
      });
      pagefind = Promise.all([import(new URL("pagefind.js", bundle).href), ready]).then(function (parts) {
        var pf = parts[0];
        var options = bundleOptions(manifest.bundles[0]);
        options.noWorker = true;
        return pf.options(options).then(function () {
          var started = pf.init();  // Pagefind has asked for its entry when this returns
          warmUp();
          return started;
        }).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });  // the next search tries again
    }
    return pagefind;
  }

  function mergeNext(pf) {
    var next = manifest.bundles[merged];
    merged += 1;
    if (tuned) { preloadBundle(next, false); }
    return pf.mergeIndex(new URL(next.path, bundle).pathname, bundleOptions(next));
  }

  function morebundles() { return manifest && merged < manifest.bundles.length; }

  function since() {
    var b = manifest.bundles[merged - 1];
    if (!b || !b.from) { return ""; }
    var p = b.from.split("-");
    return p[2] + "/" + p[1] + "/" + p[0];
  }

  function setStatus(text) { status.textContent = text; }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  }

  function search() {
    clearTimeout(timer);
    var token = ++seq;
    var query = prepareQuery(state.q);
    writeUrl();
    if (!query && !filterCount()) {
      current = null;
      list.innerHTML = "";
      more.hidden = older.hidden = true;
      tools.hidden = true;
      setStatus(state.q ? "" : "Nhập từ khóa để tìm bài viết và hồ sơ.");
      box.setAttribute("data-gs-state", "idle");
      return Promise.resolve();
    }
    box.setAttribute("data-gs-state", "busy");
    list.setAttribute("aria-busy", "true");
    var started = performance.now();
    mark("start");
    var options = { filters: activeFilters() };
    if (state.sort) { options.sort = SORTS[state.sort]; }
    return load().then(function (pf) {
      mark("loaded");
      function attempt() {
        return pf.search(query || null, options).then(function (res) {
          mark("searched");
          if (token !== seq || !res) { return null; }
          if (res.results.length < PAGE && morebundles()) {
            return mergeNext(pf).then(attempt);
          }
          return res;
        });
      }
      return attempt().then(function (res) {
        return res && facetsLoaded ? facetCounts(pf, query, res) : res;
      });
    }).then(function (res) {
      if (!res || token !== seq) { return; }
      current = res;
      shownCount = 0;
      list.innerHTML = "";
      window.gsSearchTimings = { search: performance.now() - started };
      return showMore(false).then(function () {
        if (token !== seq) { return; }
        mark("shown");
        requestAnimationFrame(function () { setTimeout(function () { mark("painted"); }); });  // the next frame
        window.gsSearchTimings.total = performance.now() - started;
        summarise();
        renderFacets();
        list.removeAttribute("aria-busy");
        box.setAttribute("data-gs-state", "done");
      });
    }).catch(function (err) {
      if (token !== seq) { return; }
      list.removeAttribute("aria-busy");
      setStatus("Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.");
      box.setAttribute("data-gs-state", "error");
      if (window.console) { console.warn("gs-search:", err); }
    });
  }

  /* Values of one facet are alternatives (any of them), so each facet with a choice counts its
     values as if nothing were chosen in it: the search again without that facet's own filter. */
  function facetCounts(pf, query, res) {
    var keys = Object.keys(state.filters).filter(function (k) { return state.filters[k].length; });
    res.facetCounts = Object.assign({}, res.filters || {});
    return Promise.all(keys.map(function (key) {
      var filters = activeFilters();
      delete filters[key];
      var options = { filters: filters };
      return pf.search(query || null, options).then(function (r) {
        if (r && r.filters) { res.facetCounts[key] = r.filters[key] || {}; }
      });
    })).then(function () { return res; });
  }

  function summarise() {
    var n = current.results.length;
    var quoted = state.q ? " cho “" + state.q.trim() + "”" : "";
    var scope = morebundles() ? " trong các bài từ " + since() + " trở về sau" : "";
    if (!n) {
      setStatus("Không tìm thấy kết quả nào" + quoted + scope + "." +
        (filterCount() ? " Hãy bỏ bớt bộ lọc hoặc thử từ khóa khác." : " Hãy thử từ khóa khác."));
    } else {
      setStatus("Tìm thấy " + count(n) + " kết quả" + quoted + scope + ".");
    }
    tools.hidden = n === 0 && !filterCount();
    more.hidden = shownCount >= n;
    older.hidden = !morebundles();
    if (!older.hidden) { older.textContent = "Tìm thêm trong các bài trước " + since(); }
  }

  function showMore(focus) {
    var res = current;
    var slice = res.results.slice(shownCount, shownCount + PAGE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (res !== current) { return; }
      mark("fragments");
      var first = null;
      items.forEach(function (d) {
        var li = result(d);
        list.appendChild(li);
        first = first || li;
      });
      shownCount += items.length;
      more.hidden = shownCount >= res.results.length;
      if (focus && first) { first.querySelector("a").focus(); }
    });
  }

  function result(d) {
    var meta = d.meta || {};
    var li = document.createElement("li");
    li.className = "gs-result";
    var kicker = document.createElement("p");
    kicker.className = "gs-result__kicker";
    kicker.textContent = shown(meta.kind || "");
    var h = document.createElement("h2");
    h.className = "gs-result__title";
    var a = document.createElement("a");
    a.href = new URL(String(d.raw_url || d.url).replace(/^\//, ""), root).href;
    a.textContent = shown(meta.title || d.url);
    h.appendChild(a);
    var info = document.createElement("p");
    info.className = "gs-result__meta";
    info.textContent = [meta.date, shown(meta.place || "")].filter(Boolean).join(" · ");
    var excerpt = document.createElement("p");
    excerpt.className = "gs-result__excerpt";
    // Pagefind escapes the text; the only tags left are its <mark> highlights.
    excerpt.innerHTML = shown(d.excerpt || "").replace(/<(?!\/?mark>)/g, "&lt;");
    li.appendChild(kicker);
    li.appendChild(h);
    if (info.textContent) { li.appendChild(info); }
    li.appendChild(excerpt);
    return li;
  }

  function renderFacets() {
    var summary = facetPanel.querySelector("summary");
    var n = filterCount();
    summary.textContent = n ? "Lọc kết quả (" + n + " đang chọn)" : "Lọc kết quả";
    if (!facetsLoaded || !current) { return; }
    var counts = current.facetCounts || current.filters || {};
    facets.innerHTML = "";
    FACETS.forEach(function (f) {
      var key = f[0];
      var selected = state.filters[key] || [];
      var values = Object.keys(counts[key] || {}).filter(function (v) {
        return counts[key][v] > 0 || selected.indexOf(v) >= 0;
      });
      selected.forEach(function (v) { if (values.indexOf(v) < 0) { values.push(v); } });
      if (!values.length) { return; }
      values.sort(function (x, y) {
        if (key === "year") { return y.localeCompare(x); }
        return ((counts[key] || {})[y] || 0) - ((counts[key] || {})[x] || 0) || x.localeCompare(y, "vi");
      });
      var set = document.createElement("fieldset");
      set.className = "gs-facet";
      set.setAttribute("data-gs-facet", key);
      var legend = document.createElement("legend");
      legend.textContent = f[2];
      set.appendChild(legend);
      var ul = document.createElement("ul");
      values.forEach(function (v) {
        var li = document.createElement("li");
        var label = document.createElement("label");
        var check = document.createElement("input");
        check.type = "checkbox";
        check.name = f[1];
        check.value = v;
        check.checked = selected.indexOf(v) >= 0;
        check.setAttribute("data-gs-filter", key);
        var text = document.createElement("span");
        text.textContent = v;
        var num = document.createElement("span");
        num.className = "gs-facet__count";
        num.textContent = count((counts[key] || {})[v] || 0);
        label.appendChild(check);
        label.appendChild(text);
        label.appendChild(num);
        li.appendChild(label);
        ul.appendChild(li);
      });
      set.appendChild(ul);
      facets.appendChild(set);
    });
  }

  function openFacets() {
    if (facetsLoaded) { return Promise.resolve(); }
    facets.textContent = "Đang tải bộ lọc…";
    return load().then(function (pf) { return pf.filters(); }).then(function () {
      facetsLoaded = true;
      return search();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value;
    search();
  });
  input.addEventListener("input", function () {
    state.q = input.value;
    schedule();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      state.q = "";
      search();
    }
  });
  // Pagefind starts with the page; should that have failed, it tries again when the box gets focus.
  input.addEventListener("focus", function () { load().catch(function () {}); });
  facetPanel.addEventListener("toggle", function () { if (facetPanel.open) { openFacets(); } });
  facets.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || !el.hasAttribute("data-gs-filter")) { return; }
    var key = el.getAttribute("data-gs-filter");
    var values = (state.filters[key] || []).filter(function (v) { return v !== el.value; });
    if (el.checked) { values.push(el.value); }
    if (values.length) { state.filters[key] = values; } else { delete state.filters[key]; }
    search();
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    search();
  });
  more.addEventListener("click", function () { showMore(true).then(summarise); });
  older.addEventListener("click", function () {
    load().then(function (pf) { return mergeNext(pf); }).then(search);
  });

  // For tests and bench/search.py: run a query as if typed; how many bundles are searched.
  window.gsSearch.search = function (q) { input.value = q; state.q = q; return search(); };
  window.gsSearch.bundles = function () { return manifest ? merged : 0; };
  window.gsSearch.tuned = function () { return tuned; };

  readUrl();
  input.value = state.q;
  sortSelect.value = state.sort;
  var header = document.querySelector(".gs-search-box input[name=q]");
  if (header && state.q) { header.value = state.q; }
  load().catch(function () {});  // the reader came to search: Pagefind starts now, query or not
  if (filterCount()) { facetPanel.open = true; }  // its toggle event loads the facets and searches
  else { search(); }
})();
