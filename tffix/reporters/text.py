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
    mark = " " + paint("mark", "[*]")
    quoted: dict[str, str] = {}  # each path's quoting, once (a file has many findings)
    lines = []
    for finding in findings:
        path = finding.path
        line, column = sources[path].index.position(finding.span.start)
        if path not in quoted:
            quoted[path] = quote_path(path)
        if style is None:
            where = f"{quoted[path]}:{line}:{column}:"
            code = finding.code
        else:
            where = paint("path", f"{quoted[path]}:{line}:{column}:")
            code = paint("code", finding.code)
        lines.append(f"{where} {code}{mark if applicable(finding) else ''} {finding.message}\n")
    return "".join(lines)
