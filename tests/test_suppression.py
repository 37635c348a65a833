"""Suppression comments: which spellings count, what they silence, and what the engine can
report about them (unknown codes; comments that silenced nothing, as ruff's RUF100)."""

from __future__ import annotations

import pytest

from tffix.api import fix_sources
from tffix.rules import Finding
from tffix.semantic.module import ModuleFile
from tffix.suppression import (
    Suppression,
    UnknownCodes,
    Unused,
    is_suppressed,
    parse_comment,
    suppression_of,
    suppressions,
    unknown_codes,
    unused_suppressions,
)
from tffix.syntax import parse_module
from tffix.syntax.source import SourceFile, Span

DB = """\
resource "aws_dynamodb_table" "db" {{
  name = "db"
  {comment}
  deletion_protection_enabled = true
}}
"""


def codes_found(text: str) -> list[str]:
    return [f.code for f in fix_sources({"main.tf": text}, select=["TFX005"]).findings]


@pytest.mark.parametrize(
    "comment",
    [
        "# tffix:ignore TFX005",
        "# tffix: ignore TFX005",
        "#tffix:ignore TFX005",
        "// tffix:ignore TFX005",
        "//tffix: ignore TFX005",
        "/* tffix:ignore TFX005 */",
        "/*tffix:ignore TFX005*/",
        "# tffix:ignore: TFX005",
        "# tffix:ignore deletion-protection",
        "# tffix:ignore TFX002, TFX005",
        "# tffix:ignore TFX005 -- a production database",
        "# tffix:ignore TFX005 # a production database",
        "# tffix:ignore",
        "# checkov:skip=CKV_AWS_139:kept # tffix:ignore TFX005",
    ],
)
def test_spellings_that_silence_the_finding_below(comment):
    assert codes_found(DB.format(comment="")) == ["TFX005"]
    assert codes_found(DB.format(comment=comment)) == []


@pytest.mark.parametrize(
    "comment",
    [
        "# tffix:ignore TFX002",
        "# tffix:ignore-file TFX005",
        "# see tffix:ignore TFX005",
        '# tffix:ignore "TFX005"',
    ],
)
def test_comments_that_do_not_silence_it(comment):
    assert codes_found(DB.format(comment=comment)) == ["TFX005"]


def test_block_comment_on_the_same_line_silences_the_attribute():
    text = DB.format(comment="").replace(
        "  deletion_protection", "  /* tffix:ignore TFX005 */ deletion_protection"
    )
    assert codes_found(text) == []


def test_comment_above_the_block_silences_everything_inside_it():
    text = "// tffix:ignore TFX005\n" + DB.format(comment="")
    assert codes_found(text) == []


def test_multi_line_block_comment_silences_the_line_after_it_ends():
    text = DB.format(comment="/* tffix:ignore TFX005\n     the production database */")
    assert codes_found(text) == []


def test_directive_inside_a_string_or_heredoc_is_not_a_comment():
    string = DB.format(comment='description = "# tffix:ignore TFX005"')
    heredoc = DB.format(comment="description = <<EOT\n# tffix:ignore TFX005\nEOT")
    assert codes_found(string) == ["TFX005"]
    assert codes_found(heredoc) == ["TFX005"]


def test_comment_two_lines_above_does_not_reach():
    text = DB.format(comment="# tffix:ignore TFX005\n")
    assert codes_found(text) == ["TFX005"]


# --- the data the engine reads ---------------------------------------------------------------


def module_file(text: str, path: str = "main.tf") -> ModuleFile:
    return ModuleFile(SourceFile(path, text), parse_module(text))


def finding_at(file: ModuleFile, needle: str, code: str, name: str = "") -> Finding:
    start = file.text.index(needle)
    return Finding(Span(file.path, start, start + len(needle)), "m", code=code, name=name)


@pytest.mark.parametrize(
    "text, codes, reason",
    [
        ("# tffix:ignore", (), ""),
        ("# tffix:ignore TFX005", ("TFX005",), ""),
        (
            "# tffix: ignore TFX002,TFX005  deletion-protection",
            ("TFX002", "TFX005", "deletion-protection"),
            "",
        ),
        ("# tffix:ignore TFX005 -- kept for production", ("TFX005",), "kept for production"),
        ("# tffix:ignore TFX005 # kept", ("TFX005",), "kept"),
        ("// tffix:ignore TFX005 // kept", ("TFX005",), "kept"),
        ("/* tffix:ignore TFX005 -- kept */", ("TFX005",), "kept"),
        ("/* tffix:ignore\n   TFX005 */", ("TFX005",), ""),
    ],
)
def test_parse_comment(text, codes, reason):
    assert parse_comment(text) == (codes, reason)


@pytest.mark.parametrize("text", ["# tffix", "# tffix:ignored", "# tffix:ignore_all", "# ignore TFX005", "x"])
def test_parse_comment_without_a_directive(text):
    assert parse_comment(text) is None


def test_suppressions_lists_each_comment_with_its_span_lines_and_codes():
    text = (
        '# tffix:ignore TFX005 -- prod\nresource "a" "b" {\n  x = 1 // tffix:ignore TFX002, bogus\n'
        '  /* tffix:ignore\n  */\n  y = "# tffix:ignore"\n}\n'
    )
    file = module_file(text)
    found = suppressions(file)
    assert found == (
        Suppression(Span("main.tf", 0, 29), (1, 1), ("TFX005",), "prod"),
        Suppression(
            Span("main.tf", text.index("// tffix"), text.index(", bogus") + 7),
            (3, 3),
            ("TFX002", "bogus"),
            "",
        ),
        Suppression(Span("main.tf", text.index("/*"), text.index("*/") + 2), (4, 5), (), ""),
    )
    assert [s.line for s in found] == [1, 3, 4]


def test_file_without_a_directive_has_no_suppressions():
    assert suppressions(module_file("x = 1 # a comment\n")) == ()


def test_suppression_of_names_the_innermost_comment():
    text = (
        '# tffix:ignore\nresource "aws_rds_cluster" "db" {\n  # tffix:ignore TFX005\n'
        "  deletion_protection = true\n  other = 1\n}\n"
    )
    file = module_file(text)
    outer, inner = suppressions(file)
    protected = finding_at(file, "deletion_protection", "TFX005")
    assert suppression_of(file, protected) == inner
    assert suppression_of(file, finding_at(file, "other", "TFX005")) == outer
    assert is_suppressed(file, protected)


def test_names_match_the_rule_name_and_codes_ignore_case():
    file = module_file('# tffix:ignore Deletion-Protection tfx002\nresource "a" "b" {\n  x = 1\n}\n')
    (comment,) = suppressions(file)
    assert comment.silences(finding_at(file, "x", "TFX005", "deletion-protection"))
    assert comment.silences(finding_at(file, "x", "TFX002", "flow-log-destination"))
    assert not comment.silences(finding_at(file, "x", "TFX004", "depends-on"))


def test_unknown_codes_are_those_naming_no_rule():
    text = "# tffix:ignore TFX005, TFX999 deletion-protection nonsense tfx002\nx = 1\n# tffix:ignore TFX004\ny = 2\n"
    first, _ = suppressions(module_file(text))
    assert unknown_codes(suppressions(module_file(text))) == [UnknownCodes(first, ("TFX999", "nonsense"))]
    assert unknown_codes([first])[0].message == "unknown rule code in `tffix:ignore`: TFX999, nonsense"


def test_unused_suppressions_name_the_codes_that_silenced_nothing():
    text = (
        '# tffix:ignore TFX005, TFX002\nresource "aws_rds_cluster" "db" {\n  deletion_protection = true\n}\n\n'
        '# tffix:ignore\nresource "aws_vpc" "v" {\n}\n\n'
        '# tffix:ignore TFX004 TFX999\nresource "aws_vpc" "w" {\n}\n\n'
        '# tffix:ignore deletion-protection\nresource "aws_lb" "l" {\n  enable_deletion_protection = true\n}\n'
    )
    file = module_file(text)
    first, bare, third, by_name = suppressions(file)
    silenced = [
        (first, finding_at(file, "deletion_protection", "TFX005", "deletion-protection")),
        (by_name, finding_at(file, "enable_deletion_protection", "TFX005", "deletion-protection")),
    ]
    unused = unused_suppressions(suppressions(file), silenced)
    assert unused == [Unused(first, ("TFX002",)), Unused(bare, ()), Unused(third, ("TFX004",))]
    assert [u.message for u in unused] == [
        "unused `tffix:ignore` (unused: TFX002)",
        "unused `tffix:ignore`: it silences no finding",
        "unused `tffix:ignore` (unused: TFX004)",
    ]


def test_codes_of_rules_that_did_not_run_are_not_called_unused():
    from tffix import registry

    file = module_file('# tffix:ignore TFX005, TFX002\nresource "a" "b" {\n}\n')
    ran = registry.select(["TFX002"])
    assert unused_suppressions(suppressions(file), [], rules=ran) == [
        Unused(suppressions(file)[0], ("TFX002",))
    ]
    assert unused_suppressions(suppressions(file), [], rules=registry.select(["TFX004"])) == []


def test_the_engine_warns_about_unknown_codes_and_lists_unused_suppressions():
    from tffix.engine import run_module

    text = (
        '# tffix:ignore TFX005\nresource "aws_lb" "a" {\n  enable_deletion_protection = true\n}\n\n'
        '# tffix:ignore TFX002, TFX999\nresource "aws_lb" "b" {\n  internal = true\n}\n'
    )
    quiet = run_module({"main.tf": text})
    assert [w.message for w in quiet.warnings] == ["warning: unknown rule code in `tffix:ignore`: TFX999"]
    assert [f.code for f in quiet.findings] == []
    loud = run_module({"main.tf": text}, report_unused_suppressions=True)
    assert [(f.code, f.message) for f in loud.findings] == [
        ("TFX100", "unused `tffix:ignore` (unused: TFX002)")
    ]


def test_extend_safe_fixes_makes_an_unsafe_rule_apply():
    from tffix.engine import run_module

    text = 'resource "aws_lb" "a" {\n  enable_deletion_protection = true\n}\n'
    assert run_module({"main.tf": text}).fixed == {}
    assert "= false" in run_module({"main.tf": text}, extend_safe=["deletion-protection"]).fixed["main.tf"]
    assert run_module({"main.tf": text}, unsafe=True, extend_unsafe=["TFX005"]).fixed != {}
