"""Editing the tree: each function returns a new node and leaves its input alone.

New code is laid out the way ``terraform fmt`` lays it out: two spaces per
nesting level, ``=`` aligned across a run of consecutive one-line attributes
(only when that run was aligned before, so a file that was not fmt-clean is not
reformatted around the edit), the file's own newline style.  Everything an
edit does not touch keeps its bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tffix.syntax import build, trivia
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError
from tffix.syntax.parser import parse_module
from tffix.syntax.query import body_of, indentation

if TYPE_CHECKING:
    from typing import TypeVar

    # What holds a body (a file or a block): an edit gives back the same kind of node.
    Owner = TypeVar("Owner", n.File, n.Block)
    Item = n.Attribute | n.Block
    R = TypeVar("R", bound=n.Node)
    B = TypeVar("B", bound=n.Block)

INDENT = "  "


def parse_snippet(text: str) -> n.Body:
    """Parse body items written by a rule; their tokens carry no file offsets."""
    body = parse_module(text).body
    for token in body.tokens():
        token.start = -1
    return body


def snippet_expression(text: str) -> n.Node:
    item = parse_snippet(f"x = {text}").items[0]
    assert isinstance(item, n.Attribute)
    return item.value


def newline_of(node: n.Node) -> str:
    """The newline style a node already uses (CRLF or LF)."""
    for token in node.tokens():
        if token.type == "NL" or "\n" in token.prefix:
            return "\r\n" if (token.text if token.type == "NL" else token.prefix).find("\r\n") >= 0 else "\n"
    return "\n"


def body_indent(owner: n.File | n.Block) -> str:
    """Indentation of the items inside a block (or of a file's top level)."""
    if isinstance(owner, n.File):
        return ""
    for item in owner.body.items:
        prefix = item.first_token.prefix
        if "\n" in prefix or item is not owner.body.items[0]:
            return indentation(item)
    return indentation(owner) + INDENT


def reindent(text: str, indent: str, newline: str = "\n") -> str:
    """Indent every line of ``text`` but the first, and use ``newline``."""
    lines = text.split("\n")
    out = [lines[0]] + [(indent + line) if line.strip() else line for line in lines[1:]]
    return newline.join(out)


def _cut(prefix: str, last: bool = True) -> int:
    """Where to split a prefix between two owners: just after its last (or first) newline outside
    a ``/* */`` comment, so that no comment is cut; -1 when there is none."""
    breaks = trivia.line_breaks(prefix)
    if not breaks:
        return -1
    return breaks[-1] if last else breaks[0]


def _opened(block: B, nl: str) -> B:
    """A one-line block (``r { a = 1 }``) written over lines, so that more items fit in it."""
    items = list(block.body.items)
    if not items or trivia.starts_line(items[0].first_token.prefix) or items[-1].newline is not None:
        return block
    outer = indentation(block)
    first = items[0].first_token
    items[0] = items[0].replace_descendant(
        first, first.with_prefix(nl + outer + INDENT + first.prefix.lstrip(" \t"))
    )
    tail = block.close.prefix.rstrip(" \t")
    items[-1] = items[-1].with_changes(newline=n.Token("NL", nl, tail, -1))
    block = block.with_changes(close=block.close.with_prefix(outer))
    return block.replace_descendant(block.body, block.body.with_changes(items=tuple(items)))


# --- Attributes ------------------------------------------------------------------------


def rename_attribute(owner: Owner, old: str, new: str) -> Owner:
    attr = _attribute(owner, old)
    body = body_of(owner)
    aligned = _aligned(_run(list(body.items), attr))
    renamed = attr.replace_descendant(attr.name, attr.name.with_text(new))
    new_body = body.replace_descendant(attr, renamed)
    if aligned:
        new_body = _align(new_body, renamed)
    return owner.replace_descendant(body, new_body)


def set_attribute(owner: Owner, name: str, value: str) -> Owner:
    """Give ``name`` the expression ``value`` (source text), inserting it if absent."""
    attr = _find(owner, name)
    if attr is None:
        return insert_attribute(owner, name, value)
    nl = newline_of(owner)
    new_value = snippet_expression(reindent(value, indentation(attr), nl))
    first = new_value.first_token
    new_value = new_value.replace_descendant(first, first.with_prefix(attr.value.first_token.prefix))
    return owner.replace_descendant(attr.value, new_value)


def insert_attribute(
    owner: Owner,
    name: str,
    value: str,
    *,
    after: str | None = None,
    before: str | None = None,
    comment: str | None = None,
    blank_line: bool = False,
) -> Owner:
    """Insert ``name = value`` after the attribute ``after`` (default: after the last attribute).

    ``comment`` is written on its own line above the attribute (e.g. a scanner's
    skip annotation); ``blank_line`` sets the attribute off from the one above
    (as meta-arguments like ``depends_on`` often are), so that run keeps its alignment.
    A one-line block is first written over lines.
    """
    if isinstance(owner, n.Block):
        owner = _opened(owner, newline_of(owner))
    body = body_of(owner)
    items: list[Item] = list(body.items)
    if after is not None:
        index = items.index(_attribute(owner, after)) + 1
    elif before is not None:
        index = items.index(_attribute(owner, before))
    else:
        attribute_positions = [i for i, item in enumerate(items) if isinstance(item, n.Attribute)]
        index = attribute_positions[-1] + 1 if attribute_positions else 0
    indent = body_indent(owner)
    nl = newline_of(owner)
    lines = f"{comment}{nl}{indent}" if comment else ""
    snippet = parse_snippet(f"{lines}{name} = {reindent(value, indent, nl)}{nl}")
    new = snippet.items[0]
    return _insert_item(owner, items, index, new, indent, nl, blank_line=blank_line)


def comment_above(owner: Owner, name: str, comments: list[str]) -> Owner:
    """Write comment lines (e.g. scanners' skip annotations) directly above attribute ``name``.

    A comment line ends terraform fmt's alignment run, so the attributes above
    and below are realigned as two runs, where the run was aligned before.
    """
    if not comments:
        return owner
    attr = _attribute(owner, name)
    body = body_of(owner)
    items: list[Item] = list(body.items)
    index = items.index(attr)
    prefix = attr.first_token.prefix
    if (not trivia.starts_line(prefix)) if index == 0 else items[index - 1].newline is None:
        raise EditError("the attribute does not start its own line")
    aligned = _aligned(_run(items, attr)) and len(_run(items, attr)) > 1
    nl = newline_of(owner)
    indent = indentation(attr)
    added = "".join(f"{comment}{nl}{indent}" for comment in comments)
    items[index] = attr.replace_descendant(attr.first_token, attr.first_token.with_prefix(prefix + added))
    new_body = body.with_changes(items=tuple(items))
    if aligned:
        new_body = _align(new_body, new_body.items[index])
        if index > 0 and isinstance(new_body.items[index - 1], n.Attribute):
            new_body = _align(new_body, new_body.items[index - 1])
    return owner.replace_descendant(body, new_body)


def remove(owner: Owner, item: Item) -> Owner:
    """Remove an attribute or nested block (with the comments above it)."""
    body = body_of(owner)
    items: list[Item] = list(body.items)
    index = items.index(item)
    aligned = isinstance(item, n.Attribute) and _aligned(_run(items, item))
    del items[index]
    new_body = body.with_changes(items=tuple(items))
    if aligned and index > 0 and isinstance(items[index - 1], n.Attribute):
        new_body = _align(new_body, new_body.items[index - 1])
    elif aligned and index < len(items) and isinstance(items[index], n.Attribute):
        new_body = _align(new_body, new_body.items[index])
    result = owner.replace_descendant(body, new_body)
    items = list(new_body.items)
    prefix = item.first_token.prefix
    if index == 0 and _cut(prefix, last=False) > 0:
        # The first item's prefix holds the newline after `{`: keep it.
        keep = prefix[: _cut(prefix, last=False)]
        following = items[0].first_token if items else _closing_token(result)
        if following is not None:
            result = result.replace_descendant(following, following.with_prefix(keep + following.prefix))
    return result


def _closing_token(owner: n.Node) -> n.Token | None:
    if isinstance(owner, n.Block):
        return owner.close
    if isinstance(owner, n.File):
        return owner.eof
    return None


def _insert_item(
    owner: Owner, items: list[Item], index: int, new: Item, indent: str, nl: str, blank_line: bool = False
) -> Owner:
    first = new.first_token
    if index == 0:
        if items:
            # Take the place of the current first item: its prefix (newline
            # after `{`, comments) moves to the new item, which the old one follows.
            old_first = items[0].first_token
            prefix = old_first.prefix
            cut = _cut(prefix)
            if cut < 0 and prefix.strip():
                raise EditError("a comment shares the first item's line")
            head = prefix[:cut] if cut > 0 else nl
            if prefix[cut if cut > 0 else 0 :].strip():
                raise EditError("a comment sits on the line where the new item goes")
            new = new.replace_descendant(
                first, first.with_prefix(head + first.prefix if first.prefix else head + indent)
            )
            items[0] = items[0].replace_descendant(old_first, old_first.with_prefix(indent))
        elif isinstance(owner, n.Block):
            # An empty block: what lies between the braces (the newline, any
            # comments) goes above the new item, the last line's indent stays before `}`.
            between = owner.close.prefix
            if _cut(between) < 0:
                if between.strip():
                    raise EditError("cannot insert into a one-line block holding a comment")
                between = nl + indentation(owner)  # `{}` opens over two lines
            cut = _cut(between)
            if between[cut:].strip():
                raise EditError("a comment sits before the closing brace")
            new = new.replace_descendant(first, first.with_prefix(between[:cut] + indent + first.prefix))
            items.insert(0, new)
            body = owner.body
            owner = owner.with_changes(close=owner.close.with_prefix(between[cut:]))
            return owner.replace_descendant(owner.body, body.with_changes(items=tuple(items)))
        else:
            new = new.replace_descendant(first, first.with_prefix(indent + first.prefix))
    else:
        previous = items[index - 1]
        if previous.newline is None:
            raise EditError("cannot insert after an item that does not end its line")
        new = new.replace_descendant(
            first, first.with_prefix((nl if blank_line else "") + indent + first.prefix)
        )
    items.insert(index, new)
    body = body_of(owner)
    new_body = body.with_changes(items=tuple(items))
    new_body = _realign(new_body, new)
    return owner.replace_descendant(body, new_body)


def append_item(owner: Owner, item: Item) -> Owner:
    """Append an existing attribute or block node (moved from elsewhere) after ``owner``'s last item.

    Its text is kept as it was, inner lines and heredocs included, which is right when it comes
    from a body at the same depth; the comments above it come along, re-indented.
    """
    if isinstance(owner, n.Block):
        owner = _opened(owner, newline_of(owner))
    items = list(body_of(owner).items)
    indent = body_indent(owner)
    nl = newline_of(owner)
    # A comment over several lines keeps its inner lines as they were, like the item's own.
    comments = "".join(f"{comment.text}{nl}{indent}" for comment in trivia.comments(item.first_token.prefix))
    first = item.first_token
    item = item.replace_descendant(first, first.with_prefix(comments))
    if item.newline is None:
        item = item.with_changes(newline=n.Token("NL", nl, "", -1))
    return _insert_item(owner, items, len(items), item, indent, nl)


# --- Blocks ----------------------------------------------------------------------------


def insert_block(owner: Owner, text: str, *, after: Item | None = None) -> Owner:
    """Insert a block written as source text (at indentation 0) into a file or block.

    It goes after ``after`` (a block or attribute node) or at the end, with a
    blank line before it, as ``terraform fmt`` users write it.
    """
    if isinstance(owner, n.Block):
        owner = _opened(owner, newline_of(owner))
    body = body_of(owner)
    items: list[Item] = list(body.items)
    index = items.index(after) + 1 if after is not None else len(items)
    indent = body_indent(owner)
    nl = newline_of(owner)
    new = parse_snippet(reindent(text.rstrip("\n"), indent, nl) + nl).items[0]
    if isinstance(owner, n.Block) and items and items[-1].newline is None:
        raise EditError("cannot insert into a one-line block")
    if index == len(items) and items and items[-1].newline is None:
        last = items[-1]
        items[-1] = last.with_changes(newline=n.Token("NL", nl, "", -1))
    first = new.first_token
    blank = nl if items and index > 0 else ""
    if index == 0 and (items or isinstance(owner, n.Block)):
        return _insert_item(owner, items, 0, new, indent, nl)
    new = new.replace_descendant(first, first.with_prefix(blank + indent))
    items.insert(index, new)
    return owner.replace_descendant(body, body.with_changes(items=tuple(items)))


# --- Lists -----------------------------------------------------------------------------


def append_to_list(tuple_node: n.Tuple, value: str) -> n.Tuple:
    """Append an element written as source text, following the list's layout:
    one line, one element per line, or ``[{ ... }, { ... }]`` hugging the brackets."""
    items = list(tuple_node.items)
    nl = newline_of(tuple_node)
    if _hugging(tuple_node):
        return _append_hugging(tuple_node, value, nl)
    multiline = "\n" in tuple_node.close.prefix
    if not items:
        element = snippet_expression(value)
        first = element.first_token
        element = element.replace_descendant(first, first.with_prefix(""))
        item = n.TupleItem(element, None)
        return tuple_node.with_changes(items=(item,))
    last = items[-1]
    if multiline:
        indent = indentation(last)
        element = snippet_expression(reindent(value, indent, nl))
        first = element.first_token
        element = element.replace_descendant(first, first.with_prefix(nl + indent))
        trailing_comma = last.comma is not None
        if not trailing_comma:
            items[-1] = last.with_changes(comma=n.Token("COMMA", ",", "", -1))
        new = n.TupleItem(element, n.Token("COMMA", ",", "", -1) if trailing_comma else None)
        items.append(new)
        return tuple_node.with_changes(items=tuple(items))
    element = snippet_expression(value)
    first = element.first_token
    element = element.replace_descendant(first, first.with_prefix(" "))
    if last.comma is None:
        items[-1] = last.with_changes(comma=n.Token("COMMA", ",", "", -1))
        items.append(n.TupleItem(element, None))
    else:
        # `[a, b,]` keeps its trailing comma style.
        items.append(n.TupleItem(element, n.Token("COMMA", ",", "", -1)))
    return tuple_node.with_changes(items=tuple(items))


def _hugging(tuple_node: n.Tuple) -> bool:
    """``[{ ... }]`` with the last element's braces against the brackets, as in ``Statement = [{``."""
    last = tuple_node.items[-1].value if tuple_node.items else None
    return (
        "\n" not in tuple_node.close.prefix
        and isinstance(last, n.Object | n.Tuple)
        and "\n" in last.code.strip()
    )


def _append_hugging(tuple_node: n.Tuple, value: str, nl: str) -> n.Tuple:
    """Continue a hugging list with ``}, {`` as terraform fmt lays it out.

    fmt indents a ``}, {`` line one level deeper than the list's line, and the
    final ``}]`` at the list's level (the indentation of the last closing brace).
    """
    items = list(tuple_node.items)
    last = items[-1]
    assert isinstance(last.value, n.Object | n.Tuple), "a hugging list ends in an object or a list"
    close = last.value.close
    tokens = last.value.tokens()
    after_newline = len(tokens) > 1 and tokens[-2].type == "NL"
    cut = _cut(close.prefix)
    if close.prefix[max(cut, 0) :].strip() or (cut < 0 and not after_newline):
        raise EditError("the list's last element does not close on its own line")
    outer = close.prefix[max(cut, 0) :]
    inner = outer + INDENT
    moved = close.with_prefix(close.prefix[: max(cut, 0)] + inner)
    items[-1] = last.with_changes(
        value=last.value.replace_descendant(close, moved), comma=last.comma or n.Token("COMMA", ",", "", -1)
    )
    text = reindent(value, outer, nl)
    element = snippet_expression(text)
    element = element.replace_descendant(element.first_token, element.first_token.with_prefix(" "))
    items.append(n.TupleItem(element, None))
    return tuple_node.with_changes(items=tuple(items))


# --- Objects ---------------------------------------------------------------------------


def insert_object_item(obj: n.Object, key: str, value: str) -> n.Object:
    """Append ``key = value`` (both source text) to an object written one item per line, following
    its separators (newlines, or a comma after each item) and, for a one-line value, the ``=``
    alignment of the one-line items above it where they were aligned (terraform fmt aligns no item
    whose value spans lines)."""
    items = list(obj.items)
    if not items:
        raise EditError("cannot add to an empty object")
    last = items[-1]
    separator = last.separator
    nl = newline_of(obj)
    indent = indentation(last)
    if separator is not None and separator.type == "NL":
        prefix, new_separator = indent, n.Token("NL", nl, "", -1)
    elif separator is not None and separator.type == "COMMA" and trivia.starts_line(obj.close.prefix):
        prefix, new_separator = nl + indent, n.Token("COMMA", ",", "", -1)
    else:
        raise EditError("cannot add to an object written on one line")
    holder = parse_snippet(f"x = {{\n{key} = {reindent(value, indent, nl)}\n}}\n").items[0]
    assert isinstance(holder, n.Attribute) and isinstance(holder.value, n.Object)
    item = holder.value.items[0]
    item = item.replace_descendant(item.first_token, item.first_token.with_prefix(prefix))
    item = item.with_changes(separator=new_separator)
    run = _item_run(items) if "\n" not in value else []
    if run and _items_aligned(run):
        width = max(len(_key_text(member)) for member in run + [item])
        for member in run + [item]:
            pad = " " * (width - len(_key_text(member)) + 1)
            if member.equals.prefix != pad and _only_spaces(member.equals.prefix):
                aligned = member.with_changes(equals=member.equals.with_prefix(pad))
                if member is item:
                    item = aligned
                else:
                    items[items.index(member)] = aligned
    items.append(item)
    return obj.with_changes(items=tuple(items))


def _key_text(item: n.ObjectItem) -> str:
    return item.key.code[len(item.key.first_token.prefix) :]


def _item_run(items: list[n.ObjectItem]) -> list[n.ObjectItem]:
    """The one-line items on consecutive lines that end the object (no blank or comment line between)."""
    run: list[n.ObjectItem] = []
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        text = item.code[len(item.first_token.prefix) :]
        if "\n" in text.rstrip("\r\n") or item.separator is None:
            break
        run.insert(0, item)
        prefix = item.first_token.prefix
        if index == 0 or "#" in prefix or "//" in prefix or "/*" in prefix:
            break
        previous = items[index - 1].separator
        if prefix.count("\n") + (previous is not None and previous.type == "NL") != 1:
            break
    return run


def _items_aligned(run: list[n.ObjectItem]) -> bool:
    columns = {len(_key_text(item)) + len(item.equals.prefix) for item in run}
    if len(run) == 1:
        return run[0].equals.prefix == " "
    return columns == {max(len(_key_text(item)) for item in run) + 1}


# --- Expressions ---------------------------------------------------------------------


def replace_expression(root: R, old: n.Node, text: str) -> R:
    """``root`` with the expression ``old`` replaced by source text ``text`` (``old``'s leading trivia kept)."""
    new = snippet_expression(text)
    new = new.replace_descendant(new.first_token, new.first_token.with_prefix(old.first_token.prefix))
    return root.replace_descendant(old, new)


def replace_head(root: R, traversal: n.Traversal, steps: int, text: str) -> R:
    """Replace a traversal's source and its first ``steps`` steps by ``text``, keeping the steps after.

    ``module.kms["a"].arn`` with ``steps=2`` and ``text="module.kms_a"`` gives ``module.kms_a.arn``.
    """
    head = snippet_expression(text)
    head = head.replace_descendant(
        head.first_token, head.first_token.with_prefix(traversal.first_token.prefix)
    )
    rest = tuple(traversal.steps[steps:])
    new: n.Node
    if not rest:
        new = head
    elif isinstance(head, n.Traversal):
        new = n.Traversal(head.source, head.steps + rest)
    else:
        new = n.Traversal(head, rest)
    return root.replace_descendant(traversal, new)


def inline_interpolation(root: R, interpolation: n.Interpolation, literal: str) -> R:
    """Replace ``${...}`` inside a quoted template or heredoc by literal text, escaped for where it goes."""
    template = n.parent_of(root, interpolation)
    if not isinstance(template, n.TemplateString | n.Heredoc):
        raise EditError("the interpolation is not inside a template")
    if isinstance(template, n.TemplateString):
        text = build.string(literal).text[1:-1]
    else:
        text = literal.replace("${", "$${").replace("%{", "%%{")
    if interpolation.open.text.endswith("~") or interpolation.close.text.startswith("~"):
        raise EditError("an interpolation that strips whitespace")
    parts: list[n.Token | n.Interpolation | n.Directive] = []
    for part in template.parts:
        piece = n.Token("TEMPLATE_TEXT", text, "", -1) if part is interpolation else part
        if parts and isinstance(piece, n.Token) and isinstance(parts[-1], n.Token):
            parts[-1] = n.Token("TEMPLATE_TEXT", parts[-1].text + piece.text, "", -1)
        else:
            parts.append(piece)
    return root.replace_descendant(template, template.with_changes(parts=tuple(parts)))


def set_label(block: n.Block, index: int, value: str) -> n.Block:
    """The block with its label ``index`` set to ``value`` (written as a quoted string)."""
    labels = list(block.label_tokens)
    if index >= len(labels):
        raise EditError("the block has no such label")
    old = labels[index]
    prefix = old.prefix if isinstance(old, n.Token) else old.first_token.prefix  # a bare label is a token
    holder = parse_snippet(f"x {build.string(value).text} {{\n}}\n").items[0]
    assert isinstance(holder, n.Block)
    new = holder.label_tokens[0]
    new = (
        new.replace_descendant(new.first_token, new.first_token.with_prefix(prefix))
        if isinstance(new, n.Node)
        else new.with_prefix(prefix)
    )
    return block.replace_descendant(old, new)


def replace_in_list(root: R, element: n.Node, texts: list[str]) -> R:
    """``root`` with one element of a list replaced by several (source texts), in the list's layout;
    no texts removes the element."""
    item = n.parent_of(root, element)
    tuple_node = n.parent_of(root, item) if item is not None else None
    if not isinstance(tuple_node, n.Tuple):
        raise EditError("the element is not in a list")
    items = list(tuple_node.items)
    index = next(i for i, item in enumerate(items) if item.value is element)
    old = items[index]
    if not texts:
        del items[index]
        removed = old.value.first_token.prefix
        if index == 0 and items:  # the next element takes the removed one's place after `[`
            first = items[0].value.first_token
            items[0] = items[0].replace_descendant(first, first.with_prefix(removed))
            return root.replace_descendant(tuple_node, tuple_node.with_changes(items=tuple(items)))
        # A comment ending the line before the removed element sits in its prefix: keep it there.
        new_tuple = tuple_node.with_changes(items=tuple(items))
        following = items[index].value.first_token if index < len(items) else new_tuple.close
        keep, rest = _cut(removed), _cut(following.prefix, last=False)
        if keep > 0 and rest > 0 and removed[:keep].strip():
            new_tuple = new_tuple.replace_descendant(
                following, following.with_prefix(removed[:keep] + following.prefix[rest:])
            )
        return root.replace_descendant(tuple_node, new_tuple)
    multiline = "\n" in old.value.first_token.prefix or any(
        "\n" in (i.comma.prefix if i.comma else "") for i in items
    )
    prefix = old.value.first_token.prefix
    separator = prefix if multiline else " "
    new_items = []
    for position, text in enumerate(texts):
        value = snippet_expression(text)
        value = value.replace_descendant(
            value.first_token, value.first_token.with_prefix(prefix if position == 0 else separator)
        )
        last = position == len(texts) - 1
        comma = old.comma if last else n.Token("COMMA", ",", "", -1)
        new_items.append(n.TupleItem(value, comma))
    items[index : index + 1] = new_items
    return root.replace_descendant(tuple_node, tuple_node.with_changes(items=tuple(items)))


# --- Alignment -------------------------------------------------------------------------


def _run(items: list[Item], item: Item) -> list[Item]:
    """The attributes on consecutive lines around ``item``: terraform fmt aligns their ``=``."""
    index = items.index(item)
    start = end = index
    while start > 0 and _adjacent(items[start - 1], items[start]):
        start -= 1
    while end + 1 < len(items) and _adjacent(items[end], items[end + 1]):
        end += 1
    return items[start : end + 1]


def _realign(body: n.Body, new: Item) -> n.Body:
    """After inserting ``new``: align its run if the rest of the run was aligned."""
    others = [item for item in _run(list(body.items), new) if item is not new]
    if others and not _aligned(others) and isinstance(new, n.Attribute):
        if not _only_spaces(new.equals.prefix):
            return body
        return body.replace_descendant(new.equals, new.equals.with_prefix(" "))
    return _align(body, new)


def _align(body: n.Body, item: Item) -> n.Body:
    items = list(body.items)
    members = _run(items, item)
    run = [member for member in members if isinstance(member, n.Attribute)]
    if len(run) != len(members):
        return body
    width = max(len(member.name.text) for member in run)
    for member in run:
        pad = " " * (width - len(member.name.text) + 1)
        if member.equals.prefix != pad and _only_spaces(member.equals.prefix):
            items[items.index(member)] = member.with_changes(equals=member.equals.with_prefix(pad))
    return body.with_changes(items=tuple(items))


def _only_spaces(prefix: str) -> bool:
    """Whether the trivia before an ``=`` is blanks alone: a comment there is kept, not realigned."""
    return not prefix.strip(" \t")


def _adjacent(upper: Item, lower: Item) -> bool:
    """Both are one-line attributes and ``lower`` starts on the line right after ``upper``.

    terraform fmt aligns ``=`` only across such lines: a blank line, a comment
    line, a nested block or an attribute whose value spans lines breaks the run.
    """
    if not (_one_line_attribute(upper) and _one_line_attribute(lower)):
        return False
    prefix = lower.first_token.prefix
    return not ("\n" in prefix or "#" in prefix or "//" in prefix or "/*" in prefix)


def _one_line_attribute(item: Item) -> bool:
    """An attribute on one line as terraform fmt counts lines: a heredoc's lines are inside one
    token of its lexer, so ``policy = <<EOT ... EOT`` is one line, aligned with its neighbours."""
    if not isinstance(item, n.Attribute) or item.newline is None:
        return False
    inside = sum(node.code.count("\n") for node in item.value.walk() if isinstance(node, n.Heredoc))
    return item.code[len(item.first_token.prefix) :].count("\n") - inside == 1


def _aligned(run: list[Item]) -> bool:
    attributes = [item for item in run if isinstance(item, n.Attribute)]
    if len(attributes) != len(run):
        return False
    if len(attributes) == 1:
        return attributes[0].equals.prefix == " "
    columns = {len(item.name.text) + len(item.equals.prefix) for item in attributes}
    width = max(len(item.name.text) for item in attributes)
    return columns == {width + 1}


def _find(owner: n.File | n.Block, name: str) -> n.Attribute | None:
    for item in body_of(owner).items:
        if isinstance(item, n.Attribute) and item.name.text == name:
            return item
    return None


def _attribute(owner: n.File | n.Block, name: str) -> n.Attribute:
    attr = _find(owner, name)
    if attr is None:
        raise EditError(f"no attribute {name!r}")
    return attr
