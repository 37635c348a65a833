"""TFX005 deletion-protection: let an ephemeral or test stack be destroyed.

``terraform destroy`` on a stack with deletion protection stops with errors such
as "Cannot delete protected Cluster, please disable deletion protection and try
again" (RDS/Aurora/DocDB/Neptune) or "Deletion Protection is enabled" (load
balancers, DynamoDB tables).  An RDS-family database with ``skip_final_snapshot``
false (the provider's default) and no ``final_snapshot_identifier`` fails with
"final_snapshot_identifier is required when skip_final_snapshot is false".

The fix changes intent (protection is off afterwards), so it is unsafe: it is
applied only with ``--unsafe-fixes``.  Beside each protection it turns off it
writes the scanners' skip comments (checkov's anywhere inside the block, trivy's
on the line above the argument) so that CI scanners accept the deliberate choice.

Leaves alone: an argument that is absent where its default is already off (every
deletion-protection argument here defaults to false); values that are not
literals (``var.protect``, conditionals): the stack's caller decides those, so
there is no finding; a database with a ``final_snapshot_identifier``, whose
destroy succeeds by taking that snapshot.  In a ``.tf.json`` file a literal
``true`` becomes ``false`` (a plain value change); an argument to add is reported
without a fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from tffix.edits import Edit
from tffix.rules import Rule, finding, replace
from tffix.syntax import build, edit, query
from tffix.syntax.source import Span

SKIP_REASON = "Ephemeral test stack"


@dataclass(frozen=True, slots=True)
class Setting:
    """An argument whose literal ``bad`` value blocks destroy; ``good`` is written instead."""

    resource_types: tuple[str, ...]
    argument: str
    bad: bool
    good: bool
    checkov: str | None = None
    trivy: str | None = None
    kics: str | None = None
    insert_when_absent: bool = False  # the provider's default is ``bad``
    unless: str | None = None  # an argument whose presence makes ``bad`` harmless

    @property
    def related(self) -> tuple[str, ...]:
        return tuple(peer for peer in (self.checkov, self.trivy, self.kics) if peer)


_RDS_FAMILY = ("aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster")

SETTINGS = (
    Setting(
        ("aws_lb", "aws_alb"),
        "enable_deletion_protection",
        True,
        False,
        checkov="CKV_AWS_150",
        kics="afecd1f1-6378-4f7e-bb3b-60c35801fdd4",
    ),
    Setting(
        ("aws_db_instance",), "deletion_protection", True, False, checkov="CKV_AWS_293", trivy="AVD-AWS-0177"
    ),
    Setting(
        ("aws_rds_cluster",), "deletion_protection", True, False, checkov="CKV_AWS_139", trivy="AVD-AWS-0343"
    ),
    Setting(("aws_neptune_cluster",), "deletion_protection", True, False, checkov="CKV2_AWS_58"),
    Setting(("aws_docdb_cluster",), "deletion_protection", True, False),
    Setting(("aws_dynamodb_table",), "deletion_protection_enabled", True, False),
    Setting(
        _RDS_FAMILY,
        "skip_final_snapshot",
        False,
        True,
        insert_when_absent=True,
        unless="final_snapshot_identifier",
    ),
)


def check(module):
    model = module.model
    for resource in model.resources():
        for setting in SETTINGS:
            if resource.type not in setting.resource_types:
                continue
            if resource.is_json:
                yield from _check_json(resource, setting)
            else:
                yield from _check_setting(model, resource, setting)


def _check_json(resource, setting: Setting):
    """A ``.tf.json`` resource: a literal ``true``/``false`` is a plain JSON value to change; an
    argument to add is reported without a fix (JSON has no place for the scanners' comments)."""
    good = build.render(setting.good)
    if setting.unless and resource.node.get(setting.unless) is not None:
        return
    value = resource.node.get(setting.argument)
    if value is None:
        if setting.insert_when_absent:
            yield finding(
                resource.file,
                resource.node,
                f"{resource.type} without `{setting.argument}` cannot be "
                f'destroyed (no final snapshot identifier); set "{setting.argument}": {good}',
                related=setting.related,
            )
        return
    if value.kind != "literal" or value.value is not setting.bad:
        return
    message = (
        f'`"{setting.argument}": {build.render(setting.bad)}` blocks destroying this {resource.type}; '
        f"set it to {good}"
    )
    yield finding(
        resource.file,
        value,
        message,
        related=setting.related,
        fix=lambda: [Edit(Span(resource.file.path, value.start, value.end), good)],
    )


def _check_setting(model, resource, setting: Setting):
    if setting.unless and resource.attribute(setting.unless) is not None:
        return
    attr = resource.attribute(setting.argument)
    # Where the value Terraform uses is written (an override file's block, if it sets it).
    file, block = resource.owner_of(setting.argument) or (resource.file, resource.block)
    good = build.render(setting.good)
    if attr is None:
        if not setting.insert_when_absent:
            return
        message = (
            f"{resource.type} without `{setting.argument}` cannot be destroyed (no final snapshot "
            f"identifier); set `{setting.argument} = {good}`"
        )
        yield finding(
            file,
            block.type_token,
            message,
            related=setting.related,
            fix=lambda: replace(
                file, block, edit.insert_attribute(block, setting.argument, good, after=_neighbour(resource))
            ),
        )
        return
    value = model.literal(attr.value)
    if isinstance(value, str):
        value = {"true": True, "false": False}.get(value, value)  # Terraform converts "true" to a bool
    if value is not setting.bad:
        return
    message = (
        f"`{setting.argument} = {build.render(setting.bad)}` blocks destroying this {resource.type}; "
        f"set it to {good}"
    )
    yield finding(
        file,
        attr.name,
        message,
        related=setting.related,
        fix=lambda: replace(file, block, _set_with_comments(block, attr, good, setting)),
    )


def _neighbour(resource) -> str | None:
    """Insert beside the deletion-protection argument when there is one, else after the last attribute."""
    for setting in SETTINGS:
        if (
            resource.type in setting.resource_types
            and setting.argument != "skip_final_snapshot"
            and resource.attribute(setting.argument) is not None
        ):
            return setting.argument
    return None


def _skip_comments(block, attr, setting: Setting) -> list[str]:
    """The skip comments still missing: checkov's anywhere in the block, trivy's above the argument or block."""
    comments = []
    if setting.checkov and f"checkov:skip={setting.checkov}" not in block.code:
        comments.append(f"#checkov:skip={setting.checkov}:{SKIP_REASON}")
    if setting.trivy:
        above = query.leading_trivia(attr) + query.leading_trivia(block)
        if f"trivy:ignore:{setting.trivy}" not in above:
            comments.append(f"#trivy:ignore:{setting.trivy}")
    return comments


def _set_with_comments(block, attr, value: str, setting: Setting):
    """Give ``attr`` ``value``, with the scanners' skip comments on their own lines right above it."""
    name = attr.name.text
    return edit.comment_above(
        edit.set_attribute(block, name, value), name, _skip_comments(block, attr, setting)
    )


EXAMPLE = """\
resource "aws_rds_cluster" "app" {
  cluster_identifier  = "app"
  engine              = "aurora-postgresql"
  deletion_protection = true
}
"""

RULE = Rule(
    "TFX005",
    "deletion-protection",
    check,
    summary="turn off deletion protection so test stacks can be destroyed",
    safe=False,
    doc=__doc__,
    example=EXAMPLE,
    needs=tuple(dict.fromkeys(type_ for setting in SETTINGS for type_ in setting.resource_types)),
)
