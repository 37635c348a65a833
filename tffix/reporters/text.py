"""One line per finding, ``path:line:col: CODE message``; ``[*]`` marks a fix this run would
apply (as ruff: a safe fix, or an unsafe one with ``--unsafe-fixes``).

A path with a control character is quoted as git quotes it, so each finding stays one line.
"""

from __future__ import annotations

from tffix.paths import quote_path


def render(findings, sources, applicable=None, style=None) -> str:
    """``style(kind, text)`` colours the parts ("path", "code", "mark") on a terminal."""
    if applicable is None:
        from tffix.reporters import safe_only as applicable
    paint = style or (lambda kind, text: text)
    lines = []
    for finding in findings:
        line, column = sources[finding.path].index.position(finding.span.start)
        mark = " " + paint("mark", "[*]") if applicable(finding) else ""
        where = paint("path", f"{quote_path(finding.path)}:{line}:{column}:")
        lines.append(f"{where} {paint('code', finding.code)}{mark} {finding.message}\n")
    return "".join(lines)
