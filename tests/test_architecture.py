"""The layering docs/architecture.md describes, checked on the code itself."""

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
        is_docstring = token.type == tokenize.STRING and previous in (
            tokenize.INDENT,
            tokenize.NEWLINE,
            tokenize.NL,
            tokenize.DEDENT,
        )
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


# --- Layers and import cycles ---------------------------------------------------------------

import ast  # noqa: E402

# "tffix" is the package's __init__, which holds only its version.
ALLOWED = {
    "syntax": {"tffix", "syntax"},
    "semantic": {"tffix", "syntax", "semantic"},
    "aws": {"tffix", "syntax", "semantic", "aws", "edits", "rules"},
    "transforms": {"tffix", "syntax", "semantic", "aws", "edits", "rules", "transforms"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every tffix module a file imports, at the top or inside functions (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    skipped = {
        id(node)
        for stmt in ast.walk(tree)
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
        for node in ast.walk(stmt)
    }
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("tffix")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if not base.startswith("tffix"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(
                    candidate
                    if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists()
                    or (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                    else base
                )
    return found - {here}


def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = []
    for module, imports in _graph().items():
        if not module.startswith(f"tffix.{layer}"):
            continue
        for imported in imports:
            top = imported.split(".")[1] if imported.count(".") else "tffix"
            if top not in ALLOWED[layer]:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_no_import_cycles():
    graph = _graph()
    package_of = {name: name for name in graph}
    edges = {name: {i for i in imports if i in package_of} for name, imports in graph.items()}
    # A package's __init__ importing its own modules is not a cycle of ideas; leave those edges out.
    for name in edges:
        edges[name] = {i for i in edges[name] if not i.startswith(name + ".")}
    seen, on_stack, cycles = set(), [], []

    def visit(node):
        if node in on_stack:
            cycles.append(on_stack[on_stack.index(node) :] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        on_stack.append(node)
        for target in sorted(edges.get(node, ())):
            visit(target)
        on_stack.pop()

    for node in sorted(edges):
        visit(node)
    assert cycles == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "transforms").glob("*.py")), ids=lambda p: p.name)
def test_rules_neither_build_tokens_nor_slice_traversals(path):
    """Rules ask the semantic model and write through `build` and `edit` (docs/architecture.md)."""
    code = " ".join(t.string for t in _code_tokens(path))
    for forbidden in ("Token", "steps", "first_token", "name_tokens", "label_tokens"):
        assert not re.search(rf"\b{forbidden}\b", code), f"{path.name} uses {forbidden}"
