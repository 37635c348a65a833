"""How paths are shown: relative to the cwd where possible, quoted as git quotes them.

A path with a control character, a double quote or a backslash is written in double
quotes with C escapes (``"a/new\\nline/main.tf"``), as ``git diff`` writes it, so diff
headers and ``path:line:col:`` lines stay one line each and ``git apply`` and ``patch``
read them back.  Other characters, non-ASCII ones included, are written as they are; a
byte that is not UTF-8 (a surrogate escape) becomes an octal escape.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def absolute_text(path: str | os.PathLike[str]) -> str:
    """``path.absolute()`` as a string, without building a path when it is absolute already or
    spelled as `Path` spells it (``..`` kept, as `Path.absolute` keeps it)."""
    text = os.fspath(path)
    if os.path.isabs(text):
        return text
    if os.sep == "/" and not _NOT_PLAIN.search(text):
        cwd = os.getcwd()
        return cwd + text if cwd == "/" else cwd + "/" + text
    return os.fspath(Path(path).absolute())


def display_path(path: str | Path) -> str:
    """Relative to the cwd when below it, else absolute; always with forward slashes."""
    text = os.fspath(path)
    if os.sep == "/" and not _NOT_PLAIN.search(text):
        # Already as `Path` spells it (no ``.`` or empty parts, no trailing slash): the same
        # answer as below without building paths, for the thousands a tree run shows.
        if not text.startswith("/"):
            return text
        cwd = os.getcwd()
        if text.startswith(cwd) and text[len(cwd) : len(cwd) + 1] == "/" and cwd != "/":
            return text[len(cwd) + 1 :]
        if not text.startswith(cwd):
            return text
    absolute = path.absolute() if isinstance(path, Path) else Path(path).absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


# A part that is empty, ``.`` or ``..``, a trailing slash, or a leading ``//`` (kept by `Path`).
_NOT_PLAIN = re.compile(r"//|(^|/)\.\.?(/|$)|/$|^$|\\")

# What makes `quote_path` quote: control characters, DEL, ``"``, ``\\``, surrogate escapes.
_QUOTED = re.compile('[\x00-\x1f\x7f"\\\\\udc80-\udcff]')


def quote_path(path: str) -> str:
    """``path`` as git shows it: unchanged, or in double quotes with C escapes."""
    if not _QUOTED.search(path):
        return path
    return '"' + "".join(_escape(c) for c in path) + '"'


def _needs_escape(c: str) -> bool:
    return c in _ESCAPES or c < " " or c == "\x7f" or "\udc80" <= c <= "\udcff"


def _escape(c: str) -> str:
    if c in _ESCAPES:
        return _ESCAPES[c]
    if "\udc80" <= c <= "\udcff":
        return f"\\{ord(c) - 0xDC00:03o}"
    if c < " " or c == "\x7f":
        return f"\\{ord(c):03o}"
    return c
