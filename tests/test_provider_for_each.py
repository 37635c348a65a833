"""Alias names of TFX001: valid identifiers, and never the same one twice."""

from __future__ import annotations

import pytest

from tffix.transforms.provider_for_each import alias_name, unique_names


@pytest.mark.parametrize(
    ("key", "alias"),
    [
        ("us-east-1", "us_east_1"),
        ("prod", "prod"),
        ("1a", "k_1a"),
        ("a.b c", "a_b_c"),
        ("", "k_"),
    ],
)
def test_alias_name(key, alias):
    assert alias_name(key) == alias


def test_keys_that_would_share_an_alias_get_distinct_ones():
    assert unique_names(["us-east-1", "us_east_1", "us.east.1"], set()) == {
        "us-east-1": "us_east_1",
        "us_east_1": "us_east_1_2",
        "us.east.1": "us_east_1_3",
    }


def test_an_alias_already_taken_is_not_reused():
    assert unique_names(["west"], {"west"}) == {"west": "west_2"}


def test_comments_on_an_existing_alias_are_kept_in_every_copy():
    # found by tests/test_rule_properties.py: the alias was removed with its comments and written anew
    from tffix.api import fix_sources

    text = (
        'provider "aws" {\n  region = each.key\n  # the alias\n  alias    = /* why */ "region" # end\n'
        '  for_each = toset(["us-east-1", "eu-west-1"])\n}\n'
    )
    fixed = fix_sources({"main.tf": text}).fixed["main.tf"]
    assert fixed == (
        'provider "aws" {\n  region = "us-east-1"\n  # the alias\n  alias = /* why */ "us_east_1" # end\n}\n\n'
        'provider "aws" {\n  region = "eu-west-1"\n  # the alias\n  alias = /* why */ "eu_west_1" # end\n}\n'
    )
