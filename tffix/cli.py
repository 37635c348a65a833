"""The command line: ``tffix [OPTIONS] [PATH]...`` plus ``tffix rule``, ``tffix lsp`` and ``tffix review``.

The output contract follows ``ruff check``.  stdout of the default dry run is a pure
unified diff (it pipes into ``git apply``); every finding that diff does not carry (no
fix, an unsafe fix held back, a fix withdrawn) is listed on stderr as ``path:line:col:
CODE message``, and after ``--apply`` the findings that remain are listed the same way.
The summary ends stderr: ``Found 13 findings (5 fixed, 8 remaining).``, ``[*] N fixable
with --apply``, ``N hidden fixes can be enabled with --unsafe-fixes``; its counts are the
``[*]`` marks of ``--format text``.  Colour on a terminal only (``NO_COLOR``/``FORCE_COLOR``
decide first); a progress bar (extra ``tffix[progress]``) only on a terminal, only for
human formats, only once a run has taken a second.

Exit codes are ruff's: dry run 0 nothing to change, 1 changes proposed or findings
remain, 2 error; with ``--apply`` 0 all fixed, 1 findings remain, 2 error
(``--exit-zero``: 0 unless an error).  Errors go to stderr as ``path:line:col:
message``; one broken file never stops the others.
"""

from __future__ import annotations

import importlib
import os
import posixpath
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import click

from tffix import __version__

_LAZY_COMMANDS = {"lsp": "tffix.lsp", "review": "tffix.review"}
HUMAN_FORMATS = ("diff", "text")


class _Group(click.Group):
    """Runs ``check`` when the first argument is not a subcommand (``tffix path/``); its help is
    check's options followed by the subcommands."""

    def list_commands(self, ctx):
        return ["check", "rule", *_LAZY_COMMANDS]

    def get_command(self, ctx, name):
        if name in _LAZY_COMMANDS:
            return importlib.import_module(_LAZY_COMMANDS[name]).command
        return super().get_command(ctx, name)

    def parse_args(self, ctx, args):
        if not args or (
            args[0] not in self.list_commands(ctx) and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx, formatter):
        check_command = self.get_command(ctx, "check")
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATH]...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="       ")
        self.format_help_text(ctx, formatter)
        with click.Context(check_command, info_name=ctx.command_path, parent=None) as check_ctx:
            check_command.format_options(check_ctx, formatter)
        self.format_commands(ctx, formatter)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tffix")
def main():
    """Fix Terraform configurations that look right and still fail.

    `tffix PATH...` prints the fixes as a unified diff on stdout and lists every other
    finding on stderr; `--apply` writes the fixes. PATH defaults to ".".
    """


def _codes(value: str | None, option: str) -> list[str] | None:
    if value is None:
        return None
    codes = [part.strip() for part in value.split(",") if part.strip()]
    if not codes:
        _fail(f"{option} needs rule codes or names (e.g. {option} TFX002), not {value!r}")
    return codes


def _globs(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


class _Size(click.ParamType):
    """A byte count: ``50000000``, ``50M``, ``512k`` (powers of 1000, as ``ls --si``)."""

    name = "size"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3}

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
@click.option(
    "--apply", "--fix", "apply_", is_flag=True, help="Write fixes in place (default: print them as a diff)."
)
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=None,
    help="Also apply fixes marked unsafe (config: unsafe-fixes = true).",
)
@click.option("--show-fixes", is_flag=True, help="List the findings the fixes fix (or would fix), per file.")
@click.option(
    "--select", metavar="CODES", help="Comma-separated rule codes or names to run (replaces the config's)."
)
@click.option("--ignore", metavar="CODES", help="Comma-separated rule codes or names to skip.")
@click.option(
    "--format",
    "format_name",
    default="diff",
    show_default=True,
    type=click.Choice(["diff", "text", "json", "sarif", "rdjsonl", "github"]),
    help="diff: fixes on stdout, other findings on stderr; text: one line per finding;"
    " rdjsonl for reviewdog, sarif for code scanning, github for annotations.",
)
@click.option(
    "--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 on errors still).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings and errors, nothing else.")
@click.option(
    "--target",
    type=click.Choice(["terraform", "opentofu"]),
    help="Which tool the configuration is for (default: config, else detected).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Use this .tffix.toml or pyproject.toml for every module, instead of the nearest one.",
)
@click.option(
    "--exclude", metavar="GLOBS", help="Comma-separated globs to skip, replacing the default (node_modules)."
)
@click.option("--extend-exclude", metavar="GLOBS", help="Comma-separated globs to skip as well.")
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip files git ignores (default: yes, config: respect-gitignore).",
)
@click.option(
    "--force-exclude", is_flag=True, help="Apply the excludes to paths named on the command line too."
)
@click.option(
    "--report-unused-suppressions",
    is_flag=True,
    help="Report tffix:ignore comments that silence nothing (TFX100).",
)
@click.option("--stdin-filename", metavar="NAME", help="With PATH '-': the name of the file read from stdin.")
@click.option(
    "--verify",
    is_flag=True,
    help="Load each fixed module with Terraform (tffix[verify]); refuse fixes that add a diagnostic.",
)
@click.option(
    "--max-file-size",
    type=_Size(),
    default="50M",
    show_default=True,
    help="Larger files are reported, not read.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Modules analysed at once, each in its own process (default: one per usable core).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where the results cache lives (default: .tffix_cache; env TFFIX_CACHE_DIR).",
)
@click.option(
    "--list-rules", is_flag=True, help="Print the table of rules (--format json: as JSON) and exit."
)
@click.version_option(__version__, prog_name="tffix")
def check(
    paths,
    apply_,
    unsafe_fixes,
    show_fixes,
    select,
    ignore,
    format_name,
    statistics,
    exit_zero,
    quiet,
    target,
    config_path,
    exclude,
    extend_exclude,
    respect_gitignore,
    force_exclude,
    report_unused_suppressions,
    stdin_filename,
    verify,
    max_file_size,
    jobs,
    no_cache,
    cache_dir,
    list_rules,
):
    """Find and fix known failure patterns in Terraform modules."""
    from tffix import cache, registry
    from tffix.config import ConfigError, load_config_file
    from tffix.runner import Options

    if list_rules:
        _print_rules(format_name)
        return
    selected, ignored = _codes(select, "--select"), _codes(ignore, "--ignore") or []
    try:
        registry.select(selected, ignored)
        config = load_config_file(Path(config_path)) if config_path else None
    except (ConfigError, registry.UnknownRule) as error:
        _fail(str(error))
    options = Options.of(
        select=selected,
        ignore=ignored,
        target=target,
        unsafe=unsafe_fixes,
        max_file_size=max_file_size,
        report_unused_suppressions=report_unused_suppressions,
        exclude=_globs(exclude),
        extend_exclude=_globs(extend_exclude),
        respect_gitignore=respect_gitignore,
        force_exclude=force_exclude,
        config=config,
        jobs=jobs,
        cache_dir=cache.directory_from(cache_dir, enabled=not no_cache),
        apply=apply_,
    )
    out = Output(format_name, quiet=quiet, statistics=statistics, show_fixes=show_fixes, exit_zero=exit_zero)
    paths = list(paths) or ["."]
    try:
        if paths == ["-"]:
            code = _run_stdin(stdin_filename, apply_, out, options)
        else:
            if "-" in paths:
                _fail("'-' (stdin) cannot be combined with other paths")
            code = _run_paths(paths, apply_, out, options, verify)
    except (ConfigError, registry.UnknownRule) as error:
        out.close()
        _fail(str(error))
    sys.exit(code)


@main.command("rule")
@click.argument("selector", required=False)
@click.option("--all", "all_", is_flag=True, help="Every rule's documentation.")
@click.option(
    "--format", "format_name", default="text", show_default=True, type=click.Choice(["text", "json"])
)
def rule_command(selector, all_, format_name):
    """Explain a rule (by code or name): what it detects, why it fails, the fix and its safety."""
    import json

    from tffix import registry, ruledocs

    if all_ == bool(selector):
        _fail("give one rule code or name (tffix rule TFX002), or --all")
    if all_:
        rules = list(registry.RULES)
    else:
        wanted = selector.strip()
        rules = [
            rule for rule in registry.RULES if wanted.upper() == rule.code or wanted.lower() == rule.name
        ]
        if not rules:
            _fail(f"unknown rule: {selector!r} (tffix --list-rules lists them)")
    if format_name == "json":
        click.echo(
            json.dumps(
                [dict(_rule_row(rule), explanation=ruledocs.render(rule)) for rule in rules],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    click.echo("\n".join(ruledocs.render(rule) for rule in rules), nl=False)


# --- running ----------------------------------------------------------------------------------


def _run_paths(paths, apply_, out: Output, options, verify=False) -> int:
    from tffix.runner import analyse_tree, write_fixes

    analysis = analyse_tree(paths, options, progress=out.progress())
    out.close()
    results = [module.result for module in analysis.modules]
    if verify:
        _verify(results)
    _stale(analysis.stale, apply_)
    out.notes(analysis.notes)
    problems = list(analysis.problems)
    for result in results:
        problems.extend(result.problems)
        problems.extend(result.warnings)  # warnings are not errors: they do not change the exit code
    errors = [*analysis.problems, *(p for result in results for p in result.problems)]
    if not analysis.modules:
        if not analysis.problems and not analysis.notes:
            out.warn("No Terraform files found under the given path(s)")
        out.problems(problems)
        return out.exit_code(errors, [])
    applicable = Applicable()
    sources = {}
    for module in analysis.modules:
        sources.update(module.result.sources)
    if not apply_:
        findings = []
        fixed = {}
        for module in analysis.modules:
            applicable.add(module, module.result.findings)
            findings.extend(module.result.findings)
            fixed.update(module.result.fixed)
        out.problems(problems)
        out.findings(findings, sources, fixed, applicable)
        if out.show_fixes:
            out.fixes([f for f in findings if applicable(f)], sources, "Would fix")
        out.summary(dry_run_summary(findings, applicable, errors))
        return out.exit_code(errors, findings)

    written = write_fixes(analysis.modules)
    errors.extend(written.problems)
    problems.extend(written.problems)
    left, fixes, not_written = [], [], 0
    current = dict(sources)
    for index, module in enumerate(analysis.modules):
        result = module.result
        applicable.add(module, result.findings)
        done = [f for f in result.findings if applicable(f)]
        if result.fixed and index in written.modules:
            fixes.extend(done)
            applicable.add(module, result.remaining)
            left.extend(result.remaining)
            current.update(_current_sources(result.sources, result.fixed))
        else:
            not_written += len(done) if result.fixed else 0
            left.extend(result.findings)
    out.problems(problems)
    out.findings(left, current, {}, applicable, applied=True)
    if out.show_fixes:
        out.fixes(fixes, sources, "Fixed")
    out.summary(apply_summary(len(fixes), left, applicable, not_written, errors))
    return out.exit_code(errors, left)


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


def _run_stdin(stdin_filename, apply_, out: Output, options) -> int:
    """Read one file from stdin; its directory's other module files on disk complete the module.

    Only that file is diffed, printed and counted; nothing is written to disk.
    """
    import shutil

    from tffix.api import Problem
    from tffix.disk import FileError, decode, too_large
    from tffix.paths import display_path
    from tffix.runner import _target, analyse_stdin, skipped_because

    if not stdin_filename:
        _fail("reading from stdin ('-') needs --stdin-filename")
    path = Path(stdin_filename)
    name = display_path(path)
    target = _target(path.parent, options, options.settings(path.parent))
    if (why := skipped_because(path.name, target)) is not None:
        if apply_:  # an editor piping its buffer through keeps it
            shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        out.notes([Problem(name, 1, 1, f"note: {why}")])
        return 0
    limit = options.max_file_size
    data = sys.stdin.buffer.read(limit + 1)
    try:
        if len(data) > limit:
            raise too_large(f"more than {limit}", limit)
        text = decode(data)
    except FileError as error:
        if apply_:  # an editor piping its buffer through keeps it
            sys.stdout.buffer.write(data)
            shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        problem = Problem(name, error.line, error.column, str(error))
        out.problems([problem])
        return out.exit_code([problem], [])
    module = analyse_stdin(path, text, options)
    result = module.result
    errors = [p for p in result.problems if p.path == name]  # a broken sibling is not this file's error
    problems = errors + [w for w in result.warnings if w.path == name]
    findings = [f for f in result.findings if f.path == name]
    fixed = {name: result.fixed[name]} if name in result.fixed else {}
    applicable = Applicable()
    applicable.add(module, findings)
    if not apply_:
        out.problems(problems)
        out.findings(findings, result.sources, fixed, applicable)
        if out.show_fixes:
            out.fixes([f for f in findings if applicable(f)], result.sources, "Would fix")
        out.summary(dry_run_summary(findings, applicable, errors))
        return out.exit_code(errors, findings)
    sys.stdout.write(fixed.get(name, text))
    sys.stdout.flush()
    done = [f for f in findings if applicable(f)] if fixed else []
    remaining = [f for f in result.remaining if f.path == name] if fixed else findings
    applicable.add(module, remaining)
    out.problems(problems)
    out.findings(remaining, _current_sources(result.sources, fixed), {}, applicable, applied=True, stdin=True)
    if out.show_fixes:
        out.fixes(done, result.sources, "Fixed")
    out.summary(apply_summary(len(done), remaining, applicable, 0, errors))
    return out.exit_code(errors, remaining)


def _verify(results):
    """Drop the fixes of a module if Terraform reports a diagnostic the input did not have."""
    from tffix.api import Problem
    from tffix.verify import VerifyUnavailable, added_diagnostics

    for result in results:
        if not result.fixed:
            continue
        home = posixpath.dirname(next(iter(result.fixed)))  # not the local modules read beside it
        before = {
            path: source.text for path, source in result.sources.items() if posixpath.dirname(path) == home
        }
        after = {**before, **result.fixed}
        try:
            added = added_diagnostics(before, after)
        except VerifyUnavailable as error:
            _fail(str(error))
        if added:
            path = next(iter(result.fixed))
            result.problems.extend(
                Problem(
                    path,
                    1,
                    1,
                    f"internal error: the fixes would add a Terraform diagnostic ({line});"
                    " module left unchanged",
                    internal=True,
                )
                for line in added
            )
            result.fixed = {}
            result.remaining = result.findings


def _current_sources(sources, fixed):
    from tffix.syntax.source import SourceFile

    return {
        path: SourceFile(path, fixed[path]) if path in fixed else source for path, source in sources.items()
    }


# --- what is shown ----------------------------------------------------------------------------


class Applicable:
    """Whether this run applies a finding's fix: the fix is safe, or unsafe fixes are on for its
    module (``--unsafe-fixes``, ``unsafe-fixes = true``), and its module's fixes went through
    (a module whose fixes did not converge, or that ``--verify`` refused, applies none)."""

    def __init__(self):
        self._unsafe_ok: set[int] = set()
        self._live: set[int] = set()

    def add(self, module, findings) -> None:
        for finding in findings:
            if module.unsafe:
                self._unsafe_ok.add(id(finding))
            if module.result.fixed:
                self._live.add(id(finding))

    def __call__(self, finding) -> bool:
        return (
            finding.fix is not None
            and id(finding) in self._live
            and (finding.safe or id(finding) in self._unsafe_ok)
        )

    def hidden(self, finding) -> bool:
        """An unsafe fix that ``--unsafe-fixes`` would apply."""
        return finding.fix is not None and not finding.safe and id(finding) not in self._unsafe_ok


def use_colour(stream, env=None) -> bool:
    """Colour for ``stream``: never with ``NO_COLOR``, always with ``FORCE_COLOR``, else on a terminal."""
    env = os.environ if env is None else env
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR") and env["FORCE_COLOR"].lower() not in ("0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def wants_progress(stream, format_name: str, quiet: bool = False, env=None) -> bool:
    """A progress bar only for a person: human formats, not quiet, stderr a real terminal."""
    env = os.environ if env is None else env
    if format_name not in HUMAN_FORMATS or quiet or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:
        return False


class Progress:
    """A rich progress bar on stderr, shown once the run has taken ``delay`` seconds; nothing
    if rich (``tffix[progress]``) is not installed."""

    def __init__(self, stream, clock=time.monotonic, delay: float = 1.0):
        self.stream, self.clock, self.delay = stream, clock, delay
        self.started = clock()
        # rich's Progress and its task once shown (rich is optional: Any); None: not yet; False: never
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < self.delay:
                return
            self.bar = self._start(total)
        if self.bar:
            self.bar.update(self.task, completed=done, total=total)

    def _start(self, total: int):
        try:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar
        except ImportError:
            return False
        bar = Bar(
            TextColumn("tffix"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("modules"),
            TimeElapsedColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        bar.start()
        self.task = bar.add_task("modules", total=total)
        return bar

    def close(self) -> None:
        if self.bar:
            self.bar.stop()
        self.bar = False


class Output:
    """Where each part of a run's report goes, coloured or not."""

    STYLES: ClassVar[dict[str, dict]] = {
        "path": {"bold": True},
        "code": {"fg": "red", "bold": True},
        "mark": {"fg": "cyan"},
        "summary": {"bold": True},
        "warning": {"fg": "yellow", "bold": True},
        "error": {"fg": "red", "bold": True},
    }

    def __init__(
        self,
        format_name: str,
        *,
        quiet=False,
        statistics=False,
        show_fixes=False,
        exit_zero=False,
        stdout=None,
        stderr=None,
        env=None,
    ):
        self.format = format_name
        self.quiet, self.statistics, self.show_fixes, self.exit_zero = (
            quiet,
            statistics,
            show_fixes,
            exit_zero,
        )
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.colour_out = use_colour(self.stdout, env) and format_name in HUMAN_FORMATS
        self.colour_err = use_colour(self.stderr, env)
        self.bar: Progress | None = None
        self.env = env

    # progress

    def progress(self):
        if not wants_progress(self.stderr, self.format, self.quiet, self.env):
            return None
        self.bar = Progress(self.stderr)
        return self.bar

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    # parts

    def style(self, colour: bool):
        if not colour:
            return None
        return lambda kind, text: click.style(text, **self.STYLES[kind])

    def findings(self, findings, sources, fixed, applicable, *, applied=False, stdin=False) -> None:
        """stdout in the chosen format; with ``diff``, the findings the diff does not carry on stderr."""
        from tffix.reporters import render, text

        findings = sorted(findings, key=lambda f: (f.path, f.span.start, f.code))
        if self.statistics:
            self._out(statistics(findings, applicable))
            return
        if stdin and applied:  # stdout holds the fixed text
            self._err(text.render(findings, sources, applicable, self.style(self.colour_err)))
        elif self.format == "diff":
            if not applied:
                self._out(_colour_diff(render("diff", findings, sources, fixed), self.colour_out))
            listed = findings if applied else [f for f in findings if not applicable(f)]
            self._err(text.render(listed, sources, applicable, self.style(self.colour_err)))
        elif self.format == "text":
            self._out(text.render(findings, sources, applicable, self.style(self.colour_out)))
        else:
            self._out(render(self.format, findings, sources, fixed, applicable))

    def problems(self, problems) -> None:
        from tffix.paths import quote_path

        for problem in problems:
            where = f"{quote_path(problem.path)}:{problem.line}:{problem.column}:"
            if self.colour_err:
                where = click.style(where, bold=True)
            self._err(f"{where} {problem.message}\n")

    def notes(self, notes) -> None:
        if self.quiet:
            return
        from tffix.paths import quote_path

        for note in notes:
            self._err(f"{quote_path(note.path)}: {note.message}\n")

    def warn(self, message: str) -> None:
        if not self.quiet:
            label = click.style("warning:", **self.STYLES["warning"]) if self.colour_err else "warning:"
            self._err(f"{label} {message}\n")

    def fixes(self, findings, sources, verb: str) -> None:
        """ruff's ``--show-fixes``: per file, how many findings of each rule were (or would be) fixed."""
        if self.quiet or not findings:
            return
        from tffix.paths import quote_path

        lines = [f"{verb} {_plural(len(findings), 'finding')}:\n"]
        by_path: dict[str, Counter] = {}
        names = {}
        for finding in findings:
            by_path.setdefault(finding.path, Counter())[finding.code] += 1
            names[finding.code] = finding.name
        for path in sorted(by_path):
            lines.append(f"- {quote_path(path)}:\n")
            for code, count in sorted(by_path[path].items()):
                lines.append(f"    {count} × {code} ({names[code]})\n")
        self._err("".join(lines))

    def summary(self, lines: list[str]) -> None:
        if self.quiet or not lines:
            return
        first, *rest = lines
        if self.colour_err:
            first = click.style(first, **self.STYLES["summary"])
        self._err("".join(f"{line}\n" for line in (first, *rest)))

    def exit_code(self, errors, left) -> int:
        if errors:
            return 2
        return 0 if self.exit_zero else (1 if left else 0)

    def _out(self, text: str) -> None:
        if text:
            self.stdout.write(text)
            self.stdout.flush()

    def _err(self, text: str) -> None:
        if text:
            self.stderr.write(text)
            self.stderr.flush()


def _colour_diff(diff: str, colour: bool) -> str:
    if not colour or not diff:
        return diff
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip("\n")
        if line.startswith(("--- ", "+++ ")):
            body = click.style(body, bold=True)
        elif line.startswith("@@"):
            body = click.style(body, fg="cyan")
        elif line.startswith("+"):
            body = click.style(body, fg="green")
        elif line.startswith("-"):
            body = click.style(body, fg="red")
        out.append(body + line[len(line.rstrip("\n")) :])
    return "".join(out)


def statistics(findings, applicable) -> str:
    """ruff's ``--statistics``: count, code, ``[*]`` if any of them is fixable, the rule's name."""
    if not findings:
        return ""
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    fixable = {f.code for f in findings if applicable(f)}
    width = len(str(max(counts.values())))
    code_width = max(len(code) for code in counts)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = ("[*] " if code in fixable else "[ ] ") if fixable else ""
        lines.append(f"{count:>{width}}\t{code:<{code_width}}\t{mark}{names[code]}\n")
    return "".join(lines)


def _fixability(findings, applicable) -> list[str]:
    fixable = sum(1 for f in findings if applicable(f))
    hidden = sum(1 for f in findings if applicable.hidden(f))
    note = f"{_plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with --unsafe-fixes"
    if fixable:
        return [f"[*] {fixable} fixable with --apply" + (f" ({note})." if hidden else ".")]
    if hidden:
        return [f"No fixes available ({note})."]
    return []


def dry_run_summary(findings, applicable, errors) -> list[str]:
    if not findings:
        return [] if errors else ["All checks passed!"]
    return [f"Found {_plural(len(findings), 'finding')}.", *_fixability(findings, applicable)]


def apply_summary(fixed: int, left, applicable, not_written: int, errors) -> list[str]:
    total = fixed + len(left)
    if not total:
        return [] if errors else ["All checks passed!"]
    lines = [f"Found {_plural(total, 'finding')} ({fixed} fixed, {len(left)} remaining)."]
    if not_written:
        lines.append(f"{_plural(not_written, 'fix', 'fixes')} not written (see the errors above).")
    return lines + _fixability(left, applicable)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _rule_row(rule) -> dict:
    from tffix import registry

    fix = "none" if rule.code == registry.UNUSED_SUPPRESSION.code else ("safe" if rule.safe else "unsafe")
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "fix": fix,
        "related": list(rule.related),
    }


def _print_rules(format_name: str = "text"):
    import json

    from tffix import registry

    if format_name == "json":
        click.echo(json.dumps([_rule_row(rule) for rule in registry.RULES], indent=2, ensure_ascii=False))
        return
    if format_name not in HUMAN_FORMATS:
        _fail("--list-rules prints a table, or JSON with --format json")
    rows = [_rule_row(rule) for rule in registry.RULES]
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        click.echo(f"{row['code']}  {row['name'].ljust(width)}  {row['fix'].ljust(6)}  {row['summary']}")


def _fail(message: str):
    click.echo(f"tffix: error: {message}", err=True)
    sys.exit(2)
