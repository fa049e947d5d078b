"""One behavioural parameter: default value, unit, plausible range, source and meaning."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Parameter:
    """One behavioural parameter: default value, unit, bounds, source and meaning."""

    name: str
    default: float
    unit: str
    low: float
    high: float
    source: str
    meaning: str
    group: str = field(default="")


def declare(group, name, default, unit, low, high, source, meaning) -> Parameter:
    """A parameter of `group` (its numbers as floats)."""
    return Parameter(name, float(default), unit, float(low), float(high), source, meaning, group)
