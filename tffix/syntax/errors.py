"""`ParseError`: where the input stops being HCL, and what would have been accepted there.
`EditError`: an edit that cannot be made in this layout."""

from __future__ import annotations


class ParseError(Exception):
    """Invalid HCL at 1-based ``line`` and ``column`` (code points).

    ``str(error)`` is ``line:col: message``; the runner prefixes the path.
    """

    def __init__(self, message: str, line: int, column: int, offset: int = 0, expected: tuple[str, ...] = ()):
        super().__init__(f"{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.expected = expected

    @classmethod
    def at(cls, text: str, offset: int, message: str, expected: tuple[str, ...] = ()) -> ParseError:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return cls(message, line, column, offset, expected)


class EditError(ValueError):
    """The edit cannot be made in this layout, or the text to write is not valid HCL.

    A rule's fix that raises it is reported as a finding without a fix.
    """
