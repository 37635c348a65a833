"""Key sets and alias names of TFX001, on small modules."""
from __future__ import annotations

import pytest

from tffix.module import Module, ModuleFile
from tffix.syntax import parse_module
from tffix.syntax.edit import snippet_expression
from tffix.syntax.source import SourceFile
from tffix.transforms.provider_for_each import UnknownKeys, alias_name, key_set


def _module(text: str) -> Module:
    return Module([ModuleFile(SourceFile("main.tf", text), parse_module(text))])


@pytest.mark.parametrize(("key", "alias"), [
    ("us-east-1", "us_east_1"), ("prod", "prod"), ("1a", "k_1a"), ("a.b c", "a_b_c"), ("", "k_"),
])
def test_alias_name(key, alias):
    assert alias_name(key) == alias


@pytest.mark.parametrize(("expr", "keys"), [
    ('toset(["a", "b"])', {"a": '"a"', "b": '"b"'}),
    ('["a"]', {"a": '"a"'}),
    ('{ a = "x", "b-c" = 1 }', {"a": '"x"', "b-c": "1"}),
    ("var.regions", {"r1": '"r1"'}),
    ("local.names", {"n": '"v"'}),
])
def test_key_set(expr, keys):
    module = _module('variable "regions" {\n  default = ["r1"]\n}\n\nlocals {\n  names = { n = "v" }\n}\n')
    assert key_set(module, snippet_expression(expr)) == keys


@pytest.mark.parametrize(("expr", "missing"), [
    ("var.regions", 'set a default for variable "regions"'),
    ("data.aws_regions.all.names", "cannot be known before apply"),
    ('[var.a, "b"]', "not a literal"),
    ("local.nowhere", "local.nowhere is not defined"),
])
def test_unknown_keys(expr, missing):
    module = _module('variable "regions" {\n  type = set(string)\n}\n')
    with pytest.raises(UnknownKeys, match=missing):
        key_set(module, snippet_expression(expr))
