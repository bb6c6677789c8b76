"""The `content` stage: load and validate stories, profiles and vocabularies."""

from .errors import ContentErrors, ContentIssue
from .loader import load_content, validate_content

__all__ = ["ContentErrors", "ContentIssue", "load_content", "validate_content"]
