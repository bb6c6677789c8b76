"""The committed JSON Schemas (used by the VS Code setup) match what `site-builder schema` writes."""

import json
from pathlib import Path

import pytest

from site_builder.content.schema import json_schema

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kind", ["story", "profile"])
def test_committed_schema_is_current(kind):
    committed = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(kind), f"run `site-builder schema` and commit schemas/{kind}.schema.json"
