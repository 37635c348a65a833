"""TFX008 sfn-log-delivery: a state machine that logs needs its role to be allowed to set up log delivery.

An ``aws_sfn_state_machine`` with a ``logging_configuration`` fails to create
("AccessDeniedException: The state machine IAM Role is not authorized to access
the Log Destination") unless its role may call the CloudWatch Logs delivery
actions: ``logs:CreateLogDelivery``, ``logs:GetLogDelivery``,
``logs:UpdateLogDelivery``, ``logs:DeleteLogDelivery``, ``logs:ListLogDeliveries``,
``logs:PutResourcePolicy``, ``logs:DescribeResourcePolicies`` and
``logs:DescribeLogGroups``, on ``Resource "*"`` (AWS Step Functions Developer
Guide, "Using CloudWatch Logs to log execution history in Step Functions": the
IAM policy it gives; these actions take no resource ARN).

The role is what ``role_arn`` designates (an ``aws_iam_role`` of the module, also
through a local).  The fix adds the missing actions as one statement to the
role's policy when the module grants the role through exactly one policy it can
edit (an ``aws_iam_role_policy``, an attached ``aws_iam_policy`` or an
``inline_policy`` block), else writes a new ``aws_iam_role_policy`` on the role.
TFX004 then orders the state machine after that grant.

Leaves alone: a logging level of ``OFF``; roles the module does not declare; roles
with a policy tffix cannot read (it may grant the actions already); actions
granted in any form (``logs:*``, ``*``, a managed policy such as
``CloudWatchLogsFullAccess``).  Related checks: checkov CKV_AWS_285 (state
machine logging enabled) is nearby; none checks the role.
"""

from __future__ import annotations

from tffix.aws import iam
from tffix.aws.iam import LOG_DELIVERY
from tffix.aws.policy import Statement, full_policy
from tffix.rules import Rule, finding, replace
from tffix.syntax import build, edit

SID = "StepFunctionsLogDelivery"


def check(module):
    model = module.model
    for machine in model.resources("aws_sfn_state_machine"):
        logging = machine.nested("logging_configuration")
        if not logging or _level(model, logging) == "OFF":
            continue
        role = model.argument_target(machine, "role_arn")
        if role is None or role.type != "aws_iam_role" or role.block is None:
            continue
        grants = iam.role_grants(model, role)
        if any(grant.unreadable for grant in grants):
            continue
        missing = [action for action in LOG_DELIVERY if not any(grant.allows(action) for grant in grants)]
        if not missing:
            continue
        editable = [grant for grant in grants if grant.document is not None]
        where = (
            f"the policy of {editable[0].declaration.address}"
            if len(editable) == 1
            else f"a new aws_iam_role_policy on {role.address}"
        )
        message = (
            f"the role of {machine.address} ({role.address}) is not allowed "
            f'{", ".join(missing)}, which logging needs ("The state machine IAM Role is not authorized '
            f'to access the Log Destination"): grant them in {where}'
        )
        attr = machine.attribute("role_arn")
        file, _ = machine.owner_of("role_arn")
        statement = Statement(SID, tuple(missing), ())
        if len(editable) == 1:
            document = editable[0].document
            assert document is not None, "editable grants have a document"
            yield finding(file, attr.name, message, fix=lambda: document.add([statement], None))
        else:
            yield finding(file, attr.name, message, fix=lambda: _new_role_policy(machine, role, statement))


def _level(model, logging):
    """The logging level as written (``OFF`` is the provider's default when it is absent)."""
    _, block = logging[0]
    attr = block.attribute("level")
    return "OFF" if attr is None else model.literal(attr.value)


def _new_role_policy(machine, role, statement: Statement):
    """``resource "aws_iam_role_policy" "<machine>_log_delivery"`` on the role, after the state machine."""
    name = f"{machine.name}_log_delivery"
    block = build.Block(
        "resource",
        ("aws_iam_role_policy", name),
        items=[
            ("name", f"{machine.name}-log-delivery"),
            ("role", build.ref("aws_iam_role", role.name, then=("id",))),
            ("policy", build.raw(full_policy([statement]))),
        ],
    )
    file = machine.file
    tree = edit.insert_block(file.tree, block.text(), after=machine.block)
    return replace(file, file.tree, tree)


EXAMPLE = """\
resource "aws_iam_role" "sfn" {
  name               = "orders"
  assume_role_policy = data.aws_iam_policy_document.states_assume.json
}

resource "aws_cloudwatch_log_group" "sfn" {
  name = "/aws/states/orders"
}

resource "aws_sfn_state_machine" "orders" {
  name       = "orders"
  role_arn   = aws_iam_role.sfn.arn
  definition = file("${path.module}/orders.asl.json")

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }
}
"""

RULE = Rule(
    "TFX008",
    "sfn-log-delivery",
    check,
    summary="grant a logging state machine's role the CloudWatch Logs delivery actions",
    safe=True,
    related=("CKV_AWS_285",),
    doc=__doc__,
    example=EXAMPLE,
    needs=("aws_sfn_state_machine",),
)
