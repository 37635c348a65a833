"""Every rule on generated modules seeded with its pattern, in random layouts (`rulegen`).

For each rule TFX001–TFX012, modules holding the rule's pattern (the forms it
fixes and the forms it declines, among decoys, with comments in every trivia slot,
CRLF, heredocs, templates with directives) go through the engine
(`tffix.engine.run_module`, all rules, as `tffix.api.fix_sources` runs them), and:

- no exception escapes and no problem is reported (no internal error, no file
  the engine could not parse);
- every fixed file parses again;
- no reference that resolved before is left unresolved, and nothing is declared
  twice that was not before (checked here on the semantic model, independently
  of the engine's own check); no new reference cycle or self-reference;
- a second run on the fixed texts proposes no fix and changes nothing;
- the rule's finding is there when the pattern is;
- what no fix edited keeps its bytes: every comment is still there unless the
  first round's edits delete its whole line, TFX001 removed the ``for_each`` it
  belonged to, or it sat beside a list element a fix removed; a CRLF file has
  no bare LF afterwards.

In the suite each rule gets ``max_examples=25`` derandomized examples (reproducible
in CI).  As a script, ``python tests/test_rule_properties.py 2000 [TFX003 ...]``
runs 2000 random examples per rule and prints, per rule, the examples run, the
findings of that rule, its fixes applied, the failures and the seconds taken;
failing modules are written to ``rule-property-failures/`` in the current directory.
"""

from __future__ import annotations

import posixpath
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # script mode: make `rulegen` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
import rulegen
from hypothesis import HealthCheck, given, settings

from tffix.engine import parse_file, run_module
from tffix.semantic import graph
from tffix.semantic.module import LOCK_FILE, Module, ModuleFile
from tffix.syntax import nodes as n
from tffix.syntax import parse_module
from tffix.syntax.source import SourceFile

CODES = sorted(rulegen.SCENARIOS)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
_TAG = re.compile(r"(?<![\w-])c[0-9]+(?![\w-])")


def _module(files: dict[str, str], context: dict[str, str], target: str) -> Module:
    """The module the engine would build from these texts (independent of its loop)."""
    parsed, lock = [], None
    for path, text in files.items():
        if posixpath.basename(path) == LOCK_FILE:
            lock = ModuleFile(SourceFile(path, text), parse_module(text))
        else:
            parsed.append(parse_file(path, text))
    children: dict[str, list] = {}
    for path, text in context.items():
        children.setdefault(posixpath.dirname(path), []).append(parse_file(path, text))
    return Module(parsed, target, lock, {d: Module(f, target) for d, f in children.items()})


def _loops(model) -> set[str]:
    """Terraform's "Cycle" and "Self-referential block" errors: each cycle's addresses, and each
    declaration that refers to itself."""
    found = {", ".join(sorted(d.address for d in cycle)) for cycle in graph.cycles(graph.dependencies(model))}
    for declaration in model.declarations:
        if any(r.declaration is declaration for r in model.references_from(declaration)):
            found.add(f"{declaration.address} refers to itself")
    return found


def _in_for_each(text: str, offset: int) -> bool:
    """Whether ``offset`` lies in a ``for_each`` argument or the comments right above it, which
    TFX001 removes when it expands the block ("comments directly above the for_each argument go
    with it", tffix/transforms/provider_for_each.py)."""
    for node in parse_module(text).walk():
        if isinstance(node, n.Attribute) and node.name.text == "for_each":
            start, end = node.span
            if start <= offset < end:
                return True
    return False


_ELEMENT = re.compile(r'(?:\s|,|/\*.*?\*/|#[^\n]*|//[^\n]*)*("(?:[^"\\\n]|\\.)*")', re.S)


_PRECEDING = re.compile(r'("(?:[^"\\\n]|\\.)*")[ \t]*,?[ \t]*$')


def _beside_removed_element(old: str, new: str, offset: int) -> bool:
    """Whether the comment at ``offset`` sits right before or after a string element that the
    fixes removed (TFX009 drops a value the replacement already lists): the comment goes with it."""
    if old[offset - 3 : offset] == "/* ":  # rulegen writes `/* cN */`, `# cN ...`, `// cN ...`
        end = old.index("*/", offset) + 2
    else:
        end = old.find("\n", offset) % (len(old) + 1)
    start = old.rfind("/*" if old[offset - 3 : offset] == "/* " else "\n", 0, offset)
    before = _PRECEDING.search(old, 0, max(start, 0))
    after = _ELEMENT.match(old, end)
    return any(m and new.count(m.group(1)) < old.count(m.group(1)) for m in (before, after))


def _run(case: rulegen.Case, files: dict[str, str]):
    return run_module(files, context=case.context, target=case.target, unsafe=case.unsafe)


def _applicable(finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.safe or unsafe)


def check_case(case: rulegen.Case, code: str) -> tuple[int, int]:
    """Assert every property on one generated module; the rule's findings and applicable fixes."""
    result = _run(case, case.files)
    assert not result.problems, "problems: " + "; ".join(map(str, result.problems))
    output = {**case.files, **result.fixed}
    for path, text in result.fixed.items():
        assert path in case.files and not path.endswith(LOCK_FILE), f"the engine wrote {path}"
        parse_file(path, text)  # raises ParseError: a fix broke the file

    before = _module(case.files, case.context, case.target).model
    after = _module(output, case.context, case.target).model
    lost = Counter(r.text() for r in after.unresolved()) - Counter(r.text() for r in before.unresolved())
    assert not lost, f"unresolved after the fixes: {sorted(lost)}"
    twice = set(after.duplicates()) - set(before.duplicates())
    assert not twice, f"declared twice after the fixes: {sorted(twice)}"
    looped = _loops(after) - _loops(before)
    assert not looped, f"a cycle or a self-reference after the fixes: {sorted(looped)}"

    again = _run(case, output)
    assert not again.problems, "second run: " + "; ".join(map(str, again.problems))
    assert again.fixed == {}, f"second run changed {sorted(again.fixed)}"
    proposed = [f"{f.code} {f.message}" for f in again.findings if _applicable(f, case.unsafe)]
    assert not proposed, f"second run proposes {proposed}"

    for expected in case.expect:
        assert any(f.code == expected for f in result.findings), f"no {expected} finding"

    applied = {f.code for f in result.findings if _applicable(f, case.unsafe)}
    for path, new in result.fixed.items():
        old = case.files[path]
        if "\r\n" in old and "\n" not in old.replace("\r\n", ""):
            assert "\n" not in new.replace("\r\n", ""), f"{path}: a bare LF in a CRLF file"
        spans = [e.span for f in result.findings if f.fix for e in f.fix.edits if e.span.path == path]
        for tag in _TAG.finditer(old):
            if re.search(rf"(?<![\w-]){tag.group()}(?![\w-])", new):
                continue
            # only a line a fix deletes whole may take its comment with it
            line_start = old.rfind("\n", 0, tag.start()) + 1
            line_end = old.find("\n", tag.start()) % (len(old) + 1)
            deleted = any(s.start <= line_start and line_end <= s.end for s in spans)
            expanded = "TFX001" in applied and _in_for_each(old, tag.start())
            removed = _beside_removed_element(old, new, tag.start())
            assert deleted or expanded or removed, f"{path}: comment {tag.group()} lost"
    mine = [f for f in result.findings if f.code == code]
    return len(mine), sum(_applicable(f, case.unsafe) for f in mine)


def test_every_rule_has_a_scenario():
    from tffix import registry

    assert [rule.code for rule in registry.RULES if rule is not registry.UNUSED_SUPPRESSION] == CODES


@pytest.mark.parametrize("code", CODES)
def test_rule_on_generated_modules(code):
    @SETTINGS
    @given(rulegen.modules(code))
    def run(case):
        check_case(case, code)

    run()


# --- script mode ---------------------------------------------------------------------------


@dataclass
class Tally:
    examples: int = 0
    findings: int = 0
    fixes: int = 0
    failures: int = 0
    seconds: float = 0.0


def sweep(code: str, examples: int, out: Path) -> Tally:
    """Run ``examples`` random modules for one rule, counting failures instead of stopping."""
    tally = Tally()
    start = time.perf_counter()

    @settings(SETTINGS, max_examples=examples, derandomize=False)
    @given(rulegen.modules(code))
    def run(case):
        tally.examples += 1
        try:
            findings, fixes = check_case(case, code)
        except Exception as error:
            tally.failures += 1
            if tally.failures <= 20:
                out.mkdir(exist_ok=True)
                (out / f"{code}-{tally.failures}.txt").write_text(
                    f"{type(error).__name__}: {error}\n\n{case!r}\n"
                )
            return
        tally.findings += findings
        tally.fixes += fixes

    run()
    tally.seconds = time.perf_counter() - start
    return tally


def main(argv: list[str]) -> int:
    examples = int(argv[0]) if argv else 200
    codes = [c.upper() for c in argv[1:]] or CODES
    out = Path("rule-property-failures")
    print(
        f"{'rule':8} {'examples':>8} {'findings':>8} {'fixes':>8} {'failures':>8} {'seconds':>8}", flush=True
    )
    total = Tally()
    for code in codes:
        t = sweep(code, examples, out)
        print(
            f"{code:8} {t.examples:8} {t.findings:8} {t.fixes:8} {t.failures:8} {t.seconds:8.1f}", flush=True
        )
        for name in ("examples", "findings", "fixes", "failures", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    print(
        f"{'total':8} {total.examples:8} {total.findings:8} {total.fixes:8} {total.failures:8} "
        f"{total.seconds:8.1f}",
        flush=True,
    )
    return 1 if total.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
