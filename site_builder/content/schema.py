"""Validation of the front matter with pydantic: validators, error messages, JSON Schema.

The models are declared once, in `models` (stories, profiles and their parts)
and here (`VocabularyEntry`, a vocabulary file's entry). These check shapes
and types and resolve vocabulary names; the loader checks what needs other
files (profile references, image files, duplicate slugs).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from ..i18n import N_, _
from . import limits
from .frontmatter import Loc
from .models import NOT_FRONT_MATTER, Profile, Story
from .values import RequiredText, Slug, Text, TextList, describe


class VocabularyEntry(BaseModel):
    """Một mục trong danh mục (content/vocabularies/*.yml)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True, frozen=True, title="Mục danh mục"
    )
    name: RequiredText = Field(title="Tên", description="Tên hiển thị (bắt buộc).")
    key: Slug = Field("", title="Khóa", description="Khóa dùng trong URL; mặc định là slug của tên.")
    short_name: Text = Field("", title="Tên viết tắt", description='Ví dụ: "Hội LHPN".')
    aliases: TextList = Field(
        default_factory=tuple, max_length=limits.ALIASES, title="Tên khác",
        description="Các cách viết khác biên tập viên có thể dùng.",
    )
    description: Text = Field("", title="Mô tả", description="Mô tả ngắn.")


SCHEMA_KINDS = {"story": Story, "profile": Profile, "vocabulary": list[VocabularyEntry]}


@functools.cache
def adapter(model: Any) -> TypeAdapter:
    """The validator of `model` (built once per process)."""
    return TypeAdapter(model)


def json_schema(kind: Literal["story", "profile", "vocabulary"]) -> dict[str, Any]:
    """JSON Schema for editors (e.g. VS Code's ``yaml.schemas``)."""
    try:
        target = SCHEMA_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown schema kind {kind!r}; expected one of {sorted(SCHEMA_KINDS)}") from None
    schema = _array_limits(adapter(target).json_schema())
    if kind == "vocabulary":
        schema["title"] = "Danh mục"
        schema["description"] = "Danh sách các mục: lĩnh vực, cơ quan, phong trào hoặc cấp khen thưởng."
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _array_limits(node: Any) -> Any:
    """A list's size limit as JSON Schema says it (`maxItems`): pydantic writes a `Field(max_length=...)`
    in front of a validator as `maxLength`, which editors apply to strings only."""
    if isinstance(node, dict):
        if node.get("type") == "array":
            for short, items in (("maxLength", "maxItems"), ("minLength", "minItems")):
                if short in node:
                    node[items] = node.pop(short)
        for value in node.values():
            _array_limits(value)
    elif isinstance(node, list):
        for value in node:
            _array_limits(value)
    return node


# --- error messages ------------------------------------------------------------------


def front_matter_keys(model: Any) -> list[str]:
    """The keys an editor may write in the mapping `model` validates, in declaration order."""
    if dataclasses.is_dataclass(model):
        return [f.name for f in dataclasses.fields(model) if f.init and f.name not in NOT_FRONT_MATTER]
    return list(model.model_fields)


def _model_at(model: Any, loc: Loc) -> Any:
    """The model of the mapping at `loc` (list indexes skipped), or None."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in front_matter_keys(current):
            return None
        current = _inner_model(_annotation(current, part))
    return current


def _field_names(model: Any, loc: Loc) -> list[str]:
    """Known keys of the model found at `loc`."""
    found = _model_at(model, loc)
    return front_matter_keys(found) if found is not None else []


def field_title(model: Any, loc: Loc) -> str:
    """The Vietnamese name of the field at `loc` ("tiêu đề" for ``title``), or its key."""
    key = str(loc[-1]) if loc else ""
    parent = _model_at(model, loc[:-1])
    if parent is None or key not in front_matter_keys(parent):
        return key
    if dataclasses.is_dataclass(parent):
        infos = [m for m in getattr(_annotation(parent, key), "__metadata__", ()) if isinstance(m, FieldInfo)]
        title = next((i.title for i in reversed(infos) if i.title), None)
    else:
        title = parent.model_fields[key].title
    return title[0].lower() + title[1:] if title else key


def _annotation(model: Any, name: str) -> Any:
    if dataclasses.is_dataclass(model):
        return _type_hints(model)[name]
    return model.model_fields[name].annotation


@functools.cache
def _type_hints(model: type) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


def _inner_model(annotation: Any) -> Any:
    """First model class (dataclass or BaseModel) inside `annotation` (through Optional/tuple/Annotated)."""
    if isinstance(annotation, type) and (dataclasses.is_dataclass(annotation) or issubclass(annotation, BaseModel)):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def did_you_mean(word: str, choices: list[str], list_if_few: int = 0) -> str:
    """"; did you mean 'x'?" or "; write one of: ..." or ""."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return _("; did you mean {choice!r}?").format(choice=close[0])
    if choices and len(choices) <= list_if_few:
        return _("; write one of: {choices}").format(choices=", ".join(choices))
    return ""


_MAPPING = N_("expected a mapping of 'key: value' lines, got {value}")
_TYPE_MESSAGES = {
    "string_type": N_("expected text, got {value}"),
    "int_type": N_("expected a whole number, got {value}"),
    "int_parsing": N_("expected a whole number, got {value}"),
    "int_from_float": N_("expected a whole number, got {value}"),
    "bool_type": N_("expected true or false, got {value}"),
    "bool_parsing": N_("expected true or false, got {value}"),
    "list_type": N_("expected a list, got {value}"),
    "tuple_type": N_("expected a list, got {value}"),
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": _MAPPING,
    "dataclass_type": _MAPPING,
    "dataclass_exact_type": _MAPPING,
}


#: Values outside their limits (a number too large, a word not in a list): pydantic's own words are English.
_LIMITS = {
    "greater_than_equal": (N_("write a number of at least {limit} (it is {value})"), "ge"),
    "greater_than": (N_("write a number greater than {limit} (it is {value})"), "gt"),
    "less_than_equal": (N_("write a number of at most {limit} (it is {value})"), "le"),
    "less_than": (N_("write a number less than {limit} (it is {value})"), "lt"),
    "literal_error": (N_("write one of {limit} (it is {value})"), "expected"),
    "enum": (N_("write one of {limit} (it is {value})"), "expected"),
}


def unknown_field(model: Any, loc: Loc) -> str:
    """"unknown field 'x'; did you mean 'y'?" for the key at `loc`."""
    name = str(loc[-1]) if loc else ""
    hint = did_you_mean(name, _field_names(model, loc[:-1]), list_if_few=8)
    if hint:
        return _("unknown field {name!r}").format(name=name) + hint
    return _("unknown field {name!r}: correct its name or remove the line").format(name=name)


def translate_errors(model: Any, exc: ValidationError) -> list[tuple[Loc, str]]:
    """Pydantic errors -> (location, short message for the editor)."""
    out: list[tuple[Loc, str]] = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        kind, value = err["type"], err.get("input")
        if kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
            key = str(loc[-1]) if loc else ""
            message = _("{key} is required ({title}): add a line '{key}: ...'").format(
                key=key, title=field_title(model, loc)
            )
        elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
            message = unknown_field(model, loc)
        elif kind in ("string_too_short", "too_short"):
            message = _("must not be empty: write a value")
        elif kind in ("string_too_long", "too_long") and isinstance(value, str):
            message = _("too long: {length} characters where {most} at most are allowed: shorten it").format(
                length=len(value.strip()), most=err["ctx"]["max_length"])
        elif kind == "too_long":
            message = _("too many: {length} where {most} at most are allowed: remove some").format(
                length=err["ctx"].get("actual_length", "?"), most=err["ctx"]["max_length"])
        elif kind in _TYPE_MESSAGES:
            message = _(_TYPE_MESSAGES[kind]).format(value=describe(value))
        elif kind in _LIMITS:
            template, key = _LIMITS[kind]
            limit = str(err.get("ctx", {}).get(key, ""))
            if key == "expected":  # "'auto', 'all' or 'off'"
                limit = limit.replace(" or ", ", ")
            message = _(template).format(limit=limit, value=describe(value))
        elif kind in ("value_error", "assertion_error"):
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            message = err["msg"]
        out.append((loc, message))
    return out


def validate(model: type, data: dict[str, Any], context: Any) -> tuple[Any, list[tuple[Loc, str]]]:
    """Validate `data` into `model`: (the object, []) or (None, [(location, message), ...])."""
    try:
        return adapter(model).validate_python(data, context=context), []
    except ValidationError as exc:
        return None, translate_errors(model, exc)
