"""The national AI market and Zhejiang's rivals (model/phases/rivals.py)."""

import numpy as np
import pytest

from model import AIEcosystemModel, load_scenario
from model.phases import rivals
from model.phases.rivals import RIVALS, push_factors, target_shares
from model.scenario import ScenarioError


def _run(scenario, events=(), end=2021, scale=0.03, seed=5, months=None):
    kw = scenario.model_kwargs()
    kw.update(end_year=end, events=[*kw["events"], *events])
    m = AIEcosystemModel(**kw, seed=seed, scale=scale)
    for _ in range(m.n_months if months is None else months):
        m.step()
    return m


@pytest.fixture(scope="module")
def plan(scenarios_dir):
    return load_scenario(scenarios_dir / "plan.toml", posterior=False)


def test_logit_shares_stay_inside_zero_one_for_any_capability():
    m = AIEcosystemModel(seed=1, scale=0.01, end_year=2017)
    P, economy = m.params, m.economy
    for k in (1e-9, 1e-3, 1.0, 1e3, 1e9):
        for push in (1e-3, 1.0, 1e3):
            economy.rival_knowledge = np.full(len(RIVALS), 1.0)
            s, h = target_shares(P, economy, k, np.full(len(RIVALS), push))
            assert 0.0 < s < 1.0 and 0.0 < h < 1.0
    # at parity (2017) the targets are the 2017 shares: nothing moves by itself
    s, h = target_shares(P, economy, 1.0, np.ones(len(RIVALS)))
    assert s == pytest.approx(economy.external_share_2017)
    assert h == pytest.approx(P.home_share_2017)
    # a better Zhejiang wins share; a stronger rival takes it
    assert target_shares(P, economy, 2.0, np.ones(5))[0] > s
    assert target_shares(P, economy, 1.0, np.array([2.0, 1, 1, 1, 1]))[0] < s


def test_a_push_phases_in_and_persists():
    m = AIEcosystemModel(seed=1, scale=0.01, end_year=2017,
                         events=[{"kind": "rival_push", "rival": "Guangdong", "start": 2018,
                                  "duration": 2, "magnitude": 4.0}])
    g = RIVALS.index("Guangdong")
    assert push_factors(m, 11)[g] == 1.0                         # December 2017
    assert push_factors(m, 23)[g] == pytest.approx(2.0)          # halfway: 4^(1/2)
    assert push_factors(m, 35)[g] == pytest.approx(4.0)          # done
    assert push_factors(m, 100)[g] == pytest.approx(4.0)         # and it stays
    assert np.delete(push_factors(m, 100), g).tolist() == [1.0] * 4


def test_rivals_catch_up_on_a_zhejiang_lead():
    m = AIEcosystemModel(seed=1, scale=0.01, end_year=2017)
    m.params.global_frontier_growth_per_year = 0.0
    m.state.enterprises.knowledge[:] *= 3.0          # Zhejiang pulls ahead
    before = m.economy.rival_knowledge.copy()
    for _ in range(12):
        rivals.compete(m)
    after = m.economy.rival_knowledge
    assert (after > before).all() and (after < 3.0).all()
    assert m.economy.external_share > m.economy.external_share_2017


def test_a_rivals_push_lowers_zhejiangs_share(plan):
    push = {"kind": "rival_push", "rival": "Guangdong", "start": 2018, "duration": 2,
            "magnitude": 3.0}
    calm, pushed = _run(plan), _run(plan, [push])
    share = {name: m.recorder.frame().query("indicator == 'national_ai_market_share'")
             .set_index("year").value for name, m in (("calm", calm), ("pushed", pushed))}
    assert share["pushed"][2017] == share["calm"][2017]
    assert share["pushed"][2021] < share["calm"][2021] - 0.01
    assert pushed.economy.external_share < calm.economy.external_share
    assert pushed.economy.home_share < calm.economy.home_share


def test_share_and_national_market_are_recorded_and_bounded(plan):
    m = _run(plan, end=2019)
    df = m.recorder.frame().query("region == 'Zhejiang'").set_index(["indicator", "year"]).value
    for year in (2017, 2018, 2019):
        assert 0.0 < df["national_ai_market_share", year] < 0.5
    assert df["national_ai_market_100m_yuan", 2019] > df["national_ai_market_100m_yuan", 2017]
    # the market includes what Zhejiang's firms sell: more than their revenue
    assert (df["national_ai_market_100m_yuan", 2019]
            > df["ai_enterprise_revenue_100m_yuan", 2019])


def test_a_demand_shock_makes_revenue_fall_and_firms_shed_staff(plan):
    """Lags and downturns: revenue falls month on month when the shock hits, and the firms'
    AI staff shrinks over the shock year as their rolling revenue (and so their need) falls."""
    shock = {"kind": "demand_shock", "start": 2019, "duration": 1, "magnitude": 0.4}
    m = _run(plan, [shock], end=2019, months=24)      # to December 2018
    t = m.state.talent

    def employed():
        return int((t.alive[: t.n] & (t.employer[: t.n] >= 0)).sum())

    staff_before, revenue = employed(), m.economy.revenue_history
    m.step()                                          # January 2019
    assert revenue[-1] < 0.7 * revenue[-2]
    for _ in range(11):
        m.step()
    assert employed() < staff_before


@pytest.mark.parametrize("event, key, needle", [
    ({"kind": "rival_push", "start": 2020, "magnitude": 2}, "events[0].rival", "Beijing"),
    ({"kind": "rival_push", "start": 2020, "rival": "Bejing", "magnitude": 2},
     "events[0].rival", "did you mean"),
    ({"kind": "rival_push", "start": 2020, "rival": "Shanghai"}, "events[0].magnitude",
     "missing"),
    ({"kind": "rival_push", "start": 2020, "rival": "Shanghai", "magnitude": 0},
     "events[0].magnitude", "0.01"),
    ({"kind": "demand_shock", "start": 2020, "rival": "Shanghai"}, "events[0].rival",
     "only a rival_push"),
])
def test_bad_rival_pushes_are_refused_with_the_key(event, key, needle, tmp_path):
    from model.scenario import _validate

    with pytest.raises(ScenarioError) as info:
        _validate(tmp_path / "s.toml", {"events": [event]}, ["Hangzhou"])
    assert info.value.key == key
    assert needle in str(info.value)


@pytest.mark.parametrize("name", ["plan", "baseline"])
def test_share_and_market_stay_in_their_sourced_ranges_to_2030(name, scenarios_dir):
    """Zhejiang's national share stays in (0, 0.5) every year (issue 13), and the national
    market grows 2020-2030 at about the pace of the national plan's goals (国发〔2017〕35号:
    1500亿 -> 1万亿, 21%/year; CAICT's 2020 growth 15%): within 12-30%/year."""
    sc = load_scenario(scenarios_dir / f"{name}.toml", posterior=False)
    df = _run(sc, end=2030, scale=0.03).recorder.frame().query("region == 'Zhejiang'")
    share = df.query("indicator == 'national_ai_market_share'").set_index("year").value
    assert ((share > 0.0) & (share < 0.5)).all(), share.max()
    market = df.query("indicator == 'national_ai_market_100m_yuan'").set_index("year").value
    growth = (market[2030] / market[2020]) ** 0.1 - 1.0
    assert 0.12 < growth < 0.30, growth


@pytest.mark.parametrize("local_share, home", [(0.1, 0.6), (0.35, 0.6), (0.6, 0.4)])
def test_the_2017_national_share_is_the_sourced_one_whatever_the_local_sales(local_share,
                                                                             home):
    """`national_share_2017` sizes the outside market: Zhejiang's 2017 share of the whole
    national market is the parameter, not a by-product of the local sales share."""
    from model.params import Params

    P = Params({"local_sales_share_2017": local_share, "home_share_2017": home})
    L, O = local_share * 100.0, (1 - local_share) * 100.0
    s0 = rivals.outside_share_2017(P, L, O)
    assert 0.0 < s0 < rivals.MAX_OUTSIDE_SHARE_2017
    assert (L + O) / (L / home + O / s0) == pytest.approx(P.national_share_2017)


def test_an_impossible_2017_share_falls_back_to_the_largest_outside_share():
    """Local sales at a small home share can make Zhejiang's adopters alone too large a
    part of the market for the sourced share: the outside share is then capped."""
    from model.params import Params

    P = Params({"national_share_2017": 0.36, "home_share_2017": 0.3})
    assert rivals.outside_share_2017(P, 90.0, 10.0) == rivals.MAX_OUTSIDE_SHARE_2017  # M < 0
    # an outside market that exists but would give Zhejiang more than half of it
    L, O = 60.0, 40.0
    assert 0.0 < (L + O) / 0.36 - L / 0.3 <= O / rivals.MAX_OUTSIDE_SHARE_2017
    assert rivals.outside_share_2017(P, L, O) == rivals.MAX_OUTSIDE_SHARE_2017
    # just inside: the derived share, below the cap
    assert rivals.outside_share_2017(P, 30.0, 70.0) < rivals.MAX_OUTSIDE_SHARE_2017


def test_the_recorded_2017_share_is_the_parameter(plan):
    """Over 2017, what Zhejiang's firms sell over the national market is
    `national_share_2017` (up to the year's small moves), at any local sales share."""
    for local in (0.15, 0.45):
        kw = plan.model_kwargs()
        kw.update(end_year=2017,
                  parameters={**kw["parameters"], "local_sales_share_2017": local})
        m = AIEcosystemModel(**kw, seed=5, scale=0.05)
        while m.running:
            m.step()
        share = m.recorder.frame().query(
            "region == 'Zhejiang' and indicator == 'national_ai_market_share'").value.iloc[0]
        assert share == pytest.approx(m.params.national_share_2017, abs=0.005)


def test_the_rest_of_china_saturates_at_the_adoption_ceiling():
    m = AIEcosystemModel(seed=1, scale=0.01, end_year=2017)
    m.params.bass_imitation_per_year = 3.0          # fast, so it reaches the ceiling
    for _ in range(600):
        rivals.compete(m)
    assert m.economy.national_adoption == pytest.approx(m.params.adoption_ceiling, rel=1e-6)
    assert m.economy.national_adoption <= m.params.adoption_ceiling


def test_the_share_counts_what_zhejiang_sold_after_the_chip_cap(plan):
    """A chip restriction cuts what Zhejiang's hardware makers can deliver: its national
    share (sales over the market) falls in the restriction's first year, while the market
    (buyers' demand, served by rivals where Zhejiang cannot) barely moves."""
    cap = {"kind": "chip_restriction", "start": 2019, "duration": 12, "magnitude": 0.5}
    frames = [m.recorder.frame().query("region == 'Zhejiang'").set_index(["indicator", "year"])
              .value for m in (_run(plan, end=2019), _run(plan, [cap], end=2019))]
    free, capped = frames
    share, market = "national_ai_market_share", "national_ai_market_100m_yuan"
    assert capped[share, 2018] == free[share, 2018]
    assert capped[share, 2019] < 0.95 * free[share, 2019]
    assert capped[market, 2019] == pytest.approx(free[market, 2019], rel=0.03)
