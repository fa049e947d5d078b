"""The month cache's contract (model/month_cache.py): every phase that reads a cached
quantity sees the value its writer would compute now."""

import numpy as np
import pytest

import model.ecosystem as ecosystem
from model import AIEcosystemModel
from model.phases.labour_market import labour_needs
from model.state import ENTREPRENEUR, RESEARCH_INSTITUTE, SEEKING


@pytest.mark.parametrize("engine", ["mesa", "numba"])
def test_readers_see_current_cache(engine, monkeypatch):
    m = AIEcosystemModel(seed=8, scale=0.03, end_year=2019, engine=engine)
    seen = {"staff": 0, "talent_counts": 0, "labour_need": 0, "unfilled": 0, "researchers": 0,
            "handed_on": 0, "living": 0, "seekers": 0}
    written = {}

    def wrap(name, check):
        original = getattr(ecosystem, name)

        def phase(model):
            check(model)
            original(model)
        monkeypatch.setattr(ecosystem, name, phase)

    def staff_current(model):
        np.testing.assert_array_equal(model.cache.staff, model.heads_by_firm())
        seen["staff"] += 1

    def counts_current(model):
        np.testing.assert_array_equal(model.cache.talent_counts, model.talent_by_city_tier())
        seen["talent_counts"] += 1

    def researchers_current(model):
        np.testing.assert_array_equal(
            model.cache.researchers,
            model.talent_by_city_tier(RESEARCH_INSTITUTE).sum(axis=1))
        seen["researchers"] += 1

    def handed_on_current(reader):
        """What a pass handed on to `reader` (numba engine) is what a count gives now."""
        def check(model):
            handed = model.cache.handed_on.get(reader)
            if handed is None:
                return
            if reader != "apply_policy":          # a census
                count = model.census()
                np.testing.assert_array_equal(handed.heads, count.heads)
                np.testing.assert_array_equal(handed.by_city, count.by_city)
            else:
                np.testing.assert_array_equal(handed, model.heads_by_firm())
            seen["handed_on"] += 1
        return check

    def living_current(reader):
        """The living rows handed on to `reader` (numba engine) are the living rows now."""
        def check(model):
            rows = model.cache.handed_on.get(f"living for {reader}")
            if rows is not None:
                np.testing.assert_array_equal(rows, model.state.talent.alive_rows())
                seen["living"] += 1
        return check

    def need_current(model):
        assert model.cache.labour_need.shape[0] == model.state.enterprises.n
        seen["labour_need"] += 1

    def unfilled_from_last_labour_market(model):
        if "unfilled" in written:
            np.testing.assert_array_equal(model.cache.unfilled_vacancies, written["unfilled"])
            seen["unfilled"] += 1

    original_labour = ecosystem.labour_market

    def labour_market(model):
        handed_on_current("labour_market")(model)
        living_current("labour_market")(model)
        seekers = model.cache.handed_on.get("seekers for labour_market")
        if seekers is not None:            # the talent's month's seekers are those seeking now
            t = model.state.talent
            rows = t.alive_rows()
            np.testing.assert_array_equal(seekers, rows[t.employer[rows] == SEEKING])
            seen["seekers"] += 1
        need = model.cache.handed_on["need for labour_market"]     # both engines
        now = labour_needs(model)          # founders' need is raised to their number
        np.testing.assert_array_equal(np.delete(need, ENTREPRENEUR, axis=1),
                                      np.delete(now, ENTREPRENEUR, axis=1))
        assert (need[:, ENTREPRENEUR] >= now[:, ENTREPRENEUR]).all()
        original_labour(model)
        e = model.state.enterprises
        alive = e.alive_rows()
        written["unfilled"] = np.floor(model.cache.vacancies[alive]).sum(axis=0)
        # after matching, nobody employed sits in a firm that had no opening left to fill
        assert (model.cache.vacancies >= 0).all()
        t = model.state.talent
        assert (t.employer[: t.n][t.alive[: t.n]] >= -2).all()

    monkeypatch.setattr(ecosystem, "labour_market", labour_market)
    wrap("innovation", staff_current)
    wrap("market", lambda model: (staff_current(model), need_current(model)))
    wrap("entry_exit", lambda model: (staff_current(model), counts_current(model),
                                      living_current("entry_exit")(model),
                                      handed_on_current("entry_exit")(model)))
    wrap("apply_policy", lambda model: (counts_current(model),
                                        handed_on_current("apply_policy")(model)))
    wrap("finance", researchers_current)
    wrap("talent_month", lambda model: (unfilled_from_last_labour_market(model),
                                        counts_current(model),
                                        living_current("talent_month")(model),
                                        handed_on_current("talent_month")(model)))
    while m.running:
        m.step()
    assert seen["staff"] == 3 * m.n_months and seen["talent_counts"] == 3 * m.n_months
    assert seen["researchers"] == m.n_months
    # the numba engine hands on staff to every labour market and every policy but the first
    assert seen["handed_on"] == (4 * m.n_months - 2 if engine == "numba" else 0)
    assert seen["living"] == (3 * m.n_months - 1 if engine == "numba" else 0)
    assert seen["seekers"] == (m.n_months if engine == "numba" else 0)
    assert seen["labour_need"] == m.n_months and seen["unfilled"] == m.n_months - 1


def test_cache_is_written_by_the_labour_market():
    m = AIEcosystemModel(seed=2, scale=0.02, end_year=2017)
    assert m.cache.staff.shape == (0, 5)          # nothing before the first labour market
    m.step()
    e = m.state.enterprises
    # firms founded after the labour market (entry_exit) are not in this month's staff
    assert m.cache.staff.shape == (e.n - m.tally.firm_flows["entries"], 5)
    assert m.cache.labour_need.shape[1] == 5 and m.cache.unfilled_vacancies.shape == (5,)
