"""Unified diffs (difflib) of what the fixes change, ``--- a/PATH`` / ``+++ b/PATH``.

Paths below the cwd are relative and get git's ``a/``/``b/`` prefixes; others stay absolute.
Header names are written as ``git diff`` writes them, so ``git apply`` and ``patch`` take
the output: quoted with C escapes when they hold a control character, a quote or a
backslash (`tffix.paths.quote_path`), and followed by a tab when they hold a space.
"""

from __future__ import annotations

import difflib

from tffix.paths import quote_path


def render(findings, sources, fixed) -> str:
    out = []
    for path in sorted(fixed):
        before = sources[path].text.splitlines(keepends=True)
        after = fixed[path].splitlines(keepends=True)
        old, new = (path, path) if path.startswith("/") else (f"a/{path}", f"b/{path}")
        lines = difflib.unified_diff(before, after, _header_name(old), _header_name(new))
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _header_name(name: str) -> str:
    quoted = quote_path(name)
    return quoted + "\t" if quoted == name and " " in name else quoted
