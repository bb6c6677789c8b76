"""Story and profile bodies: Markdown to HTML, one reusable converter per process.

Raw HTML in bodies is not trusted: it is escaped and shown as text, so a pasted
`<script>` can never run on the site.
"""

from __future__ import annotations

import markdown

_EXTENSIONS = ["extra", "sane_lists"]


class MarkdownRenderer:
    """Converts Markdown text to HTML; reuses one `markdown.Markdown` (creating one is costly)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=_EXTENSIONS,
            output_format="html",
        )
        # Escape raw HTML instead of passing it through.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def convert(self, text: str) -> str:
        """Return the HTML for `text`."""
        try:
            return self._md.convert(text)
        finally:
            self._md.reset()
