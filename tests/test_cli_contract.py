"""The output contract, anchored on ``ruff check`` (issue 9): what stdout and stderr carry, the
summary and its counts, applicability from the command line and from config, the options
ruff users expect, and every file Terraform (or OpenTofu) reads."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

FLOW_LOG = """resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.logs.arn
  traffic_type        = "ALL"
  vpc_id              = "vpc-0123456789abcdef0"
}
"""
FLOW_LOG_FIXED = FLOW_LOG.replace(
    """  log_destination_arn = aws_s3_bucket.logs.arn
  traffic_type        = "ALL"
  vpc_id              = "vpc-""",
    """  log_destination      = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = "vpc-""",
)
# TFX005: an unsafe fix (held back without --unsafe-fixes).
TABLE = """resource "aws_dynamodb_table" "t" {
  name                        = "t"
  deletion_protection_enabled = true
}
"""
# TFX001 without a fix: the keys cannot be known.
PROVIDER = """variable "regions" {
  type = set(string)
}

provider "aws" {
  for_each = var.regions
  region   = each.key
}
"""
UNSAFE_LINE = (
    "table.tf:3:3: TFX005 `deletion_protection_enabled = true` blocks destroying this"
    " aws_dynamodb_table; set it to false"
)


def tffix(*args, cwd, stdin=None, env=None):
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tffix", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture
def mixed(tmp_path):
    """One finding of each kind: a safe fix, an unsafe fix, no fix."""
    return write(tmp_path, {"main.tf": FLOW_LOG, "table.tf": TABLE, "providers.tf": PROVIDER})


def marks(text_output: str) -> int:
    return sum(" [*] " in line for line in text_output.splitlines())


# --- the dry run: a pure diff on stdout, everything else on stderr ------------------------------


def test_dry_run_lists_every_finding_the_diff_does_not_carry(mixed):
    run = tffix(cwd=mixed)
    assert run.returncode == 1
    assert run.stdout.startswith("--- a/main.tf\n+++ b/main.tf\n")
    lines = run.stderr.splitlines()
    assert lines[0].startswith("providers.tf:6:3: TFX001 Reserved argument name in provider block")
    assert lines[1] == UNSAFE_LINE
    assert lines[2:] == [
        "Found 3 findings.",
        "[*] 1 fixable with --apply (1 hidden fix can be enabled with --unsafe-fixes).",
    ]
    assert "main.tf:6:3" not in run.stderr  # the diff carries it


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_dry_run_stdout_pipes_into_git_apply(mixed):
    subprocess.run(["git", "init", "-q"], cwd=mixed, check=True)
    run = tffix(cwd=mixed)
    subprocess.run(["git", "apply", "-"], cwd=mixed, input=run.stdout, text=True, check=True)
    assert (mixed / "main.tf").read_text() == FLOW_LOG_FIXED


def test_apply_lists_what_remains_in_ruffs_shape(mixed):
    run = tffix("--apply", cwd=mixed)
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0].startswith("providers.tf:6:3: TFX001 ")
    assert lines[1:] == [
        UNSAFE_LINE,
        "Found 3 findings (1 fixed, 2 remaining).",
        "No fixes available (1 hidden fix can be enabled with --unsafe-fixes).",
    ]
    assert (mixed / "main.tf").read_text() == FLOW_LOG_FIXED


def test_fix_is_an_alias_of_apply_and_unsafe_fixes_apply_tfx005(mixed):
    run = tffix("--fix", "--unsafe-fixes", cwd=mixed)
    assert run.returncode == 1
    assert run.stderr.splitlines()[1:] == ["Found 3 findings (2 fixed, 1 remaining)."]
    assert "deletion_protection_enabled = false" in (mixed / "table.tf").read_text()


@pytest.mark.parametrize("args", [(), ("--unsafe-fixes",)])
def test_summary_counts_agree_with_the_text_marks(mixed, args):
    text = tffix("--format", "text", *args, cwd=mixed)
    assert text.stdout.endswith("\n")
    fixable = marks(text.stdout)
    assert fixable == (2 if args else 1)
    assert f"[*] {fixable} fixable with --apply" in text.stderr
    diff = tffix(*args, cwd=mixed)
    assert f"[*] {fixable} fixable with --apply" in diff.stderr
    assert ("hidden fix" in diff.stderr) is (not args)


def test_an_error_is_never_followed_by_all_checks_passed(tmp_path):
    run = tffix("nowhere", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (2, "nowhere:1:1: no such file or directory\n")
    (tmp_path / "broken.tf").write_text('resource "x" {\n')
    run = tffix(cwd=tmp_path)
    assert run.returncode == 2
    assert "passed" not in run.stderr and "Found" not in run.stderr


def test_clean_module_says_all_checks_passed(tmp_path):
    write(tmp_path, {"main.tf": FLOW_LOG_FIXED})
    assert tffix(cwd=tmp_path).stderr == "All checks passed!\n"
    assert tffix("--apply", cwd=tmp_path).stderr == "All checks passed!\n"


def test_no_terraform_files_is_a_warning_and_exit_0(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# not terraform\n")
    for args in (["empty"], ["docs"], ["empty", "docs"]):
        run = tffix(*args, cwd=tmp_path)
        assert (run.returncode, run.stdout, run.stderr) == (
            0,
            "",
            "warning: No Terraform files found under the given path(s)\n",
        )


def test_suppression_warnings_are_printed(tmp_path):
    write(tmp_path, {"main.tf": "# tffix:ignore TFX999\n" + FLOW_LOG_FIXED})
    run = tffix(cwd=tmp_path)
    assert run.returncode == 0
    assert "main.tf:1:1: warning: unknown rule code in `tffix:ignore`: TFX999" in run.stderr


def test_report_unused_suppressions(tmp_path):
    write(tmp_path, {"main.tf": "# tffix:ignore TFX002\n" + FLOW_LOG_FIXED})
    assert tffix(cwd=tmp_path).returncode == 0
    run = tffix("--report-unused-suppressions", "--format", "text", cwd=tmp_path)
    assert run.returncode == 1
    assert re.match(r"main\.tf:1:\d+: TFX100 ", run.stdout), run.stdout


def test_empty_select_is_an_error(tmp_path):
    write(tmp_path, {"main.tf": FLOW_LOG})
    run = tffix("--select", "", cwd=tmp_path)
    assert run.returncode == 2
    assert "--select needs rule codes or names" in run.stderr


# --- options ruff users expect ------------------------------------------------------------------


def test_help_shows_the_check_options_and_the_commands(tmp_path):
    run = tffix("--help", cwd=tmp_path)
    assert run.returncode == 0
    for option in (
        "--apply, --fix",
        "--unsafe-fixes",
        "--format",
        "--statistics",
        "--exit-zero",
        "--quiet",
        "--show-fixes",
        "--exclude",
        "--extend-exclude",
        "--respect-gitignore",
        "--config",
        "--report-unused-suppressions",
        "--list-rules",
        "--select",
        "--version",
    ):
        assert option in run.stdout, option
    for command in ("check", "rule", "lsp", "review"):
        assert re.search(rf"^  {command} ", run.stdout, re.M), command
    assert tffix("check", "--help", cwd=tmp_path).returncode == 0


def test_exit_zero_and_quiet(mixed):
    run = tffix("--exit-zero", cwd=mixed)
    assert run.returncode == 0 and "Found 3 findings." in run.stderr
    quiet = tffix("--quiet", cwd=mixed)
    assert quiet.returncode == 1
    assert quiet.stderr.splitlines() == [
        line for line in run.stderr.splitlines() if not line.startswith(("Found", "[*]"))
    ]
    assert len(quiet.stderr.splitlines()) == 2


def test_statistics(mixed):
    run = tffix("--statistics", cwd=mixed)
    assert run.returncode == 1
    assert run.stdout == (
        "1\tTFX001\t[ ] provider-for-each\n"
        "1\tTFX002\t[*] flow-log-destination\n"
        "1\tTFX005\t[ ] deletion-protection\n"
    )
    assert "UNSAFE" not in run.stderr and run.stderr.endswith(
        "Found 3 findings.\n[*] 1 fixable with --apply (1 hidden fix can be enabled with --unsafe-fixes).\n"
    )


def test_show_fixes(mixed):
    dry = tffix("--show-fixes", cwd=mixed)
    assert "Would fix 1 finding:\n- main.tf:\n    1 × TFX002 (flow-log-destination)\n" in dry.stderr
    run = tffix("--apply", "--show-fixes", "--unsafe-fixes", cwd=mixed)
    assert (
        "Fixed 2 findings:\n- main.tf:\n    1 × TFX002 (flow-log-destination)\n"
        "- table.tf:\n    1 × TFX005 (deletion-protection)\n"
    ) in run.stderr


def test_list_rules_as_json(tmp_path):
    from tffix.registry import RULES

    run = tffix("--list-rules", "--format", "json", cwd=tmp_path)
    rows = json.loads(run.stdout)
    assert [row["code"] for row in rows] == [rule.code for rule in RULES]
    by_code = {row["code"]: row for row in rows}
    assert by_code["TFX005"]["fix"] == "unsafe" and by_code["TFX002"]["fix"] == "safe"
    assert by_code["TFX100"]["fix"] == "none"
    assert set(by_code["TFX002"]) == {"code", "name", "summary", "fix", "related"}


def test_rule_prints_the_rule_documentation(tmp_path):
    from tffix import ruledocs
    from tffix.registry import RULES

    by_code = tffix("rule", "TFX002", cwd=tmp_path)
    by_name = tffix("rule", "flow-log-destination", cwd=tmp_path)
    rule = next(rule for rule in RULES if rule.code == "TFX002")
    assert by_code.returncode == 0
    assert by_code.stdout == by_name.stdout == ruledocs.render(rule)
    every = tffix("rule", "--all", cwd=tmp_path)
    assert every.stdout == "\n".join(ruledocs.render(rule) for rule in RULES)
    unknown = tffix("rule", "TFX999", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown rule: 'TFX999'" in unknown.stderr
    assert tffix("rule", cwd=tmp_path).returncode == 2


# --- applicability from config ------------------------------------------------------------------


def test_config_unsafe_fixes_true_and_the_flag_that_turns_it_off(tmp_path):
    write(tmp_path, {"table.tf": TABLE, ".tffix.toml": "unsafe-fixes = true\n"})
    run = tffix("--format", "text", cwd=tmp_path)
    assert marks(run.stdout) == 1
    assert tffix("--no-unsafe-fixes", "--format", "text", cwd=tmp_path).stdout.count("[*]") == 0
    assert tffix("--apply", cwd=tmp_path).returncode == 0
    assert "deletion_protection_enabled = false" in (tmp_path / "table.tf").read_text()


def test_tests_config_makes_tfx005_safe_for_test_stacks_only(tmp_path):
    write(
        tmp_path,
        {
            "prod/table.tf": TABLE,
            "tests/table.tf": TABLE,
            "tests/.tffix.toml": 'extend-safe-fixes = ["TFX005"]\n',
        },
    )
    run = tffix("--apply", cwd=tmp_path)
    assert "deletion_protection_enabled = false" in (tmp_path / "tests" / "table.tf").read_text()
    assert (tmp_path / "prod" / "table.tf").read_text() == TABLE
    assert run.stderr.splitlines()[1:] == [
        "Found 2 findings (1 fixed, 1 remaining).",
        "No fixes available (1 hidden fix can be enabled with --unsafe-fixes).",
    ]


def test_extend_unsafe_fixes_holds_a_safe_rule_back(tmp_path):
    write(tmp_path, {"main.tf": FLOW_LOG, ".tffix.toml": 'extend-unsafe-fixes = ["flow-log-destination"]\n'})
    run = tffix(cwd=tmp_path)
    assert run.stdout == ""
    assert "No fixes available (1 hidden fix can be enabled with --unsafe-fixes)." in run.stderr


def test_config_option_names_the_settings_file(tmp_path):
    write(
        tmp_path,
        {
            "stack/main.tf": FLOW_LOG,
            "elsewhere/strict.toml": 'ignore = ["TFX002"]\n',
            "stack/.tffix.toml": 'select = ["TFX002"]\n',
        },
    )
    assert tffix("stack", cwd=tmp_path).returncode == 1
    run = tffix("--config", "elsewhere/strict.toml", "stack", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "All checks passed!\n")
    missing = tffix("--config", "nope.toml", "stack", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr
    (tmp_path / "elsewhere" / "strict.toml").write_text('select = "TFX002"\n')
    bad = tffix("--config", "elsewhere/strict.toml", "stack", cwd=tmp_path)
    assert bad.returncode == 2 and "strict.toml: select: must be a list" in bad.stderr


# --- machine formats: unsafe fixes offered only with --unsafe-fixes ------------------------------


def test_rdjsonl_offers_unsafe_fixes_only_with_the_flag_and_json_keeps_applicability(tmp_path):
    write(tmp_path, {"table.tf": TABLE})
    [plain] = [json.loads(line) for line in tffix("--format", "rdjsonl", cwd=tmp_path).stdout.splitlines()]
    assert "suggestions" not in plain and "--unsafe-fixes" in plain["message"]
    [offered] = [
        json.loads(line)
        for line in tffix("--format", "rdjsonl", "--unsafe-fixes", cwd=tmp_path).stdout.splitlines()
    ]
    assert offered["suggestions"]
    for args in ((), ("--unsafe-fixes",)):
        [finding] = json.loads(tffix("--format", "json", *args, cwd=tmp_path).stdout)
        assert finding["fix"]["applicability"] == "unsafe"
        sarif = json.loads(tffix("--format", "sarif", *args, cwd=tmp_path).stdout)
        assert sarif["runs"][0]["results"][0]["fixes"][0]["properties"] == {"applicability": "unsafe"}


def test_machine_formats_print_no_colour_and_no_progress_decision():
    from tffix.cli import wants_progress

    assert not wants_progress(FakeTTY(), "json")
    assert not wants_progress(FakeTTY(), "sarif")


# --- colour and progress ------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_colour_on_a_terminal_honours_no_color_and_force_color():
    from tffix.cli import use_colour

    assert use_colour(FakeTTY(), {})
    assert not use_colour(io.StringIO(), {})
    assert not use_colour(FakeTTY(), {"NO_COLOR": "1"})
    assert use_colour(io.StringIO(), {"FORCE_COLOR": "1"})
    assert not use_colour(FakeTTY(), {"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert not use_colour(io.StringIO(), {"FORCE_COLOR": "0"})


def test_colour_end_to_end(mixed):
    plain = tffix(cwd=mixed)
    assert "\x1b[" not in plain.stdout + plain.stderr  # pipes: none
    forced = tffix(cwd=mixed, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stderr and "\x1b[" in forced.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout) == plain.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced.stderr) == plain.stderr
    json_run = tffix("--format", "json", cwd=mixed, env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in json_run.stdout


def test_progress_only_for_a_person_on_a_terminal():
    from tffix.cli import wants_progress

    assert wants_progress(FakeTTY(), "diff", env={})
    assert wants_progress(FakeTTY(), "text", env={})
    assert not wants_progress(io.StringIO(), "diff", env={})
    assert not wants_progress(FakeTTY(), "diff", quiet=True, env={})
    assert not wants_progress(FakeTTY(), "diff", env={"TERM": "dumb"})
    assert not wants_progress(FakeTTY(), "rdjsonl", env={})


def test_progress_bar_waits_a_second_and_is_optional():
    from tffix.cli import Progress

    now = [0.0]
    stream = FakeTTY()
    bar = Progress(stream, clock=lambda: now[0])
    bar(1, 10)
    assert bar.bar is None and stream.getvalue() == ""
    now[0] = 1.5
    bar(2, 10)
    try:
        import rich  # noqa: F401
    except ImportError:
        assert bar.bar is False  # no extra installed: no bar, no error
    else:
        assert bar.bar
    bar(10, 10)
    bar.close()


def test_no_progress_output_in_a_pipe(tmp_path):
    for index in range(3):
        write(tmp_path, {f"m{index}/main.tf": FLOW_LOG_FIXED})
    run = tffix(cwd=tmp_path)
    assert run.stderr == "All checks passed!\n"


# --- every file Terraform reads -----------------------------------------------------------------

BUCKET_JSON = json.dumps({"resource": {"aws_s3_bucket": {"logs": {"bucket": "flow-logs"}}}}, indent=2) + "\n"
FLOW_LOG_ONLY = FLOW_LOG.split("\n\n", 1)[1]


def test_tf_json_is_part_of_the_module_walked_or_named(tmp_path):
    write(tmp_path, {"m/buckets.tf.json": BUCKET_JSON, "m/main.tf": FLOW_LOG_ONLY})
    for args in (["m"], ["m/buckets.tf.json"], ["m/main.tf"]):
        run = tffix("--format", "json", *args, cwd=tmp_path)
        assert run.returncode == 1, run.stderr
        [finding] = json.loads(run.stdout)
        assert finding["code"] == "TFX002" and finding["fix"] is not None
        assert "error" not in run.stderr
    (tmp_path / "m" / "broken.tf.json").write_text("{\n")
    run = tffix("m", cwd=tmp_path)
    assert run.returncode == 2 and "m/broken.tf.json:" in run.stderr


def test_tofu_files_are_read_only_for_opentofu_and_shadow_their_tf_twin(tmp_path):
    write(tmp_path, {"m/main.tf": FLOW_LOG, "m/main.tofu": FLOW_LOG_FIXED, "m/table.tofu": TABLE})
    terraform = tffix("--format", "text", "m", cwd=tmp_path)
    assert [line.split(":")[0] for line in terraform.stdout.splitlines()] == ["m/main.tf"]
    opentofu = tffix("--format", "text", "--target", "opentofu", "m", cwd=tmp_path)
    assert [line.split(":")[0] for line in opentofu.stdout.splitlines()] == ["m/table.tofu"]
    (tmp_path / "m" / ".opentofu-version").write_text("1.9.0\n")
    assert tffix("--format", "text", "m", cwd=tmp_path).stdout == opentofu.stdout
    shadowed = tffix("--format", "text", "m/main.tf", cwd=tmp_path)
    assert "m/main.tf: note: OpenTofu reads main.tofu instead of this file; skipped" in shadowed.stderr
    assert shadowed.stdout == opentofu.stdout


def test_tofu_json_shadows_tf_json(tmp_path):
    from tffix.runner import module_files

    names = [
        "a.tf",
        "a.tf.json",
        "a.tofu.json",
        "b.tf",
        "b.tofu",
        "c.tofu",
        ".hidden.tf",
        "x.tf~",
        "#x.tf#",
        "t.tftest.hcl",
        "terragrunt.hcl",
    ]
    paths = [Path(name) for name in names]
    assert [p.name for p in module_files(paths, "opentofu")] == ["a.tf", "a.tofu.json", "b.tofu", "c.tofu"]
    assert [p.name for p in module_files(paths, "terraform")] == ["a.tf", "a.tf.json", "b.tf"]


INVALID_AS_A_MODULE = 'run "plan" {\n  command = plan\n  assert {\n'  # unparsable: would be an error


def test_test_files_and_terragrunt_are_never_module_files(tmp_path):
    write(
        tmp_path,
        {
            "m/main.tf": FLOW_LOG_FIXED,
            "m/main.tftest.hcl": INVALID_AS_A_MODULE,
            "m/tests/x.tftest.hcl": INVALID_AS_A_MODULE,
            "m/terragrunt.hcl": INVALID_AS_A_MODULE,
            "m/.hidden.tf": INVALID_AS_A_MODULE,
            "m/main.tf~": INVALID_AS_A_MODULE,
        },
    )
    walked = tffix("m", cwd=tmp_path)
    assert (walked.returncode, walked.stderr) == (0, "All checks passed!\n")
    named = tffix("m/main.tftest.hcl", "m/terragrunt.hcl", cwd=tmp_path)
    assert named.returncode == 0
    assert named.stderr == (
        "m/main.tftest.hcl: note: a test file (`terraform test`), not part of a module; skipped\n"
        "m/terragrunt.hcl: note: not a module file (Terragrunt and other HCL files are not Terraform modules);"
        " skipped\n"
    )
    others = tffix(
        "m/.terraform.lock.hcl",
        "m/prod.tfvars",
        "m/README.md",
        cwd=write(tmp_path, {"m/.terraform.lock.hcl": "", "m/prod.tfvars": "", "m/README.md": ""}),
    )
    assert others.returncode == 0
    assert [line.split(": note: ")[0] for line in others.stderr.splitlines()] == [
        "m/.terraform.lock.hcl",
        "m/prod.tfvars",
        "m/README.md",
    ]
    tofu = tffix("m/x.tofu", cwd=write(tmp_path, {"m/x.tofu": TABLE}))
    assert tofu.returncode == 0 and "read only with target opentofu" in tofu.stderr


def test_stdin_of_a_test_file_is_passed_through(tmp_path):
    run = tffix("-", "--stdin-filename", "x.tftest.hcl", "--apply", cwd=tmp_path, stdin=INVALID_AS_A_MODULE)
    assert (run.returncode, run.stdout) == (0, INVALID_AS_A_MODULE)
    assert "not part of a module; skipped" in run.stderr


def test_stdin_apply_lists_what_remains_on_stderr(tmp_path):
    run = tffix("-", "--stdin-filename", "table.tf", "--apply", "--format", "text", cwd=tmp_path, stdin=TABLE)
    assert (run.returncode, run.stdout) == (1, TABLE)
    assert run.stderr.splitlines()[0] == UNSAFE_LINE


# --- discovery: excludes and .gitignore ---------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    for folder in ("a", "b/generated", "examples/x", "node_modules/m"):
        write(tmp_path, {f"{folder}/main.tf": FLOW_LOG})
    (tmp_path / "b" / ".gitignore").write_text("generated/\n")
    return tmp_path


def found(run) -> list[str]:
    return sorted(line.split(":")[0] for line in run.stdout.splitlines())


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignore_and_excludes_as_ruff_reads_them(tree):
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    text = ("--format", "text")
    assert found(tffix(*text, cwd=tree)) == ["a/main.tf", "examples/x/main.tf"]
    assert found(tffix(*text, "--no-respect-gitignore", cwd=tree)) == [
        "a/main.tf",
        "b/generated/main.tf",
        "examples/x/main.tf",
    ]
    assert found(tffix(*text, "--extend-exclude", "examples/**", cwd=tree)) == ["a/main.tf"]
    assert found(tffix(*text, "--exclude", "examples", cwd=tree)) == ["a/main.tf", "node_modules/m/main.tf"]
    (tree / ".tffix.toml").write_text('extend-exclude = ["ex*"]\nrespect-gitignore = false\n')
    assert found(tffix(*text, cwd=tree)) == ["a/main.tf", "b/generated/main.tf"]
    (tree / ".tffix.toml").write_text('exclude = ["a/"]\n')
    assert found(tffix(*text, cwd=tree)) == ["examples/x/main.tf", "node_modules/m/main.tf"]
    # A path named on the command line is analysed even if excluded, unless --force-exclude.
    assert found(tffix(*text, "a/main.tf", cwd=tree)) == ["a/main.tf"]
    assert found(tffix(*text, "--force-exclude", "a/main.tf", cwd=tree)) == []


def test_outside_a_git_work_tree_gitignore_does_not_count(tree):
    assert "b/generated/main.tf" in found(tffix("--format", "text", cwd=tree))


# --- pre-commit -------------------------------------------------------------------------------


def hooks() -> list[dict]:
    return yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())


@pytest.mark.parametrize("hook", hooks(), ids=lambda hook: hook["id"])
def test_pre_commit_hook_names_the_finding_that_blocks_the_commit(mixed, hook):
    """The hook's entry, run as pre-commit runs it: the staged files that match ``files`` as arguments."""
    subprocess.run(["git", "init", "-q"], cwd=mixed, check=True)
    (mixed / "README.md").write_text("x\n")
    (mixed / "x.tftest.hcl").write_text(INVALID_AS_A_MODULE)
    subprocess.run(["git", "add", "."], cwd=mixed, check=True)
    staged = subprocess.run(
        ["git", "diff", "--cached", "--name-only"], cwd=mixed, capture_output=True, text=True, check=True
    ).stdout.split()
    chosen = [
        name
        for name in staged
        if re.search(hook["files"], name) and not re.search(hook.get("exclude", "^$"), name)
    ]
    assert sorted(chosen) == ["main.tf", "providers.tf", "table.tf"]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "tffix"
    run = subprocess.run(
        [sys.executable, "-m", "tffix", *entry[1:], *hook.get("args", []), *chosen],
        cwd=mixed,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert UNSAFE_LINE in output
    assert "providers.tf:6:3: TFX001 " in output


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo_shows_the_findings(tmp_path):
    """pre-commit installs this repository's hooks as a user's repository would (from PyPI: slow)."""
    pytest.importorskip("pre_commit")
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=REPO, capture_output=True).returncode != 0:
        pytest.skip("the checkout is not a git repository")
    user = write(tmp_path / "user", {"main.tf": FLOW_LOG, "table.tf": TABLE})
    subprocess.run(["git", "init", "-q"], cwd=user, check=True)
    subprocess.run(["git", "add", "."], cwd=user, check=True)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"))
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "tffix", "--all-files"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "files were modified by this hook" in run.stdout
    assert UNSAFE_LINE in run.stdout
    assert "Found 2 findings (1 fixed, 1 remaining)." in run.stdout
    assert (user / "main.tf").read_text() == FLOW_LOG_FIXED
