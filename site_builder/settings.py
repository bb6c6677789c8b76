"""Site settings: the validated, MkDocs-free view of the plugin's configuration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

#: When a story gets a generated 1200×630 social card (`social_cards:`):
#: "auto" only stories without a cover (the others share their cover photo),
#: "all" every story, "off" none (covers are still shared).
SocialCardsMode = Literal["auto", "all", "off"]


class SettingsError(ValueError):
    """Raised with every settings problem, one per line, as `plugins.site_builder.<field>: message`."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Organisation(_Strict):
    """The publishing organisation shown in the footer and in structured data."""

    name: str = Field(min_length=1)
    logo: str = ""  # path inside docs (content/) or theme assets, e.g. "assets/logo.svg"
    address: str = ""
    phone: str = ""
    email: str = ""


class Link(_Strict):
    title: str = Field(min_length=1)
    url: str = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _http_or_site(cls, value: str) -> str:
        if not (value.startswith(("http://", "https://", "/")) or value.startswith("mailto:")):
            raise ValueError("must start with http://, https://, mailto: or /")
        return value


class Feedback(_Strict):
    """Where "Phản hồi" sends readers: an e-mail address or a form URL.

    A form URL may contain `{title}` and `{url}` placeholders; they are filled with the
    story's title and address (URL-encoded).
    """

    email: str = ""
    form_url: str = ""

    @model_validator(mode="after")
    def _one_target(self) -> "Feedback":
        if not self.email and not self.form_url:
            raise ValueError("set feedback.email or feedback.form_url")
        if self.email and "@" not in self.email:
            raise ValueError("feedback.email is not an e-mail address")
        if self.form_url and not self.form_url.startswith(("http://", "https://")):
            raise ValueError("feedback.form_url must start with http:// or https://")
        return self


class SiteSettings(_Strict):
    """Everything the build needs to know besides the content itself."""

    site_name: str = Field(min_length=1)
    site_url: str = ""  # absolute base URL, "" when unknown (then feeds/canonical links are relative)
    site_description: str = ""
    organisation: Organisation
    feedback: Feedback
    footer_links: list[Link] = Field(default_factory=list)
    per_page: int = Field(default=24, ge=1, le=200)
    related_count: int = Field(default=5, ge=0, le=50)
    latest_count: int = Field(default=5, ge=0, le=50)
    featured_count: int = Field(default=4, ge=0, le=20)
    content_dir: str = "content"
    images_dir: str = "images"
    drafts: bool = False
    future: bool = False
    images: dict = Field(default_factory=dict)  # ImageSettings fields: widths, formats, quality, avif, max_pixels...
    social_cards: SocialCardsMode = "auto"

    @field_validator("images")
    @classmethod
    def _image_settings(cls, value: dict) -> dict:
        image_settings(value)  # raises ImageSettingsError (a ValueError) with the exact problem
        return value

    @field_validator("social_cards", mode="before")
    @classmethod
    def _bare_off(cls, value: Any) -> Any:
        # YAML 1.1 (PyYAML, MkDocs) reads a bare `off` as false.
        return "off" if value is False else value

    def wants_social_card(self, has_cover: bool) -> bool:
        """Whether a story gets a generated social card, given whether it has a cover photo wide
        enough to share (`pages.views.shareable`: a narrower one would show as a thumbnail)."""
        return self.social_cards == "all" or (self.social_cards == "auto" and not has_cover)


def image_settings(raw: dict):
    """The image pipeline's settings from the `images:` mapping."""
    from site_builder.images import ImageSettings

    return ImageSettings.from_config(raw)


def parse_settings(raw: dict) -> SiteSettings:
    """Validate raw settings, raising SettingsError listing every problem."""
    try:
        return SiteSettings.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(settings)"
            lines.append(f"plugins.site_builder.{where}: {err['msg']}")
        raise SettingsError("\n".join(lines)) from None
