"""TFX004 depends-on: order resources that AWS needs in sequence but Terraform does not see as related.

Terraform orders resources only by references.  A bucket replication
configuration names the bucket, not its ``aws_s3_bucket_versioning``, so both are
created in parallel and the first apply fails with "InvalidRequest: Versioning
must be 'Enabled' on the bucket to apply a replication configuration" (the
provider's examples all carry ``depends_on = [aws_s3_bucket_versioning...]``).
Likewise a bucket policy races its public access block ("AccessDenied ...
BlockPublicPolicy"), a flow log or a CloudTrail races the bucket policy that lets
it write ("InsufficientS3BucketPolicyException"), a load balancer races the
policy of its access-log bucket ("Access Denied for bucket"), a Step Functions
state machine with logging races the role policy that grants log delivery ("The
state machine IAM Role is not authorized to access the Log Destination").  ``depends_on``
states the order; it is what the AWS provider documentation writes.

Each hazard is a row of `HAZARDS`: a dependent resource reaches a *subject* (a
bucket, a role) through some of its arguments, and must wait for every
prerequisite resource that names the same subject.  Same subject means a
reference to the same resource (``aws_s3_bucket.x.id``, ``.bucket``, ``.arn``,
any instance of it, also through a local) or the same literal name.  A row with
``grants`` only counts prerequisites whose policy may grant one of those actions:
a role's X-Ray policy does not order its state machine's logging.

Leaves alone: a dependent that already references the prerequisite anywhere in
its body (``bucket = aws_s3_bucket_versioning.x.bucket``) or lists it in
``depends_on``; subjects that are variables or other expressions.
"""

from __future__ import annotations

from dataclasses import dataclass

from tffix.aws import iam
from tffix.aws.iam import LOG_DELIVERY
from tffix.rules import Rule, finding, replace
from tffix.syntax import build, edit
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError

_PROVIDER_DOCS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"


@dataclass(frozen=True, slots=True)
class Hazard:
    """``dependent`` must be created after each ``prerequisites`` resource naming its subject.

    ``subject_paths`` are the argument paths (through nested blocks) of the
    dependent that name the subject; ``subject_type`` is the resource type the
    subject is; ``prerequisite_argument`` is the argument of a prerequisite that
    names it.  ``when`` (paths) restricts the hazard to dependents having one of
    them; ``grants`` to prerequisites whose policy may grant one of those actions.
    """

    dependent: str
    subject_paths: tuple[tuple[str, ...], ...]
    subject_type: str
    prerequisites: tuple[str, ...]
    prerequisite_argument: str
    reason: str
    doc: str
    when: tuple[tuple[str, ...], ...] = ()
    grants: tuple[str, ...] = ()


HAZARDS = (
    Hazard(
        "aws_s3_bucket_replication_configuration",
        (("bucket",), ("rule", "destination", "bucket")),
        "aws_s3_bucket",
        ("aws_s3_bucket_versioning",),
        "bucket",
        "replication needs versioning enabled on both buckets first",
        _PROVIDER_DOCS + "s3_bucket_replication_configuration",
    ),
    Hazard(
        "aws_s3_bucket_lifecycle_configuration",
        (("bucket",),),
        "aws_s3_bucket",
        ("aws_s3_bucket_versioning",),
        "bucket",
        "noncurrent-version rules need the bucket's versioning first",
        _PROVIDER_DOCS + "s3_bucket_lifecycle_configuration",
        when=(("rule", "noncurrent_version_expiration"), ("rule", "noncurrent_version_transition")),
    ),
    Hazard(
        "aws_s3_bucket_policy",
        (("bucket",),),
        "aws_s3_bucket",
        ("aws_s3_bucket_public_access_block",),
        "bucket",
        "a public access block being applied rejects the policy meanwhile",
        _PROVIDER_DOCS + "s3_bucket_public_access_block",
    ),
    Hazard(
        "aws_flow_log",
        (("log_destination",),),
        "aws_s3_bucket",
        ("aws_s3_bucket_policy",),
        "bucket",
        "the flow log checks that the bucket policy lets it deliver logs",
        _PROVIDER_DOCS + "flow_log",
    ),
    Hazard(
        "aws_cloudtrail",
        (("s3_bucket_name",),),
        "aws_s3_bucket",
        ("aws_s3_bucket_policy",),
        "bucket",
        "CloudTrail checks that the bucket policy lets it write (InsufficientS3BucketPolicyException)",
        _PROVIDER_DOCS + "cloudtrail",
    ),
    *(
        Hazard(
            lb,
            (("access_logs", "bucket"),),
            "aws_s3_bucket",
            ("aws_s3_bucket_policy",),
            "bucket",
            "the load balancer checks that the bucket policy lets Elastic Load Balancing write its access logs"
            ' ("Access Denied for bucket")',
            _PROVIDER_DOCS + "lb#access_logs",
            when=(("access_logs",),),
        )
        for lb in ("aws_lb", "aws_alb")
    ),
    Hazard(
        "aws_sfn_state_machine",
        (("role_arn",),),
        "aws_iam_role",
        ("aws_iam_role_policy", "aws_iam_role_policy_attachment"),
        "role",
        "logging needs the role's log-delivery permissions first",
        _PROVIDER_DOCS + "sfn_state_machine",
        when=(("logging_configuration",),),
        grants=LOG_DELIVERY,
    ),
)


def check(module):
    model = module.model
    naming: dict = {}  # (prerequisite type, argument, subject type) -> {subject: [prerequisites]}
    for dependent_type in dict.fromkeys(h.dependent for h in HAZARDS):
        hazards = [h for h in HAZARDS if h.dependent == dependent_type]
        for dependent in model.resources(dependent_type):
            if dependent.block is None:
                continue
            missing: dict = {}
            for hazard in hazards:
                for prerequisite in _missing(model, dependent, hazard, naming):
                    missing.setdefault(prerequisite, hazard.reason)
            if missing:
                yield _finding(dependent, missing)


def _missing(model, dependent, hazard: Hazard, naming: dict):
    """The prerequisites ``dependent`` must wait for and is not yet ordered after."""
    if hazard.when and not any(
        _arguments(dependent.block, path) or _nested(dependent.block, path) for path in hazard.when
    ):
        return
    subjects = {
        subject
        for path in hazard.subject_paths
        for value in _arguments(dependent.block, path)
        if (subject := _subject(model, dependent, value, hazard.subject_type)) is not None
    }
    if not subjects:
        return
    ordered = model.depends_on(dependent)
    for prerequisite_type in hazard.prerequisites:
        by_subject = _naming(
            model, naming, prerequisite_type, hazard.prerequisite_argument, hazard.subject_type
        )
        found = [p for subject in subjects for p in by_subject.get(subject, ()) if p not in ordered]
        for prerequisite in sorted(found, key=model.declarations.index):  # in the order they are written
            if hazard.grants and not _may_grant(model, prerequisite, hazard.grants):
                continue
            yield prerequisite


def _naming(model, naming: dict, prerequisite_type: str, argument: str, subject_type: str) -> dict:
    """The prerequisites of a type by the subject their argument names (worked out once per check)."""
    key = (prerequisite_type, argument, subject_type)
    if key not in naming:
        by_subject: dict = {}
        for prerequisite in model.resources(prerequisite_type):
            named = prerequisite.attribute(argument) if prerequisite.block is not None else None
            if named is not None:
                subject = _subject(model, prerequisite, named.value, subject_type)
                if subject is not None:
                    by_subject.setdefault(subject, []).append(prerequisite)
        naming[key] = by_subject
    return naming[key]


def _subject(model, owner, value, subject_type: str):
    """The resource an argument designates (any instance), or the literal name it spells."""
    for reference in model.references_in(owner, value):
        target = model.points_to(reference.node) or reference
        if target.declaration is not None and target.declaration.type == subject_type:
            return target.declaration
        if target.declaration is None and target.resource_type == subject_type:
            return ("address", target.address)  # not declared here (a partial module): the same name
    literal = model.literal(value)
    if not isinstance(literal, str):
        return None
    name = _name_in(literal)
    for declaration in model.resources(subject_type):
        named = declaration.attribute("bucket") or declaration.attribute("name")
        if named is not None and model.literal(named.value) == name:
            return declaration
    return ("name", name)


def _name_in(literal: str) -> str:
    """``example`` from ``arn:aws:s3:::example/prefix`` or ``arn:aws:iam::1:role/path/example``."""
    if literal.startswith("arn:"):
        resource = literal.split(":", 5)[-1]
        if resource.startswith("role/"):
            return resource.rsplit("/", 1)[-1]
        return resource.split("/")[0]
    return literal


def _may_grant(model, prerequisite, actions: tuple[str, ...]) -> bool:
    """Whether a role policy (or attached policy) may grant one of ``actions``; unreadable ones may."""
    grant = iam.grant_of(model, prerequisite)
    return grant is None or any(grant.allows(action) is not False for action in actions)


def _arguments(block, path: tuple[str, ...]) -> list:
    """The values of the argument at ``path``, following every nested block of that type."""
    *nesting, name = path
    owners = [block]
    for type_ in nesting:
        owners = [nested for owner in owners for nested in owner.blocks(type_)]
    return [attr.value for owner in owners if (attr := owner.attribute(name)) is not None]


def _nested(block, path: tuple[str, ...]) -> list:
    owners = [block]
    for type_ in path:
        owners = [nested for owner in owners for nested in owner.blocks(type_)]
    return owners


def _finding(dependent, missing: dict):
    prerequisites = list(missing)
    reasons = "; ".join(dict.fromkeys(missing.values()))
    names = ", ".join(p.address for p in prerequisites)
    message = f"{dependent.address} must be created after {names} ({reasons}): add to depends_on"
    block, file = dependent.block, dependent.file

    def fix():
        references = [build.ref(p.type, p.name) for p in prerequisites]
        existing = block.attribute("depends_on")
        if existing is None:
            # Last among the arguments, set off by a blank line as the provider's
            # examples write it; neighbours keep their alignment untouched.
            return replace(
                file,
                block,
                edit.insert_attribute(block, "depends_on", build.render(references), blank_line=True),
            )
        if not isinstance(existing.value, n.Tuple):
            raise EditError("depends_on is not a list")
        value = existing.value
        for reference in references:
            value = edit.append_to_list(value, reference.text)
        return replace(file, existing.value, value)

    return finding(file, block.type_token, message, fix=fix)


EXAMPLE = """\
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket              = aws_s3_bucket.site.id
  block_public_policy = false
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.public_read.json
}
"""

RULE = Rule(
    "TFX004",
    "depends-on",
    check,
    summary="add depends_on for known AWS ordering hazards",
    safe=True,
    doc=__doc__,
    example=EXAMPLE,
    needs=tuple(dict.fromkeys(hazard.dependent for hazard in HAZARDS)),
)
