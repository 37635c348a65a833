"""TFX004 depends-on: order resources that AWS needs in sequence but Terraform does not see as related.

Terraform orders resources only by references.  A bucket replication
configuration names the bucket, not its ``aws_s3_bucket_versioning``, so both are
created in parallel and the first apply fails with "InvalidRequest: Versioning
must be 'Enabled' on the bucket to apply a replication configuration" (the
provider's examples all carry ``depends_on = [aws_s3_bucket_versioning...]``).
Likewise a bucket policy races its public access block ("AccessDenied ...
BlockPublicPolicy"), a flow log or a CloudTrail races the bucket policy that lets
it write ("InsufficientS3BucketPolicyException"), a Step Functions state machine
with logging races its role's log-delivery policy.  ``depends_on`` states the
order; it is what the AWS provider documentation writes.

Each hazard is a row of `HAZARDS`: a dependent resource reaches a *subject* (a
bucket, a role) through some of its arguments, and must wait for every
prerequisite resource that names the same subject.  Same subject means a
reference to the same resource (``aws_s3_bucket.x.id``, ``.bucket``, ``.arn``,
any instance of it) or the same literal name.

Leaves alone: a dependent that already references the prerequisite anywhere in
its body (``bucket = aws_s3_bucket_versioning.x.bucket``) or lists it in
``depends_on``; subjects that are variables or other expressions.
"""
from __future__ import annotations

from dataclasses import dataclass

from tffix.rules import Fix, Rule, finding, replace
from tffix.syntax import nodes as n
from tffix.syntax import query
from tffix.syntax.edit import EditError, append_to_list

_S3_ARN = "arn:aws:s3:::"
_PROVIDER_DOCS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"


@dataclass(frozen=True, slots=True)
class Hazard:
    """``dependent`` must be created after each ``prerequisites`` resource naming its subject.

    ``subject_paths`` are the argument paths (through nested blocks) of the
    dependent that name the subject; ``subject_type`` is the resource type the
    subject is; ``prerequisite_argument`` is the argument of a prerequisite that
    names it.  ``when`` (paths) restricts the hazard to dependents having one of them.
    """

    dependent: str
    subject_paths: tuple[tuple[str, ...], ...]
    subject_type: str
    prerequisites: tuple[str, ...]
    prerequisite_argument: str
    reason: str
    doc: str
    when: tuple[tuple[str, ...], ...] = ()


HAZARDS = (
    Hazard("aws_s3_bucket_replication_configuration", (("bucket",), ("rule", "destination", "bucket")),
           "aws_s3_bucket", ("aws_s3_bucket_versioning",), "bucket",
           "replication needs versioning enabled on both buckets first",
           _PROVIDER_DOCS + "s3_bucket_replication_configuration"),
    Hazard("aws_s3_bucket_lifecycle_configuration", (("bucket",),),
           "aws_s3_bucket", ("aws_s3_bucket_versioning",), "bucket",
           "noncurrent-version rules need the bucket's versioning first",
           _PROVIDER_DOCS + "s3_bucket_lifecycle_configuration",
           when=(("rule", "noncurrent_version_expiration"), ("rule", "noncurrent_version_transition"))),
    Hazard("aws_s3_bucket_policy", (("bucket",),),
           "aws_s3_bucket", ("aws_s3_bucket_public_access_block",), "bucket",
           "a public access block being applied rejects the policy meanwhile",
           _PROVIDER_DOCS + "s3_bucket_public_access_block"),
    Hazard("aws_flow_log", (("log_destination",),),
           "aws_s3_bucket", ("aws_s3_bucket_policy",), "bucket",
           "the flow log checks that the bucket policy lets it deliver logs",
           _PROVIDER_DOCS + "flow_log"),
    Hazard("aws_cloudtrail", (("s3_bucket_name",),),
           "aws_s3_bucket", ("aws_s3_bucket_policy",), "bucket",
           "CloudTrail checks that the bucket policy lets it write (InsufficientS3BucketPolicyException)",
           _PROVIDER_DOCS + "cloudtrail"),
    Hazard("aws_sfn_state_machine", (("role_arn",),),
           "aws_iam_role", ("aws_iam_role_policy", "aws_iam_role_policy_attachment"), "role",
           "logging needs the role's log-delivery permissions first",
           _PROVIDER_DOCS + "sfn_state_machine",
           when=(("logging_configuration",),)),
)


def check(module):
    for hazard_type in dict.fromkeys(h.dependent for h in HAZARDS):
        hazards = [h for h in HAZARDS if h.dependent == hazard_type]
        for file, block in module.blocks("resource", hazard_type):
            missing: dict[str, str] = {}
            for hazard in hazards:
                for address in _missing(module, block, hazard):
                    missing.setdefault(address, hazard.reason)
            if missing:
                yield _finding(file, block, missing)


def _missing(module, block, hazard: Hazard):
    """Addresses of the prerequisites ``block`` must wait for and is not yet ordered after."""
    if hazard.when and not any(_values(block, path) or _blocks(block, path) for path in hazard.when):
        return
    subjects = {subject for path in hazard.subject_paths for value in _values(block, path)
                if (subject := _subject(value, hazard.subject_type)) is not None}
    if not subjects:
        return
    ordered = {ref[:2] for ref in query.references(block.body) if ref and len(ref) >= 2}
    for prerequisite_type in hazard.prerequisites:
        for _, prerequisite in module.blocks("resource", prerequisite_type):
            labels = prerequisite.labels
            if len(labels) < 2 or (prerequisite_type, labels[1]) in ordered:
                continue
            named = prerequisite.attribute(hazard.prerequisite_argument)
            if named is not None and _subject(named.value, hazard.subject_type) in subjects:
                yield f"{prerequisite_type}.{labels[1]}"


def _subject(value, subject_type: str):
    """The resource (type, name) or the literal name an argument designates."""
    for ref in query.references(value):
        if len(ref) >= 2 and ref[0] == subject_type:
            return ref[:2]
    try:
        literal = query.static_value(value)
    except query.NotStatic:
        return None
    if not isinstance(literal, str):
        return None
    return ("=", literal.removeprefix(_S3_ARN).split("/")[0])


def _values(block, path: tuple[str, ...]) -> list:
    """The values of the argument at ``path``, following every nested block of that type."""
    *nesting, name = path
    owners = [block]
    for type_ in nesting:
        owners = [nested for owner in owners for nested in owner.blocks(type_)]
    return [attr.value for owner in owners if (attr := owner.attribute(name)) is not None]


def _blocks(block, path: tuple[str, ...]) -> list:
    owners = [block]
    for type_ in path:
        owners = [nested for owner in owners for nested in owner.blocks(type_)]
    return owners


def _finding(file, block, missing: dict[str, str]):
    address = ".".join(block.labels[:2])
    addresses = list(missing)
    reasons = "; ".join(dict.fromkeys(missing.values()))
    message = f"{address} must be created after {', '.join(addresses)} ({reasons}): add to depends_on"
    existing = block.attribute("depends_on")
    try:
        if existing is None:
            # Last among the arguments, set off by a blank line as the provider's
            # examples write it; neighbours keep their alignment untouched.
            fixed = block.insert_attribute("depends_on", f"[{', '.join(addresses)}]", blank_line=True)
            edits = replace(file, block, fixed)
        elif isinstance(existing.value, n.Tuple):
            value = existing.value
            for item in addresses:
                value = append_to_list(value, item)
            edits = replace(file, existing.value, value)
        else:
            raise EditError("depends_on is not a list")
    except EditError:
        return finding(file, block.type_token, message)
    return finding(file, block.type_token, message, fix=Fix(edits))


RULE = Rule("TFX004", "depends-on", check, summary="add depends_on for known AWS ordering hazards", safe=True)
