"""Golden cases: ``golden/<CODE>/<case>/input`` → ``expected`` compared whole, byte for byte.

``input/`` is the module (``*.tf``, ``*.tf.json``, its ``.terraform.lock.hcl``); its
subdirectories (``input/modules/x/``) hold the local modules it calls, read as context.
Per case (black's ``assert_format`` / ``assert_stable``): the fixed files equal
``expected/`` (a file not listed there must come out unchanged); the findings
equal ``findings.txt``; every fixed file parses again; a second run on the
output proposes nothing.  ``TFFIX_UPDATE_GOLDEN=1`` rewrites the expectations
from the current output, for a reviewer to read in the git diff.
"""

from __future__ import annotations

import difflib
import os
import shlex
from pathlib import Path

import pytest

from tffix.api import fix_sources
from tffix.syntax import parse_module

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("TFFIX_UPDATE_GOLDEN") == "1"


def _cases():
    return sorted(p.parent for p in GOLDEN.glob("*/*/input"))


def _read_module(directory: Path) -> dict[str, str]:
    """The module's own files: ``*.tf``, ``*.tf.json`` and its ``.terraform.lock.hcl``."""
    return {path: text for path, text in _read_tree(directory).items() if "/" not in path}


def _read_context(directory: Path) -> dict[str, str]:
    """The files of the local modules below it (``input/modules/x/*.tf``), read only, by relative path."""
    return {path: text for path, text in _read_tree(directory).items() if "/" in path}


def _read_tree(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(directory.rglob("*"))
        if p.is_file() and (p.name.endswith((".tf", ".tf.json")) or p.name == ".terraform.lock.hcl")
    }


def _options(case: Path) -> dict:
    args_file = case / "args"
    args = shlex.split(args_file.read_text()) if args_file.exists() else []
    # Every rule runs, but TFX012 only on its own cases: the inputs of the others are fragments
    # of modules, which it would report for what they leave out.
    options = {
        "target": "terraform",
        "unsafe": False,
        "ignore": [] if case.parent.name == "TFX012" else ["TFX012"],
    }
    i = 0
    while i < len(args):
        if args[i] == "--target":
            options["target"] = args[i + 1]
            i += 1
        elif args[i] == "--unsafe-fixes":
            options["unsafe"] = True
        elif args[i] == "--select":
            options["select"] = args[i + 1].split(",")
            i += 1
        else:
            raise ValueError(f"{args_file}: unsupported argument {args[i]!r}")
        i += 1
    return options


def _findings_text(result) -> str:
    lines = []
    for finding in result.findings:
        line, column = result.sources[finding.path].index.position(finding.span.start)
        lines.append(f"{finding.path}:{line}:{column}: {finding.code} {finding.message}")
    return "".join(f"{line}\n" for line in sorted(lines))


def _diff(expected: str, actual: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), f"expected/{name}", f"actual/{name}"
        )
    )


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(case: Path):
    files = _read_module(case / "input")
    context = _read_context(case / "input")
    options = _options(case)
    result = fix_sources(files, context=context, **options)
    assert not result.problems, [str(p) for p in result.problems]
    findings = _findings_text(result)

    if UPDATE:
        expected_dir = case / "expected"
        if result.fixed:
            expected_dir.mkdir(exist_ok=True)
            for old in expected_dir.glob("*.tf"):
                old.unlink()
            for name, text in result.fixed.items():
                (expected_dir / name).write_bytes(text.encode("utf-8"))
        (case / "findings.txt").write_text(findings)

    expected_files = _read_module(case / "expected") if (case / "expected").is_dir() else {}
    for name, text in files.items():
        want = expected_files.get(name, text)
        got = result.fixed.get(name, text)
        assert got == want, f"{case.name}/{name} differs:\n" + _diff(want, got, name)
    assert set(expected_files) <= set(files), "expected/ names a file that input/ does not have"

    want_findings = (case / "findings.txt").read_text() if (case / "findings.txt").exists() else ""
    assert findings == want_findings, _diff(want_findings, findings, "findings.txt")

    # The output parses, and a second run proposes nothing (idempotence).
    output = {name: result.fixed.get(name, text) for name, text in files.items()}
    for name, text in output.items():
        if not name.endswith(".json"):
            assert parse_module(text).code == text
    again = fix_sources(output, context=context, **options)
    assert again.fixed == {}, f"second run changed {sorted(again.fixed)}"
    applicable = [f for f in again.findings if f.fix is not None and (f.safe or options["unsafe"])]
    assert not applicable, "second run proposes fixes"


def test_there_are_golden_cases_for_every_rule():
    from tffix.registry import RULES

    codes = {case.parent.name for case in _cases()}
    assert "TFX002" in codes
    assert codes <= {rule.code for rule in RULES}
