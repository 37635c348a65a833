"""Reading trivia: the spaces, newlines and comments a token carries as its prefix.

A prefix is made only of whitespace and comments (the lexer puts nothing else
there), so one scan tells the three comment kinds apart: ``#`` and ``//`` run to
the end of the line, ``/* */`` may span lines.  Asking ``"/*" in prefix`` instead
would mistake ``// see /* here`` for a block comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PIECE = re.compile(r"(?P<line>(?:\#|//)[^\r\n]*+)|(?P<block>/\*.*?\*/)|(?P<space>[^#/]+|/)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment in a token's prefix, with its offsets in that prefix."""

    text: str
    start: int  # offset in the prefix
    end: int

    @property
    def is_block(self) -> bool:
        return self.text.startswith("/*")

    @property
    def spans_lines(self) -> bool:
        return self.is_block and "\n" in self.text

    @property
    def body(self) -> str:
        """The comment's words, without its markers."""
        if self.is_block:
            return self.text[2:-2]
        return self.text[1:] if self.text.startswith("#") else self.text[2:]


def comments(prefix: str) -> list[Comment]:
    return [
        Comment(m.group(), m.start(), m.end())
        for m in _PIECE.finditer(prefix)
        if m.lastgroup in ("line", "block")
    ]


def has_spanning_comment(prefix: str) -> bool:
    """A ``/* */`` comment running over lines: splitting the prefix at a newline would cut it."""
    return "/*" in prefix and any(c.spans_lines for c in comments(prefix))


def starts_line(prefix: str) -> bool:
    """The token after this prefix begins a new line (a newline outside comments precedes it)."""
    return "\n" in _without_block_comments(prefix)


def _without_block_comments(prefix: str) -> str:
    if "/*" not in prefix:
        return prefix
    out, position = [], 0
    for comment in comments(prefix):
        if comment.is_block:
            out.append(prefix[position : comment.start])
            position = comment.end
    out.append(prefix[position:])
    return "".join(out)


def last_line_indent(prefix: str) -> str:
    """The spaces and tabs that begin the last line of a prefix (its token's indentation)."""
    line = prefix[prefix.rfind("\n") + 1 :]
    return line[: len(line) - len(line.lstrip(" \t"))]


def line_breaks(prefix: str) -> list[int]:
    """Offsets just after each newline of a prefix that lies outside comments (safe places to cut)."""
    inside = [(c.start, c.end) for c in comments(prefix) if c.is_block] if "/*" in prefix else []
    return [
        i + 1
        for i, char in enumerate(prefix)
        if char == "\n" and not any(start <= i < end for start, end in inside)
    ]
