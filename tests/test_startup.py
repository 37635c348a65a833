"""Start-up (issue 10): what a plain run on a small file imports, and the rule table that lets
it import only the rules a module needs.  No timing: the test names the modules that must stay
unloaded, so a top-level import that brings one back fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tffix import engine, registry
from tffix.semantic.module import LOCK_FILE, Module, ModuleFile
from tffix.syntax import ParseError, parse_module
from tffix.syntax.source import SourceFile

GOLDEN = Path(__file__).resolve().parent.parent / "golden"

SMALL = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'

# Run in a fresh interpreter: the CLI's main path on one small file, then the modules it loaded.
CHILD = """
import inspect, json, sys
signatures = []
signature = inspect.signature
def watched(obj, *args, **kwargs):
    signatures.append(getattr(obj, "__qualname__", repr(obj)))
    return signature(obj, *args, **kwargs)
inspect.signature = watched
from tffix import cli
sys.argv = ["tffix", *sys.argv[1:]]
try:
    cli.main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules), "signatures": signatures}), file=sys.stderr)
"""

# Loaded only when a run needs them: another output format, another front end, a rule whose
# resources the module does not declare, a fix to build, the cache, a config file, git.
NOT_LOADED = {
    "tffix.lsp",
    "tffix.review",
    "tffix.reporters.diff",
    "tffix.reporters.sarif",
    "tffix.reporters.rdjsonl",
    "tffix.reporters.github",
    "tffix.ruledocs",
    "tffix.suppression",
    "tffix.verify",
    *(f"tffix.transforms.{module}" for _, _, module, needs in registry._TABLE if needs),
    "tffix.aws",
    "tffix.semantic.jsonconfig",
    "tffix.semantic.lockfile",
    "tffix.semantic.versions",
    "tffix.semantic.rewrite",
    "tffix.syntax.build",
    "tffix.syntax.edit",
    "rich",
    "hashlib",
    "_hashlib",
    "tempfile",
    "tomllib",
    "subprocess",
    "difflib",
    "traceback",
    "multiprocessing",
    "concurrent.futures",
}


def _child(*args: str, cwd: Path) -> dict:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("TFFIX_CACHE_DIR", None)
    run = subprocess.run(
        [sys.executable, "-c", CHILD, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    report["stdout"] = run.stdout
    return report


def test_a_run_on_a_small_file_loads_only_what_it_uses(tmp_path):
    (tmp_path / "main.tf").write_text(SMALL)
    report = _child("--no-cache", "--format", "json", "main.tf", cwd=tmp_path)
    assert report["code"] == 0
    assert json.loads(report["stdout"]) == []
    loaded = set(report["modules"])
    # The run did analyse the module: the rules that always run, and the JSON reporter.
    assert {"tffix.engine", "tffix.transforms.undefined_reference", "tffix.reporters.json_"} <= loaded
    assert sorted(NOT_LOADED & loaded) == []
    # A dataclass without a docstring gets one made from `inspect.signature` (about a millisecond
    # each): the classes on this path all have their own.
    assert report["signatures"] == []


def test_a_rule_is_imported_when_the_module_declares_what_it_needs(tmp_path):
    (tmp_path / "main.tf").write_text(
        SMALL + 'resource "aws_flow_log" "x" {\n  log_destination_arn = aws_s3_bucket.logs.arn\n}\n'
    )
    report = _child("--no-cache", "--format", "json", "main.tf", cwd=tmp_path)
    assert report["code"] == 1
    assert [finding["code"] for finding in json.loads(report["stdout"])] == ["TFX002"]
    loaded = set(report["modules"])
    assert {"tffix.transforms.flow_log_destination", "tffix.transforms.depends_on"} <= loaded
    assert "tffix.transforms.cloudtrail_bucket_policy" not in loaded


# --- the table in tffix/registry.py is the rules' own --------------------------------------


def test_the_registry_table_copies_each_rule():
    rules = [rule for rule in registry.RULES if rule is not registry.UNUSED_SUPPRESSION]
    assert [(code, name) for code, name, _, _ in registry._TABLE] == [(r.code, r.name) for r in rules]
    for code, _, module, needs in registry._TABLE:
        rule = __import__(f"tffix.transforms.{module}", fromlist=["RULE"]).RULE
        assert (rule.code, rule.needs) == (code, needs)


def test_select_imports_no_rule():
    probe = (
        "import json, sys; from tffix import registry; registry.select(['TFX00'], ['TFX002']); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert [m for m in json.loads(run.stdout) if m.startswith("tffix.transforms.")] == []
    chosen = registry.select(["TFX00"], ["TFX002"])
    assert [rule.code for rule in chosen] == [f"TFX00{i}" for i in (1, 3, 4, 5, 6, 7, 8, 9)]
    assert chosen[0].summary == registry.RULES[0].summary  # the stand-in reads through to the rule


# --- a rule whose needs a module lacks would have found nothing -------------------------


def _golden_modules():
    for case in sorted(p.parent for p in GOLDEN.glob("*/*/input")):
        files, lock = [], None
        for path in sorted((case / "input").iterdir()):
            if not path.is_file():
                continue
            text = path.read_bytes().decode("utf-8")
            try:
                if path.name == LOCK_FILE:
                    lock = ModuleFile(SourceFile(path.name, text), parse_module(text))
                elif path.name.endswith((".tf", ".tf.json")):
                    files.append(engine.parse_file(path.name, text))
            except ParseError:
                continue
        yield case, Module(files, "terraform", lock)


@pytest.mark.parametrize("rule", [r for r in registry.RULES if r.needs], ids=lambda r: r.code)
def test_a_rule_skipped_for_its_needs_finds_nothing(rule):
    skipped = ran = 0
    for case, module in _golden_modules():
        if engine._applies(rule, module):
            ran += 1
            continue
        skipped += 1
        assert list(rule.check(module)) == [], case
    assert skipped and ran  # the other rules' cases lack what this one needs; its own cases have it
