"""The Decap CMS configuration, generated from the content model and the vocabularies.

Nothing here names a field of a story or a profile: the fields, their Vietnamese labels
(``title``), hints (``description``), required marks, patterns, limits and choices all come
from the JSON Schema of the front matter (`content.schema.json_schema`, itself made from
`content.models`), whose ``x-`` keywords say what a value refers to:

- ``x-vocabulary``: a term of content/vocabularies/<name>.yml (a select of its entries);
- ``x-labels``: the kinds, with their Vietnamese names (a select);
- ``x-reference: profile``: the slug of a profile (a relation to the profiles);
- ``x-date``: ``datetime`` or ``date``; ``x-photo``: a path inside the photo folder.

Only presentation is decided here: the order of the form (`FORM_ORDER`, checked against the
model by the tests), which text is long, and that a new file's ``slug`` is set once, at
creation (`admin.js` asks the server for it), and never shown.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from site_builder.content.kinds import KIND_LABELS, PROFILE_KINDS
from site_builder.content.models import Vocabulary
from site_builder.content.schema import json_schema
from site_builder.content.vocabulary import VOCABULARY_NAMES
from site_builder.routes import urls
from site_builder.settings import SiteSettings

#: Collections (their `name` is also in the editor's addresses: /admin/#/collections/<name>).
STORIES = "bai-viet"
PROFILES = "ho-so"  # every profile, for the relation of a story's people (hidden from the sidebar)
VOCABULARIES = "danh-muc"
#: The field of a vocabulary file's entries in the editor (the file itself is a plain YAML list).
VOCABULARY_ITEMS = "muc"

#: Order of the form's fields (the model's order puts what stories and profiles share first).
FORM_ORDER = {
    "story": ("title", "date", "summary", "kind", "people", "organisation", "place", "fields", "campaign",
              "recognition", "tags", "cover", "authors", "photographer", "source", "featured", "draft",
              "publish_date", "expires", "updated", "slug"),
    "profile": ("name", "kind", "summary", "role", "birth_year", "organisation", "place", "fields",
                "recognition", "photo", "consent", "minor", "draft", "updated", "slug"),
}
#: Front matter the form does not edit: written by commands (`unpublish`: withdrawn, `import`: review)
#: or by hand for rare cases (old addresses, acknowledged personal data). A save keeps them as the
#: file has them (`store.Store._checked`), so editing a withdrawn story never publishes it again.
KEPT_FROM_FILE = ("aliases", "allow_personal_data", "review", "withdrawn")
#: A person's keys the form does not edit yet (the consent record): kept from the file, person by name.
KEPT_FOR_PEOPLE = ("consent", "minor")
#: Text fields edited in a box of several lines.
LONG_TEXT = frozenset({"summary"})
#: Dates in the editor: our widget (admin.js), shown and typed as dd/mm/yyyy [hh:mm] whatever the
#: browser's language (Decap's own is the browser's date input: mm/dd/yyyy in an English browser),
#: stored in these formats (dayjs), as `content.values` reads them.
DATE_WIDGET = "vn-date"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
DATE_FORMAT = "YYYY-MM-DD"
#: The year of a story's date, in Decap's templates (a path, a photo folder).
STORY_YEAR = "{{fields.date | date('YYYY')}}"

_CHOOSE_IN = "Chọn trong danh mục «{list}»."
_EXAMPLE = re.compile(r',? ví dụ "[^"]*"')  # an example of a value, in a hint
_REQUIRED = "(bắt buộc)"  # how the model's hints mark a required field
_VOCABULARY_LABELS = {
    "fields": "Lĩnh vực",
    "organisations": "Cơ quan, đơn vị",
    "campaigns": "Phong trào, cuộc vận động",
    "recognition_levels": "Cấp khen thưởng",
}


def decap_config(
    settings: SiteSettings, vocabularies: dict[str, Vocabulary], preview_site: str, today: dt.date | None = None
) -> dict[str, Any]:
    """The whole configuration `CMS.init` receives (the `load_config_file: false` form)."""
    year = (today or dt.date.today()).year
    content, images = settings.docs_dir.strip("/"), settings.images_dir.strip("/")
    return {
        "load_config_file": False,
        "backend": {"name": "guong-sang", "proxy_url": "/api/v1", "branch": "main"},
        "locale": "vi",
        "site_url": preview_site,
        "display_url": preview_site,
        "show_preview_links": True,
        # The photo library opens on this year's folder; a story's photos go to the folder of its year.
        "media_folder": f"{images}/{year}",
        "public_folder": str(year),
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            _stories(content, images, vocabularies),
            *(_profiles(content, images, vocabularies, kind.value) for kind in PROFILE_KINDS),
            _all_profiles(content),
            _vocabulary_files(content),
        ],
    }


def _stories(content: str, images: str, vocabularies: dict[str, Vocabulary]) -> dict[str, Any]:
    return {
        "name": STORIES,
        "label": "Bài viết",
        "label_singular": "bài viết",
        "description": "Câu chuyện về gương người tốt, việc tốt. Tệp: content/stories/<năm>/<slug>.md.",
        "folder": f"{content}/stories",
        # Decap's paths allow no filter: {{year}} is the story's date's year (in UTC: a story dated
        # before 07:00 on 1 January is refused by the server, which names the right folder).
        "path": "{{year}}/{{slug}}",
        "slug": "{{fields.slug}}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "delete": False,
        "identifier_field": "title",
        "summary": "{{title}} · {{fields.date | date('DD/MM/YYYY')}}{{draft | ternary(' · Nháp', '')}}",
        "sortable_fields": ["date", "title"],
        "view_filters": [{"label": "Bản nháp", "field": "draft", "pattern": True}],
        "preview_path": urls.story("{{fields.slug}}"),  # the server gives every entry its slug
        "media_folder": f"/{images}/{STORY_YEAR}",
        "public_folder": STORY_YEAR,
        "fields": form_fields("story", vocabularies),
    }


def _profiles(content: str, images: str, vocabularies: dict[str, Vocabulary], kind: str) -> dict[str, Any]:
    label = KIND_LABELS[next(k for k in PROFILE_KINDS if k.value == kind)]
    fields = form_fields("profile", vocabularies)
    for f in fields:
        if f["name"] == "kind":  # the folder decides it
            f.update(widget="hidden", default=kind)
            f.pop("options", None)
    return {
        "name": f"{PROFILES}-{kind}",
        "label": f"Hồ sơ {label.lower()}",
        "label_singular": f"hồ sơ {label.lower()}",
        "description": f"Hồ sơ {label.lower()}. Tệp: content/profiles/{kind}/<slug>.md.",
        "folder": f"{content}/profiles/{kind}",
        "slug": "{{fields.slug}}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "delete": False,
        "identifier_field": "name",
        "summary": "{{name}}{{draft | ternary(' · Nháp', '')}}",
        "sortable_fields": ["name"],
        "preview_path": urls.profile("{{fields.slug}}"),
        "media_folder": f"/{images}/profiles",
        "public_folder": "profiles",
        "fields": fields,
    }


def _all_profiles(content: str) -> dict[str, Any]:
    """Every profile, whatever its kind: what a story's people link to (not shown in the sidebar)."""
    return {
        "name": PROFILES,
        "label": "Tất cả hồ sơ",
        "folder": f"{content}/profiles",
        "path": "{{fields.kind}}/{{slug}}",
        "extension": "md",
        "format": "frontmatter",
        "create": False,
        "delete": False,
        "hide": True,
        "identifier_field": "name",
        "fields": [{"name": "name", "label": "Tên", "widget": "string"},
                   {"name": "kind", "label": "Loại hồ sơ", "widget": "string"}],
    }


def _vocabulary_files(content: str) -> dict[str, Any]:
    schema = json_schema("vocabulary")
    entry, _ = _resolve(schema["items"], schema)
    return {
        "name": VOCABULARIES,
        "label": "Danh mục",
        "description": "Lĩnh vực, cơ quan, phong trào và cấp khen thưởng mà bài viết chọn.",
        "format": "yml",
        "delete": False,
        "files": [
            {
                "name": name,
                "label": _VOCABULARY_LABELS[name],
                "file": f"{content}/vocabularies/{name}.yml",
                "fields": [{
                    "name": VOCABULARY_ITEMS,
                    "label": "Các mục",
                    "label_singular": "mục",
                    "widget": "list",
                    "summary": "{{fields.name}}",
                    "collapsed": True,
                    "fields": _object_fields(entry, schema, {}, required=True),
                }],
            }
            for name in VOCABULARY_NAMES
        ],
    }


def form_fields(kind: str, vocabularies: dict[str, Vocabulary]) -> list[dict[str, Any]]:
    """The form of a story or profile: one field per front matter key, in `FORM_ORDER`, then the body."""
    schema = json_schema(kind)  # type: ignore[arg-type]
    props = schema["properties"]
    fields = [
        _field(name, props[name], schema, vocabularies, required=name in schema.get("required", ()))
        for name in FORM_ORDER[kind]
    ]
    fields.append({"name": "body", "label": "Nội dung", "widget": "markdown",
                   "hint": "Ảnh chèn vào bài được lấy từ thư mục ảnh; mỗi ảnh cần mô tả.",
                   "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                               "bulleted-list", "numbered-list"],
                   "editor_components": ["image"], "required": False})
    return fields


def _resolve(prop: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the property's own schema, whether it may be empty): `anyOf [X, null]` and `$ref` undone."""
    optional = False
    if "anyOf" in prop:
        options = [o for o in prop["anyOf"] if o.get("type") != "null"]
        optional = len(options) < len(prop["anyOf"])
        prop = {**{k: v for k, v in prop.items() if k != "anyOf"}, **options[0]}
    if "$ref" in prop:
        target = schema["$defs"][prop["$ref"].rsplit("/", 1)[-1]]
        prop = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop, optional


def _field(
    name: str, prop: dict[str, Any], schema: dict[str, Any], vocabularies: dict[str, Vocabulary], required: bool
) -> dict[str, Any]:
    prop, optional = _resolve(prop, schema)
    field: dict[str, Any] = {"name": name, "label": prop.get("title", name), "required": required and not optional}
    if prop.get("description"):
        field["hint"] = prop["description"]
    kind = prop.get("type")
    if name == "slug":
        field.update(widget="hidden", required=False)
    elif kind == "object":
        # An optional group (place, cover, source): its required parts are said in their hints and
        # checked when it is saved (Decap would demand them even when the group is left empty).
        field.update(widget="object", collapsed=False,
                     fields=_object_fields(prop, schema, vocabularies, required=required, group=field["label"]))
    elif kind == "array":
        item, _ = _resolve(prop.get("items", {}), schema)
        if item.get("type") == "object":
            field.update(widget="list", collapsed=True, fields=_object_fields(item, schema, vocabularies, True))
            field["summary"] = "{{fields.%s}}" % next(iter(item["properties"]))
        elif "x-vocabulary" in item:
            field.update(_select(vocabularies, item["x-vocabulary"]), multiple=True)
            field["hint"] = _CHOOSE_IN.format(list=_VOCABULARY_LABELS[item["x-vocabulary"]])
        else:
            field.update(widget="list", hint=(field.get("hint", "") + " Ngăn cách bằng dấu phẩy.").strip())
        if "maxItems" in prop:
            field["max"] = prop["maxItems"]
        field["required"] = False
    elif kind == "boolean":
        field.update(widget="boolean", default=bool(prop.get("default", False)))
    elif kind == "integer":
        field.update(widget="number", value_type="int")
        for key, option in (("minimum", "min"), ("maximum", "max")):
            if key in prop:
                field[option] = prop[key]
    elif "x-vocabulary" in prop:
        field.update(_select(vocabularies, prop["x-vocabulary"]))
        field["hint"] = _CHOOSE_IN.format(list=_VOCABULARY_LABELS[prop["x-vocabulary"]])
    elif "x-labels" in prop:
        labels = prop["x-labels"]
        field.update(widget="select", options=[{"label": labels[v], "value": v} for v in prop["enum"] if v in labels])
        field.pop("hint", None)  # the model's hint lists the values written in a file; here they are choices
    elif prop.get("x-reference") == "profile":
        field.update(widget="relation", collection=PROFILES, value_field="{{filename}}",
                     search_fields=["name"], display_fields=["name"], options_length=50,
                     hint=_CHOOSE_IN.format(list="Hồ sơ"))
    elif prop.get("x-date") == "datetime":
        field.update(widget=DATE_WIDGET, format=DATETIME_FORMAT, hint=_date_hint(field.get("hint", ""), True))
        if field["required"]:
            field["default"] = "{{now}}"
    elif prop.get("x-date") == "date":
        field.update(widget=DATE_WIDGET, format=DATE_FORMAT, hint=_date_hint(field.get("hint", ""), False))
    elif prop.get("x-photo"):
        field.update(widget="image", choose_url=False)
    else:
        field["widget"] = "text" if name in LONG_TEXT else "string"
        if "pattern" in prop:
            field["pattern"] = [prop["pattern"], prop.get("description", "")]
    return field


def _date_hint(description: str, with_time: bool) -> str:
    """A date field's hint: the model's, its example (written as a file holds it) replaced by what
    to type in the editor."""
    said = _EXAMPLE.sub("", description).strip()
    typed = "ngày/tháng/năm giờ:phút, ví dụ 14/03/2026 08:30" if with_time else "ngày/tháng/năm, ví dụ 14/03/2026"
    return f"{said} Gõ {typed}.".strip()


def _object_fields(
    prop: dict[str, Any], schema: dict[str, Any], vocabularies: dict[str, Vocabulary], required: bool,
    group: str = "",
) -> list[dict[str, Any]]:
    """The fields of a group. In an optional group (`required` false) none is required in the form,
    and the hint of one the model requires says it is required when the group is filled in."""
    needed = set(prop.get("required", ()))
    fields = [_field(name, sub, schema, vocabularies, required and name in needed)
              for name, sub in prop["properties"].items()
              if not (name in KEPT_FOR_PEOPLE and "profile" in prop["properties"])]  # a person's consent
    if not required and group:
        for field in fields:
            if field["name"] in needed and field.get("hint"):
                field["hint"] = field["hint"].replace(_REQUIRED, f"(bắt buộc khi có {group.lower()})")
    return fields


def _select(vocabularies: dict[str, Vocabulary], name: str) -> dict[str, Any]:
    terms = vocabularies[name].terms if name in vocabularies else ()
    return {"widget": "select", "options": [{"label": t.name, "value": t.key} for t in terms]}
