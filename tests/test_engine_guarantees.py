"""One test per guarantee of `tffix.engine` (its docstring lists them), each with a test-only rule.

The rules here are handed to `run_module` (``rules=``) or, for the command line,
added to the registry inside a child process (`_cli`); none is in
`tffix.registry`.  Covered elsewhere and not repeated: a fix that declares
something twice (``tests/test_semantic.py``), the disk side of ``--apply``
(``tests/test_faults.py``), unsafe fixes of a real rule on the command line
(``tests/test_cli_contract.py``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flow_log_case import WRONG

from tffix import engine
from tffix.edits import Edit
from tffix.rules import Rule, finding
from tffix.syntax.errors import EditError
from tffix.syntax.source import Span
from tffix.transforms import flow_log_destination

TESTS = Path(__file__).resolve().parent


def _edit(file, old: str, new: str, occurrence: int = 0) -> Edit:
    """Replace the ``occurrence``-th ``old`` in a module file's text by ``new``."""
    start = -1
    for _ in range(occurrence + 1):
        start = file.text.index(old, start + 1)
    return Edit(Span(file.path, start, start + len(old)), new)


def _on_attribute(module, name: str):
    """(file, attribute) for every top-level-block attribute called ``name``."""
    for file in module.hcl_files:
        for block in file.tree.blocks():
            attribute = block.attribute(name)
            if attribute is not None:
                yield file, attribute


# --- the test-only rules -----------------------------------------------------------------


def _raises(module):
    for declaration in module.model.resources("boom"):
        raise RuntimeError(f"rule bug at {declaration.address}")
    return []


def _refuses(module):
    def build():
        raise EditError("the layout does not allow it")

    for file, attribute in _on_attribute(module, "refuse"):
        yield finding(file, attribute, "refused", fix=build)


def _two_files(module):
    """Sets ``x = 2`` in a.tf and writes invalid HCL into b.tf, as one fix."""
    files = {file.path: file for file in module.hcl_files}
    a, b = files.get("a.tf"), files.get("b.tf")
    if a is None or b is None or "x = 1" not in a.text:
        return
    yield finding(
        a,
        a.tree.blocks()[0],
        "two files",
        fix=lambda: [_edit(a, "x = 1", "x = 2"), _edit(b, "y = 1", "y = = 1")],
    )


def _deletes_referenced(module):
    """Deletes the bucket even though the flow log still reads its ARN."""
    for declaration in module.model.resources("aws_s3_bucket"):
        file, block = declaration.file, declaration.block
        start, end = block.text_span
        yield finding(
            file,
            block,
            "bucket not needed",
            fix=lambda f=file, s=start, e=end: [Edit(Span(f.path, s, e), "")],
        )


def _adds_unresolved(module):
    for file, attribute in _on_attribute(module, "traffic_type"):
        start, _ = attribute.text_span
        yield finding(
            file,
            attribute,
            "order it",
            fix=lambda f=file, s=start: [Edit(Span(f.path, s, s), "depends_on = [aws_s3_bucket.nope]\n  ")],
        )


def _adds_cycle(module):
    """Makes the bucket depend on the flow log, which already refers to the bucket."""
    for file, attribute in _on_attribute(module, "bucket"):
        yield finding(
            file,
            attribute,
            "loop it",
            fix=lambda file=file: [_edit(file, '"flow-logs"', '"${aws_flow_log.vpc.id}"')],
        )


def _counter(name: str):
    """A rule that always turns ``name = N`` into ``name = N + 1``: it never settles."""

    def check(module):
        for file, attribute in _on_attribute(module, name):
            value = attribute.value.code.strip()
            start, end = attribute.value.text_span
            yield finding(
                file,
                attribute,
                f"bump {name}",
                fix=lambda f=file, s=start, e=end, v=value: [Edit(Span(f.path, s, e), str(int(v) + 1))],
            )

    return check


def _setter(new: str):
    """A rule that sets ``x = 1`` to ``x = <new>``."""

    def check(module):
        for file, attribute in _on_attribute(module, "x"):
            if attribute.value.code.strip() == "1":
                start, end = attribute.value.text_span
                yield finding(
                    file,
                    attribute,
                    f"x should be {new}",
                    fix=lambda f=file, s=start, e=end: [Edit(Span(f.path, s, e), new)],
                )

    return check


RAISES = Rule("TFX990", "test-raises", _raises, "raises on resource boom")
REFUSES = Rule("TFX991", "test-refuses", _refuses, "its fix builder raises EditError")
TWO_FILES = Rule("TFX992", "test-two-files", _two_files, "a fix over two files, one left unparsable")
DELETES = Rule(
    "TFX993", "test-deletes-referenced", _deletes_referenced, "deletes a declaration still referenced"
)
ADDS = Rule("TFX994", "test-adds-unresolved", _adds_unresolved, "adds a reference to nothing")
CYCLE = Rule("TFX989", "test-adds-cycle", _adds_cycle, "makes a reference cycle")
COUNTER_X = Rule("TFX995", "test-counter-x", _counter("x"), "never settles")
COUNTER_Y = Rule("TFX996", "test-counter-y", _counter("y"), "never settles either")
SET_TWO = Rule("TFX997", "test-set-two", _setter("2"), "x = 2")
SET_THREE = Rule("TFX998", "test-set-three", _setter("3"), "x = 3")
UNSAFE = Rule("TFX999", "test-unsafe", _setter("0"), "x = 0, unsafely", safe=False)
TEST_RULES = {rule.code: rule for rule in (RAISES, REFUSES, TWO_FILES, DELETES, ADDS, COUNTER_X, COUNTER_Y)}


def _serve(codes: str) -> None:
    """The command line with test rules added to the registry (run in a child process by `_cli`)."""
    from tffix import cli, registry

    registry.RULES = (*registry.RULES, *(TEST_RULES[code] for code in codes.split(",")))
    sys.argv = ["tffix", *sys.argv[2:]]
    cli.main()


def _cli(codes: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    bootstrap = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import test_engine_guarantees as t; t._serve(sys.argv[1])"
    return subprocess.run(
        [sys.executable, "-c", bootstrap, codes, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


# --- one test per guarantee --------------------------------------------------------------


def test_a_rule_that_raises_is_an_internal_error_and_every_other_rule_still_runs():
    files = {"main.tf": WRONG + '\nresource "boom" "b" {}\n'}
    result = engine.run_module(files, rules=[RAISES, flow_log_destination.RULE])
    [problem] = result.problems  # once, though every round meets it
    assert problem.internal and (problem.path, problem.line, problem.column) == ("main.tf", 11, 1)
    assert problem.message.startswith("internal error in TFX990: RuntimeError: rule bug at boom.b")
    assert [f.code for f in result.findings] == ["TFX002"]
    assert "log_destination      = aws_s3_bucket.logs.arn # keep this comment" in result.fixed["main.tf"]


def test_a_rule_that_raises_exits_2_on_the_command_line_and_other_modules_are_fixed(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    (tmp_path / "bad" / "main.tf").write_text('resource "boom" "b" {}\n')
    (tmp_path / "good" / "main.tf").write_text(WRONG)
    run = _cli("TFX990", "--apply", ".", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "bad/main.tf:1:1: internal error in TFX990: RuntimeError: rule bug at boom.b" in run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "bad" / "main.tf").read_text() == 'resource "boom" "b" {}\n'
    assert 'log_destination_type = "s3"' in (tmp_path / "good" / "main.tf").read_text()


def test_a_fix_builder_raising_edit_error_gives_a_finding_without_a_fix():
    result = engine.run_module({"main.tf": 'resource "a" "b" {\n  refuse = 1\n}\n'}, rules=[REFUSES])
    [refused] = result.findings
    assert refused.fix is None
    assert refused.message == "refused; not fixed: the layout does not allow it"
    assert result.fixed == {} and result.problems == []


def test_a_fix_is_applied_to_all_of_its_files_or_to_none():
    files = {"a.tf": 'resource "a" "b" {\n  x = 1\n}\n', "b.tf": 'resource "a" "c" {\n  y = 1\n}\n'}
    result = engine.run_module(files, rules=[TWO_FILES])
    assert result.fixed == {}  # a.tf alone would have parsed: it is not written either
    [withdrawn] = result.findings
    assert withdrawn.fix is None
    assert withdrawn.message == "two files; not fixed: it would produce invalid HCL"
    [problem] = result.problems
    assert problem.internal and problem.path == "b.tf"
    assert "a fix of TFX992 produced invalid HCL" in problem.message


def test_a_fix_deleting_a_declaration_still_referenced_is_withdrawn_and_nothing_is_written(tmp_path):
    original = WRONG.replace("\n", "\r\n").encode()
    (tmp_path / "main.tf").write_bytes(original)
    run = _cli("TFX993", "--apply", "--select", "TFX993", ".", cwd=tmp_path)
    assert (tmp_path / "main.tf").read_bytes() == original
    assert run.returncode == 1, run.stderr
    assert (
        "main.tf:1:1: TFX993 bucket not needed; not fixed: the fix would leave `aws_s3_bucket.logs.arn` unresolved"
        in run.stdout + run.stderr
    )
    assert "Traceback" not in run.stderr


def test_a_fix_adding_a_reference_that_does_not_resolve_is_withdrawn():
    result = engine.run_module({"main.tf": WRONG}, rules=[ADDS])
    [withdrawn] = result.findings
    assert withdrawn.fix is None
    assert withdrawn.message == "order it; not fixed: the fix would leave `aws_s3_bucket.nope` unresolved"
    assert result.fixed == {} and result.problems == []


def test_a_fix_making_a_reference_cycle_is_withdrawn():
    result = engine.run_module({"main.tf": WRONG}, rules=[CYCLE])
    [withdrawn] = result.findings
    assert withdrawn.fix is None
    assert withdrawn.message == (
        "loop it; not fixed: the fix would make a reference cycle through aws_flow_log.vpc, aws_s3_bucket.logs"
    )
    assert result.fixed == {} and result.problems == []


def test_fixes_that_do_not_converge_change_nothing_and_are_named():
    files = {"main.tf": 'resource "a" "b" {\n  x = 1\n  y = 1\n}\n'}
    result = engine.run_module(files, rules=[COUNTER_X, COUNTER_Y])
    assert result.fixed == {}
    [problem] = result.problems
    assert problem.internal
    assert problem.message == (
        f"internal error: fixes of TFX995, TFX996 did not converge after {engine.MAX_ROUNDS} rounds; "
        "nothing in this module was changed"
    )


def test_two_overlapping_fixes_one_is_applied_the_other_reported():
    result = engine.run_module({"main.tf": 'resource "a" "b" {\n  x = 1\n}\n'}, rules=[SET_THREE, SET_TWO])
    assert result.fixed == {"main.tf": 'resource "a" "b" {\n  x = 2\n}\n'}
    assert sorted((f.code, f.message) for f in result.findings) == [
        ("TFX997", "x should be 2"),
        ("TFX998", "x should be 3"),
    ]
    assert result.problems == []


def test_an_unsafe_fix_is_held_back_unless_unsafe_fixes_are_asked_for():
    files = {"main.tf": 'resource "a" "b" {\n  x = 1\n}\n'}
    held = engine.run_module(files, rules=[UNSAFE])
    assert held.fixed == {}
    [remaining] = held.remaining
    assert remaining.code == "TFX999" and not remaining.safe and remaining.fix is not None
    applied = engine.run_module(files, rules=[UNSAFE], unsafe=True)
    assert applied.fixed == {"main.tf": 'resource "a" "b" {\n  x = 0\n}\n'}
    assert applied.remaining == []
