"""The command line: ``tffix [OPTIONS] [PATH]...`` plus ``tffix lsp`` and ``tffix review``.

Exit codes follow ``ruff check``: dry run 0 nothing to change, 1 changes
proposed or findings remain, 2 error; with ``--apply`` 0 all fixed, 1 findings
without a fix remain, 2 error.  Errors go to stderr as ``path:line:col:
message``; one broken file never stops the others.
"""
from __future__ import annotations

import importlib
import posixpath
import sys
from pathlib import Path

import click

from tffix import __version__

_LAZY_COMMANDS = {"lsp": "tffix.lsp", "review": "tffix.review"}


class _Group(click.Group):
    """Runs ``check`` when the first argument is not a subcommand (``tffix path/``)."""

    def list_commands(self, ctx):
        return ["check", *_LAZY_COMMANDS]

    def get_command(self, ctx, name):
        if name in _LAZY_COMMANDS:
            return importlib.import_module(_LAZY_COMMANDS[name]).command
        return super().get_command(ctx, name)

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.list_commands(ctx) and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tffix")
def main():
    """Fix Terraform configurations that look right and still fail.

    By default, `tffix PATH...` prints the fixes as diffs; `--apply` writes them.
    """


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part for part in value.split(",") if part.strip()]


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--apply", "apply_", is_flag=True, help="Write fixes in place (default: dry run).")
@click.option("--select", help="Comma-separated rule codes or names to run.")
@click.option("--ignore", help="Comma-separated rule codes or names to skip.")
@click.option("--format", "format_name", default="diff", show_default=True,
              type=click.Choice(["diff", "text", "json", "sarif", "rdjsonl", "github"]))
@click.option("--target", type=click.Choice(["terraform", "opentofu"]),
              help="Which tool the configuration is for (default: detected).")
@click.option("--stdin-filename", help="With PATH '-': the name of the file read from stdin.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option("--verify", is_flag=True,
              help="Load each fixed module with Terraform (tffix[verify]); refuse fixes that add a diagnostic.")
@click.option("--list-rules", is_flag=True, help="Print the table of rules and exit.")
def check(paths, apply_, select, ignore, format_name, target, stdin_filename, unsafe_fixes, verify, list_rules):
    """Find and fix known failure patterns in Terraform modules."""
    from tffix import registry
    from tffix.config import ConfigError

    if list_rules:
        _print_rules()
        return
    try:
        selected, ignored = _codes(select), _codes(ignore) or []
        registry.select(selected, ignored)
    except registry.UnknownRule as error:
        _fail(str(error))
    paths = list(paths) or ["."]
    try:
        if paths == ["-"]:
            code = _run_stdin(stdin_filename, apply_, selected, ignored, format_name, target, unsafe_fixes)
        else:
            if "-" in paths:
                _fail("'-' (stdin) cannot be combined with other paths")
            code = _run_paths(paths, apply_, selected, ignored, format_name, target, unsafe_fixes, verify)
    except (ConfigError, registry.UnknownRule) as error:
        _fail(str(error))
    sys.exit(code)


def _run_paths(paths, apply_, select, ignore, format_name, target, unsafe, verify=False):
    from tffix.api import Problem
    from tffix.reporters import render
    from tffix.runner import analyse_paths, write_atomically

    results = analyse_paths(paths, select=select, ignore=ignore, target=target, unsafe=unsafe)
    if verify:
        _verify(results)
    findings, sources, fixed, problems, remaining = _gather(results)
    if apply_:
        for path, text in fixed.items():
            try:
                write_atomically(path, text)
            except OSError as error:
                problems.append(Problem(path, 1, 1, f"cannot write: {error}"))
        output = render(format_name, remaining, _current_sources(sources, fixed)) if format_name != "diff" else ""
    else:
        output = render(format_name, findings, sources, fixed)
    sys.stdout.write(output)
    return _finish(findings, fixed, remaining, problems, apply_)


def _run_stdin(stdin_filename, apply_, select, ignore, format_name, target, unsafe):
    """Read one file from stdin; its directory's other `.tf` files on disk complete the module."""
    from tffix.reporters import render
    from tffix.runner import analyse_module

    if not stdin_filename:
        _fail("reading from stdin ('-') needs --stdin-filename")
    text = sys.stdin.buffer.read().decode("utf-8")
    path = Path(stdin_filename)
    result = analyse_module(path.parent, extra=path, overrides={path: text}, select=select,
                            ignore=ignore, target=target, unsafe=unsafe)
    name = next(iter(result.sources)) if len(result.sources) == 1 else None
    name = next((p for p in result.sources if Path(p).absolute() == path.absolute()), name)
    findings, sources, fixed, problems, remaining = _gather([result])
    problems = [p for p in problems if p.path == name]  # a broken sibling is not this file's error
    if apply_:
        sys.stdout.write(fixed.get(name, text))
    else:
        sys.stdout.write(render(format_name, findings, sources, fixed))
    return _finish(findings, fixed, remaining, problems, apply_)


def _finish(findings, fixed, remaining, problems, applied) -> int:
    """Errors and the summary on stderr; the exit code of SPEC §4 (ruff check's)."""
    for problem in problems:
        click.echo(str(problem), err=True)
    _summary(findings, fixed, remaining, applied)
    if problems:
        return 2
    if applied:
        return 1 if remaining else 0
    return 1 if findings else 0


def _verify(results):
    """Drop the fixes of a module if Terraform reports a diagnostic the input did not have."""
    from tffix.api import Problem
    from tffix.verify import VerifyUnavailable, added_diagnostics

    for result in results:
        if not result.fixed:
            continue
        home = posixpath.dirname(next(iter(result.fixed)))   # not the local modules read beside it
        before = {path: source.text for path, source in result.sources.items() if posixpath.dirname(path) == home}
        after = {**before, **result.fixed}
        try:
            added = added_diagnostics(before, after)
        except VerifyUnavailable as error:
            _fail(str(error))
        if added:
            path = next(iter(result.fixed))
            result.problems.extend(
                Problem(path, 1, 1, f"internal error: the fixes would add a Terraform diagnostic ({line});"
                        " module left unchanged", internal=True) for line in added)
            result.fixed = {}
            result.remaining = result.findings


def _gather(results):
    findings, sources, fixed, problems, remaining = [], {}, {}, [], []
    for result in results:
        findings.extend(result.findings)
        sources.update(result.sources)
        fixed.update(result.fixed)
        problems.extend(result.problems)
        remaining.extend(result.remaining)
    return findings, sources, fixed, problems, remaining


def _current_sources(sources, fixed):
    from tffix.syntax.source import SourceFile

    return {path: SourceFile(path, fixed[path]) if path in fixed else source
            for path, source in sources.items()}


def _summary(findings, fixed, remaining, applied):
    fixable = [f for f in findings if f.fix is not None]
    files = len(fixed)
    if applied:
        fixed_count = len(findings) - len(remaining)
        message = f"{_plural(fixed_count, 'fix', 'fixes')} in {_plural(files, 'file')}"
        if remaining:
            message += f"; {_plural(len(remaining), 'finding')} left without a fix"
    elif findings:
        message = (f"{_plural(len(findings), 'finding')}, {len(fixable)} fixable"
                   f" ({_plural(files, 'file')} would change)")
    else:
        message = "no findings"
    click.echo(message, err=True)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _print_rules():
    from tffix import registry

    width = max(len(rule.name) for rule in registry.RULES)
    for rule in registry.RULES:
        click.echo(f"{rule.code}  {rule.name.ljust(width)}  {'safe  ' if rule.safe else 'unsafe'}  {rule.summary}")


def _fail(message: str):
    click.echo(f"tffix: error: {message}", err=True)
    sys.exit(2)
