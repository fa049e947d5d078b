"""The province's books: the fiscal AI budget and every public payment (三.(一), 四.(二)).

One public API for money that leaves the province or moves between accounts, called by
the phases and by the agents' methods, so each flow is booked once: `pay` checks and
draws the year's budget; `pay_off_budget` books money outside the fiscal AI line
(Zhejiang Lab, the province's fund capital); `grant_firm`, `grant_city`, `fund_receive`
and `fund_pay` move the money into or out of an agent's account with its flow records.
"""

from __future__ import annotations


class Province:
    """The fiscal AI budget of the year and the month's public spending (1e8 yuan, scaled)."""

    def __init__(self, state):
        self.state = state
        self.budget_left_100m_yuan = 0.0
        self.spent_month_100m_yuan = 0.0

    def begin_month(self, new_year: bool) -> None:
        """Reset the month's spending; unspent budget lapses at the end of the year."""
        self.spent_month_100m_yuan = 0.0
        if new_year:
            self.budget_left_100m_yuan = 0.0

    def appropriate(self, amount: float) -> None:
        """Add this month's share of the year's fiscal AI funding to the budget."""
        self.budget_left_100m_yuan += amount

    def pay(self, amount: float) -> bool:
        """Spend from this year's provincial AI budget if enough is left."""
        if amount > self.budget_left_100m_yuan + 1e-12:
            return False
        self.budget_left_100m_yuan -= amount
        self.spent_month_100m_yuan += amount
        return True

    def pay_off_budget(self, amount: float) -> None:
        """Book spending outside the fiscal AI line (Zhejiang Lab, fund capital)."""
        self.spent_month_100m_yuan += amount

    def grant_firm(self, i: int, amount: float) -> None:
        """Pay a grant or subsidy into firm `i`'s cash."""
        e = self.state.enterprises
        e.cash_100m_yuan[i] += amount
        e.inflow_month_100m_yuan[i] += amount
        e.grant_month_100m_yuan[i] += amount

    def grant_city(self, c: int, amount: float) -> None:
        """Pay money to city `c` (platforms, zones, pilots, incubators, Zhejiang Lab)."""
        self.state.cities.funds_received_100m_yuan[c] += amount

    def fund_receive(self, f: int, amount: float) -> None:
        """Fund `f` receives cash (capital, social capital, exit proceeds)."""
        funds = self.state.funds
        funds.dry_powder_100m_yuan[f] += amount
        funds.inflow_month_100m_yuan[f] += amount

    def fund_pay(self, f: int, amount: float) -> None:
        """Fund `f` pays cash out (investments, sub-fund tranches, grants, distributions)."""
        funds = self.state.funds
        funds.dry_powder_100m_yuan[f] -= amount
        funds.outflow_month_100m_yuan[f] += amount
