"""Fuzzing `check` with random stories (front matter and Markdown bodies, tests/fuzzkit.py).

Properties: `check` never raises, always exits 0 or 1, every line it prints about a problem
starts with `path:line:`, an exit 1 comes with at least one such line; and whatever `check`
accepts, `build` builds. The short profile runs here (GS_FUZZ_EXAMPLES, default 150);
`bench/fuzz.py` runs the long one.
"""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from conftest import REPO, SITE_BUILDER, english_env, run_tool
from fuzzkit import ISSUE, STORY_FILE, make_project, run_check, story_file
from site_builder.content.aliases import old_path
from site_builder.routes import urls
from site_builder.settings import load_settings

EXAMPLES = int(os.environ.get("GS_FUZZ_EXAMPLES", "150"))
ACCEPTED: list[str] = []  # what `check` accepted, built by the next test


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fuzz") / "project")


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=story_file)
def test_check_never_crashes_and_says_where(fuzz_project, text):
    (fuzz_project / STORY_FILE).write_text(text, encoding="utf-8")
    code, lines, summary = run_check(fuzz_project)
    assert code in (0, 1)
    assert all(ISSUE.match(line) for line in lines), lines
    assert summary.strip()
    if code == 1:
        assert any(ISSUE.match(line) for line in lines)
    else:
        ACCEPTED.append(text)


#: Where other stories' pages may be: an old address accepted alone may be a list page of the whole site.
_LISTS = (urls.STORIES, urls.PROFILES, *urls.TAXONOMY_PREFIXES.values())


def _own_aliases(aliases, taken: set[str]) -> bool:
    """Whether the old addresses `aliases` (as written) are no other file's and none is under the site's lists;
    if so they are added to `taken`."""
    if aliases is None:
        return True
    site_url = load_settings(REPO / "mkdocs.yml").site_url
    written = aliases if isinstance(aliases, list) else [aliases]
    outputs = {urls.redirect_output(old_path(str(a), site_url)) for a in written}
    if outputs & taken or any(o.startswith(_LISTS) for o in outputs):
        return False
    taken |= outputs
    return True


def test_what_check_accepts_builds(tmp_path):
    if not ACCEPTED:
        pytest.skip("nothing accepted yet: this test builds what test_check_never_crashes_and_says_where accepted")
    root = make_project(tmp_path / "project")
    taken: set[str] = set()
    for i, text in enumerate(ACCEPTED):
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front)
        data.pop("slug", None)  # each file its own slug (the file name): they were accepted one at a time
        if not _own_aliases(data.get("aliases"), taken):
            data.pop("aliases", None)  # old addresses too must be another file's
        (root / "content" / "stories" / "2026" / f"bai-thu-{i}.md").write_text(
            "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")
    result = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "build", cwd=root, env=english_env(), timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"{len(ACCEPTED)} accepted stories built")
