"""Edits: a span of one file's original text and what replaces it.

Like ruff's ``Edit``: an empty span inserts, empty ``new_text`` deletes.  Edits
on one file never overlap; `apply_edits` applies them back to front.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from tffix.syntax.source import Span


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    span: Span
    new_text: str

    @property
    def path(self) -> str:
        return self.span.path


def overlaps(a: Edit, b: Edit) -> bool:
    """Two edits of one file touch the same text (two insertions at one point count)."""
    if a.span.path != b.span.path:
        return False
    if a.span.start == a.span.end == b.span.start == b.span.end:
        return True
    return a.span.start < b.span.end and b.span.start < a.span.end


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits of one file to its text."""
    out = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if edit.span.start < position:
            raise ValueError(f"overlapping edits at offset {edit.span.start} in {edit.span.path}")
        out.append(text[position : edit.span.start])
        out.append(edit.new_text)
        position = edit.span.end
    out.append(text[position:])
    return "".join(out)


def minimal_edits(path: str, old: str, new: str, base: int = 0) -> list[Edit]:
    """The changed runs between two texts, as edits at ``base`` + offsets in ``old``.

    Diffing by line first, then by character inside each changed line block,
    keeps edits small (an LSP TextEdit, a review suggestion) without the cost
    of a character diff over a whole block.
    """
    if old == new:
        return []
    edits: list[Edit] = []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_offsets = [0]
    for line in old_lines:
        old_offsets.append(old_offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a = "".join(old_lines[i1:i2])
        b = "".join(new_lines[j1:j2])
        start = old_offsets[i1]
        inner = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for itag, a1, a2, b1, b2 in inner.get_opcodes():
            if itag != "equal":
                edits.append(Edit(Span(path, base + start + a1, base + start + a2), b[b1:b2]))
    return _merge_adjacent(edits)


def _merge_adjacent(edits: list[Edit]) -> list[Edit]:
    """Join edits that touch, so one change stays one edit."""
    merged: list[Edit] = []
    for edit in edits:
        if merged and merged[-1].span.end == edit.span.start:
            last = merged.pop()
            edit = Edit(Span(edit.span.path, last.span.start, edit.span.end), last.new_text + edit.new_text)
        merged.append(edit)
    return merged
