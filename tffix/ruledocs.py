"""A rule's documentation, written from the rule module itself: ``tffix rule CODE`` and ``docs/rules/``.

The text is the module's docstring (what fails and why, what the fix does, what it
leaves alone); the example's "after" is not written down anywhere but computed by
running the rule on the example, so the documentation cannot drift from what the
rule does.  ``python -m tffix.ruledocs docs/rules`` rewrites the rendered files.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from tffix import registry
from tffix.rules import Rule


def render(rule: Rule) -> str:
    _title, _, body = rule.doc.strip().partition("\n")
    lines = [f"# {rule.code} {rule.name}", "", rule.summary[0].upper() + rule.summary[1:] + ".", ""]
    fix = (
        "safe: applied by `tffix --apply`"
        if rule.safe
        else "unsafe: applied only with `--unsafe-fixes` (or the `unsafe-fixes` / `extend-safe-fixes` config keys)"
    )
    lines.append(f"- Fix: {fix}.")
    if rule.related:
        lines.append(f"- Related checks of other tools: {', '.join(f'`{r}`' for r in rule.related)}.")
    lines.append("")
    lines.append(_markdown(body.strip()))
    if rule.example:
        lines += ["", "## Example", "", "```hcl", rule.example.rstrip("\n"), "```", ""]
        for name, text in rule.example_files:
            lines += [f"with `{name}`:", "", "```hcl", text.rstrip("\n"), "```", ""]
        diff = example_diff(rule)
        command = "tffix --apply" + ("" if rule.safe else " --unsafe-fixes")
        lines += [f"`{command}` changes it so:", "", "```diff", diff.rstrip("\n"), "```"]
    return "\n".join(lines).rstrip("\n") + "\n"


def example_diff(rule: Rule) -> str:
    """The unified diff the rule makes to its example."""
    from tffix.api import fix_sources

    result = fix_sources(
        {"main.tf": rule.example, **dict(rule.example_files)}, select=[rule.code], unsafe=True
    )
    after = result.fixed.get("main.tf", rule.example)
    lines = difflib.unified_diff(rule.example.splitlines(True), after.splitlines(True), n=2)
    return "".join(line for line in lines if not line.startswith(("---", "+++")))


def _markdown(text: str) -> str:
    """The docstring's reStructuredText-isms as Markdown: ``code`` -> `code`, `name` refs stay."""
    return re.sub(r"``(.+?)``", r"`\1`", text, flags=re.DOTALL)


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in registry.RULES:
        path = directory / f"{rule.code}.md"
        path.write_text(render(rule), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")):
        print(written)
