"""Project configuration: ``.tffix.toml``, or ``[tool.tffix]`` in ``pyproject.toml``.

The nearest file wins, searching from the module's directory upwards, and
``.tffix.toml`` before ``pyproject.toml`` in one directory (as ruff does with
``.ruff.toml``); most Terraform repositories have no pyproject.  Keys:
``select``, ``ignore`` (lists of codes or names) and ``target``.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

TARGETS = ("terraform", "opentofu")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = field(default=())
    target: str | None = None
    path: str | None = None


def load_config(directory: Path) -> Config:
    return _load(directory.absolute())


@lru_cache(maxsize=None)
def _load(directory: Path) -> Config:
    for folder in (directory, *directory.parents):
        dotfile = folder / ".tffix.toml"
        if dotfile.is_file():
            return _parse(dotfile, _read(dotfile))
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("tffix")
            if table is not None:
                return _parse(pyproject, table)
    return Config()


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def _parse(path: Path, table: dict) -> Config:
    unknown = set(table) - {"select", "ignore", "target"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    target = table.get("target")
    if target is not None and target not in TARGETS:
        raise ConfigError(f"{path}: target must be one of {', '.join(TARGETS)}")
    select = table.get("select")
    return Config(tuple(select) if select is not None else None, tuple(table.get("ignore", ())),
                  target, str(path))
