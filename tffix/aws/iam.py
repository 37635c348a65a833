"""IAM roles and what grants them permissions, as a module declares it.

A role's permissions come from ``aws_iam_role_policy`` (inline), from
``aws_iam_role_policy_attachment`` of an ``aws_iam_policy`` of the module or of an
AWS managed policy, and from the role's own ``inline_policy`` blocks.  Each is a
`Grant`: a policy tffix can read (and add to), the actions of a managed policy it
knows, or unreadable (then it may grant anything).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tffix.aws import policy

if TYPE_CHECKING:
    from tffix.semantic.symbols import Declaration

# What a Step Functions state machine's role needs to deliver its logs to CloudWatch Logs (AWS Step
# Functions Developer Guide, "Using CloudWatch Logs to log execution history in Step Functions", IAM
# policy for logging): all on Resource "*".
LOG_DELIVERY = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)

# AWS managed policies and the actions they allow, for the ones rules ask about (by name in the ARN).
MANAGED_POLICY_ACTIONS = {
    "AdministratorAccess": ("*",),
    "CloudWatchLogsFullAccess": ("logs:*",),
    "CloudWatchFullAccess": ("logs:*",),
    "CloudWatchFullAccessV2": ("logs:*",),
}


@dataclass(eq=False, slots=True)
class Grant:
    declaration: Declaration  # the resource that grants (role policy, attachment, the role itself)
    document: policy.Policy | None = None  # readable and editable
    managed: tuple[str, ...] | None = None  # an AWS managed policy's actions
    unreadable: str | None = None  # why it cannot be read

    def allows(self, action: str) -> bool | None:
        """Whether it allows ``action`` (on any resource); None when that cannot be told."""
        if self.unreadable is not None:
            return None
        if self.managed is not None:
            return policy.allows({"Effect": "Allow", "Action": list(self.managed)}, action)
        if self.document is None:
            return None
        return any(policy.allows(statement, action, resource="*") for statement in self.document.statements)


def grant_of(model, declaration) -> Grant | None:
    """The grant an ``aws_iam_role_policy`` or ``aws_iam_role_policy_attachment`` makes."""
    if declaration.type == "aws_iam_role_policy_attachment":
        target = model.argument_target(declaration, "policy_arn")
        if target is not None and target.type == "aws_iam_policy":
            return _read(model, declaration, target)
        attr = declaration.attribute("policy_arn")
        literal = model.value(attr.value) if attr is not None else None
        if isinstance(literal, str) and ":iam::aws:policy/" in literal:
            name = literal.rsplit("/", 1)[-1]
            if name in MANAGED_POLICY_ACTIONS:
                return Grant(declaration, managed=MANAGED_POLICY_ACTIONS[name])
            return Grant(declaration, managed=())  # a managed policy that grants none of what rules ask
        return Grant(declaration, unreadable="its policy is not in the module")
    if declaration.type == "aws_iam_role_policy":
        return _read(model, declaration, declaration)
    return None


def role_grants(model, role) -> list[Grant]:
    """Everything in the module that grants ``role`` permissions."""
    grants = []
    for kind in ("aws_iam_role_policy", "aws_iam_role_policy_attachment"):
        for declaration in model.resources(kind):
            grant = (
                grant_of(model, declaration) if model.argument_target(declaration, "role") is role else None
            )
            if grant is not None:  # both kinds grant: always
                grants.append(grant)
    for file, block in role.nested("inline_policy"):
        if block.attribute("policy") is None:
            continue
        try:
            grants.append(Grant(role, document=policy.read_block(model, file, block)))
        except policy.Unreadable as unreadable:
            grants.append(Grant(role, unreadable=str(unreadable)))
    return grants


def _read(model, holder, declaration) -> Grant:
    try:
        document = policy.read(model, declaration)
    except policy.Unreadable as unreadable:
        return Grant(holder, unreadable=str(unreadable))
    if document is None:
        return Grant(holder, unreadable="it has no policy")
    return Grant(holder, document=document)
