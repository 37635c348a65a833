"""reviewdog's rdjsonl: one ``Diagnostic`` JSON object per line, fixes as ``suggestions``.

Positions are 1-based lines and 1-based columns in UTF-8 bytes, end exclusive
(`LineIndex.byte_column`); an insertion has ``start == end``, a deletion ``text: ""``.

The shape of the fixes follows what reviewdog can post (reviewdog/reviewdog
``service/github/github.go``): a review comment sits on the lines of a diagnostic's first
suggestion, and any other suggestion not on exactly those lines is replaced by an error
note; a suggestion has no path of its own.  So the edits of a fix are grouped into
*hunks* -- edits of one file at most three unchanged lines apart, like the context that
joins hunks of a diff -- and each hunk is one suggestion whose text is that stretch as the
fix leaves it:

- the finding's diagnostic, at the finding, carries the first hunk in its own file;
- every other hunk (further down, or in another file of a multi-file fix) is a diagnostic
  of its own at the hunk, its message the finding's plus "part of the fix for PATH:L:C";
- the finding lists those hunks in ``related_locations``, and each lists the finding.

reviewdog reads rdjsonl with a ``bufio.Scanner`` of default size and stops without an
error at a line of 64 KiB or more (``parser/rdjsonl.go``), losing every later diagnostic;
a diagnostic that would be that long is written without its suggestion, and says so.

Only fixes this run would apply are suggestions (``applicable``): an unsafe fix is offered
only with ``--unsafe-fixes``; without it the message says how to get it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tffix.edits import Edit, apply_edits
from tffix.reporters.sarif import HOMEPAGE
from tffix.rules import Finding
from tffix.syntax.source import SourceFile, Span

JOIN_LINES = 3
MAX_LINE_BYTES = 64 * 1024  # Go's bufio.MaxScanTokenSize, newline included
TOO_LONG = " (the fix is too long for reviewdog to read; `tffix --apply` makes it)"
HIDDEN = " (an unsafe fix is available with `--unsafe-fixes`)"


@dataclass(frozen=True, slots=True)
class Hunk:
    span: Span
    text: str


def render(findings: Sequence[Finding], sources: Mapping[str, SourceFile], applicable=None) -> str:
    if applicable is None:
        from tffix.reporters import safe_only as applicable
    out: list[str] = []
    for finding in findings:
        if finding.fix is not None and not applicable(finding):
            message = finding.message + (HIDDEN if not finding.safe else "")
            finding = dataclasses.replace(finding, fix=None, message=message)
        out.extend(_line(diagnostic) for diagnostic in _diagnostics(finding, sources))
    return "".join(out)


def _diagnostics(finding, sources):
    hunks = _hunks(finding, sources)
    own = next((hunk for hunk in hunks if hunk.span.path == finding.path), None)
    others = [hunk for hunk in hunks if hunk is not own]
    here = _location(sources, finding.span)
    primary = _diagnostic(finding, finding.message, here, own, sources)
    if others:
        primary["related_locations"] = [
            {"message": "part of the fix for this finding", "location": _location(sources, hunk.span)}
            for hunk in others
        ]
    yield primary
    line, column = sources[finding.path].index.position(finding.span.start)
    message = f"{finding.message} (part of the fix for {finding.path}:{line}:{column})"
    for hunk in others:
        diagnostic = _diagnostic(finding, message, _location(sources, hunk.span), hunk, sources)
        diagnostic["related_locations"] = [{"message": "the finding this edit fixes", "location": here}]
        yield diagnostic


def _diagnostic(finding, message, location, hunk, sources):
    diagnostic = {
        "message": message,
        "location": location,
        "severity": "WARNING",
        "source": {"name": "tffix", "url": HOMEPAGE},
        "code": {"value": finding.code},
    }
    if hunk is not None:
        diagnostic["suggestions"] = [{"range": _range(sources, hunk.span), "text": hunk.text}]
    return diagnostic


def _hunks(finding, sources) -> list[Hunk]:
    """The fix's edits, file by file, joined where they lie close together."""
    if finding.fix is None:
        return []
    hunks = []
    for path in finding.fix.paths:
        index = sources[path].index
        groups: list[list[Edit]] = []
        for edit in finding.fix.edits:
            if edit.span.path != path:
                continue
            if groups:
                gap = index.position(edit.span.start)[0] - index.position(groups[-1][-1].span.end)[0] - 1
                if gap <= JOIN_LINES:
                    groups[-1].append(edit)
                    continue
            groups.append([edit])
        for group in groups:
            start, end = group[0].span.start, group[-1].span.end
            local = [Edit(Span(path, e.span.start - start, e.span.end - start), e.new_text) for e in group]
            hunks.append(Hunk(Span(path, start, end), apply_edits(index.text[start:end], local)))
    return hunks


def _location(sources, span):
    return {"path": span.path, "range": _range(sources, span)}


def _range(sources, span):
    return {
        "start": _position(sources[span.path].index, span.start),
        "end": _position(sources[span.path].index, span.end),
    }


def _position(index, offset):
    return {"line": index.line_of(offset), "column": index.byte_column(offset)}


def _line(diagnostic) -> str:
    line = json.dumps(diagnostic, ensure_ascii=False) + "\n"
    if "suggestions" in diagnostic and len(line.encode("utf-8")) > MAX_LINE_BYTES:
        diagnostic = dict(diagnostic, message=diagnostic["message"] + TOO_LONG)
        del diagnostic["suggestions"]
        line = json.dumps(diagnostic, ensure_ascii=False) + "\n"
    return line
