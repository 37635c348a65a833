"""Provider version constraints as Terraform evaluates them (``tffix.semantic.versions``).

The table ``tests/data/version_constraints.tsv`` holds cases written from the upstream
tests it names; the error and canonical-form cases below cite theirs.  Hypothesis checks
the laws: printing round-trips, ``~>`` is the range it abbreviates, and ``widen`` only
ever returns a constraint that admits the locked version, changing nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tffix.semantic.versions import (
    Constraint,
    ConstraintError,
    Selection,
    Version,
    VersionError,
    allows,
    parse_constraint,
    parse_lock_constraints,
    parse_version,
    widen,
)

TABLE = Path(__file__).parent / "data" / "version_constraints.tsv"
SETTINGS = settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def _table():
    for number, line in enumerate(TABLE.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        constraint, version, allowed, source = line.split("\t")
        yield pytest.param(constraint, version, allowed == "true", id=f"{number}-{source}")


@pytest.mark.parametrize(("constraint", "version", "allowed"), list(_table()))
def test_table(constraint, version, allowed):
    assert allows(constraint, version) is allowed


# --- what Terraform reads -------------------------------------------------------------


def test_tilde_arrow_meanings():
    assert parse_constraint("~> 1.2").selections[0].numbers == (1, 2)
    assert allows("~> 1.2", "1.9.0") and not allows("~> 1.2", "2.0.0")
    assert allows("~> 1.2.3", "1.2.9") and not allows("~> 1.2.3", "1.3.0")
    assert allows("~> 1", "1.9.0") and not allows("~> 1", "2.0.0")


def test_constraints_of_several_modules_are_merged():
    # hashicorp/terraform internal/configs/testdata/provider-reqs: root `~> 2.0.0`, child `2.0.1`.
    assert allows(["~> 2.0.0", "2.0.1"], "2.0.1")
    assert not allows(["~> 2.0.0", "2.0.1"], "2.0.2")
    # A prerelease pinned in one module passes the other module's range.
    assert allows(["2.0.0-beta1", ">= 1.0"], "2.0.0-beta1")
    assert not allows(">= 1.0", "2.0.0-beta1")
    assert (parse_constraint("~> 2.0.0") & parse_constraint("2.0.1")).canonical() == "~> 2.0.0, 2.0.1"


def test_no_constraint_admits_releases_only():
    # hashicorp/terraform internal/command/init_test.go,
    # TestInit_cannotUsePreReleaseWithoutConfigConstraint: a lock file alone cannot select 1.2.3-beta.
    assert Constraint().allows("9.9.9")
    assert not Constraint().allows("1.2.3-beta")
    assert not Constraint().allows("0.0.0")


def test_prerelease_order_is_go_versions_own():
    # versions/version.go VersionExtra.LessThan: fewer remaining parts first, then the part.
    assert parse_version("1.0.0-rc") < parse_version("1.0.0-alpha.1")
    assert parse_version("1.0.0-beta.2") < parse_version("1.0.0-beta.11")
    assert parse_version("1.0.0-1") < parse_version("1.0.0-alpha")
    assert parse_version("1.0.0-beta") < parse_version("1.0.0")
    assert sorted(
        ["1.0.0", "1.0.0-rc.1", "0.9.0", "1.0.0-rc"], key=lambda v: parse_version(v).precedence
    ) == ["0.9.0", "1.0.0-rc", "1.0.0-rc.1", "1.0.0"]


def test_metadata_counts_only_for_exact_elements():
    assert parse_version("1.0.0+a").same(parse_version("1.0.0+b"))
    assert parse_version("1.0.0+a") != parse_version("1.0.0+b")
    assert not allows("1.0.0", "1.0.0+a")
    assert allows(">= 1.0.0", "1.0.0+a")


# apparentlymart/go-versions versions/constraints/version_test.go, TestParseExactVersion.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", Version(1, 0, 0)),
        ("1.1", Version(1, 1, 0)),
        ("1.1.1", Version(1, 1, 1)),
        ("1.0-beta2", Version(1, 0, 0, "beta2")),
        ("1.0.0-beta.2", Version(1, 0, 0, "beta.2")),
        ("1.0.0+foo.bar", Version(1, 0, 0, "", "foo.bar")),
        ("1.0.0-beta1+foo.bar", Version(1, 0, 0, "beta1", "foo.bar")),
        ("1.02", Version(1, 2, 0)),
    ],
)
def test_parse_version(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty specification"),
        ("1.0.0.0", "too many numbered portions; only three are allowed (major, minor, patch)"),
        ("v1.0.0", 'a "v" prefix should not be used'),
        ("> 1.1.1", 'can\'t use constraint operator ">"; an exact version is required'),
        ("garbage", "invalid specification; required format is three positive integers separated by periods"),
        ("& 1.1.0", 'invalid sequence "&" at start of specification'),
        ("1.*.*", "can't use wildcard for minor number; an exact version is required"),
        ("1.0.x", "can't use wildcard for patch number; an exact version is required"),
        ("1.0 || 2.0", "can't specify multiple versions; a single exact version is required"),
        ("1.0.0, 2.0.0", "can't specify multiple versions; a single exact version is required"),
        ("1.0.0 - 2.0.0", "can't specify version range; a single exact version is required"),
    ],
)
def test_parse_version_errors(text, message):
    with pytest.raises(VersionError) as error:
        parse_version(text)
    assert str(error.value) == message


# Lock-file `constraints`: go-versions alone.  Messages from apparentlymart/go-versions
# versions/constraints/ruby_style_test.go (TestParseRubyStyleMulti; TestParseRubyStyle's
# single-element cases gain the "invalid specification" prefix the list parser adds).
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "~> v1.1.1",
            'invalid specification "~> v1.1.1": a "v" prefix should not be used when specifying versions',
        ),
        (
            ">= 1.0, < v2.0",
            'invalid specification "< v2.0": a "v" prefix should not be used when specifying versions',
        ),
        (">= 1.0 < 2", 'missing comma after ">= 1.0"'),
        (
            "1.0.0.0",
            'invalid specification "1.0.0.0": too many numbered portions; only three are allowed'
            " (major, minor, patch)",
        ),
        (
            "=> 1.1.1",
            'invalid specification "=> 1.1.1": invalid constraint operator "=>"; did you mean ">="?',
        ),
        (
            "=< 1.1.1",
            'invalid specification "=< 1.1.1": invalid constraint operator "=<"; did you mean "<="?',
        ),
        ("=  1.1.1", 'invalid specification "=  1.1.1": only one space is expected after the operator "="'),
        ("& 1.1.0", 'invalid specification "& 1.1.0": invalid constraint operator "&"'),
        (
            "1.*.*",
            'invalid specification "1.*.*": can\'t use wildcard for minor number; omit segments that should be'
            " unconstrained",
        ),
        ("1.0 || 2.0", 'missing comma after "1.0"'),
    ],
)
def test_lock_constraint_errors(text, message):
    with pytest.raises(ConstraintError) as error:
        parse_lock_constraints(text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # hashicorp/go-version rejects these first (constraint_test.go TestNewConstraint has `>= 1.x`
        # and the out-of-range number); Terraform's detail for them is fixed.
        ("", "This string does not use correct version constraint syntax."),
        (">= 1.x", "This string does not use correct version constraint syntax."),
        (
            "11387778780781445675529500000000000000000",
            "This string does not use correct version constraint syntax.",
        ),
        (">= 1.0,", "This string does not use correct version constraint syntax."),
        ("=> 1.0", "This string does not use correct version constraint syntax."),
        # go-version accepts these; go-versions does not (hashicorp/terraform internal/configs/config.go,
        # addProviderRequirements: "The two parsers don't exactly agree in practice").
        (
            ">=  1.0",
            'Incorrect version constraint syntax: invalid specification ">=  1.0": only one space is'
            ' expected after the operator ">=".',
        ),
        (
            "1.0.0.0",
            'Incorrect version constraint syntax: invalid specification "1.0.0.0": too many numbered'
            " portions; only three are allowed (major, minor, patch).",
        ),
        (
            "~> v5.0",
            'Incorrect version constraint syntax: invalid specification "~> v5.0": a "v" prefix should'
            " not be used when specifying versions.",
        ),
    ],
)
def test_config_constraint_errors(text, message):
    with pytest.raises(ConstraintError) as error:
        parse_constraint(text)
    assert str(error.value) == message


def test_lock_constraints_accept_what_config_refuses():
    assert parse_lock_constraints("") == Constraint()
    assert str(parse_lock_constraints(">= 1.0,")) == ">= 1.0"


# hashicorp/terraform internal/getproviders/providerreqs/version_test.go,
# TestVersionConstraintsString (the same cases in opentofu/opentofu internal/getproviders/types_test.go).
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1.2.3", "1.2.3"),
        ("1.2.3-beta", "1.2.3-beta"),
        ("1.2.3+foo.bar", "1.2.3+foo.bar"),
        ("1.2.3-beta+foo.bar", "1.2.3-beta+foo.bar"),
        (">= 3", ">= 3.0.0"),
        ("~> 3", "~> 3.0"),
        ("~> 3.0", "~> 3.0"),
        ("~> 3.0.0", "~> 3.0.0"),
        ("> 1.0.0, < 1.0.0, >= 1.0.0, <= 1.0.0, != 1.0.0", "> 1.0.0, >= 1.0.0, <= 1.0.0, < 1.0.0, != 1.0.0"),
        (">= 3.0, < 4.0", ">= 3.0.0, < 4.0.0"),
        (">= 1.2.3, 1.2.3, ~> 1.2, 1.2.3", "~> 1.2, >= 1.2.3, 1.2.3"),
        (">= 2.68, >= 2.68.0", ">= 2.68.0"),
        (
            "< 1.2.3, <= 1.2.3, != 1.2.3, 1.2.3+local.2, 1.2.3+local.1, = 1.2.4, = 1.2.3, > 2, > 1.2.3, >= 1.2.3,"
            " ~> 1.2.3, ~> 1.2",
            "~> 1.2, > 1.2.3, >= 1.2.3, 1.2.3, ~> 1.2.3, <= 1.2.3, < 1.2.3, != 1.2.3, 1.2.3+local.1, 1.2.3+local.2,"
            " 1.2.4, > 2.0.0",
        ),
        ("~> 1.2, >= 1.2, 1.2.4", ">= 1.2.0, ~> 1.2, 1.2.4"),
        (">= 2, >= 1.2, < 1.3", ">= 1.2.0, < 1.3.0, >= 2.0.0"),
    ],
)
def test_canonical(text, canonical):
    assert parse_lock_constraints(text).canonical() == canonical


# --- widen ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locked", "widened"),
    [
        # issue 12's examples
        ("~> 5.0", "6.22.1", "~> 6.0"),
        ("~> 5.31.0", "6.2.0", "~> 6.2.0"),
        (">= 4.0, < 5.0", "5.1.0", ">= 4.0, < 6.0"),
        ("= 5.1.0", "6.22.1", "= 6.22.1"),
        ("5.1.0", "6.22.1", "6.22.1"),
        (">= 5.0, != 6.22.1", "6.22.1", ">= 5.0"),
        # the element's own width and granularity
        ("~> 5", "6.22.1", "~> 6"),
        ("~> 5.31", "6.22.1", "~> 6.0"),
        ("~> 5.31", "5.20.3", "~> 5.20"),
        ("~> 5.31.4", "5.31.2", "~> 5.31.2"),
        ("~> 5.31.4", "5.40.2", "~> 5.40.0"),
        ("< 5", "5.1.0", "< 6"),
        ("< 5.2", "5.3.1", "< 5.4"),
        ("< 5.2.3", "6.0.0", "< 6.0.1"),
        ("<= 5.1", "5.3.0", "<= 5.3"),
        ("<= 5.1", "5.3.2", "<= 5.3.2"),
        (">= 5.0", "4.67.0", ">= 4.67"),
        (">= 5.0.1", "4.67.0", ">= 4.67.0"),
        ("> 5.0", "4.67.1", "> 4.67"),
        ("= 6.0.0-beta1", "6.0.0-beta2", "= 6.0.0-beta2"),
        # spacing, order and untouched elements kept
        (">=4.0,<5.0", "5.1.0", ">=4.0,<6.0"),
        ("  ~>5.0 ", "6.22.1", "  ~>6.0 "),
        ("~> 5.0 , != 5.3.0", "6.1.0", "~> 6.0 , != 5.3.0"),
        ("!= 6.22.1, >= 5.0", "6.22.1", ">= 5.0"),
        (">= 5.0, != 6.22.1, < 7.0", "6.22.1", ">= 5.0, < 7.0"),
        (">= 5.0, != 6.22.1, != 6.22.1", "6.22.1", ">= 5.0"),
        # already fine: unchanged
        ("~> 6.0", "6.22.1", "~> 6.0"),
    ],
)
def test_widen(text, locked, widened):
    assert widen(text, locked) == widened
    assert allows(widened, locked)


@pytest.mark.parametrize(
    ("text", "locked"),
    [
        ("~> 5.0", "6.0.0-beta1"),  # only an exact pin admits a prerelease
        ("!= 6.22.1", "6.22.1"),  # nothing left: an empty string is not a valid constraint
        ("> 5.0", "4.0.0"),  # `> 4.0` would still exclude it
        (">= 1.0", "0.0.0"),  # go-versions' "unspecified" version
    ],
)
def test_widen_declines(text, locked):
    assert widen(text, locked) is None


def test_widen_refuses_invalid_text():
    with pytest.raises(ConstraintError):
        widen(">=  5.0", "6.0.0")


# --- properties -------------------------------------------------------------------------

_IDENTIFIERS = st.sampled_from(["alpha", "beta", "rc", "1", "2", "10", "beta1", "x-y"])
_PRERELEASES = st.lists(_IDENTIFIERS, min_size=1, max_size=3).map(".".join)
_NUMBER = st.integers(min_value=0, max_value=12)


@st.composite
def selections(draw):
    operator = draw(st.sampled_from(["", "=", "!=", ">", ">=", "<", "<=", "~>"]))
    numbers = tuple(draw(st.lists(_NUMBER, min_size=1, max_size=3)))
    prerelease = draw(st.one_of(st.just(""), st.just(""), _PRERELEASES))
    spaced = bool(operator) and draw(st.booleans())
    return Selection(operator, numbers, prerelease, "", spaced)


constraints = st.lists(selections(), min_size=1, max_size=4).map(lambda items: Constraint(tuple(items)))
released = st.builds(Version, _NUMBER, _NUMBER, _NUMBER).filter(lambda v: v != Version(0, 0, 0))
versions = st.one_of(released, st.builds(Version, _NUMBER, _NUMBER, _NUMBER, _PRERELEASES))


@SETTINGS
@given(constraints)
def test_print_parse_round_trip(constraint):
    assert parse_constraint(str(constraint)) == constraint


@SETTINGS
@given(constraints)
def test_canonical_form_is_stable_and_means_the_same(constraint):
    canonical = parse_lock_constraints(constraint.canonical())
    assert canonical.canonical() == constraint.canonical()
    for version in ("0.1.0", "1.0.0", "1.2.0", "2.0.0", "3.4.5", "12.12.12"):
        assert canonical.allows(version) == constraint.allows(version)


@SETTINGS
@given(_NUMBER, _NUMBER, _NUMBER, versions)
def test_tilde_arrow_is_the_range_it_abbreviates(major, minor, patch, version):
    assert allows(f"~> {major}.{minor}", version) == allows(f">= {major}.{minor}, < {major + 1}.0", version)
    assert allows(f"~> {major}", version) == allows(f"~> {major}.0", version)
    assert allows(f"~> {major}.{minor}.{patch}", version) == allows(
        f">= {major}.{minor}.{patch}, < {major}.{minor + 1}.0", version
    )


@SETTINGS
@given(constraints, versions)
def test_widen_result_admits_the_locked_version(constraint, locked):
    text = str(constraint)
    result = widen(text, locked)
    if constraint.allows(locked):
        assert result == text
    elif result is not None:
        assert allows(result, locked)


@SETTINGS
@given(constraints, released)
def test_widen_changes_only_the_elements_that_exclude(constraint, locked):
    result = widen(str(constraint), locked)
    kinds = {selection.kind for selection in constraint.selections}
    if ">" in kinds or kinds == {"!="}:
        return
    assert result is not None
    kept = [s for s in constraint.selections if not (s.kind == "!=" and not s.admits(locked))]
    after = parse_constraint(result).selections
    assert len(after) == len(kept)
    for before, now in zip(kept, after):
        assert now.operator == before.operator and now.spaced == before.spaced
        if before.admits(locked):
            assert now == before
        else:
            assert len(now.numbers) == len(before.numbers) or now.operator in ("", "=", "<=")
