"""Project configuration: ``.tffix.toml``, or ``[tool.tffix]`` in ``pyproject.toml``.

The nearest file wins, searching from the module's directory upwards, and
``.tffix.toml`` before ``pyproject.toml`` in one directory (as ruff does with
``.ruff.toml``); most Terraform repositories have no pyproject.  Keys, as ruff
names the same settings:

- ``select``, ``ignore``: lists of rule codes, names or code prefixes (``"ALL"`` too);
- ``target``: ``"terraform"`` or ``"opentofu"``;
- ``unsafe-fixes``: true to apply unsafe fixes as well (unset: only with ``--unsafe-fixes``);
- ``extend-safe-fixes``, ``extend-unsafe-fixes``: rules whose fixes count as safe, or as
  unsafe, whatever the rule says (a ``tests/.tffix.toml`` can make TFX005 safe);
- ``exclude`` (replaces the default excludes), ``extend-exclude`` (adds to them): lists of
  globs of paths not to analyse;
- ``respect-gitignore``: false to analyse files ``.gitignore`` lists (default true).

Every value is checked when the file is read; an error names the file and the key
(``tool.tffix.select`` in a pyproject).  A string where a list belongs is refused, as
ruff refuses it, rather than read as one selector.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tffix.paths import absolute_text

TARGETS = ("terraform", "opentofu")
KEYS = (
    "select",
    "ignore",
    "target",
    "unsafe-fixes",
    "extend-safe-fixes",
    "extend-unsafe-fixes",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
)


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    """The settings of one ``.tffix.toml`` (or ``[tool.tffix]``), as read."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = field(default=())
    target: str | None = None
    path: str | None = None  # the file these settings came from
    unsafe_fixes: bool | None = None  # None: not set, the command line decides
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None  # None: the default excludes
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True


def load_config(directory: str | Path) -> Config:
    return _load(absolute_text(directory))


def load_config_file(path: Path) -> Config:
    """The settings of the one file ``--config`` names: a ``.tffix.toml`` (any name), or the
    ``[tool.tffix]`` table of a ``pyproject.toml``."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    table = _read(path)
    if path.name == "pyproject.toml":
        tool = table.get("tool", {})
        section = tool.get("tffix") if isinstance(tool, dict) else None
        if section is None:
            raise ConfigError(f"{path}: no [tool.tffix] table")
        return _parse(path, section, "tool.tffix.")
    return _parse(path, table, "")


def clear_config_cache() -> None:
    """Forget the settings read so far: each run (and each request of the language server)
    reads the configuration files as they are now."""
    _load.cache_clear()
    _LISTINGS.clear()


# The names the lookups of a directory's settings, target and work tree look for (`has`).
MARKERS = frozenset({".tffix.toml", "pyproject.toml", ".opentofu-version", ".terraform.lock.hcl", ".git"})
_LISTINGS: dict[str, dict[str, tuple[bool, bool, bool]]] = {}


def listed(directory: str, names: Iterable[str]) -> None:
    """What a run's walk found in ``directory`` (absolute, as `absolute_text` spells it): `has`
    answers from it instead of asking the disk again, thousands of times a run.  Forgotten by
    `clear_config_cache`."""
    found = {}
    for name in MARKERS.intersection(names):
        path = os.path.join(directory, name)
        found[name] = (os.path.isfile(path), os.path.exists(path), True)
    _LISTINGS[directory] = found


def listing(directory: str) -> dict[str, tuple[bool, bool, bool]] | None:
    return _LISTINGS.get(directory)


def has(directory: str, name: str, how: int = 0) -> bool:
    """``os.path.isfile`` (``how`` 0), ``exists`` (1) or ``lexists`` (2) of ``directory/name``."""
    known = _LISTINGS.get(directory)
    if known is None:
        path = os.path.join(directory, name)
        return (os.path.isfile, os.path.exists, os.path.lexists)[how](path)
    return name in known and known[name][how]


@cache
def _load(directory: str) -> Config:
    """This directory's settings, else its parent's (each directory is looked at once a run)."""
    if has(directory, ".tffix.toml"):
        dotfile = os.path.join(directory, ".tffix.toml")
        return _parse(Path(dotfile), _read(Path(dotfile)), "")
    if has(directory, "pyproject.toml"):
        pyproject = os.path.join(directory, "pyproject.toml")
        tool = _read(Path(pyproject)).get("tool", {})
        table = tool.get("tffix") if isinstance(tool, dict) else None
        if table is not None:
            return _parse(Path(pyproject), table, "tool.tffix.")
    parent = os.path.dirname(directory)
    return Config() if parent == directory else _load(parent)


def _read(path: Path) -> dict:
    import tomllib  # here: a run with no config file never needs it (start-up time)

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def _parse(path: Path, table: object, prefix: str) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.')}: must be a table, not {_show(table)}")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        import difflib

        hints = [
            f"{key} (did you mean {close[0]}?)" if (close := difflib.get_close_matches(key, KEYS, 1)) else key
            for key in unknown
        ]
        raise ConfigError(f"{path}: unknown key(s) {', '.join(hints)}")
    values = _Values(path, table, prefix)
    select = values.selectors("select")
    return Config(
        select=select,
        ignore=values.selectors("ignore") or (),
        target=values.choice("target", TARGETS),
        path=str(path),
        unsafe_fixes=values.boolean("unsafe-fixes"),
        extend_safe_fixes=values.selectors("extend-safe-fixes") or (),
        extend_unsafe_fixes=values.selectors("extend-unsafe-fixes") or (),
        exclude=values.globs("exclude"),
        extend_exclude=values.globs("extend-exclude") or (),
        respect_gitignore=values.boolean("respect-gitignore", default=True) is not False,
    )


class _Values:
    """Reads one key at a time, each error naming the file and the key."""

    def __init__(self, path: Path, table: dict, prefix: str):
        self.path, self.table, self.prefix = path, table, prefix

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.prefix}{key}: {message}")

    def selectors(self, key: str) -> tuple[str, ...] | None:
        from tffix import registry

        items = self.strings(key, "rule codes or names")
        if items is None:
            return None
        for item in items:
            if not item.strip():
                raise self.error(key, "empty rule selector")
            try:
                registry.resolve([item])
            except registry.UnknownRule as error:
                raise self.error(key, str(error)) from None
        return items

    def globs(self, key: str) -> tuple[str, ...] | None:
        items = self.strings(key, "globs")
        if items is not None and not all(items):
            raise self.error(key, "empty glob")
        return items

    def strings(self, key: str, what: str) -> tuple[str, ...] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            import json

            example = json.dumps([part for part in re.split(r"[\s,]+", value) if part])
            raise self.error(key, f"must be a list of {what}, e.g. {key} = {example}, not a string")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(key, f"must be a list of {what}, not {_show(value)}")
        return tuple(value)

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.table.get(key)
        if value is not None and value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}, not {_show(value)}")
        return value

    def boolean(self, key: str, default: bool | None = None) -> bool | None:
        value = self.table.get(key, default)
        if value is not None and not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {_show(value)}")
        return value


def _show(value: object) -> str:
    """A value as TOML would write it, near enough for an error message."""
    import json

    return repr(value) if isinstance(value, str) else json.dumps(value, default=str)
