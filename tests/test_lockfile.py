"""Reading ``.terraform.lock.hcl`` and ``required_providers`` (``tffix.semantic.lockfile``).

The lock file below is laid out as ``terraform init`` writes one; its hashes are
placeholders of the right shape.  The problem cases follow hashicorp/terraform
``internal/depsfile/testdata/locks-files/invalid-provider-addrs.hcl`` and
``invalid-versions.hcl`` (written anew, not copied).
"""

from __future__ import annotations

import pytest

from tffix.semantic.lockfile import (
    ProviderAddress,
    ProviderSourceError,
    implied_provider,
    locked_provider,
    locked_providers,
    parse_provider_source,
    required_providers,
)
from tffix.semantic.versions import Version, allows, parse_constraint
from tffix.syntax import parse_module, query

LOCK_FILE = """\
# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.22.1"
  constraints = "~> 5.0"
  hashes = [
    "h1:7gAsAqa9jn5+HSSzmzqqBtiCWWkO1aYsMSkGDJjC69k=",
    "h1:Lz7r4i8TEi6qvKtpqtJZhKzRSvfINAMWt97ZwHTVFz4=",
    "zh:29b912b57267b114d2aa2e6c4af1b40655808bc95957ab3b5d149ef8e6a3b0cd",
    "zh:4d76a2a3d304598c6879ef1f04720c74216d17bbc87e6cf1a1c6d4d9f83311b8",
    "zh:57c3a8a63e896d03dd2ad8f2d54c1246a4a1c9953e94b08159b7176d393b9ae9",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.3"
  constraints = ">= 3.0.0, < 4.0.0"
  hashes = [
    "h1:gMqczktnUKZTDrh/1AVdja+LmTX0V5Mc50WFGqnw8mU=",
    "zh:03d426b4b9a9b5bddc63502321df3484a67687377cee1761b306b3ccc10ee0cf",
    "zh:9bae2df95bb934c2e5b8a193437ab136274f21b31fcb8df64cfba19811d8bc22",
  ]
}

provider "registry.terraform.io/hashicorp/tls" {
  version = "4.0.6"
  hashes = [
    "h1:MbS0PpDx5Jv1jpb8JsNfX7HjoClaYnr2Q1OD5KAAYNc=",
    "zh:9d81eda6d1cdbed65b8b565affb52ecaaa5f18e6c667cce3e467e147fee5e19e",
  ]
}

provider "tf.example.com/awesomecorp/happycloud" {
  version     = "0.3.0"
  constraints = "~> 0.3.0"
  hashes = [
    "h1:uDcL3E2GJb8O7zFNZAeHAcmRPEyCXx0rG8691ZMItQ8=",
  ]
}
"""

CONFIG = """\
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = {
      "version" = ">= 3.0, < 4.0"
    }
    tls = "~> 4.0"
    cloud = {
      source = "TF.Example.com:443/AwesomeCorp/happycloud"
    }
    tfe = {
      source                = "hashicorp/tfe"
      version               = var.tfe_version
      configuration_aliases = [tfe.admin]
    }
    terraform = {
      source = "terraform.io/builtin/terraform"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}
"""


def _by_type(items):
    return {item.address.type: item for item in items}


def test_reads_every_provider_with_its_version_constraints_and_hashes():
    locks = locked_providers(parse_module(LOCK_FILE))
    assert [str(lock.address) for lock in locks] == [
        "registry.terraform.io/hashicorp/aws",
        "registry.terraform.io/hashicorp/random",
        "registry.terraform.io/hashicorp/tls",
        "tf.example.com/awesomecorp/happycloud",
    ]
    aws = locks[0]
    assert aws.version == Version(6, 22, 1)
    assert aws.constraints == "~> 5.0"
    assert aws.hashes[0] == "h1:7gAsAqa9jn5+HSSzmzqqBtiCWWkO1aYsMSkGDJjC69k="
    assert len(aws.hashes) == 5
    assert locks[2].constraints is None
    assert all(lock.problems == () for lock in locks)


def test_block_keeps_its_position():
    text = LOCK_FILE
    random = locked_providers(parse_module(text))[1]
    start, end = random.block.text_span
    assert text[start:end].startswith('provider "registry.terraform.io/hashicorp/random" {')
    assert text[start:end].endswith("  ]\n}\n")  # the block owns its newline
    version = query.attribute(random.block, "version")
    assert text[slice(*version.value.text_span)] == '"3.6.3"'


def test_required_providers_in_both_forms():
    required = _by_type(required_providers(parse_module(CONFIG)))
    aws = required["aws"]
    assert (aws.name, aws.source, aws.version) == ("aws", "hashicorp/aws", "~> 5.0")
    assert aws.address == ProviderAddress("registry.terraform.io", "hashicorp", "aws")
    assert aws.version_node.code == ' "~> 5.0"'
    assert required["random"].version == ">= 3.0, < 4.0"  # quoted keys
    assert required["random"].address == implied_provider("random")
    assert required["tls"].version == "~> 4.0"  # legacy string form
    assert required["tls"].source is None
    assert required["happycloud"].name == "cloud"
    assert str(required["happycloud"].address) == "tf.example.com/awesomecorp/happycloud"
    assert required["happycloud"].version is None
    assert required["terraform"].address.is_builtin
    assert all(item.problems == () for name, item in required.items() if name != "tfe")


def test_a_version_that_is_not_a_literal_is_reported():
    tfe = _by_type(required_providers(parse_module(CONFIG)))["tfe"]
    assert tfe.version is None and tfe.version_node is None
    assert tfe.problems == ("Invalid version constraint: Version must be specified as a string.",)


def test_lock_against_requirements():
    locks = locked_providers(parse_module(LOCK_FILE))
    verdicts = {}
    for item in required_providers(parse_module(CONFIG)):
        lock = locked_provider(locks, item.address)
        if lock is None or item.version is None:
            continue
        verdicts[item.name] = allows(item.version, lock.version)
    assert verdicts == {"aws": False, "random": True, "tls": True}


def test_editing_the_version_string_is_a_span_of_the_config():
    aws = _by_type(required_providers(parse_module(CONFIG)))["aws"]
    start, end = aws.version_node.text_span
    assert CONFIG[start:end] == '"~> 5.0"'
    assert parse_constraint(CONFIG[start + 1 : end - 1]) == parse_constraint(aws.version)


@pytest.mark.parametrize(
    ("source", "target", "address"),
    [
        ("aws", "terraform", "registry.terraform.io/hashicorp/aws"),
        ("hashicorp/aws", "terraform", "registry.terraform.io/hashicorp/aws"),
        ("registry.terraform.io/hashicorp/aws", "terraform", "registry.terraform.io/hashicorp/aws"),
        ("HashiCorp/AWS", "terraform", "registry.terraform.io/hashicorp/aws"),
        ("Registry.Terraform.IO:443/hashicorp/aws", "terraform", "registry.terraform.io/hashicorp/aws"),
        ("example.com:8443/acme/widget", "terraform", "example.com:8443/acme/widget"),
        ("aws", "opentofu", "registry.opentofu.org/hashicorp/aws"),
        ("hashicorp/aws", "opentofu", "registry.opentofu.org/hashicorp/aws"),
        ("registry.terraform.io/hashicorp/aws", "opentofu", "registry.terraform.io/hashicorp/aws"),
        ("integrations/github", "terraform", "registry.terraform.io/integrations/github"),
    ],
)
def test_source_addresses_normalise(source, target, address):
    assert str(parse_provider_source(source, target=target)) == address


@pytest.mark.parametrize(
    "source",
    [
        "",
        "too/many/parts/here",
        "hashicorp/",
        "hashicorp/aws.v2",
        "hashicorp/terraform-provider-aws",
        "hashicorp/a--b",
        "hashicorp/-aws",
        "example.com/-/null",
    ],
)
def test_invalid_source_addresses(source):
    with pytest.raises(ProviderSourceError):
        parse_provider_source(source)


def test_implied_provider():
    assert str(implied_provider("aws")) == "registry.terraform.io/hashicorp/aws"
    assert str(implied_provider("aws", target="opentofu")) == "registry.opentofu.org/hashicorp/aws"
    assert str(implied_provider("terraform")) == "terraform.io/builtin/terraform"


def test_opentofu_reads_a_terraform_lock_entry_for_hashicorp_providers():
    locks = locked_providers(parse_module(LOCK_FILE), target="opentofu")
    tofu_aws = parse_provider_source("hashicorp/aws", target="opentofu")
    assert locked_provider(locks, tofu_aws) is None
    assert locked_provider(locks, tofu_aws, target="opentofu").version == Version(6, 22, 1)
    happycloud = parse_provider_source("tf.example.com/awesomecorp/happycloud", target="opentofu")
    assert locked_provider(locks, happycloud, target="opentofu").version == Version(0, 3, 0)


def test_opentofu_prefers_its_own_entry():
    text = (
        LOCK_FILE
        + """
provider "registry.opentofu.org/hashicorp/aws" {
  version = "5.100.0"
}
"""
    )
    locks = locked_providers(parse_module(text), target="opentofu")
    tofu_aws = parse_provider_source("hashicorp/aws", target="opentofu")
    assert locked_provider(locks, tofu_aws, target="opentofu").version == Version(5, 100, 0)


PROBLEMS = """\
provider "" {
  version = "1.0.0"
}

provider "hashicorp/aws" {
  version = "1.0.0"
}

provider "registry.terraform.io/Example/example" {
  version = "1.0.0"
}

provider "registry.terraform.io/-/null" {
  version = "1.0.0"
}

provider "terraform.io/builtin/terraform" {
  version = "1.0.0"
}

provider "example.com/test/short" {
  version = "1.0"
}

provider "example.com/test/prefixed" {
  version = "v1.0.0"
}

provider "example.com/test/missing" {
}

provider "example.com/test/null" {
  version = null
}

provider "example.com/test/loose" {
  version     = "1.2.0"
  constraints = "~>1.2"
}

provider "example.com/test/nohashes" {
  version = "1.2.0"
  hashes  = []
}

provider "example.com/test/extra" {
  version = "1.2.0"
  source  = "x"
}

provider "example.com/test/fine" {
  version = "1.2.0"
}

provider "example.com/test/fine" {
  version = "1.3.0"
}
"""


def test_problems_terraform_would_report():
    locks = locked_providers(parse_module(PROBLEMS))
    summaries = [tuple(problem.split(":")[0] for problem in lock.problems) for lock in locks]
    assert summaries == [
        ("Invalid provider source address",),
        ("Non-normalized provider source address",),
        ("Non-normalized provider source address",),
        ("Invalid provider source address",),
        ("Invalid provider source address",),
        ("Invalid provider version number",),
        ("Invalid provider version number",),
        ("Missing required argument",),
        ("Missing required argument",),
        ("Invalid provider version constraints",),
        ("Invalid provider hash set",),
        ("Unsupported argument",),
        (),
        ("Duplicate provider lock",),
    ]
    assert locks[5].version == Version(1, 0, 0)
    assert 'normalized form: "1.0.0"' in locks[5].problems[0]
    assert locks[6].version is None
    assert 'normalized form: "~> 1.2"' in locks[9].problems[0]
    assert locked_provider(locks, parse_provider_source("example.com/test/fine")).version == Version(1, 2, 0)
