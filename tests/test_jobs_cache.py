"""Parallel modules (``--jobs``) and the results cache (``.tffix_cache``, tffix/cache.py).

The output of a run is the same, byte for byte, whatever the number of processes and whether
results come from the cache; the cache is used only when nothing the analysis read has changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tffix import cache, registry, runner
from tffix.runner import Options, analyse_tree

ROOT = Path(__file__).resolve().parent.parent
CORPUS = os.environ.get("TFFIX_CORPUS")


@pytest.fixture
def cache_on(monkeypatch):
    monkeypatch.delenv("TFFIX_NO_CACHE", raising=False)
    monkeypatch.delenv("TFFIX_CACHE_DIR", raising=False)
    runner._cache.cache_clear()


def make_tree(root: Path, copies: int = 3) -> Path:
    """One module per rule example, ``copies`` times: ~36 modules with findings of every rule."""
    for copy in range(copies):
        for rule in registry.RULES:
            if not rule.example:
                continue
            module = root / f"m{copy}" / rule.code.lower()
            module.mkdir(parents=True)
            (module / "main.tf").write_text(rule.example, encoding="utf-8")
            for name, text in rule.example_files:
                (module / name).write_text(text, encoding="utf-8")
    return root


def tffix(*args: str, cwd: Path, env: dict | None = None) -> tuple[int, str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TFFIX_")}
    environment.update(env or {}, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "tffix", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("format_name", ["diff", "text", "json"])
def test_output_is_the_same_whatever_the_jobs_and_the_cache(tmp_path, format_name):
    make_tree(tmp_path / "tree")
    cache_dir = tmp_path / "cache"
    common = ["--format", format_name, "--exit-zero", "tree"]
    serial = tffix("--jobs", "1", "--no-cache", *common, cwd=tmp_path)
    assert serial[1] or serial[2]  # the tree has findings
    assert serial[0] == 0, serial[2]
    assert tffix("--jobs", "3", "--no-cache", *common, cwd=tmp_path) == serial
    assert tffix("--cache-dir", str(cache_dir), *common, cwd=tmp_path) == serial  # cold
    assert any(cache_dir.rglob("*.json"))
    assert tffix("--cache-dir", str(cache_dir), *common, cwd=tmp_path) == serial  # warm
    assert tffix("--cache-dir", str(cache_dir), "--jobs", "1", *common, cwd=tmp_path) == serial


@pytest.mark.skipif(not CORPUS, reason="TFFIX_CORPUS is not set")
def test_corpus_output_is_the_same_with_one_process_and_with_default_jobs(tmp_path):
    args = ["--format", "json", "--exit-zero", "--no-cache", CORPUS]
    assert tffix("--jobs", "1", *args, cwd=tmp_path) == tffix(*args, cwd=tmp_path)


def run(paths, **values):
    analysis = analyse_tree([str(p) for p in paths], Options.of(**values))
    return [(m.result.findings, m.result.fixed, m.result.problems) for m in analysis.modules]


def test_pool_results_equal_serial_results(tmp_path):
    tree = make_tree(tmp_path)
    assert run([tree], jobs=2) == run([tree], jobs=1)


def test_a_worker_that_dies_takes_down_only_its_module(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, copies=1)
    analyse = runner._analyse

    def dying(directory, files, options, **kw):
        if directory.name == "tfx002":
            os._exit(3)  # as a segfault or the OOM killer would end it
        return analyse(directory, files, options, **kw)

    monkeypatch.setattr(runner, "_analyse", dying)  # workers are forked: they see it
    analysis = analyse_tree([str(tree)], Options.of(jobs=2))
    by_name = {m.directory.name: m.result for m in analysis.modules}
    assert len(by_name) == len([r for r in registry.RULES if r.example])
    [problem] = by_name["tfx002"].problems
    assert problem.internal and "the process analysing it died" in problem.message
    assert by_name["tfx001"].findings and not by_name["tfx001"].problems


@pytest.mark.parametrize("copies", [1, 2])
def test_an_error_in_one_module_of_a_batch_is_that_modules_alone(tmp_path, monkeypatch, copies):
    """Workers take neighbouring modules in batches (runner._BATCH): an exception that escapes one
    module's analysis is reported on it, and the other modules of its batch keep their results."""
    tree = make_tree(tmp_path, copies=copies)
    analyse = runner._analyse

    def failing(directory, files, options, **kw):
        if directory.name == "tfx002":
            raise RuntimeError("boom")
        return analyse(directory, files, options, **kw)

    monkeypatch.setattr(runner, "_analyse", failing)  # workers are forked: they see it
    analysis = analyse_tree([str(tree)], Options.of(jobs=2))
    assert len(analysis.modules) == copies * len([r for r in registry.RULES if r.example])
    for module in analysis.modules:
        if module.directory.name == "tfx002":
            [problem] = module.result.problems
            assert problem.internal and problem.message == "internal error: RuntimeError: boom"
        else:
            assert not module.result.problems, module.directory
            assert module.result.findings, module.directory


class Counting:
    def __init__(self, monkeypatch):
        self.calls = 0
        self.files: list[str] = []  # the files of every module analysed, in order
        original = runner.fix_sources

        def counted(files, *args, **kwargs):
            self.calls += 1
            self.files.extend(files)
            return original(files, *args, **kwargs)

        monkeypatch.setattr(runner, "fix_sources", counted)


def test_a_warm_cache_analyses_nothing_again(tmp_path, monkeypatch, cache_on):
    tree = make_tree(tmp_path / "tree", copies=1)
    counter = Counting(monkeypatch)
    first = run([tree], jobs=1, cache_dir=tmp_path / "cache")
    modules = counter.calls
    assert modules > 5
    assert run([tree], jobs=1, cache_dir=tmp_path / "cache") == first
    assert counter.calls == modules


def test_a_warm_run_takes_its_hits_in_this_process_and_starts_no_pool(tmp_path, monkeypatch, cache_on):
    tree = make_tree(tmp_path / "tree", copies=1)
    first = run([tree], jobs=2, cache_dir=tmp_path / "cache")
    pools = []
    original = runner._analyse_in_pool
    monkeypatch.setattr(
        runner,
        "_analyse_in_pool",
        lambda modules, *rest: pools.append(len(modules)) or original(modules, *rest),
    )
    assert run([tree], jobs=2, cache_dir=tmp_path / "cache") == first
    assert pools == []
    # one module changed: only it is analysed again (with two jobs, one module needs no pool)
    changed = sorted(tree.rglob("main.tf"))[0]
    changed.write_text(changed.read_text() + "\n# changed\n", encoding="utf-8")
    second = run([tree], jobs=2, cache_dir=tmp_path / "cache")
    assert pools == []
    assert len(second) == len(first)


def test_a_dependency_shared_by_modules_is_read_once_a_run(tmp_path, monkeypatch, cache_on):
    """Two callers of one local child module: a warm run checks the child's files once."""
    root = module_with_child(tmp_path)
    other = root.parent / "other"
    other.mkdir()
    (other / "main.tf").write_text('module "child" {\n  source = "../live/modules/child"\n}\n')
    options = {"jobs": 1, "cache_dir": tmp_path / "cache"}
    first = run([tmp_path], **options)
    reads = []
    original = runner.disk.read_file
    monkeypatch.setattr(
        runner.disk, "read_file", lambda path, *rest: reads.append(str(path)) or original(path, *rest)
    )
    assert run([tmp_path], **options) == first
    child = [path for path in reads if path.endswith("child/outputs.tf")]
    # once as a module of its own, once as the dependency both callers share
    assert len(child) == 2, reads


def module_with_child(root: Path) -> Path:
    module = root / "live"
    (module / "modules" / "child").mkdir(parents=True)
    (module / "main.tf").write_text(
        'module "child" {\n  source = "./modules/child"\n}\n\noutput "x" {\n  value = module.child.name\n}\n',
        encoding="utf-8",
    )
    (module / "modules" / "child" / "outputs.tf").write_text('output "name" {\n  value = "a"\n}\n')
    return module


@pytest.mark.parametrize(
    "change",
    [
        "module file",
        "new module file",
        "select",
        "config",
        "tffix build",
        "lock file",
        "child module file",
        "new child module file",
    ],
)
def test_each_input_of_the_analysis_is_a_miss_when_it_changes(tmp_path, monkeypatch, cache_on, change):
    module = module_with_child(tmp_path)
    counter = Counting(monkeypatch)
    options = {"jobs": 1, "cache_dir": tmp_path / "cache"}
    run([module], **options)
    run([module], **options)
    assert counter.calls == 2  # the module and its child (a module of its own)
    counter.files.clear()
    if change == "module file":
        (module / "main.tf").write_text((module / "main.tf").read_text() + "\n# changed\n")
    elif change == "new module file":
        (module / "extra.tf").write_text("locals {\n  y = 1\n}\n")
    elif change == "select":
        options["select"] = ("TFX012",)
    elif change == "config":
        (module / ".tffix.toml").write_text('ignore = ["TFX005"]\n')
    elif change == "tffix build":
        monkeypatch.setattr(cache, "_FINGERPRINT", "another build")
    elif change == "lock file":
        (module / ".terraform.lock.hcl").write_text("# empty\n")
    elif change == "child module file":
        (module / "modules" / "child" / "outputs.tf").write_text('output "nam" {\n  value = "a"\n}\n')
    elif change == "new child module file":
        (module / "modules" / "child" / "more.tf").write_text('output "more" {\n  value = "b"\n}\n')
    run([module], **options)
    assert any(name.endswith("live/main.tf") for name in counter.files), change


def test_a_child_module_change_changes_the_findings(tmp_path, cache_on):
    module = module_with_child(tmp_path)
    options = Options.of(jobs=1, cache_dir=tmp_path / "cache", select=("TFX012",))

    def findings():
        return [f.code for m in analyse_tree([str(module)], options).modules for f in m.result.findings]

    assert findings() == []
    (module / "modules" / "child" / "outputs.tf").write_text('output "nam" {\n  value = "a"\n}\n')
    assert findings() == ["TFX012"]


def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path, monkeypatch, cache_on):
    tree = make_tree(tmp_path / "tree", copies=1)
    expected = run([tree], jobs=1, cache_dir=tmp_path / "cache")
    entries = sorted((tmp_path / "cache").rglob("*.json"))  # the modules' and the stat index
    for entry, garbage in zip(entries, [b"", b"{", b"\xff\xfe", b'{"format": 1}', b"[]", b"null"] * 10):
        entry.write_bytes(garbage)
    counter = Counting(monkeypatch)
    assert run([tree], jobs=1, cache_dir=tmp_path / "cache") == expected
    assert counter.calls == len([entry for entry in entries if entry.parent.name != "index"])
    for entry in entries:
        assert json.loads(entry.read_text())["format"] == cache.FORMAT


def test_no_cache_writes_nothing_and_the_default_is_dot_tffix_cache(tmp_path):
    make_tree(tmp_path / "tree", copies=1)
    tffix("--no-cache", "--exit-zero", "tree", cwd=tmp_path)
    assert not (tmp_path / ".tffix_cache").exists()
    tffix("--exit-zero", "tree", cwd=tmp_path)
    assert any((tmp_path / ".tffix_cache").rglob("*.json"))
    assert (
        (tmp_path / ".tffix_cache" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (tmp_path / ".tffix_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_cache_dir_option_and_environment(tmp_path):
    make_tree(tmp_path / "tree", copies=1)
    tffix("--exit-zero", "tree", cwd=tmp_path, env={"TFFIX_CACHE_DIR": str(tmp_path / "from-env")})
    assert any((tmp_path / "from-env").rglob("*.json"))
    tffix("--exit-zero", "--cache-dir", "from-option", "tree", cwd=tmp_path, env={"TFFIX_CACHE_DIR": "x"})
    assert any((tmp_path / "from-option").rglob("*.json"))
    assert not (tmp_path / "x").exists() and not (tmp_path / ".tffix_cache").exists()
    tffix("--exit-zero", "tree", cwd=tmp_path, env={"TFFIX_NO_CACHE": "1"})
    assert not (tmp_path / ".tffix_cache").exists()


def test_apply_after_a_warm_dry_run_writes_the_fixes(tmp_path):
    make_tree(tmp_path / "tree", copies=1)
    before = {p: p.read_bytes() for p in (tmp_path / "tree").rglob("*.tf")}
    code, diff, _ = tffix("tree", cwd=tmp_path)
    assert code == 1 and diff.startswith("---")
    code, _, err = tffix("--apply", "tree", cwd=tmp_path)
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert changed, err
    code, diff, _ = tffix("tree", cwd=tmp_path)  # the fixed tree: nothing left to diff
    assert diff == ""


def test_concurrent_runs_sharing_a_cache_both_succeed(tmp_path):
    make_tree(tmp_path / "tree", copies=2)
    serial = tffix("--no-cache", "-j", "1", "--format", "json", "--exit-zero", "tree", cwd=tmp_path)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TFFIX_")}
    environment["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "tffix", "--format", "json", "--exit-zero", "--cache-dir", "c", "tree"]
    processes = [
        subprocess.Popen(
            command, cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    for process in processes:
        out, err = process.communicate()
        assert (process.returncode, out.decode(), err.decode()) == serial
    assert tffix("--format", "json", "--exit-zero", "--cache-dir", "c", "tree", cwd=tmp_path) == serial


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_an_unwritable_cache_directory_leaves_the_run_uncached(tmp_path):
    make_tree(tmp_path / "tree", copies=1)
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    serial = tffix("--no-cache", "--exit-zero", "tree", cwd=tmp_path)
    assert tffix("--cache-dir", "ro/cache", "--exit-zero", "tree", cwd=tmp_path) == serial


def _count_parses(monkeypatch) -> list[str]:
    from tffix import engine, syntax
    from tffix.syntax import parser

    monkeypatch.setattr(engine, "_TREES", engine.OrderedDict())
    monkeypatch.setattr(engine, "_trees_held", 0)
    parsed: list[str] = []
    original = parser.parse_module

    def counted(text):
        parsed.append(text)
        return original(text)

    for owner in (engine, syntax, parser):  # every name it is imported under
        monkeypatch.setattr(owner, "parse_module", counted)
    return parsed


def test_each_file_is_parsed_once_though_the_runner_reads_its_calls_first(tmp_path, monkeypatch):
    """The runner parses a module's files that call local modules to find them; the run takes
    those trees (tffix/engine.py, `parse_ahead`) instead of parsing the files again."""
    parsed = _count_parses(monkeypatch)
    module = module_with_child(tmp_path)
    runner.analyse_module(module, options=Options.of(jobs=1))
    main = (module / "main.tf").read_text()
    child = (module / "modules" / "child" / "outputs.tf").read_text()
    assert parsed.count(main) == 1
    assert parsed.count(child) == 1


@pytest.mark.parametrize("callers", [1, 3])
def test_a_module_run_and_called_is_parsed_once(tmp_path, monkeypatch, callers):
    """A child module is a module of the tree too (a repository's examples call its root module):
    in one process its files are parsed once for its own run and for every caller's."""
    parsed = _count_parses(monkeypatch)
    module = module_with_child(tmp_path)
    for extra in range(1, callers):
        (module / f"caller{extra}").mkdir()
        (module / f"caller{extra}" / "main.tf").write_text(
            'module "child" {\n  source = "../modules/child"\n}\n', encoding="utf-8"
        )
    analysis = runner.analyse_tree([str(module)], jobs=1)
    assert len(analysis.modules) == callers + 1  # the callers and the child, each run
    child = (module / "modules" / "child" / "outputs.tf").read_text()
    assert parsed.count(child) == 1


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path, monkeypatch, cache_on):
    tree = make_tree(tmp_path / "tree", copies=1)
    directory = tmp_path / "cache"
    run([tree], jobs=1, cache_dir=directory)
    root = directory / str(cache.FORMAT)
    entries = sorted(root.rglob("*.json"))
    assert len(entries) > 5
    month_ago = os.stat(entries[0]).st_mtime - cache.PRUNE_AFTER - 60
    for entry in entries:
        os.utime(entry, (month_ago, month_ago))
    (root / "ab").mkdir(exist_ok=True)
    (root / "ab" / ".abc.tmp").write_text("{")  # a killed run's temporary file
    os.utime(root / "ab" / ".abc.tmp", (month_ago, month_ago))
    (directory / "1").mkdir()  # an older layout's entries
    (directory / "1" / "x.json").write_text("{}")
    assert (root / "pruned").exists()  # the first run looked (and found nothing to remove)
    os.utime(root / "pruned", (month_ago, month_ago))

    # A warm run uses the entries of the modules still there: their times are renewed.
    used = sorted(entries[:3])
    store = cache.Cache(directory)
    for entry in used:
        os.utime(entry)
    assert store.prune(now=os.stat(used[0]).st_mtime + 1) == len(entries) - len(used) + 1
    assert sorted(root.rglob("*.json")) == used
    assert not (root / "ab" / ".abc.tmp").exists()
    assert not (directory / "1").exists()
    # once a day: the marker it leaves holds the next pruning off
    for entry in used:
        os.utime(entry, (month_ago, month_ago))
    assert store.prune() == 0
    assert sorted(root.rglob("*.json")) == used


def test_a_hit_renews_the_entry(tmp_path, cache_on):
    tree = make_tree(tmp_path / "tree", copies=1)
    directory = tmp_path / "cache"
    first = run([tree], jobs=1, cache_dir=directory)
    entries = sorted((directory / str(cache.FORMAT)).rglob("*.json"))
    old = os.stat(entries[0]).st_mtime - 1000
    for entry in entries:
        os.utime(entry, (old, old))
    assert run([tree], jobs=1, cache_dir=directory) == first
    assert all(os.stat(entry).st_mtime > old + 500 for entry in entries)
