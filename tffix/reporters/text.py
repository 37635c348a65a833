"""One line per finding, ``path:line:col: CODE message``; ``[*]`` marks a fixable one (as ruff).

A path with a control character is quoted as git quotes it, so each finding stays one line.
"""
from __future__ import annotations

from tffix.paths import quote_path


def render(findings, sources) -> str:
    lines = []
    for finding in findings:
        line, column = sources[finding.path].index.position(finding.span.start)
        mark = " [*]" if finding.fix is not None and finding.safe else ""
        lines.append(f"{quote_path(finding.path)}:{line}:{column}: {finding.code}{mark} {finding.message}\n")
    return "".join(lines)
