"""The province's books: the AI budget, its programmes, and every public payment.

Budget lines (三.(一), 四.(二)):
- the fiscal AI line: appropriated each January from `fiscal_ai_funding_100m_yuan_per_year`
  (times the year's mean `funding_freeze` factor). It pays the programmes of the plan: key
  R&D grants, flagship and innovation platforms, application pilots, demonstration zones,
  incubator places, major-project co-finance and talent-programme subsidies. Carry-over
  rule: money unspent at the end of the year it was appropriated carries over one year and
  is spent first; what is still unspent a year later lapses to the treasury (the two-year
  rule for carried-over balances of China's budget law practice, 结转结余资金).
  Allocation rule: each programme gets its planned cost for the year, times up to 1.2 when
  money allows; when the planned costs exceed the money available, every programme gets the
  same share of its plan (pro-rata rationing), so a smaller budget cuts every programme.
- separately appropriated lines, paid as appropriated: Zhejiang Lab (三.(三)) and the
  capital of the guidance, angel-support and science funds (三.(一)).
- off-budget: the tax expenditure of the AI tax relief (四.(二)), revenue forgone.

Every payment is booked in the ledger (`model/ledger.py`) from the province to its payee.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from numba import njit

from .ledger import CITIES, FIRMS, FUNDS, HOUSEHOLDS, PROVINCE, TREASURY, book_flow

PROGRAMMES = ("key_rd", "rd_platforms", "innovation_platforms", "pilots", "zones",
              "incubators", "major_projects", "talent_programmes")
PROGRAMME = {name: p for p, name in enumerate(PROGRAMMES)}
HEADROOM = 1.2          # a programme may spend up to 1.2 x its plan when money allows
# the accounts of the fiscal AI line, one array (`Province.accounts`) that the policy
# kernels write as the methods do (1e8 yuan, scaled units)
ACCOUNTS = ("carry_100m_yuan",          # last year's unspent appropriation (spent first)
            "fresh_100m_yuan",          # this year's appropriation not yet spent
            "spent_month_100m_yuan",
            "budget_year_100m_yuan",    # available this year, all lines
            "spending_year_100m_yuan",  # paid out this year, all lines
            "tax_expenditure_year_100m_yuan")
CARRY, FRESH, SPENT_MONTH, BUDGET_YEAR, SPENDING_YEAR, TAX_YEAR = range(len(ACCOUNTS))


@njit(cache=True)
def spend_from(accounts, allocation, refused, p, amount):
    """`Province.spend` on the arrays: pay `amount` for programme `p` from its allocation of
    the fiscal AI line, if enough is left; False (and counted) when refused."""
    left = accounts[CARRY] + accounts[FRESH]
    if amount > allocation[p] + 1e-12 or amount > left + 1e-12:
        refused[p] += 1
        return False
    allocation[p] -= amount
    from_carry = min(amount, accounts[CARRY])
    accounts[CARRY] -= from_carry
    accounts[FRESH] -= amount - from_carry
    accounts[SPENT_MONTH] += amount
    accounts[SPENDING_YEAR] += amount
    return True


class Budget(NamedTuple):
    """The arrays a payment writes (`Province.budget()`): the province's accounts and
    allocations, the ledger's tables and the cities' receipts."""

    accounts: np.ndarray          # Province.accounts
    allocation: np.ndarray        # Province.allocation_100m_yuan
    refused: np.ndarray           # Province.refused
    ledger_month: np.ndarray
    ledger_year: np.ndarray
    funds_received: np.ndarray    # cities.funds_received_100m_yuan


@njit(cache=True, error_model="numpy")
def spend(budget, programme, amount):
    """`spend_from` on a `Budget` (the policy kernels' `Province.spend`)."""
    return spend_from(budget.accounts, budget.allocation, budget.refused, programme, amount)


@njit(cache=True, error_model="numpy")
def pay_firm(budget, e, i, amount):
    """A grant, subsidy or contract into firm `i`'s cash (`e`: its cash, inflow and grant
    columns), booked from the province."""
    e.cash_100m_yuan[i] += amount
    e.inflow_month_100m_yuan[i] += amount
    e.grant_month_100m_yuan[i] += amount
    book_flow(budget.ledger_month, budget.ledger_year, PROVINCE, FIRMS, amount)


@njit(cache=True, error_model="numpy")
def pay_city(budget, c, amount):
    """Money to city `c` (platforms, zones, incubators, Zhejiang Lab), which spends it at
    once on staff and suppliers."""
    budget.funds_received[c] += amount
    book_flow(budget.ledger_month, budget.ledger_year, PROVINCE, CITIES, amount)
    book_flow(budget.ledger_month, budget.ledger_year, CITIES, HOUSEHOLDS, amount)


def account(index: int, doc: str) -> property:
    """One entry of `Province.accounts` as a float attribute."""
    def get(self) -> float:
        return float(self.accounts[index])

    def set(self, value: float) -> None:
        self.accounts[index] = value
    return property(get, set, doc=doc)


class Item(NamedTuple):
    """An approved programme item under way (a platform, pilot, zone or major project)."""

    kind: str          # the programme
    city: int
    done_month: int    # model month in which it completes
    failed: bool       # decided at approval; revealed at completion
    firm: int          # host firm (major projects), else -1
    size: float        # investment, 1e8 yuan (major projects), else 0


class Province:
    """The AI budget of the year, its programme allocations and the year's public accounts
    (1e8 yuan, scaled units)."""

    def __init__(self, state, ledger):
        self.state = state
        self.ledger = ledger
        self.accounts = np.zeros(len(ACCOUNTS))
        self.allocation_100m_yuan = np.zeros(len(PROGRAMMES))   # left to spend this year
        self.allocated_100m_yuan = np.zeros(len(PROGRAMMES))    # given in January
        self.refused = np.zeros(len(PROGRAMMES), dtype=np.int64)  # items refused this year
        self.pipeline: list[Item] = []                   # approved items under way

    carry_100m_yuan = account(CARRY, "last year's unspent appropriation (spent first)")
    fresh_100m_yuan = account(FRESH, "this year's appropriation not yet spent")
    spent_month_100m_yuan = account(SPENT_MONTH, "paid out this month, all lines")
    budget_year_100m_yuan = account(BUDGET_YEAR, "available this year, all lines")
    spending_year_100m_yuan = account(SPENDING_YEAR, "paid out this year, all lines")
    tax_expenditure_year_100m_yuan = account(TAX_YEAR, "tax revenue forgone this year")

    @property
    def allocation(self) -> MappingProxyType:
        """What each programme has left to spend this year (read only)."""
        return MappingProxyType(dict(zip(PROGRAMMES, self.allocation_100m_yuan.tolist())))

    @property
    def allocated(self) -> MappingProxyType:
        """What each programme was given in January (read only)."""
        return MappingProxyType(dict(zip(PROGRAMMES, self.allocated_100m_yuan.tolist())))

    @property
    def refused_year(self) -> MappingProxyType:
        """Items refused for lack of money this year, by programme (read only)."""
        return MappingProxyType(dict(zip(PROGRAMMES, self.refused.tolist())))

    def start_item(self, kind: str, city: int, done_month: int, failed: bool, firm: int = -1,
                   size: float = 0.0) -> None:
        self.pipeline.append(Item(kind, city, done_month, failed, firm, size))

    def take_completed(self, month: int) -> list[Item]:
        """Items whose delay ends by `month`, in the order they were approved."""
        done = [item for item in self.pipeline if item.done_month <= month]
        self.pipeline = [item for item in self.pipeline if item.done_month > month]
        return done

    def under_way(self, kind: str) -> int:
        return sum(item.kind == kind for item in self.pipeline)

    def under_way_by_city(self, kind: str, n_cities: int) -> np.ndarray:
        out = np.zeros(n_cities)
        for item in self.pipeline:
            if item.kind == kind:
                out[item.city] += 1
        return out

    @property
    def budget_left_100m_yuan(self) -> float:
        """Money of the fiscal AI line not yet spent (carried over plus this year's)."""
        return self.carry_100m_yuan + self.fresh_100m_yuan

    def begin_month(self) -> None:
        self.spent_month_100m_yuan = 0.0

    def open_year(self, appropriation: float, planned: dict[str, float]) -> None:
        """January: lapse what was carried over and is still unspent, carry over last year's
        unspent money, appropriate this year's and allocate it to the programmes."""
        if self.carry_100m_yuan > 0:
            self.ledger.book(PROVINCE, TREASURY, self.carry_100m_yuan)
        self.carry_100m_yuan = self.fresh_100m_yuan
        self.fresh_100m_yuan = appropriation
        self.ledger.book(TREASURY, PROVINCE, appropriation)
        self.budget_year_100m_yuan = self.budget_left_100m_yuan
        self.spending_year_100m_yuan = 0.0
        self.tax_expenditure_year_100m_yuan = 0.0
        self.refused[:] = 0
        total = sum(planned.values())
        factor = min(HEADROOM, self.budget_left_100m_yuan / total) if total > 0 else 0.0
        self.allocation_100m_yuan[:] = [planned.get(p, 0.0) * factor for p in PROGRAMMES]
        self.allocated_100m_yuan[:] = self.allocation_100m_yuan

    def funded_share(self, programme: str, planned: float) -> float:
        """Share of a programme's plan its allocation can pay (at most 1)."""
        return min(1.0, self.allocation[programme] / planned) if planned > 0 else 0.0

    def spend(self, programme: str, amount: float) -> bool:
        """Pay `amount` for `programme` from its allocation of the fiscal AI line, if enough
        is left (the payee is booked by the grant methods); False when refused."""
        return spend_from(self.accounts, self.allocation_100m_yuan, self.refused,
                          PROGRAMME[programme], float(amount))

    def appropriate_line(self, amount: float) -> None:
        """A separately appropriated line (Zhejiang Lab, fund capital): appropriated and paid
        at once, so it counts in the year's budget and spending alike."""
        self.ledger.book(TREASURY, PROVINCE, amount)
        self.accounts[BUDGET_YEAR] += amount
        self.accounts[SPENDING_YEAR] += amount
        self.accounts[SPENT_MONTH] += amount

    def forgo_tax(self, amount: float) -> None:
        """Record tax revenue forgone through the AI tax relief (off-budget)."""
        self.accounts[TAX_YEAR] += amount

    # --- payees ---------------------------------------------------------------------------
    def budget(self) -> Budget:
        """The arrays a payment writes, for `spend`, `pay_firm` and `pay_city`."""
        return Budget(self.accounts, self.allocation_100m_yuan, self.refused, self.ledger.month,
                      self.ledger.year, self.state.cities.funds_received_100m_yuan)

    def grant_city(self, c: int, amount: float) -> None:
        """Pay money to city `c` (`pay_city`)."""
        pay_city(self.budget(), c, amount)

    def grant_households(self, amount: float) -> None:
        """Pay talent-programme subsidies to the recruits."""
        self.ledger.book(PROVINCE, HOUSEHOLDS, amount)

    def capitalise_fund(self, f: int, amount: float) -> None:
        """Pay government capital into fund `f`."""
        self.fund_receive(f, amount, PROVINCE)

    def fund_receive(self, f: int, amount: float, payer: int) -> None:
        """Fund `f` receives cash from account `payer` (capital, social capital, proceeds)."""
        self.move_fund_cash(f, amount)
        self.ledger.book(payer, FUNDS, amount)

    def fund_pay(self, f: int, amount: float, payee: int) -> None:
        """Fund `f` pays cash to account `payee` (investments, grants, distributions)."""
        self.move_fund_cash(f, -amount)
        self.ledger.book(FUNDS, payee, amount)

    def fund_transfer(self, src: int, dst: int, amount: float) -> None:
        """Fund `src` pays fund `dst` (a guidance fund's tranche into a sub-fund)."""
        self.move_fund_cash(src, -amount)
        self.move_fund_cash(dst, amount)
        self.ledger.book(FUNDS, FUNDS, amount)

    def move_fund_cash(self, f: int, amount: float) -> None:
        """Fund `f`'s dry powder and flow records move by `amount` (in if positive)."""
        funds = self.state.funds
        funds.dry_powder_100m_yuan[f] += amount
        if amount >= 0:
            funds.inflow_month_100m_yuan[f] += amount
        else:
            funds.outflow_month_100m_yuan[f] -= amount
