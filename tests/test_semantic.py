"""The semantic model: declarations, references and what they resolve to, instance keys, static values."""

from __future__ import annotations

import pytest

from tffix.engine import parse_file
from tffix.semantic.module import Module
from tffix.semantic.values import SetValue, Unknown, is_known
from tffix.syntax import parse_expression, query


def model_of(*texts: str, json: dict[str, str] | None = None, target: str = "terraform"):
    files = [parse_file(f"f{i}.tf", text) for i, text in enumerate(texts)]
    files += [parse_file(name, text) for name, text in (json or {}).items()]
    return Module(files, target).model


def refs(model, address: str):
    return [r for r in model.references if r.address == address]


def the_ref(model, text: str):
    found = [r for r in model.references if r.text() == text]
    assert len(found) == 1, (text, [r.text() for r in model.references])
    return found[0]


# --- declarations ------------------------------------------------------------------------


def test_every_kind_of_declaration_with_its_file():
    model = model_of(
        'resource "aws_s3_bucket" "b" {}\ndata "aws_region" "r" {}\nmodule "m" {\n  source = "./m"\n}\n',
        'provider "aws" {}\nprovider "aws" {\n  alias = "west"\n}\nvariable "v" {}\noutput "o" {\n  value = 1\n}\n'
        'locals {\n  a = 1\n  b = 2\n}\ncheck "c" {\n  data "http" "h" {\n    url = "x"\n  }\n  assert {\n'
        '    condition     = true\n    error_message = "x"\n  }\n}\nmoved {\n  from = a.b\n  to = a.c\n}\n',
    )
    assert sorted(d.address for d in model.declarations if d.kind not in ("moved",)) == sorted(
        [
            "aws_s3_bucket.b",
            "data.aws_region.r",
            "module.m",
            "aws",
            "aws.west",
            "var.v",
            "output.o",
            "local.a",
            "local.b",
            "check.c",
            "data.http.h",
        ]
    )
    assert model.resource("aws_s3_bucket", "b").file.path == "f0.tf"
    assert model.local("b").file.path == "f1.tf"
    assert model.get("data", "http", "h").parent is model.get("check", "c")


def test_a_block_with_a_templated_label_declares_nothing():
    model = model_of('resource "aws_${x}" "t" {}\nresource "one_label" {}\n')
    assert model.declarations == []


# --- references --------------------------------------------------------------------------


def test_references_resolve_to_their_blocks_across_files():
    model = model_of(
        'resource "aws_s3_bucket" "b" {}\n',
        'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n}\n',
    )
    reference = the_ref(model, "aws_s3_bucket.b.id")
    assert reference.declaration is model.resource("aws_s3_bucket", "b")
    assert reference.attribute == "id"
    assert reference.owner is model.resource("aws_s3_bucket_policy", "p")
    assert model.references_to(model.resource("aws_s3_bucket", "b")) == [reference]


def test_instance_keys_and_the_steps_after_them():
    model = model_of(
        'module "kms" {\n  source   = "./k"\n  for_each = toset(["a"])\n}\n'
        'output "o" {\n  value = module.kms["a"].arn\n}\n'
    )
    reference = the_ref(model, 'module.kms["a"].arn')
    assert reference.names == ("module", "kms")
    assert model.value(reference.key) == "a"
    assert reference.attribute == "arn"


@pytest.mark.parametrize(
    "expression, resolved",
    [
        ("var.x", "var.x"),
        ("local.l", "local.l"),
        ("data.aws_region.r.name", "data.aws_region.r"),
        ("resource.aws_s3_bucket.b.id", "aws_s3_bucket.b"),
        ("path.module", "builtin"),
        ("terraform.workspace", "builtin"),
        ("var.nope", None),
        ("aws_s3_bucket.nope.id", None),
        ("local.nope", None),
        ("data.aws_region.nope.name", None),
        ("module.nope.x", None),
    ],
)
def test_what_each_kind_of_reference_resolves_to(expression, resolved):
    model = model_of(
        'variable "x" {}\nlocals {\n  l = 1\n}\ndata "aws_region" "r" {}\n'
        'resource "aws_s3_bucket" "b" {}\n'
        f'output "o" {{\n  value = {expression}\n}}\n'
    )
    reference = the_ref(model, expression)
    target = reference.target
    if resolved is None:
        assert target is None and reference in model.unresolved()
    elif resolved == "builtin":
        assert target.kind == "builtin"
    else:
        assert target.address == resolved


def test_each_and_count_bind_to_their_block():
    model = model_of(
        'resource "a" "x" {\n  for_each = toset(["k"])\n  name = each.key\n}\n'
        'resource "a" "y" {\n  count = 2\n  name = count.index\n}\n'
        'resource "a" "z" {\n  name = each.key\n}\n'
    )
    assert the_ref(model, "count.index").target.declaration.address == "a.y"
    each = [r for r in model.references if r.names == ("each", "key")]
    assert each[0].target.declaration.address == "a.x"
    assert each[1].target is None  # no for_each on a.z


def test_for_expression_and_dynamic_iterators_are_scopes():
    model = model_of(
        'resource "a" "x" {\n  tags = { for k, v in var.m : k => v }\n'
        '  dynamic "rule" {\n    for_each = var.rules\n    content {\n      name = rule.value\n'
        '    }\n  }\n  dynamic "other" {\n    for_each = var.rules\n    iterator = it\n'
        '    content {\n      name = it.key\n    }\n  }\n}\nvariable "m" {}\nvariable "rules" {}\n'
    )
    assert not model.unresolved()
    assert the_ref(model, "rule.value").target.kind == "dynamic"
    assert the_ref(model, "it.key").target.kind == "dynamic"


def test_template_for_directive_binds_its_names_until_endfor():
    model = model_of('output "o" {\n  value = "%{ for n in var.l }${n}%{ endfor }${n}"\n}\nvariable "l" {}\n')
    ns = [r for r in model.references if r.names == ("n",)]
    assert ns[0].target.kind == "template_for" and ns[1].target is None


def test_object_keys_and_type_constraints_are_not_references():
    model = model_of(
        'variable "v" {\n  type = map(string)\n}\noutput "o" {\n  value = { name = 1 }\n}\n'
        'resource "a" "b" {\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n'
    )
    assert model.references == []


def test_provider_references():
    model = model_of(
        'provider "aws" {\n  alias = "west"\n}\n'
        'resource "a" "x" {\n  provider = aws.west\n}\nresource "a" "y" {\n  provider = aws\n}\n'
        'resource "a" "z" {\n  provider = aws.east\n}\n'
        'module "m" {\n  source = "./m"\n  providers = { aws = aws.west }\n}\n'
    )
    west = [r for r in model.references if r.address == "aws.west"]
    assert all(r.declaration is model.provider("aws", "west") for r in west) and len(west) == 2
    assert the_ref(model, "aws").target.kind == "builtin"  # the implied default configuration
    assert the_ref(model, "aws.east").target is None


def test_configuration_aliases_declare_what_a_caller_passes_in():
    model = model_of(
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
        "      configuration_aliases = [aws.peer]\n    }\n  }\n}\n"
        'resource "a" "x" {\n  provider = aws.peer\n}\n'
    )
    assert not model.unresolved()


def test_a_provider_instance_resolves_only_while_the_provider_has_for_each():
    looped = model_of(
        'provider "aws" {\n  for_each = toset(["a"])\n}\nresource "x" "y" {\n'
        '  for_each = toset(["a"])\n  provider = aws[each.key]\n}\n'
    )
    assert not looped.unresolved()
    expanded = model_of(
        'provider "aws" {\n  alias = "a"\n}\nresource "x" "y" {\n'
        '  for_each = toset(["a"])\n  provider = aws[each.key]\n}\n'
    )
    assert [r.text() for r in expanded.unresolved()] == ["aws[each.key]"]


def test_moved_from_is_an_old_address_not_a_reference_to_resolve():
    model = model_of(
        'moved {\n  from = module.old\n  to   = module.new\n}\nmodule "new" {\n  source = "./n"\n}\n'
    )
    assert not model.unresolved()


def test_json_declarations_resolve_from_hcl_and_json_references_count():
    model = model_of(
        'output "o" {\n  value = aws_s3_bucket.j.id\n}\n',
        json={
            "main.tf.json": '{"resource": {"aws_s3_bucket": {"j": {"bucket": "${var.name}"}}},'
            ' "variable": {"name": {"default": "x"}}}'
        },
    )
    assert the_ref(model, "aws_s3_bucket.j.id").declaration.is_json
    json_reference = the_ref(model, "var.name")
    assert json_reference.declaration is model.variable("name")
    text = model.module.files[1].text
    start, end = json_reference.span
    assert text[start:end] == '"${var.name}"'


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression, value",
    [
        ('toset(["a", "b", "a"])', SetValue(["a", "b"])),
        ("var.regions", ["r1", "r2"]),
        ("local.names", {"n": "v"}),
        ("merge({ a = 1 }, { b = 2 })", {"a": 1, "b": 2}),
        ('concat(["a"], ["b"])', ["a", "b"]),
        ('format("%s-%d", "a", 1)', "a-1"),
        ("keys({ b = 1, a = 2 })", ["a", "b"]),
        ("values({ b = 1, a = 2 })", [2, 1]),
        ('"x-${local.names.n}"', "x-v"),
        ("[for r in var.regions : upper(r)]", ["R1", "R2"]),
        ("length(var.regions) > 1 ? 1 : 0", 1),
        ("-3 + 4 * 2", 5),
    ],
)
def test_static_values(expression, value):
    model = model_of(
        'variable "regions" {\n  default = ["r1", "r2"]\n}\nlocals {\n  names = { n = "v" }\n}\n'
    )
    assert model.value(parse_expression(expression)) == value


@pytest.mark.parametrize(
    "expression, reason",
    [
        ("var.nodefault", 'variable "nodefault" has no default'),
        ("data.aws_regions.all.names", "known only after apply"),
        ("local.nowhere", "local.nowhere is not declared"),
        ('file("x")', "file() is not a function tffix evaluates"),
        ("local.loop", "refers to itself"),
    ],
)
def test_unknown_values_say_why(expression, reason):
    model = model_of('variable "nodefault" {}\nlocals {\n  loop = local.loop\n}\n')
    value = model.value(parse_expression(expression))
    assert isinstance(value, Unknown) and reason in value.reason


def test_a_for_expression_key_that_is_not_a_string_makes_the_object_unknown():
    # It used to become an `Unknown` dict key, and the object then passed for fully known.
    model = model_of("")
    for expression in ('{for v in [["a"]] : v => 1}', '{for v in [["a"]] : v => 1...}'):
        value = model.value(parse_expression(expression))
        assert isinstance(value, Unknown) and "not a string" in value.reason
    assert model.value(parse_expression('{for v in ["a", "b", "a"] : v => 1...}')) == {"a": [1, 1], "b": [1]}


def test_deep_nesting_is_unknown_not_a_crash():
    expression = parse_expression("[" * 3000 + "1" + "]" * 3000)
    assert not is_known(model_of("").value(expression))


def test_instance_keys_and_where_each_value_is_written():
    model = model_of(
        'variable "accounts" {\n  default = {\n    prod = { region = "eu-west-1" }\n  }\n}\n'
        'resource "a" "m" {\n  for_each = var.accounts\n}\n'
        'resource "a" "s" {\n  for_each = toset(["x", "y"])\n}\n'
        'resource "a" "l" {\n  for_each = ["x", "y"]\n}\n'
        'resource "a" "u" {\n  for_each = data.x.y.names\n}\n'
    )
    mapped = model.resource("a", "m")
    assert model.instance_keys(mapped) == {"prod": {"region": "eu-west-1"}}
    assert model.instance_sources(mapped)["prod"].code.strip() == '{ region = "eu-west-1" }'
    assert model.instance_keys(model.resource("a", "s")) == {"x": "x", "y": "y"}
    assert isinstance(model.instance_keys(model.resource("a", "l")), Unknown)
    assert model.instance_keys(model.resource("a", "l"), lists=True) == {"x": "x", "y": "y"}
    assert "known only after apply" in model.instance_keys(model.resource("a", "u")).reason


def test_a_set_holding_null_has_no_instance_keys():
    # A null used to pass the "every element is a string" check and become a key.
    model = model_of('resource "a" "n" {\n  for_each = toset(["x", null])\n}\n')
    keys = model.instance_keys(model.resource("a", "n"))
    assert isinstance(keys, Unknown) and "not a literal string" in keys.reason


def test_points_to_follows_locals():
    model = model_of(
        'resource "aws_s3_bucket" "b" {}\nlocals {\n  arn = aws_s3_bucket.b.arn\n  again = local.arn\n}\n'
        'output "o" {\n  value = local.again\n}\n'
    )
    output = model.get("output", "o")
    reference = model.points_to(output.attribute("value").value)
    assert reference.declaration is model.resource("aws_s3_bucket", "b") and reference.attribute == "arn"


def test_expressions_compare_without_spaces_and_comments():
    a = parse_expression("[ aws_s3_bucket.x.id , # c\n  2 ]")
    b = parse_expression("[aws_s3_bucket.x.id, 2]")
    assert query.same_expression(a, b)
    assert not query.same_expression(a, parse_expression("[aws_s3_bucket.y.id, 2]"))


def test_lock_file_and_local_children_are_read_alongside_the_module():
    from tffix import engine

    seen = {}

    def look(module):
        seen["lock"] = module.lock.path if module.lock else None
        seen["child"] = sorted(f.path for f in module.child("./modules/x").files)
        seen["other"] = module.child("git::https://example.com/x.git")
        return []

    rule = engine.registry.RULES[0].__class__("TFX999", "look", look, "test")
    engine.run_module(
        {"root/main.tf": 'module "x" {\n  source = "./modules/x"\n}\n', "root/.terraform.lock.hcl": ""},
        context={"root/modules/x/versions.tf": "terraform {}\n"},
        rules=[rule],
    )
    assert seen == {
        "lock": "root/.terraform.lock.hcl",
        "child": ["root/modules/x/versions.tf"],
        "other": None,
    }


def test_a_child_in_the_current_directory_and_a_childs_own_calls_are_found():
    files = [parse_file("examples/complete/main.tf", 'module "root" {\n  source = "../../"\n}\n')]
    children = {
        "": Module([parse_file("main.tf", 'module "tags" {\n  source = "./modules/tags"\n}\n')]),
        "modules/tags": Module([parse_file("modules/tags/main.tf", "")]),
    }
    module = Module(files, children=children)
    repository = module.child("../../")
    assert repository is children[""]
    assert module.child("./modules/tags", caller=repository) is children["modules/tags"]
    assert module.child("./modules/tags") is None  # relative to examples/complete: not read


def test_provider_aliases_are_aliased_blocks_and_configuration_aliases():
    model = model_of(
        'provider "aws" {\n  alias = "west"\n}\nprovider "aws" {}\nprovider "google" {\n'
        '  alias = "eu"\n}\n'
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
        "      configuration_aliases = [aws.peer]\n    }\n  }\n}\n"
    )
    assert model.provider_aliases("aws") == {"west", "peer"}
    assert model.provider_aliases("azurerm") == set()


def test_rename_attribute_keeps_the_instance_key_and_the_steps_after():
    from tffix.semantic import rewrite

    model = model_of(
        'module "m" {\n  source = "./m"\n  count = 1\n}\noutput "o" {\n  value = module.m[0].nope.id\n}\n'
    )
    reference = the_ref(model, "module.m[0].nope.id")
    output = model.get("output", "o").node
    assert rewrite.rename_attribute(output, reference, "arn").code.endswith("value = module.m[0].arn.id\n}\n")


def test_override_files_merge_into_the_blocks_they_name():
    from tffix.engine import parse_file
    from tffix.semantic.module import Module

    files = [
        parse_file(
            "main.tf",
            'resource "a" "x" {\n  keep = 1\n  over = var.base\n}\nlocals {\n  l = 1\n}\n'
            'variable "base" {}\nvariable "new" {}\n',
        ),
        parse_file(
            "x_override.tf",
            'resource "a" "x" {\n  over = var.new\n}\nlocals {\n  l = 2\n}\n'
            'resource "a" "nothing_to_override" {}\n',
        ),
    ]
    model = Module(files).model
    resource = model.resource("a", "x")
    assert [d.address for d in model.declarations].count("a.x") == 1
    assert model.literal(resource.attribute("keep").value) == 1
    assert resource.owner_of("over")[0].path == "x_override.tf"
    assert model.value(parse_expression("local.l")) == 2
    assert {r.text() for r in model.references_from(resource)} == {"var.base", "var.new"}
    assert [r.file.path for r in model.references_to(model.variable("new"))] == ["x_override.tf"]
    assert model.resource("a", "nothing_to_override") is None


def test_duplicate_declarations_are_listed():
    model = model_of(
        'resource "a" "x" {}\nresource "a" "x" {}\nprovider "p" {\n  alias = "w"\n}\n'
        'provider "p" {\n  alias = "w"\n}\nlocals {\n  l = 1\n}\nlocals {\n  l = 2\n}\n'
        "terraform {}\nterraform {}\n"
    )
    assert model.duplicates() == ["a.x", "local.l", "p.w"]


def test_a_fix_that_declares_something_twice_is_withdrawn():
    from tffix import engine
    from tffix.rules import Rule, finding, replace
    from tffix.syntax import edit

    def twice(module):
        for resource in module.model.resources("a"):
            block = resource.block
            yield finding(
                resource.file,
                block.type_token,
                "copy it",
                fix=lambda: replace(
                    resource.file,
                    resource.file.tree,
                    edit.insert_block(resource.file.tree, block.code.strip()),
                ),
            )

    result = engine.run_module(
        {"main.tf": 'resource "a" "x" {}\n'}, rules=[Rule("TFX999", "twice", twice, "t")]
    )
    [withdrawn] = result.findings
    assert withdrawn.fix is None and "would declare a.x twice" in withdrawn.message
    assert result.fixed == {}
