"""The command line as a user runs it: exit codes, diffs, --apply, stdin, errors."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flow_log_case import RIGHT, WRONG


def tffix(*args, cwd, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "tffix", *args], cwd=cwd, input=stdin, capture_output=True, text=True
    )


@pytest.fixture
def module(tmp_path):
    (tmp_path / "main.tf").write_text(WRONG)
    return tmp_path


def test_dry_run_prints_a_diff_and_writes_nothing(module):
    run = tffix(cwd=module)
    assert run.returncode == 1
    assert run.stdout.startswith("--- a/main.tf\n+++ b/main.tf\n")
    assert '+  log_destination_type = "s3"\n' in run.stdout
    assert "Found 1 finding.\n[*] 1 fixable with --apply.\n" in run.stderr
    assert (module / "main.tf").read_text() == WRONG


def test_apply_fixes_then_second_run_is_clean(module):
    os.chmod(module / "main.tf", 0o640)
    run = tffix("--apply", ".", cwd=module)
    assert run.returncode == 0, run.stderr
    assert (module / "main.tf").read_text() == RIGHT
    assert run.stderr == "Found 1 finding (1 fixed, 0 remaining).\n"
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
    assert (finding["code"], finding["name"], finding["path"]) == (
        "TFX002",
        "flow-log-destination",
        "main.tf",
    )
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (6, 3, 6, 22)
    edits = finding["fix"]["edits"]
    assert all(edit["path"] == "main.tf" for edit in edits)


def test_text_format_marks_fixable_findings(module):
    run = tffix("--format", "text", cwd=module)
    assert run.stdout == (
        "main.tf:6:3: TFX002 [*] `log_destination_arn` is not an argument of aws_flow_log;"
        ' use `log_destination`, with `log_destination_type = "s3"`\n'
    )


def test_list_rules_names_every_rule(tmp_path):
    run = tffix("--list-rules", cwd=tmp_path)
    assert run.returncode == 0
    from tffix.registry import RULES

    assert [line.split()[0] for line in run.stdout.splitlines()] == [rule.code for rule in RULES]
    assert "TFX001" in run.stdout and "TFX100" in run.stdout


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
    (module / ".tffix.toml").write_text("bogus = 1\n")
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


# --- paths that need quoting, as git quotes them -------------------------------------------


@pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("patch") is None, reason="needs git and patch"
)
@pytest.mark.parametrize("name", ["new\nline", "tab\there", 'quote"d', "back\\slash", "with space", "é"])
def test_diff_of_an_odd_path_applies_with_git_and_patch(tmp_path, name):
    (tmp_path / name).mkdir()
    (tmp_path / name / "main.tf").write_text(WRONG)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    dry = tffix(".", cwd=tmp_path)
    assert dry.returncode == 1
    first = dry.stdout.splitlines()[0]
    if any(c in name for c in '\n\t"\\'):
        assert first.startswith('--- "a/') and first.endswith('/main.tf"')
    assert (
        subprocess.run(
            ["git", "apply", "--check", "-"], cwd=tmp_path, input=dry.stdout, text=True, capture_output=True
        ).returncode
        == 0
    )
    patch = subprocess.run(
        ["patch", "-p1", "--dry-run"], cwd=tmp_path, input=dry.stdout, text=True, capture_output=True
    )
    assert patch.returncode == 0, patch.stdout + patch.stderr
    subprocess.run(["git", "apply", "-"], cwd=tmp_path, input=dry.stdout, text=True, check=True)
    assert (tmp_path / name / "main.tf").read_text() == RIGHT


def test_error_and_finding_lines_quote_a_path_with_a_newline(tmp_path):
    (tmp_path / "new\nline").mkdir()
    (tmp_path / "new\nline" / "main.tf").write_text(WRONG)
    (tmp_path / "new\nline" / "broken.tf").write_text('resource "aws_vpc" "main" {\n  cidr_block = \n}\n')
    run = tffix("--format", "text", ".", cwd=tmp_path)
    assert run.stderr.startswith('"new\\nline/broken.tf":2:16: unexpected newline')
    assert run.stdout.startswith('"new\\nline/main.tf":6:3: TFX002 [*] ')
    assert len(run.stdout.splitlines()) == 1


def test_quote_path_follows_git():
    from tffix.paths import quote_path

    assert quote_path("plain/é main.tf") == "plain/é main.tf"
    assert quote_path('a\x01b\x7f"\\\r') == '"a\\001b\\177\\"\\\\\\r"'
    assert quote_path("bad\udcffbyte.tf") == '"bad\\377byte.tf"'  # a name that is not UTF-8


def test_quote_path_quotes_exactly_what_git_quotes():
    """The quick check `quote_path` makes agrees with its escape table for every character."""
    from tffix.paths import _needs_escape, quote_path

    for code in [*range(0x300), *range(0xDC00, 0xDD10), 0x2028, 0xFEFF, 0x1F600]:
        c = chr(code)
        assert (quote_path(f"a{c}b") != f"a{c}b") == _needs_escape(c), hex(code)


@pytest.mark.parametrize("cwd", ["/", "tmp", "tmp/sub"])
def test_display_path_is_what_pathlib_says(tmp_path, monkeypatch, cwd):
    """`display_path` skips pathlib for plain spellings; it must give pathlib's answer for all."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tffix.paths import display_path

    where = Path("/") if cwd == "/" else tmp_path / cwd
    where.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(where)
    part = st.sampled_from(["a", "b", ".", "..", "", "x y", "tmp", "sub", ".hidden"])
    # relative, absolute elsewhere, or spelled from the cwd (below it, or its parent's sibling)
    start = st.sampled_from(["", "/", f"{where}/", f"{where}", f"{where}x/", f"{where.parent}/"])

    def by_pathlib(text: str) -> str:
        absolute = Path(text).absolute()
        try:
            return absolute.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return absolute.as_posix()

    @settings(max_examples=400, deadline=None)
    @given(start, st.lists(part, min_size=0, max_size=6), st.booleans())
    def check(prefix, parts, trailing):
        text = prefix + "/".join(parts) + ("/" if trailing else "")
        if text:
            assert display_path(Path(text)) == by_pathlib(text)
            assert display_path(text) == by_pathlib(text)  # type: ignore[arg-type]

    check()
