"""The code that walks the disk: find modules, read them, write their fixes.

Discovery names every problem it meets (a missing path, a directory it may not list, a
FIFO called ``x.tf``) and goes on with the rest.  A directory reached by several paths
(symlinks, overlapping arguments) is one module, analysed once.  Files are read by
`tffix.disk`, which also replaces them; `write_fixes` adds the module-level rules: a
module's files are written only if every file it read is still as it was read, and a
file shared by several modules is written once, only if they agree on its new text.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tffix import disk
from tffix.api import Problem, Result, fix_sources
from tffix.config import load_config
from tffix.paths import display_path, quote_path

SKIPPED_DIRECTORIES = {".terraform", "node_modules"}

@dataclass(slots=True)
class ModuleRun:
    """One module's result and what was read for it (display name -> snapshot)."""

    directory: Path
    result: Result
    reads: dict[str, disk.Snapshot] = field(default_factory=dict)
    _real: dict[str, Path] = field(default_factory=dict)

    def real(self, name: str) -> Path:
        """Where the file shown as ``name`` really is, symlinks resolved (looked up once)."""
        if name not in self._real:
            self._real[name] = Path(os.path.realpath(self.reads[name].path))
        return self._real[name]


@dataclass(slots=True)
class Analysis:
    modules: list[ModuleRun]
    problems: list[Problem]        # discovery's: paths that are not there or not readable
    stale: list[Path]              # temporary files left by an interrupted run


@dataclass(slots=True)
class Written:
    names: set[str] = field(default_factory=set)        # display names whose fix is on disk
    files: set[Path] = field(default_factory=set)       # the real files written, each once
    modules: set[int] = field(default_factory=set)      # indexes of modules written completely
    problems: list[Problem] = field(default_factory=list)


def discover(paths: Iterable[str]) -> tuple[dict[Path, list[Path]], list[Problem]]:
    """Module directories and their `.tf` files.

    A file argument brings in its whole directory: rules read modules, not files.
    Directories are walked recursively; hidden directories, `.terraform/`,
    `node_modules/` and symlinked directories are skipped.
    """
    modules: dict[Path, list[Path]] = {}
    first_name: dict[str, Path] = {}
    problems: list[Problem] = []

    def add(directory: Path, files: Iterable[Path]) -> None:
        key = first_name.setdefault(os.path.realpath(directory), directory)
        listed = modules.setdefault(key, [])
        for file in files:
            if key / file.name not in listed:
                listed.append(key / file.name)
        listed.sort()

    for raw in paths:
        path = Path(raw)
        try:
            info = os.stat(path)
        except OSError as error:
            problems.append(Problem(raw, 1, 1, disk.os_message(error)))
            continue
        if stat.S_ISDIR(info.st_mode):
            for directory, files in _walk(path, problems):
                if files:
                    add(directory, files)
        elif stat.S_ISREG(info.st_mode):
            add(path.parent, [*_listing(path.parent, problems), path])
        else:
            problems.append(Problem(raw, 1, 1, f"not a regular file ({disk.kind(info.st_mode)})"))
    return modules, problems


def _walk(top: Path, problems: list[Problem]) -> Iterator[tuple[Path, list[Path]]]:
    """Each directory (parent before children, in name order) with its `.tf` entries."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(display_path(directory), 1, 1, disk.os_message(error)))
            continue
        files, subdirectories = [], []
        for entry in entries:
            if _is_directory(entry):
                if not (entry.name.startswith(".") or entry.name in SKIPPED_DIRECTORIES or entry.is_symlink()):
                    subdirectories.append(Path(entry.path))
            elif entry.name.endswith(".tf"):
                files.append(Path(entry.path))
        yield directory, files
        stack.extend(reversed(subdirectories))


def _listing(directory: Path, problems: list[Problem]) -> list[Path]:
    """The `.tf` entries of one directory (whatever they are: reading them tells)."""
    try:
        with os.scandir(directory) as scan:
            entries = list(scan)
    except OSError as error:
        problems.append(Problem(display_path(directory), 1, 1, disk.os_message(error)))
        return []
    return sorted(Path(e.path) for e in entries if e.name.endswith(".tf") and not _is_directory(e))


def _is_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def detect_target(directory: Path) -> str:
    """OpenTofu if the module says so (`.opentofu-version`, an OpenTofu lock file), else Terraform."""
    for folder in (directory.absolute(), *directory.absolute().parents):
        if (folder / ".opentofu-version").is_file():
            return "opentofu"
        lock = folder / ".terraform.lock.hcl"
        if lock.is_file():
            return "opentofu" if "registry.opentofu.org" in lock.read_text(errors="replace") else "terraform"
        if (folder / ".git").exists():
            break
    return "terraform"


def analyse_tree(
    paths: Sequence[str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str | None = None,
    unsafe: bool = False,
    max_file_size: int = disk.MAX_FILE_SIZE,
) -> Analysis:
    """Every module found under ``paths``, analysed, with what was read for each."""
    modules, problems = discover(paths)
    runs = [_analyse(directory, files, select=select, ignore=ignore, target=target, unsafe=unsafe,
                     max_file_size=max_file_size)
            for directory, files in modules.items()]
    directories = {os.path.realpath(directory): directory for directory in modules}
    for run in runs:
        for name, snapshot in run.reads.items():
            if snapshot.link:  # a fix to it is written beside its target
                directories.setdefault(str(run.real(name).parent), run.real(name).parent)
    return Analysis(runs, problems, disk.stale_temporaries(directories.values()))


def analyse_paths(paths: Sequence[str], **options) -> list[Result]:
    """One `Result` per module directory found under ``paths`` (discovery problems first)."""
    analysis = analyse_tree(paths, **options)
    results = [Result(sources={}, problems=analysis.problems)] if analysis.problems else []
    return results + [run.result for run in analysis.modules]


def analyse_module(
    directory: Path,
    *,
    files: Sequence[Path] | None = None,
    overrides: dict[Path, str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str | None = None,
    unsafe: bool = False,
    max_file_size: int = disk.MAX_FILE_SIZE,
) -> Result:
    """Analyse one directory's `.tf` files; ``overrides`` replace what is on disk (editors)."""
    listing_problems: list[Problem] = []
    if files is None:
        files = _listing(directory, listing_problems)
    run = _analyse(directory, files, overrides=overrides, select=select, ignore=ignore, target=target,
                   unsafe=unsafe, max_file_size=max_file_size)
    run.result.problems[:0] = listing_problems
    return run.result


def analyse_stdin(path: Path, text: str, **options) -> Result:
    """``text`` as the file ``path``, with the other `.tf` files of its directory as they are on disk.

    The text replaces its on-disk twin (however the two are spelled); the siblings are
    read for context only, and a sibling that cannot be read is left out.
    """
    real = os.path.realpath(path)
    siblings = [file for file in _listing(path.parent, []) if os.path.realpath(file) != real]
    files = sorted([*siblings, path])
    return _analyse(path.parent, files, overrides={path: text}, **options).result


def _analyse(
    directory: Path,
    files: Sequence[Path],
    *,
    overrides: dict[Path, str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str | None = None,
    unsafe: bool = False,
    max_file_size: int = disk.MAX_FILE_SIZE,
) -> ModuleRun:
    replaced = {os.path.realpath(path): text for path, text in (overrides or {}).items()}
    texts: dict[str, str] = {}
    reads: dict[str, disk.Snapshot] = {}
    unreadable = []
    for file in files:
        name = display_path(file)
        override = replaced.get(os.path.realpath(file)) if replaced else None
        if override is not None:
            texts[name] = override
            continue
        try:
            texts[name], reads[name] = disk.read_file(file, max_file_size)
        except disk.FileError as error:
            unreadable.append(Problem(name, error.line, error.column, str(error)))
    config = load_config(directory)
    result = fix_sources(
        texts,
        select=select if select is not None else config.select,
        ignore=[*ignore, *config.ignore],
        target=target or config.target or detect_target(directory),
        unsafe=unsafe,
    )
    result.problems[:0] = unreadable
    return ModuleRun(directory, result, reads)


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
                problems.append(Problem(name, 1, 1, f"the same file as {quote_path(other[1])}, which this run"
                                        " fixes differently; neither is written"))
    return refused


def _write_module(module: ModuleRun, written: Written) -> bool:
    """Check every file the module read, then write its fixed files; True if all were written."""
    fixed = module.result.fixed
    replacements = {}
    for name, text in fixed.items():
        real = module.real(name)
        if real not in written.files:  # else an earlier module wrote this very text
            replacements.setdefault(real, (name, disk.Replacement(real, text)))
    directories = {module.real(name).parent for name in module.reads}
    with disk.locked(directories), disk.signals_held():
        changed = [(name, why) for name, snapshot in module.reads.items()
                   if module.real(name) not in written.files and (why := disk.still_as_read(snapshot))]
        if changed:
            for name, why in changed:
                consequence = ("not written" if name in fixed else "the fixes to "
                               + ", ".join(quote_path(other) for other in fixed) + " were not written")
                written.problems.append(Problem(name, 1, 1, f"{why} during the run; {consequence}"))
            return False
        current = None
        try:
            for current, replacement in replacements.values():
                replacement.stage()
            for current, replacement in replacements.values():
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
