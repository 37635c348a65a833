"""TFX009 event-selector-arn: all-resources wildcards that CloudTrail rejects in basic event selectors.

``event_selector { data_resource { values = ["arn:aws:s3:::*/*"] } }`` looks like
"every object of every bucket", but CloudTrail refuses it when the trail is
created or updated (InvalidEventSelectorsException), and likewise
``arn:aws:s3:::*``, ``arn:aws:dynamodb:*:*:table/*`` and
``arn:aws:lambda:*:*:function:*``.  The documented values for "all resources of
the type in the account" are the bare prefixes ``arn:aws:s3``, ``arn:aws:lambda``
and ``arn:aws:dynamodb`` (CloudTrail API Reference, ``DataResource``, ``Values``:
"To log data events for all objects in all S3 buckets in your AWS account,
specify the prefix as arn:aws:s3"; the same for Lambda and DynamoDB).  The fix
writes them, keeping the partition the value had (``aws-us-gov``, or a
``${data.aws_partition...}`` interpolation); a value that the replacement
already lists is removed instead of written twice.

Leaves alone: specific ARNs and prefixes (``arn:aws:s3:::bucket/``), values it
cannot read (variables), advanced event selectors (which take their own syntax).
Related checks: none known among checkov, trivy and KICS.
"""

from __future__ import annotations

import re

from tffix.rules import Rule, finding, replace
from tffix.semantic.values import Unknown
from tffix.syntax import build, edit
from tffix.syntax import nodes as n

# service -> the rest of an all-resources wildcard after "arn:<partition>:"
WILDCARDS = {
    "s3": (re.compile(r":s3:::\*(/\*)?"),),
    "dynamodb": (re.compile(r":dynamodb:\*:\*:table/\*"),),
    "lambda": (re.compile(r":lambda:\*:\*:function:\*"),),
}


def check(module):
    model = module.model
    for trail in model.resources("aws_cloudtrail"):
        for file, selector in trail.nested("event_selector"):
            for resource in selector.blocks("data_resource"):
                values = resource.attribute("values")
                if values is None or not isinstance(values.value, n.Tuple):
                    continue
                wrong = [
                    (item.value, fixed)
                    for item in values.value.items
                    if (fixed := _documented(model, item.value)) is not None
                ]
                if not wrong:
                    continue
                shown = ", ".join(f"`{_plain(model, node)}`" for node, _ in wrong)
                wanted = ", ".join(dict.fromkeys(f"`{_plain_text(value)}`" for _, value in wrong))
                message = (
                    f"CloudTrail rejects {shown} in an event selector (InvalidEventSelectorsException);"
                    f" the documented value for all resources is {wanted}"
                )
                yield finding(file, wrong[0][0], message, fix=lambda: _fixed(model, file, values, wrong))


def _documented(model, value):
    """The documented all-resources value standing for a rejected wildcard, as an expression; None if fine."""
    pieces = model.shape(value)
    if len(pieces) > 3 or not pieces or not isinstance(pieces[-1], str):
        return None
    tail = pieces[-1]
    if len(pieces) == 1:
        match = re.fullmatch(r"arn:([a-z-]+)(:.*)", tail)
        if match is None:
            return None
        partition, tail = match.group(1), match.group(2)
    elif len(pieces) == 3 and pieces[0] == "arn:" and isinstance(pieces[1], Unknown):
        partition = None
    else:
        return None
    for service, patterns in WILDCARDS.items():
        if any(pattern.fullmatch(tail) for pattern in patterns):
            if partition is not None:
                return build.string(f"arn:{partition}:{service}")
            return build.template("arn:", build.raw(pieces[1].node.code.strip()), f":{service}")
    return None


def _fixed(model, file, attribute, wrong):
    root = attribute
    present = {_plain(model, item.value) for item in attribute.value.items}
    written = set()
    for node, replacement in wrong:
        text = replacement.text
        plain = _plain_text(replacement)
        if plain in present - {_plain(model, node)} or plain in written:
            root = edit.replace_in_list(root, node, [])
        else:
            root = edit.replace_in_list(root, node, [text])
            written.add(plain)
    return replace(file, attribute, root)


def _plain(model, node) -> str:
    return "".join(piece if isinstance(piece, str) else "${...}" for piece in model.shape(node))


def _plain_text(expression: build.Expression) -> str:
    return "".join(part if isinstance(part, str) else "${...}" for part in expression.parts)


EXAMPLE = """\
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::*/*"]
    }
  }
}
"""

RULE = Rule(
    "TFX009",
    "event-selector-arn",
    check,
    summary="replace all-resources wildcards CloudTrail rejects in event selectors by the documented values",
    safe=True,
    doc=__doc__,
    example=EXAMPLE,
    needs=("aws_cloudtrail",),
)
