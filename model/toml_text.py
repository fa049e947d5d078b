"""Values as TOML text, exactly (tomli_w): what `zjai show` prints and what `zjai optimize`
writes into `recommended.toml`, so that both files load back to the same numbers."""

from __future__ import annotations

import tomli_w


def toml_value(v) -> str:
    """A number as TOML: whole floats (below 1e15, exact) as integers; others in full."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return tomli_w.dumps({"v": v})[4:-1]


def lever_value(spec) -> str:
    """A lever value: a constant, or a schedule as an inline table { 2017 = 5, 2018 = 40 }."""
    if isinstance(spec, dict):
        return "{ " + ", ".join(f"{y} = {toml_value(v)}" for y, v in sorted(spec.items())) + " }"
    return toml_value(spec)
