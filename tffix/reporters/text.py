"""One line per finding, ``path:line:col: CODE message``; ``[*]`` marks a fixable one (as ruff)."""
from __future__ import annotations


def render(findings, sources) -> str:
    lines = []
    for finding in findings:
        line, column = sources[finding.path].index.position(finding.span.start)
        mark = " [*]" if finding.fix is not None and finding.safe else ""
        lines.append(f"{finding.path}:{line}:{column}: {finding.code}{mark} {finding.message}\n")
    return "".join(lines)
