"""Provenance for output folders: versions, git revision, atomic file writes, folder locks."""

from __future__ import annotations

import errno
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ("zjai", "mesa", "numpy", "scipy", "pandas", "pyarrow", "numba", "matplotlib")


def versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_revision() -> str:
    """The source tree's commit, with "-dirty" if it has uncommitted changes; "unknown" outside git."""
    root = Path(__file__).resolve().parents[1]
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "model", "scenarios"],
                               cwd=root, capture_output=True, text=True, timeout=10,
                               check=False).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_umask() -> int:
    """The process umask, read without changing it (Linux /proc), else by setting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_file(path: Path) -> None:
    """Make a file's written contents durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:       # some file systems refuse fsync on a folder
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, write) -> None:
    """Write a file through a temporary sibling, fsync it, and rename it into place.

    The file gets the permissions of a plain `open()` (0o666 less the umask, not mkstemp's
    0o600), and the folder is fsynced after the rename, so after a crash or power cut the
    path holds either the old file or the complete new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        fsync_file(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json(path: Path, data: dict) -> None:
    def _write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False, default=str)
    atomic_write(path, _write)


class FolderLocked(Exception):
    """Another live process holds the folder's lock."""


class FolderLock:
    """An exclusive lock on an output folder: `<folder>/<name>` holding the owner's pid and
    host, created with O_CREAT|O_EXCL and held with `fcntl.flock` for the owner's lifetime.

    A second owner is refused (`FolderLocked`, naming the holder). A lock left by a process
    that died on this host (flock released, pid gone) is taken over; `self.note` says so.
    A lock from another host whose flock is free cannot be judged (the file system may not
    share flocks across hosts) and is refused: delete the file if no sweep runs there.
    """

    def __init__(self, folder: Path, name: str = ".zjai.lock"):
        self.path = Path(folder) / name
        self.fd: int | None = None
        self.note = ""

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()

    def acquire(self, wait_empty_s: float = 2.0) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        me = {"pid": os.getpid(), "host": socket.gethostname()}
        deadline = time.monotonic() + wait_empty_s
        while True:
            created = True
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                created = False
                try:
                    fd = os.open(self.path, os.O_RDWR)
                except FileNotFoundError:          # released meanwhile: try again
                    continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = _read_holder(fd)
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if not holder and time.monotonic() < deadline:   # its owner is writing it
                    time.sleep(0.05)
                    continue
                raise FolderLocked(self._refusal(holder)) from None
            if not _same_file(fd, self.path):       # unlinked by a releasing owner: retry
                os.close(fd)
                continue
            holder = _read_holder(fd)
            if not created and holder:
                pid, host = holder.get("pid"), holder.get("host")
                if host != me["host"]:
                    os.close(fd)
                    raise FolderLocked(self._refusal(holder) + f"; if no sweep runs on {host}, "
                                       f"delete {self.path}")
                if pid != me["pid"] and _pid_alive(pid):
                    os.close(fd)
                    raise FolderLocked(self._refusal(holder) + "; if that process is not a "
                                       f"zjai sweep, delete {self.path}")
                self.note = (f"{self.path}: took over a stale lock of pid {pid} on {host} "
                             "(no longer running)")
            elif not created and not holder:
                if time.monotonic() < deadline:      # created, flock not yet taken: wait
                    os.close(fd)
                    time.sleep(0.05)
                    continue
                self.note = f"{self.path}: took over an empty stale lock"
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps({**me, "since": now_iso()}) + "\n").encode(), 0)
            os.fsync(fd)
            self.fd = fd
            return

    def _refusal(self, holder: dict) -> str:
        who = (f"pid {holder.get('pid')} on {holder.get('host')}"
               + (f" since {holder['since']}" if holder.get("since") else "")
               if holder else "another process")
        return f"{self.path.parent} is in use by another sweep ({who}; lock file {self.path})"

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            if _same_file(self.fd, self.path):
                os.unlink(self.path)         # while still holding the flock
        except OSError:
            pass
        os.close(self.fd)                    # releases the flock
        self.fd = None


def _read_holder(fd: int) -> dict:
    try:
        data = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        return json.loads(data) if data else {}
    except (OSError, ValueError):
        return {}


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _pid_alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                  # exists, owned by someone else
        return True
    try:                                     # a zombie (killed, not yet reaped) is dead
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def swap_in_folder(tmp: Path, out: Path) -> None:
    """Put the finished folder `tmp` in place of `out`: an old `out` is moved aside and
    removed once the new one is in; if the move fails, the old one comes back."""
    out.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if os.path.lexists(out):
        old = out.parent / f".{out.name[:40]}.{uuid.uuid4().hex[:8]}.zjai-old"
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_folder(out: Path, files: dict[str, Callable[[Path], None]]) -> None:
    """Write every file into a temporary sibling folder, then swap it in for `out`, so a
    failure leaves either the old folder or the new one, never half of one."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        for name, write in files.items():
            write(tmp / name)
        swap_in_folder(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
