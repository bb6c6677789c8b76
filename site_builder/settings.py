"""Site settings: declared once (`SiteSettings`), read from `mkdocs.yml` with or without MkDocs.

The settings are MkDocs' own `site_name`, `site_url`, `site_description`, `docs_dir` (the
content folder) and `site_dir`, plus the options under ``plugins: - site_builder:``. The
MkDocs adapter takes its plugin options straight from this model (it declares none of its
own), and the commands that need no MkDocs (`check`, `new`) read the same file with
`load_settings`. Every problem is reported as ``mkdocs.yml:<line>: <key>: <message>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator, model_validator

from site_builder.files import os_reason
from site_builder.i18n import _
from site_builder.images.settings import ImageSettings

#: When a story gets a generated 1200×630 social card (`social_cards:`):
#: "auto" only stories without a cover (the others share their cover photo),
#: "all" every story, "off" none (covers are still shared).
SocialCardsMode = Literal["auto", "all", "off"]

#: Settings that are MkDocs' own top-level keys; every other field is a plugin option.
MKDOCS_KEYS = ("site_name", "site_url", "site_description", "docs_dir", "site_dir")
PLUGIN = "site_builder"


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
            raise ValueError(_("write an address starting with http://, https://, mailto: or / (it is {value!r})")
                             .format(value=value))
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
            raise ValueError(_("write where readers' feedback goes: an e-mail address in feedback.email or the "
                               "address of a form in feedback.form_url"))
        if self.email and "@" not in self.email:
            raise ValueError(_("feedback.email {value!r} is not an e-mail address: write one such as "
                               "phanhoi@example.vn").format(value=self.email))
        if self.form_url and not self.form_url.startswith(("http://", "https://")):
            raise ValueError(_("feedback.form_url {value!r} is not a web address: write the form's full address, "
                               "starting with https:// or http://").format(value=self.form_url))
        return self


class Privacy(_Strict):
    """Personal data of the people in the stories (Law 91/2025/QH15, Decree 356/2025): who answers for it,
    where removal requests go, and whether a recorded consent is required.

    Every field has a default drawn from `organisation` and `feedback` (see `SiteSettings`): the page
    "Chính sách bảo vệ dữ liệu cá nhân" is always generated.
    """

    controller: str = ""  # who is responsible for the data; default: organisation.name
    contact: str = ""  # where to write: an e-mail address; default: organisation.email, else feedback.email
    address: str = ""  # default: organisation.address
    phone: str = ""  # default: organisation.phone
    # where "Yêu cầu gỡ bỏ" leads: a form URL ({url} and {title} are filled), else an e-mail to `contact`
    takedown_url: str = ""
    purpose: str = ("Giới thiệu, tôn vinh và nhân rộng gương người tốt, việc tốt, điển hình tiên tiến trong học tập "
                    "và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.")
    require_consent: StrictBool = False  # a photo with people named but no consent recorded: an error, not a warning

    @field_validator("takedown_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(_("privacy.takedown_url {value!r} is not a web address: write the form's full address, "
                               "starting with https:// or http://").format(value=value))
        return value

    @field_validator("contact")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and "@" not in value:
            raise ValueError(_("privacy.contact {value!r} is not an e-mail address: write one such as "
                               "dulieucanhan@example.vn").format(value=value))
        return value


ImageFormat = Literal["webp", "jpeg", "jpg", "avif"]
_IMAGES = ImageSettings()  # the pipeline's defaults, declared there


class ImageOptions(_Strict):
    """The `images:` options: how photos are published (`site_builder.images.ImageSettings`)."""

    widths: list[Annotated[int, Field(ge=16, le=8192)]] = Field(default=list(_IMAGES.widths), min_length=1)
    formats: list[ImageFormat] = Field(default=list(_IMAGES.formats), min_length=1)
    quality: dict[ImageFormat, Annotated[int, Field(ge=1, le=100)]] = Field(default=dict(_IMAGES.quality))
    jpeg_progressive: StrictBool = _IMAGES.jpeg_progressive
    webp_method: int = Field(default=_IMAGES.webp_method, ge=0, le=6)
    avif_speed: int = Field(default=_IMAGES.avif_speed, ge=0, le=10)
    avif: StrictBool = False  # a shorthand that adds "avif" to the formats
    max_pixels: int = Field(default=_IMAGES.max_pixels, ge=1)
    placeholder: StrictBool = _IMAGES.placeholder
    cache_dir: str = str(_IMAGES.cache_dir)
    url_prefix: str = _IMAGES.url_prefix
    workers: int | None = Field(default=_IMAGES.workers, ge=1)

    @field_validator("url_prefix")
    @classmethod
    def _inside_the_site(cls, value: str) -> str:
        parts = value.replace("\\", "/").strip("/").split("/")
        if ":" in value or value.startswith(("/", "\\")) or ".." in parts or "\\" in value:
            raise ValueError(_("write a folder inside the site, such as assets/images/ (it is {value!r})")
                             .format(value=value))
        return value

    @model_validator(mode="after")
    def _usable(self) -> "ImageOptions":
        image_settings(self)  # what only the pipeline knows (jpeg required, AVIF support) as a ValueError
        return self


#: What a feed entry carries besides its title, summary and lead photo (`feeds.content`):
#: "summary" nothing more, "full" the whole body as HTML.
FeedContent = Literal["summary", "full"]


class FeedOptions(_Strict):
    """The `feeds:` options of the RSS, Atom and JSON feeds (site-wide, per term, per profile)."""

    content: FeedContent = "summary"
    items: int = Field(default=20, ge=1, le=500)  # the newest N stories of each feed


class SiteSettings(_Strict):
    """Everything the build needs to know besides the content itself."""

    # MkDocs' own keys (MKDOCS_KEYS)
    site_name: str = Field(min_length=1)
    site_url: str = ""  # absolute base URL; required by `build` (see SettingsError.missing_site_url)
    site_description: str = ""
    docs_dir: str = "content"  # the content folder: stories, profiles, vocabularies, static files
    site_dir: str = "site"
    # plugin options
    organisation: Organisation
    feedback: Feedback
    privacy: Privacy = Field(default_factory=Privacy)
    footer_links: list[Link] = Field(default_factory=list)
    per_page: int = Field(default=24, ge=1, le=200)
    related_count: int = Field(default=5, ge=0, le=50)
    latest_count: int = Field(default=5, ge=0, le=50)
    featured_count: int = Field(default=4, ge=0, le=20)
    api_per_page: int = Field(default=500, ge=1, le=10_000)  # stories per page of api/stories.json
    images_dir: str = "images"  # source photos, relative to the project
    drafts: bool = False
    future: bool = False
    images: ImageOptions = Field(default_factory=ImageOptions)
    social_cards: SocialCardsMode = "auto"
    feeds: FeedOptions = Field(default_factory=FeedOptions)
    atomic: bool = True  # `build` writes into a staging folder and swaps it in only when it succeeded
    # .br and .gz siblings of every text file, for servers that send them as they are (`site_builder.compress`);
    # `serve` never makes them
    precompress: StrictBool = True

    @field_validator("site_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(_("write the site's full address, starting with https:// or http://, such as "
                               "https://guongsang.example.vn/ (it is {value!r})").format(value=value))
        return value

    @field_validator("social_cards", mode="before")
    @classmethod
    def _bare_off(cls, value: Any) -> Any:
        # YAML 1.1 (PyYAML, MkDocs) reads a bare `off` as false.
        return "off" if value is False else value

    def wants_social_card(self, has_cover: bool) -> bool:
        """Whether a story gets a generated social card, given whether it has a cover photo wide
        enough to share (`pages.present.shareable`: a narrower one would show as a thumbnail)."""
        return self.social_cards == "all" or (self.social_cards == "auto" and not has_cover)

    @property
    def privacy_contact(self) -> Privacy:
        """`privacy` with every empty field filled from `organisation` and `feedback`."""
        p, org = self.privacy, self.organisation
        return p.model_copy(update={
            "controller": p.controller or org.name,
            "contact": p.contact or org.email or self.feedback.email,
            "address": p.address or org.address,
            "phone": p.phone or org.phone,
        })

    def content_dir(self, root: Path) -> Path:
        return root / self.docs_dir

    def photos_dir(self, root: Path) -> Path:
        return root / self.images_dir


def plugin_options() -> tuple[str, ...]:
    """The options `plugins: - site_builder:` takes: every setting but MkDocs' own keys."""
    return tuple(name for name in SiteSettings.model_fields if name not in MKDOCS_KEYS)


def image_settings(options: ImageOptions | dict):
    """The image pipeline's settings from the `images:` options (only those written are passed on,
    so the pipeline's own defaults apply to the others)."""
    raw = options.model_dump(exclude_unset=True) if isinstance(options, ImageOptions) else options
    return ImageSettings.from_config(raw)


class SettingsError(ValueError):
    """Every settings problem, one per line: ``mkdocs.yml:<line>: <key>: <message>``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    @classmethod
    def missing_site_url(cls, file: str = "mkdocs.yml") -> "SettingsError":
        """A site built without its address has no sitemap, no canonical links and no photo in
        shared links: an error for `build` (a warning for `serve`)."""
        return cls([_("{file}: site_url: the site's address is missing: add a line such as "
                      "'site_url: https://guongsang.example.vn/' (without it the sitemap is empty, pages have no "
                      "canonical link and Facebook or Zalo show no photo for shared stories)").format(file=file)])


@dataclass(frozen=True)
class _Where:
    """Where the settings came from, to put a line on each problem."""

    file: str = "mkdocs.yml"
    lines: Any = None  # content.frontmatter.Parsed of the file, when read
    plugin_loc: tuple = ()  # location of the plugin's options in the file, e.g. ("plugins", 0, "site_builder")


def parse_settings(raw: dict, where: _Where | None = None) -> SiteSettings:
    """Validate raw settings (MkDocs' keys and the plugin's options in one mapping), raising
    SettingsError listing every problem with its line when `where` knows the file."""
    from site_builder.content.frontmatter import format_loc
    from site_builder.content.schema import translate_errors

    where = where or _Where()
    try:
        return SiteSettings.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for loc, message in translate_errors(SiteSettings, exc):
            mkdocs_key = bool(loc) and loc[0] in MKDOCS_KEYS
            file_loc = loc if mkdocs_key else where.plugin_loc + loc
            shown = format_loc(loc if mkdocs_key else ("plugins", PLUGIN, *loc))
            line = where.lines.line(file_loc) if where.lines is not None else None
            prefix = f"{where.file}:{line}: " if line else f"{where.file}: "
            problems.append(f"{prefix}{shown}: {message}")
        raise SettingsError(problems) from None


def settings_from_mkdocs(options: dict, mkdocs: dict, config_file: str | Path | None) -> SiteSettings:
    """Settings from the plugin's raw `options` and MkDocs' validated config `mkdocs` (used by
    the MkDocs adapter); problems get their lines from `config_file`."""
    raw = {key: mkdocs.get(key) for key in MKDOCS_KEYS if mkdocs.get(key) is not None}
    if config_file is not None:
        root = Path(config_file).resolve().parent
        for key in ("docs_dir", "site_dir"):
            if key in raw:  # MkDocs makes them absolute
                raw[key] = _relative(Path(raw[key]), root)
    raw.update(options)
    try:
        return parse_settings(raw)
    except SettingsError:
        if config_file is None:
            raise
        return parse_settings(raw, _locate(Path(config_file)))


def load_settings(config_file: str | Path) -> SiteSettings:
    """Read the settings from `mkdocs.yml` without MkDocs (for `check`, `new`…)."""
    path = Path(config_file)
    where = _locate(path)
    data = where.lines.data if where.lines is not None and isinstance(where.lines.data, dict) else {}
    raw = {key: data[key] for key in MKDOCS_KEYS if data.get(key) is not None}
    options = _plugin_options(data)
    if options is None:
        raise SettingsError([_("{file}: plugins: add a line '- {plugin}' under 'plugins:' in this file")
                             .format(file=path, plugin=PLUGIN)])
    raw.update(options)
    return parse_settings(raw, where)


def _locate(path: Path) -> _Where:
    """The file parsed with the line of every key (YAML tags MkDocs knows but we do not are left out)."""
    from site_builder.content.frontmatter import parse_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsError([_("{file}: the settings file is not UTF-8 text: save it again as UTF-8")
                             .format(file=path)]) from None
    except OSError as exc:
        raise SettingsError([_("{file}: cannot read the settings file ({reason}): run the command in the site's "
                               "folder, or name the file with -f").format(file=path, reason=os_reason(exc))]) from None
    parsed = parse_yaml(text)
    data = parsed.data if isinstance(parsed.data, dict) else {}
    return _Where(path.name if path.name else str(path), parsed, _plugin_loc(data))


def _plugin_loc(data: dict) -> tuple:
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        return ("plugins", PLUGIN)
    for i, entry in enumerate(plugins if isinstance(plugins, list) else ()):
        if isinstance(entry, dict) and PLUGIN in entry:
            return ("plugins", i, PLUGIN)
    return ("plugins", PLUGIN)


def _plugin_options(data: dict) -> dict | None:
    """The plugin's options in a parsed mkdocs.yml ({} when listed without options), None when absent."""
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        entries: list = [{name: value} for name, value in plugins.items()]
    else:
        entries = plugins if isinstance(plugins, list) else []
    for entry in entries:
        if entry == PLUGIN:
            return {}
        if isinstance(entry, dict) and PLUGIN in entry:
            options = entry[PLUGIN]
            return options if isinstance(options, dict) else {}
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
