"""TFX006 cloudtrail-bucket-policy: let CloudTrail deliver log files to its bucket.

CreateTrail checks the bucket policy first and fails with
"InsufficientS3BucketPolicyException: Incorrect S3 bucket policy is detected for
bucket: ..." unless it lets the ``cloudtrail.amazonaws.com`` service call
``s3:GetBucketAcl`` on the bucket and ``s3:PutObject`` on
``<bucket arn>/[<s3_key_prefix>/]AWSLogs/<account id>/*`` with
``s3:x-amz-acl = bucket-owner-full-control``.  These are AWS's statements
(AWSCloudTrailAclCheck20150319, AWSCloudTrailWrite20150319) in "Amazon S3
bucket policy for CloudTrail" (docs.aws.amazon.com/awscloudtrail/latest/
userguide/create-s3-bucket-policy-for-cloudtrail.html; archived at
github.com/awsdocs/aws-cloudtrail-user-guide, doc_source/
create-s3-bucket-policy-for-cloudtrail.md), each with the ``aws:SourceArn``
condition AWS gives there as a security best practice: "The value of
aws:SourceArn is always the ARN of the trail (or array of trail ARNs) that is
using the bucket", ``arn:aws:cloudtrail:region:myAccountID:trail/trailName``.
The log files are named ``bucket_name/prefix_name/AWSLogs/Account ID/CloudTrail/...``
("Finding your CloudTrail log files"): a ``/`` follows the prefix.  What
CloudTrail does with a prefix that already ends in ``/`` is not documented, so
for ``s3_key_prefix = "logs/"`` a statement covering ``logs/AWSLogs/...`` or
``logs//AWSLogs/...`` counts, and the fix covers both.

The trail is any ``aws_cloudtrail`` whose ``s3_bucket_name`` names an
``aws_s3_bucket`` of the module (``.id``, ``.bucket``, a local holding one, or
the bucket's literal name); the policy is its ``aws_s3_bucket_policy`` (in any
file) or the bucket's own ``policy``, in any form `tffix.aws.policy` reads:
``jsonencode``, heredoc JSON, ``aws_iam_policy_document`` with its source
documents.  A statement already there counts by effect, principal (the service,
or ``*``), action (wildcards too), the resource it covers and its conditions
(one for another trail's ``aws:SourceArn`` does not count), never by Sid.

The fix adds what is missing in the policy's own form, or writes an
``aws_s3_bucket_policy`` after the bucket when it has none.  The trail ARN is
built from ``data.aws_partition``, ``data.aws_region``, ``data.aws_caller_identity``
(reused under any name, added when missing) and the trail's ``name`` — never
from ``aws_cloudtrail.x.arn``: TFX004 orders the trail after its bucket policy,
so that reference would make a cycle.  Trails sharing a bucket get one
statement set whose ``aws:SourceArn`` lists each of them.

Statements that let CloudTrail in for any trail (no ``aws:SourceArn``) are a
second finding; adding the condition is an unsafe fix, since a trail of another
module or account writing to the bucket would lose access.  Only statements
whose principal is the CloudTrail service alone are reported: the condition
would cut off any other service a statement names.

Leaves alone: policies it cannot read (reported without a fix); trails and
buckets with ``count``/``for_each``; a trail on an aliased provider (reported
without a fix: the data sources tffix writes describe the default provider);
the ``AWSLogs/<organization id>/*`` statement an organization trail also needs.
No peer check tests these grants (checkov has none on the trail's bucket); trivy
and KICS check that the same bucket is not public (AVD-AWS-0161,
bd0088a5-c133-4b20-b129-ec9968b16ef3), which the statements written here (a
service principal, scoped by ``aws:SourceArn``) keep true.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tffix.aws import policy, s3
from tffix.aws.account import AccountData
from tffix.aws.policy import Condition, Statement
from tffix.rules import Rule, finding
from tffix.syntax.errors import EditError

if TYPE_CHECKING:
    from tffix.semantic.symbols import Declaration
    from tffix.syntax import nodes as n

SERVICE = "cloudtrail.amazonaws.com"
SERVICE_PRINCIPAL = re.compile(r"cloudtrail\.(amazonaws\.com|\$\{[^}]*\})")
SOURCE_ARN = "aws:SourceArn"
ACL = "bucket-owner-full-control"


@dataclass(frozen=True, slots=True)
class Need:
    sid: str
    action: str
    what: str


ACL_CHECK = Need("AWSCloudTrailAclCheck", "s3:GetBucketAcl", "check the bucket ACL (s3:GetBucketAcl)")
WRITE = Need("AWSCloudTrailWrite", "s3:PutObject", "write log files (s3:PutObject on {path})")


@dataclass
class Trail:
    declaration: Declaration
    attribute: n.Attribute  # its s3_bucket_name
    key_prefix: str | None  # the static s3_key_prefix ("" when none), None when unknown
    arn_sample: str  # its ARN as `tffix.aws.s3.Reader` spells it
    missing: list
    unguarded: list  # indexes of statements that let CloudTrail in for it without aws:SourceArn

    @property
    def path(self) -> str:
        return s3.log_path(self.key_prefix)


def check(module):
    model = module.model
    home: dict = {}
    buckets: dict = {}
    for trail in model.resources("aws_cloudtrail"):
        attr = trail.attribute("s3_bucket_name")
        if attr is None or trail.block is None or s3.iterated(trail):
            continue
        bucket = s3.bucket_named(model, attr.value)
        if bucket is None or s3.iterated(bucket):
            continue
        buckets.setdefault(id(bucket), (bucket, []))[1].append((trail, attr))
    for bucket, trails in buckets.values():
        yield from _check_bucket(model, bucket, trails, home)


def _check_bucket(model, bucket, pairs, home):
    try:
        holder, document = s3.policy_of(model, bucket)
    except policy.Unreadable as unreadable:
        for trail, attr in pairs:
            yield finding(
                trail.file,
                attr,
                f"cannot tell whether the policy of {bucket.address} lets CloudTrail "
                f"deliver ({unreadable}): it must allow {SERVICE} s3:GetBucketAcl on the bucket and "
                "s3:PutObject on its AWSLogs/<account id>/* path",
            )
        return
    trails = [
        Trail(trail, attr, _prefix(model, trail), _arn_sample(model, trail), [], []) for trail, attr in pairs
    ]
    statements = document.statements if document is not None else []
    declarations = [holder] + [origin for origin, _ in getattr(document, "origins", ())]
    samples = {id(t.declaration): t.arn_sample for t in trails}
    reader = s3.Reader(model, declarations, lambda reference: _trail_symbol(model, reference, samples))
    for trail in trails:
        _assess(reader, statements, trail)
    account = AccountData.of(model, home)
    missing = [t for t in trails if t.missing]
    owner = document.file if document is not None else bucket.file
    for trail in missing:
        whats = " or ".join(need.what.format(path=trail.path) for need in trail.missing)
        if document is None:
            message = f"{bucket.address} has no bucket policy, so CloudTrail cannot {whats}: add an aws_s3_bucket_policy"
        else:
            message = f"the policy of {bucket.address} does not let CloudTrail {whats}: add the statement" + (
                "s" if len(trail.missing) > 1 else ""
            )
        yield finding(
            trail.declaration.file,
            trail.attribute,
            message,
            fix=lambda: _fix(
                model, bucket, document, statements, missing, account, owner, declarations if document else []
            ),
        )
    for trail in trails:
        for index in trail.unguarded:
            served = [t for t in trails if index in t.unguarded]
            if served[0] is not trail:
                continue
            statement = statements[index]
            sid = policy.field(statement, "sid")
            name = f"statement {sid!r}" if isinstance(sid, str) else f"statement {index + 1}"
            yield finding(
                trail.declaration.file,
                trail.attribute,
                f"{name} of the policy of {bucket.address} lets CloudTrail in for any trail: "
                f"add the {SOURCE_ARN} condition AWS recommends (unsafe: a trail this module does not "
                "declare would lose access)",
                fix=functools.partial(_guard, document, index, served, account, owner),
                unsafe=True,
            )


def _assess(reader, statements, trail: Trail) -> None:
    """Which needs no statement meets for this trail, and which statements meet them unguarded."""
    context = {
        "aws:sourcearn": trail.arn_sample,
        "aws:sourceaccount": s3.ACCOUNT,
        "aws:securetransport": "true",
    }
    write_context = {**context, "s3:x-amz-acl": ACL}
    checks = [(ACL_CHECK, [s3.BUCKET_ARN], context)]
    if trail.key_prefix is not None:
        checks.append((WRITE, [s3.object_arn(key) for key in s3.log_keys(trail.key_prefix)], write_context))
    for need, samples, request in checks:
        granting = [
            index
            for index, statement in enumerate(statements)
            if policy.allows(statement, need.action, SERVICE_PRINCIPAL)
            and reader.covers(statement, samples)
            and policy.conditions_hold(statement, request, reader.pattern)
        ]
        if not granting:
            trail.missing.append(need)
            continue
        for index in granting:
            statement = statements[index]
            if (
                SOURCE_ARN.lower() not in policy.condition_keys(statement)
                and _cloudtrail_only(statement)
                and index not in trail.unguarded
            ):
                trail.unguarded.append(index)


def _cloudtrail_only(statement) -> bool:
    """The statement's principal is the CloudTrail service and nothing else."""
    services = policy.principal_identifiers(statement, "Service")
    if not services:
        return False
    principal = policy.field(statement, "principal")
    return (
        isinstance(principal, dict)
        and len(principal) == 1
        and all(isinstance(s, str) and SERVICE_PRINCIPAL.fullmatch(s) for s in services)
    )


def _prefix(model, trail) -> str | None:
    attr = trail.attribute("s3_key_prefix")
    if attr is None:
        return ""
    value = model.value(attr.value)
    if value is None:
        return ""
    return value if isinstance(value, str) else None


def _arn_sample(model, trail) -> str:
    """The trail's ARN as a sample the Reader's globs are matched against: what is not known of its
    name (``${var.env}-trail``) is a placeholder, which a glob from the same text (``*-trail``) matches."""
    attr = trail.attribute("name")
    pieces = model.shape(attr.value) if attr is not None else ()
    name = "".join(piece if isinstance(piece, str) else f"\x01{trail.address}\x01" for piece in pieces)
    return f"arn:aws:cloudtrail:{s3.REGION}:{s3.ACCOUNT}:trail/{name}"


def _trail_symbol(model, reference, samples: dict) -> str | None:
    """``aws_cloudtrail.t.arn`` and ``.name``/``.id`` of a trail of this bucket, as the Reader spells them."""
    declaration = reference.declaration
    if declaration is None or declaration.type != "aws_cloudtrail" or declaration.kind != "resource":
        return None
    sample = samples.get(id(declaration), _arn_sample(model, declaration))
    if reference.attribute == "arn":
        return sample
    if reference.attribute in ("name", "id"):
        return sample.rsplit("trail/", 1)[1]
    return None


# --- the fixes -----------------------------------------------------------------------------


def _fix(
    model, bucket, document, statements, trails: list[Trail], account: AccountData, owner, holders: list
):
    """``holders``: the declarations the policy is written in (none for a new aws_s3_bucket_policy)."""
    for trail in trails:
        _check_provider(trail.declaration)
    bucket_arn = s3.arn_parts(model, bucket, holders, account)
    new = []
    acl = [t for t in trails if ACL_CHECK in t.missing]
    if acl:
        new.append(
            Statement(
                s3.unique_sid(statements, ACL_CHECK.sid),
                (ACL_CHECK.action,),
                (("Service", (SERVICE,)),),
                (s3.arn(bucket_arn),),
                (_source_arns(acl, account),),
            )
        )
    write = [t for t in trails if WRITE in t.missing]
    if write:
        resources = []
        for trail in write:
            for resource in _write_resources(bucket_arn, trail, account):
                if resource not in resources:
                    resources.append(resource)
        new.append(
            Statement(
                s3.unique_sid(statements, WRITE.sid),
                (WRITE.action,),
                (("Service", (SERVICE,)),),
                tuple(resources),
                (Condition("StringEquals", "s3:x-amz-acl", (ACL,)), _source_arns(write, account)),
            )
        )
    if document is None:
        return account.with_blocks(owner, s3.new_policy(model, bucket, new))
    return account.with_blocks(owner, document.add(new, account))


def _guard(document, index: int, trails: list[Trail], account: AccountData, owner):
    for trail in trails:
        _check_provider(trail.declaration)
    condition = _source_arns(trails, account)
    return account.with_blocks(owner, document.add_condition(index, condition))


def _check_provider(trail) -> None:
    if trail.attribute("provider") is not None:
        raise EditError(
            f"{trail.address} uses an aliased provider, and the data sources tffix writes "
            "describe the default one"
        )


def _source_arns(trails: list[Trail], account: AccountData) -> Condition:
    arns = [
        account.arn("cloudtrail", ("trail/",) + _name_parts(t.declaration), region=account.region)
        for t in trails
    ]
    return Condition("StringEquals", SOURCE_ARN, tuple(dict.fromkeys(arns)))


def _name_parts(trail) -> tuple:
    """The trail's ``name`` as parts of a template: literal text and expressions as written."""
    attr = trail.attribute("name")
    if attr is None:
        raise EditError(f"{trail.address} has no name")
    return s3.template_parts(attr.value)


def _write_resources(bucket_arn: tuple, trail: Trail, account: AccountData) -> list:
    attr = trail.declaration.attribute("s3_key_prefix")
    return s3.log_resources(bucket_arn, attr.value if attr is not None else None, trail.key_prefix, account)


EXAMPLE = """\
resource "aws_s3_bucket" "trail" {
  bucket = "my-trail-logs"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = ["${aws_s3_bucket.trail.arn}", "${aws_s3_bucket.trail.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
  s3_key_prefix  = "audit"
}
"""

RULE = Rule(
    "TFX006",
    "cloudtrail-bucket-policy",
    check,
    summary="let CloudTrail deliver log files to its bucket",
    safe=True,
    related=("AVD-AWS-0161", "bd0088a5-c133-4b20-b129-ec9968b16ef3"),
    doc=__doc__,
    example=EXAMPLE,
    needs=("aws_cloudtrail",),
)
