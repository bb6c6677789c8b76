"""Pydantic models of the front matter: validation, error messages and JSON Schema.

These models check shapes and types only; cross-references (vocabulary terms,
profile slugs, image files) are checked by the loader.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)

from ..vietnamese import VIETNAM_TZ, slugify
from .frontmatter import Loc
from .models import KIND_LABELS, PROFILE_KINDS, Kind

MIN_YEAR = 1900
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DATE_PATTERN = r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$"


# --- value converters -------------------------------------------------------


def describe(value: Any) -> str:
    """Short English description of a YAML value, for messages."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
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
                raise ValueError(f"invalid date {value!r}: {exc}") from None
    raise ValueError(
        f"expected a date like 2026-03-14 or \"2026-03-14 08:30\", got {describe(value)}"
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
    raise ValueError(f"unknown kind {describe(value)}; expected one of: {choices}")


def _kind_schema(allowed: tuple[Kind, ...]) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": [k.value for k in allowed] + [KIND_LABELS[k] for k in allowed],
    }


def check_slug(value: str) -> str:
    """A fixed slug: "" (not set) or lowercase a-z, 0-9 and single hyphens."""
    if value and not SLUG_RE.fullmatch(value):
        hint = slugify(value)
        suggestion = f"; try {hint!r}" if hint else ""
        raise ValueError(
            f"invalid slug {value!r}: use lowercase a-z, 0-9 and single hyphens{suggestion}"
        )
    return value


def _check_year(value: int) -> int:
    this_year = dt.date.today().year
    if not MIN_YEAR <= value <= this_year:
        raise ValueError(f"year {value} is out of range: must be between {MIN_YEAR} and {this_year}")
    return value


def _check_url(value: str) -> str:
    if value:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
            raise ValueError(f"invalid URL {describe(value)}: must start with http:// or https://")
    return value


# --- annotated types ------------------------------------------------------------

Text = Annotated[str, BeforeValidator(_none_to_empty)]
RequiredText = Annotated[str, BeforeValidator(_none_to_empty), Field(min_length=1)]
TextList = Annotated[list[RequiredText], BeforeValidator(_to_list)]
Flag = Annotated[bool, BeforeValidator(_none_to_false)]
Year = Annotated[
    int,
    AfterValidator(_check_year),
    WithJsonSchema({"type": "integer", "minimum": MIN_YEAR, "maximum": dt.date.today().year}),
]
DateTime = Annotated[
    dt.datetime,
    PlainValidator(to_datetime),
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN, "examples": ["2026-03-14 08:30"]}),
]
Date = Annotated[
    dt.date,
    PlainValidator(to_date),
    WithJsonSchema({"type": "string", "pattern": _DATE_PATTERN, "examples": ["2026-03-14"]}),
]
Slug = Annotated[
    str,
    BeforeValidator(_none_to_empty),
    AfterValidator(check_slug),
    WithJsonSchema({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}),
]
Url = Annotated[str, BeforeValidator(_none_to_empty), AfterValidator(_check_url)]
StoryKind = Annotated[Kind, PlainValidator(parse_story_kind), WithJsonSchema(_kind_schema(tuple(Kind)))]
ProfileKind = Annotated[Kind, PlainValidator(parse_profile_kind), WithJsonSchema(_kind_schema(PROFILE_KINDS))]


def _list_of(item: Any) -> Any:
    return Annotated[list[item], BeforeValidator(lambda v: [] if v is None else v)]


# --- models ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True, frozen=True
    )


class PersonFM(_Model):
    """Một người được nêu trong bài."""

    model_config = ConfigDict(title="Nhân vật")
    name: RequiredText = Field(title="Họ tên", description="Họ và tên (bắt buộc).")
    role: Text = Field("", title="Chức vụ", description="Chức vụ, nghề nghiệp hoặc vai trò.")
    birth_year: Year | None = Field(None, title="Năm sinh", description="Năm sinh, từ 1900 đến năm nay.")
    profile: Text = Field("", title="Hồ sơ", description="Slug của hồ sơ trong content/profiles/.")


class PlaceFM(_Model):
    """Địa phương."""

    model_config = ConfigDict(title="Địa phương")
    commune: Text = Field("", title="Xã/phường", description="Xã, phường hoặc thị trấn.")
    district: Text = Field("", title="Huyện", description="Huyện, thị xã, thành phố (không bắt buộc).")
    province: RequiredText = Field(title="Tỉnh/thành phố", description="Tỉnh hoặc thành phố (bắt buộc).")


class RecognitionFM(_Model):
    """Một danh hiệu hoặc hình thức khen thưởng."""

    model_config = ConfigDict(title="Khen thưởng")
    level: RequiredText = Field(
        title="Cấp khen thưởng", description="Tên hoặc khóa trong recognition_levels.yml."
    )
    year: Year = Field(title="Năm", description="Năm được khen thưởng.")
    title: RequiredText = Field(title="Danh hiệu", description="Ví dụ: Bằng khen của Chủ tịch UBND tỉnh.")


class PhotoFM(_Model):
    """Một ảnh trong thư mục images/."""

    model_config = ConfigDict(title="Ảnh")
    src: RequiredText = Field(title="Tệp ảnh", description="Đường dẫn tương đối trong thư mục images/.")
    alt: RequiredText = Field(title="Mô tả ảnh", description="Mô tả nội dung ảnh cho người khiếm thị (bắt buộc).")
    caption: Text = Field("", title="Chú thích", description="Chú thích hiển thị dưới ảnh.")
    credit: Text = Field("", title="Tác giả ảnh", description="Người chụp hoặc nguồn ảnh.")


class SourceFM(_Model):
    """Nguồn của bài đăng lại."""

    model_config = ConfigDict(title="Nguồn")
    outlet: RequiredText = Field(title="Cơ quan báo chí", description="Ví dụ: Báo Vĩnh Phúc.")
    url: Url = Field("", title="Địa chỉ", description="Địa chỉ bài gốc (http:// hoặc https://).")
    date: Date | None = Field(None, title="Ngày đăng", description="Ngày đăng bài gốc.")


class _CommonFM(_Model):
    organisation: Text = Field(
        "", title="Cơ quan, đơn vị", description="Tên, tên viết tắt, tên khác hoặc khóa trong organisations.yml."
    )
    place: PlaceFM | None = Field(None, title="Địa phương", description="Nơi diễn ra câu chuyện.")
    fields: TextList = Field(
        default_factory=list, title="Lĩnh vực", description="Tên hoặc khóa trong fields.yml."
    )
    recognition: _list_of(RecognitionFM) = Field(
        default_factory=list, title="Khen thưởng", description="Danh hiệu, hình thức khen thưởng."
    )
    draft: Flag = Field(False, title="Bản nháp", description="true: chưa xuất bản.")
    slug: Slug = Field(
        "", title="Slug", description="Đường dẫn cố định (chữ thường a-z, số 0-9, dấu gạch ngang)."
    )


class StoryFM(_CommonFM):
    """Front matter của một bài viết (content/stories/<năm>/<slug>.md)."""

    model_config = ConfigDict(title="Bài viết")
    title: RequiredText = Field(title="Tiêu đề", description="Tiêu đề bài viết (bắt buộc).")
    date: DateTime = Field(
        title="Ngày đăng", description='Ngày hoặc ngày giờ (giờ Việt Nam), ví dụ "2026-03-14 08:30" (bắt buộc).'
    )
    summary: RequiredText = Field(title="Sapo", description="Tóm tắt 1–3 câu (bắt buộc).")
    kind: StoryKind = Field(
        title="Loại bài", description="ca-nhan, tap-the, mo-hinh, tin-tong-hop (hoặc Cá nhân, Tập thể, ...)."
    )
    people: _list_of(PersonFM) = Field(
        default_factory=list, title="Nhân vật", description="Những người được nêu trong bài."
    )
    campaign: Text = Field("", title="Phong trào", description="Tên hoặc khóa trong campaigns.yml.")
    tags: TextList = Field(default_factory=list, title="Thẻ", description="Thẻ tự do.")
    cover: PhotoFM | None = Field(None, title="Ảnh bìa", description="Ảnh đầu bài; cần src và alt.")
    authors: TextList = Field(default_factory=list, title="Tác giả", description='Dòng "Bài: ...".')
    photographer: Text = Field("", title="Ảnh", description='Dòng "Ảnh: ...".')
    source: SourceFM | None = Field(None, title="Nguồn", description="Với bài đăng lại: Theo ...")
    featured: Flag = Field(False, title="Nổi bật", description="Hiện ở mục Nổi bật trên trang chủ.")
    publish_date: DateTime | None = Field(
        None, title="Ngày xuất bản", description="Không xuất bản trước ngày này."
    )
    expires: DateTime | None = Field(None, title="Ngày hết hạn", description="Gỡ khỏi trang sau ngày này.")
    updated: DateTime | None = Field(None, title="Cập nhật", description="Lần sửa gần nhất.")


class ProfileFM(_CommonFM):
    """Front matter của một hồ sơ (content/profiles/<loại>/<slug>.md)."""

    model_config = ConfigDict(title="Hồ sơ")
    name: RequiredText = Field(title="Tên", description="Họ tên người, tên tập thể hoặc mô hình (bắt buộc).")
    kind: ProfileKind = Field(
        title="Loại hồ sơ", description="ca-nhan, tap-the hoặc mo-hinh; phải khớp thư mục chứa tệp."
    )
    summary: RequiredText = Field(title="Tóm tắt", description="Một hoặc hai câu (bắt buộc).")
    role: Text = Field("", title="Chức vụ", description="Chức vụ, vai trò.")
    birth_year: Year | None = Field(None, title="Năm sinh", description="Chỉ dùng cho cá nhân.")
    photo: PhotoFM | None = Field(None, title="Ảnh", description="Ảnh chân dung hoặc ảnh đại diện.")


class VocabularyEntryFM(_Model):
    """Một mục trong danh mục (content/vocabularies/*.yml)."""

    model_config = ConfigDict(title="Mục danh mục")
    name: RequiredText = Field(title="Tên", description="Tên hiển thị (bắt buộc).")
    key: Slug = Field("", title="Khóa", description="Khóa dùng trong URL; mặc định là slug của tên.")
    short_name: Text = Field("", title="Tên viết tắt", description='Ví dụ: "Hội LHPN".')
    aliases: TextList = Field(
        default_factory=list, title="Tên khác", description="Các cách viết khác biên tập viên có thể dùng."
    )
    description: Text = Field("", title="Mô tả", description="Mô tả ngắn.")


SCHEMA_KINDS = {"story": StoryFM, "profile": ProfileFM, "vocabulary": list[VocabularyEntryFM]}


def json_schema(kind: Literal["story", "profile", "vocabulary"]) -> dict[str, Any]:
    """JSON Schema for editors (e.g. VS Code's ``yaml.schemas``)."""
    try:
        target = SCHEMA_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown schema kind {kind!r}; expected one of {sorted(SCHEMA_KINDS)}") from None
    schema = TypeAdapter(target).json_schema()
    if kind == "vocabulary":
        schema["title"] = "Danh mục"
        schema["description"] = "Danh sách các mục: lĩnh vực, cơ quan, phong trào hoặc cấp khen thưởng."
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# --- error messages ------------------------------------------------------------------


def _field_names(model: Any, loc: Loc) -> list[str]:
    """Known keys of the model found at `loc` (list indexes skipped)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if isinstance(current, type) else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _inner_model(annotation: Any) -> Any:
    """First BaseModel class inside `annotation` (through Optional/list/Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found = _inner_model(meta)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def did_you_mean(word: str, choices: list[str], list_if_few: int = 0) -> str:
    """" (did you mean 'x'?)" or " (expected one of: ...)" or ""."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if choices and len(choices) <= list_if_few:
        return "; expected one of: " + ", ".join(choices)
    return ""


_TYPE_MESSAGES = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping of 'key: value' lines",
    "model_attributes_type": "expected a mapping of 'key: value' lines",
    "dict_type": "expected a mapping of 'key: value' lines",
}


def translate_errors(model: Any, exc: ValidationError) -> list[tuple[Loc, str]]:
    """Pydantic errors -> (location, short English message)."""
    out: list[tuple[Loc, str]] = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        kind, value = err["type"], err.get("input")
        if kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            name = str(loc[-1]) if loc else ""
            known = _field_names(model, loc[:-1])
            message = f"unknown field {name!r}" + did_you_mean(name, known, list_if_few=8)
        elif kind in ("string_too_short", "too_short"):
            message = "must not be empty"
        elif kind in _TYPE_MESSAGES:
            message = f"{_TYPE_MESSAGES[kind]}, got {describe(value)}"
        elif kind in ("value_error", "assertion_error"):
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            message = err["msg"]
        out.append((loc, message))
    return out
