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

from typing import NamedTuple

import numpy as np

from .ledger import CITIES, FIRMS, FUNDS, HOUSEHOLDS, PROVINCE, TREASURY

PROGRAMMES = ("key_rd", "rd_platforms", "innovation_platforms", "pilots", "zones",
              "incubators", "major_projects", "talent_programmes")
HEADROOM = 1.2          # a programme may spend up to 1.2 x its plan when money allows


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
        self.carry_100m_yuan = 0.0        # last year's unspent appropriation (spent first)
        self.fresh_100m_yuan = 0.0        # this year's appropriation not yet spent
        self.allocation = {p: 0.0 for p in PROGRAMMES}   # left to spend this year
        self.allocated = {p: 0.0 for p in PROGRAMMES}    # given in January
        self.spent_month_100m_yuan = 0.0
        self.budget_year_100m_yuan = 0.0      # available this year, all lines
        self.spending_year_100m_yuan = 0.0    # paid out this year, all lines
        self.tax_expenditure_year_100m_yuan = 0.0
        self.refused_year = {p: 0 for p in PROGRAMMES}   # items refused for lack of money
        self.pipeline: list[Item] = []                   # approved items under way

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
        self.refused_year = {p: 0 for p in PROGRAMMES}
        total = sum(planned.values())
        factor = min(HEADROOM, self.budget_left_100m_yuan / total) if total > 0 else 0.0
        self.allocation = {p: planned.get(p, 0.0) * factor for p in PROGRAMMES}
        self.allocated = dict(self.allocation)

    def funded_share(self, programme: str, planned: float) -> float:
        """Share of a programme's plan its allocation can pay (at most 1)."""
        return min(1.0, self.allocation[programme] / planned) if planned > 0 else 0.0

    def spend(self, programme: str, amount: float) -> bool:
        """Pay `amount` for `programme` from its allocation of the fiscal AI line, if enough
        is left (the payee is booked by the grant methods); False when refused."""
        if amount > self.allocation[programme] + 1e-12 or amount > self.budget_left_100m_yuan + 1e-12:
            self.refused_year[programme] += 1
            return False
        self.allocation[programme] -= amount
        from_carry = min(amount, self.carry_100m_yuan)
        self.carry_100m_yuan -= from_carry
        self.fresh_100m_yuan -= amount - from_carry
        self.spent_month_100m_yuan += amount
        self.spending_year_100m_yuan += amount
        return True

    def appropriate_line(self, amount: float) -> None:
        """A separately appropriated line (Zhejiang Lab, fund capital): appropriated and paid
        at once, so it counts in the year's budget and spending alike."""
        self.ledger.book(TREASURY, PROVINCE, amount)
        self.budget_year_100m_yuan += amount
        self.spending_year_100m_yuan += amount
        self.spent_month_100m_yuan += amount

    def forgo_tax(self, amount: float) -> None:
        """Record tax revenue forgone through the AI tax relief (off-budget)."""
        self.tax_expenditure_year_100m_yuan += amount

    # --- payees ---------------------------------------------------------------------------
    def grant_firm(self, i: int, amount: float) -> None:
        """Pay a grant, subsidy or contract into firm `i`'s cash."""
        e = self.state.enterprises
        e.cash_100m_yuan[i] += amount
        e.inflow_month_100m_yuan[i] += amount
        e.grant_month_100m_yuan[i] += amount
        self.ledger.book(PROVINCE, FIRMS, amount)

    def grant_city(self, c: int, amount: float) -> None:
        """Pay money to city `c` (platforms, zones, incubators, Zhejiang Lab), which spends it
        at once on staff and suppliers."""
        self.state.cities.funds_received_100m_yuan[c] += amount
        self.ledger.book(PROVINCE, CITIES, amount)
        self.ledger.book(CITIES, HOUSEHOLDS, amount)

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
