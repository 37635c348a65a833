"""Rule documentation is rendered from the rule modules, and the copies in docs/rules are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from tffix import registry, ruledocs

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


@pytest.mark.parametrize("rule", registry.RULES, ids=lambda r: r.code)
def test_docs_in_the_repository_are_current(rule):
    path = DOCS / f"{rule.code}.md"
    assert path.is_file(), "run: python -m tffix.ruledocs docs/rules"
    assert path.read_text(encoding="utf-8") == ruledocs.render(rule), (
        "run: python -m tffix.ruledocs docs/rules"
    )


@pytest.mark.parametrize(
    "rule", [r for r in registry.RULES if r.code != registry.UNUSED_SUPPRESSION.code], ids=lambda r: r.code
)
def test_every_rule_documents_itself_with_an_example_it_fixes(rule):
    assert rule.doc.startswith(f"{rule.code} {rule.name}"), "the docstring starts with the code and name"
    assert "Leaves alone" in rule.doc or "leaves alone" in rule.doc
    diff = ruledocs.example_diff(rule)
    assert any(line.startswith("+") for line in diff.splitlines()), "the example shows a fix"
