"""TFX003 kms-cloudtrail-policy: let CloudTrail use the KMS key that encrypts its logs.

A trail with ``kms_key_id`` fails to create ("InsufficientEncryptionPolicyException:
Insufficient permissions to access S3 bucket ... or KMS key") unless the key
policy lets the ``cloudtrail.amazonaws.com`` service call
``kms:GenerateDataKey*`` (scoped by the ``kms:EncryptionContext:aws:cloudtrail:arn``
condition) and ``kms:DescribeKey``.  These are the statements AWS documents in
"Configure AWS KMS key policies for CloudTrail"
(docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html);
AWS also says to leave the existing statements alone, so the fix only adds.

The key is what ``kms_key_id`` designates (``aws_kms_key.K.arn|id|key_id``, also
through a local), or the key an ``aws_kms_alias`` targets, in any file of the
module.  Its policy is read and written by `tffix.aws.policy` in whatever form it
has (``jsonencode``, heredoc JSON, an ``aws_iam_policy_document`` with its source
documents, a separate ``aws_kms_key_policy``); a key without any policy gets a
complete one that keeps the account root statement AWS puts in every default key
policy.  A need counts as met by any Allow statement whose principal includes the
CloudTrail service (or is ``*``) and whose actions cover the action, however it is
spelt: duplicates are recognised by action and principal, never by Sid.

Leaves alone: policies it cannot read (a variable, ``templatefile()``) — those are
reported without a fix.  Never writes a ``*`` principal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tffix.aws import policy
from tffix.aws.account import AccountData
from tffix.aws.policy import Condition, Statement
from tffix.rules import Rule, finding, replace
from tffix.syntax import edit

SERVICE = "cloudtrail.amazonaws.com"
CONTEXT_KEY = "kms:EncryptionContext:aws:cloudtrail:arn"
# The service principal, also as written for other partitions: "cloudtrail.${dns_suffix}".
SERVICE_PRINCIPAL = re.compile(r"cloudtrail\.(amazonaws\.com|\$\{[^}]*\})")
KEY_ATTRIBUTES = ("arn", "id", "key_id")


@dataclass(frozen=True, slots=True)
class Need:
    """A statement CloudTrail needs: ``action`` is what a granting statement must allow."""

    sid: str
    action: str
    what: str
    scoped: bool  # conditioned on the trail's encryption context

    def statement(self, account: AccountData) -> Statement:
        conditions: tuple[Condition, ...] = ()
        if self.scoped:
            trails = account.arn("cloudtrail", "trail/*", region="*")
            conditions = (Condition("StringLike", CONTEXT_KEY, (trails,)),)
        return Statement(self.sid, (self.action,), (("Service", (SERVICE,)),), ("*",), conditions)


ENCRYPT = Need(
    "Allow CloudTrail to encrypt logs", "kms:GenerateDataKey*", "encrypt logs (kms:GenerateDataKey*)", True
)
DESCRIBE = Need(
    "Allow CloudTrail to describe key", "kms:DescribeKey", "describe the key (kms:DescribeKey)", False
)
NEEDS = (ENCRYPT, DESCRIBE)


def check(module):
    model = module.model
    seen = set()
    home: dict = {}
    for trail in model.resources("aws_cloudtrail"):
        attr = trail.attribute("kms_key_id")
        key = _key_of(model, trail)
        if attr is None or key is None or id(key) in seen:
            continue
        seen.add(id(key))
        try:
            holder, document = _policy_of(model, key)
        except policy.Unreadable as unreadable:
            yield finding(
                trail.file,
                attr,
                f"cannot tell whether the policy of {key.address} lets CloudTrail "
                f"use the key ({unreadable}): it must allow {SERVICE} kms:GenerateDataKey* and "
                "kms:DescribeKey",
            )
            continue
        missing = list(NEEDS) if document is None else document.missing(NEEDS, grants)
        if not missing:
            continue
        message = (
            f"the policy of {key.address} does not let CloudTrail "
            f"{' or '.join(need.what for need in missing)}: add the statement"
            + ("s" if len(missing) > 1 else "")
        )
        account = AccountData.of(model, home)
        yield finding(trail.file, attr, message, fix=lambda: _fix(holder, document, missing, account))


def grants(statement, need: Need) -> bool:
    """An Allow statement for the CloudTrail service (or everyone) whose actions cover the need's."""
    return policy.allows(statement, need.action.rstrip("*").lower(), SERVICE_PRINCIPAL)


def _key_of(model, trail):
    """The ``aws_kms_key`` a trail's ``kms_key_id`` names, directly or through an ``aws_kms_alias``."""
    reference = (
        model.points_to(trail.attribute("kms_key_id").value) if trail.attribute("kms_key_id") else None
    )
    target = reference.declaration if reference is not None else None
    if target is not None and target.type == "aws_kms_alias":
        alias_target = target.attribute("target_key_id")
        reference = model.points_to(alias_target.value) if alias_target is not None else None
        target = reference.declaration if reference is not None else None
    if (
        target is None
        or reference is None
        or target.type != "aws_kms_key"
        or target.block is None
        or reference.attribute not in KEY_ATTRIBUTES
    ):
        return None
    return target


def _policy_of(model, key):
    """The declaration holding the key's policy and the policy (None when there is none)."""
    document = policy.read(model, key)
    if document is not None:
        return key, document
    for key_policy in model.resources("aws_kms_key_policy"):
        if model.argument_target(key_policy, "key_id") is key:
            document = policy.read(model, key_policy)
            if document is None:
                raise policy.Unreadable("aws_kms_key_policy without a policy")
            return key_policy, document
    return key, None


def _fix(holder, document, missing: list[Need], account: AccountData):
    if document is None:
        root = Statement("Enable IAM User Permissions", ("kms:*",), (("AWS", (account.arn("iam", "root"),)),))
        full = policy.full_policy([root] + [need.statement(account) for need in NEEDS])
        block = holder.block
        edits = replace(holder.file, block, edit.insert_attribute(block, "policy", full, blank_line=True))
        return account.with_blocks(holder.file, edits)
    edits = document.add([need.statement(account) for need in missing], account)
    return account.with_blocks(document.file, edits)


EXAMPLE = """\
resource "aws_kms_key" "trail" {
  description = "CloudTrail logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"
  kms_key_id     = aws_kms_key.trail.arn
}
"""

RULE = Rule(
    "TFX003",
    "kms-cloudtrail-policy",
    check,
    summary="let CloudTrail use the KMS key that encrypts its logs",
    safe=True,
    related=(
        "CKV_AWS_35",
        "CKV2_AWS_64",
        "CKV_AWS_33",
        "AVD-AWS-0015",
        "5d9e3164-9265-470c-9a10-57ae454ac0c7",
        "7ebc9038-0bde-479a-acc4-6ed7b6758899",
    ),
    doc=__doc__,
    example=EXAMPLE,
    needs=("aws_cloudtrail",),
)
