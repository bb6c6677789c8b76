# Gương Sáng — the two commands of README.md:
#   make serve   build the demo site and serve it on http://127.0.0.1:8000, the editor on :8001/admin/ (installs first)
#   make test    run the whole test suite (installs Python packages, Chromium and axe-core first)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-fast check install browser-deps search-deps editor-deps lighthouse bench messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The site on :8000 and, beside it, the browser editor on :8001 (Decap CMS from node_modules/);
# both stop with Ctrl+C.
serve: $(STAMP) search-deps editor-deps
	$(BIN)/site-builder build
	@echo "Trang web (xem thử):  http://127.0.0.1:8000/"
	@echo "Trang biên tập:       http://127.0.0.1:8001/admin/"
	@trap 'kill 0' INT TERM EXIT; $(BIN)/site-builder admin --port 8001 & $(BIN)/site-builder serve

# Decap CMS, the editor (package.json pins it).
editor-deps:
	@test -f node_modules/decap-cms/dist/decap-cms.js || npm ci --no-audit --no-fund --silent

build: $(STAMP) search-deps
	$(BIN)/site-builder build

check: $(STAMP)
	$(BIN)/site-builder check

# Debian's Chromium (never a downloaded browser), rsync (deploy's tests) and axe-core from the npm registry.
# (tests/test_server_nginx.py installs Debian's nginx and its Brotli module itself when missing.)
browser-deps:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@command -v rsync >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync >/dev/null)
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

# Pagefind 1.6.0, the search indexer binary (package.json pins it): the build needs it and has no other.
PAGEFIND := node_modules/@pagefind/linux-x64/bin/pagefind_extended
search-deps:
	@test -x $(PAGEFIND) || npm ci --no-audit --no-fund --silent
	@test -x $(PAGEFIND) || (echo "error: npm ci installed no $(PAGEFIND) (@pagefind/linux-x64 1.6.0 is for Linux x64): the search index cannot be built" >&2; exit 1)

test: $(STAMP) browser-deps search-deps editor-deps
	$(BIN)/python -m pytest -o addopts="" -q -p no:cacheprovider

test-fast: $(STAMP)
	$(BIN)/python -m pytest

lighthouse: $(STAMP) browser-deps
	@test -x bench/node_modules/.bin/lighthouse || (cd bench && npm ci --no-audit --no-fund --silent)
	$(BIN)/python bench/lighthouse.py

# Messages (site_builder/i18n.py): re-extract them (babel.cfg), update the Vietnamese catalog
# site_builder/locale/vi/LC_MESSAGES/messages.po and compile messages.mo (both committed).
# New messages come with an empty translation: write it in the .po, then run `make messages` again.
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

bench: $(STAMP)
	$(BIN)/python bench/build.py 2000
	$(BIN)/python bench/build.py 4000

clean:
	rm -rf site .cache .pytest_cache
