"""Hypothesis strategies for random, valid HCL2 native syntax, laid out every way people write it.

Only what HashiCorp's parser accepts is generated (checked against @cdktf/hcl2json,
HashiCorp's parser compiled to wasm).  The rules that shape the generator:

- Newlines and comments of every kind may sit between any two tokens inside ``()``,
  ``[]``, ``${}``, ``%{}`` and for-expressions (``newlines`` below).  Elsewhere — a
  body, an object ``{}`` — a newline ends an item, so only ``/* */`` comments without
  a newline may sit between tokens, and a line comment only ends a line.
- A ``#``/``//`` comment includes its newline; a ``/* */`` comment is never a newline,
  even when it spans lines; ``/*`` after ``/`` would be a ``//``
  comment, and an identifier may contain ``-``, so operators are always spaced.
- A heredoc's end marker must be followed by a newline (also at the end of the file),
  and a heredoc is never inside a template (its newlines would split the string).
- ``...`` ends a function's arguments: nothing, not even a comma, may follow it.
- Attribute names in a body are unique ("Attribute redefined" is a parse error), and
  so are object keys (the JSON oracle needs them to be).
- A one-line block holds at most one attribute, whose value is not a heredoc; its value
  may span lines inside brackets, like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import strategies as st

KEYWORDS = {"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"}
ID_START = "abcdefghxyzABZ_πéüñ中λ"
ID_CONTINUE = ID_START + "0123456789-\u0301"  # U+0301: a combining accent (ID_Continue)
TEXT_CHARS = "abcxyz ABC019.,;:!?()[]}'-_/|+*<>=@#~&^`éü中🚀\t"
HEREDOC_CHARS = TEXT_CHARS + '"\\'
STRING_ESCAPES = ["\\n", "\\r", "\\t", '\\"', "\\\\", "\\u00e9", "\\U0001F600"]
TEMPLATE_LITERALS = ["$${", "%%{", "$5 ", "100% ", "a$b", "x%y"]
NUMBERS = ["0", "1", "42", "3.14", "1e3", "1.5E-3", "0.25", "10", "7e+2"]
BINARY_OPERATORS = ["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"]
MARKERS = ["EOF", "EOT", "POLICY", "END_OF_TEXT"]


@dataclass(frozen=True)
class Ctx:
    """Where an expression is being written."""

    newlines: bool = False  # inside (), [], ${}, %{} or a for-expression: newlines are ignored
    template: bool = False  # inside a template: no heredoc
    indent: str = ""  # indentation of the enclosing line
    depth: int = 3  # nesting budget


class Writer:
    """Draws the pieces of one document; the document's newline style is fixed per file."""

    def __init__(self, draw):
        self.draw = draw
        self.crlf = draw(st.sampled_from(["lf"] * 6 + ["crlf", "mixed"]))

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, p: float) -> bool:
        return self.draw(st.integers(1, 100)) <= p * 100

    def nl(self, trailing: bool = True) -> str:
        crlf = self.crlf == "crlf" or (self.crlf == "mixed" and self.chance(0.5))
        spaces = self.pick(["", "", "", " ", "  ", "\t"]) if trailing else ""
        return spaces + ("\r\n" if crlf else "\n")

    # --- trivia ---------------------------------------------------------------------------

    def comment_text(self) -> str:
        return self.draw(st.text(alphabet=TEXT_CHARS.replace("*", "") + '"\\$%{', max_size=12))

    def line_comment(self) -> str:
        """A ``#`` or ``//`` comment with the newline it ends with."""
        return self.pick(["#", "//", "# ", "// "]) + self.comment_text().rstrip() + self.nl(trailing=False)

    def inline_comment(self) -> str:
        return "/*" + self.comment_text() + "*/"

    def block_comment_lines(self) -> str:
        return "/*" + self.comment_text() + self.nl() + self.comment_text() + "*/"

    def space(self, required: bool = False) -> str:
        """Space between two tokens on one line; ``required`` keeps the two apart."""
        options = [" ", " ", "  ", "\t", " " + self.inline_comment() + " "]
        if self.chance(0.05):  # a newline inside a comment is not a newline token
            options = [" " + self.block_comment_lines() + " "]
        if not required:
            options += ["", "", self.inline_comment()]
        return self.pick(options)

    def indent(self) -> str:
        return self.pick(["", "  ", "  ", "    ", "\t", " "])

    def line_end(self) -> str:
        """The end of an item's line: newline, maybe after a trailing comment."""
        if self.chance(0.3):
            return self.space(required=True) + self.line_comment()
        return self.nl()

    def filler_lines(self, indent: str) -> str:
        """Blank and comment lines between items."""
        out = ""
        for _ in range(self.draw(st.integers(0, 2))):
            kind = self.pick(["blank", "blank", "comment", "block"])
            if kind == "blank":
                out += self.pick(["", " ", "\t"]) + self.nl(trailing=False)
            elif kind == "comment":
                out += indent + self.line_comment()
            else:
                out += indent + self.block_comment_lines() + self.nl()
        return out

    def sep(self, ctx: Ctx, required: bool = False) -> str:
        """Between two tokens of an expression: where newlines are ignored, anything goes."""
        if not ctx.newlines or self.chance(0.6):
            return self.space(required)
        inner = ctx.indent + "  "
        out = " " if required else self.pick(["", " "])  # "/" then "/*" would make "//"
        for _ in range(self.draw(st.integers(1, 2))):
            kind = self.pick(["nl", "line", "block", "blocklines"])
            if kind == "nl":
                out += self.nl() + inner
            elif kind == "line":
                out += self.line_comment() + inner
            elif kind == "block":
                out += self.inline_comment() + self.nl() + inner
            else:
                out += self.block_comment_lines() + " "
        return out

    # --- names ----------------------------------------------------------------------------

    def identifier(self) -> str:
        name = self.pick(list(ID_START)) + self.draw(st.text(alphabet=ID_CONTINUE, max_size=6))
        name = name.rstrip("-")
        return name + "_" if name in KEYWORDS else name

    def unique(self, taken: set, name: str) -> str:
        base, n = name, 1
        while name in taken:
            name, n = f"{base}{n}", n + 1
        taken.add(name)
        return name

    # --- expressions ----------------------------------------------------------------------

    def expression(self, ctx: Ctx) -> str:
        if ctx.depth <= 0:
            return self.primary(ctx)
        inner = replace(ctx, depth=ctx.depth - 1)
        kind = self.pick(
            ["primary"] * 4
            + ["traversal"] * 2
            + ["binary", "unary", "conditional", "parens", "call", "tuple", "object", "for"]
        )
        if kind == "primary":
            return self.primary(ctx)
        if kind == "traversal":
            return self.traversal(inner)
        if kind == "binary":
            op = self.pick(BINARY_OPERATORS)
            return self.operand(inner) + self.sep(ctx, True) + op + self.sep(ctx, True) + self.operand(inner)
        if kind == "unary":
            return self.pick(["-", "!"]) + self.sep(ctx) + self.operand(inner)
        if kind == "conditional":
            return (
                self.operand(inner)
                + self.sep(ctx, True)
                + "?"
                + self.sep(ctx, True)
                + self.expression(inner)
                + self.sep(ctx, True)
                + ":"
                + self.sep(ctx, True)
                + self.expression(inner)
            )
        if kind == "parens":
            return self.parens(inner)
        if kind == "call":
            return self.call(inner)
        if kind == "tuple":
            return self.tuple(inner)
        if kind == "object":
            return self.object(inner)
        return self.for_expression(inner)

    def operand(self, ctx: Ctx) -> str:
        """An operand of an operator: anything but a conditional, unless parenthesized."""
        if ctx.depth <= 0:
            return self.primary(ctx)
        return self.pick([self.primary, self.traversal, self.call, self.parens, self.tuple])(ctx)

    def primary(self, ctx: Ctx) -> str:
        kind = self.pick(["number", "keyword", "variable", "variable", "string", "heredoc"])
        if kind == "number":
            return self.pick(NUMBERS)
        if kind == "keyword":
            return self.pick(["true", "false", "null"])
        if kind == "variable":
            return self.identifier()
        if kind == "heredoc" and ctx.newlines and not ctx.template:
            return self.heredoc(ctx) + ctx.indent
        return self.quoted(ctx)

    def traversal(self, ctx: Ctx) -> str:
        head = self.pick(["variable", "variable", "call", "parens", "tuple"])
        out = self.identifier() if head == "variable" else getattr(self, head)(ctx)
        splatted = legacy = False
        for _ in range(self.draw(st.integers(1, 3))):
            before = self.sep(ctx) if ctx.newlines else self.pick(["", "", " "])
            kind = self.pick(["attr", "attr", "index", "legacy", "splat", "fullsplat"])
            if legacy and kind == "legacy":  # "a.0.1" would scan as "a" "." "0.1"
                kind = "attr"
            legacy = kind == "legacy" and head == "variable" and not splatted
            if kind == "attr" or (splatted and kind in ("legacy", "splat", "fullsplat")):
                out += before + "." + self.identifier()
            elif kind == "index":
                inner = replace(ctx, newlines=True)
                out += before + "[" + self.sep(inner) + self.expression(inner) + self.sep(inner) + "]"
            elif legacy:
                out += "." + self.pick(["0", "1", "12"])
            elif kind == "splat":
                out += before + ".*"
                splatted = True
            else:
                out += before + "[*]"
                splatted = True
        return out

    def parens(self, ctx: Ctx) -> str:
        inner = replace(ctx, newlines=True)
        return "(" + self.sep(inner) + self.expression(inner) + self.sep(inner) + ")"

    def call(self, ctx: Ctx) -> str:
        inner = replace(ctx, newlines=True)
        name = self.identifier()
        if self.chance(0.2):
            name = f"provider::{self.identifier()}::{self.identifier()}"
        args = [self.expression(inner) for _ in range(self.draw(st.integers(0, 3)))]
        out = name + (self.sep(inner) if ctx.newlines else "") + "(" + self.sep(inner)
        for i, arg in enumerate(args):
            out += arg
            if i < len(args) - 1:
                out += self.sep(inner) + "," + self.sep(inner)
        if args and self.chance(0.2):
            out += self.sep(inner) + "..."
        elif args and self.chance(0.3):
            out += self.sep(inner) + ","
        return out + self.sep(inner) + ")"

    def tuple(self, ctx: Ctx) -> str:
        inner = replace(ctx, newlines=True)
        items = [self.expression(inner) for _ in range(self.draw(st.integers(0, 3)))]
        out = "[" + self.sep(inner)
        for i, item in enumerate(items):
            out += item
            if i < len(items) - 1 or self.chance(0.3):
                out += self.sep(inner) + "," + self.sep(inner)
        return out + self.sep(inner) + "]"

    def object(self, ctx: Ctx) -> str:
        """An object constructor: items end at a comma or a newline, not at both necessarily."""
        inner = replace(ctx, newlines=False, indent=ctx.indent + "  ")
        keys: set = set()
        count = self.draw(st.integers(0, 3))
        multiline = self.chance(0.6)
        out = "{"
        if multiline and count and self.chance(0.8):
            out += self.line_end() + self.filler_lines(inner.indent) + inner.indent
        else:
            out += self.space()
        for i in range(count):
            key_kind = self.pick(["ident", "ident", "string", "parens"])
            if key_kind == "ident":
                key = self.unique(keys, self.identifier())
            elif key_kind == "string":
                key = '"' + self.unique(keys, self.identifier()) + '"'
            else:
                key = "(" + self.unique(keys, self.identifier()) + ")"
            value_ctx = replace(inner, newlines=False)
            value = (
                self.heredoc(value_ctx)
                if multiline and not ctx.template and self.chance(0.1)
                else self.expression(value_ctx)
            )
            out += key + self.space() + self.pick(["=", ":"]) + self.space() + value
            last = i == count - 1
            if value.endswith("\n"):  # a heredoc: its end marker line ended the item
                out += self.filler_lines(inner.indent) + (ctx.indent if last else inner.indent)
                continue
            comma = self.chance(0.5) or not multiline
            if comma and (not last or self.chance(0.5)):
                out += self.space() + ","
            if multiline and (not comma or self.chance(0.5) or last):
                out += (
                    self.line_end() + self.filler_lines(inner.indent) + (ctx.indent if last else inner.indent)
                )
            else:
                out += self.space(required=not last)
        return out + "}"

    def for_expression(self, ctx: Ctx) -> str:
        inner = replace(ctx, newlines=True)
        names = [self.identifier()]
        if self.chance(0.5):
            names.append(self.identifier())
        head = (
            "for"
            + self.sep(inner, True)
            + (self.sep(inner) + "," + self.sep(inner)).join(names)
            + self.sep(inner, True)
            + "in"
            + self.sep(inner, True)
            + self.operand(inner)
            + self.sep(inner, True)
            + ":"
            + self.sep(inner, True)
        )
        cond = ""
        if self.chance(0.3):
            cond = self.sep(inner, True) + "if" + self.sep(inner, True) + self.expression(inner)
        if self.chance(0.5):
            return "[" + self.sep(inner) + head + self.expression(inner) + cond + self.sep(inner) + "]"
        value = self.expression(inner)
        if self.chance(0.3):
            value += self.sep(inner) + "..."
        return (
            "{"
            + self.sep(inner)
            + head
            + self.operand(inner)
            + self.sep(inner, True)
            + "=>"
            + self.sep(inner, True)
            + value
            + cond
            + self.sep(inner)
            + "}"
        )

    # --- templates ------------------------------------------------------------------------

    def quoted(self, ctx: Ctx) -> str:
        inner = replace(ctx, template=True, depth=ctx.depth - 1)
        parts = []
        for _ in range(self.draw(st.integers(0, 4))):
            kind = self.pick(["text", "text", "escape", "literal", "interp", "directive"])
            if kind == "text":
                parts.append(self.draw(st.text(alphabet=TEXT_CHARS, min_size=1, max_size=8)))
            elif kind == "escape":
                parts.append(self.pick(STRING_ESCAPES))
            elif kind == "literal":
                parts.append(self.pick(TEMPLATE_LITERALS))
            elif inner.depth > 0:
                parts.append(
                    self.interpolation(inner)
                    if kind == "interp"
                    else self.directive(inner, lambda: self.quoted_body(inner))
                )
        return '"' + "".join(parts) + '"'

    def quoted_body(self, ctx: Ctx) -> str:
        return self.quoted(ctx)[1:-1]

    def interpolation(self, ctx: Ctx) -> str:
        inner = replace(ctx, newlines=True)
        return (
            "${"
            + self.pick(["", "~"])
            + self.sep(inner)
            + self.expression(inner)
            + self.sep(inner)
            + self.pick(["", "~"])
            + "}"
        )

    def directive(self, ctx: Ctx, body) -> str:
        inner = replace(ctx, newlines=True)

        def tag(words: str) -> str:
            return (
                "%{"
                + self.pick(["", "~"])
                + self.sep(inner)
                + words
                + self.sep(inner)
                + self.pick(["", "~"])
                + "}"
            )

        if self.chance(0.5):
            out = tag("if" + self.sep(inner, True) + self.expression(inner)) + body()
            if self.chance(0.5):
                out += tag("else") + body()
            return out + tag("endif")
        names = self.identifier() + (
            (self.sep(inner) + "," + self.sep(inner) + self.identifier()) if self.chance(0.5) else ""
        )
        return (
            tag(
                "for"
                + self.sep(inner, True)
                + names
                + self.sep(inner, True)
                + "in"
                + self.sep(inner, True)
                + self.expression(inner)
            )
            + body()
            + tag("endfor")
        )

    def heredoc(self, ctx: Ctx) -> str:
        """``<<EOF`` or ``<<-EOF`` up to and including the newline after its end marker."""
        marker = self.pick(MARKERS)
        flush = self.chance(0.5)
        content_indent = self.pick(["", "  ", "    ", "\t"]) if flush else ""
        inner = replace(ctx, template=True, depth=ctx.depth - 1, newlines=True)
        out = "<<" + ("-" if flush else "") + marker + self.nl(trailing=False)
        for _ in range(self.draw(st.integers(0, 3))):
            line = content_indent
            for _ in range(self.draw(st.integers(0, 3))):
                kind = self.pick(["text", "text", "literal", "interp", "directive"])
                if kind == "text":
                    line += self.draw(st.text(alphabet=HEREDOC_CHARS, min_size=1, max_size=10))
                elif kind == "literal":
                    line += self.pick(TEMPLATE_LITERALS)
                elif inner.depth > 0 and kind == "interp":
                    line += self.interpolation(inner)
                elif inner.depth > 0:
                    line += self.directive(
                        inner, lambda: self.draw(st.text(alphabet=TEXT_CHARS.replace("%", ""), max_size=5))
                    )
            if line.strip() == marker:
                line += "x"
            out += line + self.nl()
        close_indent = (ctx.indent if self.chance(0.7) else self.indent()) if flush else ""
        return out + close_indent + marker + self.pick(["", "", " ", "  "]) + self.nl(trailing=False)

    # --- bodies ---------------------------------------------------------------------------

    def attribute(self, name: str, ctx: Ctx, one_line_block: bool = False) -> str:
        """``name = value`` and its line end; a heredoc value ends its own line."""
        head = name + self.space() + "=" + self.space()
        if one_line_block:
            return head + self.expression(ctx)
        if self.chance(0.08):
            return head + self.heredoc(ctx)
        return head + self.expression(ctx) + self.line_end()

    def block(self, type_: str, ctx: Ctx) -> str:
        out = type_
        for _ in range(self.draw(st.integers(0, 2))):
            if self.chance(0.6):
                label = '"' + self.draw(st.text(alphabet=TEXT_CHARS.replace("\\", ""), max_size=8))
                out += self.space(True) + label + self.pick(["", '\\"', "\\\\", "\\n"]) + '"'
            else:
                out += self.space(True) + self.identifier()
        out += self.space() + "{"
        if self.chance(0.25) or ctx.depth <= 0:
            if self.chance(0.5):
                one = replace(ctx, depth=min(ctx.depth, 2))
                out += self.space() + self.attribute(self.identifier(), one, one_line_block=True)
            return out + self.space() + "}" + self.line_end()
        inner = replace(ctx, indent=ctx.indent + self.pick(["  ", "  ", "    ", "\t"]), depth=ctx.depth - 1)
        return out + self.line_end() + self.body(inner) + ctx.indent + "}" + self.line_end()

    def body(self, ctx: Ctx) -> str:
        attributes: set = set()
        blocks: set = set()
        out = self.filler_lines(ctx.indent)
        for _ in range(self.draw(st.integers(0, 4))):
            indent = ctx.indent if self.chance(0.9) else self.indent()
            name = self.identifier()
            if self.chance(0.65):
                while name in blocks:
                    name += "a"
                out += indent + self.attribute(self.unique(attributes, name), replace(ctx, indent=indent))
            else:
                while name in attributes:
                    name += "b"
                blocks.add(name)
                out += indent + self.block(name, replace(ctx, indent=indent))
            out += self.filler_lines(ctx.indent)
        return out


@st.composite
def documents(draw, depth: int = 3) -> str:
    """A whole ``.tf`` file: maybe a BOM, maybe CRLF, maybe without its final newline."""
    writer = Writer(draw)
    text = writer.body(Ctx(depth=depth))
    if writer.chance(0.1):
        text = "\ufeff" + text
    if writer.chance(0.25) and text.endswith("\n") and not _ends_with_heredoc(text):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    return text


def _ends_with_heredoc(text: str) -> bool:
    """A heredoc's end marker needs its newline, even at the end of the file."""
    last = text.rstrip("\r\n").rsplit("\n", 1)[-1].strip()
    return last in MARKERS


@st.composite
def expressions(draw, depth: int = 2) -> str:
    """One expression as it would follow ``name =`` on a line of its own."""
    return Writer(draw).expression(Ctx(depth=depth))
