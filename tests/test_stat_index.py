"""The results cache's stat index (tffix/cache.py, `StatIndex`): a warm run knows the digest of a
file whose stat is unchanged without reading it, and never takes a changed file for an unchanged one.

Files a test has just written are "racy" (changed within `cache.RACY_MARGIN_NS` of their reading)
and the index does not vouch for them; the tests that check what the index vouches for move that
margin out of the way (`trusting`) and make sure each edit changes the file's ctime.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_jobs_cache import make_tree, module_with_child
from test_lock_file_constraint import LOCK, required

from tffix import cache, disk, runner
from tffix.runner import Options, analyse_tree


@pytest.fixture
def cache_on(monkeypatch):
    monkeypatch.delenv("TFFIX_NO_CACHE", raising=False)
    monkeypatch.delenv("TFFIX_CACHE_DIR", raising=False)
    runner._cache.cache_clear()


@pytest.fixture
def trusting(monkeypatch, cache_on):
    """Files written by the test count as old enough for the index to vouch for them."""
    monkeypatch.setattr(cache, "RACY_MARGIN_NS", -(10**12))


def outcome(root: Path, cache_dir: Path | None, **values):
    """Each module's findings, fixes, problems and the texts of the sources they point into."""
    analysis = analyse_tree([str(root)], Options.of(jobs=1, cache_dir=cache_dir, **values))
    modules = []
    for module in analysis.modules:
        result = module.result
        texts = {name: result.sources[name].text for name in cache.needed_texts(result)}
        modules.append((str(module.directory), result.findings, result.fixed, result.problems, texts))
    return modules, analysis.problems


def same_as_cold(root: Path, cache_dir: Path, **values) -> None:
    assert outcome(root, cache_dir, **values) == outcome(root, None, **values)


class Reads:
    """The files `tffix.disk.read_file` reads (that are there to be read), by name."""

    def __init__(self, monkeypatch):
        self.names: list[str] = []
        original = disk.read_file

        def counted(path, *rest):
            read = original(path, *rest)
            self.names.append(os.fspath(path))
            return read

        monkeypatch.setattr(disk, "read_file", counted)


def rewrite_keeping_size_and_mtime(path: Path, text: str) -> None:
    """New bytes of the same length, the mtime set back: only the ctime tells (it is made to)."""
    before = os.stat(path)
    assert len(text.encode()) == before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    while os.stat(path).st_ctime_ns == before.st_ctime_ns:  # the same clock tick: wait for the next
        time.sleep(0.01)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def index_file(cache_dir: Path) -> Path:
    [found] = (cache_dir / str(cache.FORMAT) / "index").glob("*.json")
    return found


# --- the index itself ---------------------------------------------------------------------------


def snapshot_of(path: Path) -> disk.Snapshot:
    return disk.read_file(path)[1]


def test_the_index_vouches_for_an_identical_stat_only(tmp_path):
    file = tmp_path / "main.tf"
    file.write_text("locals {}\n")
    snapshot = snapshot_of(file)
    info = os.stat(file)
    index = cache.StatIndex(str(tmp_path / "index.json"))
    index.record("f", snapshot, before_ns=info.st_ctime_ns + cache.RACY_MARGIN_NS + 1)
    assert index.digest("f", info) == snapshot.digest
    fields = ("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev")
    for changed in fields:
        other = SimpleNamespace(**{name: getattr(info, name) + (name == changed) for name in fields})
        assert index.digest("f", other) is None, changed
    assert index.digest("another file", info) is None


def stat_of(snapshot: disk.Snapshot) -> SimpleNamespace:
    return SimpleNamespace(
        st_size=snapshot.size,
        st_mtime_ns=snapshot.mtime_ns,
        st_ctime_ns=snapshot.ctime_ns,
        st_ino=snapshot.inode,
        st_dev=snapshot.device,
    )


@pytest.mark.parametrize("stamp", ["mtime_ns", "ctime_ns"])
def test_a_file_changed_shortly_before_it_was_read_is_not_vouched_for(tmp_path, stamp):
    """The racy case: a change in the same clock tick as the read would leave the stat as it was."""
    file = tmp_path / "main.tf"
    file.write_text("locals {}\n")
    snapshot = snapshot_of(file)
    now = time.time_ns()
    old = now - 10 * cache.RACY_MARGIN_NS
    index = cache.StatIndex(str(tmp_path / "index.json"))
    for recent in (now, now - cache.RACY_MARGIN_NS + 1, now + 10**9):
        racy = dataclasses.replace(snapshot, **{"mtime_ns": old, "ctime_ns": old, stamp: recent})
        index.record("f", racy, before_ns=now)
        assert index.digest("f", stat_of(racy)) is None
    calm = dataclasses.replace(snapshot, mtime_ns=old, ctime_ns=now - cache.RACY_MARGIN_NS - 1)
    index.record("f", calm, before_ns=now)
    assert index.digest("f", stat_of(calm)) == snapshot.digest
    index.record("f", dataclasses.replace(calm, **{stamp: now}), before_ns=now)  # changed since: forgotten
    assert index.digest("f", stat_of(calm)) is None


# --- warm runs after each kind of change ------------------------------------------------------


def test_a_warm_run_reads_only_the_files_findings_point_into(tmp_path, monkeypatch, trusting):
    tree = make_tree(tmp_path / "tree", copies=1)
    quiet = tree / "quiet"
    quiet.mkdir()
    (quiet / "main.tf").write_text('locals {\n  a = "b"\n}\n')
    cache_dir = tmp_path / "cache"
    outcome(tree, cache_dir)
    outcome(tree, cache_dir)  # the index now vouches for every file
    reads = Reads(monkeypatch)
    analysis = analyse_tree([str(tree)], Options.of(jobs=1, cache_dir=cache_dir))
    needed = {name for module in analysis.modules for name in cache.needed_texts(module.result)}
    assert needed and {os.path.relpath(name, os.getcwd()) for name in reads.names} <= {
        os.path.relpath(name, os.getcwd()) for name in needed
    }
    assert not any(name.endswith("quiet/main.tf") for name in reads.names)
    assert analysis.modules[-1].result.sources  # an unread source still gives its text when asked
    for module in analysis.modules:
        for name, source in module.result.sources.items():
            assert source.text == Path(name).read_text(encoding="utf-8")
    same_as_cold(tree, cache_dir)


def test_apply_reads_every_module_file_and_dependency(tmp_path, monkeypatch, trusting):
    tree = make_tree(tmp_path / "tree", copies=1)
    module_with_child(tree)
    (tree / "live" / ".terraform.lock.hcl").write_text(LOCK)
    cache_dir = tmp_path / "cache"
    outcome(tree, cache_dir)
    outcome(tree, cache_dir)
    reads = Reads(monkeypatch)
    analysis = analyse_tree([str(tree)], Options.of(jobs=1, cache_dir=cache_dir, apply=True))
    files = {os.path.abspath(m.reads[name].path) for m in analysis.modules for name in m.reads}
    read = [os.path.abspath(name) for name in reads.names]
    assert files <= set(read)
    assert read.count(str(tree / "live" / "modules" / "child" / "outputs.tf")) == 2  # own, and a dependency
    assert str(tree / "live" / ".terraform.lock.hcl") in read


CHANGES = [
    "content",
    "same size, mtime restored",
    "new file",
    "deleted file",
    "renamed file",
    "replaced by a file of the same stat",
    "config",
    "gitignore",
    "lock file",
    "child module, same size",
    "new child module file",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_warm_run_after_a_change_gives_what_a_cold_run_gives(tmp_path, trusting, change):
    root = tmp_path / "root"
    module = module_with_child(root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (module / "other.tf").write_text('output "y" {\n  value = var.abd\n}\n')  # undeclared
    (module / "variables.tf").write_text('variable "abc" {}\n')
    (module / "versions.tf").write_text(required('"~> 6.0"'))
    (module / ".terraform.lock.hcl").write_text(LOCK)
    cache_dir = tmp_path / "cache"
    cold = outcome(root, None)
    assert outcome(root, cache_dir) == cold
    assert outcome(root, cache_dir) == cold  # warm, the index vouching for every file
    # Only other.tf and versions.tf have findings: the texts of the other files are not read again,
    # so only the index can tell that they changed.
    child = module / "modules" / "child" / "outputs.tf"
    if change == "content":
        (module / "other.tf").write_text('output "y" {\n  value = var.abcd\n}\n')
    elif change == "same size, mtime restored":
        rewrite_keeping_size_and_mtime(module / "variables.tf", 'variable "abd" {}\n')
    elif change == "new file":
        (module / "more.tf").write_text('output "z" {\n  value = var.nope\n}\n')
    elif change == "deleted file":
        (module / "variables.tf").unlink()
    elif change == "renamed file":
        (module / "variables.tf").rename(module / "variables.tf.bak")
    elif change == "replaced by a file of the same stat":
        old = os.stat(module / "variables.tf")
        (module / "new.tmp").write_text('variable "abd" {}\n')
        os.utime(module / "new.tmp", ns=(old.st_atime_ns, old.st_mtime_ns))
        os.replace(module / "new.tmp", module / "variables.tf")
    elif change == "config":
        (module / ".tffix.toml").write_text('ignore = ["TFX012"]\n')
    elif change == "gitignore":
        (root / ".gitignore").write_text("other.tf\n")
    elif change == "lock file":
        rewrite_keeping_size_and_mtime(module / ".terraform.lock.hcl", LOCK.replace("6.22.1", "5.22.1"))
    elif change == "child module, same size":
        rewrite_keeping_size_and_mtime(child, child.read_text().replace('"name"', '"nome"'))
    elif change == "new child module file":
        (child.parent / "more.tf").write_text('output "more" {\n  value = var.b\n}\n')
    after = outcome(root, None)
    assert after != cold, change  # the change shows
    assert outcome(root, cache_dir) == after
    assert outcome(root, cache_dir) == after


def test_a_racy_edit_is_seen(tmp_path, cache_on):
    """Edited at once after a run, keeping size and mtime (the ctime may well not change in the same
    tick): the run had not vouched for so new a file, so the next one reads it."""
    module = module_with_child(tmp_path / "root")
    (module / "other.tf").write_text('output "y" {\n  value = var.abc\n}\n')
    cache_dir = tmp_path / "cache"
    outcome(module, cache_dir)
    outcome(module, cache_dir)
    before = os.stat(module / "other.tf")
    (module / "other.tf").write_text('output "y" {\n  value = var.abd\n}\n')
    os.utime(module / "other.tf", ns=(before.st_atime_ns, before.st_mtime_ns))
    same_as_cold(module, cache_dir)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"{",
        b'{"format": %d, "files": {"x": 1' % cache.FORMAT,
        b"[]",
        b'{"format": %d, "files": {"/a": [1]}}' % cache.FORMAT,
        b'{"format": %d, "files": []}' % cache.FORMAT,
        b'{"format": %d, "files": {}, "modules": {"k": 1, "l": {"format": 1}}}' % cache.FORMAT,
    ],
)
def test_a_corrupt_index_is_ignored_and_rewritten(tmp_path, trusting, garbage):
    tree = make_tree(tmp_path / "tree", copies=1)
    cache_dir = tmp_path / "cache"
    expected = outcome(tree, None)
    assert outcome(tree, cache_dir) == expected
    assert outcome(tree, cache_dir) == expected  # the dependencies too are in the index now
    index = index_file(cache_dir)
    entries = json.loads(index.read_text())["files"]
    assert len(entries) >= len(list(tree.rglob("*.tf")))
    index.write_bytes(garbage)
    assert outcome(tree, cache_dir) == expected
    assert json.loads(index.read_text())["files"] == entries


def test_display_names_of_a_directory_are_display_path_of_each_file(tmp_path, monkeypatch):
    from tffix.paths import display_path

    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a")
    for directory in [
        ".",
        "b",
        "..",
        "../a/b",
        str(tmp_path / "a"),
        str(tmp_path / "a" / "b"),
        str(tmp_path),
        "/",
    ]:
        files = [
            runner._join(directory, name) for name in ("main.tf", "x y.tf", 'q"uote.tf', "back\\slash.tf")
        ]
        files.append(directory + "//odd.tf")
        assert runner._display_names(directory, files) == [display_path(file) for file in files], directory
        assert runner._display_names(Path(directory), [Path(f) for f in files]) == [
            display_path(Path(file)) for file in files
        ]


def test_the_index_packs_the_entries_a_run_used(tmp_path, monkeypatch, trusting):
    tree = make_tree(tmp_path / "tree", copies=1)
    cache_dir = tmp_path / "cache"
    expected = outcome(tree, None)
    outcome(tree, cache_dir)  # stores an entry per module
    outcome(tree, cache_dir)  # uses them: packs them in the index
    entries = [e for e in (cache_dir / str(cache.FORMAT)).rglob("*.json") if e.parent.name != "index"]
    packed = json.loads(index_file(cache_dir).read_text())["modules"]
    assert sorted(packed) == sorted(json.loads(e.read_text())["key"] for e in entries)
    for entry in entries:
        entry.unlink()
    analysed = []
    original = runner.fix_sources
    monkeypatch.setattr(runner, "fix_sources", lambda *a, **k: analysed.append(a) or original(*a, **k))
    assert outcome(tree, cache_dir) == expected
    assert analysed == []  # every module from the index's copy
    # A packed copy that does not hold is not used; the module's own entry still can be.
    data = json.loads(index_file(cache_dir).read_text())
    first = sorted(data["modules"])[0]
    data["modules"][first]["result"] = "not a result"
    index_file(cache_dir).write_text(json.dumps(data))
    assert outcome(tree, cache_dir) == expected
    assert len(analysed) == 1
    # A module that is gone leaves the index.
    shutil.rmtree(tree / "m0" / "tfx001")
    outcome(tree, cache_dir)
    modules = json.loads(index_file(cache_dir).read_text())["modules"]
    assert len(modules) == len(packed) - 1
    assert not any("tfx001" in name for name in json.loads(index_file(cache_dir).read_text())["files"])
