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
destroy succeeds by taking that snapshot.
"""
from __future__ import annotations

from dataclasses import dataclass

from tffix.rules import Fix, Rule, finding, replace
from tffix.syntax import query
from tffix.syntax.edit import EditError

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
    insert_when_absent: bool = False   # the provider's default is ``bad``
    unless: str | None = None          # an argument whose presence makes ``bad`` harmless

    @property
    def related(self) -> tuple[str, ...]:
        return tuple(peer for peer in (self.checkov, self.trivy, self.kics) if peer)


_RDS_FAMILY = ("aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster")

SETTINGS = (
    Setting(("aws_lb", "aws_alb"), "enable_deletion_protection", True, False,
            checkov="CKV_AWS_150", kics="afecd1f1-6378-4f7e-bb3b-60c35801fdd4"),
    Setting(("aws_db_instance",), "deletion_protection", True, False, checkov="CKV_AWS_293", trivy="AVD-AWS-0177"),
    Setting(("aws_rds_cluster",), "deletion_protection", True, False, checkov="CKV_AWS_139", trivy="AVD-AWS-0343"),
    Setting(("aws_neptune_cluster",), "deletion_protection", True, False, checkov="CKV2_AWS_58"),
    Setting(("aws_docdb_cluster",), "deletion_protection", True, False),
    Setting(("aws_dynamodb_table",), "deletion_protection_enabled", True, False),
    Setting(_RDS_FAMILY, "skip_final_snapshot", False, True,
            insert_when_absent=True, unless="final_snapshot_identifier"),
)


def check(module):
    for file, block in module.blocks("resource"):
        if not block.labels:
            continue
        settings = [s for s in SETTINGS if block.labels[0] in s.resource_types]
        for setting in settings:
            yield from _check_setting(file, block, setting)


def _check_setting(file, block, setting: Setting):
    if setting.unless and block.attribute(setting.unless) is not None:
        return
    attr = block.attribute(setting.argument)
    kind = block.labels[0]
    good = "true" if setting.good else "false"
    if attr is None:
        if not setting.insert_when_absent:
            return
        message = (f"{kind} without `{setting.argument}` cannot be destroyed (no final snapshot identifier); "
                   f"set `{setting.argument} = {good}`")
        try:
            fixed = block.insert_attribute(setting.argument, good, after=_neighbour(block))
        except EditError:
            yield finding(file, block.type_token, message, related=setting.related)
            return
        yield finding(file, block.type_token, message, fix=Fix(replace(file, block, fixed)), related=setting.related)
        return
    try:
        value = query.static_value(attr.value)
    except query.NotStatic:
        return
    if value is not setting.bad and value != ("true" if setting.bad else "false"):
        return
    message = f"`{setting.argument} = {'true' if setting.bad else 'false'}` blocks destroying this {kind}; set it to {good}"
    try:
        fixed = _set_with_comments(block, attr, good, _skip_comments(block, attr, setting))
    except EditError:
        yield finding(file, attr.name, message, related=setting.related)
        return
    yield finding(file, attr.name, message, fix=Fix(replace(file, block, fixed)), related=setting.related)


def _neighbour(block) -> str | None:
    """Insert beside the deletion-protection argument when there is one, else after the last attribute."""
    for setting in SETTINGS:
        if block.labels[0] in setting.resource_types and setting.argument != "skip_final_snapshot" \
                and block.attribute(setting.argument) is not None:
            return setting.argument
    return None


def _skip_comments(block, attr, setting: Setting) -> list[str]:
    """The skip comments still missing: checkov's anywhere in the block, trivy's above the argument or block."""
    comments = []
    if setting.checkov and f"checkov:skip={setting.checkov}" not in block.code:
        comments.append(f"#checkov:skip={setting.checkov}:{SKIP_REASON}")
    if setting.trivy:
        above = attr.first_token.prefix + block.first_token.prefix
        if f"trivy:ignore:{setting.trivy}" not in above:
            comments.append(f"#trivy:ignore:{setting.trivy}")
    return comments


def _set_with_comments(block, attr, value: str, comments: list[str]):
    """Give ``attr`` ``value``, with the scanners' skip comments on their own lines right above it."""
    return block.set_attribute(attr.name.text, value).comment_above(attr.name.text, comments)


RULE = Rule("TFX005", "deletion-protection", check,
            summary="turn off deletion protection so test stacks can be destroyed", safe=False)
