"""Checks shared by every input file (scenarios, experiments, calibrations).

Each failed check raises one `ScenarioError` naming the file, the key and what was
expected, with a did-you-mean suggestion where a name was mistyped.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path


class ScenarioError(ValueError):
    """A bad scenario file: `file`, `key` and what was expected."""

    def __init__(self, file, key: str | None, message: str):
        self.file, self.key, self.message = str(file), key, message
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + message)


def suggest(word: str, options) -> str:
    """' (did you mean 'x'?)' for the closest of `options`, or ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def read_toml(path: Path) -> tuple[str, dict]:
    """Text and tables of a TOML input file; one clear error if it is missing or invalid."""
    if not path.is_file():
        raise ScenarioError(path, None, f"file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, None, f"invalid TOML: {exc}") from None


def check_keys(file, table: dict, allowed, prefix: str = "", what: str = "key") -> None:
    """Reject a key that is not in `allowed`, suggesting the closest one."""
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
        raise ScenarioError(file, key, f"expected a number, got {type(value).__name__} {value!r}")
    if integer and float(value) != int(value):
        raise ScenarioError(file, key, f"expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise ScenarioError(file, key, f"expected a value in [{low:g}, {high:g}], got {value!r}")
