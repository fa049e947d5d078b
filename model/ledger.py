"""The money of the model in one double-entry table: every flow, from account to account.

Accounts (sectors): the AI firms, the funds, the province's AI budget (`province`), the
province's general treasury (appropriates the AI budget, receives corporate tax, gets back
lapsed money and the government's share of fund distributions), the cities (receive
programme money and spend it at once), Zhejiang's households and suppliers (wages, other
costs, R&D services, dividends, local purchases of AI products), and the outside world
(customers outside Zhejiang, acquirers of venture-backed firms, social capital).

Each month `flows[a, b]` holds what account a paid to account b. Firms, funds and the
province hold balances (cash, dry powder, budget): the identity test
(tests/test_invariants.py) checks every month that the change of each balance equals its
ledger inflows minus outflows, and that the agents' own flow records agree with the ledger.
"""

from __future__ import annotations

import numpy as np
from numba import njit

ACCOUNTS = ("firms", "funds", "province", "treasury", "cities", "households", "outside")
FIRMS, FUNDS, PROVINCE, TREASURY, CITIES, HOUSEHOLDS, OUTSIDE = range(len(ACCOUNTS))
INDEX = {name: i for i, name in enumerate(ACCOUNTS)}


@njit(cache=True)
def book_flow(month, year, payer, payee, amount):
    """`Ledger.book` on the ledger's tables (`Ledger.month`, `Ledger.year`), for kernels."""
    month[payer, payee] += amount
    year[payer, payee] += amount


@njit(cache=True)
def book_each(month, year, payer, payee, amount, times):
    """`Ledger.book(payer, payee, amount)` `times` times in a row, on the ledger's tables
    (one payment of each of `times` payers: the same sums as booking them one by one)."""
    for _ in range(times):
        book_flow(month, year, payer, payee, amount)


class Ledger:
    """This month's flows between accounts (1e8 yuan, scaled units), and the year's."""

    def __init__(self):
        self.month = np.zeros((len(ACCOUNTS), len(ACCOUNTS)))
        self.year = np.zeros((len(ACCOUNTS), len(ACCOUNTS)))

    def begin_month(self, new_year: bool) -> None:
        self.month[:] = 0.0
        if new_year:
            self.year[:] = 0.0

    def book(self, payer: int, payee: int, amount: float) -> None:
        """Record that `payer` paid `amount` to `payee` this month."""
        self.month[payer, payee] += amount
        self.year[payer, payee] += amount

    def inflow(self, account: int) -> float:
        """What `account` received this month from every account (itself included)."""
        return float(self.month[:, account].sum())

    def outflow(self, account: int) -> float:
        """What `account` paid this month to every account (itself included)."""
        return float(self.month[account, :].sum())

    def net(self, account: int) -> float:
        return self.inflow(account) - self.outflow(account)
