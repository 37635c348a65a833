"""Large inputs cost memory in proportion to their size, with a small constant (issue 10; issue 8 item 13).

Measured with tracemalloc, which counts bytes, not seconds: these tests do not depend on the
machine's speed.  The input text is made before tracing starts, so the bounds are what the
parse itself allocates.
"""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from tffix.syntax import ParseError, parse_module

SIZE = 2_000_000
# Bytes allocated per input character, at most.  The text of a template is copied once into
# its token (1 byte per ASCII character); the old lexer's regular expressions kept about
# 115 bytes of backtracking state per character.
BOUND = 8


def _peak_per_character(text: str) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        file = parse_module(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert file.body.items  # parsed, and kept alive until measured
    return peak / len(text)


def _filler(size: int) -> str:
    # Escapes, and `$` and `%` not starting a template: each is one step of the text pattern.
    piece = 'lorem ipsum $5 100% \\"quoted\\" \\n dolor $${x} %%{y} sit amet, '
    return (piece * (size // len(piece) + 1))[:size]


def test_a_long_string_literal():
    text = f'value = "{_filler(SIZE)}"\n'.replace('\\"quoted\\"', "quoted")
    assert _peak_per_character(text) < BOUND


def test_a_long_string_with_escapes():
    text = 'value = "' + _filler(SIZE).rstrip("\\") + '"\n'
    assert _peak_per_character(text) < BOUND


def test_a_heredoc_of_one_long_line():
    text = "value = <<EOT\n" + _filler(SIZE).replace("\\", "/") + "\nEOT\n"
    assert _peak_per_character(text) < BOUND


def test_a_long_comment():
    text = "# " + "x" * SIZE + "\nvalue = 1\n"
    assert _peak_per_character(text) < BOUND


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(enabled):
    """The parse pauses garbage collection (nothing it makes is garbage) and restores it, also on error."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        parse_module("a = 1\n")
        assert gc.isenabled() is enabled
        with pytest.raises(ParseError):
            parse_module("a = [\n")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
