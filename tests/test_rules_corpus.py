"""Every rule on every module of a real-world corpus: no internal error, and every fix keeps the promises.

Runs when ``TFFIX_CORPUS`` names a directory (see ``tests/test_roundtrip_corpus.py``):
one test per top-level directory.  Each directory holding ``.tf`` files is analysed as
a module, with its lock file and local child modules, with all rules and unsafe fixes; the test fails on any internal error (a rule
that raised, a fix that broke parsing or did not converge) and checks that fixed
modules parse and that a second run proposes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_roundtrip_corpus import CORPUS, ROOT_FILES, SKIP_DIRS, _groups

from tffix.api import fix_sources
from tffix.runner import read_lock_and_local_modules


def _modules(group: str):
    root = Path(CORPUS) if group == ROOT_FILES else Path(CORPUS, group)
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        files = {}
        for name in sorted(names):
            if name.endswith((".tf", ".tf.json")):
                try:
                    files[str(Path(top, name))] = Path(top, name).read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    continue
        if files:
            yield top, files
        if group == ROOT_FILES:
            return


@pytest.mark.parametrize(
    "group",
    _groups()
    or [
        pytest.param(
            None,
            marks=pytest.mark.skip(
                reason="TFFIX_CORPUS is not set or names no directory with subdirectories"
            ),
        )
    ],
)
def test_rules_on_the_corpus(group):
    failures = []
    for directory, files in _modules(group):
        lock, context = read_lock_and_local_modules(Path(directory), files)
        result = fix_sources({**files, **lock}, unsafe=True, context=context)
        failures += [str(p) for p in result.problems if p.internal]
        if not result.fixed:
            continue
        output = {**files, **result.fixed, **lock}
        again = fix_sources(output, unsafe=True, context=context)
        if again.fixed or again.problems:
            failures.append(
                f"{directory}: a second run changes {sorted(again.fixed)} "
                f"({[str(p) for p in again.problems]})"
            )
    assert not failures, "\n".join(failures)
