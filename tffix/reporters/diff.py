"""Unified diffs (difflib) of what the fixes change, ``--- a/PATH`` / ``+++ b/PATH``.

Paths below the cwd are relative and get git's ``a/``/``b/`` prefixes; others stay absolute.
"""
from __future__ import annotations

import difflib


def render(findings, sources, fixed) -> str:
    out = []
    for path in sorted(fixed):
        before = sources[path].text.splitlines(keepends=True)
        after = fixed[path].splitlines(keepends=True)
        old, new = (path, path) if path.startswith("/") else (f"a/{path}", f"b/{path}")
        lines = difflib.unified_diff(before, after, old, new)
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
