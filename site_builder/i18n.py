"""Messages in the staff's language: Vietnamese by default, English for developers.

Every message a staff member may see is written in English in the code and
translated in ``site_builder/locale/vi/LC_MESSAGES/messages.po`` (compiled with
Babel into the ``messages.mo`` next to it; both are committed).

Adding a message in any module::

    from site_builder.i18n import _, ngettext

    raise ValueError(_("image not found: images/{path}; check the file name").format(path=src))
    print(ngettext("{count} photo", "{count} photos", n).format(count=n))

- The argument of ``_()`` / ``ngettext()`` is a string literal (Babel finds it
  by reading the code); fill it *after* translating, with named ``{fields}``
  so the translation can put them in another order.
- A table of messages built when a module is imported marks them with
  ``N_("...")`` and translates where it uses them: ``_(TABLE[key])``.
- Keep YAML keys (``title``, ``cover.alt``) and the ``path:line: field:``
  prefix as they are: they are names, not words.
- Then ``make messages`` adds the new message to the ``.po``: write its
  Vietnamese there (with diacritics; a short sentence that says what to do),
  run ``make messages`` again to compile, and commit the ``.po`` and ``.mo``.
  ``tests/test_i18n.py`` fails while a message has no translation, when the
  ``.mo`` does not match the ``.po``, or when a translation's ``{fields}``
  are not the message's.

The language is chosen once per process (`set_language`, from ``--lang``) or
else from the environment (`language_from_environment`); forked processes
inherit it.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

from babel.support import NullTranslations, Translations

DOMAIN = "messages"  # Babel's and the standard library's default domain: argparse uses it too
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
#: Read in this order, as gettext does; the first one set decides.
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_language: str | None = None
_translations: NullTranslations | None = None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """"en" when the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set starts with "en";
    "vi" otherwise (vi_VN, C, POSIX, nothing set): staff get Vietnamese unless they ask."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name)
        if value:
            return "en" if value.strip().lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Use `language` ("vi" or "en") for every message from now on, in this process and the
    processes it forks or starts.

    The standard library's gettext (argparse's "usage:", "error:", ...) is pointed at the same
    catalog; it chooses its language from the environment, so LANGUAGE is set too.
    """
    global _language, _translations
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    _language, _translations = language, _load(language)
    os.environ["LANGUAGE"] = language
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))


def language() -> str:
    """The language messages are in: "vi" or "en"."""
    _active()
    assert _language is not None
    return _language


def _load(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], DOMAIN)


def _active() -> NullTranslations:
    global _language, _translations
    if _translations is None:
        _language = language_from_environment()
        _translations = _load(_language)
    return _translations


def _(message: str) -> str:
    """`message` (English) in the current language."""
    return _active().gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for the number `n`, in the current language."""
    return _active().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for translation without translating it (module-level tables)."""
    return message


def in_language(message: str, language: str) -> str:
    """`message` (English) in `language`, whatever the staff's language: what a page of the
    site says is Vietnamese, and the same words may also be said to staff (`site-builder stats`)."""
    return _catalog(language).gettext(message)


@functools.cache
def _catalog(language: str) -> NullTranslations:
    return _load(language)
