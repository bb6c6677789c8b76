"""Value types of the front matter: converters and pydantic-annotated types.

`models` declares the content model with these types. Some validators need more
than the value (a vocabulary to resolve a name into its key, the line of a key):
they read pydantic's validation context, an object with

- ``term_key(vocabulary, text) -> str``: the key of the term `text` names in
  `vocabulary` ("fields", "organisations", "campaigns", "recognition_levels");
  raises ValueError with the message for the editor when there is none;
- ``line(loc) -> int``: the line of a location such as ``("cover", "src")``;
- ``site_url``: the site's address ("" when not set), against which full URLs in
  ``aliases:`` are checked.

Without a context (a model validated on its own) names are kept as written.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, PlainValidator, ValidationInfo, WithJsonSchema

from ..i18n import _
from ..vietnamese import VIETNAM_TZ, slugify
from . import limits
from .aliases import Alias, old_path
from .frontmatter import date_error
from .kinds import KIND_LABELS, PROFILE_KINDS, Kind

MIN_YEAR = 1900
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DATE_PATTERN = r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$"


# --- value converters -------------------------------------------------------


def describe(value: Any) -> str:
    """Short description of a YAML value, for messages."""
    if value is None:
        return _("an empty value")
    if isinstance(value, bool):
        return _("{value} (a yes/no value)").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, (dt.date, dt.datetime)):
        return _("the date {value}").format(value=value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _to_list(value: Any) -> Any:
    """None -> [], a single string -> [string]."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _none_to_false(value: Any) -> Any:
    return False if value is None else value


def to_datetime(value: Any) -> dt.datetime:
    """date, datetime or "YYYY-MM-DD[ HH:MM[:SS]]" -> naive Vietnam-time datetime."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(VIETNAM_TZ).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_RE.fullmatch(text)
        try:
            if match:
                return dt.datetime(*(int(g) for g in match.groups() if g is not None))
            return to_datetime(dt.datetime.fromisoformat(text))
        except ValueError as exc:
            if match:
                raise ValueError(
                    _("invalid date {value!r}: {reason}; correct the date").format(value=value, reason=date_error(exc))
                ) from None
    raise ValueError(
        _('expected a date like 2026-03-14 or "2026-03-14 08:30", got {value}').format(value=describe(value))
    )


def to_date(value: Any) -> dt.date:
    """Like `to_datetime` but keeps the date only."""
    return to_datetime(value).date()


def parse_story_kind(value: Any) -> Kind:
    return _kind(value, tuple(Kind))


def parse_profile_kind(value: Any) -> Kind:
    return _kind(value, PROFILE_KINDS)


_KIND_BY_SLUG = {k.value: k for k in Kind}


def _kind(value: Any, allowed: tuple[Kind, ...]) -> Kind:
    if isinstance(value, Kind) and value in allowed:
        return value
    if isinstance(value, str):
        kind = _KIND_BY_SLUG.get(value) or _KIND_BY_SLUG.get(slugify(value))
        if kind in allowed:
            return kind
    choices = ", ".join(f"{k.value} ({KIND_LABELS[k]})" for k in allowed)
    raise ValueError(
        _("unknown kind {value}; write one of: {choices}").format(value=describe(value), choices=choices)
    )


def _choice(choices: dict[str, tuple[str, ...]]) -> Any:
    """A value written as one of `choices`' keys or their other names (slugged: "văn bản" = "van-ban");
    validated into the key."""
    by_name = {slugify(name): key for key, names in choices.items() for name in (key, *names)}

    def parse(value: Any) -> str:
        key = by_name.get(slugify(value)) if isinstance(value, str) else None
        if key is None:
            raise ValueError(_("unknown value {value}; write one of: {choices}").format(
                value=describe(value), choices=", ".join(choices)))
        return key

    return Annotated[str, PlainValidator(parse), WithJsonSchema({"type": "string", "enum": list(choices)})]


def _kind_schema(allowed: tuple[Kind, ...]) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": [k.value for k in allowed] + [KIND_LABELS[k] for k in allowed],
        "x-labels": {k.value: KIND_LABELS[k] for k in allowed},  # the editor's choices (site_builder.admin)
    }


def check_slug(value: str) -> str:
    """A fixed slug: "" (not set) or lowercase a-z, 0-9 and single hyphens."""
    if value and not SLUG_RE.fullmatch(value):
        hint = slugify(value)
        if hint:
            raise ValueError(
                _("invalid slug {value!r}: use lowercase a-z, 0-9 and single hyphens, e.g. 'slug: {hint}'").format(
                    value=value, hint=hint
                )
            )
        raise ValueError(_("invalid slug {value!r}: use lowercase a-z, 0-9 and single hyphens").format(value=value))
    return value


def _check_year(value: int) -> int:
    this_year = dt.date.today().year
    if not MIN_YEAR <= value <= this_year:
        raise ValueError(
            _("year {value} is out of range: write a year between {first} and {last}").format(
                value=value, first=MIN_YEAR, last=this_year
            )
        )
    return value


def _check_url(value: str) -> str:
    if value:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
            raise ValueError(
                _("invalid web address {value}: it must start with http:// or https://").format(value=describe(value))
            )
    return value


def _term(vocabulary: str) -> AfterValidator:
    """Resolve an editor's name for a vocabulary term into the term's key (needs the validation context)."""

    def resolve(value: str, info: ValidationInfo) -> str:
        if not value or info.context is None:
            return value
        return info.context.term_key(vocabulary, value)

    return AfterValidator(resolve)


def _alias(value: Any, info: ValidationInfo) -> Alias:
    """An old address as written -> its site-relative path (`aliases.old_path`); lines are set by the model."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(_("expected text, got {value}").format(value=describe(value)))
    return Alias(old_path(value, getattr(info.context, "site_url", None)))


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values)) if len(values) > 1 else values


def _normpath(src: str) -> str:
    return posixpath.normpath(src)


# --- annotated types ------------------------------------------------------------

Text = Annotated[str, BeforeValidator(_none_to_empty), Field(max_length=limits.TEXT)]
RequiredText = Annotated[str, BeforeValidator(_none_to_empty), Field(min_length=1, max_length=limits.TEXT)]
Headline = Annotated[RequiredText, Field(max_length=limits.TITLE)]
TextList = Annotated[tuple[RequiredText, ...], BeforeValidator(_to_list)]
TagList = Annotated[tuple[Annotated[RequiredText, Field(max_length=limits.TAG)], ...], BeforeValidator(_to_list),
                    Field(max_length=limits.TAGS)]
Flag = Annotated[bool, BeforeValidator(_none_to_false)]
Year = Annotated[
    int,
    AfterValidator(_check_year),
    WithJsonSchema({"type": "integer", "minimum": MIN_YEAR, "maximum": dt.date.today().year}),
]
DateTime = Annotated[
    dt.datetime,
    PlainValidator(to_datetime),
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN, "examples": ["2026-03-14 08:30"], "x-date": "datetime"}),
]
Date = Annotated[
    dt.date,
    PlainValidator(to_date),
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN, "examples": ["2026-03-14"], "x-date": "date"}),
]
Slug = Annotated[
    str,
    BeforeValidator(_none_to_empty),
    AfterValidator(check_slug),
    WithJsonSchema({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}),
]
Url = Annotated[str, BeforeValidator(_none_to_empty), AfterValidator(_check_url)]
ImagePath = Annotated[RequiredText, AfterValidator(_normpath), Field(json_schema_extra={"x-photo": True})]
OldPaths = Annotated[
    tuple[Annotated[Alias, PlainValidator(_alias), WithJsonSchema(
        {"type": "string", "examples": ["/tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html", "/bai-viet/ten-cu/"]}
    )], ...],
    BeforeValidator(_to_list),
    Field(max_length=limits.OLD_ADDRESSES),
]
StoryKind = Annotated[Kind, PlainValidator(parse_story_kind), WithJsonSchema(_kind_schema(tuple(Kind)))]
ProfileKind = Annotated[Kind, PlainValidator(parse_profile_kind), WithJsonSchema(_kind_schema(PROFILE_KINDS))]

def _vocabulary(vocabulary: str) -> Any:
    """Validation into a term's key, and the JSON Schema's ``x-vocabulary`` (the editor's choices)."""
    return (_term(vocabulary), Field(json_schema_extra={"x-vocabulary": vocabulary}))


# Vocabulary terms: written as a name, short name, alias or key; validated into the key.
OrganisationKey = Annotated[Text, *_vocabulary("organisations")]
CampaignKey = Annotated[Text, *_vocabulary("campaigns")]
LevelKey = Annotated[RequiredText, *_vocabulary("recognition_levels")]
FieldKeys = Annotated[
    tuple[Annotated[RequiredText, *_vocabulary("fields")], ...], BeforeValidator(_to_list), AfterValidator(_unique),
    Field(max_length=limits.FIELDS),
]


# Who gave a consent, and how (content.models.Consent); English names are accepted too.
ConsentBy = _choice({"nguoi": ("person", "chính người đó"), "giam-ho": ("guardian", "người giám hộ"),
                     "ca-hai": ("both", "cả hai")})
ConsentHow = _choice({"van-ban": ("written",), "loi-noi": ("verbal",),
                      "su-kien-cong-khai": ("public-event", "public event", "sự kiện")})


def list_of(item: Any, most: int) -> Any:
    """A list of at most `most` `item`s (a tuple once validated); an empty value is an empty list."""
    return Annotated[tuple[item, ...], BeforeValidator(_none_to_list), Field(max_length=most)]
