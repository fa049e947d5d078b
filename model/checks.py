"""Checks shared by every input file (scenarios, experiments, calibrations, targets).

Each failed check raises one `ScenarioError` naming the file, the key and what was
expected, with a did-you-mean suggestion where a name was mistyped. Reading a file is
checked too: a missing file, a folder, a device or pipe, a symlink loop, a file over
`MAX_FILE_BYTES`, bytes that are not UTF-8 and nesting too deep for the TOML parser are
each one clear error, never an exception from the standard library.
"""

from __future__ import annotations

import difflib
import errno
import math
import os
import re
import stat
import tomllib
from pathlib import Path

MAX_FILE_BYTES = 4 * 2**20           # an input file is a few kB; 4 MB is no input file
PLAIN_NAME = re.compile(r"\w[\w.-]{0,99}")     # letters, digits, _ - . ; no leading dot or -


class ScenarioError(ValueError):
    """A bad scenario file: `file`, `key` and what was expected."""

    def __init__(self, file, key: str | None, message: str):
        self.file, self.key, self.message = str(file), key, message
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + message)


def suggest(word: str, options) -> str:
    """' (did you mean 'x'?)' for the closest of `options`, or ''."""
    close = difflib.get_close_matches(str(word)[:200], [str(o) for o in options], n=1,
                                      cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def short(value, limit: int = 60) -> str:
    """repr(value), cut to `limit` characters (a message stays one readable line)."""
    try:
        text = repr(value)
    except RecursionError:
        text = f"<a deeply nested {type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def key_part(name, limit: int = 40) -> str:
    """A table key as it goes into a message's key path (quoted only if odd or long)."""
    name = str(name)
    return name if len(name) <= limit and name.isprintable() else short(name, limit)


# --- reading files -------------------------------------------------------------------------

def file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as an input file (None if it can): missing, a folder, not a
    regular file, a symlink loop, too long a name, too large."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"symlink loop: {path}"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"file not found: {path}"
        return f"cannot open {path} ({exc.strerror})"
    except ValueError:                        # an embedded NUL character
        return f"not a valid file name: {short(str(path))}"
    if stat.S_ISDIR(st.st_mode):
        return f"{path} is a folder; expected a file"
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a regular file (a device, pipe or socket); expected a file"
    if st.st_size > MAX_FILE_BYTES:
        return (f"{path} is {st.st_size:,} bytes; expected an input file under "
                f"{MAX_FILE_BYTES // 2**20} MB")
    return None


def read_text(path: Path, what: str = "text") -> str:
    """The UTF-8 text of an input file; one `ScenarioError` for any reason it cannot be."""
    path = Path(path)
    problem = file_problem(path)
    if problem:
        raise ScenarioError(path, None, problem)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(path, None, f"cannot be read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ScenarioError(path, None, f"not UTF-8 (byte 0x{raw[exc.start]:02x} on line "
                            f"{line}); expected {what} saved as UTF-8") from None


def read_toml(path: Path) -> tuple[str, dict]:
    """Text and tables of a TOML input file; one clear error if it is missing or invalid."""
    text = read_text(path, "a TOML file")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, None, f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(path, None, "invalid TOML: arrays or inline tables nested too "
                            "deeply (expected a few levels)") from None


def referenced_file(file, key: str, value, base: Path) -> Path:
    """The file a key of `file` names (relative to `base`), resolved and readable."""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(file, key, f"expected a file name (a string, relative to this "
                            f"file), got {short(value)}")
    if "\0" in value:
        raise ScenarioError(file, key, "expected a file name, got a string with a NUL "
                            "character")
    try:
        path = (Path(base) / value).resolve()
    except (OSError, RuntimeError):
        raise ScenarioError(file, key, f"symlink loop in {short(value)}") from None
    problem = file_problem(path)
    if problem:
        raise ScenarioError(file, key, problem)
    return path


# --- values --------------------------------------------------------------------------------

def check_table(file, key: str, value, what: str | None = None) -> dict:
    """Reject a value that is not a table (`what` says how the user writes it)."""
    if not isinstance(value, dict):
        raise ScenarioError(file, key, f"expected {what or 'a table [' + key + ']'}, got "
                            f"{type(value).__name__} {short(value)}")
    return value


def check_list(file, key: str, value, what: str = "values", empty: bool = False) -> list:
    """Reject a value that is not a list (or, unless `empty`, an empty one)."""
    if not isinstance(value, list):
        raise ScenarioError(file, key, f"expected a list of {what}, e.g. [...], got "
                            f"{type(value).__name__} {short(value)}")
    if not value and not empty:
        raise ScenarioError(file, key, f"expected at least one of the {what}; got []")
    return value


def check_string(file, key: str, value) -> str:
    if not isinstance(value, str):
        raise ScenarioError(file, key, f"expected a string, got {type(value).__name__} "
                            f"{short(value)}")
    return value


def plain_name_problem(name: str) -> str | None:
    """Why `name` cannot name an output folder (None if it can)."""
    if not isinstance(name, str) or not PLAIN_NAME.fullmatch(name):
        return (f"{short(name)} cannot name an output folder (expected up to 100 letters, "
                "digits, _ - and ., not starting with a dot)")
    return None


def check_keys(file, table: dict, allowed, prefix: str = "", what: str = "key") -> None:
    """Reject a key that is not in `allowed`, suggesting the closest one."""
    if not isinstance(table, dict):
        raise ScenarioError(file, prefix or None, f"expected a table, got "
                            f"{type(table).__name__} {short(table)}")
    for k in table:
        if k not in allowed:
            key = f"{prefix}.{k}" if prefix else k
            listing = f"; expected one of {', '.join(allowed)}" if what == "table" else ""
            raise ScenarioError(file, key, f"unknown {what}{suggest(k, allowed)}{listing}")


def is_number(v) -> bool:
    """An int or float, not a bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_number(file, key, value, low, high, integer=False) -> None:
    """Reject a value that is not a number in [low, high] (a whole one if `integer`)."""
    if not is_number(value):
        raise ScenarioError(file, key, f"expected a number, got {type(value).__name__} "
                            f"{short(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(file, key, f"expected a finite number, got {value!r}")
    if integer and isinstance(value, float) and not value.is_integer():
        raise ScenarioError(file, key, f"expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise ScenarioError(file, key, f"expected a value in [{low:g}, {high:g}], got "
                            f"{short(value)}")
