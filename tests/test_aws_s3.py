"""The aws layer the log-delivery rules share: buckets, bucket policies, statement matching, ELB principals."""

from __future__ import annotations

import pytest

from tffix.aws import elb, policy, s3
from tffix.aws.account import AccountData
from tffix.aws.policy import Condition
from tffix.edits import apply_edits
from tffix.engine import parse_file
from tffix.semantic.module import Module


def _module(text: str, **files: str):
    files = {"main.tf": text, **files}
    return Module([parse_file(path, body) for path, body in files.items()])


def _apply(module, edits) -> dict[str, str]:
    texts = {file.path: file.text for file in module.files}
    by_path: dict = {}
    for edit in edits:
        by_path.setdefault(edit.span.path, []).append(edit)
    return {path: apply_edits(texts[path], found) for path, found in by_path.items()}


BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "logs"\n}\n'


@pytest.mark.parametrize(
    "expression, named",
    [
        ("aws_s3_bucket.b.id", True),
        ("aws_s3_bucket.b.bucket", True),
        ("local.name", True),
        ('"logs"', True),
        ("aws_s3_bucket_public_access_block.b.bucket", True),
        ("aws_s3_bucket.b.arn", False),
        ('"other"', False),
        ("var.bucket", False),
    ],
)
def test_the_bucket_an_argument_names(expression, named):
    text = (
        BUCKET
        + f"""
locals {{
  name = aws_s3_bucket.b.id
}}

resource "aws_s3_bucket_public_access_block" "b" {{
  bucket = aws_s3_bucket.b.id
}}

resource "x" "y" {{
  bucket = {expression}
}}
"""
    )
    model = _module(text).model
    value = model.resource("x", "y").attribute("bucket").value
    found = s3.bucket_named(model, value)
    assert (found is model.resource("aws_s3_bucket", "b")) is named


def test_policy_of_finds_the_bucket_policy_in_any_file_or_the_inline_one():
    model = _module(
        BUCKET,
        **{
            "p.tf": 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n'
            "  policy = jsonencode({ Statement = [] })\n}\n"
        },
    ).model
    holder, document = s3.policy_of(model, model.resource("aws_s3_bucket", "b"))
    assert holder.address == "aws_s3_bucket_policy.p" and document.statements == []
    inline = BUCKET.replace('"logs"\n', '"logs"\n  policy = jsonencode({ Statement = [] })\n')
    model = _module(inline).model
    holder, _ = s3.policy_of(model, model.resource("aws_s3_bucket", "b"))
    assert holder.address == "aws_s3_bucket.b"
    model = _module(BUCKET).model
    assert s3.policy_of(model, model.resource("aws_s3_bucket", "b")) == (None, None)


@pytest.mark.parametrize(
    "policies, reason",
    [
        (
            'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = "{}"\n}\n'
            'resource "aws_s3_bucket_policy" "q" {\n  bucket = "logs"\n  policy = "{}"\n}\n',
            "both set it",
        ),
        ('resource "aws_s3_bucket_policy" "p" {\n  bucket = var.bucket\n  policy = "{}"\n}\n', "may be it"),
    ],
)
def test_a_policy_set_twice_or_maybe_elsewhere_is_unreadable(policies, reason):
    model = _module(BUCKET + policies).model
    with pytest.raises(policy.Unreadable, match=reason):
        s3.policy_of(model, model.resource("aws_s3_bucket", "b"))


def test_a_policy_of_another_bucket_is_not_this_ones():
    text = BUCKET + 'resource "aws_s3_bucket_policy" "p" {\n  bucket = "elsewhere"\n  policy = "{}"\n}\n'
    model = _module(text).model
    assert s3.policy_of(model, model.resource("aws_s3_bucket", "b")) == (None, None)


def _reader(text: str):
    model = _module(text).model
    holder = model.resource("aws_s3_bucket_policy", "p")
    return s3.Reader(model, [holder]), policy.read(model, holder)


POLICY = """
variable "prefix" {
  default = "logs"
}

data "aws_caller_identity" "me" {}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [
      { Resource = "${aws_s3_bucket.b.arn}/${var.prefix}/AWSLogs/${data.aws_caller_identity.me.account_id}/*" },
      { Resource = aws_s3_bucket.b.arn },
      { Resource = "arn:aws-us-gov:s3:::logs/AWSLogs/123456789012/*" },
      { Resource = "${var.unknown}/*" },
      { Resource = "arn:aws:s3:::*" },
    ]
  })
}
"""


def test_reader_spells_resources_as_globs():
    reader, document = _reader(BUCKET + POLICY)
    globs = [reader.pattern(s["Resource"]) for s in document.statements]
    assert globs == [
        f"{s3.BUCKET_ARN}/logs/AWSLogs/{s3.ACCOUNT}/*",
        s3.BUCKET_ARN,
        f"{s3.BUCKET_ARN}/AWSLogs/{s3.ACCOUNT}/*",
        "*/*",
        "arn:aws:s3:::*",
    ]
    logs = [s3.object_arn(key) for key in s3.log_keys("logs")]
    assert [reader.covers(s, logs) for s in document.statements] == [True, False, False, True, True]
    assert [reader.covers(s, [s3.BUCKET_ARN]) for s in document.statements] == [
        False,
        True,
        False,
        False,
        True,
    ]


def test_log_keys_with_and_without_a_prefix():
    any_, account = s3.ANY, s3.ACCOUNT
    assert s3.log_keys("") == [f"AWSLogs/{account}/{any_}"]
    assert s3.log_keys("a/b") == [f"a/b/AWSLogs/{account}/{any_}"]
    assert s3.log_keys("a/") == [f"a/AWSLogs/{account}/{any_}", f"a//AWSLogs/{account}/{any_}"]


@pytest.mark.parametrize(
    "condition, holds",
    [
        (None, True),
        ({"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:1:trail/t"}}, True),
        ({"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:1:trail/other"}}, False),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:1:trail/*"}}, True),
        ({"ForAnyValue:StringLike": {"aws:SourceArn": ["x", "*/t"]}}, True),
        ({"StringEqualsIgnoreCase": {"s3:x-amz-acl": "Bucket-Owner-Full-Control"}}, True),
        ({"StringEqualsIfExists": {"s3:x-amz-acl": "private"}}, False),
        ({"StringNotEquals": {"aws:SourceArn": "anything"}}, True),  # not evaluated: taken to hold
        ({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}, True),  # a key the request does not give
        ({"Bool": {"aws:SecureTransport": "false"}}, False),
    ],
)
def test_conditions_hold(condition, holds):
    statement = {"Effect": "Allow"} if condition is None else {"Effect": "Allow", "Condition": condition}
    context = {
        "aws:sourcearn": "arn:aws:cloudtrail:us-east-1:1:trail/t",
        "s3:x-amz-acl": "bucket-owner-full-control",
        "aws:securetransport": "true",
    }
    assert policy.conditions_hold(statement, context) is holds


def test_a_bare_reference_reads_as_the_template_holding_it():
    model = _module('x = 1\nresource "r" "n" {\n  a = aws_s3_bucket.b.arn\n  c = "${var.v}/*"\n}\n').model
    resource = model.resource("r", "n")
    assert policy.loose(model, resource.attribute("a").value) == "${aws_s3_bucket.b.arn}"
    assert policy.loose(model, resource.attribute("c").value) == "${var.v}/*"


DOCUMENTS = """
data "aws_iam_policy_document" "base" {
  statement {
    sid     = "Base"
    actions = ["s3:GetBucketAcl"]

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = ["a"]
    }
  }
}

data "aws_iam_policy_document" "main" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {
    actions = ["s3:PutObject"]
  }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.main.json
}
"""


def test_policy_documents_give_sid_conditions_and_where_each_statement_is_written():
    model = _module(BUCKET + DOCUMENTS).model
    document = policy.read(model, model.resource("aws_s3_bucket_policy", "p"))
    assert [s.get("Sid") for s in document.statements] == [None, "Base"]
    assert document.statements[1]["Condition"] == {"StringEquals": {"aws:SourceArn": ["a"]}}
    assert [origin.name for origin, _ in document.origins] == ["main", "base"]
    assert policy.condition_keys(document.statements[1]) == {"aws:sourcearn"}


def test_add_condition_goes_where_the_statement_is_written():
    module = _module(BUCKET + DOCUMENTS)
    model = module.model
    document = policy.read(model, model.resource("aws_s3_bucket_policy", "p"))
    fixed = _apply(module, document.add_condition(1, Condition("StringEquals", "s3:x-amz-acl", ("x",))))
    assert (
        'values   = ["a"]\n    }\n\n    condition {\n      test     = "StringEquals"\n'
        '      variable = "s3:x-amz-acl"\n      values   = ["x"]\n    }\n  }\n}\n\ndata "aws_iam_policy_document" "main"'
        in fixed["main.tf"]
    )


@pytest.mark.parametrize(
    "statement, expected",
    [
        (
            '{"Sid": "A", "Action": "x"}',
            '{"Sid": "A", "Action": "x", "Condition": {"StringEquals": {"aws:SourceArn": "t"}}}',
        ),
        (
            '{"Sid": "A", "Condition": {"Bool": {"k": "v"}}}',
            '{"Sid": "A", "Condition": {"Bool": {"k": "v"}, "StringEquals": {"aws:SourceArn": "t"}}}',
        ),
        (
            '{\n      "Sid": "A",\n      "Condition": {\n        "StringEquals": {\n          "a": "b"\n        }\n      }\n    }',
            '{\n      "Sid": "A",\n      "Condition": {\n        "StringEquals": {\n          "a": "b",\n'
            '          "aws:SourceArn": "t"\n        }\n      }\n    }',
        ),
    ],
)
def test_add_condition_to_heredoc_json(statement, expected):
    text = BUCKET + (
        'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = <<EOF\n'
        '{\n  "Statement": [\n    ' + statement + "\n  ]\n}\nEOF\n}\n"
    )
    module = _module(text)
    document = policy.read(module.model, module.model.resource("aws_s3_bucket_policy", "p"))
    fixed = _apply(module, document.add_condition(0, Condition("StringEquals", "aws:SourceArn", ("t",))))
    assert "    " + expected + "\n  ]" in fixed["main.tf"]


def test_account_data_reuses_only_data_sources_without_arguments():
    text = (
        'data "aws_region" "east" {\n  region = "us-east-1"\n}\n\ndata "aws_region" "current" {\n'
        '  provider = aws.west\n}\n\ndata "aws_partition" "p" {}\n'
    )
    account = AccountData.of(_module(text).model)
    assert account.names["aws_partition"] == "p"
    assert account.names["aws_region"] == "current_2"
    assert "aws_region" in account.missing and "aws_partition" not in account.missing
    assert account.region.text == "data.aws_region.current_2.name"


def test_account_arn_takes_parts():
    account = AccountData.of(_module("").model)
    arn = account.arn("cloudtrail", ("trail/", account.region), region="*")
    assert arn.text == (
        '"arn:${data.aws_partition.current.partition}:cloudtrail:*:'
        '${data.aws_caller_identity.current.account_id}:trail/${data.aws_region.current.name}"'
    )


@pytest.mark.parametrize(
    "region, principal",
    [
        ("us-east-1", ("AWS", "127311923021")),
        ("eu-west-1", ("AWS", "156460612806")),
        ("us-gov-west-1", ("AWS", "048591011584")),
        ("cn-north-1", ("AWS", "638102146993")),
        ("eu-south-2", ("Service", elb.LOG_DELIVERY_SERVICE)),
        ("il-central-1", ("Service", elb.LOG_DELIVERY_SERVICE)),
        ("us-isob-east-1", None),
        ("${var.region}", None),
    ],
)
def test_elb_principal_by_region(region, principal):
    assert elb.principal(region) == principal


def test_a_resource_tffix_cannot_read_may_be_anything():
    text = (
        BUCKET
        + """
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [
      { Resource = format("%s/*", aws_s3_bucket.b.arn) },
      { Resource = [format("%s/*", aws_s3_bucket.b.arn)] },
      { NotResource = "x" },
    ]
  })
}
"""
    )
    reader, document = _reader(text)
    assert [reader.covers(s, [s3.BUCKET_ARN]) for s in document.statements] == [True, True, False]
