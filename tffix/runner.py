"""The code that walks the disk: find modules, read them, write their fixes.

Discovery names every problem it meets (a missing path, a directory it may not list, a
FIFO called ``x.tf``) and goes on with the rest.  A directory reached by several paths
(symlinks, overlapping arguments) is one module, analysed once.  Files are read by
`tffix.disk`, which also replaces them; `write_fixes` adds the module-level rules: a
module's files are written only if every file it read is still as it was read, and a
file shared by several modules is written once, only if they agree on its new text.

A module is what Terraform reads from one directory (`module_files`): ``*.tf`` and
``*.tf.json``; with target OpenTofu also ``*.tofu`` and ``*.tofu.json``, a ``.tofu`` file
taking the place of the ``.tf`` file of the same name (``x.tofu.json`` that of
``x.tf.json``), as OpenTofu's loader does.  Hidden files and editor backups (``x.tf~``,
``#x.tf#``) are not read, as Terraform reads none.  Test files (``*.tftest.hcl``),
Terragrunt's ``*.hcl`` and anything else are never module files: named on the command
line they are skipped with a note.

What a walk leaves out, as ruff does: hidden and symlinked directories always; paths that
match the ``exclude`` globs (default ``node_modules``) or ``extend-exclude``; files that
git ignores (``.gitignore``, ``.git/info/exclude``, the global excludes file; only inside a
git work tree, tracked files never), unless ``respect-gitignore = false``.  A path named on
the command line is analysed even if excluded, unless ``force_exclude`` (for pre-commit).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import posixpath
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tffix import cache, disk
from tffix.api import Problem, Result, fix_sources
from tffix.config import Config, clear_config_cache, has, listed, load_config
from tffix.paths import absolute_text, display_path, quote_path
from tffix.semantic.module import LOCK_FILE
from tffix.syntax.source import SourceFile

DEFAULT_EXCLUDE = ("node_modules",)
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
OPENTOFU_SUFFIXES = (".tofu", ".tofu.json")
TEST_SUFFIXES = (".tftest.hcl", ".tftest.json", ".tofutest.hcl", ".tofutest.json")


@dataclass(frozen=True, slots=True)
class Options:
    """How a run reads modules: the command line's options (None: the config file decides)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    target: str | None = None
    unsafe: bool | None = None
    max_file_size: int = disk.MAX_FILE_SIZE
    report_unused_suppressions: bool = False
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    force_exclude: bool = False
    config: Config | None = None  # --config: these settings for every module
    jobs: int = 1  # processes analysing modules at once; 0: one per usable core
    cache_dir: Path | None = None  # the results cache (tffix/cache.py); None: no cache
    apply: bool = False  # the run writes fixes: a cached result with fixes is analysed afresh

    @classmethod
    def of(cls, options: Options | None = None, **values) -> Options:
        """Options from keywords (``select=[...]``, ``unsafe=True``; None values are left unset)."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        values = {
            key: tuple(value) if isinstance(value, (list, set)) else value
            for key, value in values.items()
            if value is not None or key == "select"
        }
        base = options or cls()
        return cls(**{name: values.get(name, getattr(base, name)) for name in known})

    def settings(self, directory: str | Path) -> Config:
        return self.config if self.config is not None else load_config(directory)


@dataclass(slots=True)
class ModuleRun:
    """One module's result and what was read for it (display name -> snapshot)."""

    directory: Path
    result: Result
    reads: dict[str, disk.Snapshot] = field(default_factory=dict)
    _real: dict[str, Path] = field(default_factory=dict)
    unsafe: bool = False  # unsafe fixes were applied (--unsafe-fixes or `unsafe-fixes = true`)
    target: str = "terraform"

    def real(self, name: str) -> Path:
        """Where the file shown as ``name`` really is, symlinks resolved (looked up once)."""
        if name not in self._real:
            self._real[name] = Path(os.path.realpath(self.reads[name].path))
        return self._real[name]


@dataclass(slots=True)
class Analysis:
    """What a run over paths found: each module's run, and discovery's problems and notes."""

    modules: list[ModuleRun]
    problems: list[Problem]  # discovery's: paths that are not there or not readable
    stale: list[Path]  # temporary files left by an interrupted run
    notes: list[Problem] = field(default_factory=list)  # named paths skipped, and why


@dataclass(slots=True)
class Written:
    """What `--apply` wrote: names and real files, the modules written completely, the failures."""

    names: set[str] = field(default_factory=set)  # display names whose fix is on disk
    files: set[Path] = field(default_factory=set)  # the real files written, each once
    modules: set[int] = field(default_factory=set)  # indexes of modules written completely
    problems: list[Problem] = field(default_factory=list)


# --- which files are module files -----------------------------------------------------------


def ignored_name(name: str) -> bool:
    """A name Terraform never reads: hidden files and editor backups."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def candidate(name: str) -> bool:
    """A file that is a module file for Terraform or for OpenTofu."""
    return name.endswith(TERRAFORM_SUFFIXES + OPENTOFU_SUFFIXES) and not ignored_name(name)


def module_files(files: Iterable[Path], target: str) -> list[Path]:
    """The files of one directory that ``target`` reads, in name order."""
    files = [file for file in files if candidate(file.name)]
    # one directory's files: name order is path order (and cheaper than comparing paths)
    if target != "opentofu":
        return sorted((file for file in files if file.name.endswith(TERRAFORM_SUFFIXES)), key=_name)
    names = {file.name for file in files}
    return sorted((file for file in files if shadowed_by(file.name) not in names), key=_name)


def _name(path: Path) -> str:
    return path.name


def shadowed_by(name: str) -> str | None:
    """For OpenTofu, the file that takes the place of ``name`` (``x.tofu`` for ``x.tf``)."""
    for tf, tofu in zip(TERRAFORM_SUFFIXES[::-1], OPENTOFU_SUFFIXES[::-1]):  # .tf.json before .tf
        if name.endswith(tf):
            return name[: -len(tf)] + tofu
    return None


def skipped_because(name: str, target: str) -> str | None:
    """Why a file named on the command line is not read as part of its module (None: it is)."""
    if ignored_name(name) and candidate(name.lstrip(".#").rstrip("~#") or "x"):
        return "Terraform does not read hidden files or editor backups; skipped"
    if name == ".terraform.lock.hcl":
        return "the dependency lock file, not a module file; skipped"
    if name.endswith((".tfvars", ".tfvars.json")):
        return "variable values (.tfvars) are not module files; skipped"
    if name.endswith(TEST_SUFFIXES):
        return "a test file (`terraform test`), not part of a module; skipped"
    if name.endswith(OPENTOFU_SUFFIXES) and target != "opentofu":
        return "an OpenTofu file, read only with target opentofu (--target opentofu); skipped"
    if name.endswith(".hcl"):
        return "not a module file (Terragrunt and other HCL files are not Terraform modules); skipped"
    if not candidate(name):
        return "not a Terraform file (.tf, .tf.json, .tofu, .tofu.json); skipped"
    return None


def detect_target(directory: str | Path) -> str:
    """OpenTofu if the module says so (`.opentofu-version`, an OpenTofu lock file), else Terraform."""
    return _detected(absolute_text(directory))


@functools.lru_cache(maxsize=4096)
def _detected(folder: str) -> str:
    """The nearest `.opentofu-version` or lock file decides, up to the top of the work tree
    (each directory is looked at once a run: `analyse_tree` starts afresh)."""
    if has(folder, ".opentofu-version"):
        return "opentofu"
    if has(folder, ".terraform.lock.hcl"):
        lock = Path(folder, ".terraform.lock.hcl")
        return "opentofu" if "registry.opentofu.org" in lock.read_text(errors="replace") else "terraform"
    parent = os.path.dirname(folder)
    if has(folder, ".git", 1) or parent == folder:
        return "terraform"
    return _detected(parent)


def _target(directory: str | Path, options: Options, config: Config) -> str:
    return options.target or config.target or detect_target(directory)


# --- discovery ------------------------------------------------------------------------------


def discover(
    paths: Iterable[str], options: Options | None = None
) -> tuple[dict[Path, list[Path]], list[Problem], list[Problem]]:
    """Module directories and their files; problems; notes on named files that were skipped.

    A file argument brings in its whole directory: rules read modules, not files.
    """
    modules, problems, notes = _Discovery(options or Options()).run(paths)
    return (
        {Path(directory): [Path(file) for file in files] for directory, files in modules.items()},
        problems,
        notes,
    )


def _join(directory: str, name: str) -> str:
    """``directory / name`` as `Path` spells it (the walk keeps paths as strings: thousands of them)."""
    if directory == ".":
        return name
    return directory + name if directory.endswith("/") else directory + "/" + name


def _base(path: str) -> str:
    return path.rpartition("/")[2] if os.sep == "/" else os.path.basename(path)


class _Discovery:
    """Paths are strings here, spelled as `Path` spells them (`discover` makes them paths)."""

    def __init__(self, options: Options):
        self.options = options
        self.modules: dict[str, list[str]] = {}
        self.first_name: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.walked: dict[str, list[str]] = {}  # files found by walking, by directory (for .gitignore)
        self.named: set[str] = set()
        self.real: dict[str, str] = {}  # walked directories' real paths, known from the walk
        self._names: dict[str, set[str]] = {}  # the file names each module already has
        self.scanned: set[str] = set()  # directories the walk listed whole
        self.temporary: set[str] = set()  # ... and those of them where a name is a temporary file's
        self.setup: dict[str, tuple[Config, str]] = {}  # each module's settings and target

    def run(self, paths: Iterable[str]):
        for raw in paths:
            path = Path(raw)
            try:
                info = os.stat(path)
            except OSError as error:
                self.problems.append(Problem(raw, 1, 1, disk.os_message(error)))
                continue
            if stat.S_ISDIR(info.st_mode):
                for directory, files in self._walk(os.fspath(path)):
                    if files:
                        self.walked.setdefault(directory, []).extend(files)
                        self.add(directory, files)
            elif stat.S_ISREG(info.st_mode):
                self.add_named(path)
            else:
                self.problems.append(Problem(raw, 1, 1, f"not a regular file ({disk.kind(info.st_mode)})"))
        self._drop_gitignored()
        for directory in list(self.modules):
            settings = self.options.settings(directory)
            target = _target(directory, self.options, settings)
            listed = _module_names_of(self.modules[directory], target)
            if listed:
                self.modules[directory] = listed
                self.setup[directory] = (settings, target)
            else:
                del self.modules[directory]
        return self.modules, self.problems, self.notes

    def add(self, directory: str, files: Iterable[str]) -> None:
        real = self.real.get(directory) or os.path.realpath(directory)
        key = self.first_name.setdefault(real, directory)
        listed = self.modules.setdefault(key, [])
        names = self._names.setdefault(key, set())
        for file in files:
            name = _base(file)
            if name not in names:
                names.add(name)
                listed.append(file if directory == key else _join(key, name))

    def add_named(self, path: Path) -> None:
        directory = path.parent
        settings = self.options.settings(directory)
        target = _target(directory, self.options, settings)
        name = display_path(path)
        if (why := skipped_because(path.name, target)) is not None:
            self.notes.append(Problem(name, 1, 1, f"note: {why}"))
            return
        if self.options.force_exclude and self._excluded_with_parents(path):
            return
        siblings = [os.fspath(file) for file in self._listing(directory) if not self._excluded(file, False)]
        others = [file for file in siblings if _base(file) != path.name]
        if others:
            self.walked.setdefault(os.fspath(directory), []).extend(others)
        if target == "opentofu" and (instead := shadowed_by(path.name)) and (directory / instead).is_file():
            self.notes.append(
                Problem(name, 1, 1, f"note: OpenTofu reads {instead} instead of this file; skipped")
            )
            self.add(os.fspath(directory), siblings)
            return
        self.named.add(os.fspath(path))
        self.add(os.fspath(directory), [*siblings, os.fspath(path)])

    def _walk(self, top: str) -> Iterator[tuple[str, list[str]]]:
        """Each directory (parent before children, in name order) with its candidate files."""
        stack = [top]
        real = self.real
        real[top] = os.path.realpath(top)
        suffixes = TERRAFORM_SUFFIXES + OPENTOFU_SUFFIXES
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as scan:
                    entries = {entry.name: entry for entry in scan}
            except OSError as error:
                self.problems.append(Problem(display_path(directory), 1, 1, disk.os_message(error)))
                continue
            listed(absolute_text(directory), entries)  # what config and target lookups look for
            globs = _globs(self.options, self.options.settings(directory))
            by_name = _by_name(tuple(globs))  # None: a glob looks at more than the name
            files, subdirectories = [], []
            self.scanned.add(directory)
            for name, entry in entries.items():
                if name[0] == ".":  # hidden: neither walked nor read
                    if disk.temporary_name(name):
                        self.temporary.add(directory)
                    continue
                try:
                    is_directory = entry.is_dir()
                except OSError:
                    is_directory = False
                if is_directory:
                    if not entry.is_symlink():
                        path = _join(directory, name)
                        if not _excluded(path, name, True, by_name, globs):
                            subdirectories.append(path)
                            # not a symlink: its real path is its parent's and its name
                            real[path] = os.path.join(real[directory], name)
                elif name.endswith(suffixes) and candidate(name):
                    path = _join(directory, name)
                    if not _excluded(path, name, False, by_name, globs):
                        files.append(path)
            files.sort()  # names in one directory: name order is path order
            subdirectories.sort()
            yield directory, files
            stack.extend(reversed(subdirectories))

    def _listing(self, directory: Path) -> list[Path]:
        return _listing(directory, self.problems)

    def _excluded(self, path: Path, is_directory: bool) -> bool:
        settings = self.options.settings(path.parent)
        return any(glob.matches(path, is_directory) for glob in _globs(self.options, settings))

    def _excluded_with_parents(self, path: Path) -> bool:
        """``--force-exclude``: the file or a directory above it (below the cwd) is excluded."""
        absolute = Path(os.path.abspath(path))
        cwd = Path.cwd()
        parents = [
            parent
            for parent in absolute.parents
            if parent != cwd and (parent.is_relative_to(cwd) or not absolute.is_relative_to(cwd))
        ]
        return self._excluded(absolute, False) or any(
            self._excluded(parent, True) for parent in parents if parent != parent.parent
        )

    def _drop_gitignored(self) -> None:
        """Leave out walked files git ignores (where the config lets .gitignore count)."""
        if self.options.respect_gitignore is False:
            return
        checked: list[str] = []
        for folder, files in self.walked.items():
            if not _work_tree(os.path.abspath(folder)):
                continue
            if self.options.respect_gitignore is None and not self.options.settings(folder).respect_gitignore:
                continue
            checked.extend(file for file in files if file not in self.named)
        if not checked:
            return
        ignored = git_ignored(checked)
        if not ignored:
            return
        for directory, files in self.modules.items():
            self.modules[directory] = [file for file in files if file not in ignored]


@functools.lru_cache(maxsize=256)
def _by_name(globs: tuple[Glob, ...]) -> tuple[Callable | None, Callable | None] | None:
    """When every glob matches names only (as the default ``node_modules`` does): one regular
    expression's ``fullmatch`` for directories and one for files (None: nothing to match)."""
    if any(glob.anchored for glob in globs):
        return None

    def either(chosen: list[Glob]) -> Callable | None:
        if not chosen:
            return None
        return re.compile("|".join(f"(?:{glob.regex.pattern})" for glob in chosen)).fullmatch

    return either(list(globs)), either([glob for glob in globs if not glob.directories_only])


def _excluded(
    path: str, name: str, is_directory: bool, by_name: tuple[Callable | None, Callable | None] | None, globs
) -> bool:
    """Whether an exclude glob matches the entry: by its name alone when `_by_name` could join
    the globs, else each glob against the path."""
    if by_name is not None:
        match = by_name[0 if is_directory else 1]
        return match is not None and match(name) is not None
    return any(glob.matches(path, is_directory) for glob in globs)


def _module_names_of(files: list[str], target: str) -> list[str]:
    """`module_files` of one directory's files as strings."""
    files = [file for file in files if candidate(_base(file))]
    if target != "opentofu":
        return sorted((file for file in files if file.endswith(TERRAFORM_SUFFIXES)), key=_base)
    names = {_base(file) for file in files}
    return sorted((file for file in files if shadowed_by(_base(file)) not in names), key=_base)


def _listing(directory: Path, problems: list[Problem]) -> list[Path]:
    """The candidate module files of one directory (whatever they are: reading them tells)."""
    try:
        with os.scandir(directory) as scan:
            entries = list(scan)
    except OSError as error:
        problems.append(Problem(display_path(directory), 1, 1, disk.os_message(error)))
        return []
    return sorted(Path(e.path) for e in entries if candidate(e.name) and not _is_directory(e))


def _is_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


# --- exclude globs --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Glob:
    """An ``exclude`` pattern, as ruff reads one: without a ``/`` it matches a file or directory
    name anywhere (``node_modules``, ``*_test.tf``); with one it matches the path relative to
    ``base`` (the directory of the config file, or the cwd for the command line): ``*`` and
    ``?`` within a name, ``**`` across directories (``examples/**``).  A trailing ``/`` matches
    directories only."""

    pattern: str
    base: Path
    regex: re.Pattern
    anchored: bool
    directories_only: bool

    @classmethod
    @functools.cache
    def of(cls, pattern: str, base: Path) -> Glob:
        text = pattern.removeprefix("./")
        directories_only = text.endswith("/") and len(text) > 1
        text = text.rstrip("/") or "/"
        anchored = "/" in text
        return cls(
            pattern,
            base,
            re.compile(_translate(text.lstrip("/") if not text.startswith("/") else text)),
            anchored,
            directories_only,
        )

    def matches(self, path: str | Path, is_directory: bool) -> bool:
        if self.directories_only and not is_directory:
            return False
        if not self.anchored:
            return self.regex.fullmatch(path.name if isinstance(path, Path) else _base(path)) is not None
        absolute = Path(os.path.abspath(path))
        if self.pattern.startswith("/"):
            return self.regex.fullmatch(absolute.as_posix()) is not None
        try:
            relative = absolute.relative_to(self.base).as_posix()
        except ValueError:
            return False
        return self.regex.fullmatch(relative) is not None


def _translate(pattern: str) -> str:
    """A glob as a regular expression over ``/``-separated paths."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (close := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _globs(options: Options, settings: Config) -> list[Glob]:
    return _globs_cached(
        options.exclude, options.extend_exclude, settings.exclude, settings.extend_exclude, settings.path
    )


@functools.lru_cache(maxsize=256)
def _globs_cached(cli_exclude, cli_extend, config_exclude, config_extend, config_path) -> list[Glob]:
    cwd = Path.cwd()
    home = Path(config_path).absolute().parent if config_path else cwd
    if cli_exclude is not None:
        chosen = [(pattern, cwd) for pattern in cli_exclude]
    elif config_exclude is not None:
        chosen = [(pattern, home) for pattern in config_exclude]
    else:
        chosen = [(pattern, cwd) for pattern in DEFAULT_EXCLUDE]
    chosen += [(pattern, home) for pattern in config_extend] + [(pattern, cwd) for pattern in cli_extend]
    return [Glob.of(pattern, base) for pattern, base in chosen]


# --- .gitignore -----------------------------------------------------------------------------


def git_ignored(files: Sequence[str | Path]) -> set[str | Path]:
    """The files git ignores, asked of git itself (``git check-ignore``), one call per work tree.

    Outside a work tree, or where git cannot answer (no git, a path in a submodule), nothing
    is left out.  Tracked files are never ignored, as git itself treats them.
    """
    import subprocess  # here: outside a git work tree a run never starts git (start-up time)

    by_top: dict[str, list[str | Path]] = {}
    for file in files:
        top = _work_tree(os.path.dirname(os.path.abspath(file)))
        if top is not None:
            by_top.setdefault(top, []).append(file)
    ignored: set[str | Path] = set()
    for top, members in by_top.items():
        relative = {}
        for file in members:
            rel = os.path.relpath(os.path.realpath(file), top)
            if not rel.startswith(".."):
                relative[rel] = file
        if not relative:
            continue
        try:
            run = subprocess.run(
                ["git", "-C", top, "check-ignore", "-z", "--stdin"],
                input="\0".join(relative).encode("utf-8", "surrogateescape"),
                capture_output=True,
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if run.returncode != 0:  # 1: none ignored; 128: git could not tell
            continue
        for name in run.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if name in relative:
                ignored.add(relative[name])
    return ignored


@functools.lru_cache(maxsize=4096)
def _work_tree(directory: str) -> str | None:
    """The top of the git work tree holding ``directory`` (the nearest ``.git`` above it), or None."""
    if has(directory, ".git", 2):
        return os.path.realpath(directory)
    parent = os.path.dirname(directory)
    return None if parent == directory else _work_tree(parent)


# --- analysis -------------------------------------------------------------------------------


def analyse_tree(
    paths: Sequence[str],
    options: Options | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    **values,
) -> Analysis:
    """Every module found under ``paths``, analysed, with what was read for each.

    ``progress(done, total)`` is called after each module."""
    options = Options.of(options, **values)
    _detected.cache_clear()
    _work_tree.cache_clear()
    clear_config_cache()
    with _collector_off():
        return _analyse_tree(paths, options, progress)


def _analyse_tree(
    paths: Sequence[str], options: Options, progress: Callable[[int, int], None] | None
) -> Analysis:
    discovery = _Discovery(options)
    modules, problems, notes = discovery.run(paths)
    items: list[tuple[str, list[str]]] = list(modules.items())
    # Cache hits are taken here, in this process: only the modules left to analyse go to the
    # workers, and a run of an unchanged tree starts none.
    found: list[ModuleRun | None] = [None] * len(items)
    if options.cache_dir is not None and items:
        store = _cache(options)
        known = store.stat_index([absolute_text(Path(path)) for path in paths])
        reread = _Reread(options.max_file_size, known, vouched=not options.apply)
        for number, (directory, files) in enumerate(items):
            module = _prepare(directory, files, options, index=known, setup=discovery.setup.get(directory))
            found[number] = _cached(module, options, reread)
        known.save()
    missing = [index for index, run in enumerate(found) if run is None]
    done = len(items) - len(missing)
    if progress is not None and done:
        progress(done, len(items))
    jobs = min(usable_cores() if options.jobs <= 0 else options.jobs, len(missing))
    if jobs > 1:

        def step(count: int, _total: int) -> None:
            if progress is not None:
                progress(done + count, len(items))

        fresh = _analyse_in_pool([_paths(*items[index]) for index in missing], options, jobs, step)
    else:
        fresh = []
        for index in missing:
            fresh.append(_analyse(*_paths(*items[index]), options, lookup=False))
            if progress is not None:
                progress(done + len(fresh), len(items))
    for index, run in zip(missing, fresh):
        found[index] = run
    runs = [run for run in found if run is not None]
    directories = {
        discovery.real.get(directory) or os.path.realpath(directory): directory for directory in modules
    }
    for run in runs:
        for name, snapshot in run.reads.items():
            if snapshot.link:  # a fix to it is written beside its target
                directories.setdefault(str(run.real(name).parent), str(run.real(name).parent))
    if options.cache_dir is not None and items:
        _cache(options).prune()
    # A directory the walk listed needs another look only if it saw a temporary file's name there.
    unknown = [
        Path(d) for d in directories.values() if d not in discovery.scanned or d in discovery.temporary
    ]
    return Analysis(runs, problems, disk.stale_temporaries(unknown), notes)


def _paths(directory: str, files: list[str]) -> tuple[Path, list[Path]]:
    return Path(directory), [Path(file) for file in files]


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """A tree run with Python's cycle collector off (and what was alive before it frozen out of
    the collector's sight): analyses make few reference cycles (tffix/engine.py,
    `_collector_paused`, `_child`), and the collector's passes over the objects that live between
    modules (results, the child modules kept for their other callers) cost more than they free.
    `_analysed` collects now and then, so what cycles there are stay bounded; pool workers are
    forked with the collector off too."""
    if not gc.isenabled():
        yield
        return
    global _freezing
    ours = gc.get_freeze_count() == 0  # a caller that froze objects itself keeps them frozen
    if ours:
        gc.freeze()
    gc.disable()
    _freezing = ours
    try:
        yield
    finally:
        _freezing = False
        if ours:
            # What the run made and still holds goes to the oldest generation unexamined (a
            # freeze and thaw moves it there), instead of one long pass over it as soon as the
            # collector is back on.
            gc.freeze()
            gc.unfreeze()
        gc.enable()


_COLLECT_EVERY = 1024  # modules analysed between two collections while the collector is off
_analysed_count = 0
_freezing = False  # `_collector_off` froze what was alive before the run: survivors may join it


def _analysed(run: ModuleRun) -> ModuleRun:
    """Count a module analysed in this process; collect cycles every `_COLLECT_EVERY`.

    What survives a collection (results, the trees and child modules the engine keeps for
    other callers) is frozen with what was alive before the run: the next collection looks only
    at what was made since, instead of walking everything alive again each time."""
    global _analysed_count
    _analysed_count += 1
    if _analysed_count % _COLLECT_EVERY == 0 and not gc.isenabled():
        gc.collect()
        if _freezing:
            gc.freeze()
    return run


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _analyse_in_pool(
    modules: list[tuple[Path, list[Path]]],
    options: Options,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> list[ModuleRun]:
    """`_analyse` for each module in ``jobs`` worker processes, `_BATCH` neighbours at a time;
    results in the order of ``modules``, so the output is the same whatever ``jobs`` is.  A worker
    that dies (a crash, the OOM killer) takes down only its module: each module of its batch is
    tried again in a fresh worker of its own, and a module that kills that one too is reported as
    an error."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    runs: list[ModuleRun | None] = [None] * len(modules)
    retry: list[int] = []
    batches = [range(start, min(start + _BATCH, len(modules))) for start in range(0, len(modules), _BATCH)]
    # The pool's threads are started with the signals `disk.signals_held` holds blocked: a thread
    # left running later would otherwise take a SIGTERM meant to wait for the writes to finish.
    with disk.signals_held():
        pool = ProcessPoolExecutor(jobs, mp_context=_pool_context(), initializer=disk.unblock_held_signals)
        futures = [
            pool.submit(_analyse_batch, [modules[index] for index in batch], options) for batch in batches
        ]
    with pool:
        for batch, future in zip(batches, futures):
            try:
                for index, run in zip(batch, future.result()):
                    runs[index] = run
            except BrokenProcessPool:
                retry.extend(batch)
            except Exception as error:
                for index in batch:
                    runs[index] = _failed_run(
                        modules[index], f"internal error: {type(error).__name__}: {error}"
                    )
            if progress is not None:
                progress(batch.stop, len(modules))
    for index in retry:
        directory, files = modules[index]
        try:
            with disk.signals_held():
                single = ProcessPoolExecutor(
                    1, mp_context=_pool_context(), initializer=disk.unblock_held_signals
                )
                alone = single.submit(_analyse_job, directory, files, options)
            with single:
                runs[index] = alone.result()
        except BrokenProcessPool:
            runs[index] = _failed_run(modules[index], "internal error: the process analysing it died")
        except Exception as error:
            runs[index] = _failed_run(modules[index], f"internal error: {type(error).__name__}: {error}")
    return [run for run in runs if run is not None]


def _pool_context():
    import multiprocessing

    # fork: a worker starts with tffix already imported (no second start-up per worker)
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


# Modules a worker takes at a time, neighbours in the tree: a repository's examples call its root
# module, which each worker would parse again (tffix/engine.py keeps the trees it parsed last).
_BATCH = 16


def _analyse_batch(modules: list[tuple[Path, list[Path]]], options: Options) -> list[ModuleRun]:
    """`_analyse_job` for each module of a batch; an error in one is that module's alone."""
    runs = []
    for module in modules:
        try:
            runs.append(_analyse_job(*module, options))
        except Exception as error:
            runs.append(_failed_run(module, f"internal error: {type(error).__name__}: {error}"))
    return runs


def _analyse_job(directory: Path, files: list[Path], options: Options) -> ModuleRun:
    """`_analyse` in a worker (the parent has looked in the cache): the result travels back
    pickled, so the fix builders (closures over the module's tree, already called) are dropped."""
    return _portable(_analyse(directory, files, options, lookup=False))


def _portable(run: ModuleRun) -> ModuleRun:
    result = run.result
    for group in (result.findings, result.remaining, result.unused_suppressions):
        group[:] = [dataclasses.replace(f, build=None) if f.build is not None else f for f in group]
    return run


def _failed_run(module: tuple[Path, list[Path]], message: str) -> ModuleRun:
    directory, files = module
    name = display_path(files[0]) if files else display_path(directory)
    return ModuleRun(directory, Result(sources={}, problems=[Problem(name, 1, 1, message, internal=True)]))


def analyse_paths(paths: Sequence[str], options: Options | None = None, **values) -> list[Result]:
    """One `Result` per module directory found under ``paths`` (discovery problems first)."""
    analysis = analyse_tree(paths, options, **values)
    results = [Result(sources={}, problems=analysis.problems)] if analysis.problems else []
    return results + [run.result for run in analysis.modules]


def analyse_module(
    directory: Path,
    *,
    files: Sequence[Path] | None = None,
    overrides: dict[Path, str] | None = None,
    options: Options | None = None,
    **values,
) -> Result:
    """Analyse one directory's module files; ``overrides`` replace what is on disk (editors)."""
    options = Options.of(options, **values)
    _detected.cache_clear()
    clear_config_cache()
    listing_problems: list[Problem] = []
    if files is None:
        target = _target(directory, options, options.settings(directory))
        files = module_files(_listing(directory, listing_problems), target)
    run = _analyse(directory, files, options, overrides=overrides)
    run.result.problems[:0] = listing_problems
    return run.result


def analyse_stdin(path: Path, text: str, options: Options | None = None, **values) -> ModuleRun:
    """``text`` as the file ``path``, with the other module files of its directory as they are on disk.

    The text replaces its on-disk twin (however the two are spelled); the siblings are
    read for context only, and a sibling that cannot be read is left out.
    """
    options = Options.of(options, **values)
    clear_config_cache()
    directory = path.parent
    target = _target(directory, options, options.settings(directory))
    real = os.path.realpath(path)
    siblings = [
        file
        for file in module_files(_listing(directory, []), target)
        if os.path.realpath(file) != real and shadowed_by(file.name) != path.name
    ]
    return _analyse(directory, sorted([*siblings, path]), options, overrides={path: text})


@dataclass(slots=True)
class _Prepared:
    """A module's files as read, and how it is to be analysed: what the cache key covers."""

    directory: Path
    texts: dict[str, str]  # what was read (with a stat index, only the files it does not vouch for)
    reads: dict[str, disk.Snapshot]
    unreadable: list[Problem]
    target: str
    unsafe: bool
    settings: dict[str, Any]
    config: Config
    overridden: bool
    files: dict[str, str | Path] = field(default_factory=dict)  # display name -> the file as named

    def text(self, name: str) -> str | None:
        """The text of one of the module's files: as read, or read now if it is still the bytes
        its snapshot has (None if not: the file changed during the run)."""
        if name in self.texts:
            return self.texts[name]
        try:
            text, snapshot = disk.read_file(self.files[name], self.reads[name].size)
        except disk.FileError:
            return None
        return text if snapshot.digest == self.reads[name].digest else None


def _prepare(
    directory: str | Path,
    files: Sequence[str | Path],
    options: Options,
    overrides: dict[Path, str] | None = None,
    *,
    index: cache.StatIndex | None = None,
    setup: tuple[Config, str] | None = None,
) -> _Prepared:
    """A module's files read (or, with a stat ``index``, known from it) and its settings.  Under
    ``--apply`` every file is read: a fix to write is never skipped on the index's word."""
    replaced = {os.path.realpath(path): text for path, text in (overrides or {}).items()}
    texts: dict[str, str] = {}
    reads: dict[str, disk.Snapshot] = {}
    named: dict[str, str | Path] = {}
    unreadable = []
    vouched = index is not None and not options.apply
    for name, file in zip(_display_names(directory, files), files):
        named[name] = file
        override = replaced.get(os.path.realpath(file)) if replaced else None
        if override is not None:
            texts[name] = override
            continue
        if vouched:
            assert index is not None
            snapshot = _indexed(file, index, options.max_file_size)
            if snapshot is not None:
                reads[name] = snapshot
                continue
        try:
            before = time.time_ns()
            texts[name], reads[name] = disk.read_file(file, options.max_file_size)
            if index is not None:
                index.record(absolute_text(file), reads[name], before)
        except disk.FileError as error:
            unreadable.append(Problem(name, error.line, error.column, str(error)))
    if setup is not None:
        config, target = setup
    else:
        config = options.settings(directory)
        target = _target(directory, options, config)
    settings = _settings(options, config, target)
    return _Prepared(
        Path(directory),
        texts,
        reads,
        unreadable,
        target,
        settings["unsafe"],
        settings,
        config,
        bool(overrides),
        named,
    )


def _display_names(directory: str | Path, files: Sequence[str | Path]) -> list[str]:
    """`display_path` of each file of one directory: the directory's own, then each name joined to it."""
    shown = display_path(directory)
    if shown == "." or not _PLAIN_DIRECTORY.fullmatch(shown):
        return [display_path(file) for file in files]
    folder = os.fspath(directory)
    names = []
    for file in files:
        text = os.fspath(file)
        name = _base(text)
        plain = text == _join(folder, name) and "\\" not in name and name not in ("", ".", "..")
        names.append(shown + "/" + name if plain else display_path(file))
    return names


_PLAIN_DIRECTORY = re.compile(r"[^\\]*[^/\\]")  # no backslash, no trailing slash (display_path did the rest)


@functools.lru_cache(maxsize=256)
def _settings(options: Options, config: Config, target: str) -> dict[str, Any]:
    """How a module is analysed (`fix_sources`'s keywords): one dict for all modules alike, read only."""
    return {
        "select": options.select if options.select is not None else config.select,
        "ignore": (*options.ignore, *config.ignore),  # a tuple: shared; the same key as the list was
        "target": target,
        "unsafe": options.unsafe if options.unsafe is not None else bool(config.unsafe_fixes),
        "extend_safe": config.extend_safe_fixes,
        "extend_unsafe": config.extend_unsafe_fixes,
        "report_unused_suppressions": options.report_unused_suppressions,
    }


@functools.lru_cache(maxsize=256)
def _keyed_settings(options: Options, config: Config, target: str) -> dict[str, Any]:
    """What the cache key covers of how a module is analysed: its settings and its configuration."""
    return {**_settings(options, config, target), "config": repr(config)}


def _indexed(file: str | Path, index: cache.StatIndex, max_size: int) -> disk.Snapshot | None:
    """The snapshot of a file the stat index vouches for (its stat is as when it was read), or None."""
    try:
        info = os.lstat(file)
        link = stat.S_ISLNK(info.st_mode)
        if link:
            info = os.stat(file)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_size:
        return None  # reading it tells what is wrong
    digest = index.digest(absolute_text(file), info)
    if digest is None:
        return None
    return disk.Snapshot(
        file, link, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, digest, info.st_ctime_ns
    )


def _analyse(
    directory: Path,
    files: Sequence[Path],
    options: Options,
    *,
    overrides: dict[Path, str] | None = None,
    lookup: bool = True,
) -> ModuleRun:
    """One module's run: from the cache when an entry holds (``lookup``), else analysed (and stored)."""
    module = _prepare(directory, files, options, overrides)
    if lookup:
        hit = _cached(module, options, _Reread(options.max_file_size))
        if hit is not None:
            return hit
    return _fresh(module, options)


def _cacheable(module: _Prepared, options: Options) -> cache.Cache | None:
    if options.cache_dir is None or module.overridden or module.unreadable:
        return None
    return _cache(options)


def _key(store: cache.Cache, module: _Prepared, options: Options) -> str:
    digests = {name: snapshot.digest for name, snapshot in module.reads.items()}
    return store.key(_keyed_settings(options, module.config, module.target), digests)


def _cached(module: _Prepared, options: Options, reread: _Reread) -> ModuleRun | None:
    """The module's run as the cache holds it, or None (no cache, no entry, or one that must not be used)."""
    store = _cacheable(module, options)
    if store is None:
        return None
    reread.target = module.target
    entry = store.load(_key(store, module, options), reread, reread.index)
    if entry is None or (options.apply and entry.result.fixed):
        return None
    result = entry.result
    needed = cache.needed_texts(result)
    origins = {**entry.lock, **entry.context}
    for name in result.sources:
        own = name in module.reads
        if not own and name not in origins:
            return None  # a source the entry cannot supply: not ours
        if name in needed:
            text = module.text(name) if own else reread(origins[name])
            if text is None:
                return None
            result.sources[name] = SourceFile(name, text)
        elif own and name in module.texts:
            result.sources[name] = SourceFile(name, module.texts[name])
        else:
            file = module.files[name] if own else origins[name]
            result.sources[name] = cache.UnreadSource(name, file, options.max_file_size)
    return ModuleRun(module.directory, result, module.reads, unsafe=module.unsafe, target=module.target)


def _fresh(module: _Prepared, options: Options) -> ModuleRun:
    """The module analysed, and its result stored in the cache (if there is one)."""
    origins: dict[str, str] = {}
    dependencies = cache.Dependencies()
    lock, context = read_lock_and_local_modules(
        module.directory,
        module.texts,
        module.target,
        options.max_file_size,
        origins=origins,
        dependencies=dependencies,
    )
    result = fix_sources({**module.texts, **lock}, context=context, **module.settings)
    result.problems[:0] = module.unreadable
    store = _cacheable(module, options)
    if store is not None and not any(problem.internal for problem in result.problems):
        store.store(_key(store, module, options), result, dependencies, lock, context, origins)
    return _analysed(
        ModuleRun(module.directory, result, module.reads, unsafe=module.unsafe, target=module.target)
    )


@functools.lru_cache(maxsize=4)
def _cache(options: Options) -> cache.Cache:
    assert options.cache_dir is not None
    return cache.Cache(options.cache_dir)


class _Reread:
    """How a cache hit checks what the analysis read beside the module (`read_lock_and_local_modules`).

    Within one run a file or directory is looked at once, however many modules depend on it (a
    shared child module, a lock file): the first look stands for the whole run, as it would have
    had the modules been analysed afresh a moment apart.  A file the stat ``index`` vouches for
    is not read unless its text is asked for (then it must still have the digest given)."""

    def __init__(self, max_size: int, index: cache.StatIndex | None = None, vouched: bool = True):
        self.max_size = max_size
        self.index = index
        self.vouched = vouched  # the index may give digests (not under --apply: it only records)
        self.target = "terraform"  # the module being looked up: which files a listing counts
        self._digests: dict[str, str | None] = {}
        self._texts: dict[str, str | None] = {}
        self._listings: dict[tuple[str, str], list[str]] = {}

    def _read(self, real: str) -> None:
        try:
            before = time.time_ns()
            text, snapshot = disk.read_file(Path(real), self.max_size)
        except disk.FileError:
            self._digests.setdefault(real, None)
            self._texts[real] = None
            return
        if self.index is not None:
            self.index.record(real, snapshot, before)
        digest = self._digests.setdefault(real, snapshot.digest.hex())
        self._texts[real] = text if digest == snapshot.digest.hex() else None

    def __call__(self, real: str) -> str | None:
        """The file's text; None when it is absent, cannot be read, or is no longer what its digest said."""
        if real not in self._texts:
            self._read(real)
        return self._texts[real]

    def digest(self, real: str) -> str | None:
        """The digest of its bytes (as `tffix.disk.Snapshot` has it, in hex); None when absent."""
        if real in self._digests:
            return self._digests[real]
        if self.index is not None and self.vouched:
            try:
                info = os.stat(real)
            except FileNotFoundError:
                self._digests[real] = self._texts[real] = None  # absent (the lock file, mostly)
                return None
            except OSError:
                info = None
            if info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= self.max_size:
                known = self.index.digest(real, info)
                if known is not None:
                    self._digests[real] = known.hex()
                    return self._digests[real]
        self._read(real)
        return self._digests[real]

    def listing(self, real: str) -> list[str]:
        key = (real, self.target)
        if key not in self._listings:
            self._listings[key] = _module_names(real, self.target)
        return self._listings[key]


def _module_names(directory: str | Path, target: str) -> list[str]:
    """The names of the module files of a local child module's directory, in name order (none
    when it cannot be listed)."""
    try:
        with os.scandir(directory) as scan:
            names = [entry.name for entry in scan if candidate(entry.name) and _is_file(entry)]
    except OSError:
        return []
    return _module_names_of(names, target)


def _module_listing(directory: Path, target: str) -> list[Path]:
    """The module files of a local child module's directory (none when it cannot be listed)."""
    return [directory / name for name in _module_names(directory, target)]


def _is_file(entry: os.DirEntry) -> bool:
    """A regular file, symlinks followed (as `Path.is_file`)."""
    try:
        return entry.is_file()
    except OSError:
        return False


_LOCAL_SOURCE = r'source\s*=\s*"\.\.?/'  # compiled by `re` once a text has a "./ or "../


def _calls_local(text: str) -> bool:
    return ('"./' in text or '"../' in text) and re.search(_LOCAL_SOURCE, text) is not None


def read_lock_and_local_modules(
    directory: Path,
    texts: dict[str, str],
    target: str = "terraform",
    max_size: int = disk.MAX_FILE_SIZE,
    *,
    origins: dict[str, str] | None = None,
    dependencies: cache.Dependencies | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """What the engine reads beside a module's files, never to edit: its ``.terraform.lock.hcl``, and
    the module files of the local modules it calls (``source = "./..."``), recursively.

    Paths are spelled from the module's own, as ``Module.child`` joins a ``source`` to its caller's
    directory.  Only files that mention a local source are parsed; what cannot be read or parsed is
    left out (its own directory's run reports it).

    For the results cache: ``origins`` gets the real path each returned name was read from,
    ``dependencies`` every file looked for (with a digest of its text, None when absent or
    unreadable) and the module-file names of every child directory looked at.
    """
    from tffix.engine import parse_ahead
    from tffix.syntax import ParseError, query

    origins = {} if origins is None else origins
    dependencies = cache.Dependencies() if dependencies is None else dependencies
    lock = {}
    lock_text = None
    with contextlib.suppress(disk.FileError):
        lock_text, snapshot = disk.read_file(directory / LOCK_FILE, max_size)
    lock_real = os.path.realpath(directory / LOCK_FILE)
    dependencies.files[lock_real] = None if lock_text is None else snapshot.digest.hex()
    if lock_text is not None:
        lock[display_path(directory / LOCK_FILE)] = lock_text
        origins[display_path(directory / LOCK_FILE)] = lock_real
    context: dict[str, str] = {}
    home = posixpath.dirname(next(iter(texts), ""))
    seen = {posixpath.normpath(home)}
    pending = [(home, directory, texts)]
    while pending:
        spelled, real, module_texts = pending.pop()
        for name, text in module_texts.items():
            try:
                calls = list(query.blocks(parse_ahead(text), "module")) if _calls_local(text) else []
            except ParseError:
                continue
            for call in calls:
                attribute = call.attribute("source")
                try:
                    source = query.string_value(attribute.value) if attribute is not None else ""
                except query.NotStatic:
                    continue
                child = posixpath.normpath(posixpath.join(spelled, source))
                if not source.startswith(("./", "../")) or child in seen:
                    continue
                seen.add(child)
                child_real = Path(os.path.normpath(real / source))
                child_texts = {}
                listed = _module_listing(child_real, target)
                dependencies.directories[os.path.realpath(child_real)] = sorted(file.name for file in listed)
                for file in listed:
                    name = posixpath.normpath(posixpath.join(child, file.name))
                    origin = os.path.realpath(file)
                    try:
                        child_texts[name], snapshot = disk.read_file(file, max_size)
                    except disk.FileError:
                        dependencies.files[origin] = None
                        continue
                    dependencies.files[origin] = snapshot.digest.hex()
                    origins[name] = origin
                context.update(child_texts)
                pending.append((child, child_real, child_texts))
    return lock, context


def write_fixes(modules: Sequence[ModuleRun]) -> Written:
    """Write each module's fixed files, module by module; say what was written and what was not."""
    written = Written()
    refused = _conflicts(modules, written.problems)
    for index, module in enumerate(modules):
        fixed = module.result.fixed
        if not fixed or index in refused:
            continue
        if _write_module(module, written):
            written.modules.add(index)
    return written


def _conflicts(modules: Sequence[ModuleRun], problems: list[Problem]) -> set[int]:
    """Modules that fix one real file to different texts: none of them is written."""
    first: dict[Path, tuple[int, str, str]] = {}
    refused: set[int] = set()
    for index, module in enumerate(modules):
        for name, text in module.result.fixed.items():
            other = first.setdefault(module.real(name), (index, name, text))
            if other[2] != text:
                refused |= {index, other[0]}
                problems.append(
                    Problem(
                        name,
                        1,
                        1,
                        f"the same file as {quote_path(other[1])}, which this run"
                        " fixes differently; neither is written",
                    )
                )
    return refused


def _write_module(module: ModuleRun, written: Written) -> bool:
    """Check every file the module read, then write its fixed files; True if all were written."""
    fixed = module.result.fixed
    replacements: dict[Path, tuple[str, disk.Replacement]] = {}
    for name, text in fixed.items():
        real = module.real(name)
        if real not in written.files:  # else an earlier module wrote this very text
            replacements.setdefault(real, (name, disk.Replacement(real, text)))
    directories = {module.real(name).parent for name in module.reads}
    with disk.locked(directories), disk.signals_held():
        changed = [
            (name, why)
            for name, snapshot in module.reads.items()
            if module.real(name) not in written.files and (why := disk.still_as_read(snapshot))
        ]
        if changed:
            for name, why in changed:
                consequence = (
                    "not written"
                    if name in fixed
                    else "the fixes to "
                    + ", ".join(quote_path(other) for other in fixed)
                    + " were not written"
                )
                written.problems.append(Problem(name, 1, 1, f"{why} during the run; {consequence}"))
            return False
        current = ""  # the file being staged or committed: set before either can raise
        try:
            for current, replacement in replacements.values():  # noqa: B007 - named in the error below
                replacement.stage()
            for current, replacement in replacements.values():  # noqa: B007 - named in the error below
                replacement.commit()
                written.files.add(replacement.real)
        except OSError as error:
            written.problems.append(Problem(current, 1, 1, f"cannot write: {disk.os_message(error)}"))
        finally:
            for _, replacement in replacements.values():
                replacement.discard()
    done = {name for name in fixed if module.real(name) in written.files}
    written.names |= done
    return done == set(fixed)
