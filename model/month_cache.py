"""What one phase hands to a later one: the month cache, a declared contract.

Phases talk to each other only through the state (`model.state`) and through this
cache. Each field says which phase writes it and which phases read it; the invariant
tests (tests/test_month_cache.py) check that every read sees a current value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .state import N_TIERS


@dataclass
class MonthCache:
    """Quantities computed by one phase and read by later ones.

    staff               employed talent per firm row and tier (rows x 5), after the labour
                        market. Written by `labour_market`; read by `innovation`, `market`,
                        `entry_exit`. Until next month's `talent_month` nobody changes city,
                        tier or pool; only exits (whose staff nobody reads again) and founding
                        change employers, so it stays current for those readers.
    talent_counts       living talent per city and tier. Written at initialisation, by
                        `talent_month` (after its pass, then with each arrival) and by
                        `labour_market`; read by `entry_exit`, next month's `apply_policy` and
                        `talent_month` (the city utility on the month's opening peers).
    researchers         living talent at research institutes per city. Written at
                        initialisation and by `labour_market`; read by `finance` (the science
                        fund's grants).
    labour_need         AI talent each firm wants, by tier (rows x 5). Written by
                        `labour_market`; read by `market` (labour shortage caps revenue).
    vacancies           open positions per firm row and tier after hiring. Written by
                        `labour_market` (and its vacancy draws); read by nobody later.
    unfilled_vacancies  floor of open positions summed over firms, per tier. Written by
                        `labour_market`; read by next month's `talent_month` (the pull of
                        unfilled vacancies on market inflow).
    vacancies_by_city   open positions per city and tier as matching began. Written by
                        `labour_market`; read by `wages` (tightness).
    seekers_by_city     job seekers per city and tier as matching began. Written by
                        `labour_market`; read by `wages` (tightness).
    labour_by_city      talent per city, tier and kind of employer (`Census.by_city`) after
                        matching. Written by `labour_market`; read by `wages` (unemployment).
    handed_on           what one phase computed for a later one in the month, taken
                        (`take`) by that reader, which counts afresh when nothing was handed
                        on (the mesa engine, a new model, a phase run alone). Under the
                        numba engine the talent kernels keep current the
                        `aggregates.Census` of the talent, carried through the month (each
                        kernel moves only the rows it changes) under the name of its next
                        reader ("entry_exit", "talent_month", "labour_market"), the staff
                        after founding for "apply_policy", the living talent rows in order
                        ("living for <phase>") and the job seekers the talent's month left,
                        in row order ("seekers for labour_market"). Under both engines the
                        talent's month hands on the month's labour need, founders' need
                        raised to their number ("need for labour_market"). Separate counts
                        were 12% of a 1:1 run.
    working             arrays a phase fills afresh every month, kept from month to month
                        (`working_array`): only their memory is reused, never their values.
    """

    staff: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS), dtype=np.int64))
    talent_counts: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS)))
    researchers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    labour_need: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS)))
    vacancies: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS)))
    unfilled_vacancies: np.ndarray = field(default_factory=lambda: np.zeros(N_TIERS))
    vacancies_by_city: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS)))
    seekers_by_city: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS)))
    labour_by_city: np.ndarray = field(default_factory=lambda: np.zeros((0, N_TIERS, 3)))
    handed_on: dict = field(default_factory=dict)
    working: dict = field(default_factory=dict)

    def working_array(self, name: str, shape: tuple) -> np.ndarray:
        """A float array of `shape` in memory kept for `name` from month to month, holding
        whatever was left there: the phase writes every entry before reading it. Writing
        into last month's memory is faster than into new memory: the deal weights (2.5 MB
        at 1:1) took 0.36-0.47 ms a month in new arrays, 0.16-0.19 in kept ones."""
        size = int(np.prod(shape))
        memory = self.working.get(name)
        if memory is None or len(memory) < size:
            memory = self.working[name] = np.empty(size + size // 4 + 1024)
        return memory[:size].reshape(shape)

    def take(self, reader: str, count):
        """What was handed on to `reader` (no longer kept), or `count()` if nothing was."""
        value = self.handed_on.pop(reader, None)
        return count() if value is None else value
