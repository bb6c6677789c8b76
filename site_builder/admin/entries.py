"""The text of a story, profile or vocabulary file, as the editor shows it and as it is written.

Decap reads and writes a front matter file as YAML plus a Markdown body. What it sends is
parsed with our own parser and written again by `dump` (keys in the editor's order, empty
values left out, Unicode kept), so that what is checked is exactly what is written. What it
is sent (`for_editor`) is the file with its values in the editor's terms: vocabulary names as
their keys (the selects' values), kinds as their slugs, dates as text, and the slug the file
has (so the preview's address is known).

A vocabulary file is a plain YAML list; Decap edits only mappings, so the editor sees it as
``{muc: [...]}`` (`config.VOCABULARY_ITEMS`) and it is written back as the list.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from site_builder.content.frontmatter import decode, parse_document, parse_yaml
from site_builder.content.models import Vocabulary
from site_builder.content.values import SLUG_RE, parse_story_kind
from site_builder.vietnamese import nfc, slugify

from .config import VOCABULARY_ITEMS

#: Front matter keys holding a vocabulary term (a list for `fields`), by vocabulary.
_TERM_KEYS = {"organisation": "organisations", "campaign": "campaigns", "fields": "fields"}
_DATETIME_KEYS = ("date", "publish_date", "expires", "updated")


class _Dumper(yaml.SafeDumper):
    """Block style, text of several lines as a literal block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000,
                     default_flow_style=False)


def dump(data: dict[str, Any], body: str) -> str:
    """A front matter file: ``---``, the YAML of `data`, ``---``, the body (ending with a new line)."""
    body = body.strip("\n")
    return f"---\n{dump_yaml(data) if data else ''}---\n{body}\n" if body else f"---\n{dump_yaml(data)}---\n"


def prune(value: Any) -> Any:
    """`value` without its empty parts (None, "", [], {}); None when nothing is left. What the
    editor sends for a field left empty is no value at all in the file."""
    if isinstance(value, dict):
        kept = {k: v for k, v in ((k, prune(v)) for k, v in value.items()) if v is not None}
        return kept or None
    if isinstance(value, list):
        kept = [v for v in (prune(v) for v in value) if v is not None]
        return kept or None
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def from_editor(raw: str) -> tuple[dict[str, Any] | None, str, list[str]]:
    """The front matter and body of what the editor sent; problems of its YAML as messages."""
    doc = parse_document(nfc(raw))
    problems = [p.message for p in doc.problems if p.severity == "error"]
    data = prune(doc.data) if isinstance(doc.data, dict) else None
    return (data or {}) if not problems else None, doc.body, problems


def for_editor(path: Path, data: bytes, vocabularies: dict[str, Vocabulary], is_vocabulary: bool) -> str:
    """The text the editor is given for the file `path` (its own text when it cannot be read)."""
    text, _problem = decode(data)
    if text is None:
        return data.decode("utf-8", "replace")
    if is_vocabulary:
        parsed = parse_yaml(nfc(text))
        if not parsed.ok or not isinstance(parsed.data, (list, type(None))):
            return text
        return dump_yaml({VOCABULARY_ITEMS: parsed.data or []})
    doc = parse_document(nfc(text))
    if not doc.ok or not isinstance(doc.data, dict):
        return text
    values = {key: _plain(value) for key, value in doc.data.items()}
    _to_keys(values, vocabularies)
    slug = values.get("slug")
    if not (isinstance(slug, str) and SLUG_RE.fullmatch(slug)) and SLUG_RE.fullmatch(path.stem):
        values["slug"] = path.stem  # the file name is its slug
    return dump(values, doc.body)


def vocabulary_text(data: dict[str, Any]) -> str:
    """The file of a vocabulary the editor sent as ``{muc: [...]}``: its entries as a YAML list."""
    entries = data.get(VOCABULARY_ITEMS) or []
    return dump_yaml(entries) if entries else "[]\n"


def _plain(value: Any) -> Any:
    """Dates as the editor writes them ("2026-03-14 08:30"); lists and mappings as they are."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _to_keys(values: dict[str, Any], vocabularies: dict[str, Vocabulary]) -> None:
    """Vocabulary names and kind labels replaced by the keys the editor's selects hold."""
    index = {name: _index(vocabulary) for name, vocabulary in vocabularies.items()}
    for key, name in _TERM_KEYS.items():
        value = values.get(key)
        if isinstance(value, str) and key == "fields":
            value = [value]
        if isinstance(value, list):
            values[key] = [index[name].get(slugify(str(v)), v) for v in value]
        elif isinstance(value, str):
            values[key] = index[name].get(slugify(value), value)
    for award in values.get("recognition") or ():
        if isinstance(award, dict) and isinstance(award.get("level"), str):
            award["level"] = index["recognition_levels"].get(slugify(award["level"]), award["level"])
    if isinstance(values.get("kind"), str):
        try:
            values["kind"] = parse_story_kind(values["kind"]).value
        except ValueError:
            pass
    for key in _DATETIME_KEYS:  # the editor's date field reads "YYYY-MM-DD HH:mm"
        if isinstance(values.get(key), str) and len(values[key]) == 10:
            values[key] += " 00:00"
    for key in ("authors", "tags"):
        if isinstance(values.get(key), str):
            values[key] = [values[key]]


def _index(vocabulary: Vocabulary) -> dict[str, str]:
    """Every spelling of every term (as a slug) -> the term's key."""
    out: dict[str, str] = {}
    for term in vocabulary.terms:
        for spelling in (term.key, term.name, term.short_name, *term.aliases):
            if spelling:
                out.setdefault(slugify(spelling), term.key)
    return out
