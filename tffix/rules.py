"""What a rule is and what it returns: the vocabulary every pass and front end shares.

A `Rule` has a code, a name, a one-line summary and a ``safe`` flag (ruff's
applicability: only safe fixes are applied by ``--apply`` and ``source.fixAll``).
Its ``check`` reads a whole module and yields `Finding`s.  A finding's fix is
given as a function that builds it (``fix=lambda: ...``): the engine calls it
right away, inside a guard, so an edit the layout does not allow (`EditError`)
becomes a finding without a fix instead of a crash, whatever the rule.  A built
`Fix` is a tuple of `Edit`s on the module's texts as they were when the rule ran.
The engine stamps the rule's code, name and safety on each finding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tffix.edits import Edit, minimal_edits
from tffix.syntax.source import Span

if TYPE_CHECKING:
    from tffix.semantic.module import Module

FixBuilder = Callable[[], "Iterable[Edit] | Fix"]


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits of one fix, in order of their spans."""

    edits: tuple[Edit, ...]

    def __post_init__(self):
        object.__setattr__(self, "edits", tuple(sorted(self.edits)))

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edit.span.path for edit in self.edits))


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: where, what, and the fix if it has one."""

    span: Span
    message: str
    fix: Fix | None = None
    related: tuple[str, ...] = ()  # peer check IDs (checkov, trivy, KICS, ...)
    code: str = ""
    name: str = ""
    safe: bool = True
    build: FixBuilder | None = field(default=None, compare=False, repr=False)
    unsafe_fix: bool = False  # this fix is unsafe even if its rule's fixes are safe

    @property
    def path(self) -> str:
        return self.span.path

    def stamped(self, rule: Rule) -> Finding:
        return dataclasses.replace(
            self,
            code=rule.code,
            name=rule.name,
            safe=rule.safe and not self.unsafe_fix,
            related=self.related or rule.related,
        )

    def without_fix(self, reason: str) -> Finding:
        """This finding with no fix, its message saying why."""
        return dataclasses.replace(self, fix=None, build=None, message=f"{self.message}; not fixed: {reason}")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the registry: its code, name and check, and whether its fix is safe."""

    code: str
    name: str
    check: Callable[[Module], Iterable[Finding]]
    summary: str
    safe: bool = True
    related: tuple[str, ...] = ()
    doc: str = ""  # the rule module's docstring: what, why, what it leaves alone
    example: str = ""  # a module (main.tf) the rule fixes; docs show it and the fix
    example_files: tuple[tuple[str, str], ...] = ()  # (name, text) read beside it: its lock file
    # What a module must have for the check to find anything: resource types its check starts
    # from, ``provider`` for a provider block, or `tffix.semantic.module.LOCK_FILE` for a
    # dependency lock file.  A module with none
    # of them is not given to the rule (tffix/engine.py `_applies`), and `tffix.registry` lists
    # the same tuple so that it imports the rule only then.  Empty: the rule always runs.
    needs: tuple[str, ...] = ()


def finding(
    file,
    node,
    message: str,
    *,
    fix: FixBuilder | None = None,
    related: tuple[str, ...] = (),
    unsafe: bool = False,
) -> Finding:
    """A finding on a parsed node of a module file (or on a `.tf.json` value).

    ``unsafe`` marks this one fix as unsafe where its rule's fixes are otherwise safe
    (ruff's per-fix applicability)."""
    start, end = node.text_span
    return Finding(Span(file.path, start, end), message, None, related, build=fix, unsafe_fix=unsafe)


def replace(file, old, new) -> list[Edit]:
    """The edits that turn parsed node ``old`` of ``file`` into the edited node ``new``."""
    start, _ = old.span
    return minimal_edits(file.path, old.code, new.code, base=start)


def insert_at_end(file, text: str) -> Edit:
    """Append top-level source text to a file, separated by a blank line."""
    content = file.text
    if not content.strip():
        return Edit(Span(file.path, 0, len(content)), text)
    newline = "\r\n" if "\r\n" in content else "\n"
    end = len(content)
    separator = newline if content.endswith("\n") else newline * 2
    return Edit(Span(file.path, end, end), separator + text.replace("\n", newline))
