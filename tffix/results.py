"""What analysing a module yields: findings, fixed texts and problems (shared by the engine and every caller)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tffix.rules import Finding
from tffix.syntax.source import SourceFile


@dataclass(frozen=True, slots=True)
class Problem:
    """A file tffix could not handle: unparsable input, or a fix that broke it (internal)."""

    path: str
    line: int
    column: int
    message: str
    internal: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(slots=True)
class Result:
    """What one module came to.

    ``findings`` are those of the first pass, their spans and edits on the
    original texts; ``fixed`` holds the final text of every file the safe fixes
    changed (after passes ran to a fixed point); ``remaining`` are findings that
    no applied fix removed (unfixable, unsafe, or suppressed from fixing).
    """

    sources: dict[str, SourceFile]
    findings: list[Finding] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)
    remaining: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # e.g. an unknown code in a suppression
    unused_suppressions: list[Finding] = field(default_factory=list)  # TFX100, when asked for
