"""Before/after texts to GitHub suggestions: pure, no rule and no HTTP involved.

A suggestion replaces whole lines ``start_line..line`` (1-based, inclusive) of
the pull request's head by the lines of its block.  The ranges come from
`difflib.SequenceMatcher` over the two texts' lines, never from a re-parsed
diff, so what the reviewer commits is exactly what tffix wrote.

GitHub cannot express an insertion (a suggestion covers at least one line), so
one repeats an anchor: the unchanged line above it, or at the top of the file
line 1, with the new lines first.  Ranges that touch or overlap are merged,
because GitHub applies at most one suggestion per line in a batch.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suggestion:
    path: str
    start_line: int
    line: int
    replacement: tuple[str, ...]  # the block's lines, without line terminators

    @property
    def block(self) -> str:
        """The ```suggestion block, fenced longer than any backtick run it contains."""
        content = "".join(f"{line}\n" for line in self.replacement)
        fence = "`" * fence_length(content)
        return f"{fence}suggestion\n{content}{fence}"


def fence_length(content: str) -> int:
    return max([3, *(len(run) + 1 for run in re.findall(r"`+", content))])


def split_lines(text: str) -> list[str]:
    """Lines as git counts them: each ends after ``\\n`` (a ``\\r`` before it stays on the line)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def strip_terminator(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    return line[:-1] if line.endswith("\n") else line


def commit(
    lines: list[str], start_line: int, line: int, replacement: tuple[str, ...], newline: str
) -> list[str]:
    """What "Commit suggestion" leaves in place of lines ``start_line..line``.

    The block's lines are joined by the file's newline and keep the replaced
    range's final terminator; an empty block deletes the lines.
    """
    if not replacement:
        return []
    terminator = lines[line - 1][len(strip_terminator(lines[line - 1])) :]
    return [*(text + newline for text in replacement[:-1]), replacement[-1] + terminator]


def suggest(path: str, before: str, after: str) -> list[Suggestion]:
    """Suggestions that turn ``before`` into ``after`` when all are committed.

    A change GitHub's line model cannot carry (a line ending or final newline
    changed, an insertion into an empty file) yields no suggestion: the
    caller's patch of what remains covers it.
    """
    old, new = split_lines(before), split_lines(after)
    newline = "\r\n" if "\r\n" in before else "\n"
    suggestions = []
    for i1, i2, j1, j2 in _merged(_ranges(old, new)):
        replacement = tuple(strip_terminator(line) for line in new[j1:j2])
        if commit(old, i1 + 1, i2, replacement, newline) == new[j1:j2]:
            suggestions.append(Suggestion(path, i1 + 1, i2, replacement))
    return suggestions


def _ranges(old: list[str], new: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """Changed line ranges (0-based, half-open in both texts), insertions widened to their anchor."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert":
            yield i1, i2, j1, j2
        elif i1 > 0:
            yield i1 - 1, i1, j1 - 1, j2
        elif old:
            yield 0, 1, 0, j2 + 1


def _merged(ranges: Iterator[tuple[int, int, int, int]]) -> Iterator[tuple[int, int, int, int]]:
    current = None
    for i1, i2, j1, j2 in ranges:
        if current is not None and i1 <= current[1]:
            current = (current[0], max(current[1], i2), current[2], max(current[3], j2))
            continue
        if current is not None:
            yield current
        current = (i1, i2, j1, j2)
    if current is not None:
        yield current
