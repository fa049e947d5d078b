"""The phases of a month (docs/ODD.md §3), one module each, in the order `step()` calls them.

Each module holds the phase function (`phase(model)`: aggregates, draws, dispatch), the
agents' Mesa method forms of its rules (the mesa engine, bound to the agent classes in
`model/agents.py`) and their numba kernels (the numba engine), side by side, so a rule is
changed in one file. `dispatch.act` runs a rule under the model's engine.
"""

from . import (
    entry_exit,
    finance,
    housing,
    innovation,
    labour_market,
    market,
    policy,
    record,
    talent_month,
    wages,
)

ORDER = (policy, talent_month, labour_market, wages, housing, finance, innovation, market,
         entry_exit, record)
