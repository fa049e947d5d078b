"""Output paths: checked before any work, written whole or not at all.

`check_folder` / `check_file` refuse an `--out` that cannot be written (an existing file
where a folder is wanted, a device, a read-only folder) before a simulation or fit runs:
they create and remove a probe file in the folder or its nearest existing parent.
`staged_folder` builds a command's outputs in a hidden temporary folder and moves them into
place only when every file is written, so a failure leaves the old folder (or none).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..checks import plain_name_problem
from ..provenance import current_umask, swap_in_folder
from .common import UsageError

STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                  errno.EIO, errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.ELOOP}


def default_folder(name: str, prefix: str = "", key: str = "name") -> Path:
    """out/<prefix><name> when --out is omitted; the name must be a plain file name."""
    problem = plain_name_problem(name)
    if problem:
        raise UsageError(f"{key} {problem}; give --out DIR or rename it")
    return Path("out") / f"{prefix}{name}"


def _nearest_existing(path: Path) -> Path:
    p = path.absolute()
    while not os.path.lexists(p) and p != p.parent:
        p = p.parent
    return p


def _probe(folder: Path, out: Path, option: str) -> None:
    """Create and remove a file in `folder`: the one sure test that it can be written."""
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".zjai-probe-")
    except OSError as exc:
        raise UsageError(f"{option} {out}: cannot write in {folder} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(probe)


def check_folder(out: Path, option: str = "--out") -> None:
    """Refuse an output folder that cannot be created or written, before any work."""
    out = Path(out)
    if len(os.fsencode(out.name)) > 255 or len(os.fsencode(str(out))) > 4000:
        raise UsageError(f"{option} {str(out)[:80]}...: name too long")
    base = _nearest_existing(out)
    try:
        is_dir = base.is_dir()          # follows links; a loop is an OSError
    except OSError as exc:
        raise UsageError(f"{option} {out}: {base}: {exc.strerror}") from None
    if not is_dir:
        what = "a file" if base.is_file() else ("a broken link or loop" if base.is_symlink()
                                                else "not a folder (a device?)")
        raise UsageError(f"{option} {out}: {base} is {what}; expected a folder")
    _probe(base, out, option)


def check_file(out: Path, option: str = "--out", sidecars: tuple[str, ...] = ()) -> None:
    """Refuse an output file that cannot be written (and its `sidecars`, other suffixes)."""
    out = Path(out)
    for path in (out, *(out.with_suffix(s) for s in sidecars)):
        if path.is_dir():
            raise UsageError(f"{option} {out}: {path} is a folder; expected a file name")
        if os.path.lexists(path) and not path.is_file():
            raise UsageError(f"{option} {out}: {path} is not a regular file")
    check_folder(out.parent, option)


def _merge(src: Path, dst: Path) -> None:
    """Move every entry of `src` into the existing folder `dst`, folders merged."""
    for entry in sorted(src.iterdir()):
        target = dst / entry.name
        if entry.is_dir() and target.is_dir() and not target.is_symlink():
            _merge(entry, target)
        else:
            os.replace(entry, target)


@contextlib.contextmanager
def staged_folder(out: Path, replace: bool = False):
    """Yield a temporary folder to write `out`'s files into; on success move them into `out`
    (merged into an existing folder, or with `replace` swapped for it whole), on any
    error remove them: a failed command leaves `out` as it was."""
    out = Path(out)
    base = out if out.is_dir() and not replace else _nearest_existing(out.parent)
    try:
        tmp = Path(tempfile.mkdtemp(dir=base, prefix=f".{out.name[:40]}.", suffix=".zjai-tmp"))
        os.chmod(tmp, 0o777 & ~current_umask())     # the folder it becomes: as mkdir makes it
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}; nothing was written") from None
    try:
        yield tmp
        try:
            if out.is_dir() and not replace:
                _merge(tmp, out)
            else:
                swap_in_folder(tmp, out)
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror}") from None
    except OSError as exc:
        if exc.errno in STORAGE_ERRORS:
            raise UsageError(f"cannot write {exc.filename or out}: {exc.strerror}; nothing "
                             f"was written to {out}") from None
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
