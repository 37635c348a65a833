"""Output formats.  Each module has ``render(findings, sources, ...) -> str``; none walks the tree.

``applicable(finding)`` says whether a finding's fix would be applied in this run (a safe
fix, or an unsafe one with ``--unsafe-fixes``): ``text`` marks those with ``[*]`` and
``rdjsonl`` offers only those as suggestions (``github`` annotations carry no fix).
``json`` and ``sarif`` carry every fix with its ``applicability`` field, as data.
"""

from __future__ import annotations

import importlib

FORMATS = ("diff", "text", "json", "sarif", "rdjsonl", "github")
MACHINE_FORMATS = ("json", "sarif", "rdjsonl", "github")


def safe_only(finding) -> bool:
    """The default applicability: safe fixes only."""
    return finding.fix is not None and finding.safe


def render(format_name: str, findings, sources, fixed=None, applicable=None) -> str:
    module = importlib.import_module(f"tffix.reporters.{format_name if format_name != 'json' else 'json_'}")
    if format_name == "diff":
        return module.render(findings, sources, fixed or {})
    if format_name in ("text", "rdjsonl"):
        return module.render(findings, sources, applicable or safe_only)
    return module.render(findings, sources)
