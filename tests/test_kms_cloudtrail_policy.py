"""TFX003 helper logic: when a key policy already lets CloudTrail in, and the heredoc JSON scanner."""

from __future__ import annotations

import pytest

from tffix.api import fix_sources
from tffix.aws import policy
from tffix.transforms import kms_cloudtrail_policy as rule

TRAIL = """
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.k.arn
}
"""


def _key(policy: str) -> str:
    return f'resource "aws_kms_key" "k" {{\n  policy = {policy}\n}}\n' + TRAIL


def _findings(text: str):
    return [f for f in fix_sources({"main.tf": text}, select=["TFX003"]).findings]


@pytest.mark.parametrize(
    "statement, needs",
    [
        ({"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:*"}, set()),
        (
            {
                "Effect": "Allow",
                "Principal": {"Service": ["x.amazonaws.com", "cloudtrail.amazonaws.com"]},
                "Action": ["kms:GenerateDataKey*"],
            },
            {"describe"},
        ),
        (
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.${data.aws_partition.p.dns_suffix}"},
                "Action": ["kms:GenerateDataKey", "kms:Describe*"],
            },
            set(),
        ),
        ({"effect": "allow", "principal": "*", "action": "*"}, set()),
        (
            {"Effect": "Deny", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:*"},
            {"encrypt", "describe"},
        ),
        (
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "NotAction": "kms:Decrypt",
            },
            {"encrypt", "describe"},
        ),
        (
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"},
            {"encrypt", "describe"},
        ),
        (
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:Encrypt",
            },
            {"encrypt", "describe"},
        ),
    ],
)
def test_missing_recognises_any_spelling(statement, needs):
    names = {rule.ENCRYPT: "encrypt", rule.DESCRIBE: "describe"}
    assert {names[need] for need in rule.NEEDS if not rule.grants(statement, need)} == needs


def test_statement_array_offsets():
    raw = '{"Version": "1", "Id": {"Statement": []}, "Statement": [ {"a": [1]}, "x" ] }'
    open_at, last_end, close_at = policy._statement_array(raw)
    assert raw[open_at] == "[" and raw[close_at] == "]"
    assert raw[:last_end].endswith('"x"')
    assert raw[open_at : close_at + 1] == '[ {"a": [1]}, "x" ]'


def test_heredoc_not_json_is_reported_without_fix():
    text = _key('<<EOF\n{"Version": "2012-10-17", "Statement": ${jsonencode(local.statements)}}\nEOF')
    [finding] = _findings(text)
    assert finding.fix is None and "cannot tell" in finding.message


def test_heredoc_with_directive_is_reported_without_fix():
    text = _key('<<EOF\n{"Statement": [%{ for s in local.s }"${s}",%{ endfor }]}\nEOF')
    [finding] = _findings(text)
    assert finding.fix is None


def test_fixed_module_has_nothing_left_and_data_sources_are_reused():
    text = (
        _key('jsonencode({\n    Statement = [\n      { Effect = "Allow" },\n    ]\n  })')
        + 'data "aws_partition" "here" {}\n'
    )
    result = fix_sources({"main.tf": text}, select=["TFX003"])
    fixed = result.fixed["main.tf"]
    assert "data.aws_partition.here.partition" in fixed
    assert fixed.count('data "aws_partition"') == 1
    assert fixed.count('data "aws_caller_identity" "current" {}') == 1
    assert fix_sources({"main.tf": fixed}, select=["TFX003"]).findings == []


def test_trail_without_a_module_key_is_ignored():
    text = TRAIL.replace("aws_kms_key.k.arn", "var.key_arn")
    assert _findings(text) == []


def test_statements_from_elsewhere_are_not_second_guessed():
    text = _key("jsonencode({\n    Statement = [local.cloudtrail_statement]\n  })")
    [finding] = _findings(text)
    assert finding.fix is None and "not written in the policy" in finding.message
    document = (
        _key("data.aws_iam_policy_document.d.json")
        + """
data "aws_iam_policy_document" "d" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {
    actions   = ["kms:*"]
    resources = ["*"]
  }
}
"""
    )
    [finding] = _findings(document)
    assert finding.fix is None and "source_policy_documents" in finding.message


def test_key_closing_the_file_without_newline_takes_the_data_sources_after_it():
    text = TRAIL.lstrip() + '\nresource "aws_kms_key" "k" {}'
    result = fix_sources({"main.tf": text}, select=["TFX003"])
    assert result.problems == []
    fixed = result.fixed["main.tf"]
    assert fixed.endswith(
        '}\n\ndata "aws_caller_identity" "current" {}\n\ndata "aws_partition" "current" {}\n'
    )
    assert fix_sources({"main.tf": fixed}, select=["TFX003"]).findings == []
