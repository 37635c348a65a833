"""`.tffix.toml` and `[tool.tffix]`: every key parsed into `Config`, every bad value an error
naming the file and the key (as ruff does: a string where a list belongs is refused)."""

from __future__ import annotations

import dataclasses

import pytest

from tffix.config import Config, ConfigError, load_config


def write(directory, text: str, name: str = ".tffix.toml"):
    path = directory / name
    path.write_text(text)
    return path


def test_no_file_gives_the_defaults(tmp_path):
    config = load_config(tmp_path / "nothing-here")
    assert config == Config()
    assert (config.select, config.unsafe_fixes, config.exclude, config.respect_gitignore) == (
        None,
        None,
        None,
        True,
    )


def test_every_key_is_parsed(tmp_path):
    path = write(
        tmp_path,
        """\
select = ["TFX002", "deletion-protection"]
ignore = ["TFX004"]
target = "opentofu"
unsafe-fixes = true
extend-safe-fixes = ["TFX005"]
extend-unsafe-fixes = ["TFX00"]
exclude = ["vendor/**", "*.generated.tf"]
extend-exclude = ["examples/"]
respect-gitignore = false
""",
    )
    assert load_config(tmp_path) == Config(
        select=("TFX002", "deletion-protection"),
        ignore=("TFX004",),
        target="opentofu",
        path=str(path),
        unsafe_fixes=True,
        extend_safe_fixes=("TFX005",),
        extend_unsafe_fixes=("TFX00",),
        exclude=("vendor/**", "*.generated.tf"),
        extend_exclude=("examples/",),
        respect_gitignore=False,
    )


def test_config_stays_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().unsafe_fixes = True


def test_pyproject_table_names_its_keys_with_the_table(tmp_path):
    path = write(tmp_path, '[tool.tffix]\nselect = "TFX002"\n', "pyproject.toml")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert str(error.value).startswith(f"{path}: tool.tffix.select: must be a list")


def test_pyproject_without_the_table_is_skipped_for_the_next_directory_up(tmp_path):
    write(tmp_path, "unsafe-fixes = true\n")
    inner = tmp_path / "stack"
    inner.mkdir()
    write(inner, "[tool.black]\nline-length = 100\n", "pyproject.toml")
    assert load_config(inner).unsafe_fixes is True


@pytest.mark.parametrize(
    "text, message",
    [
        (
            'select = "TFX002"',
            'select: must be a list of rule codes or names, e.g. select = ["TFX002"], not a string',
        ),
        (
            'ignore = "TFX002,TFX004"',
            'ignore: must be a list of rule codes or names, e.g. ignore = ["TFX002", "TFX004"]',
        ),
        ("select = [2]", "select: must be a list of rule codes or names, not [2]"),
        ('select = [""]', "select: empty rule selector"),
        ('select = ["TFX999"]', "select: unknown rule selector: 'TFX999'"),
        ('ignore = ["TFX002", "nonsense"]', "ignore: unknown rule selector: 'nonsense'"),
        ('extend-safe-fixes = ["TFX999"]', "extend-safe-fixes: unknown rule selector: 'TFX999'"),
        ('extend-unsafe-fixes = "TFX005"', "extend-unsafe-fixes: must be a list of rule codes or names"),
        ('target = "terragrunt"', "target: must be one of terraform, opentofu, not 'terragrunt'"),
        ("target = 1", "target: must be one of terraform, opentofu, not 1"),
        ('unsafe-fixes = "yes"', "unsafe-fixes: must be true or false, not 'yes'"),
        ("respect-gitignore = 1", "respect-gitignore: must be true or false, not 1"),
        ('exclude = "vendor"', 'exclude: must be a list of globs, e.g. exclude = ["vendor"], not a string'),
        ('extend-exclude = ["ok", 3]', "extend-exclude: must be a list of globs"),
        ('extend-exclude = [""]', "extend-exclude: empty glob"),
        ("max-file-size = 10", "unknown key(s) max-file-size"),
        ("unsafe_fixes = true", "unknown key(s) unsafe_fixes (did you mean unsafe-fixes?)"),
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert str(error.value).startswith(f"{path}: {message}"), str(error.value)


def test_toml_syntax_error_names_the_file(tmp_path):
    path = write(tmp_path, "select = [\n")
    with pytest.raises(ConfigError, match=f"^{path}: "):
        load_config(tmp_path)


def test_tool_tffix_that_is_not_a_table(tmp_path):
    path = write(tmp_path, '[tool]\ntffix = "on"\n', "pyproject.toml")
    with pytest.raises(ConfigError, match=f"^{path}: tool.tffix: must be a table"):
        load_config(tmp_path)


def test_select_all_and_prefixes_are_selectors(tmp_path):
    write(tmp_path, 'select = ["ALL"]\nignore = ["TFX00"]\n')
    assert load_config(tmp_path).select == ("ALL",)
