"""Places across the 2025 administrative reform: the registry of units before and after
1 July 2025 (`registry`), names as editors write them (`names`) and their resolution to today's
units (`resolve`). No MkDocs, no content model: callers pass the place's parts as text."""

from site_builder.places.registry import REFORM_DATE, Registry, Unit, registry
from site_builder.places.resolve import Problem, Resolution, Written, former_names, parse, resolve

__all__ = ["REFORM_DATE", "Problem", "Registry", "Resolution", "Unit", "Written", "former_names", "parse",
           "registry", "resolve"]
