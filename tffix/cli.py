"""The command line: ``tffix [OPTIONS] [PATH]...`` plus ``tffix lsp`` and ``tffix review``.

Exit codes follow ``ruff check``: dry run 0 nothing to change, 1 changes
proposed or findings remain, 2 error; with ``--apply`` 0 all fixed, 1 findings
without a fix remain, 2 error.  Errors go to stderr as ``path:line:col:
message``; one broken file never stops the others.
"""
from __future__ import annotations

import importlib
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


class _Size(click.ParamType):
    """A byte count: ``50000000``, ``50M``, ``512k`` (powers of 1000, as ``ls --si``)."""

    name = "size"
    _UNITS = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().lower().removesuffix("b")
        number, unit = (text[:-1], text[-1]) if text[-1:] in self._UNITS else (text, "")
        if not number.isdigit():
            self.fail(f"{value!r} is not a size such as 50000000, 50M or 512k", param, ctx)
        return int(number) * self._UNITS[unit]


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # the runner reports unreadable paths
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
@click.option("--max-file-size", type=_Size(), default="50M", show_default=True,
              help="Larger files are reported, not read.")
@click.option("--list-rules", is_flag=True, help="Print the table of rules and exit.")
def check(paths, apply_, select, ignore, format_name, target, stdin_filename, unsafe_fixes, verify, max_file_size,
          list_rules):
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
    options = dict(select=selected, ignore=ignored, target=target, unsafe=unsafe_fixes, max_file_size=max_file_size)
    try:
        if paths == ["-"]:
            code = _run_stdin(stdin_filename, apply_, format_name, options)
        else:
            if "-" in paths:
                _fail("'-' (stdin) cannot be combined with other paths")
            code = _run_paths(paths, apply_, format_name, options, verify)
    except (ConfigError, registry.UnknownRule) as error:
        _fail(str(error))
    sys.exit(code)


def _run_paths(paths, apply_, format_name, options, verify=False):
    from tffix.reporters import render
    from tffix.runner import analyse_tree, write_fixes

    analysis = analyse_tree(paths, **options)
    results = [module.result for module in analysis.modules]
    if verify:
        _verify(results)
    findings, sources, fixed, problems, _ = _gather(results)
    problems[:0] = analysis.problems
    _stale(analysis.stale, apply_)
    if not apply_:
        sys.stdout.write(render(format_name, findings, sources, fixed))
        files = len({module.real(name) for module in analysis.modules for name in module.result.fixed})
        return _finish(findings, problems, _dry_run_summary(findings, files))
    written = write_fixes(analysis.modules)
    problems.extend(written.problems)
    left = [finding for index, module in enumerate(analysis.modules)
            for finding in (module.result.findings if module.result.fixed and index not in written.modules
                            else module.result.remaining)]
    if format_name != "diff":
        on_disk = {name: text for name, text in fixed.items() if name in written.names}
        sys.stdout.write(render(format_name, left, _current_sources(sources, on_disk)))
    return _finish(left, problems, _apply_summary(analysis.modules, written))


def _stale(paths, apply_):
    """Report temporary files an interrupted run left behind; --apply removes them."""
    from tffix.disk import remove
    from tffix.paths import display_path, quote_path

    for path in paths:
        if not apply_:
            what = "temporary file left by an interrupted tffix run; --apply removes it"
        elif (error := remove(path)) is None:
            what = "removed a temporary file left by an interrupted tffix run"
        else:
            what = f"temporary file left by an interrupted tffix run; cannot remove it: {error}"
        click.echo(f"{quote_path(display_path(path))}: warning: {what}", err=True)


def _run_stdin(stdin_filename, apply_, format_name, options):
    """Read one file from stdin; its directory's other `.tf` files on disk complete the module.

    Only that file is diffed, printed and counted; nothing is written to disk.
    """
    import shutil

    from tffix.api import Problem
    from tffix.disk import FileError, decode, too_large
    from tffix.paths import display_path
    from tffix.reporters import render
    from tffix.runner import analyse_stdin

    if not stdin_filename:
        _fail("reading from stdin ('-') needs --stdin-filename")
    path = Path(stdin_filename)
    name = display_path(path)
    limit = options["max_file_size"]
    data = sys.stdin.buffer.read(limit + 1)
    try:
        if len(data) > limit:
            raise too_large(f"more than {limit}", limit)
        text = decode(data)
    except FileError as error:
        if apply_:  # an editor piping its buffer through keeps it
            sys.stdout.buffer.write(data)
            shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        return _finish([], [Problem(name, error.line, error.column, str(error))], "no findings")
    result = analyse_stdin(path, text, **options)
    findings = [f for f in result.findings if f.path == name]
    remaining = [f for f in result.remaining if f.path == name]
    problems = [p for p in result.problems if p.path == name]  # a broken sibling is not this file's error
    fixed = {name: result.fixed[name]} if name in result.fixed else {}
    if apply_:
        sys.stdout.write(fixed.get(name, text))
        return _finish(remaining, problems, _stdin_summary(len(findings) - len(remaining), remaining))
    sys.stdout.write(render(format_name, findings, result.sources, fixed))
    return _finish(findings, problems, _dry_run_summary(findings, len(fixed)))


def _finish(left, problems, summary) -> int:
    """Errors and the summary on stderr; the exit code of SPEC §4 (ruff check's): 2 on any
    error, else 1 if findings are left (dry run: any finding; --apply: any not fixed)."""
    from tffix.paths import quote_path

    for problem in problems:
        click.echo(f"{quote_path(problem.path)}:{problem.line}:{problem.column}: {problem.message}", err=True)
    click.echo(summary, err=True)
    if problems:
        return 2
    return 1 if left else 0


def _verify(results):
    """Drop the fixes of a module if Terraform reports a diagnostic the input did not have."""
    from tffix.api import Problem
    from tffix.verify import VerifyUnavailable, added_diagnostics

    for result in results:
        if not result.fixed:
            continue
        before = {path: source.text for path, source in result.sources.items()}
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


def _dry_run_summary(findings, files: int) -> str:
    if not findings:
        return "no findings"
    fixable = sum(1 for f in findings if f.fix is not None)
    return f"{_plural(len(findings), 'finding')}, {fixable} fixable ({_plural(files, 'file')} would change)"


def _apply_summary(modules, written) -> str:
    """What is on disk now: fixes of modules written completely, in the real files written."""
    fixes = not_written = left = 0
    for index, module in enumerate(modules):
        result = module.result
        count = len(result.findings) - len(result.remaining)
        if index in written.modules:
            fixes += count
        elif result.fixed:
            not_written += count
        left += len(result.remaining)
    message = f"{_plural(fixes, 'fix', 'fixes')} in {_plural(len(written.files), 'file')}"
    if not_written:
        message += f"; {_plural(not_written, 'fix', 'fixes')} not written"
    if left:
        message += f"; {_plural(left, 'finding')} left without a fix"
    return message


def _stdin_summary(fixes: int, remaining) -> str:
    message = f"{_plural(fixes, 'fix', 'fixes')} (written to stdout)"
    if remaining:
        message += f"; {_plural(len(remaining), 'finding')} left without a fix"
    return message


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
