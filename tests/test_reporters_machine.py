"""The machine formats (sarif, rdjsonl, github) on hand-built findings: exact positions,
schema validity against the vendored SARIF and reviewdog schemas, GitHub's escaping."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tffix.edits import Edit, apply_edits
from tffix.reporters import github, rdjsonl, sarif
from tffix.rules import Finding, Fix
from tffix.syntax.source import SourceFile, Span

SCHEMAS = Path(__file__).parent / "schemas"
REPO = Path(__file__).parent.parent


def validator(path: Path) -> jsonschema.Draft4Validator:
    """A draft-04 validator whose references resolve inside the file, never on the network."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    resource = Resource.from_contents(schema, default_specification=DRAFT4)
    registry = Registry().with_resource(schema.get("id", path.as_uri()), resource)
    return jsonschema.Draft4Validator(schema, registry=registry)


SARIF_SCHEMA = validator(SCHEMAS / "sarif" / "sarif-2.1.0-rtm.5.json")
RDJSON_SCHEMA = validator(SCHEMAS / "reviewdog" / "Diagnostic.json")

# Line 2 has a 2-byte `ü` and a 4-byte `😀` (one code point each) before the finding.
MAIN = 'resource "aws_flow_log" "vpc" {\n  /* ü😀 */ log_destination_arn = aws_s3_bucket.logs.arn\n}\n'
CRLF = 'resource "aws_db_instance" "db" {\r\n  deletion_protection = true\r\n}\r\n'
TRAIL = 'resource "aws_cloudtrail" "t" {\n  kms_key_id = aws_kms_key.k.arn\n}\n'
KMS = "".join(f"line{i}\n" for i in range(1, 13))


def at(text, needle, path, start=0):
    offset = text.index(needle, start)
    return Span(path, offset, offset + len(needle))


def insert(path, offset, text):
    return Edit(Span(path, offset, offset), text)


def build():
    name = at(MAIN, "log_destination_arn", "main.tf")
    rename = Finding(
        name,
        "`log_destination_arn` is not an argument; use `log_destination`",
        Fix(
            (
                Edit(Span("main.tf", name.end - 4, name.end), ""),  # deletion
                insert("main.tf", MAIN.rindex("}"), '  log_destination_type = "s3"\n'),
            )
        ),  # insertion
        code="TFX002",
        name="flow-log-destination",
    )
    line_2 = Span("crlf.tf", CRLF.index("  deletion"), CRLF.index("}"))
    crlf_fix = Finding(
        at(CRLF, "deletion_protection", "crlf.tf"),
        "remove it",
        Fix((Edit(line_2, ""),)),
        related=("CKV_AWS_293",),
        code="TFX005",
        name="deletion-protection",
        safe=False,
    )
    crlf_block = Finding(
        Span("crlf.tf", 0, CRLF.rindex("}") + 1),
        "no fix here",
        code="TFX005",
        name="deletion-protection",
        safe=False,
    )
    multi = Finding(
        at(TRAIL, "kms_key_id", "trail.tf"),
        "the key policy does not let CloudTrail use the key",
        Fix(
            (
                Edit(at(TRAIL, "arn", "trail.tf"), "id"),
                insert("kms.tf", KMS.index("line2"), "inserted\n"),
                Edit(at(KMS, "line10", "kms.tf"), "LINE10"),
                Edit(at(KMS, "12", "kms.tf", KMS.index("line12")), "twelve"),
            )
        ),
        code="TFX003",
        name="kms-cloudtrail-policy",
    )
    sources = {
        path: SourceFile(path, text)
        for path, text in (("main.tf", MAIN), ("crlf.tf", CRLF), ("trail.tf", TRAIL), ("kms.tf", KMS))
    }
    return [rename, crlf_fix, crlf_block, multi], sources


def region(start_line, start_column, end_line, end_column):
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def rd_range(start_line, start_column, end_line, end_column):
    return {
        "start": {"line": start_line, "column": start_column},
        "end": {"line": end_line, "column": end_column},
    }


# --- SARIF -----------------------------------------------------------------------------


def sarif_log(findings=None, sources=None):
    if findings is None:
        findings, sources = build()
    return json.loads(sarif.render(findings, sources))


def test_sarif_is_valid_against_the_2_1_0_schema():
    log = sarif_log()
    SARIF_SCHEMA.validate(log)
    assert log["version"] == "2.1.0"


def test_the_schema_check_rejects_a_bad_level():
    log = sarif_log()
    log["runs"][0]["results"][0]["level"] = "warn"
    with pytest.raises(jsonschema.ValidationError):
        SARIF_SCHEMA.validate(log)


def test_sarif_run_describes_tool_rules_columns_and_source_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    run = sarif_log()["runs"][0]
    driver = run["tool"]["driver"]
    import tffix
    from tffix.registry import RULES

    assert (driver["name"], driver["version"]) == ("tffix", tffix.__version__)
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in RULES]
    flow_log = driver["rules"][[rule.code for rule in RULES].index("TFX002")]
    assert flow_log["name"] == "flow-log-destination"
    assert flow_log["shortDescription"]["text"] == RULES[1].summary
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "warning"


def test_sarif_columns_count_code_points_and_ends_are_exclusive():
    rename = sarif_log()["runs"][0]["results"][0]
    location = rename["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == region(2, 12, 2, 31)
    assert rename["message"]["text"] == "`log_destination_arn` is not an argument; use `log_destination`"


def test_sarif_deletion_and_insertion_replacements():
    (fix,) = sarif_log()["runs"][0]["results"][0]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [
        {"deletedRegion": region(2, 27, 2, 31), "insertedContent": {"text": ""}},
        {"deletedRegion": region(3, 1, 3, 1), "insertedContent": {"text": '  log_destination_type = "s3"\n'}},
    ]
    assert fix["properties"] == {"applicability": "safe"}


def test_sarif_crlf_line_deletion_ends_at_the_next_line():
    results = sarif_log()["runs"][0]["results"]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == region(2, 3, 2, 22)
    (change,) = results[1]["fixes"][0]["artifactChanges"]
    assert change["replacements"] == [{"deletedRegion": region(2, 1, 3, 1), "insertedContent": {"text": ""}}]
    assert results[1]["fixes"][0]["properties"] == {"applicability": "unsafe"}
    assert results[1]["properties"] == {"related": ["CKV_AWS_293"]}


def test_sarif_finding_without_fix_has_no_fixes():
    block = sarif_log()["runs"][0]["results"][2]
    assert "fixes" not in block
    assert block["locations"][0]["physicalLocation"]["region"] == region(1, 1, 3, 2)


def test_sarif_multi_file_fix_has_one_artifact_change_per_file():
    (fix,) = sarif_log()["runs"][0]["results"][3]["fixes"]
    kms, trail = fix["artifactChanges"]
    assert kms["artifactLocation"]["uri"] == "kms.tf"
    assert [r["deletedRegion"] for r in kms["replacements"]] == [
        region(2, 1, 2, 1),
        region(10, 1, 10, 7),
        region(12, 5, 12, 7),
    ]
    assert trail["artifactLocation"]["uri"] == "trail.tf"
    assert trail["replacements"] == [
        {"deletedRegion": region(2, 30, 2, 33), "insertedContent": {"text": "id"}}
    ]


def test_sarif_uris_are_percent_encoded_or_absolute():
    sources = {
        "dir name/ü.tf": SourceFile("dir name/ü.tf", "x\n"),
        "/abs/a.tf": SourceFile("/abs/a.tf", "x\n"),
    }
    findings = [Finding(Span(path, 0, 1), "m", code="TFX002") for path in sources]
    results = sarif_log(findings, sources)["runs"][0]["results"]
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert artifacts == [
        {"uri": "dir%20name/%C3%BC.tf", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///abs/a.tf"},
    ]


def fingerprints(findings, sources):
    return [
        r["partialFingerprints"]["tffixFingerprint/v1"]
        for r in sarif_log(findings, sources)["runs"][0]["results"]
    ]


def test_fingerprints_are_stable_across_runs_and_line_moves():
    findings, sources = build()
    first = fingerprints(findings, sources)
    assert first == fingerprints(findings, sources)
    assert len(set(first)) == len(first)
    shift = "# a comment added above\n\n"
    moved = [
        Finding(Span("main.tf", f.span.start + len(shift), f.span.end + len(shift)), f.message, code=f.code)
        for f in findings[:1]
    ]
    assert fingerprints(moved, {"main.tf": SourceFile("main.tf", shift + MAIN)}) == first[:1]
    assert fingerprints(list(reversed(findings)), sources) == list(reversed(first))


def test_identical_findings_get_distinct_fingerprints():
    text = "a = 1\na = 1\n"
    sources = {"t.tf": SourceFile("t.tf", text)}
    findings = [
        Finding(Span("t.tf", 0, 1), "m", code="TFX002"),
        Finding(Span("t.tf", 6, 7), "m", code="TFX002"),
    ]
    first, second = fingerprints(findings, sources)
    assert first != second


def test_sarif_without_a_registry_lists_the_rules_it_found(monkeypatch):
    monkeypatch.setitem(sys.modules, "tffix.registry", None)
    log = sarif_log()
    SARIF_SCHEMA.validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [(rule["id"], rule["name"]) for rule in rules] == [
        ("TFX002", "flow-log-destination"),
        ("TFX005", "deletion-protection"),
        ("TFX003", "kms-cloudtrail-policy"),
    ]


# --- rdjsonl ---------------------------------------------------------------------------


def diagnostics(findings=None, sources=None, applicable=lambda finding: finding.fix is not None):
    """rdjsonl as with --unsafe-fixes (every fix offered), unless ``applicable`` says otherwise."""
    if findings is None:
        findings, sources = build()
    text = rdjsonl.render(findings, sources, applicable)
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_every_rdjsonl_line_is_a_valid_diagnostic():
    lines = diagnostics()
    assert len(lines) == 6
    for diagnostic in lines:
        RDJSON_SCHEMA.validate(diagnostic)
        assert diagnostic["severity"] == "WARNING"
        assert diagnostic["source"]["name"] == "tffix"


def test_the_schema_check_rejects_lowercase_severity():
    diagnostic = diagnostics()[0]
    diagnostic["severity"] = "warning"
    with pytest.raises(jsonschema.ValidationError):
        RDJSON_SCHEMA.validate(diagnostic)


def test_rdjsonl_columns_count_utf8_bytes():
    rename = diagnostics()[0]
    assert rename["location"] == {"path": "main.tf", "range": rd_range(2, 16, 2, 35)}
    assert rename["code"] == {"value": "TFX002"}
    # The deletion of `_arn` and the insertion on the next line make one suggestion.
    assert rename["suggestions"] == [
        {
            "range": rd_range(2, 31, 3, 1),
            "text": ' = aws_s3_bucket.logs.arn\n  log_destination_type = "s3"\n',
        }
    ]


def test_rdjsonl_crlf_deletion_and_finding_without_fix():
    deletion, block = diagnostics()[1:3]
    assert deletion["location"]["range"] == rd_range(2, 3, 2, 22)
    assert deletion["suggestions"] == [{"range": rd_range(2, 1, 3, 1), "text": ""}]
    assert block["location"]["range"] == rd_range(1, 1, 3, 2)
    assert "suggestions" not in block


def test_rdjsonl_offers_an_unsafe_fix_only_with_unsafe_fixes():
    findings, sources = build()
    unsafe = [finding for finding in findings if finding.fix is not None and not finding.safe]
    assert unsafe
    for diagnostic in diagnostics(unsafe, sources, applicable=lambda f: f.fix is not None and f.safe):
        assert "suggestions" not in diagnostic
        assert diagnostic["message"].endswith(rdjsonl.HIDDEN)
    assert all("suggestions" in d for d in diagnostics(unsafe, sources))
    assert "suggestions" not in json.loads(rdjsonl.render(unsafe[:1], sources))  # the default: safe only


def test_rdjsonl_multi_file_fix_gives_one_diagnostic_per_hunk():
    primary, top, bottom = diagnostics()[3:]
    assert primary["location"] == {"path": "trail.tf", "range": rd_range(2, 3, 2, 13)}
    assert primary["suggestions"] == [{"range": rd_range(2, 30, 2, 33), "text": "id"}]
    assert primary["related_locations"] == [
        {
            "message": "part of the fix for this finding",
            "location": {"path": "kms.tf", "range": rd_range(2, 1, 2, 1)},
        },
        {
            "message": "part of the fix for this finding",
            "location": {"path": "kms.tf", "range": rd_range(10, 1, 12, 7)},
        },
    ]
    for companion in (top, bottom):
        assert companion["message"] == (
            "the key policy does not let CloudTrail use the key (part of the fix for trail.tf:2:3)"
        )
        assert companion["code"] == {"value": "TFX003"}
        assert companion["related_locations"] == [
            {"message": "the finding this edit fixes", "location": primary["location"]}
        ]
    assert top["location"]["path"] == bottom["location"]["path"] == "kms.tf"
    assert top["suggestions"] == [{"range": rd_range(2, 1, 2, 1), "text": "inserted\n"}]
    # line10 and line12 are one unchanged line apart: one suggestion rewrites lines 10-12.
    assert bottom["suggestions"] == [{"range": rd_range(10, 1, 12, 7), "text": "LINE10\nline11\nlinetwelve"}]


def apply_suggestions(text: str, suggestions) -> str:
    """Apply rdjson suggestions the way reviewdog reads them: lines split at LF, columns in bytes."""
    raw = text.encode()
    lines = raw.split(b"\n")

    def offset(position):
        return sum(len(line) + 1 for line in lines[: position["line"] - 1]) + position["column"] - 1

    out, position = b"", 0
    for suggestion in sorted(suggestions, key=lambda s: offset(s["range"]["start"])):
        out += raw[position : offset(suggestion["range"]["start"])] + suggestion["text"].encode()
        position = offset(suggestion["range"]["end"])
    return (out + raw[position:]).decode()


@pytest.mark.parametrize("which", range(4))
def test_rdjsonl_suggestions_reproduce_the_fix(which):
    findings, sources = build()
    finding = findings[which]
    suggested = {}
    for diagnostic in diagnostics([finding], sources):
        if "suggestions" in diagnostic:
            suggested.setdefault(diagnostic["location"]["path"], []).extend(diagnostic["suggestions"])
    expected = {}
    if finding.fix is not None:
        expected = {
            path: apply_edits(sources[path].text, [e for e in finding.fix.edits if e.span.path == path])
            for path in finding.fix.paths
        }
    assert {path: apply_suggestions(sources[path].text, s) for path, s in suggested.items()} == expected


def test_rdjsonl_drops_a_suggestion_reviewdog_could_not_read():
    text = "a = 1\n"
    sources = {"t.tf": SourceFile("t.tf", text)}
    huge = Finding(
        Span("t.tf", 0, 1), "too big", Fix((Edit(Span("t.tf", 6, 6), "x" * 70_000),)), code="TFX003"
    )
    line = rdjsonl.render([huge], sources)
    assert len(line.encode()) <= rdjsonl.MAX_LINE_BYTES
    diagnostic = json.loads(line)
    RDJSON_SCHEMA.validate(diagnostic)
    assert "suggestions" not in diagnostic
    assert diagnostic["message"] == "too big" + rdjsonl.TOO_LONG


# --- github ----------------------------------------------------------------------------


def test_github_annotations_positions():
    findings, sources = build()
    assert github.render(findings, sources).splitlines() == [
        "::warning title=tffix (TFX002),file=main.tf,line=2,col=12,endLine=2,endColumn=30::"
        "`log_destination_arn` is not an argument; use `log_destination`",
        "::warning title=tffix (TFX005),file=crlf.tf,line=2,col=3,endLine=2,endColumn=21::remove it",
        "::warning title=tffix (TFX005),file=crlf.tf,line=1,endLine=3::no fix here",
        "::warning title=tffix (TFX003),file=trail.tf,line=2,col=3,endLine=2,endColumn=12::"
        "the key policy does not let CloudTrail use the key",
    ]


def test_github_escapes_like_the_actions_toolkit():
    path = "odd,dir/a:b%.tf"
    sources = {path: SourceFile(path, "x = 1\n")}
    finding = Finding(Span(path, 0, 0), "100% sure: a, b\r\nnext\nline", code="TFX002")
    assert github.render([finding], sources) == (
        "::warning title=tffix (TFX002),file=odd%2Cdir/a%3Ab%25.tf,line=1,col=1,endLine=1,endColumn=1"
        "::100%25 sure: a, b%0D%0Anext%0Aline\n"
    )


def test_empty_outputs():
    assert github.render([], {}) == ""
    assert rdjsonl.render([], {}) == ""
    log = sarif_log([], {})
    SARIF_SCHEMA.validate(log)
    assert log["runs"][0]["results"] == []


# --- end to end ------------------------------------------------------------------------


def apply_replacements(text: str, replacements) -> str:
    """Apply SARIF replacements: lines split at LF, columns in code points."""
    lines = text.split("\n")

    def offset(line, column):
        return sum(len(previous) + 1 for previous in lines[: line - 1]) + column - 1

    out, position = "", 0
    for replacement in sorted(
        replacements, key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"])
    ):
        region = replacement["deletedRegion"]
        out += text[position : offset(region["startLine"], region["startColumn"])]
        out += replacement.get("insertedContent", {}).get("text", "")
        position = offset(region["endLine"], region["endColumn"])
    return out + text[position:]


GOLDEN = sorted(path.parent for path in (REPO / "golden").glob("*/*/input"))


@pytest.mark.parametrize("case", GOLDEN, ids=[f"{case.parent.name}/{case.name}" for case in GOLDEN])
def test_golden_fixes_survive_both_formats(case):
    """Per finding of every golden case, the rdjsonl suggestions and the SARIF replacements
    rebuild exactly what its edits make (two findings' fixes may overlap, so not all at once)."""
    from tffix.api import fix_sources

    inputs = case / "input"
    files = {
        path.relative_to(inputs).as_posix(): path.read_bytes().decode()
        for path in sorted(inputs.rglob("*.tf"))
    }
    args = (case / "args").read_text().split() if (case / "args").exists() else []
    result = fix_sources(files, unsafe=True, target="opentofu" if "opentofu" in args else "terraform")
    for finding in result.findings:
        expected = {}
        if finding.fix is not None:
            expected = {
                path: apply_edits(files[path], [e for e in finding.fix.edits if e.span.path == path])
                for path in finding.fix.paths
            }
        suggested = {}
        for diagnostic in diagnostics([finding], result.sources):
            RDJSON_SCHEMA.validate(diagnostic)
            if "suggestions" in diagnostic:
                suggested.setdefault(diagnostic["location"]["path"], []).extend(diagnostic["suggestions"])
        assert {path: apply_suggestions(files[path], s) for path, s in suggested.items()} == expected
        log = sarif_log([finding], result.sources)
        SARIF_SCHEMA.validate(log)
        changes = [
            change
            for fix in log["runs"][0]["results"][0].get("fixes", ())
            for change in fix["artifactChanges"]
        ]
        assert {
            change["artifactLocation"]["uri"]: apply_replacements(
                files[change["artifactLocation"]["uri"]], change["replacements"]
            )
            for change in changes
        } == expected


@pytest.mark.parametrize("format_name", ["sarif", "rdjsonl", "github"])
def test_cli_machine_formats_on_the_example(format_name):
    run = subprocess.run(
        [sys.executable, "-m", "tffix", "--format", format_name, "examples/flow-log"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr
    if format_name == "sarif":
        log = json.loads(run.stdout)
        SARIF_SCHEMA.validate(log)
        (result,) = log["runs"][0]["results"]
        assert result["ruleId"] == "TFX002"
        assert (
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "examples/flow-log/main.tf"
        )
        assert result["locations"][0]["physicalLocation"]["region"] == region(11, 3, 11, 22)
    elif format_name == "rdjsonl":
        (line,) = run.stdout.splitlines()
        diagnostic = json.loads(line)
        RDJSON_SCHEMA.validate(diagnostic)
        assert diagnostic["location"] == {
            "path": "examples/flow-log/main.tf",
            "range": rd_range(11, 3, 11, 22),
        }
        assert len(diagnostic["suggestions"]) == 1
    else:
        assert run.stdout == (
            "::warning title=tffix (TFX002),file=examples/flow-log/main.tf,line=11,col=3,endLine=11,endColumn=21"
            "::`log_destination_arn` is not an argument of aws_flow_log; use `log_destination`,"
            ' with `log_destination_type = "s3"`\n'
        )


# --- whole-token edits from the rules ----------------------------------------------------

RENAME_ALONE = """\
resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_cloudwatch_log_group.g.arn

  traffic_type = "ALL"
}
"""
DYNAMODB = """\
resource "aws_dynamodb_table" "t" {
  name                        = "t"
  deletion_protection_enabled = true
}
"""


def test_rdjsonl_suggestion_replaces_the_whole_identifier():
    """Not "delete `_arn`": the suggestion a reviewer sees names the argument it writes."""
    from tffix.api import fix_sources

    result = fix_sources({"main.tf": RENAME_ALONE}, select=["TFX002"])
    (diagnostic,) = diagnostics(result.findings, result.sources)
    assert diagnostic["suggestions"] == [{"range": rd_range(2, 3, 2, 22), "text": "log_destination"}]


def test_sarif_replacement_replaces_the_whole_keyword():
    """`true` -> `false` is one replacement of `true` (a character diff sends "replace `tru` with `fals`")."""
    from tffix.api import fix_sources

    result = fix_sources({"main.tf": DYNAMODB}, unsafe=True)
    (finding,) = result.findings
    (fix,) = sarif_log([finding], result.sources)["runs"][0]["results"][0]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["replacements"] == [
        {"deletedRegion": region(3, 33, 3, 37), "insertedContent": {"text": "false"}}
    ]
    assert fix["properties"] == {"applicability": "unsafe"}
