""".docx files read with mammoth (Word's headings, lists, bold and italics, photos) into HTML,
then into an `Article` by `html_reader`.

Word's "Title" and "Subtitle" styles become the title and the sapo; "Caption" paragraphs are
captions. The styles mammoth does not know are reported (their text is kept as paragraphs).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import mammoth

from ..i18n import _
from .article import Article
from .html_reader import read_html

_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.sapo:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Chú thích'] => p.caption:fresh
p[style-name='Quote'] => blockquote:fresh
p[style-name='Intense Quote'] => blockquote:fresh
"""


class DocxError(Exception):
    """A .docx that cannot be read (damaged, not a Word document); the message is for staff."""


def read_docx(path: Path) -> Article:
    """The article of a Word file; photos come from inside the file."""
    photos: dict[str, bytes] = {}

    def keep(image) -> dict[str, str]:
        with image.open() as stream:
            data = stream.read()
        name = f"docx-photo-{len(photos) + 1}"
        photos[name] = data
        attributes = {"src": name}
        if image.alt_text:
            attributes["alt"] = image.alt_text
        return attributes

    try:
        with path.open("rb") as stream:
            result = mammoth.convert_to_html(stream, convert_image=mammoth.images.img_element(keep),
                                             style_map=_STYLE_MAP)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise DocxError(_("the file is not a Word document (.docx) that can be read ({reason}): open it in Word "
                          "and save it again as .docx").format(reason=exc or type(exc).__name__)) from None
    except Exception as exc:  # mammoth reads the XML of any zip: a damaged part fails in many ways
        raise DocxError(_("the Word document cannot be read ({reason}): open it in Word and save it again "
                          "as .docx").format(reason=f"{type(exc).__name__}: {exc}")) from None
    article = read_html(f"<html><body>{result.value}</body></html>", photos.get, whole=True)
    for message in result.messages:
        if message.type == "warning" and "style" in message.message.lower():
            article.unrecognised.append(
                _("a Word style that is not known: {style} (its text is kept as paragraphs)").format(
                    style=message.message.split(":", 1)[-1].strip()))
    return article
