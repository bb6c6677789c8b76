"""Messages: the Vietnamese catalog is complete and compiled; the language is chosen as documented."""

from __future__ import annotations

import argparse
import copy
import importlib.util
import multiprocessing
import shutil

import pytest
from babel.messages.catalog import Catalog

from conftest import REPO
from site_builder import i18n
from site_builder.i18n import _, ngettext

_spec = importlib.util.spec_from_file_location("messages_script", REPO / "scripts" / "messages.py")
messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messages)


@pytest.fixture(scope="module")
def template() -> Catalog:
    return messages.extract()


@pytest.fixture
def catalog_copy(tmp_path):
    """A copy of the .po and .mo to break."""
    po = tmp_path / "messages.po"
    shutil.copyfile(messages.PO, po)
    shutil.copyfile(messages.MO, po.with_suffix(".mo"))
    return po


# --- the catalog -------------------------------------------------------------------------


def test_every_message_is_translated_and_compiled(template):
    assert messages.problems(template=template) == []


def test_the_extraction_finds_our_messages_and_argparse_ones(template):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template}
    assert "missing front matter: the file must start with a '---' line" in ids  # content
    assert "{count} story" in ids  # cli, a plural
    assert "no field {name!r} in the vocabulary" in ids  # N_() in a table
    assert {"usage: ", "the following arguments are required: %s", "unrecognized arguments: %s"} <= ids
    assert "invalid choice: %(value)r (choose from %(choices)s)" in ids


def test_check_finds_a_message_without_translation(template, catalog_copy):
    catalog = messages.read_catalog(catalog_copy)
    catalog["usage: "].string = ""
    catalog["options"].flags.add("fuzzy")  # a guess nobody reviewed is not a translation
    messages.write_catalog(catalog, catalog_copy)
    found = messages.problems(catalog_copy, template)
    assert any(p.startswith("no Vietnamese translation") and "'usage: '" in p for p in found), found
    assert any(p.startswith("no Vietnamese translation") and "'options'" in p for p in found), found


def test_check_finds_a_new_message_not_in_the_catalog(template, catalog_copy):
    template = copy.deepcopy(template)
    template.add("a message nobody extracted yet", locations=[("site_builder/new.py", 1)])
    found = messages.problems(catalog_copy, template)
    assert found == [
        "not in messages.po (site_builder/new.py:1): 'a message nobody extracted yet'; "
        "run `make messages` and translate it"
    ]


def test_check_finds_a_compiled_catalog_older_than_the_po(template, catalog_copy):
    text = catalog_copy.read_text(encoding="utf-8")
    catalog_copy.write_text(text.replace('msgstr "cách dùng: "', 'msgstr "cách sử dụng: "'), encoding="utf-8")
    assert messages.problems(catalog_copy, template) == ["messages.mo does not match messages.po: run `make messages`"]
    messages.compile_catalog(catalog_copy)
    assert messages.problems(catalog_copy, template) == []


def test_check_finds_a_translation_with_other_placeholders(template, catalog_copy):
    catalog = messages.read_catalog(catalog_copy)
    catalog["unknown field {name!r}"].string = "không có mục {ten!r}"
    messages.write_catalog(catalog, catalog_copy)
    found = messages.problems(catalog_copy, template)
    assert len(found) == 1 and "other placeholders" in found[0], found


# --- choosing the language -------------------------------------------------------------------


@pytest.mark.parametrize(
    "environ, language",
    [
        ({}, "vi"),
        ({"LANG": "C"}, "vi"),
        ({"LANG": "C.UTF-8"}, "vi"),
        ({"LANG": "POSIX"}, "vi"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
        ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"),  # the first one set decides
        ({"LANGUAGE": "en:vi", "LC_ALL": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LANG": "en_US.UTF-8"}, "en"),  # empty is not set
        ({"LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "vi"),  # anything but English: Vietnamese
    ],
)
def test_language_from_environment(environ, language):
    assert i18n.language_from_environment(environ) == language


def test_set_language_switches_every_message(english):
    assert i18n.language() == "en"
    assert _("warning: ") == "warning: "
    assert ngettext("{count} story", "{count} stories", 2).format(count=2) == "2 stories"
    i18n.set_language("vi")
    assert _("warning: ") == "cảnh báo: "
    assert ngettext("{count} story", "{count} stories", 2).format(count=2) == "2 bài viết"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_argparse_speaks_the_same_language(english):
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n"
    i18n.set_language("vi")
    assert argparse.ArgumentParser(prog="x").format_usage() == "cách dùng: x [-h]\n"


def _message_in_child(queue) -> None:
    queue.put(_("warning: "))


@pytest.mark.parametrize("language, expected", [("en", "warning: "), ("vi", "cảnh báo: ")])
def test_forked_workers_inherit_the_language(language, expected):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    i18n.set_language(language)
    try:
        worker = context.Process(target=_message_in_child, args=(queue,))
        worker.start()
        got = queue.get(timeout=30)
        worker.join()
    finally:
        i18n.set_language("vi")
    assert got == expected
