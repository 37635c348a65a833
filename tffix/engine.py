"""Run the passes over one module to a fixed point.

Like ruff's linter loop: run every selected rule, take the safe fixes in
order of position, skip a fix that overlaps one already taken (the next round
gets it), apply, re-parse, repeat until nothing changes, under a hard cap.  A
fix whose result does not parse leaves its file as it was and is reported as an
internal error: a broken fix is a bug, never output.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from tffix import registry
from tffix.api import Problem, Result
from tffix.edits import apply_edits, overlaps
from tffix.module import Module, ModuleFile
from tffix.rules import Finding
from tffix.suppression import is_suppressed
from tffix.syntax import ParseError, parse_module
from tffix.syntax.source import SourceFile

MAX_ROUNDS = 10


def run_module(
    files: Mapping[str, str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str = "terraform",
    unsafe: bool = False,
) -> Result:
    rules = registry.select(select, ignore)
    sources = {path: SourceFile(path, text) for path, text in files.items()}
    result = Result(sources=sources)
    texts = dict(files)
    trees = {}
    for path, text in texts.items():
        try:
            trees[path] = parse_module(text)
        except ParseError as error:
            result.problems.append(Problem(path, error.line, error.column, error.message))
    broken: set[str] = set()

    for round_number in range(MAX_ROUNDS + 1):
        module = Module([ModuleFile(SourceFile(p, texts[p]), trees[p]) for p in trees if p not in broken],
                        target)
        findings = _check(module, rules)
        if round_number == 0:
            result.findings = findings
        fixes = [f for f in findings if f.fix is not None and (f.safe or unsafe)]
        accepted = _non_overlapping(fixes)
        if not accepted or round_number == MAX_ROUNDS:
            result.remaining = findings
            if accepted:
                result.problems.append(Problem(
                    next(iter(accepted[0].fix.paths)), 1, 1,
                    f"internal error: fixes did not converge after {MAX_ROUNDS} rounds", internal=True))
            break
        by_path: dict[str, list] = {}
        for finding in accepted:
            for edit in finding.fix.edits:
                by_path.setdefault(edit.span.path, []).append(edit)
        for path, edits in by_path.items():
            new_text = apply_edits(texts[path], edits)
            try:
                trees[path] = parse_module(new_text)
            except ParseError as error:
                result.problems.append(Problem(
                    path, error.line, error.column,
                    f"internal error: a fix produced invalid HCL ({error.message}); file left unchanged",
                    internal=True))
                broken.add(path)
                texts[path] = files[path]
                continue
            texts[path] = new_text

    result.fixed = {path: texts[path] for path in texts
                    if texts[path] != files[path] and path not in broken}
    return result


def _check(module: Module, rules) -> list[Finding]:
    findings = []
    sources = {file.path: file for file in module.files}
    for rule in rules:
        for finding in rule.check(module):
            finding = finding.stamped(rule)
            file = sources.get(finding.path)
            if file is not None and is_suppressed(file, finding):
                continue
            findings.append(finding)
    findings.sort(key=lambda f: (f.span.path, f.span.start, f.code))
    return findings


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
    """Fixes in position order, skipping any that touches text an earlier one changes."""
    taken: list = []
    accepted = []
    for finding in sorted(findings, key=lambda f: (f.fix.edits[0].span, f.code)):
        edits = finding.fix.edits
        if any(overlaps(edit, other) for edit in edits for other in taken):
            continue
        taken.extend(edits)
        accepted.append(finding)
    return accepted
