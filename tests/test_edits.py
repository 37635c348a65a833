"""`minimal_edits`: the smallest edits that turn one text into another, on whole tokens.

Consumers of the machine formats, the language server and the review bot show
these edits to people; "replace `tru` with `fals`" is minimal but unreadable,
so an edit never starts or ends inside an identifier, keyword, number, string
literal or operator.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tffix.edits import Edit, apply_edits, minimal_edits, tokens
from tffix.syntax.source import Span


def changes(old: str, new: str) -> list[tuple[str, str]]:
    """Each edit as (the old text it replaces, its new text)."""
    edits = minimal_edits("a.tf", old, new)
    assert apply_edits(old, edits) == new
    return [(old[e.span.start : e.span.end], e.new_text) for e in edits]


def test_keyword_is_replaced_whole():
    assert changes("  deletion_protection = true\n", "  deletion_protection = false\n") == [("true", "false")]


def test_identifier_is_replaced_whole_with_the_spaces_that_realign_it():
    old = "  log_destination_arn = aws_s3_bucket.logs.arn\n"
    new = "  log_destination      = aws_s3_bucket.logs.arn\n"
    assert changes(old, new) == [("log_destination_arn ", "log_destination      ")]


def test_number_is_replaced_whole():
    assert changes("  port = 8080\n", "  port = 8081\n") == [("8080", "8081")]
    assert changes("  ratio = 1.5\n", "  ratio = 1.25\n") == [("1.5", "1.25")]


def test_string_literal_is_replaced_whole():
    old = '  s3_key_prefix = "arn:aws:s3:::*/*"\n'
    assert changes(old, old.replace("arn:aws:s3:::*/*", "arn:aws:s3")) == [
        ('"arn:aws:s3:::*/*"', '"arn:aws:s3"')
    ]


def test_template_with_quotes_inside_its_interpolation_is_one_string():
    old = '  name = "${lookup(var.names, "a")}-x"\n'
    assert changes(old, old.replace('"a"', '"b"')) == [
        ('"${lookup(var.names, "a")}-x"', '"${lookup(var.names, "b")}-x"')
    ]


def test_operator_is_replaced_whole():
    assert changes("  count = var.on == true ? 1 : 0\n", "  count = var.on != true ? 1 : 0\n") == [
        ("==", "!=")
    ]


def test_only_the_changed_tokens_of_a_line_are_edited():
    old = '  a = "x" # keep\n  b = 1\n'
    new = '  a = "y" # keep\n  b = 1\n'
    assert changes(old, new) == [('"x"', '"y"')]


def test_inserted_lines_are_one_insertion():
    old = 'resource "aws_flow_log" "x" {\n  traffic_type = "ALL"\n}\n'
    new = 'resource "aws_flow_log" "x" {\n  traffic_type = "ALL"\n  log_destination_type = "s3"\n}\n'
    [edit] = minimal_edits("a.tf", old, new)
    assert edit.span.start == edit.span.end == old.index("}")
    assert edit.new_text == '  log_destination_type = "s3"\n'


def test_base_offsets_the_edits_into_the_file():
    [edit] = minimal_edits("m.tf", "x = true", "x = false", base=100)
    assert edit == Edit(Span("m.tf", 104, 108), "false")


def test_crlf_line_endings_stay_outside_the_edit():
    assert changes("a = 1\r\nb = true\r\n", "a = 1\r\nb = false\r\n") == [("true", "false")]


def test_unterminated_quote_in_a_comment_is_a_token_of_its_own():
    assert changes('# say "hi\nx = 1\n', '# say "ho\nx = 1\n') == [("hi", "ho")]


def test_tokens_join_back_into_the_text():
    text = 'a = "${x["k"]}" # c\r\n  b = <<EOT\n1.5e3 == x\nEOT\n/* é */ c-d = -1\n'
    assert tokens(text) == [
        "a",
        " ",
        "=",
        " ",
        '"${x["k"]}"',
        " ",
        "#",
        " ",
        "c",
        "\r\n",
        "  ",
        "b",
        " ",
        "=",
        " ",
        "<<",
        "EOT",
        "\n",
        "1.5e3",
        " ",
        "==",
        " ",
        "x",
        "\n",
        "EOT",
        "\n",
        "/*",
        " ",
        "é",
        " ",
        "*/",
        " ",
        "c-d",
        " ",
        "=",
        " ",
        "-",
        "1",
        "\n",
    ]


WORDS = [
    "true",
    "false",
    "tru",
    "x",
    "x1",
    "_y",
    "a-b",
    "12",
    "1.5",
    "1e3",
    '"s"',
    '"s t"',
    '"${a}"',
    "==",
    "=",
    "!=",
    " ",
    "  ",
    "\n",
    "\r\n",
    "#",
    "{",
    "}",
    ".",
    '"',
    "é",
]


@settings(deadline=None, derandomize=True, max_examples=2000)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.lists(st.sampled_from(WORDS), max_size=14))
def test_edits_reproduce_the_new_text_and_never_split_a_token(old_parts, new_parts):
    old, new = "".join(old_parts), "".join(new_parts)
    edits = minimal_edits("a.tf", old, new)
    assert apply_edits(old, edits) == new
    boundaries, position = {0}, 0  # between tokens, or anywhere in a run of spaces
    for token in tokens(old):
        if not token.strip(" \t"):
            boundaries.update(range(position, position + len(token)))
        position += len(token)
        boundaries.add(position)
    for edit in edits:
        assert edit.span.start in boundaries and edit.span.end in boundaries, (old, new, edit)
    assert all(a.span.end < b.span.start for a, b in itertools.pairwise(edits)), "edits touch or overlap"


def test_realigned_lines_are_edits_of_spaces_on_each_line():
    """A new longer attribute realigns `=` above it: each line's spaces change, nothing crosses a line."""
    old = (
        '  allocated_storage = 5\n  engine            = "mysql"\n  instance_class    = "db.t3.small"\n'
        '  password          = "mysql"\n  username          = "mysql"\n}\n'
    )
    new = (
        '  allocated_storage   = 5\n  engine              = "mysql"\n  instance_class      = "db.t3.small"\n'
        '  password            = "mysql"\n  username            = "mysql"\n  skip_final_snapshot = true\n}\n'
    )
    edits = minimal_edits("a.tf", old, new)
    assert apply_edits(old, edits) == new
    equals = [m.start() for m in re.finditer(" = ", old)]
    assert [(e.span.start, e.span.end, e.new_text) for e in edits] == [
        *((at + 1, at + 1, "  ") for at in equals),
        (old.index("}"), old.index("}"), "  skip_final_snapshot = true\n"),
    ]


def test_spaces_changed_into_spaces_keep_their_common_start():
    assert changes("a  = 1\n", "a    = 1\n") == [("", "  ")]
    assert changes("a    = 1\n", "a = 1\n") == [("   ", "")]
    assert changes("\ta = 1\n", "\t  a = 1\n") == [("", "  ")]


def test_lines_replaced_by_as_many_lines_are_diffed_in_pairs():
    old = '  a = "x"\n  b = "x"\n'
    new = '  a = "y"\n  b = "z"\n'
    assert changes(old, new) == [('"x"', '"y"'), ('"x"', '"z"')]


def test_an_attribute_inserted_after_a_heredoc_joins_its_alignment_run():
    """terraform fmt counts a heredoc's lines as part of its attribute's one line (they are one
    token to its lexer), so the heredoc attribute and the next one are aligned as a run."""
    from tffix.syntax import edit as edits
    from tffix.syntax import parse_module as parse

    text = 'resource "x" "y" {\n  policy = <<EOT\n{}\nEOT\n}\n'
    block = parse(text).blocks()[0]
    assert edits.insert_attribute(block, "name_longer", "1").code == (
        'resource "x" "y" {\n  policy      = <<EOT\n{}\nEOT\n  name_longer = 1\n}\n'
    )
    # a value whose own lines are newlines of its lexer still ends the run
    text = 'resource "x" "y" {\n  tags = [\n    1,\n  ]\n}\n'
    block = parse(text).blocks()[0]
    assert edits.insert_attribute(block, "name_longer", "1").code == (
        'resource "x" "y" {\n  tags = [\n    1,\n  ]\n  name_longer = 1\n}\n'
    )
