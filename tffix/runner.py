"""The only code that touches the disk: find modules, read them, write fixes atomically."""
from __future__ import annotations

import contextlib
import os
import posixpath
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from tffix.api import Problem, Result, fix_sources
from tffix.config import load_config
from tffix.semantic.module import LOCK_FILE

SKIPPED_DIRECTORIES = {".terraform", "node_modules"}


def display_path(path: Path) -> str:
    """Relative to the cwd when below it, else absolute; always with forward slashes."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def discover(paths: Iterable[str]) -> tuple[dict[Path, list[Path]], list[Problem]]:
    """Module directories and their `.tf` files.

    A file argument brings in its whole directory: rules read modules, not
    files.  Directories are walked recursively; `.terraform/` and hidden
    directories are skipped.
    """
    modules: dict[Path, list[Path]] = {}
    problems = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            directory = path.parent
            modules.setdefault(directory, sorted(directory.glob("*.tf")))
            if path not in modules[directory]:
                modules[directory].append(path)
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
                tf = sorted(Path(root) / f for f in files if f.endswith(".tf"))
                if tf:
                    modules.setdefault(Path(root), tf)
        else:
            problems.append(Problem(raw, 1, 1, "no such file or directory"))
    return modules, problems


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


def read_text(path: Path) -> str:
    """UTF-8, newlines untranslated (CRLF stays CRLF), a BOM kept as U+FEFF."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def analyse_paths(
    paths: Sequence[str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str | None = None,
    unsafe: bool = False,
) -> list[Result]:
    """One `Result` per module directory found under ``paths``."""
    modules, problems = discover(paths)
    results = [Result(sources={}, problems=problems)] if problems else []
    for directory, files in modules.items():
        results.append(analyse_module(directory, files=files, select=select, ignore=ignore,
                                      target=target, unsafe=unsafe))
    return results


def analyse_module(
    directory: Path,
    *,
    files: Sequence[Path] | None = None,
    extra: Path | None = None,
    overrides: dict[Path, str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str | None = None,
    unsafe: bool = False,
) -> Result:
    """Analyse one directory's `.tf` files; ``overrides`` replace what is on disk (stdin, editors)."""
    files = list(files if files is not None else sorted(directory.glob("*.tf")))
    if extra is not None and all(f.absolute() != extra.absolute() for f in files):
        files.append(extra)
    replaced = {path.absolute(): text for path, text in (overrides or {}).items()}
    texts = {}
    unreadable = []
    for file in files:
        name = display_path(file)
        if file.absolute() in replaced:
            texts[name] = replaced[file.absolute()]
            continue
        try:
            texts[name] = read_text(file)
        except (OSError, UnicodeDecodeError) as error:
            unreadable.append(Problem(name, 1, 1, f"cannot read: {error}"))
    config = load_config(directory)
    lock, context = read_lock_and_local_modules(directory, texts)
    result = fix_sources(
        {**texts, **lock},
        select=select if select is not None else config.select,
        ignore=[*ignore, *config.ignore],
        target=target or config.target or detect_target(directory),
        unsafe=unsafe,
        context=context,
    )
    result.problems[:0] = unreadable
    return result


_LOCAL_SOURCE = re.compile(r'source\s*=\s*"\.\.?/')


def read_lock_and_local_modules(directory: Path, texts: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """What the engine reads beside a module's files, never to edit: its ``.terraform.lock.hcl``, and
    the ``.tf``/``.tf.json`` files of the local modules it calls (``source = "./..."``), recursively.

    Paths are spelled from the module's own, as ``Module.child`` joins a ``source`` to its caller's
    directory.  Only files that mention a local source are parsed; what cannot be read or parsed is
    left out (its own directory's run reports it).
    """
    from tffix.syntax import ParseError, parse_module, query

    lock = {}
    with contextlib.suppress(OSError, UnicodeDecodeError):
        lock[display_path(directory / LOCK_FILE)] = read_text(directory / LOCK_FILE)
    context: dict[str, str] = {}
    home = posixpath.dirname(next(iter(texts), ""))
    seen = {posixpath.normpath(home)}
    pending = [(home, directory, texts)]
    while pending:
        spelled, real, module_texts = pending.pop()
        for text in module_texts.values():
            try:
                calls = list(query.blocks(parse_module(text), "module")) if _LOCAL_SOURCE.search(text) else []
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
                for file in sorted([*child_real.glob("*.tf"), *child_real.glob("*.tf.json")]):
                    with contextlib.suppress(OSError, UnicodeDecodeError):
                        child_texts[posixpath.normpath(posixpath.join(child, file.name))] = read_text(file)
                context.update(child_texts)
                pending.append((child, child_real, child_texts))
    return lock, context


def write_atomically(path: str, text: str) -> None:
    """Temp file in the same directory, then rename: never a half-written file."""
    target = Path(path)
    mode = target.stat().st_mode if target.exists() else None
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tffix")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


