"""A module: the parsed `.tf` files of one directory, analysed together.

A CloudTrail in ``trail.tf`` encrypts with a key in ``kms.tf``; a rule sees the
whole module and its findings and edits name the file each node came from.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tffix.syntax import nodes as n
from tffix.syntax.source import SourceFile, Span


@dataclass(slots=True)
class ModuleFile:
    source: SourceFile
    tree: n.File

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def text(self) -> str:
        return self.source.text

    def span(self, node) -> Span:
        """Where a parsed node's text is (its leading trivia excluded)."""
        start, end = node.text_span
        return Span(self.path, start, end)


class Module:
    def __init__(self, files: list[ModuleFile], target: str = "terraform"):
        self.files = files
        self.target = target

    def blocks(self, type_: str | None = None, *labels: str) -> Iterator[tuple[ModuleFile, n.Block]]:
        """Top-level blocks of every file, in file order, with the file they sit in."""
        for file in self.files:
            for block in file.tree.blocks(type_, *labels):
                yield file, block

    def resource(self, type_: str, name: str) -> tuple[ModuleFile, n.Block] | None:
        return next(self.blocks("resource", type_, name), None)

    def file(self, path: str) -> ModuleFile:
        for file in self.files:
            if file.path == path:
                return file
        raise KeyError(path)
