"""Hygiene: the linter, the formatter and the type checker pass on the whole repository.

Configured in ``pyproject.toml`` (``[tool.ruff]``, ``[tool.mypy]``); the README's test command runs
them, so CI does too. To fix what they report: ``ruff check --fix . && ruff format .``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_check_passes():
    result = _run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is():
    result = _run(sys.executable, "-m", "ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes(tmp_path):
    # Strict on tffix.syntax and tffix.semantic, check_untyped_defs elsewhere ([tool.mypy]); a fresh
    # cache so that the result does not depend on an earlier run's.
    result = _run(sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache"))
    assert result.returncode == 0, result.stdout + result.stderr
