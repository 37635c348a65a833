"""Fault scenarios for the disk side of the CLI (issue 8): never lose a user's edit, never hang.

Concurrent runs, files changed or deleted while a run analyses them, kill -9 and SIGTERM
during ``--apply``, symlinks, hard links, FIFOs and devices, permissions, owners and
extended attributes.  No test depends on timing: interleavings are forced through hooks
(a patched ``fix_sources`` runs in the middle of a run, a patched ``os.replace`` kills its
own process at a chosen write), and the few tests that race real processes assert what must
hold in every interleaving.  Permission tests drop to ``nobody`` with ``setpriv`` when run
as root, since root reads and writes everything.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from flow_log_case import RIGHT, WRONG

# Two rules fix this one file: TFX002 the `vpc` flow log, TFX004 the `subnet` one.
TWO_RULES = """resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = "{}"
}

resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.logs.arn
  traffic_type        = "ALL"
  vpc_id              = "vpc-0123456789abcdef0"
}

resource "aws_flow_log" "subnet" {
  log_destination      = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  subnet_id            = aws_subnet.main.id
}
"""
NOBODY = 65534
STALE = ".main.tf.abcd1234.tffix"


def tffix(*args, cwd, stdin=None, prefix=(), env=None, text=True):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "tffix", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=text,
        env=env,
        timeout=300,
    )


def in_process(*args, cwd, monkeypatch):
    """The CLI in this process, so a test can patch what it calls."""
    from tffix.cli import main

    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def during_analysis(monkeypatch, action):
    """Run ``action`` after every file of the module was read, before the fixes are written."""
    import tffix.runner

    real = tffix.runner.fix_sources

    def hooked(*args, **kwargs):
        action()
        return real(*args, **kwargs)

    monkeypatch.setattr(tffix.runner, "fix_sources", hooked)


def temporaries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tffix"))


def fixed_by_tfx002(text: str) -> bool:
    return "log_destination_arn" not in text


def fixed_by_tfx004(text: str) -> bool:
    return "depends_on = [aws_s3_bucket_policy.logs]" in text


@pytest.fixture
def module(tmp_path):
    (tmp_path / "main.tf").write_text(WRONG)
    return tmp_path


# --- lost updates -------------------------------------------------------------------------


def test_line_appended_during_the_run_is_kept(module, monkeypatch):
    appended = WRONG + 'output "added" {\n  value = 1\n}\n'
    during_analysis(monkeypatch, lambda: (module / "main.tf").write_text(appended))
    run = in_process("--apply", ".", cwd=module, monkeypatch=monkeypatch)
    assert run.exit_code == 2
    assert "main.tf:1:1: changed during the run; not written" in run.stderr
    assert (module / "main.tf").read_text() == appended
    assert "Found 1 finding (0 fixed, 1 remaining).\n1 fix not written" in run.stderr
    assert temporaries(module) == []


def test_same_content_rewritten_during_the_run_counts_as_a_change(module, monkeypatch):
    """An editor saving identical bytes still moves mtime: the write waits for the next run."""

    def touch():
        info = (module / "main.tf").stat()
        os.utime(module / "main.tf", ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))

    during_analysis(monkeypatch, touch)
    run = in_process("--apply", ".", cwd=module, monkeypatch=monkeypatch)
    assert run.exit_code == 2
    assert "main.tf:1:1: changed during the run; not written" in run.stderr
    assert (module / "main.tf").read_text() == WRONG


def test_file_deleted_during_the_run_is_not_recreated(module, monkeypatch):
    during_analysis(monkeypatch, lambda: (module / "main.tf").unlink())
    run = in_process("--apply", ".", cwd=module, monkeypatch=monkeypatch)
    assert run.exit_code == 2
    assert "main.tf:1:1: deleted during the run; not written" in run.stderr
    assert list(module.iterdir()) == []


def test_sibling_changed_during_the_run_holds_back_the_module(module, monkeypatch):
    """The fixes were computed from every file of the module: a changed sibling makes them stale."""
    (module / "vars.tf").write_text('variable "a" {}\n')
    during_analysis(monkeypatch, lambda: (module / "vars.tf").write_text('variable "b" {}\n'))
    run = in_process("--apply", ".", cwd=module, monkeypatch=monkeypatch)
    assert run.exit_code == 2
    assert "vars.tf:1:1: changed during the run; the fixes to main.tf were not written" in run.stderr
    assert (module / "main.tf").read_text() == WRONG


def test_second_run_finishing_first_makes_the_first_say_it_did_not_write(tmp_path, monkeypatch):
    """Run A reads, run B (another --select) reads, fixes and writes, then A comes to write."""
    (tmp_path / "main.tf").write_text(TWO_RULES)
    other = {}
    during_analysis(
        monkeypatch,
        lambda: other.setdefault("run", tffix("--apply", "--select", "TFX004", ".", cwd=tmp_path)),
    )
    first = in_process("--apply", "--select", "TFX002", ".", cwd=tmp_path, monkeypatch=monkeypatch)
    assert (other["run"].returncode, other["run"].stderr) == (0, "Found 1 finding (1 fixed, 0 remaining).\n")
    assert first.exit_code == 2
    assert "main.tf:1:1: changed during the run; not written" in first.stderr
    text = (tmp_path / "main.tf").read_text()
    assert fixed_by_tfx004(text) and not fixed_by_tfx002(text)
    monkeypatch.undo()
    again = tffix("--apply", "--select", "TFX002", ".", cwd=tmp_path)
    assert again.returncode == 0
    text = (tmp_path / "main.tf").read_text()
    assert fixed_by_tfx004(text) and fixed_by_tfx002(text)


@pytest.mark.parametrize("attempt", range(4))
def test_two_runs_at_once_each_keep_their_fix_or_say_so(tmp_path, attempt):
    """Whatever the interleaving: a run that exits 0 has its fix in the file, any other says why."""
    (tmp_path / "main.tf").write_text(TWO_RULES)
    command = [sys.executable, "-m", "tffix", "--apply", "--select"]
    runs = {
        code: subprocess.Popen(
            [*command, code, "."], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for code in ("TFX002", "TFX004")
    }
    outcomes = {code: (run.wait(timeout=300), run.stderr.read()) for code, run in runs.items()}
    text = (tmp_path / "main.tf").read_text()
    for code, has_fix in (("TFX002", fixed_by_tfx002), ("TFX004", fixed_by_tfx004)):
        returncode, stderr = outcomes[code]
        if returncode == 0:
            assert has_fix(text), (code, stderr)
        else:
            assert (returncode, "main.tf:1:1: changed during the run; not written") == (
                2,
                stderr.splitlines()[0],
            ), (code, stderr)
    assert any(returncode == 0 for returncode, _ in outcomes.values())
    assert temporaries(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks to see a waiting lock")
def test_runs_take_the_directory_lock_before_checking_and_renaming(module):
    """While another holder has the module's directory locked, a run waits; it then finds the change."""
    directory = os.open(module, os.O_RDONLY)
    fcntl.flock(directory, fcntl.LOCK_EX)
    try:
        run = subprocess.Popen(
            [sys.executable, "-m", "tffix", "--apply", "."],
            cwd=module,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while not any(
            line.split()[1:3] == ["->", "FLOCK"] and line.split()[5] == str(run.pid)
            for line in Path("/proc/locks").read_text().splitlines()
        ):
            assert run.poll() is None, run.stderr.read()
        (module / "main.tf").write_text(WRONG + "# edited while tffix waited\n")
    finally:
        fcntl.flock(directory, fcntl.LOCK_UN)
        os.close(directory)
    assert run.wait(timeout=300) == 2
    assert "main.tf:1:1: changed during the run; not written" in run.stderr.read()
    assert (module / "main.tf").read_text() == WRONG + "# edited while tffix waited\n"


# --- write failures and counts ------------------------------------------------------------


def test_failed_write_is_not_counted_and_leaves_no_temporary_file(module, monkeypatch):
    def no_space(source, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", no_space)
    run = in_process("--apply", ".", cwd=module, monkeypatch=monkeypatch)
    assert run.exit_code == 2
    assert "main.tf:1:1: cannot write: no space left on device" in run.stderr
    assert "Found 1 finding (0 fixed, 1 remaining).\n1 fix not written" in run.stderr
    assert (module / "main.tf").read_text() == WRONG
    assert temporaries(module) == []


def test_directory_reached_through_a_symlink_is_analysed_and_counted_once(module):
    (module / "sub").mkdir()
    (module / "sub" / "main.tf").write_text(WRONG)
    os.symlink("sub", module / "link")
    dry = tffix("sub", "link", cwd=module)
    assert dry.stdout.count("+++ ") == 1
    assert "Found 1 finding.\n[*] 1 fixable with --apply.\n" in dry.stderr
    run = tffix("--apply", "sub", "link", "sub/main.tf", str(module / "sub"), cwd=module)
    assert (run.returncode, run.stderr) == (0, "Found 1 finding (1 fixed, 0 remaining).\n")
    assert (module / "sub" / "main.tf").read_text() == RIGHT


# --- file identity ------------------------------------------------------------------------


def test_symlinked_file_is_fixed_through_its_target(tmp_path):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "flow.tf.src").write_text(WRONG)
    (tmp_path / "mod").mkdir()
    os.symlink("../common/flow.tf.src", tmp_path / "mod" / "main.tf")
    run = tffix("--apply", "mod", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "Found 1 finding (1 fixed, 0 remaining).\n")
    assert os.readlink(tmp_path / "mod" / "main.tf") == "../common/flow.tf.src"
    assert (tmp_path / "common" / "flow.tf.src").read_text() == RIGHT
    assert temporaries(tmp_path) == []


def test_file_reached_from_two_modules_is_written_once(tmp_path, monkeypatch):
    (tmp_path / "common").mkdir()
    target = tmp_path / "common" / "flow.tf.src"
    target.write_text(WRONG)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        os.symlink("../common/flow.tf.src", tmp_path / name / "main.tf")
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (renames.append(dst), real_replace(src, dst)))
    run = in_process("--apply", "a", "b", cwd=tmp_path, monkeypatch=monkeypatch)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == "Found 2 findings (2 fixed, 0 remaining).\n"
    assert [Path(p) for p in renames] == [target]
    assert target.read_text() == RIGHT


def test_file_reached_from_two_modules_with_different_fixes_is_not_written(tmp_path):
    """One provider file shared by two modules whose variables expand it differently: not written."""
    shared = (
        'provider "aws" {\n  alias    = "by_region"\n  for_each = var.regions\n  region   = each.key\n}\n'
    )
    (tmp_path / "providers.tf.src").write_text(shared)
    for name, region in (("a", "us-east-1"), ("b", "eu-west-1")):
        (tmp_path / name).mkdir()
        os.symlink("../providers.tf.src", tmp_path / name / "providers.tf")
        (tmp_path / name / "variables.tf").write_text(
            f'variable "regions" {{\n  type    = set(string)\n  default = ["{region}"]\n}}\n'
        )
    run = tffix("--apply", "a", "b", cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert lines[0] == (
        "b/providers.tf:1:1: the same file as a/providers.tf, which this run fixes"
        " differently; neither is written"
    )
    assert [line.split(": ")[0] for line in lines[1:3]] == ["a/providers.tf:3:3", "b/providers.tf:3:3"]
    assert lines[3:] == [
        "Found 2 findings (0 fixed, 2 remaining).",
        "2 fixes not written (see the errors above).",
        "[*] 2 fixable with --apply.",
    ]
    assert (tmp_path / "providers.tf.src").read_text() == shared


def test_hard_links_are_kept(module):
    (module / "backup").mkdir()
    os.link(module / "main.tf", module / "backup" / "main.tf.orig")
    run = tffix("--apply", ".", cwd=module)
    assert (run.returncode, run.stderr) == (0, "Found 1 finding (1 fixed, 0 remaining).\n")
    assert (module / "main.tf").stat().st_nlink == 2
    assert os.path.samefile(module / "main.tf", module / "backup" / "main.tf.orig")
    assert (module / "main.tf").read_text() == RIGHT
    assert temporaries(module) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_owner_group_and_mode_are_kept(module):
    path = module / "main.tf"
    os.chown(path, 1234, 5678)
    os.chmod(path, 0o4755)  # setuid, owned by someone else: must not become setuid root
    run = tffix("--apply", ".", cwd=module)
    assert run.returncode == 0, run.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o4755)
    assert path.read_text() == RIGHT


def test_extended_attributes_are_kept(module):
    path = module / "main.tf"
    try:
        os.setxattr(path, "user.tffix.test", b"kept")
    except OSError as error:
        pytest.skip(f"no user extended attributes here: {error}")
    assert tffix("--apply", ".", cwd=module).returncode == 0
    assert os.getxattr(path, "user.tffix.test") == b"kept"
    assert path.read_text() == RIGHT


def test_attributes_the_copy_cannot_carry_mean_an_in_place_rewrite(module, monkeypatch):
    path = module / "main.tf"
    try:
        os.setxattr(path, "user.tffix.test", b"kept")
    except OSError as error:
        pytest.skip(f"no user extended attributes here: {error}")
    inode = path.stat().st_ino

    def refused(*args):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "setxattr", refused)
    run = in_process("--apply", ".", cwd=module, monkeypatch=monkeypatch)
    assert (run.exit_code, run.stderr) == (0, "Found 1 finding (1 fixed, 0 remaining).\n")
    assert (path.stat().st_ino, os.getxattr(path, "user.tffix.test")) == (inode, b"kept")
    assert path.read_text() == RIGHT
    assert temporaries(module) == []


# --- special files and the size cap -------------------------------------------------------


def test_fifo_in_a_module_never_blocks_and_the_rest_is_fixed(module):
    os.mkfifo(module / "pipe.tf")
    run = tffix("--apply", ".", cwd=module)
    assert run.returncode == 2
    assert "pipe.tf:1:1: not a regular file (a FIFO)" in run.stderr
    assert (module / "main.tf").read_text() == RIGHT


def test_fifo_given_as_an_argument_is_reported_as_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "x.tf")
    run = tffix("x.tf", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (2, "x.tf:1:1: not a regular file (a FIFO)\n")


def test_symlink_to_a_device_is_not_read(module):
    os.symlink("/dev/zero", module / "zero.tf")
    run = tffix("--apply", ".", cwd=module)
    assert run.returncode == 2
    assert "zero.tf:1:1: not a regular file (a character device)" in run.stderr
    assert "Traceback" not in run.stderr
    assert (module / "main.tf").read_text() == RIGHT


def test_broken_symlink_is_an_error(module):
    os.symlink("missing.tf.src", module / "gone.tf")
    run = tffix(".", cwd=module)
    assert run.returncode == 2
    assert "gone.tf:1:1: cannot read: no such file or directory" in run.stderr


def test_file_over_the_size_cap_is_an_error(module):
    (module / "big.tf").write_text("# " + "x" * 2000 + "\n")
    run = tffix("--apply", "--max-file-size", "1k", ".", cwd=module)
    assert run.returncode == 2
    assert "big.tf:1:1: 2003 bytes, over the 1000-byte limit (--max-file-size); not read" in run.stderr
    assert (module / "main.tf").read_text() == RIGHT


def test_default_size_cap_stops_a_huge_file_before_reading_it(module):
    with open(module / "huge.tf", "wb") as handle:
        handle.truncate(60_000_000)  # sparse: nothing is allocated
    run = tffix(".", cwd=module)
    assert run.returncode == 2
    assert (
        "huge.tf:1:1: 60000000 bytes, over the 50000000-byte limit (--max-file-size); not read" in run.stderr
    )


def test_bad_size_option_is_a_usage_error(module):
    run = tffix("--max-file-size", "lots", ".", cwd=module)
    assert run.returncode == 2
    assert "--max-file-size" in run.stderr


# --- temporary files, kills and signals ---------------------------------------------------


def test_stale_temporary_file_is_reported_then_removed_by_apply(module):
    (module / STALE).write_text("")
    dry = tffix(".", cwd=module)
    assert dry.returncode == 1
    assert (
        f"{STALE}: warning: temporary file left by an interrupted tffix run; --apply removes it" in dry.stderr
    )
    assert (module / STALE).exists()
    run = tffix("--apply", ".", cwd=module)
    assert run.returncode == 0
    assert f"{STALE}: warning: removed a temporary file left by an interrupted tffix run" in run.stderr
    assert sorted(p.name for p in module.iterdir()) == ["main.tf"]


def test_files_that_only_look_like_temporary_files_are_left_alone(module):
    for name in (".main.tf.short.tffix", "main.tf.abcd1234.tffix", ".main.tf.ABCD1234.tffix"):
        (module / name).write_text("")
    os.symlink("main.tf", module / STALE)
    run = tffix("--apply", ".", cwd=module)
    assert "warning" not in run.stderr
    assert len(list(module.iterdir())) == 5


KILLER = textwrap.dedent("""
    import os, signal, sys
    kill_at, signal_name = int(sys.argv[1]), sys.argv[2]
    replace, calls = os.replace, []
    def patched(source, target):
        if len(calls) == kill_at:
            os.kill(os.getpid(), getattr(signal, signal_name))
        calls.append(target)
        replace(source, target)
    os.replace = patched
    sys.argv[:3] = ["tffix"]
    from tffix.cli import main
    main()
""")


def many_modules(root: Path, count: int = 300) -> list[Path]:
    paths = []
    for i in range(count):
        (root / f"m{i:03}").mkdir(parents=True)
        paths.append(root / f"m{i:03}" / "main.tf")
        paths[-1].write_text(WRONG)
    return paths


@pytest.mark.parametrize("kill_at", [0, 1, 150, 299])
def test_kill_9_during_apply_leaves_every_file_old_or_new(tmp_path, kill_at):
    paths = many_modules(tmp_path / "tree")
    run = subprocess.run(
        [sys.executable, "-c", KILLER, str(kill_at), "SIGKILL", "--apply", "tree"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == -signal.SIGKILL
    texts = [path.read_text() for path in paths]
    assert set(texts) <= {WRONG, RIGHT}
    assert texts.count(RIGHT) == kill_at  # modules are written in order, one file each
    [stale] = temporaries(tmp_path)  # the one being renamed when the process died
    assert stale.parent == paths[kill_at].parent and stale.name.startswith(".main.tf.")
    dry = tffix("tree", cwd=tmp_path)
    assert (
        f"{stale.relative_to(tmp_path)}: warning: temporary file left by an interrupted tffix run"
        in dry.stderr
    )
    again = tffix("--apply", "tree", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert all(path.read_text() == RIGHT for path in paths)
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("attempt", range(3))
def test_kill_9_loop_from_outside(tmp_path, attempt):
    """A real kill from another process at whatever moment it lands: every file is old or new."""
    paths = many_modules(tmp_path / "tree")
    run = subprocess.Popen(
        [sys.executable, "-m", "tffix", "--apply", "tree"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while run.poll() is None and paths[attempt * 100].read_text() != RIGHT:
        pass
    run.kill()
    run.wait(timeout=300)
    assert {path.read_text() for path in paths} <= {WRONG, RIGHT}
    assert len(temporaries(tmp_path)) <= 1
    again = tffix("--apply", "tree", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert all(path.read_text() == RIGHT for path in paths)
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_signal_during_a_write_lets_the_module_finish_and_cleans_up(tmp_path, name):
    """A signal arriving mid-write is held until the module's files are all renamed; then it acts."""
    paths = many_modules(tmp_path / "tree", 3)
    run = subprocess.run(
        [sys.executable, "-c", KILLER, "1", name, "--apply", "tree"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode in (-getattr(signal, name), 1 if name == "SIGINT" else None), run.stderr
    assert "Traceback" not in run.stderr
    assert [path.read_text() for path in paths] == [RIGHT, RIGHT, WRONG]
    assert temporaries(tmp_path) == []


# --- permissions --------------------------------------------------------------------------


@pytest.fixture
def user_dir():
    """A directory the unprivileged user can reach (pytest's tmp_path is root's alone)."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv to drop privileges")
    directory = Path(tempfile.mkdtemp(prefix="tffix-faults-"))
    os.chmod(directory, 0o755)
    yield directory
    os.chmod(directory, 0o755)
    for root, dirs, _ in os.walk(directory):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(directory)


def as_user(*args, cwd):
    """tffix as ``nobody`` when this runs as root, else as the current user."""
    if os.geteuid() != 0:
        return tffix(*args, cwd=cwd)
    env = {**os.environ, "XDG_CACHE_HOME": "/nonexistent"}  # no grammar cache for nobody
    return tffix(
        *args,
        cwd=cwd,
        env=env,
        prefix=("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"),
    )


def give(root: Path):
    """Hand a tree to ``nobody`` (when root) so that only the modes set afterwards restrict it."""
    if os.geteuid() == 0:
        for path in (root, *root.rglob("*")):
            os.lchown(path, NOBODY, NOBODY)


def test_unreadable_directory_is_an_error_and_the_rest_is_fixed(user_dir):
    for name in ("locked", "ok"):
        (user_dir / name).mkdir()
        (user_dir / name / "main.tf").write_text(WRONG)
    give(user_dir)
    os.chmod(user_dir / "locked", 0)
    for args in (["locked", "ok"], ["."]):
        (user_dir / "ok" / "main.tf").write_text(WRONG)
        run = as_user("--apply", *args, cwd=user_dir)
        assert run.returncode == 2, run.stderr
        assert "locked:1:1: permission denied" in run.stderr
        assert "Traceback" not in run.stderr
        assert (user_dir / "ok" / "main.tf").read_text() == RIGHT


def test_file_inside_an_unreadable_directory_is_an_error(user_dir):
    (user_dir / "locked").mkdir()
    (user_dir / "locked" / "main.tf").write_text(WRONG)
    give(user_dir)
    os.chmod(user_dir / "locked", 0)
    run = as_user("locked/main.tf", cwd=user_dir)
    assert (run.returncode, run.stderr) == (2, "locked/main.tf:1:1: permission denied\n")


def test_unreadable_file_is_an_error_and_its_module_still_fixed(user_dir):
    (user_dir / "main.tf").write_text(WRONG)
    (user_dir / "secret.tf").write_text("")
    give(user_dir)
    os.chmod(user_dir / "secret.tf", 0)
    run = as_user("--apply", ".", cwd=user_dir)
    assert run.returncode == 2
    assert "secret.tf:1:1: permission denied" in run.stderr
    assert (user_dir / "main.tf").read_text() == RIGHT


def test_unwritable_directory_is_a_write_error_not_a_fix(user_dir):
    (user_dir / "main.tf").write_text(WRONG)
    give(user_dir)
    os.chmod(user_dir, 0o555)
    run = as_user("--apply", ".", cwd=user_dir)
    assert run.returncode == 2
    assert "main.tf:1:1: cannot write: permission denied" in run.stderr
    assert "Found 1 finding (0 fixed, 1 remaining).\n1 fix not written" in run.stderr
    assert (user_dir / "main.tf").read_text() == WRONG


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a file owned by another user")
def test_owner_that_cannot_be_kept_drops_the_setuid_bit(user_dir):
    """nobody may replace a file it can write but not own: the new file is nobody's, without setuid."""
    path = user_dir / "main.tf"
    path.write_text(WRONG)
    give(user_dir)
    os.chown(path, 1234, NOBODY)
    os.chmod(path, 0o6775)
    run = as_user("--apply", ".", cwd=user_dir)
    assert run.returncode == 0, run.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (NOBODY, NOBODY, 0o2775)
    assert path.read_text() == RIGHT


# --- stdin --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe" + WRONG.encode("utf-16-le"), WRONG.encode() + b"# \xe9t\xe9\n"],
    ids=["utf-16", "latin-1"],
)
def test_undecodable_stdin_is_the_same_clean_error_as_a_file(tmp_path, data):
    (tmp_path / "disk").mkdir()
    (tmp_path / "disk" / "main.tf").write_bytes(data)
    from_file = tffix("disk", cwd=tmp_path)
    [message] = [line.split(":", 3)[3] for line in from_file.stderr.splitlines() if "cannot read" in line]
    (tmp_path / "stdin").mkdir()
    for args in ((), ("--apply",)):
        run = tffix("-", "--stdin-filename", "main.tf", *args, cwd=tmp_path / "stdin", stdin=data, text=False)
        assert run.returncode == 2
        stderr = run.stderr.decode()
        assert "Traceback" not in stderr
        assert stderr.splitlines()[0].split(":", 3)[3] == message
        assert message.startswith(" cannot read: ")
        assert run.stdout == (data if args else b"")  # an editor piping through --apply keeps its text


def test_stdin_buffer_replaces_its_twin_and_siblings_are_not_diffed(module):
    (module / "other.tf").write_text(WRONG.replace('"logs"', '"other"').replace('"vpc"', '"other"'))
    run = tffix("-", "--stdin-filename", "main.tf", cwd=module, stdin=RIGHT)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "All checks passed!\n")
    (module / "sub").mkdir()
    run = tffix("-", "--stdin-filename", "./sub/../main.tf", cwd=module, stdin=WRONG)
    assert run.returncode == 1
    assert run.stdout.count("+++ ") == 1 and "+++ b/sub/../main.tf" in run.stdout
    assert "Found 1 finding.\n[*] 1 fixable with --apply.\n" in run.stderr


def test_stdin_apply_writes_no_file_and_counts_none(module):
    (module / "other.tf").write_text(WRONG.replace('"logs"', '"other"').replace('"vpc"', '"other"'))
    before = {p.name: p.read_text() for p in module.iterdir()}
    run = tffix("-", "--stdin-filename", "main.tf", "--apply", cwd=module, stdin=WRONG)
    assert (run.returncode, run.stdout, run.stderr) == (0, RIGHT, "Found 1 finding (1 fixed, 0 remaining).\n")
    assert {p.name: p.read_text() for p in module.iterdir()} == before
