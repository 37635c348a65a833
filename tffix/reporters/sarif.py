"""SARIF 2.1.0 for code scanning, with each fix as ``fixes[].artifactChanges[].replacements``.

Choices a consumer can rely on:

- Columns count code points (``run.columnKind = "unicodeCodePoints"``), 1-based, end
  exclusive, as `LineIndex.position` gives them; a zero-length region is an insertion point.
- Paths are relative URIs with ``uriBaseId: "%SRCROOT%"``, and ``originalUriBaseIds``
  says %SRCROOT% is the directory tffix ran in; code scanning matches results on such
  stable paths.  A path outside the cwd (shown absolute) becomes a ``file://`` URI.
- A deletion carries ``insertedContent: {"text": ""}`` rather than no ``insertedContent``:
  both mean "delete" in SARIF, but reviewdog, which turns SARIF fixes into review
  suggestions (``parser/sarif.go``), silently drops a replacement without the text.
- ``partialFingerprints["tffixFingerprint/v1"]`` hashes the rule, the path, the text of
  the lines the finding covers (whitespace collapsed) and how many identical findings
  precede it: moving the code up or down keeps it, as GitHub's own line hash does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from urllib.parse import quote

import tffix
from tffix.rules import Finding
from tffix.syntax.source import SourceFile

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
HOMEPAGE = "https://github.com/tffix/tffix"
FINGERPRINT = "tffixFingerprint/v1"


def render(findings: Sequence[Finding], sources: Mapping[str, SourceFile]) -> str:
    descriptors, rule_index = _rules(findings)
    fingerprints = _fingerprints(findings, sources)
    results = [
        _result(finding, sources, rule_index[finding.code], fingerprints[i])
        for i, finding in enumerate(findings)
    ]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tffix",
                        "version": tffix.__version__,
                        "informationUri": HOMEPAGE,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {
                        "uri": _directory_uri(Path.cwd()),
                        "description": {
                            "text": "The directory tffix ran in: result paths are relative to it."
                        },
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rules(findings):
    """Every registered rule (so ``ruleIndex`` does not depend on what was found), then
    any code a finding carries that the registry does not know."""
    try:
        from tffix.registry import RULES as registered
    except ImportError:
        registered = ()
    descriptors: list[dict[str, object]] = []
    index: dict[str, int] = {}
    for rule in registered:
        index[rule.code] = len(descriptors)
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": "warning"},
                "properties": {"applicability": "safe" if rule.safe else "unsafe"},
            }
        )
    for finding in findings:
        if finding.code not in index:
            index[finding.code] = len(descriptors)
            descriptors.append(
                {"id": finding.code, "name": finding.name, "defaultConfiguration": {"level": "warning"}}
            )
    return descriptors, index


def _result(finding, sources, rule_index, fingerprint):
    result = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding.path),
                    "region": _region(sources[finding.path], finding.span.start, finding.span.end),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if finding.related:
        result["properties"] = {"related": list(finding.related)}
    if finding.fix is not None:
        result["fixes"] = [_fix(finding, sources)]
    return result


def _fix(finding, sources):
    changes = []
    for path in finding.fix.paths:
        replacements = []
        for edit in finding.fix.edits:
            if edit.span.path != path:
                continue
            replacements.append(
                {
                    "deletedRegion": _region(sources[path], edit.span.start, edit.span.end),
                    "insertedContent": {"text": edit.new_text},
                }
            )
        changes.append({"artifactLocation": _artifact(path), "replacements": replacements})
    return {
        "description": {"text": finding.message},
        "artifactChanges": changes,
        "properties": {"applicability": "safe" if finding.safe else "unsafe"},
    }


def _region(source, start, end):
    start_line, start_column = source.index.position(start)
    end_line, end_column = source.index.position(end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _artifact(path):
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(PurePath(path).as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _fingerprints(findings, sources):
    """One stable hash per finding, counted in source order so that the order findings
    arrive in does not matter."""
    seen: dict[str, int] = {}
    out = [""] * len(findings)
    for i in sorted(range(len(findings)), key=lambda i: (findings[i].span, findings[i].code)):
        finding = findings[i]
        source = sources[finding.path]
        first, last = source.index.lines(finding.span.start, finding.span.end)
        lines = source.text[source.index.line_start(first) : source.index.line_end(last, keep_newline=False)]
        spanned = source.text[finding.span.start : finding.span.end]
        key = "\0".join(
            (
                finding.code,
                PurePath(finding.path).as_posix(),
                " ".join(lines.split()),
                " ".join(spanned.split()),
            )
        )
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        out[i] = hashlib.sha256(f"{key}\0{occurrence}".encode()).hexdigest()
    return out
