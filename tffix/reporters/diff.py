"""Unified diffs (difflib) of what the fixes change, ``--- a/PATH`` / ``+++ b/PATH``."""
from __future__ import annotations

import difflib


def render(findings, sources, fixed) -> str:
    out = []
    for path in sorted(fixed):
        before = sources[path].text.splitlines(keepends=True)
        after = fixed[path].splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{path}", f"b/{path}")
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
