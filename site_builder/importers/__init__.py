"""Importing published articles (plain text, saved web pages, Word .docx) as story files.

readers (`text_reader`, `html_reader`, `docx_reader`) → `Article` → `rules.interpret` (our
Vietnamese rules, `entities`, `outlets`) → `Draft` → `story.render` → `run.Importer` (paths, photos,
never overwriting). Legacy VNI/TCVN3 text is converted by `site_builder.legacy_text`.
"""

from .run import Importer, ImportResult, find_articles

__all__ = ["Importer", "ImportResult", "find_articles"]
