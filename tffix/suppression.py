"""``# tffix:ignore TFX005`` (or ``// tffix:ignore ...``) on or directly above a block or
attribute silences those codes (or names) inside it; with no code, every rule.

As tflint's annotations: several codes separated by commas or spaces, and any
text after a second ``#`` is a reason.
"""
from __future__ import annotations

import re

from tffix.syntax import nodes as n

_ANNOTATION = re.compile(r"(?:#|//)\s*tffix:ignore\b([^#\r\n]*)")


def annotation_codes(line: str) -> set[str] | None:
    """The codes a line's annotation names (empty set: all rules), or None without one."""
    match = _ANNOTATION.search(line)
    if match is None:
        return None
    return {code for code in re.split(r"[\s,]+", match.group(1).strip()) if code}


def is_suppressed(file, finding) -> bool:
    text = file.text
    if "tffix:ignore" not in text:
        return False
    index = file.source.index
    lines = set()
    for item in _enclosing_items(file.tree.body, finding.span.start):
        line = index.line_of(item.first_token.start)
        lines.update((line - 1, line))
    line = index.line_of(finding.span.start)
    lines.update((line - 1, line))
    for number in lines:
        if number < 1 or number > index.line_count:
            continue
        codes = annotation_codes(text[index.line_start(number) : index.line_end(number)])
        if codes is not None and (not codes or finding.code in codes or finding.name in codes):
            return True
    return False


def _enclosing_items(body: n.Body, offset: int):
    for item in body.items:
        start, end = item.text_span
        if start <= offset < end:
            yield item
            if isinstance(item, n.Block):
                yield from _enclosing_items(item.body, offset)
            return
