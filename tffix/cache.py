"""The results cache: a module's findings and fixes, kept until one of its inputs changes.

As ruff's ``.ruff_cache``: a directory (default ``.tffix_cache`` in the working directory,
``--cache-dir`` or ``TFFIX_CACHE_DIR`` elsewhere, ``--no-cache`` or ``TFFIX_NO_CACHE=1`` for
none) holding one JSON file per module state.  An entry is found by a key over

- what tffix is: its version and the size and mtime of every file of the ``tffix`` package
  (an edited checkout never reads an entry an older build wrote);
- how the module is analysed: selected and ignored rules, target, fix applicability, the
  module's configuration;
- the module's files: each one's name and a digest of its bytes.

The key cannot cover what the analysis reads beside the module (its ``.terraform.lock.hcl``,
the files of the local modules it calls): those are the entry's *dependencies*, stored in it
with a digest of each one's bytes and the module-file names of each child directory, and checked
again before the entry is used.  Anything that does not match, cannot be read or cannot be
decoded is a miss; the entry is then rewritten.

A run over a tree keeps a *stat index* of it (`StatIndex`, one file in ``index/``): the stat of
each file it read with the digest of its bytes, so that the next run takes the digest of a file
whose stat has not changed without reading the file (the racy case handled as git handles it),
and a copy of each entry the run used, so that the next run reads one file, not one per module.
A hit reads only the sources its findings point into (`needed_texts`); the others are read if
something asks for their text (`UnreadSource`).  With ``--apply`` the index is not trusted for
the module files themselves: every file a fix could be written to is read.

An entry a run uses gets a new modification time (or its run's index does, when the entry came
from the copy the index packs); once a day a run removes the entries and indexes no run has used
for 30 days (`Cache.prune`), so the directory does not grow with every edit.

Entries are JSON, never pickle: a cache directory can come with a repository, and reading it
must not run code.  Writes are atomic (a temporary file renamed into place), so concurrent runs
sharing a directory each read a whole entry or none.
"""

from __future__ import annotations

import contextlib
import os
import time

# json, shutil and tempfile are imported where they are used: a run without the cache
# (--no-cache) loads none of them (start-up time, tests/test_startup.py); digests are blake2b,
# taken as `tffix.disk` takes it (hashlib would load OpenSSL).
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tffix
from tffix.disk import MAX_FILE_SIZE, FileError, Snapshot, blake2b, read_file
from tffix.edits import Edit
from tffix.results import Problem, Result
from tffix.rules import Finding, Fix
from tffix.syntax.source import SourceFile, Span

FORMAT = 3  # bump when the entry layout or a digest's meaning changes
RACY_MARGIN_NS = 3 * 10**9  # a file changed this recently before it was read is not in the stat index
PRUNE_AFTER = 30 * 24 * 3600  # seconds an entry may go unused before `Cache.prune` removes it
PRUNE_EVERY = 24 * 3600  # seconds between two prunings of one cache directory
DEFAULT_DIRECTORY = ".tffix_cache"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tffix.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def directory_from(option: str | os.PathLike[str] | None, enabled: bool = True) -> Path | None:
    """The cache directory a run uses: ``--cache-dir``, else ``TFFIX_CACHE_DIR``, else
    ``.tffix_cache``; None when the cache is off (``--no-cache``, ``TFFIX_NO_CACHE``)."""
    if not enabled or os.environ.get("TFFIX_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = option or os.environ.get("TFFIX_CACHE_DIR") or DEFAULT_DIRECTORY
    return Path(chosen)


def _build_fingerprint() -> str:
    package = Path(tffix.__file__).resolve().parent
    digest = blake2b(tffix.__version__.encode())
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


_FINGERPRINT: str | None = None


def build_fingerprint() -> str:
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _build_fingerprint()
    return _FINGERPRINT


@dataclass
class Dependencies:
    """What an analysis read beside the module: each file's digest (None: it was absent) by the
    real path it was read from, and the module-file names of each local child directory."""

    files: dict[str, str | None] = field(default_factory=dict)
    directories: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Entry:
    """A cached result, with the lock file and child-module texts it was computed from."""

    result: Result
    lock: dict[str, str]  # name (as the engine was given it) -> the real path it was read from
    context: dict[str, str]


class Cache:
    """One cache directory, for one run's settings."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._root = directory / str(FORMAT)
        self._root_text = os.fspath(self._root)
        self._ready = False
        self.usable = True
        self._settings: dict[
            int, tuple[dict[str, Any], str, Any]
        ] = {}  # settings -> the key's digest of them

    def key(self, settings: dict[str, Any], files: dict[str, bytes]) -> str:
        """The key of a module whose files (display name -> digest of the bytes read, as
        `tffix.disk.Snapshot` has it) are analysed with ``settings``."""
        fingerprint = build_fingerprint()
        known = self._settings.get(id(settings))
        if known is None or known[0] is not settings or known[1] != fingerprint:
            import json  # (the dict is kept in the memo: its id stays its own)

            start = blake2b(digest_size=32)
            start.update(fingerprint.encode())
            start.update(json.dumps(settings, sort_keys=True, default=str).encode())
            if len(self._settings) > 256:
                self._settings.clear()
            known = self._settings[id(settings)] = (settings, fingerprint, start)
        digest = known[2].copy()
        for name in sorted(files):
            digest.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(files[name])
        return digest.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self._root_text, key[:2], f"{key}.json")

    def load(self, key: str, reread, index: StatIndex | None = None) -> Entry | None:
        """The entry stored under ``key`` if its dependencies still hold; ``reread.digest(path)``
        gives the digest of a dependency's bytes (None when absent), ``reread.listing(dir)`` a
        directory's module-file names.  The entry's ``lock`` and ``context`` name the real path
        of each file: the texts are read only where the result needs them (`needed_texts`).

        With the run's ``index``, the entry is taken from the copy it packs when it has one
        (one file read for a whole tree instead of one per module), and the entry used is
        packed for the next run."""
        if index is not None and (packed := index.packed(key)) is not None:
            entry = self._check(key, packed, reread)
            if entry is not None:
                index.use(key, packed, packed=True)
                return entry
        import json

        file = self._file(key)
        try:
            with open(file, "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError):
            return None  # absent or unreadable: a miss, rewritten after the analysis
        entry = self._check(key, data, reread)
        if entry is None:
            return None
        with contextlib.suppress(OSError):
            os.utime(file)  # used: `prune` keeps it
        if index is not None:
            index.use(key, data, packed=False)
        return entry

    def _check(self, key: str, data: Any, reread) -> Entry | None:
        try:
            if data.get("format") != FORMAT or data.get("key") != key:
                return None
            dependencies = data["dependencies"]
            files = dependencies["files"]
            for real, digest in files.items():
                if reread.digest(real) != digest:
                    return None
            for real, names in dependencies["directories"].items():
                if reread.listing(real) != names:
                    return None
            lock, context = data["lock"], data["context"]
            for group in (lock, context):
                for real in group.values():
                    if not isinstance(real, str) or files.get(real) is None:
                        return None  # read for the analysis, so a dependency with a digest
            return Entry(decode_result(data["result"]), dict(lock), dict(context))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # not ours: a miss, rewritten after the analysis

    def stat_index(self, roots: list[str]) -> StatIndex:
        """The stat index of the run over ``roots`` (absolute paths as named): one file per set
        of roots, in ``index/`` beside the entries (pruned as they are)."""
        digest = blake2b("\0".join(sorted(roots)).encode("utf-8", "surrogatepass"), digest_size=16)
        return StatIndex(os.path.join(self._root_text, "index", digest.hexdigest() + ".json"), self)

    def store(
        self,
        key: str,
        result: Result,
        dependencies: Dependencies,
        lock: dict[str, str],
        context: dict[str, str],
        origins: dict[str, str],
    ) -> None:
        """Keep ``result``; ``lock`` and ``context`` (name -> text) are kept as the real paths
        ``origins`` gives, so a hit re-reads them instead of storing their text."""
        import json

        if not self.usable:
            return
        try:
            data = {
                "format": FORMAT,
                "key": key,
                "dependencies": asdict(dependencies),
                "lock": {name: origins[name] for name in lock},
                "context": {name: origins[name] for name in context},
                "result": encode_result(result),
            }
            text = json.dumps(data, separators=(",", ":"))
        except (KeyError, TypeError, ValueError):
            return  # a result that does not encode is simply not cached
        try:
            self.write_atomically(self._file(key), text)
        except OSError:
            self.usable = False  # e.g. a read-only directory: the run goes on uncached

    def prune(self, now: float | None = None) -> int:
        """Remove the entries no run has read or written for `PRUNE_AFTER` (the states of modules
        that have since changed), leftover temporary files, and the directories of other entry
        layouts; at most once every `PRUNE_EVERY`.  The number of files removed."""
        now = time.time() if now is None else now
        marker = os.path.join(self._root_text, "pruned")
        try:
            if now - os.stat(marker).st_mtime < PRUNE_EVERY:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        if not os.path.isdir(self._root_text):
            return 0
        try:
            with open(marker, "w", encoding="utf-8") as stream:
                stream.write("The time of this file is when tffix last removed unused entries.\n")
        except OSError:
            return 0  # a directory this run may not write: not ours to prune
        removed = 0
        for shard in _entries(self._root_text):
            for entry in _entries(shard.path):
                stale = PRUNE_AFTER if entry.name.endswith(".json") else PRUNE_EVERY  # a .tmp: a killed run's
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > stale:
                        os.unlink(entry.path)
                        removed += 1
        for other in _entries(os.fspath(self.directory)):
            if other.name.isdigit() and other.name != str(FORMAT):
                import shutil

                shutil.rmtree(other.path, ignore_errors=True)
        return removed

    def write_atomically(self, path: str, text: str) -> None:
        """``text`` into ``path`` by a temporary file renamed over it: a concurrent reader sees the
        old file or the new one, never a part (OSError when the directory is not writable)."""
        import tempfile

        self._prepare()
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", TAG), (".gitignore", "# Created by tffix.\n*\n")):
            marker = self.directory / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        self._ready = True


class StatIndex:
    """What each file a run read was, when it was read: its stat (size, mtime, ctime, inode,
    device) and the digest of its bytes, so that a later run knows the digest of a file whose
    stat is unchanged without reading it (as git's index and ruff's cache do).  The cache keys
    stay the digests; the index is only a faster way to know them.

    A file changed since it was read has another stat: the size or mtime differ, or the ctime,
    which every change sets to the current time and no program can set back (``os.utime``
    restoring an mtime sets it too), or the inode (a file replaced by another).  One case is not
    told apart by the stat: a change within the same tick of the file-system clock as the read
    it follows.  So, as git treats a "racily clean" entry, a file whose mtime or ctime is not
    older than the moment it was read by a margin (`RACY_MARGIN_NS`, for coarse file-system
    clocks and a little clock skew) is not remembered, and is read again next time.

    The index also packs a copy of each cache entry the run used, so that the next run over
    the same tree reads one file instead of one per module; a packed entry is checked as the
    entry's own file would be (`Cache.load`).

    The index is one JSON file per set of roots a run is given, written whole by a temporary
    file renamed into place (concurrent runs each write a complete index; the last one stays);
    one that cannot be read or decoded is ignored and rewritten.  It keeps the files the run
    looked at and the entries it used, so a deleted file or module leaves it.  A run that found
    it as it left it only renews its modification time (`Cache.prune` removes an index no run
    has used for 30 days, as it removes entries).
    """

    def __init__(self, file: str, cache: Cache | None = None):
        self.file = file
        self._cache = cache
        self._entries: dict[str, list[Any]] = {}
        self._kept: dict[str, list[Any]] = {}
        self._packed: dict[str, Any] = {}  # the cache entries the last run used, by key
        self._used: dict[str, Any] = {}  # ... and those this run used
        self._changed = True
        import json

        try:
            with open(file, "rb") as handle:
                data = json.loads(handle.read())
            if (
                isinstance(data, dict)
                and data.get("format") == FORMAT
                and isinstance(data.get("files"), dict)
                and isinstance(data.get("modules"), dict)
            ):
                self._entries, self._packed = data["files"], data["modules"]
                self._changed = False
        except (OSError, ValueError):
            pass  # absent or corrupt: an empty index, written at the end of the run

    def digest(self, path: str, info: os.stat_result) -> bytes | None:
        """The digest of the bytes of ``path`` if the index holds it for this very stat, else None."""
        entry = self._kept.get(path) or self._entries.get(path)
        if entry is None:
            return None
        try:
            size, mtime, ctime, inode, device, digest = entry
            if (size, mtime, ctime, inode, device) != (
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                info.st_ino,
                info.st_dev,
            ):
                return None
            value = bytes.fromhex(digest)
        except (TypeError, ValueError):
            return None  # not ours: read the file
        self._kept[path] = entry
        return value

    def record(self, path: str, snapshot: Snapshot, before_ns: int) -> None:
        """``snapshot`` of ``path`` was taken by a read that started at ``before_ns`` (``time.time_ns()``)."""
        limit = before_ns - RACY_MARGIN_NS
        if snapshot.mtime_ns >= limit or snapshot.ctime_ns >= limit:
            if self._kept.pop(path, None) is not None or path in self._entries:
                self._changed = True
            return  # racy: it could change again without changing its stat
        entry = [
            snapshot.size,
            snapshot.mtime_ns,
            snapshot.ctime_ns,
            snapshot.inode,
            snapshot.device,
            snapshot.digest.hex(),
        ]
        if self._entries.get(path) != entry:
            self._changed = True
        self._kept[path] = entry

    def packed(self, key: str) -> Any:
        """The cache entry stored under ``key`` as the last run packed it (unchecked), or None."""
        return self._packed.get(key)

    def use(self, key: str, data: Any, packed: bool) -> None:
        """The entry ``data`` (stored under ``key``) was used: pack it for the next run."""
        self._used[key] = data
        if not packed:
            self._changed = True

    def save(self) -> None:
        """Write the files this run looked at and the entries it used (when that is not what the
        file holds already)."""
        import json

        try:
            if (
                not self._changed
                and len(self._kept) == len(self._entries)
                and len(self._used) == len(self._packed)
            ):
                os.utime(self.file)  # used: `Cache.prune` keeps it
                return
            text = json.dumps(
                {"format": FORMAT, "files": self._kept, "modules": self._used}, separators=(",", ":")
            )
            if self._cache is not None and self._cache.usable:
                self._cache.write_atomically(self.file, text)
        except OSError:
            pass  # a read-only cache directory: the next run reads the files again
        self._entries, self._packed, self._changed = self._kept, self._used, False
        self._kept, self._used = dict(self._kept), dict(self._used)


def _entries(directory: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as scan:
            return list(scan)
    except OSError:
        return []


# --- results as JSON ------------------------------------------------------------------------


def _span(span: Span) -> list[Any]:
    return [span.path, span.start, span.end]


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "span": _span(finding.span),
        "message": finding.message,
        "fix": None if finding.fix is None else [[_span(e.span), e.new_text] for e in finding.fix.edits],
        "related": list(finding.related),
        "code": finding.code,
        "name": finding.name,
        "safe": finding.safe,
        "unsafe_fix": finding.unsafe_fix,
    }


def _problem(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.column, problem.message, problem.internal]


def encode_result(result: Result) -> dict[str, Any]:
    """Everything of a `Result` but its sources' texts (the hit supplies them).  A finding of
    ``remaining`` or ``unused_suppressions`` that is one of ``findings`` (as it is when no fix
    was applied) is written as its index there, and read back as that very finding."""
    first = {id(finding): index for index, finding in enumerate(result.findings)}

    def shared(group: list[Finding]) -> list[Any]:
        return [first[id(f)] if id(f) in first else _finding(f) for f in group]

    return {
        "sources": list(result.sources),
        "findings": [_finding(f) for f in result.findings],
        "fixed": result.fixed,
        "remaining": shared(result.remaining),
        "problems": [_problem(p) for p in result.problems],
        "warnings": [_problem(p) for p in result.warnings],
        "unused_suppressions": shared(result.unused_suppressions),
    }


def _decode_finding(data: dict[str, Any]) -> Finding:
    fix = None
    if data["fix"] is not None:
        fix = Fix(tuple(Edit(Span(*span), text) for span, text in data["fix"]))
    return Finding(
        Span(*data["span"]),
        data["message"],
        fix,
        tuple(data["related"]),
        code=data["code"],
        name=data["name"],
        safe=data["safe"],
        unsafe_fix=data["unsafe_fix"],
    )


def decode_result(data: dict[str, Any]) -> Result:
    """A `Result` whose ``sources`` name their files with empty texts: `attach_sources` fills them."""
    findings = [_decode_finding(f) for f in data["findings"]]

    def shared(group: list[Any]) -> list[Finding]:
        return [findings[f] if type(f) is int else _decode_finding(f) for f in group]

    return Result(
        sources={name: SourceFile(name, "") for name in data["sources"]},
        findings=findings,
        fixed=dict(data["fixed"]),
        remaining=shared(data["remaining"]),
        problems=[Problem(*p) for p in data["problems"]],
        warnings=[Problem(*p) for p in data["warnings"]],
        unused_suppressions=shared(data["unused_suppressions"]),
    )


def needed_texts(result: Result) -> set[str]:
    """The sources whose texts a front end reads: the files findings and their fixes point into,
    and every source of a module with fixes (diffs, ``--verify``, the review bot's suggestions)."""
    if result.fixed:
        return set(result.sources)
    names: set[str] = set()
    for group in (result.findings, result.remaining, result.unused_suppressions):
        for finding in group:
            names.add(finding.span.path)
            if finding.fix is not None:
                names.update(edit.span.path for edit in finding.fix.edits)
    return names


_TEXT: Any = vars(SourceFile)["text"]  # the slot `UnreadSource` keeps its text in, once read


class UnreadSource(SourceFile):
    """A source of a cached result no finding points into (`needed_texts`): nothing in tffix
    reads its text, so it is read from ``file`` only if something asks (empty if it cannot be)."""

    __slots__ = ("file", "max_size")

    def __init__(self, path: str, file: str | os.PathLike[str], max_size: int = MAX_FILE_SIZE):
        SourceFile.__init__(self, path, None)  # type: ignore[arg-type]
        self.file = file
        self.max_size = max_size

    @property
    def text(self) -> str:
        text = _TEXT.__get__(self)
        if text is None:
            try:
                text = read_file(Path(self.file), self.max_size)[0]
            except FileError:
                text = ""
            _TEXT.__set__(self, text)
        return text

    @text.setter
    def text(self, value: str | None) -> None:
        _TEXT.__set__(self, value)


def attach_sources(result: Result, texts: dict[str, str]) -> bool:
    """Give a decoded result its sources' texts; False if one is missing (the entry is unusable)."""
    for name in result.sources:
        if name not in texts:
            return False
        result.sources[name] = SourceFile(name, texts[name])
    return True
