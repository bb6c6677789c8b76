"""Writing feed XML with the standard library's `xml.sax.saxutils.XMLGenerator`.

Every text and attribute value goes through the generator, which escapes it; characters
XML 1.0 cannot carry at all (control characters a YAML escape can put in a title) are
dropped first. A story's entry is written once per build and format (`XmlWriter.text`)
and put into each feed that lists it as it is (`XmlWriter.fragment`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from xml.sax.saxutils import XMLGenerator

#: What XML 1.0 does not allow in a document, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters no XML document may contain."""
    return _NOT_XML.sub("", text)


class XmlWriter:
    """A document or fragment under construction; element and attribute names are written as
    given (namespace prefixes such as ``dc:creator`` are declared on the root by the caller)."""

    def __init__(self) -> None:
        self._out = io.StringIO()
        self._xml = XMLGenerator(self._out, "utf-8", short_empty_elements=True)

    def declaration(self) -> None:
        self._xml.startDocument()

    def start(self, name: str, attrs: Mapping[str, str | int] | None = None) -> None:
        self._xml.startElement(name, {k: xml_safe(str(v)) for k, v in (attrs or {}).items()})

    def end(self, name: str) -> None:
        self._xml.endElement(name)

    def element(self, name: str, text: str = "", attrs: Mapping[str, str | int] | None = None) -> None:
        """`<name attrs>text</name>`, or `<name attrs/>` without text."""
        self.start(name, attrs)
        if text:
            self._xml.characters(xml_safe(text))
        self.end(name)

    def fragment(self, xml: str) -> None:
        """Put a well-formed fragment made by another XmlWriter (a cached entry) here, as it is.

        XMLGenerator writes `ignorableWhitespace` content unescaped, after closing a pending start tag.
        """
        self._xml.ignorableWhitespace(xml)

    def newline(self) -> None:
        self._xml.ignorableWhitespace("\n")

    def text(self) -> str:
        return self._out.getvalue()
