"""The layering STYLE.md asks for, checked on the code itself."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tffix"
AWS = re.compile(r"aws_|arn:|amazonaws|cloudtrail|kms", re.IGNORECASE)


def _code_tokens(path: Path):
    """Names and string literals that are code: docstrings and comments are left out."""
    previous = tokenize.INDENT
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        is_docstring = token.type == tokenize.STRING and previous in (tokenize.INDENT, tokenize.NEWLINE,
                                                                      tokenize.NL, tokenize.DEDENT)
        if token.type in (tokenize.NAME, tokenize.STRING) and not is_docstring:
            yield token
        if token.type not in (tokenize.COMMENT,):
            previous = token.type


@pytest.mark.parametrize("path", sorted((PACKAGE / "syntax").glob("*.py")), ids=lambda p: p.name)
def test_syntax_layer_knows_no_aws(path):
    found = [f"{path.name}:{t.start[0]}: {t.string}" for t in _code_tokens(path) if AWS.search(t.string)]
    assert found == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "reporters").glob("*.py")), ids=lambda p: p.name)
def test_reporters_do_not_walk_the_tree(path):
    assert "tffix.syntax.nodes" not in path.read_text()
    assert "parse_module" not in path.read_text()


def test_rule_codes_and_names_are_unique():
    from tffix.registry import RULES

    assert len({rule.code for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert [rule.code for rule in RULES] == sorted(rule.code for rule in RULES)
