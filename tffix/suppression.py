"""Suppression comments: ``# tffix:ignore TFX005`` on or directly above a block or attribute
silences those rules (codes or names) inside it; with no code, every rule.

Spellings: ``#``, ``//`` or ``/* ... */`` comments; ``tffix:ignore`` or ``tffix: ignore``,
optionally followed by a colon; codes separated by commas or spaces.  As in tflint's
annotations, text after a second ``#`` (or ``//``) is a reason, and so is text after
`` -- ``.  The directive may follow other comment text after a ``#``
(``# checkov:skip=... # tffix:ignore TFX005``).

Comments are read from the syntax tree's trivia, so a ``# tffix:ignore`` inside a string
or a heredoc is text, not a suppression.  A comment that spans lines (``/* ... */``)
counts on each of them and on the line after it ends.

Besides `is_suppressed`, the module says which suppressions a file holds
(`suppressions`), which one silences a finding (`suppression_of`), which codes name no
rule (`unknown_codes`) and which comments silenced nothing (`unused_suppressions`, ruff's
RUF100), so the engine can warn about both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tffix.syntax import nodes as n
from tffix.syntax.source import Span

# Patterns, compiled by `re` when first used: most files have no tffix comment (start-up time).
# A comment in trivia (trivia holds only whitespace and comments, so no string gets in the way).
_COMMENT = r"(?s)#[^\r\n]*|//[^\r\n]*|/\*.*?\*/"
# The directive: right after a comment marker, or after a `#` later in a `#` or `//` comment.
_DIRECTIVE = r"(?:#|//|/\*)[ \t]*tffix:[ \t]*ignore(?![\w-]):?"
_REASON = r"#|//|(?<!\S)--(?!\S)"


@dataclass(frozen=True, slots=True)
class Suppression:
    """One ``tffix:ignore`` comment."""

    span: Span  # the whole comment
    lines: tuple[int, int]  # the first and last line it is on (1-based)
    codes: tuple[str, ...]  # rule codes or names as written; () silences every rule
    reason: str = ""

    @property
    def line(self) -> int:
        return self.lines[0]

    def silences(self, finding) -> bool:
        """Whether this comment names the finding's rule (wherever the finding is)."""
        return not self.codes or any(_names(code, finding.code, finding.name) for code in self.codes)


@dataclass(frozen=True, slots=True)
class UnknownCodes:
    suppression: Suppression
    codes: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"unknown rule code in `tffix:ignore`: {', '.join(self.codes)}"


@dataclass(frozen=True, slots=True)
class Unused:
    """A suppression that silenced nothing, or the codes of it that silenced nothing (RUF100)."""

    suppression: Suppression
    codes: tuple[str, ...]  # () for a comment without codes that silenced no finding

    @property
    def message(self) -> str:
        if not self.codes:
            return "unused `tffix:ignore`: it silences no finding"
        return f"unused `tffix:ignore` (unused: {', '.join(self.codes)})"


def parse_comment(comment: str) -> tuple[tuple[str, ...], str] | None:
    """The codes and the reason of a ``tffix:ignore`` comment, or None if it is not one."""
    match = re.search(_DIRECTIVE, comment)
    if match is None or (match.start() > 0 and comment[match.start()] != "#"):
        return None
    if match.start() > 0 and comment.startswith("/*"):
        return None
    rest = comment[match.end() :]
    if comment.startswith("/*"):
        rest = rest[:-2]
    codes, _, reason = _split_reason(rest)
    return tuple(code for code in re.split(r"[\s,]+", codes) if code), " ".join(reason.split())


def _split_reason(text: str) -> tuple[str, str, str]:
    match = re.search(_REASON, text)
    if match is None:
        return text, "", ""
    return text[: match.start()], match.group(), text[match.end() :]


def suppressions(file) -> tuple[Suppression, ...]:
    """Every ``tffix:ignore`` comment of a parsed module file, in order."""
    text = file.text
    if "tffix" not in text or "ignore" not in text:
        return ()
    index = file.source.index
    found = []
    for token in file.tree.tokens():
        if "tffix" not in token.prefix:
            continue
        base = token.start - len(token.prefix)
        for comment in re.finditer(_COMMENT, token.prefix):
            parsed = parse_comment(comment.group())
            if parsed is None:
                continue
            start, end = base + comment.start(), base + comment.end()
            found.append(Suppression(Span(file.path, start, end), index.lines(start, end), *parsed))
    return tuple(found)


def suppression_of(file, finding, found: Iterable[Suppression] | None = None) -> Suppression | None:
    """The comment that silences ``finding``, the innermost one if several do.

    A comment silences a finding when it names its rule and sits on, or on the line
    above, the finding's own line or the first line of a block or attribute that
    encloses the finding.  ``found`` saves re-reading the file's comments.
    """
    found = [s for s in (suppressions(file) if found is None else found) if s.silences(finding)]
    if not found:
        return None
    index = file.source.index
    targets = [index.line_of(finding.span.start)]
    targets += reversed(
        [
            index.line_of(item.first_token.start)
            for item in _enclosing_items(file.tree.body, finding.span.start)
        ]
    )
    for line in targets:
        for suppression in found:
            first, last = suppression.lines
            if first <= line <= last + 1:
                return suppression
    return None


def is_suppressed(file, finding) -> bool:
    return suppression_of(file, finding) is not None


def unknown_codes(found: Iterable[Suppression], rules=None) -> list[UnknownCodes]:
    """Suppressions naming codes or names that no rule has (``rules``: the registry's)."""
    rules = _registered() if rules is None else rules
    out = []
    for suppression in found:
        unknown = tuple(
            code
            for code in suppression.codes
            if not any(_names(code, rule.code, rule.name) for rule in rules)
        )
        if unknown:
            out.append(UnknownCodes(suppression, unknown))
    return out


def unused_suppressions(
    found: Iterable[Suppression], silenced: Iterable[tuple[Suppression, object]], rules=None
) -> list[Unused]:
    """Suppressions, or codes of them, that silenced no finding (ruff's RUF100).

    ``silenced`` pairs each suppressed finding with the comment `suppression_of`
    found for it.  ``rules`` are the rules that ran (default: every rule): a code
    of a rule that did not run is left out, since a run that selects it may need
    the comment, and so is an unknown code, which `unknown_codes` reports.
    """
    ran = _registered() if rules is None else list(rules)
    used: dict[Suppression, list] = {}
    for suppression, finding in silenced:
        used.setdefault(suppression, []).append(finding)
    out = []
    for suppression in found:
        findings = used.get(suppression, [])
        if not suppression.codes:
            if not findings and ran:
                out.append(Unused(suppression, ()))
            continue
        unused = tuple(
            code
            for code in suppression.codes
            if any(_names(code, rule.code, rule.name) for rule in ran)
            and not any(_names(code, f.code, f.name) for f in findings)
        )
        if unused:
            out.append(Unused(suppression, unused))
    return out


def _names(selector: str, code: str, name: str) -> bool:
    """A code matches whatever its case; a name too (rule names are lower case)."""
    return selector.upper() == code or selector.lower() == name


def _registered():
    from tffix import registry

    return registry.listed()  # codes and names only: no rule module is imported for them


def _enclosing_items(body: n.Body, offset: int) -> Iterator[n.Node]:
    """The blocks and attributes around ``offset``, outermost first."""
    for item in body.items:
        start, end = item.text_span
        if start <= offset < end:
            yield item
            if isinstance(item, n.Block):
                yield from _enclosing_items(item.body, offset)
            return
