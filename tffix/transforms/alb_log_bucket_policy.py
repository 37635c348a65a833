"""TFX007 alb-log-bucket-policy: let Elastic Load Balancing write an ALB's access logs to its bucket.

When access logs are switched on, Elastic Load Balancing "validates the S3 bucket
and creates a test file to ensure that the bucket policy specifies the required
permissions"; without them the load balancer is not configured and apply stops
with "InvalidConfigurationRequest: Access Denied for bucket: ... Please check
S3bucket permission".  The bucket policy must let Elastic Load Balancing call
``s3:PutObject`` on ``<bucket arn>/[<prefix>/]AWSLogs/<account id>/*``, and who
that is depends on the region ("Enable access logs for your Application Load
Balancer", step 2, docs.aws.amazon.com/elasticloadbalancing/latest/application/
enable-access-logging.html; see `tffix.aws.elb`): in the regions opened before
August 2022, the region's Elastic Load Balancing account, which the provider's
``data "aws_elb_service_account"`` gives as ``arn``; in the regions opened since,
the ``logdelivery.elasticloadbalancing.amazonaws.com`` service.  The log files
are ``bucket[/prefix]/AWSLogs/aws-account-id/elasticloadbalancing/...``, and the
prefix "must not include AWSLogs"; with a prefix ending in ``/`` both spellings
of the path count and are written, as for TFX006.

A load balancer is checked when it is an ``aws_lb``/``aws_alb`` of type
``application`` (the default) whose ``access_logs`` block has ``enabled = true``
(a literal, or a variable's default or a local that is true).  The provider
documents ``enabled`` as "Defaults to `false`, even when `bucket` is specified",
so a block without it logs nothing and is left alone.  Its ``bucket`` must name
an ``aws_s3_bucket`` of the module (``.id``, ``.bucket``, a local, the literal
name); the policy is read in any form `tffix.aws.policy` reads.  A statement
counts by effect, principal (the region's account, any
``data.aws_elb_service_account``, the log delivery service, or ``*``), action
and the resource it covers, never by Sid.

The fix adds one statement for the load balancers of a bucket that lack it, with
the principal for the region, or writes an ``aws_s3_bucket_policy`` after the
bucket when it has none.  The region must be known statically: the load
balancer's own ``region`` argument, else the ``region`` of the provider
configuration it uses (a literal or a variable's default).  No statement is
documented as working in every region, so when the region is not known the
finding has no fix and says so.

Leaves alone: network and gateway load balancers (their logs are written by
``delivery.logs.amazonaws.com`` under other conditions); ``access_logs`` in a
``dynamic`` block; load balancers and buckets with ``count``/``for_each``;
policies it cannot read (reported without a fix).  Related: checkov CKV_AWS_91
("Ensure the ELBv2 (Application/Network) has access logging enabled"), whose fix
is what makes this policy necessary.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tffix.aws import elb, policy, s3
from tffix.aws.account import AccountData
from tffix.aws.policy import Statement
from tffix.rules import Rule, finding
from tffix.syntax.errors import EditError

if TYPE_CHECKING:
    from tffix.semantic.symbols import Declaration
    from tffix.syntax import nodes as n

LOAD_BALANCERS = ("aws_lb", "aws_alb")
ACTION = "s3:PutObject"
SID = "AWSELBAccessLogsWrite"
ELB_ACCOUNT = "\x01elb\x01"
LOG_DELIVERY = re.compile(r"logdelivery\.(elasticloadbalancing|elb)\.(amazonaws\.com|\$\{[^}]*\})")


@dataclass
class LoadBalancer:
    declaration: Declaration
    attribute: n.Attribute  # access_logs' bucket
    logs: n.Block  # the access_logs block
    key_prefix: str | None  # the static access_logs prefix ("" when none); None when unknown
    region: str | None  # where it runs, when known statically
    region_from: str  # what the region was read from, or why it is not known

    @property
    def path(self) -> str:
        return s3.log_path(self.key_prefix)


def check(module):
    model = module.model
    home: dict = {}
    buckets: dict = {}
    for type_ in LOAD_BALANCERS:
        for declaration in model.resources(type_):
            found = _logging(model, declaration)
            if found is not None:
                bucket, balancer = found
                buckets.setdefault(id(bucket), (bucket, []))[1].append(balancer)
    for bucket, balancers in buckets.values():
        yield from _check_bucket(model, bucket, balancers, home)


def _logging(model, declaration):
    """``(bucket, LoadBalancer)`` for an application load balancer logging into a bucket of the module."""
    if declaration.block is None or s3.iterated(declaration):
        return None
    kind = declaration.attribute("load_balancer_type")
    if kind is not None and model.value(kind.value) != "application":
        return None
    logs = declaration.block.blocks("access_logs")
    if not logs:
        return None
    enabled, bucket_attr = logs[0].attribute("enabled"), logs[0].attribute("bucket")
    if enabled is None or model.value(enabled.value) is not True or bucket_attr is None:
        return None
    bucket = s3.bucket_named(model, bucket_attr.value)
    if bucket is None or s3.iterated(bucket):
        return None
    prefix_attr = logs[0].attribute("prefix")
    key_prefix = model.value(prefix_attr.value) if prefix_attr is not None else ""
    key_prefix = "" if key_prefix is None else key_prefix if isinstance(key_prefix, str) else None
    region, region_from = _region(model, declaration)
    return bucket, LoadBalancer(declaration, bucket_attr, logs[0], key_prefix, region, region_from)


def _region(model, declaration) -> tuple[str | None, str]:
    """The region a resource is created in, if the text says: its own ``region`` (AWS provider 6),
    else its provider configuration's ``region``."""
    own = declaration.attribute("region")
    if own is not None:
        value = model.value(own.value)
        return (value, "own") if isinstance(value, str) else (None, "its `region` is not known statically")
    provider_attr = declaration.attribute("provider")
    if provider_attr is not None:
        reference = model.reference(provider_attr.value)
        configuration = reference.declaration if reference is not None else None
    else:
        configuration = model.provider("aws")
    if configuration is None or configuration.block is None:
        return None, 'no `provider "aws"` block sets the region'
    attr = configuration.attribute("region")
    value = model.value(attr.value) if attr is not None else None
    if not isinstance(value, str):
        return None, f"the region of provider {configuration.address} is not known statically"
    return value, "alias" if provider_attr is not None else "default"


def _check_bucket(model, bucket, balancers: list[LoadBalancer], home):
    try:
        holder, document = s3.policy_of(model, bucket)
    except policy.Unreadable as unreadable:
        for balancer in balancers:
            yield finding(
                balancer.declaration.file,
                balancer.attribute,
                f"cannot tell whether the policy of {bucket.address} lets Elastic Load Balancing write "
                f"access logs ({unreadable}): it must allow s3:PutObject on {balancer.path}",
            )
        return
    statements = document.statements if document is not None else []
    declarations = [holder] + [origin for origin, _ in getattr(document, "origins", ())]
    reader = s3.Reader(model, declarations, _elb_symbol)
    missing = [
        b
        for b in balancers
        if b.key_prefix is not None and not any(_grants(reader, statement, b) for statement in statements)
    ]
    account = AccountData.of(model, home)
    owner = document.file if document is not None else bucket.file
    for balancer in missing:
        what = f"write access logs (s3:PutObject on {balancer.path})"
        if document is None:
            message = (
                f"{bucket.address} has no bucket policy, so Elastic Load Balancing cannot {what}: "
                "add an aws_s3_bucket_policy"
            )
        else:
            message = f"the policy of {bucket.address} does not let Elastic Load Balancing {what}: add the statement"
        if balancer.region is None:
            yield finding(
                balancer.declaration.file,
                balancer.attribute,
                f"{message}; not fixed: the principal to grant depends on the region (the Elastic "
                "Load Balancing account in regions opened before August 2022, "
                f"{elb.LOG_DELIVERY_SERVICE} since) and {balancer.region_from}",
            )
            continue
        yield finding(
            balancer.declaration.file,
            balancer.attribute,
            message,
            fix=lambda: _fix(
                model, bucket, document, statements, missing, account, owner, declarations if document else []
            ),
        )


def _grants(reader, statement, balancer: LoadBalancer) -> bool:
    if not policy.allows(statement, ACTION) or not _principal(reader, statement, balancer.region):
        return False
    samples = [s3.object_arn(key) for key in s3.log_keys(balancer.key_prefix)]
    return reader.covers(statement, samples) and policy.conditions_hold(
        statement, {"aws:securetransport": "true"}, reader.pattern
    )


def _principal(reader, statement, region: str | None) -> bool:
    """Elastic Load Balancing is the principal: the region's account (any ELB account when the region
    is not known), a ``data.aws_elb_service_account``, the log delivery service, or everyone."""
    if policy.field(statement, "principal") == "*":
        return True
    services = policy.principal_identifiers(statement, "Service") or []
    if any(isinstance(s, str) and LOG_DELIVERY.fullmatch(s) for s in services):
        return True
    accounts = (
        [elb.ACCOUNTS[region]]
        if region in elb.ACCOUNTS
        else list(elb.ACCOUNTS.values())
        if region is None
        else []
    )
    for identifier in policy.principal_identifiers(statement, "AWS") or []:
        glob = reader.pattern(identifier, accounts=False)
        if glob is None:
            continue
        if glob == ELB_ACCOUNT or any(
            fnmatch.fnmatchcase(candidate, glob)
            for account in accounts
            for candidate in (account, f"arn:aws:iam::{account}:root")
        ):
            return True
    return False


def _elb_symbol(reference) -> str | None:
    declaration = reference.declaration
    if (
        declaration is not None
        and declaration.kind == "data"
        and declaration.type == "aws_elb_service_account"
    ):
        return ELB_ACCOUNT if reference.attribute == "arn" else None
    return None


def _fix(
    model,
    bucket,
    document,
    statements,
    balancers: list[LoadBalancer],
    account: AccountData,
    owner,
    holders: list,
):
    """``holders``: the declarations the policy is written in (none for a new aws_s3_bucket_policy)."""
    bucket_arn = s3.arn_parts(model, bucket, holders, account)
    principals: dict = {}
    for balancer in balancers:
        if balancer.region is None:
            continue
        if balancer.region_from != "default":
            raise EditError(
                f"{balancer.declaration.address} runs in {balancer.region} through "
                f"{'its own region' if balancer.region_from == 'own' else 'an aliased provider'}, and "
                "the data sources tffix writes describe the default provider"
            )
        kind, _ = elb.principal(balancer.region) or (None, None)
        if kind is None:
            raise EditError(f"{balancer.region!r} is not a region name")
        principals.setdefault(kind, []).append(balancer)
    new: list[Statement] = []
    for kind, group in principals.items():
        identifier = account.elb_service_account if kind == "AWS" else elb.LOG_DELIVERY_SERVICE
        resources: list = []
        for balancer in group:
            prefix_attr = balancer.logs.attribute("prefix")
            for resource in s3.log_resources(
                bucket_arn,
                prefix_attr.value if prefix_attr is not None else None,
                balancer.key_prefix,
                account,
            ):
                if resource not in resources:
                    resources.append(resource)
        new.append(
            Statement(
                s3.unique_sid(statements + [{"Sid": s.sid} for s in new], SID),
                (ACTION,),
                ((kind, (identifier,)),),
                tuple(resources),
            )
        )
    if document is None:
        return account.with_blocks(owner, s3.new_policy(model, bucket, new))
    return account.with_blocks(owner, document.add(new, account))


EXAMPLE = """\
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "web"
    enabled = true
  }
}
"""

RULE = Rule(
    "TFX007",
    "alb-log-bucket-policy",
    check,
    summary="let Elastic Load Balancing write an ALB's access logs to its bucket",
    safe=True,
    related=("CKV_AWS_91",),
    doc=__doc__,
    example=EXAMPLE,
    needs=LOAD_BALANCERS,
)
