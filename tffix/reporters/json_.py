"""A JSON list of findings with 1-based positions and their fixes as edits (the formats README.md describes)."""

from __future__ import annotations

import json


def _position(sources, path, offset):
    line, column = sources[path].index.position(offset)
    return {"line": line, "column": column}


def render(findings, sources) -> str:
    """The same text as ``json.dumps(items, indent=2, ensure_ascii=False)``, one finding at a time:
    the whole list's dictionaries and the indenting encoder's pieces of it would be kept at
    once, several times the size of the output (issue 10)."""
    encode = json.JSONEncoder(indent=2, ensure_ascii=False).encode
    items = []
    for finding in findings:
        start = _position(sources, finding.path, finding.span.start)
        end = _position(sources, finding.path, finding.span.end)
        fix = None
        if finding.fix is not None:
            fix = {
                "applicability": "safe" if finding.safe else "unsafe",
                "edits": [
                    {
                        "path": edit.span.path,
                        "start": _position(sources, edit.span.path, edit.span.start),
                        "end": _position(sources, edit.span.path, edit.span.end),
                        "new_text": edit.new_text,
                    }
                    for edit in finding.fix.edits
                ],
            }
        item = encode(
            {
                "code": finding.code,
                "name": finding.name,
                "path": finding.path,
                "line": start["line"],
                "column": start["column"],
                "end_line": end["line"],
                "end_column": end["column"],
                "message": finding.message,
                "related": list(finding.related),
                "fix": fix,
            }
        )
        # One level deeper inside the list (a newline inside a string is written `\n`).
        items.append("  " + item.replace("\n", "\n  "))
    if not items:
        return "[]\n"
    items[0] = "[\n" + items[0]
    items[-1] += "\n]\n"
    return ",\n".join(items)  # one copy of the output, not three
