"""Reading and replacing files without hanging and without losing anyone's edit.

Reading takes regular files only, after following symlinks: a FIFO or a device is named
as what it is and never opened for a blocking read (``stat`` first, then an ``O_NONBLOCK``
open whose ``fstat`` must agree).  A size cap stops ``/dev/zero``-like surprises and huge
files before they are read.  Bytes are decoded as Terraform does, strict UTF-8, and a
`Snapshot` (identity, size, mtime, hash) records what was read.

Replacing a file, under an advisory lock on its directory that every tffix run takes:
the file must still be the snapshot (else it changed during the run and is not written);
the new text goes to a temporary file beside the real file (symlinks are followed, so a
link stays a link) that gets the old file's owner, group, mode and extended attributes,
then is renamed over it.  A file with other hard links, or whose extended attributes the
copy cannot carry, is rewritten in place instead, from the finished temporary file.  The
signals that end a run (SIGINT, SIGTERM, SIGHUP) are held while temporary files exist,
so those end a run between modules; only SIGKILL (or a crash) can leave a temporary file,
and `stale_temporaries` finds it for the next run.  A renamed file is not fsynced first
(neither ruff nor ``terraform fmt`` does; ext4 and btrfs flush a file that replaces another
by rename): it cost about 3 ms a file.  The in-place rewrite, which is not atomic, is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # hashlib's own blake2b, without hashlib's import of OpenSSL (about 8 ms of start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the built-in module
    from hashlib import blake2b

# signal, tempfile and threading are imported where they are used: a dry run needs none of them
# (start-up time, tests/test_startup.py).

MAX_FILE_SIZE = 50_000_000
TEMPORARY_SUFFIX = ".tffix"
# `tempfile.mkstemp(prefix=".NAME.", suffix=".tffix")`: eight characters from this alphabet.
_TEMPORARY = r"\..+\.[a-z0-9_]{8}\.tffix"  # compiled by `re` once a name ends so

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileError(Exception):
    """A file that cannot be read or written; ``str()`` is the message after ``path:line:col:``."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a run read: the file must still be exactly this when its fix is written."""

    path: str | Path  # as named
    link: bool  # ``path`` itself is a symlink
    device: int
    inode: int
    size: int
    mtime_ns: int
    digest: bytes
    ctime_ns: int = 0  # for the results cache's stat index (tffix/cache.py, `StatIndex`)

    def matches(self, info: os.stat_result, data: bytes) -> bool:
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, _digest(data)) == (
            self.device,
            self.inode,
            self.size,
            self.mtime_ns,
            self.digest,
        )


def os_message(error: OSError) -> str:
    """``permission denied``, ``no such file or directory``: the errno's text, lower case."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def kind(mode: int) -> str:
    """What a non-regular file is, for messages: "a FIFO", "a character device"..."""
    return next((name for test, name in _KINDS if test(mode)), "an unknown kind")


def read_file(path: str | Path, max_size: int = MAX_FILE_SIZE) -> tuple[str, Snapshot]:
    """The text of a regular file (symlinks followed) and the snapshot of what was read."""
    try:
        info = os.lstat(path)
        link = stat.S_ISLNK(info.st_mode)
        _check_regular(os.stat(path) if link else info, max_size)
        data, info = _read_regular(path, max_size)
    except OSError as error:
        message = os_message(error)
        raise FileError(message if message == "permission denied" else f"cannot read: {message}") from None
    snapshot = Snapshot(
        path, link, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, _digest(data), info.st_ctime_ns
    )
    return decode(data), snapshot


def decode(data: bytes) -> str:
    """Strict UTF-8 as Terraform reads it; a UTF-8 BOM stays as U+FEFF, CRLF stays CRLF."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("cannot read: UTF-16 (Terraform reads UTF-8)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        raise FileError(f"cannot read: not UTF-8 (byte 0x{data[error.start]:02x})", line, column) from None


def _check_regular(info: os.stat_result, max_size: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise FileError(f"not a regular file ({kind(info.st_mode)})")
    if info.st_size > max_size:
        raise too_large(str(info.st_size), max_size)


def too_large(size: str, max_size: int) -> FileError:
    """The error for a file over the cap; ``size`` is its size, or "more than N" if unknown."""
    return FileError(f"{size} bytes, over the {max_size}-byte limit (--max-file-size); not read")


def _read_regular(path: str | Path, max_size: int) -> tuple[bytes, os.stat_result]:
    """Opened without blocking (a FIFO swapped in after ``stat`` opens at once), checked again by
    ``fstat``, read to at most ``max_size`` bytes."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    )
    handle = os.open(path, flags)
    try:
        info = os.fstat(handle)
        _check_regular(info, max_size)
        chunks, size = [], 0
        while size <= max_size:
            chunk = os.read(handle, max(info.st_size - size, 0) + 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > max_size:
        raise too_large(f"more than {max_size}", max_size)
    return data, info


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def still_as_read(snapshot: Snapshot) -> str | None:
    """None if the file is as the snapshot says, else why not ("changed", "deleted").

    Through a symlink, a new target is a new inode: changed.
    """
    try:
        data, info = _read_regular(snapshot.path, snapshot.size)
    except FileNotFoundError:
        return "deleted"
    except (OSError, FileError):
        return "changed"
    return None if snapshot.matches(info, data) else "changed"


@contextlib.contextmanager
def locked(directories: Iterable[Path]) -> Iterator[None]:
    """Exclusive advisory locks (``flock``) on directories, taken in sorted order.

    Every tffix run holds the lock of a directory while it checks files there and renames
    new ones in, so two runs cannot both check, then both write.  Locking the directory
    leaves no lock file behind; where ``flock`` is missing or refused, runs go unlocked.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    handles = []
    try:
        for directory in sorted(set(directories)):
            try:
                handle = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError:
                continue
            handles.append(handle)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError:
                pass
        yield
    finally:
        for handle in handles:
            os.close(handle)  # closing releases the lock


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block ends (main thread, POSIX only)."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _held_signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def unblock_held_signals() -> None:
    """Undo, in a process forked by a thread that `signals_held` covered, the mask it inherited."""
    import signal

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _held_signals())


def _held_signals() -> set[int]:
    import signal

    return {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


class Replacement:
    """The new text of one file, staged in a temporary file beside it, then committed."""

    def __init__(self, real: Path, text: str):
        self.real = real
        self.data = text.encode("utf-8")
        self.temporary: Path | None = None
        self.in_place = False

    def stage(self) -> None:
        """Write the temporary file and give it the real file's identity."""
        import tempfile

        info = os.stat(self.real)
        self.in_place = info.st_nlink > 1
        handle, name = tempfile.mkstemp(
            dir=self.real.parent, prefix=f".{self.real.name}.", suffix=TEMPORARY_SUFFIX
        )
        self.temporary = Path(name)
        with open(handle, "wb") as out:
            out.write(self.data)
            out.flush()
            if not self.in_place:
                self.in_place = not _copy_identity(out.fileno(), self.temporary, self.real, info)
            if self.in_place:  # the copy to fall back on must be on disk before the file is overwritten
                os.fsync(out.fileno())

    def commit(self) -> None:
        assert self.temporary is not None, "committed once, after it was written"
        if self.in_place:
            _rewrite_in_place(self.real, self.data)
            os.unlink(self.temporary)
        else:
            os.replace(self.temporary, self.real)
        self.temporary = None

    def discard(self) -> None:
        if self.temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temporary)
            self.temporary = None


def _copy_identity(handle: int, temporary: Path, real: Path, info: os.stat_result) -> bool:
    """Owner, group, mode and extended attributes of ``real`` onto the open temporary file.

    An owner or group that cannot be kept (only root gives files away) costs the setuid or
    setgid bit: the new file must not grant the running user's identity.  False if an
    extended attribute cannot be copied: then the file is rewritten in place instead.
    """
    mode = stat.S_IMODE(info.st_mode)
    if hasattr(os, "fchown"):
        mine = os.fstat(handle)
        uid_kept, gid_kept = mine.st_uid == info.st_uid, mine.st_gid == info.st_gid
        if not (uid_kept and gid_kept):
            try:
                os.fchown(handle, info.st_uid, info.st_gid)
                uid_kept = gid_kept = True
            except PermissionError:
                if not gid_kept:
                    with contextlib.suppress(PermissionError):
                        os.fchown(handle, -1, info.st_gid)
                        gid_kept = True
        if not uid_kept:
            mode &= ~stat.S_ISUID
        if not gid_kept:
            mode &= ~stat.S_ISGID
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:
        os.chmod(temporary, mode)
    if not hasattr(os, "listxattr"):
        return True
    try:
        names = os.listxattr(real)
    except OSError as error:
        return error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP)
    try:
        for name in names:
            os.setxattr(handle, name, os.getxattr(real, name))
    except OSError:
        return False
    return True


def _rewrite_in_place(real: Path, data: bytes) -> None:
    """Overwrite from the start, then cut: the inode (its links, owner, attributes) stays.

    Space is reserved first, so a full disk fails before the first byte is overwritten.
    """
    handle = os.open(real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        if hasattr(os, "posix_fallocate") and len(data) > os.fstat(handle).st_size:
            try:
                os.posix_fallocate(handle, 0, len(data))
            except OSError as error:
                if error.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
                    raise
        view = memoryview(data)
        offset = 0
        while offset < len(data):
            offset += os.pwrite(handle, view[offset:], offset)
        os.ftruncate(handle, len(data))
        os.fsync(handle)
    finally:
        os.close(handle)


def stale_temporaries(directories: Iterable[Path]) -> list[Path]:
    """Temporary files an interrupted run left (regular files named as `Replacement` names them).

    Checked under each directory's lock: a live run holds the lock while its temporary
    files exist, so what is seen under the lock is stale.
    """
    found: list[Path] = []
    for directory in directories:
        candidates = _temporary_names(directory)
        if not candidates:
            continue
        with locked([directory]):
            found.extend(directory / name for name in _temporary_names(directory))
    return found


def temporary_name(name: str) -> bool:
    """Whether ``name`` is spelled as `Replacement` names its temporary files."""
    return name.endswith(TEMPORARY_SUFFIX) and re.fullmatch(_TEMPORARY, name) is not None


def remove(path: Path) -> str | None:
    """Delete a stale temporary file; the reason if that failed."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        return os_message(error)
    return None


def _temporary_names(directory: Path) -> list[str]:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    names = []
    for entry in entries:
        if temporary_name(entry.name):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    names.append(entry.name)
    return sorted(names)
