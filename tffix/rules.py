"""What a rule is and what it returns: the vocabulary every pass and front end shares.

A `Rule` has a code, a name, a one-line summary and a ``safe`` flag (ruff's
applicability: only safe fixes are applied by ``--apply`` and ``source.fixAll``).
Its ``check`` reads a whole module and yields `Finding`s; a finding may carry a
`Fix`, a tuple of `Edit`s on the module's texts as they were when the rule ran.
The engine stamps the rule's code, name and safety on each finding.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tffix.edits import Edit
from tffix.syntax.source import Span

if TYPE_CHECKING:
    from tffix.module import Module


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]

    def __post_init__(self):
        object.__setattr__(self, "edits", tuple(sorted(self.edits)))

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edit.span.path for edit in self.edits))


@dataclass(frozen=True, slots=True)
class Finding:
    span: Span
    message: str
    fix: Fix | None = None
    related: tuple[str, ...] = ()   # peer check IDs (checkov, trivy, KICS, ...)
    code: str = ""
    name: str = ""
    safe: bool = True

    @property
    def path(self) -> str:
        return self.span.path

    def stamped(self, rule: "Rule") -> "Finding":
        return replace(self, code=rule.code, name=rule.name, safe=rule.safe,
                       related=self.related or rule.related)


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    check: Callable[["Module"], Iterable[Finding]]
    summary: str
    safe: bool = True
    related: tuple[str, ...] = ()
