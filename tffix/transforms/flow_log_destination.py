"""TFX002 flow-log-destination.

``aws_flow_log`` has no ``log_destination_arn``: with the provider's schema,
``terraform validate`` and ``plan`` stop with "Unsupported argument: An
argument named "log_destination_arn" is not expected here".  The argument is
``log_destination``.  An S3 (or Kinesis Data Firehose) destination also needs
``log_destination_type``: the default is CloudWatch Logs, so the flow log would
try to write to a log group that is not there.

The destination's kind comes from what the value refers to (an ``aws_s3_bucket``
or ``aws_kinesis_firehose_delivery_stream`` of the module, also through a local)
or from the service field of an ARN, even a templated one
(``"arn:${data.aws_partition.current.partition}:s3:::${var.bucket}"``).

In a ``.tf.json`` file the finding comes without a fix (the fix renames a key).

Leaves alone: a ``log_destination_type`` already set (whatever its value); a
destination whose kind cannot be told from the text (a variable).  Where both
``log_destination_arn`` and ``log_destination`` are written, the wrong one is
removed only if it says the same thing.
"""

from __future__ import annotations

from tffix.aws import arn
from tffix.rules import Rule, finding, replace
from tffix.syntax import build, edit, query

DESTINATION_TYPES = {"aws_s3_bucket": "s3", "aws_kinesis_firehose_delivery_stream": "kinesis-data-firehose"}
ARN_SERVICES = {"s3": "s3", "firehose": "kinesis-data-firehose"}
MESSAGE = "`log_destination_arn` is not an argument of aws_flow_log; use `log_destination`"


def check(module):
    model = module.model
    for flow_log in model.resources("aws_flow_log"):
        if flow_log.is_json:
            wrong = flow_log.node.get("log_destination_arn")
            if wrong is not None:  # renaming a JSON key is not a plain value change: no fix
                yield finding(flow_log.file, wrong, MESSAGE)
            continue
        wrong = flow_log.attribute("log_destination_arn")
        if wrong is None:
            continue
        file, block = flow_log.owner_of("log_destination_arn")  # an override file's block, if it is set there
        current = flow_log.attribute("log_destination")
        if current is not None:
            if query.same_expression(current.value, wrong.value):
                yield finding(
                    file, wrong.name, MESSAGE, fix=lambda: replace(file, block, edit.remove(block, wrong))
                )
            else:
                yield finding(file, wrong.name, MESSAGE + " (both are set, to different values)")
            continue
        kind = destination_type(model, flow_log, wrong.value)
        if kind is None or flow_log.attribute("log_destination_type") is not None:
            yield finding(file, wrong.name, MESSAGE, fix=lambda: replace(file, block, _renamed(block)))
            continue
        yield finding(
            file,
            wrong.name,
            MESSAGE + f', with `log_destination_type = "{kind}"`',
            fix=lambda: replace(
                file,
                block,
                edit.insert_attribute(
                    _renamed(block), "log_destination_type", build.render(kind), after="log_destination"
                ),
            ),
        )


def _renamed(block):
    return edit.rename_attribute(block, "log_destination_arn", "log_destination")


def destination_type(model, flow_log, value) -> str | None:
    """``s3`` or ``kinesis-data-firehose`` when the destination's kind shows in the text."""
    for reference in model.references_in(flow_log, value):
        target = model.points_to(reference.node) or reference
        if target.resource_type in DESTINATION_TYPES:
            return DESTINATION_TYPES[target.resource_type]
    return ARN_SERVICES.get(arn.service(model.shape(value)) or "")


EXAMPLE = """\
resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.flow_logs.arn
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id
}
"""

RULE = Rule(
    "TFX002",
    "flow-log-destination",
    check,
    summary="rename log_destination_arn to log_destination in aws_flow_log (and set the S3 type)",
    safe=True,
    doc=__doc__,
    example=EXAMPLE,
    needs=("aws_flow_log",),
)
