"""Edits: a span of one file's original text and what replaces it.

Like ruff's ``Edit``: an empty span inserts, empty ``new_text`` deletes.  Edits
on one file never overlap; `apply_edits` applies them back to front.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tffix.syntax.source import Span


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace the text of ``span`` by ``new_text``."""

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

    Diffing by line first, then by token inside each changed line block, keeps
    edits small (an LSP TextEdit, a review suggestion) without the cost of a
    fine diff over a whole block, and keeps them readable: an edit never starts
    or ends inside an identifier, keyword, number, string literal or operator,
    so ``true`` -> ``false`` replaces ``true`` (a character diff would replace
    ``tru`` by ``fals``).  Inside a changed block, a line is diffed against the
    line it became (see `_line_runs`), so realigning ``=`` over five lines is
    five edits of spaces, not one edit that crosses lines.
    """
    if old == new:
        return []
    import difflib  # here: a run that builds no fix never needs it (start-up time)

    edits: list[Edit] = []
    old_lines = _line().findall(old)
    new_lines = _line().findall(new)
    old_offsets = [0]
    for line in old_lines:
        old_offsets.append(old_offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for a1, a2, b1, b2 in _line_runs(old_lines[i1:i2], new_lines[j1:j2]):
            a = tokens("".join(old_lines[i1 + a1 : i1 + a2]))
            b = tokens("".join(new_lines[j1 + b1 : j1 + b2]))
            offsets = [old_offsets[i1 + a1]]
            for token in a:
                offsets.append(offsets[-1] + len(token))
            inner = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for itag, t1, t2, u1, u2 in inner.get_opcodes():
                if itag != "equal":
                    edits.append(
                        _trim_spaces(
                            Span(path, base + offsets[t1], base + offsets[t2]),
                            "".join(a[t1:t2]),
                            "".join(b[u1:u2]),
                        )
                    )
    return _merge_adjacent(edits)


def _trim_spaces(span: Span, old: str, new: str) -> Edit:
    """Spaces changed into spaces lose their common start: "insert two spaces before `=`",
    not "replace twelve spaces by fourteen".  A run of spaces names nothing, so cutting
    into it splits no identifier, keyword, number or string."""
    if old.strip(" \t") or new.strip(" \t"):
        return Edit(span, new)
    common = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return Edit(Span(span.path, span.start + common, span.end), new[common:])


def _line_runs(old: list[str], new: list[str]):
    """Runs of a changed block's lines (old start, end, new start, end) to diff by token.

    Lines that differ only in spaces (``=`` realigned, re-indented) pair up
    one to one, and so do the lines of a run replaced by as many lines; any
    other run is diffed as a whole.
    """
    import difflib

    squeezed = difflib.SequenceMatcher(
        None,
        [" ".join(line.split()) for line in old],
        [" ".join(line.split()) for line in new],
        autojunk=False,
    )
    for tag, a1, a2, b1, b2 in squeezed.get_opcodes():
        if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
            for k in range(a2 - a1):
                yield a1 + k, a1 + k + 1, b1 + k, b1 + k + 1
        else:
            yield a1, a2, b1, b2


# Lines as git counts them: a lone ``\r`` or a Unicode line separator (which
# `str.splitlines` would split at) may sit inside a string literal.
@functools.cache
def _line() -> re.Pattern[str]:
    return re.compile(r"[^\n]*\n|[^\n]+")


# One token, tried in order.  Identifiers, numbers and operators as
# tffix/syntax/lexer.py reads them; whitespace runs and line ends; a quoted
# string is found by `_quoted_end`, anything else is one character.
@functools.cache
def _token() -> re.Pattern[str]:
    return re.compile(
        r"""
    \r?\n
  | [ \t]+
  | [0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?
  | [^\W\d][\w-]*
  | <<-? | \$\{ | %\{ | ~\} | \.\.\. | :: | == | != | <= | >= | && | \|\| | => | // | /\* | \*/
""",
        re.VERBOSE,
    )


def tokens(text: str) -> list[str]:
    """``text`` cut into tokens (their concatenation is ``text``).

    A quoted string that closes on its line, interpolations and the quotes
    inside them included, is one token; a quote that does not close (in a
    comment, in heredoc text) is a token of its own.
    """
    out = []
    token = _token()
    position, length = 0, len(text)
    while position < length:
        if text[position] == '"':
            end = _quoted_end(text, position)
        else:
            match = token.match(text, position)
            end = match.end() if match else position + 1
        out.append(text[position:end])
        position = end
    return out


def _quoted_end(text: str, start: int) -> int:
    """The offset after the quoted string that opens at ``start``, or ``start + 1`` if it does
    not close before the end of its line."""
    position, depth = start + 1, 0  # depth: braces open inside ``${`` / ``%{``
    while position < len(text):
        char = text[position]
        if char == "\n":
            break
        if depth == 0:
            if char == "\\":
                position += 2
                continue
            if char == '"':
                return position + 1
            if text.startswith(("$${", "%%{"), position):
                position += 3
                continue
            if text.startswith(("${", "%{"), position):
                depth = 1
                position += 2
                continue
        elif char == '"':
            end = _quoted_end(text, position)
            if end == position + 1:
                break
            position = end
            continue
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        position += 1
    return start + 1


def _merge_adjacent(edits: list[Edit]) -> list[Edit]:
    """Join edits that touch, so one change stays one edit."""
    merged: list[Edit] = []
    for edit in edits:
        if merged and merged[-1].span.end == edit.span.start:
            last = merged.pop()
            edit = Edit(Span(edit.span.path, last.span.start, edit.span.end), last.new_text + edit.new_text)
        merged.append(edit)
    return merged
