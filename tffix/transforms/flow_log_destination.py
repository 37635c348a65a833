"""TFX002 flow-log-destination.

``aws_flow_log`` has no ``log_destination_arn``: with the provider's schema,
``terraform validate`` and ``plan`` stop with "Unsupported argument: An
argument named "log_destination_arn" is not expected here".  The argument is
``log_destination``.  An S3 (or Kinesis Data Firehose) destination also needs
``log_destination_type``: the default is CloudWatch Logs, so the flow log would
try to write to a log group that is not there.

Leaves alone: a ``log_destination_type`` already set (whatever its value); a
destination whose kind cannot be told from the text (a variable).  Where both
``log_destination_arn`` and ``log_destination`` are written, the wrong one is
removed only if it says the same thing.
"""
from __future__ import annotations

from tffix.rules import Fix, Rule, finding, replace
from tffix.syntax import query
from tffix.syntax.nodes import TemplateString

_DESTINATION_TYPES = {"aws_s3_bucket": "s3", "aws_kinesis_firehose_delivery_stream": "kinesis-data-firehose"}
_ARN_SERVICES = {":s3:::": "s3", ":firehose:": "kinesis-data-firehose"}


def check(module):
    for file, block in module.blocks("resource", "aws_flow_log"):
        wrong = block.attribute("log_destination_arn")
        if wrong is None:
            continue
        message = "`log_destination_arn` is not an argument of aws_flow_log; use `log_destination`"
        if block.attribute("log_destination") is not None:
            if block.attribute("log_destination").value.code.strip() == wrong.value.code.strip():
                fixed = block.remove(wrong)
                yield finding(file, wrong.name, message, fix=Fix(replace(file, block, fixed)))
            else:
                yield finding(file, wrong.name, message + " (both are set, to different values)")
            continue
        fixed = block.rename_attribute("log_destination_arn", "log_destination")
        kind = destination_type(wrong.value)
        if kind is not None and block.attribute("log_destination_type") is None:
            fixed = fixed.insert_attribute("log_destination_type", f'"{kind}"', after="log_destination")
            message += f', with `log_destination_type = "{kind}"`'
        yield finding(file, wrong.name, message, fix=Fix(replace(file, block, fixed)))


def destination_type(value) -> str | None:
    """``s3`` or ``kinesis-data-firehose`` when the destination's kind shows in the text."""
    for path in query.references(value):
        if path[0] in _DESTINATION_TYPES:
            return _DESTINATION_TYPES[path[0]]
    if isinstance(value, TemplateString):
        literal = "".join(part.text for part in value.parts if not hasattr(part, "expression"))
        for marker, kind in _ARN_SERVICES.items():
            if literal.startswith("arn:") and marker in literal:
                return kind
    return None


RULE = Rule("TFX002", "flow-log-destination", check,
            summary="rename log_destination_arn to log_destination in aws_flow_log (and set the S3 type)",
            safe=True)
