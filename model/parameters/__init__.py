"""The behavioural parameters by concern, in the order `model.params.PARAMETERS` keeps:
each module declares its list with `base.declare` (value, unit, range, source, meaning)."""

from __future__ import annotations

from . import entry, finance, firms, innovation, market, talent
from .base import Parameter

ALL: list[Parameter] = [*market.PARAMETERS, *firms.PARAMETERS, *talent.PARAMETERS,
                        *innovation.PARAMETERS, *finance.PARAMETERS, *entry.PARAMETERS]
