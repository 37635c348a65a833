"""TFX007: who may write an ALB's access logs, by region, and what the rule leaves alone."""

from __future__ import annotations

import pytest

from tffix.api import fix_sources

LB = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "b" {
  bucket = "logs"
}

resource "aws_lb" "l" {
  name    = "l"
  subnets = ["subnet-1", "subnet-2"]

  access_logs {
    bucket  = aws_s3_bucket.b.id
    prefix  = "web"
    enabled = true
  }
}
"""


def _with_statement(
    principal: str,
    resource: str = '"${aws_s3_bucket.b.arn}/web/AWSLogs/111122223333/*"',
    action: str = '"s3:PutObject"',
    text: str = LB,
) -> str:
    return (
        text
        + f"""
data "aws_elb_service_account" "main" {{}}

resource "aws_s3_bucket_policy" "b" {{
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({{
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {principal}
        Action    = {action}
        Resource  = {resource}
      }},
    ]
  }})
}}
"""
    )


def _findings(text: str):
    return fix_sources({"main.tf": text}, select=["TFX007"]).findings


@pytest.mark.parametrize(
    "principal, granted",
    [
        ('{ AWS = "arn:aws:iam::156460612806:root" }', True),
        ('{ AWS = "156460612806" }', True),
        ("{ AWS = data.aws_elb_service_account.main.arn }", True),
        ('{ Service = "logdelivery.elasticloadbalancing.amazonaws.com" }', True),
        ('"*"', True),
        ('{ AWS = "arn:aws:iam::127311923021:root" }', False),  # the us-east-1 account
        ('{ Service = "delivery.logs.amazonaws.com" }', False),  # Network Load Balancers' log delivery
        ('{ AWS = "arn:aws:iam::111122223333:root" }', False),
    ],
)
def test_the_principal_must_be_elastic_load_balancing_for_the_region(principal, granted):
    assert (_findings(_with_statement(principal)) == []) is granted


@pytest.mark.parametrize(
    "resource, action, granted",
    [
        ('"arn:aws:s3:::logs/*"', '"s3:*"', True),
        ('"arn:aws:s3:::logs/web/AWSLogs/*"', '["s3:PutObject"]', True),
        ('"arn:aws:s3:::logs/AWSLogs/111122223333/*"', '"s3:PutObject"', False),  # no prefix
        ('"arn:aws:s3:::logs/web/AWSLogs/111122223333/*"', '"s3:GetObject"', False),
    ],
)
def test_the_statement_must_cover_the_log_path(resource, action, granted):
    text = _with_statement('{ AWS = "156460612806" }', resource=resource, action=action)
    assert (_findings(text) == []) is granted


def test_region_of_the_load_balancer_or_its_provider():
    own = LB.replace('name    = "l"', 'name    = "l"\n  region  = "eu-south-2"')
    [finding] = _findings(own)
    assert finding.fix is None and "its own region" in finding.message
    aliased = (
        LB.replace('name    = "l"', 'name     = "l"\n  provider = aws.west')
        + 'provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n'
    )
    [finding] = _findings(aliased)
    assert finding.fix is None and "aliased provider" in finding.message
    # the principal is checked for the region the load balancer runs in
    assert _findings(_with_statement('{ AWS = "797873946194" }', text=aliased)) == []
    unknown = LB.replace('region = "eu-west-1"', "region = var.region") + 'variable "region" {}\n'
    [finding] = _findings(unknown)
    assert finding.fix is None and "not known statically" in finding.message


def test_any_elb_account_counts_when_the_region_is_unknown():
    unknown = LB.replace('region = "eu-west-1"', "region = var.region") + 'variable "region" {}\n'
    assert _findings(_with_statement('{ AWS = "arn:aws:iam::127311923021:root" }', text=unknown)) == []


@pytest.mark.parametrize(
    "replace",
    [
        ("enabled = true", "enabled = false"),
        ("enabled = true", "enabled = var.on"),
        ("enabled = true", ""),
        ('name    = "l"', 'name    = "l"\n  count   = 1'),
        ('name    = "l"', 'name               = "l"\n  load_balancer_type = "gateway"'),
        ('prefix  = "web"', "prefix  = var.prefix"),
        ("bucket  = aws_s3_bucket.b.id", 'bucket  = "somewhere-else"'),
    ],
)
def test_what_is_left_alone(replace):
    text = (
        LB.replace(*replace) + 'variable "on" {\n  type = bool\n}\nvariable "prefix" {\n  type = string\n}\n'
    )
    assert _findings(text) == []


def test_enabled_through_a_local_counts():
    text = LB.replace("enabled = true", "enabled = local.logging") + "locals {\n  logging = true\n}\n"
    [finding] = _findings(text)
    assert finding.fix is not None


def test_the_fix_converges_for_a_prefix_written_as_a_variable():
    text = (
        LB.replace('prefix  = "web"', "prefix  = var.prefix")
        + 'variable "prefix" {\n  type    = string\n  default = "web/"\n}\n'
    )
    result = fix_sources({"main.tf": text}, select=["TFX007"])
    assert not result.problems
    fixed = result.fixed["main.tf"]
    assert "${aws_s3_bucket.b.arn}/${var.prefix}AWSLogs/" in fixed
    assert "${aws_s3_bucket.b.arn}/${var.prefix}/AWSLogs/" in fixed
    assert fix_sources({"main.tf": fixed}, select=["TFX007"]).findings == []


def test_a_policy_the_bucket_holds_itself_names_it_by_its_name_not_by_a_reference():
    """As for TFX006: a reference to the bucket's ARN in its own policy would refer to itself."""
    text = LB.replace(
        '  bucket = "logs"\n', '  bucket = "logs"\n  policy = jsonencode({\n    Statement = []\n  })\n'
    )
    result = fix_sources({"main.tf": text}, select=["TFX007"])
    assert not result.problems
    fixed = result.fixed["main.tf"]
    assert "arn:${data.aws_partition.current.partition}:s3:::logs/web/AWSLogs/" in fixed
    assert "aws_s3_bucket.b.arn" not in fixed
    assert fix_sources({"main.tf": fixed}, select=["TFX007"]).findings == []
