"""Properties over random valid HCL (``hclgen``): every layout prints back, every edit re-parses.

``hclgen`` generates only what HashiCorp's parser accepts (see its docstring); a
failure here is a tffix bug, not a generator one.  The examples are random but
seeded per test by Hypothesis's database-free derandomize setting, so CI runs are
reproducible; ``max_examples`` is moderate and there is no deadline, because no
test may depend on the machine's speed.
"""

from __future__ import annotations

import hclgen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tffix.syntax import ParseError, edit, parse_module
from tffix.syntax import nodes as n
from tffix.syntax.edit import EditError

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values a rule writes: one-liners, multi-line lists and objects, a heredoc, a call.
VALUES = [
    '"s3"',
    "true",
    "42",
    "var.region",
    "aws_s3_bucket.logs.arn",
    '["a", "b"]',
    "[\n  aws_s3_bucket_versioning.a,\n  aws_s3_bucket_policy.b,\n]",
    '{\n  Version = "2012-10-17"\n  Statement = []\n}',
    '<<EOF\n{"a": 1}\nEOF',
    "jsonencode({ a = 1 })",
    "{ for k, v in var.m : k => v if v != null }",
]
BLOCKS = ["lifecycle {\n  prevent_destroy = false\n}", 'statement {\n  sid = "x"\n}', "timeouts {}"]


def _first_difference(text: str, code: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(text, code)) if a != b), min(len(text), len(code)))
    return (
        f"offset {at}: expected {text[max(0, at - 30) : at + 30]!r}, got {code[max(0, at - 30) : at + 30]!r}"
    )


@SETTINGS
@given(hclgen.documents())
def test_round_trip(text):
    code = parse_module(text).code
    assert code == text, _first_difference(text, code)


@SETTINGS
@given(hclgen.expressions())
def test_expression_round_trip(expression):
    text = f"x = {expression}\n"
    code = parse_module(text).code
    assert code == text, _first_difference(text, code)


def _owners(file: n.File) -> list:
    return [file] + [node for node in file.walk() if isinstance(node, n.Block)]


@SETTINGS
@given(hclgen.documents(depth=2), st.data())
def test_edits_reparse(text, data):
    """An edit anywhere in a file gives text that parses, holding what the edit wrote."""
    file = parse_module(text)
    owner = data.draw(st.sampled_from(_owners(file)), label="owner")
    attributes = owner.attributes()
    items = list(owner.body.items)
    operation = data.draw(
        st.sampled_from(["set", "insert", "rename", "remove", "comment", "block"]), label="op"
    )
    value = data.draw(st.sampled_from(VALUES) | hclgen.expressions(depth=1), label="value")
    name = "tffix_new"
    try:
        if operation == "set":
            if attributes:
                name = data.draw(st.sampled_from([a.name.text for a in attributes] + [name]), label="name")
            edited = edit.set_attribute(owner, name, value)
        elif operation == "insert":
            after = data.draw(st.sampled_from([None] + [a.name.text for a in attributes]), label="after")
            comment = data.draw(st.sampled_from([None, "# tffix: why", "// note"]), label="comment")
            edited = edit.insert_attribute(
                owner,
                name,
                value,
                after=after,
                comment=comment,
                blank_line=data.draw(st.booleans(), label="blank_line"),
            )
        elif operation == "rename" and attributes:
            edited = edit.rename_attribute(owner, data.draw(st.sampled_from(attributes)).name.text, name)
        elif operation == "remove" and items:
            edited = edit.remove(owner, data.draw(st.sampled_from(items), label="item"))
        elif operation == "comment" and attributes:
            target = data.draw(st.sampled_from(attributes)).name.text
            edited = edit.comment_above(owner, target, ["#checkov:skip=CKV_AWS_1:test", "# second"])
        else:
            edited = edit.insert_block(owner, data.draw(st.sampled_from(BLOCKS), label="block"))
    except EditError:
        return  # a layout the edit API declines (a rule then reports without a fix)
    result = edited.code if owner is file else file.replace_descendant(owner, edited).code
    try:
        reparsed = parse_module(result)
    except ParseError as error:
        raise AssertionError(f"{operation} gave text that does not parse ({error}):\n{result}") from None
    assert reparsed.code == result
    if operation in ("set", "insert") or (operation == "rename" and attributes):
        owners = [o for o in _owners(reparsed) if o.attribute(name) is not None]
        assert owners, f"{operation}: no attribute {name!r} in the result:\n{result}"
