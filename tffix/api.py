"""The pure core: texts in, findings and fixed texts out.

Every front end (CLI, language server, review bot, tests) calls `fix_sources`;
only `tffix.runner` touches the disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tffix.engine import run_module
from tffix.results import Problem, Result
from tffix.syntax.source import SourceFile

__all__ = ["Problem", "Result", "fix_sources"]


def fix_sources(
    files: Mapping[str, str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    target: str = "terraform",
    unsafe: bool = False,
    context: Mapping[str, str] | None = None,
    extend_safe: Iterable[str] = (),
    extend_unsafe: Iterable[str] = (),
    report_unused_suppressions: bool = False,
) -> Result:
    """Analyse one module (its files' paths and texts) and fix what can be fixed.

    A ``.terraform.lock.hcl`` among ``files`` is read, never edited; ``context`` holds
    the files of the local modules it calls (read only), by path.  ``extend_safe`` /
    ``extend_unsafe`` are the config's ``extend-safe-fixes`` / ``extend-unsafe-fixes``.
    """
    try:
        return run_module(
            files,
            select=select,
            ignore=ignore,
            target=target,
            unsafe=unsafe,
            context=context,
            extend_safe=extend_safe,
            extend_unsafe=extend_unsafe,
            report_unused_suppressions=report_unused_suppressions,
        )
    except Exception as error:
        result = Result(sources={path: SourceFile(path, text) for path, text in files.items()})
        path = next(iter(files), ".")
        result.problems.append(
            Problem(
                path,
                1,
                1,
                f"internal error: {type(error).__name__}: {error}; nothing in this module was changed",
                internal=True,
            )
        )
        return result
