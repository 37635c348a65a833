"""Every command the README shows runs (issue 9).

The two commands at the top make a fresh virtual environment; that is too slow for the
suite, so the first one's tffix command runs with this interpreter, and the second one's
install and test commands must be those `.ci/run` runs (CI is that fresh environment).
Every other ```sh block is run line by line with bash, `tffix` being this interpreter's,
in a scratch copy of `examples/` inside a git work tree (a command may pipe into `git apply`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
BLOCKS = re.findall(r"^```sh\n(.*?)^```", README, flags=re.S | re.M)
SETUP, TESTS = BLOCKS[0].strip(), BLOCKS[1].strip()
COMMANDS = [line.strip() for block in BLOCKS[2:] for line in block.splitlines() if line.strip()]


def test_the_readme_shows_commands():
    assert SETUP.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . && ")
    assert TESTS.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e ")
    assert len(COMMANDS) >= 5 and all(command.startswith("tffix ") for command in COMMANDS)


def test_the_test_command_is_what_ci_runs():
    ci = (REPO / ".ci" / "run").read_text()
    install = re.search(r"pip install -e (\S+)", TESTS).group(1).strip("'\"")
    assert re.search(rf"pip install (-q )?-e [\"']{re.escape(install)}[\"']", ci), install
    assert TESTS.endswith("&& python -m pytest -q") and "\npython -m pytest -q\n" in ci


@pytest.fixture
def scratch(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shim = tmp_path / "bin" / "tffix"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tffix "$@"\n')
    shim.chmod(0o755)
    return tmp_path


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{cwd / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_the_install_command_then_tffix(scratch):
    command = SETUP.rsplit(" && ", 1)[1]
    assert command.startswith("tffix ")
    result = run(command, scratch)
    assert result.returncode == 1, result.stderr  # the example has a finding to fix
    assert result.stdout.startswith("--- a/examples/flow-log/main.tf\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_readme_command_runs(scratch, command):
    result = run(command, scratch)
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output
    assert "Traceback" not in output and "error:" not in output, output
