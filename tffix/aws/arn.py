"""ARNs: which service a (partly known) ARN names, and the ARNs tffix writes.

``arn:partition:service:region:account-id:resource`` (AWS's "Identify AWS resources
with Amazon Resource Names").  A template such as
``"arn:${data.aws_partition.current.partition}:s3:::${var.bucket}"`` still names
S3: its service field is literal even though the partition and bucket are not.
"""

from __future__ import annotations

from tffix.semantic.values import Unknown


def service(pieces: tuple) -> str | None:
    """The service field of an ARN given as literal pieces and unknown gaps, if it is literal."""
    fields: list[str | None] = [""]
    for piece in pieces:
        if isinstance(piece, Unknown):
            fields[-1] = None
            continue
        for index, part in enumerate(piece.split(":")):
            if index:
                fields.append(part)
            elif fields[-1] is not None:
                fields[-1] += part
    if len(fields) < 6 or fields[0] != "arn" or fields[2] is None:
        return None
    return fields[2]
