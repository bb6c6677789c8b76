"""The content model: plain typed objects, each declared once.

These dataclasses are both

- the contract of the front matter: `schema.validate` turns an editor's YAML
  mapping into a `Story` or `Profile` with pydantic (shapes, types, vocabulary
  names resolved into keys), and their annotations, with Vietnamese titles and
  descriptions, are the JSON Schemas editors get (`schema.json_schema`);
- what everything downstream consumes (`catalog`, `pages`, `images`, `search`,
  `outputs`): already-validated, NFC-normalised data; no MkDocs, no YAML nodes.

Built directly (tests, benchmarks, Markdown images), they are not validated.
The attributes that are not front matter (`NOT_FRONT_MATTER`: a story's file,
body and first body line; a photo's line) are set by the loader and left out
of the JSON Schemas; editors who write them get "unknown field".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, ValidationInfo
from pydantic.json_schema import SkipJsonSchema

from site_builder.content.kinds import KIND_LABELS, PROFILE_KINDS, Kind  # noqa: F401 (re-exported)
from site_builder.content import limits
from site_builder.content.aliases import Alias
from site_builder.content.values import (
    CampaignKey,
    ConsentBy,
    ConsentHow,
    Date,
    DateTime,
    FieldKeys,
    Flag,
    Headline,
    ImagePath,
    LevelKey,
    OldPaths,
    OrganisationKey,
    ProfileKind,
    RequiredText,
    Slug,
    StoryKind,
    TagList,
    Text,
    TextList,
    Url,
    Year,
    list_of,
)
from site_builder.routes import urls

#: Attributes set by the loader, never by editors.
NOT_FRONT_MATTER = frozenset({"path", "body", "body_line", "line"})


def _config(title: str, description: str) -> ConfigDict:
    """Validation rules of every front matter mapping; `title` and `description` are for the JSON Schema."""
    return ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        title=title,
        json_schema_extra={"description": description},
    )


def _about(title: str, description: str) -> Any:
    """A field's title and description in the JSON Schema (Vietnamese: editors read them)."""
    return Field(title=title, description=description)


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary (field, organisation, campaign, level)."""

    key: str  # slug, stable, used in URLs
    name: str  # Vietnamese display name
    description: str = ""
    short_name: str = ""  # e.g. "Hội LHPN" for organisations; "" if none
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """A named controlled vocabulary: fields, organisations, campaigns, recognition_levels."""

    name: str
    terms: tuple[Term, ...]

    def by_key(self) -> dict[str, Term]:
        return {t.key: t for t in self.terms}


@dataclass(frozen=True)
class Place:
    """A place as written by the editor; slugs are derived for URLs."""

    __pydantic_config__ = _config("Địa phương", "Địa phương.")

    province: Annotated[RequiredText, _about("Tỉnh/thành phố", "Tỉnh hoặc thành phố (bắt buộc).")]
    # "xã Tân Phong" / "phường Liên Bảo"; may be empty for province-wide stories
    commune: Annotated[Text, _about("Xã/phường", "Xã, phường hoặc thị trấn.")] = ""
    # "huyện Bình Xuyên"; optional (2025 reform removed districts)
    district: Annotated[Text, _about("Huyện", "Huyện, thị xã, thành phố (không bắt buộc).")] = ""

    @property
    def label(self) -> str:
        """Human form: 'xã Tân Phong, huyện Bình Xuyên, Vĩnh Phúc'."""
        return ", ".join(p for p in (self.commune, self.district, self.province) if p)


@dataclass(frozen=True)
class Consent:
    """Who agreed to a person's name and image being published (Civil Code art. 32), never published.

    `by` says who gave it: the person, a guardian (with `guardian:` their name), or both (a minor of
    7 or more: the child and a guardian).
    """

    __pydantic_config__ = _config("Đồng ý", "Sự đồng ý cho đăng tên và hình ảnh (không hiển thị trên trang).")

    by: Annotated[ConsentBy, _about("Người đồng ý", "nguoi (chính người đó), giam-ho (người giám hộ) "
                                                    "hoặc ca-hai (cả hai, với trẻ từ 7 tuổi).")]
    date: Annotated[Date, _about("Ngày", "Ngày ghi nhận sự đồng ý.")]
    how: Annotated[ConsentHow, _about("Hình thức", "van-ban (văn bản), loi-noi (lời nói) hoặc "
                                                   "su-kien-cong-khai (sự kiện công khai).")]
    guardian: Annotated[Text, _about("Người giám hộ", "Họ tên người giám hộ đã đồng ý.")] = ""
    note: Annotated[Text, _about("Ghi chú", "Ví dụ: nơi lưu giấy đồng ý.")] = ""

    @property
    def by_guardian(self) -> bool:
        return self.by in ("giam-ho", "ca-hai")

    @property
    def by_person(self) -> bool:
        return self.by in ("nguoi", "ca-hai")


@dataclass(frozen=True)
class Person:
    """Someone featured in a story."""

    __pydantic_config__ = _config("Nhân vật", "Một người được nêu trong bài.")

    name: Annotated[RequiredText, _about("Họ tên", "Họ và tên (bắt buộc).")]
    role: Annotated[Text, _about("Chức vụ", "Chức vụ, nghề nghiệp hoặc vai trò.")] = ""
    birth_year: Annotated[Year | None, _about("Năm sinh", "Năm sinh, từ 1900 đến năm nay.")] = None
    # slug of a Profile, "" if none (checked against the profiles by the loader)
    profile: Annotated[
        Text, Field(title="Hồ sơ", description="Slug của hồ sơ trong content/profiles/.",
                    json_schema_extra={"x-reference": "profile"}),
    ] = ""
    consent: Annotated[Consent | None, _about("Đồng ý", "Sự đồng ý cho đăng tên và hình ảnh.")] = None
    minor: Annotated[Flag, _about("Trẻ em", "true: người chưa đủ 18 tuổi (cần người giám hộ đồng ý).")] = False


@dataclass(frozen=True)
class Recognition:
    """An award or title: level is a recognition_levels key."""

    __pydantic_config__ = _config("Khen thưởng", "Một danh hiệu hoặc hình thức khen thưởng.")

    level: Annotated[LevelKey, _about("Cấp khen thưởng", "Tên hoặc khóa trong recognition_levels.yml.")]
    year: Annotated[Year, _about("Năm", "Năm được khen thưởng.")]
    title: Annotated[RequiredText, _about("Danh hiệu", "Ví dụ: Bằng khen của Chủ tịch UBND tỉnh.")]


@dataclass(frozen=True)
class Photo:
    """A photo reference. `src` is relative to the project's images/ folder (normalised)."""

    __pydantic_config__ = _config("Ảnh", "Một ảnh trong thư mục images/.")

    src: Annotated[ImagePath, _about("Tệp ảnh", "Đường dẫn tương đối trong thư mục images/.")]
    alt: Annotated[RequiredText, _about("Mô tả ảnh", "Mô tả nội dung ảnh cho người khiếm thị (bắt buộc).")]
    caption: Annotated[Text, _about("Chú thích", "Chú thích hiển thị dưới ảnh.")] = ""
    credit: Annotated[Text, _about("Tác giả ảnh", "Người chụp hoặc nguồn ảnh.")] = ""
    # line of `src` in the file that uses it (for error messages); set by validation, 0 when unknown
    line: SkipJsonSchema[int] = field(default=0, compare=False, init=False)


def _locate(photo: Photo | None, info: ValidationInfo) -> Photo | None:
    """Record the line of the photo's `src` (the validation context knows the lines)."""
    if photo is not None and info.context is not None:
        object.__setattr__(photo, "line", info.context.line((info.field_name, "src")))
    return photo


LocatedPhoto = Annotated[Photo | None, AfterValidator(_locate)]


@dataclass(frozen=True)
class Source:
    """Where a republished article first appeared."""

    __pydantic_config__ = _config("Nguồn", "Nguồn của bài đăng lại.")

    outlet: Annotated[RequiredText, _about("Cơ quan báo chí", "Ví dụ: Báo Vĩnh Phúc.")]
    url: Annotated[Url, _about("Địa chỉ", "Địa chỉ bài gốc (http:// hoặc https://).")] = ""
    date: Annotated[Date | None, _about("Ngày đăng", "Ngày đăng bài gốc.")] = None


@dataclass(frozen=True)
class Withdrawal:
    """A story or profile taken down (`site-builder unpublish`): gone from every output."""

    __pydantic_config__ = _config("Gỡ bỏ", "Bài hoặc hồ sơ đã gỡ khỏi trang.")

    date: Annotated[Date, _about("Ngày gỡ", "Ngày gỡ bỏ.")]
    reason: Annotated[RequiredText, _about("Lý do", "Lý do gỡ bỏ (không hiển thị trên trang).")]


@dataclass(frozen=True)
class PersonalDataAllowed:
    """Personal data in a text that is published on purpose (e.g. a commune's hotline)."""

    __pydantic_config__ = _config("Dữ liệu cá nhân được phép", "Một dữ liệu cá nhân được cố ý đăng.")

    text: Annotated[RequiredText, _about("Nội dung", 'Đúng như trong bài, ví dụ "0211 3862 123".')]
    reason: Annotated[RequiredText, _about("Lý do", "Vì sao được đăng.")]


def _locate_aliases(aliases: tuple[Alias, ...], info: ValidationInfo) -> tuple[Alias, ...]:
    """Record the line of each old address (for the messages of a collision with another output)."""
    if info.context is not None:
        for i, alias in enumerate(aliases):
            object.__setattr__(alias, "line", info.context.line((info.field_name, i)))
    return aliases


# Markdown is kept exactly as written (no whitespace stripping).
Markdown = Annotated[str, StringConstraints(strip_whitespace=False)]


@dataclass(kw_only=True)
class _Common:
    """What stories and profiles have in common."""

    path: SkipJsonSchema[Path]  # file it came from (absolute)
    body: SkipJsonSchema[Annotated[Markdown, Field(max_length=limits.BODY)]]  # Markdown, NFC
    body_line: SkipJsonSchema[int]  # 1-based line of the first body line in `path`
    organisation: Annotated[
        OrganisationKey,
        _about("Cơ quan, đơn vị", "Tên, tên viết tắt, tên khác hoặc khóa trong organisations.yml."),
    ] = ""  # organisations key
    place: Annotated[Place | None, _about("Địa phương", "Nơi diễn ra câu chuyện.")] = None
    fields: Annotated[FieldKeys, _about("Lĩnh vực", "Tên hoặc khóa trong fields.yml.")] = ()  # fields keys
    recognition: Annotated[
        list_of(Recognition, limits.RECOGNITION), _about("Khen thưởng", "Danh hiệu, hình thức khen thưởng.")
    ] = ()
    draft: Annotated[Flag, _about("Bản nháp", "true: chưa xuất bản.")] = False
    # Notes of what to check (written by `site-builder import`); `check` warns about each until it is removed.
    review: Annotated[
        TextList, Field(max_length=limits.REVIEW),
        _about("Cần xem lại", "Những điểm cần biên tập viên xem lại; check cảnh báo đến khi xóa hết."),
    ] = ()
    withdrawn: Annotated[
        Withdrawal | None, _about("Gỡ bỏ", "Ghi bởi lệnh site-builder unpublish: bài hoặc hồ sơ đã gỡ khỏi trang.")
    ] = None
    allow_personal_data: Annotated[
        list_of(PersonalDataAllowed, limits.PEOPLE),
        _about("Dữ liệu cá nhân được phép", "Số điện thoại, địa chỉ... cố ý đăng, mỗi mục kèm lý do."),
    ] = ()
    # The URL slug: `slug:` when the editor fixed it, else the file name (the loader decides).
    slug: Annotated[
        Slug, _about("Slug", "Đường dẫn cố định (chữ thường a-z, số 0-9, dấu gạch ngang).")
    ] = ""
    # Old addresses (a previous CMS's, or before a slug change): each becomes a redirect page to this one.
    aliases: Annotated[
        OldPaths, AfterValidator(_locate_aliases),
        _about("Địa chỉ cũ", "Địa chỉ cũ của trang (trên trang web trước đây, hoặc trước khi đổi slug), ví dụ "
                             "/tin-tuc/ten-bai-123456.html: mỗi địa chỉ thành một trang chuyển người đọc tới đây."),
    ] = ()


@dataclass(kw_only=True)
class Story(_Common):
    """A published (or draft) story, validated."""

    __pydantic_config__ = _config("Bài viết", "Front matter của một bài viết (content/stories/<năm>/<slug>.md).")

    title: Annotated[Headline, _about("Tiêu đề", "Tiêu đề bài viết (bắt buộc).")]
    date: Annotated[
        DateTime,
        _about("Ngày đăng", 'Ngày hoặc ngày giờ (giờ Việt Nam), ví dụ "2026-03-14 08:30" (bắt buộc).'),
    ]  # naive local time (Asia/Ho_Chi_Minh)
    summary: Annotated[RequiredText, _about("Sapo", "Tóm tắt 1–3 câu (bắt buộc).")]
    kind: Annotated[
        StoryKind, _about("Loại bài", "ca-nhan, tap-the, mo-hinh, tin-tong-hop (hoặc Cá nhân, Tập thể, ...).")
    ]
    people: Annotated[list_of(Person, limits.PEOPLE), _about("Nhân vật", "Những người được nêu trong bài.")] = ()
    campaign: Annotated[CampaignKey, _about("Phong trào", "Tên hoặc khóa trong campaigns.yml.")] = ""  # key
    tags: Annotated[TagList, _about("Thẻ", "Thẻ tự do.")] = ()  # free text, NFC, as written
    cover: Annotated[LocatedPhoto, _about("Ảnh bìa", "Ảnh đầu bài; cần src và alt.")] = None
    authors: Annotated[TextList, Field(max_length=limits.AUTHORS), _about("Tác giả", 'Dòng "Bài: ...".')] = ()
    photographer: Annotated[Text, _about("Ảnh", 'Dòng "Ảnh: ...".')] = ""
    source: Annotated[Source | None, _about("Nguồn", "Với bài đăng lại: Theo ...")] = None
    featured: Annotated[Flag, _about("Nổi bật", "Hiện ở mục Nổi bật trên trang chủ.")] = False
    # None: same as `date`
    publish_date: Annotated[DateTime | None, _about("Ngày xuất bản", "Không xuất bản trước ngày này.")] = None
    expires: Annotated[DateTime | None, _about("Ngày hết hạn", "Gỡ khỏi trang sau ngày này.")] = None
    updated: Annotated[DateTime | None, _about("Cập nhật", "Lần sửa gần nhất.")] = None

    @property
    def published_at(self) -> dt.datetime:
        return self.publish_date or self.date

    @property
    def url(self) -> str:
        """Site-relative URL with trailing slash, no leading slash."""
        return urls.story(self.slug)


@dataclass(kw_only=True)
class Profile(_Common):
    """A person, collective or model with a page of its own."""

    __pydantic_config__ = _config("Hồ sơ", "Front matter của một hồ sơ (content/profiles/<loại>/<slug>.md).")

    name: Annotated[Headline, _about("Tên", "Họ tên người, tên tập thể hoặc mô hình (bắt buộc).")]
    kind: Annotated[
        ProfileKind, _about("Loại hồ sơ", "ca-nhan, tap-the hoặc mo-hinh; phải khớp thư mục chứa tệp.")
    ]  # PERSON, COLLECTIVE or MODEL
    summary: Annotated[RequiredText, _about("Tóm tắt", "Một hoặc hai câu (bắt buộc).")]
    role: Annotated[Text, _about("Chức vụ", "Chức vụ, vai trò.")] = ""
    birth_year: Annotated[Year | None, _about("Năm sinh", "Chỉ dùng cho cá nhân.")] = None
    photo: Annotated[LocatedPhoto, _about("Ảnh", "Ảnh chân dung hoặc ảnh đại diện.")] = None
    consent: Annotated[Consent | None, _about("Đồng ý", "Sự đồng ý của người được nêu (hồ sơ cá nhân).")] = None
    minor: Annotated[Flag, _about("Trẻ em", "true: người chưa đủ 18 tuổi (cần người giám hộ đồng ý).")] = False
    updated: Annotated[DateTime | None, _about("Cập nhật", "Lần sửa gần nhất của hồ sơ.")] = None

    @property
    def url(self) -> str:
        return urls.profile(self.slug)


@dataclass
class ContentSet:
    """Everything loaded from content/: the input of the catalog."""

    stories: list[Story] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    # (file, src, line, field) of the cover or photo of each file left out for its errors:
    # `check` still checks them, so that every problem is reported at once
    photos_of_rejected: list[tuple[Path, str, int, str]] = field(default_factory=list)
