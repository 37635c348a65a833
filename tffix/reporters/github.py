"""GitHub Actions workflow commands: one ``::warning ...::message`` annotation per finding.

Escaping is actions/toolkit's (``packages/core/src/command.ts``): the message escapes
``%``, CR and LF; property values also ``:`` and ``,``, which would end them.

Positions are 1-based, columns in code points.  The toolkit defaults ``endColumn`` to
``col``, so GitHub's end column is the last character, inclusive: the span's exclusive
end is turned into its last character.  Columns may not be sent for a range over several
lines (``AnnotationProperties`` in ``core.ts``), so such a finding gives lines only.
GitHub caps the annotations shown per step: they point at findings, they do not list
them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tffix.rules import Finding
from tffix.syntax.source import SourceFile


def render(findings: Sequence[Finding], sources: Mapping[str, SourceFile]) -> str:
    return "".join(_annotation(finding, sources[finding.path]) for finding in findings)


def _annotation(finding, source) -> str:
    span = finding.span
    line, column = source.index.position(span.start)
    end_line, end_column = source.index.position(span.end - 1 if span.end > span.start else span.start)
    properties = {"title": f"tffix ({finding.code})", "file": finding.path, "line": line}
    if end_line == line:
        properties.update(col=column, endLine=end_line, endColumn=end_column)
    else:
        properties["endLine"] = end_line
    fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::warning {fields}::{escape_data(finding.message)}\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
