"""HCL string escapes (hashicorp/hcl ``hclsyntax/spec.md``, "Template Literals")."""

from __future__ import annotations

import re

_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def unescape(text: str) -> str:
    """The value of a quoted string's literal text: ``\\n``, ``\\u00e9``, ``$${`` and ``%%{`` decoded."""
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "$${":
            return "${"
        if token == "%%{":
            return "%{"
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPES.sub(one, text)
