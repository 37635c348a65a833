"""The command line as a user runs it: exit codes, diffs, --apply, stdin, errors."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

WRONG = """resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.logs.arn # keep this comment
  traffic_type        = "ALL"
  vpc_id              = "vpc-0123456789abcdef0"
}
"""
RIGHT = """resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  log_destination      = aws_s3_bucket.logs.arn # keep this comment
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = "vpc-0123456789abcdef0"
}
"""


def tffix(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "tffix", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True)


@pytest.fixture
def module(tmp_path):
    (tmp_path / "main.tf").write_text(WRONG)
    return tmp_path


def test_dry_run_prints_a_diff_and_writes_nothing(module):
    run = tffix(cwd=module)
    assert run.returncode == 1
    assert run.stdout.startswith("--- a/main.tf\n+++ b/main.tf\n")
    assert '+  log_destination_type = "s3"\n' in run.stdout
    assert "1 finding, 1 fixable (1 file would change)" in run.stderr
    assert (module / "main.tf").read_text() == WRONG


def test_apply_fixes_then_second_run_is_clean(module):
    os.chmod(module / "main.tf", 0o640)
    run = tffix("--apply", ".", cwd=module)
    assert run.returncode == 0, run.stderr
    assert (module / "main.tf").read_text() == RIGHT
    assert "1 fix in 1 file" in run.stderr
    assert stat.S_IMODE((module / "main.tf").stat().st_mode) == 0o640
    assert sorted(p.name for p in module.iterdir()) == ["main.tf"]  # no temp file left behind
    again = tffix(cwd=module)
    assert (again.returncode, again.stdout) == (0, "")


def test_invalid_file_is_reported_untouched_and_others_still_fixed(module):
    broken = 'resource "aws_vpc" "main" {\n  cidr_block = \n}\n'
    (module / "broken.tf").write_text(broken)
    run = tffix("--apply", cwd=module)
    assert run.returncode == 2
    assert "broken.tf:2:16: unexpected newline; expected" in run.stderr
    assert "Traceback" not in run.stderr
    assert (module / "broken.tf").read_text() == broken
    assert (module / "main.tf").read_text() == RIGHT


def test_crlf_and_bom_survive_apply(tmp_path):
    text = "\ufeff" + WRONG.replace("\n", "\r\n")
    (tmp_path / "main.tf").write_bytes(text.encode("utf-8"))
    assert tffix("--apply", cwd=tmp_path).returncode == 0
    assert (tmp_path / "main.tf").read_bytes() == ("\ufeff" + RIGHT.replace("\n", "\r\n")).encode("utf-8")


def test_stdin_apply_writes_the_fixed_text_to_stdout(tmp_path):
    run = tffix("-", "--stdin-filename", "main.tf", "--apply", cwd=tmp_path, stdin=WRONG)
    assert run.returncode == 0
    assert run.stdout == RIGHT


def test_stdin_without_filename_is_an_error(tmp_path):
    run = tffix("-", cwd=tmp_path, stdin=WRONG)
    assert run.returncode == 2
    assert "--stdin-filename" in run.stderr


def test_select_and_ignore_by_code_or_name(module):
    assert tffix("--ignore", "flow-log-destination", cwd=module).returncode == 0
    assert tffix("--select", "TFX002", cwd=module).returncode == 1
    assert tffix("--select", "TFX005", cwd=module).returncode == 0
    unknown = tffix("--select", "TFX999", cwd=module)
    assert unknown.returncode == 2
    assert "unknown rule selector: 'TFX999'" in unknown.stderr


def test_json_format(module):
    run = tffix("--format", "json", cwd=module)
    assert run.returncode == 1
    [finding] = json.loads(run.stdout)
    assert (finding["code"], finding["name"], finding["path"]) == ("TFX002", "flow-log-destination", "main.tf")
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (6, 3, 6, 22)
    edits = finding["fix"]["edits"]
    assert all(edit["path"] == "main.tf" for edit in edits)


def test_text_format_marks_fixable_findings(module):
    run = tffix("--format", "text", cwd=module)
    assert run.stdout == ("main.tf:6:3: TFX002 [*] `log_destination_arn` is not an argument of aws_flow_log;"
                          ' use `log_destination`, with `log_destination_type = "s3"`\n')


def test_list_rules_names_every_rule(tmp_path):
    run = tffix("--list-rules", cwd=tmp_path)
    assert run.returncode == 0
    assert [line.split()[0] for line in run.stdout.splitlines()] == [
        "TFX001", "TFX002", "TFX003", "TFX004", "TFX005", "TFX011", "TFX012"]


def test_missing_path_is_an_error(tmp_path):
    run = tffix("nowhere", cwd=tmp_path)
    assert run.returncode == 2
    assert "nowhere:1:1: no such file or directory" in run.stderr


def test_hidden_and_terraform_directories_are_skipped(tmp_path):
    for folder in (".terraform/modules/x", ".hidden"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text(WRONG)
    assert tffix(cwd=tmp_path).returncode == 0


def test_config_file_ignores_a_rule(module):
    (module / ".tffix.toml").write_text('ignore = ["TFX002"]\n')
    assert tffix(cwd=module).returncode == 0
    (module / ".tffix.toml").write_text('bogus = 1\n')
    run = tffix(cwd=module)
    assert run.returncode == 2
    assert "unknown key(s) bogus" in run.stderr


def test_pyproject_tool_table(module):
    (module / "pyproject.toml").write_text('[tool.tffix]\nselect = ["TFX005"]\n')
    assert tffix(cwd=module).returncode == 0


def test_python_dash_m_and_console_script_agree(module):
    script = Path(sys.executable).with_name("tffix")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    run = subprocess.run([str(script), "--format", "text"], cwd=module, capture_output=True, text=True)
    assert run.returncode == 1
    assert "TFX002" in run.stdout
