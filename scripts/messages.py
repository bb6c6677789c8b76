"""Keep the Vietnamese message catalog in step with the code: `make messages`.

    python scripts/messages.py           extract, update the .po, compile the .mo
    python scripts/messages.py --check   list what is out of step (exit 1 if anything)

Messages are extracted with Babel from the package, as `babel.cfg` says (every
``_()``, ``ngettext()`` and ``N_()``), plus argparse's own ("usage:",
"error:", ...) from the running Python's argparse.py: `site_builder.i18n`
points the standard library's gettext at the same catalog.

Updating keeps every translation, adds new messages with an empty one (a
changed message keeps its old translation marked fuzzy, for review) and drops
messages the code no longer has. Only reviewed translations are compiled.
`tests/test_i18n.py` runs the check.
"""

from __future__ import annotations

import argparse
import io
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from site_builder.i18n import DOMAIN, LOCALE_DIR  # noqa: E402

MAPPING = REPO / "babel.cfg"
PACKAGE = REPO / "site_builder"
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
ARGPARSE_LOCATION = "<python>/argparse.py"
COMMENT_TAGS = ("Translators:",)
HEADER = """\
# Vietnamese messages of Gương Sáng (site_builder). Sources are English; staff read these.
# Update with `make messages`; how to add a message: site_builder/i18n.py.
#"""


def extract(mapping: Path = MAPPING, root: Path = REPO) -> Catalog:
    """Every message of the package (as `mapping` says) and of argparse, as a template."""
    import argparse as argparse_module

    with open(mapping, encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, str(mapping))
    template = Catalog(project="Gương Sáng", domain=DOMAIN, fuzzy=False)
    package = (root / "site_builder").resolve()

    def only_the_package(folder: str) -> bool:
        path = Path(folder).resolve()
        return path.is_relative_to(package) and not path.name.startswith((".", "__"))

    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map, comment_tags=COMMENT_TAGS, strip_comment_tags=True,
        directory_filter=only_the_package,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for lineno, message, comments, context in extract_from_file("python", argparse_module.__file__):
        template.add(message, None, [(ARGPARSE_LOCATION, lineno)], auto_comments=comments, context=context)
    return template


def read_catalog(po: Path = PO) -> Catalog:
    with open(po, "rb") as fileobj:
        return read_po(fileobj, locale="vi", domain=DOMAIN)


def write_catalog(catalog: Catalog, po: Path = PO) -> None:
    """The .po (sorted by message, no line numbers: fewer merge conflicts) and its compiled .mo."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, ignore_obsolete=True, include_lineno=False)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(buffer.getvalue())
    compile_catalog(po)


def compile_catalog(po: Path = PO) -> None:
    catalog = read_catalog(po)
    with open(po.with_suffix(".mo"), "wb") as fileobj:
        write_mo(fileobj, catalog, use_fuzzy=False)


def update(po: Path = PO) -> Catalog:
    template = extract()
    if po.exists():
        catalog = read_catalog(po)
    else:
        catalog = Catalog(
            locale="vi", domain=DOMAIN, project="Gương Sáng", fuzzy=False, header_comment=HEADER,
            msgid_bugs_address="", copyright_holder="",
        )
    catalog.update(template, update_creation_date=False)
    write_catalog(catalog, po)
    return catalog


def _key(message) -> object:
    ident = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
    return ident if message.context is None else (message.context, ident)


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def _translated(message) -> bool:
    return all(_strings(message)) and not message.fuzzy


def _fields(text: str) -> tuple[set[str], int]:
    """The placeholders of a message: named ones ({name}, %(name)s) and the count of unnamed %s."""
    named: set[str] = set()
    try:
        named |= {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        named.add("<invalid {} format>")
    unnamed = 0
    for spec in _PERCENT.findall(text):
        if spec.startswith("%("):
            named.add(spec[2:spec.index(")")])
        elif spec != "%%":
            unnamed += 1
    return named, unnamed


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdrifgxXeEcoa%]")


def problems(po: Path = PO, template: Catalog | None = None) -> list[str]:
    """What is out of step between the code, the .po and the .mo; [] when all is well."""
    template = extract() if template is None else template
    if not po.exists():
        return [f"{po} is missing: run `make messages`"]
    catalog = read_catalog(po)
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if entry is None:
            found.append(f"not in {po.name} ({where}): {message.id!r}; run `make messages` and translate it")
        elif not _translated(entry):
            found.append(f"no Vietnamese translation ({where}): {message.id!r}; translate it in {po.name}")
    extracted = {_key(m) for m in template if m.id}
    for entry in catalog:
        if not entry.id:
            continue
        if _key(entry) not in extracted:
            found.append(f"{po.name} has a message the code no longer has: {entry.id!r}; run `make messages`")
        elif _translated(entry):
            # A translation may leave a placeholder out, never add one (formatting would fail).
            ids = entry.id if isinstance(entry.id, (list, tuple)) else [entry.id]
            names = set().union(*(_fields(i)[0] for i in ids))
            unnamed = _fields(ids[0])[1]
            for text in _strings(entry):
                got_names, got_unnamed = _fields(text)
                if not got_names <= names or got_unnamed != unnamed:
                    found.append(
                        f"the translation {text!r} of {ids[0]!r} has other placeholders than the message: "
                        f"correct it in {po.name}"
                    )
    found.extend(_compiled_problems(po, catalog))
    return found


def _compiled_problems(po: Path, catalog: Catalog) -> list[str]:
    """The .mo must hold what compiling the .po gives now (compared message by message)."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return [f"{mo} is missing: run `make messages`"]
    fresh = io.BytesIO()
    write_mo(fresh, catalog, use_fuzzy=False)
    fresh.seek(0)
    with open(mo, "rb") as fileobj:
        compiled, expected = read_mo(fileobj), read_mo(fresh)
    if _contents(compiled) != _contents(expected) or compiled.plural_forms != expected.plural_forms:
        return [f"{mo.name} does not match {po.name}: run `make messages`"]
    return []


def _contents(catalog: Catalog) -> dict[object, tuple[str, ...]]:
    return {_key(m): _strings(m) for m in catalog if m.id}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is out of step")
    args = parser.parse_args(argv)
    if not args.check:
        update()
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if args.check:
        return 1 if found else 0
    todo = sum(1 for p in found if p.startswith("no Vietnamese translation"))
    print(f"{PO.relative_to(REPO)}: {todo} message(s) to translate" if todo else f"{PO.relative_to(REPO)}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
