"""Run the passes over one module to a fixed point, and keep the promises the README makes.

Like ruff's linter loop: run every selected rule, take the fixes in order of
position, skip a fix that overlaps one already taken (the next round gets it),
apply, re-parse, repeat until nothing changes, under a hard cap.  Around that
loop the engine, not each rule, guarantees (anchor: libcst's codemod runner and
its ``TransformFailure``):

- a rule that raises is an internal error for this module, at the block it was
  reading; every other rule still runs;
- a fix whose builder raises `EditError` is a finding without a fix;
- a fix is applied to all of its files or to none: if one of its files does not
  parse afterwards (an internal error), none of its edits is kept;
- reference integrity: after a fix, no reference is left unresolved that was not
  unresolved before (a provider instance such as ``aws[each.value]`` left behind
  after its provider was expanded counts), nothing is declared twice that was
  not before, and no declaration is on a reference cycle or refers to itself that
  was not before (`tffix.semantic.graph.looped`: "Error: Cycle" and
  "Self-referential block" at plan); such a fix is withdrawn and its finding
  reported without a fix, saying why;
- fixes that do not converge within the cap change nothing in the module.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import gc
import posixpath
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from tffix import registry
from tffix.edits import Edit, apply_edits
from tffix.results import Problem, Result
from tffix.rules import Finding, Fix
from tffix.semantic import graph
from tffix.semantic.module import LOCK_FILE, Module, ModuleFile
from tffix.syntax import ParseError, parse_module
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError
from tffix.syntax.source import SourceFile

MAX_ROUNDS = 10

T = TypeVar("T")


def parse_file(path: str, text: str) -> ModuleFile:
    """A module file from its text: `.tf.json` as JSON, anything else as HCL (raises `ParseError`)."""
    source = SourceFile(path, text)
    if path.endswith(".json"):
        from tffix.semantic.jsonconfig import parse_document

        return ModuleFile(source, None, parse_document(text))
    return ModuleFile(source, _tree(text))


# The trees of the files parsed last in this process, by text (a tree depends on nothing else).
# A module's files are parsed once though the runner reads them for their module calls
# (`parse_ahead`), the module is run, and other modules call it (`_child`: a repository's
# examples all call its root module, which is a module of the tree too).  Trees are immutable,
# so sharing one is safe.  The newest tree is always kept, however large.
_TREES: OrderedDict[str, n.File] = OrderedDict()
_TREES_KEPT = 4_000_000  # characters of text whose trees are kept (a tree takes ~30 bytes a character)
_trees_held = 0


def _tree(text: str) -> n.File:
    global _trees_held
    tree = _TREES.get(text)
    if tree is not None:
        _TREES.move_to_end(text)
        return tree
    tree = parse_module(text)
    _TREES[text] = tree
    _trees_held += len(text)
    while _trees_held > _TREES_KEPT and len(_TREES) > 1:
        dropped, _ = _TREES.popitem(last=False)
        _trees_held -= len(dropped)
    return tree


def parse_ahead(text: str) -> n.File:
    """Parse an HCL file that is about to be analysed (the runner reads a module's calls of local
    modules before the run): the run's `parse_file` takes this tree instead of parsing it again."""
    return _tree(text)


def _collector_paused(function: Callable[..., T]) -> Callable[..., T]:
    """Run ``function`` with Python's cycle collector paused.

    A module's analysis makes hundreds of thousands of objects (tokens, nodes, the model) that
    all live until it ends; each automatic collection during it would walk them again, about a
    quarter of the run's time for nothing.  The trees hold no reference cycles, and the one
    between a module and its semantic model is broken when the engine is done with the module
    (`Module.release`), so what the analysis drops is freed at once by reference counting
    (tests/test_collector.py); the collector takes up whatever else when it resumes."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> T:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@_collector_paused
def run_module(
    files: Mapping[str, str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str = "terraform",
    unsafe: bool = False,
    rules=None,
    context: Mapping[str, str] | None = None,
    extend_safe: Iterable[str] = (),
    extend_unsafe: Iterable[str] = (),
    report_unused_suppressions: bool = False,
) -> Result:
    """Analyse and fix one module: ``files`` are its files (a ``.terraform.lock.hcl`` among them is
    read, never edited); ``context`` holds the files of the local modules it calls, read only.

    ``extend_safe``/``extend_unsafe`` (rule codes or names) make those rules' fixes safe or
    unsafe, as ruff's ``extend-safe-fixes``; ``unsafe`` applies unsafe fixes too.
    """
    rules = list(rules) if rules is not None else registry.select(select, ignore)
    applicability = _Applicability(registry.resolve(extend_safe), registry.resolve(extend_unsafe))
    context = dict(context or {})
    result = Result(sources={path: SourceFile(path, text) for path, text in {**context, **files}.items()})
    parsed: dict[str, ModuleFile] = {}
    lock = None
    for path, text in files.items():
        try:
            if posixpath.basename(path) == LOCK_FILE:
                lock = ModuleFile(SourceFile(path, text), parse_module(text))
            else:
                parsed[path] = parse_file(path, text)
        except ParseError as error:
            result.problems.append(Problem(path, error.line, error.column, error.message))
    children = _children(context, target)
    withdrawn: dict[tuple, str] = {}
    first_round: list[Finding] | None = None

    module: Module | None = None
    for round_number in range(MAX_ROUNDS + 1):
        if module is not None:
            module.release()  # the previous round's
        module = Module(list(parsed.values()), target, lock, children)
        silenced: list | None = [] if first_round is None else None
        findings = [applicability(f) for f in _check(module, rules, result, silenced)]
        findings = [_withdrawn(f, withdrawn) for f in findings]
        if first_round is None:
            first_round = findings
            assert silenced is not None, "the first round collects what suppressions silenced"
            _suppression_notes(module, rules, silenced, result, report_unused_suppressions)
        fixes = [f for f in findings if f.fix is not None and (f.safe or unsafe)]
        accepted = _non_overlapping(fixes)
        if not accepted:
            result.remaining = findings
            break
        if round_number == MAX_ROUNDS:
            codes = ", ".join(sorted({f.code for f in accepted}))
            result.problems.append(
                Problem(
                    accepted[0].path,
                    1,
                    1,
                    f"internal error: fixes of {codes} did not converge after {MAX_ROUNDS} rounds; "
                    "nothing in this module was changed",
                    internal=True,
                )
            )
            result.remaining = findings
            parsed = {}
            break
        parsed = _apply(module, parsed, accepted, withdrawn, result)
    if module is not None:
        module.release()
    _let_children_go()

    result.findings = [_withdrawn(f, withdrawn) for f in first_round or []] + result.unused_suppressions
    result.findings.sort(key=lambda f: (f.span.path, f.span.start, f.code))
    result.remaining = sorted(
        result.remaining + result.unused_suppressions, key=lambda f: (f.span.path, f.span.start, f.code)
    )
    result.fixed = {path: file.text for path, file in parsed.items() if file.text != files[path]}
    return result


def _children(context: dict[str, str], target: str) -> dict[str, Module]:
    """The local child modules, one per directory of the context files (unparsable files left out:
    their own module's run reports them)."""
    by_directory: dict[str, list[tuple[str, str]]] = {}
    for path, text in context.items():
        if posixpath.basename(path) != LOCK_FILE:
            by_directory.setdefault(posixpath.dirname(path), []).append((path, text))
    children = {directory: _child(tuple(files), target) for directory, files in by_directory.items()}
    return {directory: module for directory, module in children.items() if module is not None}


_CHILDREN_KEPT = 64
_kept_children: OrderedDict[tuple[tuple[tuple[str, str], ...], str], Module | None] = OrderedDict()


def _child(files: tuple[tuple[str, str], ...], target: str) -> Module | None:
    """A child module from its files' paths and texts, parsed once a process for all its callers (the
    examples of a repository all call its root module): a child is only read, never edited.

    The last `_CHILDREN_KEPT` are kept once a run is over (`_let_children_go`); one that goes is
    released (`Module.release`), so that it is freed at once, not left to the cycle collector."""
    key = (files, target)
    if key in _kept_children:
        _kept_children.move_to_end(key)
        return _kept_children[key]
    parsed = []
    for path, text in files:
        try:
            parsed.append(parse_file(path, text))
        except ParseError:
            continue
    module = Module(parsed, target) if parsed else None
    _kept_children[key] = module
    return module


def _let_children_go() -> None:
    """Release the child modules beyond the last `_CHILDREN_KEPT`, once a run is over: a run may
    call more (a module's local calls are read with their own calls), and a child released while
    its caller's rules still read it would build its model again, out of the engine's sight."""
    while len(_kept_children) > _CHILDREN_KEPT:
        _, dropped = _kept_children.popitem(last=False)
        if dropped is not None:
            dropped.release()


# --- running the rules -------------------------------------------------------------------


# The engine's private records are plain classes: a dataclass costs about a millisecond of
# start-up to create (tests/test_startup.py).


class _Applicability:
    """Config's ``extend-safe-fixes`` / ``extend-unsafe-fixes``, applied to each finding's fix."""

    __slots__ = ("safe", "unsafe")

    def __init__(self, safe, unsafe):
        self.safe = frozenset(safe)
        self.unsafe = frozenset(unsafe)

    def __call__(self, finding: Finding) -> Finding:
        if finding.code in self.unsafe and finding.safe:
            return dataclasses.replace(finding, safe=False)
        if finding.code in self.safe and not finding.safe:
            return dataclasses.replace(finding, safe=True)
        return finding


def _check(module: Module, rules, result: Result, silenced: list | None = None) -> list[Finding]:
    """Every rule's findings, built and stamped; suppressed ones are left out (and, in ``silenced``,
    paired with the comment that silenced them)."""
    findings = []
    sources = {file.path: file for file in module.hcl_files}
    comments = {path: _comments(file) for path, file in sources.items()}
    for rule in rules:
        try:
            if not _applies(rule, module):
                continue
            for finding in rule.check(module):
                finding = _build_fix(finding.stamped(rule), rule, module, result)
                file = sources.get(finding.path)
                if file is not None and comments[finding.path]:
                    from tffix import suppression

                    found = suppression.suppression_of(file, finding, comments[finding.path])
                    if found is not None:
                        if silenced is not None:
                            silenced.append((found, finding))
                        continue
                findings.append(finding)
        except Exception as error:
            _internal_error(result, module, rule, error)
    findings.sort(key=lambda f: (f.span.path, f.span.start, f.code))
    return findings


def _applies(rule, module: Module) -> bool:
    """Whether the module has something the rule's check starts from (`tffix.rules.Rule.needs`):
    with nothing, the check would find nothing, and the rule's module need not be imported."""
    needs = getattr(rule, "needs", ())
    return not needs or any(_has(module, need) for need in needs)


def _has(module: Module, need: str) -> bool:
    if need == LOCK_FILE:
        return module.lock is not None
    if need == "provider":
        return module.model.declares("provider")
    return module.model.declares("resource", need)


def _comments(file: ModuleFile) -> tuple:
    """The file's ``tffix:ignore`` comments (`tffix.suppression.suppressions`); that module is
    imported only for a file that mentions tffix at all (start-up time)."""
    if "tffix" not in file.text:
        return ()
    from tffix import suppression

    return suppression.suppressions(file)


def _suppression_notes(module: Module, rules, silenced: list, result: Result, report_unused: bool) -> None:
    """Warn about codes in ``tffix:ignore`` comments that name no rule; list unused suppressions
    (ruff's RUF100) as TFX100 findings when asked to."""
    for file in module.hcl_files:
        found = _comments(file)
        if not found:
            continue
        from tffix import suppression

        index = file.source.index
        for unknown in suppression.unknown_codes(found):
            line, column = index.position(unknown.suppression.span.start)
            result.warnings.append(Problem(file.path, line, column, f"warning: {unknown.message}"))
        if not report_unused:
            continue
        pairs = [(s, f) for s, f in silenced if f.path == file.path]
        for unused in suppression.unused_suppressions(found, pairs, rules=rules):
            finding = Finding(
                unused.suppression.span,
                unused.message,
                code=registry.UNUSED_SUPPRESSION.code,
                name=registry.UNUSED_SUPPRESSION.name,
            )
            result.unused_suppressions.append(finding)


def _build_fix(finding: Finding, rule, module: Module, result: Result) -> Finding:
    """Call the finding's fix builder: an edit the layout refuses leaves the finding without a fix."""
    if finding.build is None:
        return finding
    try:
        built = finding.build()
        fix = built if isinstance(built, Fix) else Fix(tuple(built))
    except EditError as error:
        return finding.without_fix(str(error))
    except Exception as error:
        _internal_error(result, module, rule, error)
        return finding.without_fix("internal error while building the fix")
    if not fix.edits:
        return dataclasses.replace(finding, build=None)
    return dataclasses.replace(finding, fix=fix, build=None)


def _internal_error(result: Result, module: Module, rule, error: Exception) -> None:
    """``path:line:col: internal error in TFXnnn: ...`` at the declaration the rule was reading."""
    where = module.__dict__.get("model")
    cursor = where.cursor if where is not None else None
    if cursor is not None and hasattr(cursor.node, "text_span"):
        source = cursor.file.source
        line, column = source.index.position(cursor.node.text_span[0])
        path = cursor.file.path
    else:
        path, line, column = (module.files[0].path if module.files else "."), 1, 1
    import traceback

    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    at = f" ({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})" if frame else ""
    message = f"internal error in {rule.code}: {type(error).__name__}: {error}{at}"
    # Once per module: a later round meets the same error in the fixed text, at other lines.
    if all(problem.message != message for problem in result.problems):
        result.problems.append(Problem(path, line, column, message, internal=True))


def _edits(finding: Finding) -> tuple[Edit, ...]:
    assert finding.fix is not None, "only findings with a fix are applied"
    return finding.fix.edits


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
    """Fixes in position order, skipping any that touches text an earlier one changes."""
    taken: dict[str, list] = {}  # path -> sorted (start, end) of the edits taken
    accepted = []
    for finding in sorted(findings, key=lambda f: (_edits(f)[0].span, f.code)):
        edits = _edits(finding)
        if any(_touches(taken.get(edit.span.path, ()), edit) for edit in edits):
            continue
        for edit in edits:
            bisect.insort(taken.setdefault(edit.span.path, []), (edit.span.start, edit.span.end))
        accepted.append(finding)
    return accepted


def _touches(spans, edit) -> bool:
    """Whether ``edit`` overlaps one of the sorted ``spans`` (two insertions at one point count)."""
    start, end = edit.span.start, edit.span.end
    index = bisect.bisect_left(spans, (start, start))
    for other_start, other_end in spans[max(0, index - 1) : index + 1]:
        if start == end == other_start == other_end or (start < other_end and other_start < end):
            return True
    return False


# --- applying fixes, all or nothing --------------------------------------------------------


def _fix_key(finding: Finding) -> tuple:
    return (
        finding.code,
        finding.path,
        finding.message.split("; not fixed:")[0],
        tuple(edit.new_text for edit in finding.fix.edits) if finding.fix else (),
    )


def _withdrawn(finding: Finding, withdrawn: dict[tuple, str]) -> Finding:
    if finding.fix is None:
        return finding
    reason = withdrawn.get(_fix_key(finding))
    return finding.without_fix(reason) if reason is not None else finding


def _apply(
    module: Module,
    parsed: dict[str, ModuleFile],
    accepted: list[Finding],
    withdrawn: dict[tuple, str],
    result: Result,
) -> dict[str, ModuleFile]:
    """The files after the accepted fixes; a fix that breaks parsing or integrity is left out whole.

    All fixes are tried together first (the usual case: they are fine); if the
    result fails a check, each fix is tried on its own against the same base, and
    only those that pass are applied together.
    """
    unresolved = _unresolved(module)
    looped = graph.looped(module.model)
    outcome = _try(parsed, accepted, module, unresolved, looped)
    if outcome.ok:
        return outcome.files
    good = []
    for finding in accepted:
        alone = _try(parsed, [finding], module, unresolved, looped)
        if alone.ok:
            good.append(finding)
            continue
        withdrawn[_fix_key(finding)] = alone.reason
        if alone.problem is not None:
            result.problems.append(alone.problem)
    while good:
        outcome = _try(parsed, good, module, unresolved, looped)
        if outcome.ok:
            return outcome.files
        # Fixes that pass alone but clash together: keep the first, the next round re-plans the rest.
        good = good[:1]
    return parsed


class _Outcome:
    __slots__ = ("files", "ok", "problem", "reason")

    def __init__(
        self, ok: bool, files: dict[str, ModuleFile], reason: str = "", problem: Problem | None = None
    ):
        self.ok = ok
        self.files = files
        self.reason = reason
        self.problem = problem


def _try(
    parsed: dict[str, ModuleFile],
    fixes: list[Finding],
    module: Module,
    unresolved: Counter[str],
    looped: set[str],
) -> _Outcome:
    by_path: dict[str, list] = {}
    for finding in fixes:
        for edit in _edits(finding):
            by_path.setdefault(edit.span.path, []).append(edit)
    files = dict(parsed)
    for path, edits in by_path.items():
        if path not in parsed:
            return _Outcome(False, parsed, f"it edits {path}, which is not part of the module")
        try:
            new_text = apply_edits(parsed[path].text, edits)
        except ValueError as error:  # overlapping edits: a rule's bug
            problem = Problem(
                path,
                1,
                1,
                f"internal error: a fix of {', '.join(sorted({f.code for f in fixes}))} "
                f"is not a set of separate edits ({error}); none of its edits was kept",
                internal=True,
            )
            return _Outcome(False, parsed, "its edits overlap", problem)
        try:
            files[path] = parse_file(path, new_text)
        except ParseError as error:
            problem = Problem(
                path,
                error.line,
                error.column,
                f"internal error: a fix of {', '.join(sorted({f.code for f in fixes}))} produced "
                f"invalid HCL ({error.message}); none of its edits was kept",
                internal=True,
            )
            return _Outcome(False, parsed, "it would produce invalid HCL", problem)
    after = Module(list(files.values()), module.target, module.lock, module.children)
    try:
        added = _unresolved(after) - unresolved
        if added:
            names = ", ".join(f"`{name}`" for name in sorted(added))
            return _Outcome(False, parsed, f"the fix would leave {names} unresolved")
        twice = set(after.model.duplicates()) - set(module.model.duplicates())
        if twice:
            return _Outcome(False, parsed, f"the fix would declare {', '.join(sorted(twice))} twice")
        cycle = graph.looped(after.model) - looped
        if cycle:
            return _Outcome(
                False, parsed, f"the fix would make a reference cycle through {', '.join(sorted(cycle))}"
            )
        return _Outcome(True, files)
    finally:
        after.release()


def _unresolved(module: Module) -> Counter:
    return Counter(reference.text() for reference in module.model.unresolved())
