"""JSON Schema for editors."""

from __future__ import annotations

import dataclasses
import json

import pytest

from site_builder.content.models import Profile, Story
from site_builder.content.schema import front_matter_keys, json_schema


def test_story_schema_is_json_and_lists_fields():
    schema = json.loads(json.dumps(json_schema("story"), ensure_ascii=False))
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    expected = {
        "title", "date", "summary", "kind", "people", "organisation", "place", "fields", "campaign",
        "recognition", "tags", "cover", "authors", "photographer", "source", "featured", "draft",
        "publish_date", "expires", "updated", "slug", "review", "withdrawn", "allow_personal_data", "aliases",
    }
    assert set(schema["properties"]) == expected
    assert set(schema["required"]) == {"title", "date", "summary", "kind"}
    assert schema["properties"]["title"]["title"] == "Tiêu đề"
    assert "Cá nhân" in schema["properties"]["kind"]["enum"]
    assert set(schema["$defs"]["Photo"]["required"]) == {"src", "alt"}
    assert schema["properties"]["aliases"]["items"]["type"] == "string"  # old addresses as written


def test_profile_and_vocabulary_schemas():
    profile = json_schema("profile")
    assert set(profile["required"]) == {"name", "kind", "summary"}
    assert "tin-tong-hop" not in profile["properties"]["kind"]["enum"]
    vocabulary = json_schema("vocabulary")
    assert vocabulary["type"] == "array"
    json.dumps(vocabulary)


def test_unknown_schema_kind():
    with pytest.raises(ValueError):
        json_schema("page")


def test_schema_and_models_agree():
    # The model's attributes that are not front matter (its file, body) are not in the schema.
    assert list(json_schema("story")["properties"]) == front_matter_keys(Story)
    assert list(json_schema("profile")["properties"]) == front_matter_keys(Profile)
    assert {"path", "body", "body_line"} <= {f.name for f in dataclasses.fields(Story)}
    assert "line" not in json_schema("story")["$defs"]["Photo"]["properties"]


def test_list_limits_are_max_items():
    """Editors (VS Code, the browser editor) apply `maxLength` to strings only: a list's limit is `maxItems`."""
    from site_builder.content import limits

    props = json_schema("story")["properties"]
    assert props["tags"]["maxItems"] == limits.TAGS and "maxLength" not in props["tags"]
    assert props["people"]["maxItems"] == limits.PEOPLE
    assert json.dumps(json_schema("story")).count('"type": "array", "maxLength"') == 0
