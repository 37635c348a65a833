"""Output formats.  Each module has ``render(findings, sources) -> str``; none walks the tree."""
from __future__ import annotations

import importlib

FORMATS = ("diff", "text", "json", "sarif", "rdjsonl", "github")


def render(format_name: str, findings, sources, fixed=None) -> str:
    module = importlib.import_module(f"tffix.reporters.{format_name if format_name != 'json' else 'json_'}")
    if format_name == "diff":
        return module.render(findings, sources, fixed or {})
    return module.render(findings, sources)
