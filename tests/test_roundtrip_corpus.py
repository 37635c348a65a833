"""Every real-world file prints back byte for byte, or is refused with `ParseError`.

Runs when ``TFFIX_CORPUS`` names a directory (e.g. ``/work/corpus``): one test per
top-level directory under it, so one repository's failures do not hide another's.
A test reports every failing path at once, because a parser bug usually shows up
in many files and the first one alone rarely tells which construct is at fault.
Files refused with `ParseError` pass (the corpus holds deliberately invalid
fixtures) but are always printed, since a refused valid file is a bug too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tffix.syntax import ParseError, parse_module

CORPUS = os.environ.get("TFFIX_CORPUS")
SUFFIXES = (".tf", ".tfvars", ".hcl")
SKIP_DIRS = {".terraform", ".git"}
ROOT_FILES = "(files at the top level)"


def _groups() -> list[str]:
    """Only the top level is listed here: collection must stay fast on a 10,000-file corpus."""
    if not CORPUS or not os.path.isdir(CORPUS):
        return []
    groups, loose = [], False
    with os.scandir(CORPUS) as entries:
        for entry in entries:
            if entry.is_dir() and entry.name not in SKIP_DIRS:
                groups.append(entry.name)
            elif entry.is_file() and entry.name.endswith(SUFFIXES):
                loose = True
    return sorted(groups) + ([ROOT_FILES] if loose else [])


def _files(group: str) -> list[Path]:
    if group == ROOT_FILES:
        return sorted(p for p in Path(CORPUS).iterdir() if p.is_file() and p.name.endswith(SUFFIXES))
    found = []
    for top, dirs, names in os.walk(Path(CORPUS, group)):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        found.extend(Path(top, n) for n in sorted(names) if n.endswith(SUFFIXES))
    return found


def _first_difference(text: str, code: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(text, code)) if a != b), min(len(text), len(code)))
    line = text.count("\n", 0, at) + 1
    return (
        f"line {line}, offset {at}: expected {text[max(0, at - 20) : at + 20]!r}, "
        f"got {code[max(0, at - 20) : at + 20]!r} (lengths {len(text)} vs {len(code)})"
    )


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
def test_corpus_round_trip(group, capsys):
    files = _files(group)
    failures, refused, undecodable = [], [], []
    for path in files:
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError:
            undecodable.append(str(path))
            continue
        try:
            code = parse_module(text).code
        except ParseError as error:
            refused.append(f"{path}:{error}")
            continue
        except Exception as error:  # any other exception is a parser bug, reported with the rest
            failures.append(f"{path}: {type(error).__name__}: {error}")
            continue
        if code != text:
            failures.append(f"{path}: round trip differs at {_first_difference(text, code)}")
    if refused or undecodable:
        with capsys.disabled():
            print(f"\n{group}: {len(refused)} of {len(files)} files refused with ParseError")
            for line in refused:
                print(f"  ParseError {line}")
            for line in undecodable:
                print(f"  not UTF-8 (not parsed) {line}")
    assert files, f"no {'/'.join(SUFFIXES)} file under {group}"
    assert not failures, f"{len(failures)} of {len(files)} files fail:\n" + "\n".join(failures)
