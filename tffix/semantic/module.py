"""A module: the files of one directory that Terraform reads together, and their semantic model.

A CloudTrail in ``trail.tf`` encrypts with a key in ``kms.tf``: a rule sees the
whole module, and its findings and edits name the file each node came from.
Files are HCL (``.tf``) or JSON (``.tf.json``); the model reads both.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from tffix.syntax import nodes as n
from tffix.syntax.source import SourceFile, Span

if TYPE_CHECKING:
    from tffix.semantic.jsonconfig import JsonValue
    from tffix.semantic.model import SemanticModel


@dataclass(slots=True, eq=False)
class ModuleFile:
    """One file of a module: its source, and its tree (HCL) or document (``.tf.json``)."""

    source: SourceFile
    tree: n.File | None  # HCL files
    json: JsonValue | None = None  # .tf.json files: the document (tffix.semantic.jsonconfig)

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def syntax(self) -> str:
        return "json" if self.tree is None else "hcl"

    @property
    def is_override(self) -> bool:
        """``override.tf`` and ``*_override.tf`` (and their JSON forms) merge into other files."""
        name = self.path.rsplit("/", 1)[-1]
        stem = name.removesuffix(".json").rsplit(".", 1)[0]
        return stem == "override" or stem.endswith("_override")

    def span(self, node: n.Node | n.Token | JsonValue) -> Span:
        """Where a parsed node's text is (its leading trivia excluded)."""
        start, end = node.text_span
        return Span(self.path, start, end)


LOCK_FILE = ".terraform.lock.hcl"


class Module:
    """The files of a module, the target tool (``terraform`` or ``opentofu``), and the model.

    ``lock`` is the module's ``.terraform.lock.hcl`` (read, never edited);
    ``children`` are the local modules it calls (``source = "./modules/x"``), keyed by
    their directory, read so that rules can see their declarations and constraints.
    """

    def __init__(
        self,
        files: list[ModuleFile],
        target: str = "terraform",
        lock: ModuleFile | None = None,
        children: dict[str, Module] | None = None,
    ):
        self.files = files
        self.target = target
        self.lock = lock
        self.children = children or {}

    @property
    def directory(self) -> str:
        """The module's directory as its paths spell it (``""`` for the current one)."""
        paths = [file.path for file in self.files] + ([self.lock.path] if self.lock else [])
        return posixpath.dirname(paths[0]) if paths else ""

    def child(self, source: str, caller: Module | None = None) -> Module | None:
        """The local module a ``source`` such as ``./modules/x`` names, if it was read.

        ``caller`` is the module whose call it is when that is itself one of the children
        (a child's own local calls are read with the rest, keyed by directory).
        """
        if not source.startswith(("./", "../")):
            return None
        directory = posixpath.normpath(posixpath.join((caller or self).directory, source))
        return self.children.get("" if directory == "." else directory)

    @cached_property
    def model(self) -> SemanticModel:
        from tffix.semantic.model import SemanticModel

        return SemanticModel(self)

    def release(self) -> None:
        """Forget the semantic model, which refers back to this module: done with a module, the
        engine calls this so that the module and its trees are freed by reference counting, not
        left to the cycle collector (paused during a run: tffix/engine.py)."""
        self.__dict__.pop("model", None)

    @property
    def hcl_files(self) -> list[ModuleFile]:
        return [file for file in self.files if file.tree is not None]

    def file(self, path: str) -> ModuleFile:
        for file in self.files:
            if file.path == path:
                return file
        raise KeyError(path)
