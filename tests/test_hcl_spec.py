"""HashiCorp's own HCL test material, read at test time from Debian's hashicorp/hcl sources.

Debian package ``golang-github-hashicorp-hcl-v2-dev`` installs hashicorp/hcl under
``/usr/share/gocode/src/github.com/hashicorp/hcl/v2``; ``TFFIX_HCL_SRC`` names another
checkout.  Nothing from it is copied into this repository (MPL-2.0): without it the
tests skip.

Three sources, each a different angle on "every valid file prints back byte for byte":
- ``specsuite/tests``: the language's conformance files; each ``.hcl`` has a ``.t``
  beside it whose ``diagnostics`` block says HashiCorp's parser rejects it.  The
  ``.t`` and ``.hcldec`` files are HCL themselves and must round-trip too.
- ``hclwrite/format_test.go`` ``TestFormat``: pairs of (input, what ``hclwrite.Format``
  makes of it), as Go string literals.  ``hclwrite`` formats token streams, so many
  inputs are bare expressions, not files; those may be refused, but only with
  `ParseError`.  Every ``want`` that is a file must round-trip, since it is exactly
  what ``terraform fmt`` writes.
- the Go fuzz seed corpora (``*/fuzz/testdata/fuzz/FuzzParseConfig``) and the
  expression seeds, parsed as ``x = <expression>``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tffix.syntax import ParseError, parse_module

DEFAULT_SRC = "/usr/share/gocode/src/github.com/hashicorp/hcl/v2"
SRC = Path(os.environ.get("TFFIX_HCL_SRC") or DEFAULT_SRC)
SPEC_TESTS = SRC / "specsuite" / "tests"
FORMAT_TEST = SRC / "hclwrite" / "format_test.go"
ABSENT = (
    f"hashicorp/hcl sources not found at {SRC} (apt-get install golang-github-hashicorp-hcl-v2-dev, "
    "or set TFFIX_HCL_SRC to a checkout of hashicorp/hcl/v2)"
)

DIAGNOSTICS = re.compile(r"^diagnostics\s*\{", re.MULTILINE)


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _first_difference(text: str, code: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(text, code)) if a != b), min(len(text), len(code)))
    return (
        f"offset {at}: expected {text[max(0, at - 20) : at + 20]!r}, got {code[max(0, at - 20) : at + 20]!r}"
    )


def _assert_round_trip(text: str) -> None:
    code = parse_module(text).code
    assert code == text, _first_difference(text, code)


def _assert_round_trip_or_refused(text: str) -> ParseError | None:
    """Either the text prints back exactly, or `ParseError` says where it stops being HCL."""
    try:
        code = parse_module(text).code
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1, f"ParseError without a position: {error!r}"
        assert error.line <= text.count("\n") + 1, f"ParseError past the last line: {error}"
        return error
    assert code == text, _first_difference(text, code)
    return None


# --- Go string literals ------------------------------------------------------------------

_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}


def go_interpreted(body: str) -> str:
    """The value of a Go ``"..."`` literal's body (without the quotes).

    ``\\x`` and octal escapes are single bytes, so the value is built as bytes and
    decoded as UTF-8 at the end, the way Go's string holds it.
    """
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out += char.encode("utf-8")
            i += 1
            continue
        kind = body[i + 1]
        if kind in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[kind])
            i += 2
        elif kind == "x":
            out.append(int(body[i + 2 : i + 4], 16))
            i += 4
        elif kind in "01234567":
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
        elif kind in "uU":
            width = 4 if kind == "u" else 8
            out += chr(int(body[i + 2 : i + 2 + width], 16)).encode("utf-8")
            i += 2 + width
        else:
            raise ValueError(f"unknown Go escape \\{kind}")
    return out.decode("utf-8")


_GO_TOKEN = re.compile(
    r"""
      (?P<line_comment>//[^\n]*)
    | (?P<block_comment>/\*.*?\*/)
    | `(?P<raw>[^`]*)`
    | "(?P<interpreted>(?:[^"\\\n]|\\.)*)"
    | (?P<rune>'(?:[^'\\\n]|\\[^\n]+?)')
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<plus>\+)
    """,
    re.VERBOSE | re.DOTALL,
)


def go_table(source: str) -> list[list[str]]:
    """String literals of each ``{...}`` element of a Go composite literal, in order.

    ``source`` starts just after the table's opening ``{``.  Raw strings drop ``\\r``
    (Go spec); ``"a" + "b"`` is concatenated; comments and rune literals are skipped so
    that a brace or quote inside them is not taken for one of the table's.
    """
    rows: list[list[str]] = []
    depth, row, join_next = 0, None, False
    for match in _GO_TOKEN.finditer(source):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth == 1:
                row = []
        elif kind == "close":
            if depth == 0:
                return rows
            if depth == 1:
                rows.append(row)
                row = None
            depth -= 1
        elif kind == "plus":
            join_next = True
        elif kind in ("raw", "interpreted") and row is not None and depth == 1:
            value = match["raw"].replace("\r", "") if kind == "raw" else go_interpreted(match["interpreted"])
            if join_next and row:
                row[-1] += value
            else:
                row.append(value)
            join_next = False
    raise ValueError("unterminated Go composite literal")


def format_cases() -> list[tuple[str, str]]:
    source = _read(FORMAT_TEST)
    start = source.index("func TestFormat(")
    table = source.index("}{", start) + 2
    rows = go_table(source[table:])
    assert rows and all(len(row) == 2 for row in rows), "TestFormat's table is no longer (input, want) pairs"
    return [(row[0], row[1]) for row in rows]


def fuzz_seed(path: Path) -> str:
    """A Go native fuzzing seed file: ``go test fuzz v1`` then ``[]byte("...")``."""
    lines = _read(path).split("\n", 1)
    assert lines[0] == "go test fuzz v1", f"{path} is not a Go fuzz seed"
    match = re.fullmatch(r'\s*(?:\[\]byte|string)\("((?:[^"\\]|\\.)*)"\)\s*', lines[1], re.DOTALL)
    assert match, f"{path}: unexpected seed layout"
    return go_interpreted(match[1])


# --- Parametrization (lists only paths at collection; contents are read by the tests) ---


def _skip_param():
    return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT))]


def _spec_files(suffix: str) -> list:
    if not SPEC_TESTS.is_dir():
        return _skip_param()
    return [str(p.relative_to(SPEC_TESTS)) for p in sorted(SPEC_TESTS.rglob(f"*{suffix}"))]


def _fuzz_files(kind: str) -> list:
    if not SRC.is_dir():
        return _skip_param()
    found = sorted(SRC.glob(f"*/fuzz/testdata/fuzz/{kind}/*"))
    return [str(p.relative_to(SRC)) for p in found] or _skip_param()


def _format_indices() -> list:
    if not FORMAT_TEST.is_file():
        return _skip_param()
    return list(range(len(format_cases())))


# --- specsuite ------------------------------------------------------------------------


@pytest.mark.parametrize("name", _spec_files(".hcl"))
def test_specsuite_file(name):
    path = SPEC_TESTS / name
    text = _read(path)
    expectations = path.with_suffix(".t")
    if expectations.exists() and DIAGNOSTICS.search(_read(expectations)):
        _assert_round_trip_or_refused(text)
    else:
        _assert_round_trip(text)


@pytest.mark.parametrize("name", _spec_files(".t") + _spec_files(".hcldec"))
def test_specsuite_expectation_files_are_hcl(name):
    """The suite's ``.t`` and ``.hcldec`` files are valid HCL that HashiCorp's tools read."""
    _assert_round_trip(_read(SPEC_TESTS / name))


@pytest.mark.parametrize(
    "name",
    [
        "structure/blocks/single_unclosed.hcl",
        "structure/attributes/singleline_bad.hcl",
    ],
)
def test_specsuite_syntax_errors_are_refused(name):
    """Files whose expected diagnostics are syntax errors (not schema ones) are refused."""
    if not SPEC_TESTS.is_dir():
        pytest.skip(ABSENT)
    with pytest.raises(ParseError):
        parse_module(_read(SPEC_TESTS / name))


@pytest.mark.parametrize("chunk", range(5))
def test_specsuite_single_line_block_rules(chunk):
    """Each top-level block of ``single_oneline_invalid.hcl`` has its own error in the ``.t`` file."""
    path = SPEC_TESTS / "structure" / "blocks" / "single_oneline_invalid.hcl"
    if not path.is_file():
        pytest.skip(ABSENT)
    chunks = re.split(r"\n(?=[^\s}])", _read(path))
    assert len(chunks) == 5
    with pytest.raises(ParseError):
        parse_module(chunks[chunk])


# --- hclwrite TestFormat ----------------------------------------------------------------


def test_go_literal_extractor():
    """The extractor itself, on the literal forms TestFormat may use."""
    rows = go_table(r"""
        {`a=1`, "b = \"x\"\n"},  // a comment with a } brace
        {
            "tab\there \u00e9 \xc3\xa9 \101",
            `raw \n stays` + "+joined",
        },
        {'}', "rune literals are skipped"},
    }""")
    assert rows == [
        ["a=1", 'b = "x"\n'],
        ["tab\there é é A", "raw \\n stays+joined"],
        ["rune literals are skipped"],
    ]


@pytest.mark.parametrize("index", _format_indices())
@pytest.mark.parametrize("side", ["input", "want"])
def test_hclwrite_format_case(index, side):
    """A file prints back exactly; a bare expression is refused, and is a file as a value.

    In hashicorp/hcl 2.14.1, 19 of the 57 pairs are bare expressions (``( a+2 )``,
    ``foo(a,b...)``, ``[for x in y : x]``...): HashiCorp's parser refuses them as files
    too, and accepts every one of them as ``x = <expression>``.
    """
    text = format_cases()[index][side == "want"]
    if _assert_round_trip_or_refused(text) is not None:
        _assert_round_trip(f"x = {text.strip(chr(10))}\n")


def test_hclwrite_format_table_is_read():
    if not FORMAT_TEST.is_file():
        pytest.skip(ABSENT)
    cases = format_cases()
    assert len(cases) > 50
    assert cases[1] == ("a=1", "a = 1")


# --- Go fuzz seeds ----------------------------------------------------------------------


@pytest.mark.parametrize("name", _fuzz_files("FuzzParseConfig"))
def test_fuzz_seed_config(name):
    _assert_round_trip_or_refused(fuzz_seed(SRC / name))


@pytest.mark.parametrize("name", _fuzz_files("FuzzParseExpression"))
def test_fuzz_seed_expression(name):
    expression = fuzz_seed(SRC / name)
    if expression.strip():
        _assert_round_trip_or_refused(f"x = {expression}\n")
