"""Positions: the only code that turns string offsets into lines and columns.

Every front end (diff, json, sarif, rdjsonl, github, LSP, review bot) asks a
`LineIndex` for positions, so the conventions live here once:

- offsets are indexes into the decoded ``str`` (code points), end exclusive;
- ``position`` is 1-based line and 1-based column in code points;
- ``byte_column`` is the 1-based column in UTF-8 bytes (reviewdog);
- ``lsp_position`` is 0-based, in UTF-16 code units unless another encoding
  was negotiated.

A line ends after ``\\n``; a ``\\r`` before it belongs to the line, so CRLF
files count lines the way editors do.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A range of one file's text: ``start == end`` is an insertion point."""

    path: str
    start: int
    end: int


class LineIndex:
    """Line starts of one text, built once."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        """1-based line containing ``offset``."""
        return bisect.bisect_right(self._starts, offset)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_end(self, line: int, keep_newline: bool = True) -> int:
        """Offset just past 1-based ``line`` (past its newline if ``keep_newline``)."""
        end = self._starts[line] if line < len(self._starts) else len(self.text)
        if (
            not keep_newline
            and end > 0
            and self.text[end - 1 : end] == "\n"
            and end - 1 >= self._starts[line - 1]
        ):
            end -= 1
            if end > self._starts[line - 1] and self.text[end - 1] == "\r":
                end -= 1
        return end

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column (code points)."""
        line = self.line_of(offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of `position`."""
        return self._starts[line - 1] + column - 1

    def byte_column(self, offset: int) -> int:
        """1-based column counted in UTF-8 bytes."""
        line = self.line_of(offset)
        start = self._starts[line - 1]
        return len(self.text[start:offset].encode("utf-8")) + 1

    def lsp_position(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """0-based line and character in the client's position encoding."""
        line = self.line_of(offset)
        prefix = self.text[self._starts[line - 1] : offset]
        if encoding == "utf-32":
            character = len(prefix)
        elif encoding == "utf-8":
            character = len(prefix.encode("utf-8"))
        else:
            character = len(prefix.encode("utf-16-le")) // 2
        return line - 1, character

    def lsp_offset(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Inverse of `lsp_position` (clamped to the line)."""
        if line >= len(self._starts):
            return len(self.text)
        start = self._starts[line]
        end = self.line_end(line + 1, keep_newline=False)
        text = self.text[start:end]
        if encoding == "utf-32":
            return start + min(character, len(text))
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return start + i
            if encoding == "utf-8":
                units += len(ch.encode("utf-8"))
            else:
                units += 2 if ord(ch) > 0xFFFF else 1
        return end

    def lines(self, start: int, end: int) -> tuple[int, int]:
        """1-based first and last line a range touches (an insertion touches its line)."""
        first = self.line_of(start)
        if end <= start:
            return first, first
        last = self.line_of(end - 1)
        return first, max(first, last)


@dataclass(slots=True)
class SourceFile:
    """A file's path (as given, relative where possible) and its decoded text."""

    path: str
    text: str
    _index: LineIndex | None = field(default=None, repr=False, compare=False)

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index
