"""Behavioural parameters: every number a mechanism uses, named, with unit and source.

Parameters describe how agents behave (the EMA Workbench "uncertainties"); they are
apart from the plan's policy levers (`levers.py`). A scenario may override any of
them under `[parameters]`. Values marked "assumption" are the modeller's stated
judgement; `zjai calibrate` fits a declared subset (experiments/calibration.toml) and writes
the fitted values to scenarios/calibrated.toml, which every shipped scenario extends.
"""

from __future__ import annotations

from .parameters import ALL
from .parameters.base import Parameter

__all__ = ["PARAMETERS", "Parameter", "Params", "Values"]

# declared by concern in model/parameters/ (market, firms, talent, innovation, finance, entry)
PARAMETERS: dict[str, Parameter] = {p.name: p for p in ALL}


class Values:
    """Attribute access to the defaults of a registry, overridden by a scenario."""

    registry: dict[str, Parameter] = {}
    kind = "parameter"

    def __init__(self, overrides: dict[str, float] | None = None):
        values = {name: p.default for name, p in self.registry.items()}
        for name, value in (overrides or {}).items():
            if name not in self.registry:
                raise KeyError(f"unknown {self.kind} {name!r}")
            values[name] = float(value)
        self.__dict__.update(values)

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


class Params(Values):
    """Behavioural parameter values of one run."""

    registry = PARAMETERS
