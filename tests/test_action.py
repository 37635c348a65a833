"""The GitHub Action (`action.yml`) and the documented workflow (`docs/github-workflow.yml`).

The action's shell steps are run here as GitHub runs a composite step
(``bash --noprofile --norc -eo pipefail``), with a stand-in ``tffix`` or
``python`` that records its arguments: which command each input leads to, the
fallback to annotations where the token is read-only, and the exit code each
``fail-on`` gives.  One test runs the real ``tffix`` through the step.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
WORKFLOW_TEXT = (REPO / "docs" / "github-workflow.yml").read_text()
WORKFLOW = yaml.safe_load(WORKFLOW_TEXT)
STEPS = {step.get("id"): step for step in ACTION["runs"]["steps"]}
PLACEHOLDER = "tffix/tffix@<commit-sha>"  # the docs' pin until tffix has releases
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def uses_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if re.match(r"\s*-?\s*uses:", line)]


# --- the files' shape -----------------------------------------------------------------------


def test_action_is_composite_with_the_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    defaults = {name: spec.get("default") for name, spec in ACTION["inputs"].items()}
    assert defaults == {
        "paths": ".",
        "version": "",
        "format": "auto",
        "fail-on": "findings",
        "token": "${{ github.token }}",
    }
    assert all(spec.get("description") for spec in ACTION["inputs"].values())
    assert set(ACTION["outputs"]) == {"format", "exit-code"}


@pytest.mark.parametrize(
    "name, text",
    [("action.yml", (REPO / "action.yml").read_text()), ("docs/github-workflow.yml", WORKFLOW_TEXT)],
)
def test_every_action_is_pinned_by_commit_sha_with_its_release_named(name, text):
    lines = uses_lines(text)
    assert lines, name
    for line in lines:
        reference, _, comment = line.split("uses:", 1)[1].partition("#")
        reference = reference.strip()
        if reference == PLACEHOLDER:
            continue
        assert SHA_PIN.match(reference), f"{name}: {line} is not pinned by a full commit SHA"
        assert re.fullmatch(r"\s*v\d+\.\d+\.\d+\s*", comment), f"{name}: {line} does not name its release"


def test_known_release_pins():
    """Looked up from the actions' repositories: the commits the v7.0.1 and v7.0.0 tags point at."""
    pins = {
        line.split("uses:", 1)[1].strip()
        for line in uses_lines((REPO / "action.yml").read_text()) + uses_lines(WORKFLOW_TEXT)
    }
    assert "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1" in pins
    assert "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0" in pins


def test_action_installs_its_own_python_without_changing_the_jobs():
    setup = STEPS["python"]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False
    assert all(step.get("shell") == "bash" for step in ACTION["runs"]["steps"] if "run" in step)


def test_workflow_checks_out_the_head_runs_the_action_and_cancels_superseded_runs():
    on = WORKFLOW.get("on", WORKFLOW.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in on
    assert WORKFLOW["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "github.event.pull_request.number" in WORKFLOW["concurrency"]["group"]
    assert WORKFLOW["concurrency"]["cancel-in-progress"] is True
    [job] = WORKFLOW["jobs"].values()
    checkout, tffix = job["steps"]
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert checkout["with"]["persist-credentials"] is False
    assert tffix["uses"] == PLACEHOLDER
    assert tffix["with"] == {"paths": ".", "format": "auto", "fail-on": "findings"}


# --- the run step, with a stand-in tffix ------------------------------------------------------


def run_step(tmp_path: Path, step: str, **env: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    script = tmp_path / f"{step}.sh"
    script.write_text(STEPS[step]["run"])
    output = tmp_path / "github_output"
    output.write_text("")
    environment = {
        "PATH": os.environ["PATH"],
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_ACTION_PATH": "/actions/tffix/tffix/abc123",
        **env,
    }
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return run, outputs


def fake_tffix(tmp_path: Path, exit_code: int) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    tffix = bin_dir / "tffix"
    tffix.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args"\nexit {exit_code}\n')
    tffix.chmod(0o755)
    return bin_dir


PULL_REQUEST = {
    "TFFIX_EVENT": "pull_request",
    "TFFIX_REPOSITORY": "octo/infra",
    "TFFIX_HEAD_REPOSITORY": "octo/infra",
    "TFFIX_ACTOR": "octocat",
}


def run_action(tmp_path, exit_code=0, paths=".", format="auto", fail_on="findings", **context):
    bin_dir = fake_tffix(tmp_path, exit_code)
    run, outputs = run_step(
        tmp_path,
        "run",
        TFFIX_BIN=str(bin_dir),
        TFFIX_PATHS=paths,
        TFFIX_FORMAT=format,
        TFFIX_FAIL_ON=fail_on,
        **(PULL_REQUEST | context),
    )
    args = (tmp_path / "args").read_text().splitlines() if (tmp_path / "args").exists() else None
    return run, outputs, args


def test_auto_reviews_a_pull_request_from_the_same_repository(tmp_path):
    run, outputs, args = run_action(tmp_path)
    assert run.returncode == 0, run.stderr
    assert args == ["review", "."]
    assert outputs == {"format": "review", "exit-code": "0"}


@pytest.mark.parametrize(
    "context",
    [
        {"TFFIX_HEAD_REPOSITORY": "someone/fork"},
        {"TFFIX_ACTOR": "dependabot[bot]"},
        {"TFFIX_EVENT": "push", "TFFIX_HEAD_REPOSITORY": ""},
    ],
    ids=["fork", "dependabot", "push"],
)
def test_auto_falls_back_to_annotations_where_the_token_is_read_only(tmp_path, context):
    run, outputs, args = run_action(tmp_path, **context)
    assert run.returncode == 0, run.stderr
    assert args == ["--format", "github", "."]
    assert outputs["format"] == "github"
    assert "annotations instead of a review" in run.stdout


def test_explicit_format_wins(tmp_path):
    assert run_action(tmp_path, format="github")[2] == ["--format", "github", "."]
    assert run_action(tmp_path, format="review", TFFIX_HEAD_REPOSITORY="someone/fork")[2] == ["review", "."]


def test_paths_are_words_and_never_globs(tmp_path):
    (tmp_path / "main.tf").write_text("")
    assert run_action(tmp_path, paths="stacks/a  stacks/b *.tf")[2] == [
        "review",
        "stacks/a",
        "stacks/b",
        "*.tf",
    ]


@pytest.mark.parametrize(
    "fail_on, exit_code, step_fails",
    [
        ("findings", 0, False),
        ("findings", 1, True),
        ("findings", 2, True),
        ("error", 0, False),
        ("error", 1, False),
        ("error", 2, True),
        ("never", 1, False),
        ("never", 2, False),
    ],
)
def test_fail_on(tmp_path, fail_on, exit_code, step_fails):
    run, outputs, _ = run_action(tmp_path, exit_code=exit_code, fail_on=fail_on)
    assert (run.returncode != 0) == step_fails
    if step_fails:
        assert run.returncode == exit_code
    assert outputs["exit-code"] == str(exit_code)


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"format": "sarif"}, "format must be auto, review or github, not 'sarif'"),
        ({"fail_on": "warnings"}, "fail-on must be findings, error or never, not 'warnings'"),
    ],
)
def test_bad_inputs_are_workflow_errors(tmp_path, inputs, message):
    run, _, args = run_action(tmp_path, **inputs)
    assert run.returncode == 2 and args is None
    assert f"::error title=tffix::{message}" in run.stdout


def test_run_step_with_the_real_tffix_annotates_the_example(tmp_path):
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "tffix").exists():
        pytest.skip("console script not installed in this environment")
    shutil.copytree(REPO / "examples" / "flow-log", tmp_path / "flow-log")
    for fail_on, expected in (("findings", 1), ("error", 0)):
        run, outputs = run_step(
            tmp_path,
            "run",
            TFFIX_BIN=str(bin_dir),
            TFFIX_PATHS="flow-log",
            TFFIX_FORMAT="auto",
            TFFIX_FAIL_ON=fail_on,
            **(PULL_REQUEST | {"TFFIX_HEAD_REPOSITORY": "someone/fork"}),
        )
        assert run.returncode == expected, run.stderr
        assert outputs == {"format": "github", "exit-code": "1"}
        assert "::warning title=tffix (TFX002),file=flow-log/main.tf,line=11" in run.stdout


# --- the install step, with a stand-in python -------------------------------------------------


def fake_python(tmp_path: Path) -> Path:
    """`python -m venv DIR` makes DIR/bin/python, which records what pip was asked to install."""
    python = tmp_path / "python"
    python.write_text(f"""#!/bin/sh
mkdir -p "$3/bin"
printf '#!/bin/sh\\nprintf "%%s\\\\n" "$@" > "{tmp_path}/pip-args"\\n' > "$3/bin/python"
chmod +x "$3/bin/python"
""")
    python.chmod(0o755)
    return python


@pytest.mark.parametrize(
    "version, spec",
    [
        ("", "/actions/tffix/tffix/abc123[bot]"),
        ("0.2.0", "tffix[bot]==0.2.0"),
    ],
)
def test_install_takes_the_actions_own_checkout_or_a_release(tmp_path, version, spec):
    run, outputs = run_step(
        tmp_path, "install", TFFIX_PYTHON=str(fake_python(tmp_path)), TFFIX_VERSION=version
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "pip-args").read_text().splitlines() == [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        spec,
    ]
    assert outputs == {"bin": f"{tmp_path}/tffix-venv/bin"}


def test_install_refuses_a_version_that_is_not_a_release_number(tmp_path):
    run, outputs = run_step(
        tmp_path,
        "install",
        TFFIX_PYTHON=str(fake_python(tmp_path)),
        TFFIX_VERSION="0.2.0 --index-url=http://evil",
    )
    assert run.returncode == 2 and outputs == {}
    assert "::error title=tffix::version must be a release number" in run.stdout
    assert not (tmp_path / "pip-args").exists()
