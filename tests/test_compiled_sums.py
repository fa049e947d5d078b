"""Per-firm arithmetic moved from numpy into compiled passes (issue 16) gives numpy's
numbers bit for bit: the expressions below are the ones each pass replaced."""

import numpy as np
import pytest

from model.aggregates import row_sums
from model.phases.finance import deal_weights
from model.phases.labour_market import (
    StartupTeam,
    Vacancies,
    firm_needs,
    layoff_probabilities,
    open_positions,
    remove_rows,
    startup_teams,
    vacancies_by_city,
    whole_openings,
)
from model.phases.market import staffing
from model.state import ENGINEER, ENTREPRENEUR, N_TIERS
from model.streams import BLOCK, block_uniforms, uniform

N_CITIES = 11


def firms(n, seed=0):
    rng = np.random.default_rng(seed)
    return {"alive": rng.random(n) < 0.7,
            "city": rng.integers(0, N_CITIES, n),
            "birth": rng.integers(-60, 100, n),
            "revenue": rng.lognormal(-2.0, 2.0, n) * (rng.random(n) < 0.9),
            "cash": rng.normal(0.5, 1.0, n),
            "heads": rng.integers(0, 30, (n, N_TIERS)) * (rng.random((n, 1)) < 0.8),
            "wage": rng.lognormal(-1.0, 0.3, (N_CITIES, N_TIERS)),
            "rng": rng}


@pytest.mark.parametrize("n", [0, 1, 7, 2_000])
def test_row_sums_are_numpys(n):
    f = firms(n)
    values = f["rng"].lognormal(0.0, 3.0, (n, N_TIERS))
    assert np.array_equal(row_sums(values), values.sum(axis=1))
    assert np.array_equal(row_sums(f["heads"]), f["heads"].sum(axis=1))
    assert row_sums(f["heads"]).dtype == f["heads"].dtype


@pytest.mark.parametrize("n", [0, 1, 3_000])
def test_staffing_is_the_numpy_expression(n):
    f = firms(n, 1)
    need = f["rng"].lognormal(0.0, 2.0, (n, N_TIERS)) * (f["rng"].random((n, 1)) < 0.8)
    fill, bill = staffing(need, f["heads"], f["wage"], f["city"])
    total, have = need.sum(axis=1), f["heads"].sum(axis=1)
    assert np.array_equal(fill, np.where(total > 0, np.minimum(1.0, have / np.maximum(
        total, 1e-12)), 1.0))
    assert np.array_equal(bill, (f["heads"] * f["wage"][f["city"]]).sum(axis=1) / 12.0)


@pytest.mark.parametrize("n", [0, 1, 5_000])
def test_deal_weights_are_the_numpy_expression(n):
    rng = np.random.default_rng(2)
    seed = rng.lognormal(0.0, 1.0, n) * (rng.random(n) < 0.4)
    growth = rng.lognormal(0.0, 1.0, n) * (rng.random(n) < 0.3)
    city = rng.integers(0, N_CITIES, n)
    weights, cumulative = np.full((2, 2, N_CITIES, n), np.nan)      # anything left there
    deal_weights(seed, growth, city, 2.5, weights, cumulative)
    local = np.where(city[None, :] == np.arange(N_CITIES)[:, None], 2.5, 1.0)
    expected = np.stack([seed * local, growth * local])
    assert np.array_equal(weights, expected)
    assert np.array_equal(cumulative, np.cumsum(expected, axis=2))


def test_labour_needs_and_layoffs_are_the_numpy_expressions():
    n, month = 4_000, 40
    f = firms(n, 3)
    team = StartupTeam(36.0, 0.2, 2.0, 0.3, 24.0)
    per_revenue = f["rng"].lognormal(1.0, 1.0, N_TIERS)
    factor = f["rng"].lognormal(0.0, 0.2, (N_CITIES, N_TIERS))
    eng = f["wage"][:, ENGINEER].copy()
    # the numpy expressions of labour_needs and labour_market before they were compiled
    young = (((month - f["birth"]) < 36) & (f["revenue"] < 0.2))
    eng_month = eng[f["city"]] / 12.0
    team_np = np.where(young, 2 + 0.3 * np.maximum(f["cash"], 0.0) / (24 * eng_month), 0.0)
    assert np.array_equal(startup_teams(np.arange(n), month, f["birth"], f["revenue"],
                                        f["cash"], f["city"], eng, team), team_np)
    expected = np.outer(f["revenue"], per_revenue)
    expected *= factor[f["city"]]
    expected[:, ENGINEER] = np.maximum(expected[:, ENGINEER], team_np)
    expected[~f["alive"]] = 0.0
    need = firm_needs(n, f["alive"], month, f["birth"], f["revenue"], f["cash"], f["city"],
                      per_revenue, factor, eng, team)
    assert np.array_equal(need, expected)
    heads = f["heads"]
    expected[:, ENTREPRENEUR] = np.maximum(expected[:, ENTREPRENEUR], heads[:, ENTREPRENEUR])
    excess = np.maximum(heads - expected * 1.1, 0.0)
    layoff = np.where(heads > 0, 0.1 * excess / np.maximum(heads, 1), 0.0)
    assert np.array_equal(layoff_probabilities(need, heads, 0.1, 0.1), layoff)
    assert np.array_equal(need, expected)      # founders' need raised in place


def test_vacancies_are_the_numpy_expressions():
    n = 3_000
    f = firms(n, 4)
    need = f["rng"].lognormal(1.0, 1.5, (n, N_TIERS))
    alive = np.flatnonzero(f["alive"])
    v = Vacancies(*open_positions(need, f["heads"], alive, f["city"], N_CITIES))
    open_np = np.maximum(need - f["heads"], 0.0)
    assert np.array_equal(v.open, open_np)
    order = alive[np.argsort(f["city"][alive], kind="stable")]
    assert np.array_equal(v.city_firms, order)
    assert np.array_equal(v.weights, open_np[order].T)
    by_city = np.zeros((N_CITIES, N_TIERS))
    for c in range(N_CITIES):
        by_city[c] = open_np[v.city_firms[v.city_firm_ptr[c]:v.city_firm_ptr[c + 1]]].sum(axis=0)
    assert np.array_equal(vacancies_by_city(v), by_city)
    assert np.array_equal(whole_openings(v.open, alive), np.floor(open_np[alive]).sum(axis=0))


@pytest.mark.parametrize("n_gone", [0, 1, 50, 999])
def test_remove_rows_keeps_the_others_in_order(n_gone):
    rng = np.random.default_rng(n_gone)
    rows = np.sort(rng.choice(5_000, 1_000, replace=False)).astype(np.int64)
    gone = np.sort(rng.choice(rows, n_gone, replace=False))
    kept = remove_rows(rows.copy(), gone)
    out = rows.copy()
    assert np.array_equal(out[: remove_rows(out, gone)], rows[~np.isin(rows, gone)])
    assert kept == len(rows) - n_gone


def test_block_uniforms_are_the_agents_own_draws():
    agents = np.array([0, 3, 7, 2**40, 12, 5], dtype=np.int64)
    key = np.uint64(0x1234_5678_9ABC)
    out = np.full(BLOCK, np.nan)
    block_uniforms(key, agents, 1, 5, 3, out)
    assert [out[j] for j in range(4)] == [uniform(key, a, 3) for a in agents[1:5]]
    assert np.isnan(out[4:]).all()          # nothing written beyond the block


def random_talent_month(seed: int, acts=(True, True, True)):
    """A talent's month over 5,000 random rows of 40 firms (4,000 of them living), with its
    census counted: (rows, columns, terms, census)."""
    from model.aggregates import count_all, new_census
    from model.phases.labour_market import LayoffContext
    from model.phases.talent_migration import ReviewContext
    from model.phases.talent_month import LifeColumns, TalentMonth
    from model.phases.talent_supply import AgingContext

    rng = np.random.default_rng(seed)
    n, n_firms = 5_000, 40
    t = LifeColumns(alive=np.zeros(n, dtype=np.bool_),
                    tier=rng.integers(0, N_TIERS, n).astype(np.int8),
                    city=rng.integers(0, N_CITIES, n).astype(np.int8),
                    employer=rng.integers(-2, n_firms, n).astype(np.int32),
                    months_seeking=np.zeros(n, dtype=np.int32))
    rows = np.sort(rng.choice(n, 4_000, replace=False)).astype(np.int64)
    t.alive[rows] = True
    census = new_census(n_firms, N_CITIES)
    count_all(n, t.alive, t.city, t.tier, t.employer, census)
    month = TalentMonth(
        AgingContext(0.05, np.array([0.0, 0.0, 0.0, 0.2, 0.2])),
        ReviewContext(0.3, rng.normal(size=(N_TIERS, N_CITIES)), np.zeros(N_TIERS), 0.1,
                      rng.random((N_CITIES, N_CITIES)) * 5, rng.random((N_TIERS, N_CITIES))),
        LayoffContext(rng.random((n_firms, N_TIERS)) * 0.5),
        np.array([11, 22, 77], dtype=np.uint64), np.array(acts))
    return rows, t, month, census


def run_talent_month(rows, t, month, census):
    """`live_month_kernel` on `rows`: (rows left, seekers, departures' rows, flows)."""
    from model.phases.dispatch import departure_buffers
    from model.phases.talent_month import live_month_kernel

    seekers, left = np.empty(len(rows), dtype=np.int64), departure_buffers(len(t.alive))
    flows = [np.zeros(N_TIERS, dtype=np.int64) for _ in range(3)]
    n_left, m = live_month_kernel(rows, t, month, *flows, left, census, seekers)
    return rows[: len(rows) - n_left], seekers[:m], left.rows[:n_left], flows


@pytest.mark.parametrize("acts", [(False, False, True), (True, True, True)])
def test_talent_month_lists_every_seeker_in_row_order(acts):
    """The matching visits only the rows the talent's month lists: those seeking a job
    after their month (before, newly laid off or moved), all of them, in row order; the
    census moves with every change, and the living rows keep their order."""
    from model.aggregates import count_all, new_census
    from model.state import SEEKING

    rows, t, month, census = random_talent_month(9, acts)
    before = t.employer.copy()
    kept, seekers, gone, _ = run_talent_month(rows, t, month, census)
    living = np.flatnonzero(t.alive)
    np.testing.assert_array_equal(kept, living)
    assert (len(gone) > 0) == acts[0]
    np.testing.assert_array_equal(seekers, living[t.employer[living] == SEEKING])
    laid_off = (before[living] >= 0) & (t.employer[living] == SEEKING)
    assert 0 < laid_off.sum() < (before[living] >= 0).sum()      # the test sees both cases
    recount = new_census(len(census.heads), N_CITIES)
    count_all(len(t.alive), t.alive, t.city, t.tier, t.employer, recount)
    np.testing.assert_array_equal(census.heads, recount.heads)
    np.testing.assert_array_equal(census.by_city, recount.by_city)


def test_talent_month_choices_do_not_depend_on_the_order_of_the_rows():
    """On the month's opening terms nobody's choice depends on another's: the odd rows then
    the even rows give every row, count and census of one pass over all of them."""
    rows, t, month, census = random_talent_month(5)
    whole = run_talent_month(rows.copy(), t, month, census)
    rows2, t2, month2, census2 = random_talent_month(5)
    odd = run_talent_month(rows2[1::2].copy(), t2, month2, census2)
    even = run_talent_month(rows2[0::2].copy(), t2, month2, census2)
    for name in t._fields:
        np.testing.assert_array_equal(getattr(t, name), getattr(t2, name), err_msg=name)
    np.testing.assert_array_equal(census.heads, census2.heads)
    np.testing.assert_array_equal(census.by_city, census2.by_city)
    np.testing.assert_array_equal(np.sort(np.concatenate([odd[1], even[1]])), whole[1])
    np.testing.assert_array_equal(np.sort(np.concatenate([odd[2], even[2]])),
                                  np.sort(whole[2]))
    for a, b, c in zip(whole[3], odd[3], even[3]):
        np.testing.assert_array_equal(a, b + c)
    assert len(whole[2]) > 0 and whole[3][2].sum() > 0          # leavers and movers seen


def test_extend_rows_appends_in_place_when_there_is_room():
    from model.phases.dispatch import extend_rows

    buffer = np.arange(100, dtype=np.int64) * 2
    rows = buffer[:40]
    out = extend_rows(rows, 30, 500, 520)       # 30 kept, 20 new: fits in the buffer
    assert np.array_equal(out, np.concatenate([buffer[:30], np.arange(500, 520)]))
    assert out.ctypes.data == buffer.ctypes.data
    small = np.arange(10, dtype=np.int64)
    out = extend_rows(small[:8], 5, 50, 80)     # no room: a new buffer, the old unchanged
    assert np.array_equal(out, np.concatenate([np.arange(5), np.arange(50, 80)]))
    assert np.array_equal(small, np.arange(10))
    middle = np.arange(100, dtype=np.int64)[10:20]  # not the start of its buffer: copied
    out = extend_rows(middle, 10, 7, 9)
    assert np.array_equal(out, [*range(10, 20), 7, 8])


def test_the_months_choice_table_gives_each_reviewers_own_logit_choice():
    from model.phases.talent_migration import ReviewContext, choice_weights
    from model.rules import choose_index, logit_choice

    rng = np.random.default_rng(11)
    ctx = ReviewContext(review_prob=0.01, city_utility=rng.normal(0, 1, (N_TIERS, N_CITIES)),
                        outside_utility=rng.normal(0, 1, N_TIERS), distance_weight=0.3,
                        distance_100km=rng.random((N_CITIES, N_CITIES)) * 5,
                        job_held=rng.random((N_TIERS, N_CITIES)))
    table = choice_weights(ctx)
    for k in range(N_TIERS):
        for origin in range(N_CITIES):
            for held in (0, 1):
                utilities = np.append(ctx.city_utility[k] - ctx.distance_weight
                                      * ctx.distance_100km[origin], ctx.outside_utility[k])
                utilities[origin] += held * ctx.job_held[k, origin]
                for u in rng.random(20):
                    assert choose_index(table[k, origin, held], u) == logit_choice(utilities, u)


@pytest.mark.parametrize("case", ["nan revenue", "nan cash", "zero wage", "huge revenue"])
def test_degenerate_firms_give_numpys_inf_and_nan_not_an_error(case):
    """A state gone wrong (NaN, a zero wage, an overflow) gives what the numpy expressions
    gave, inf or NaN that later phases stop on, rather than a ZeroDivisionError or a
    silently wrapped integer."""
    n, month = 6, 10
    f = firms(n, 5)
    f["alive"][:] = True
    f["birth"][:] = 0                                 # all young
    f["revenue"][:] = 0.1
    if case == "nan revenue":
        f["revenue"][2] = np.nan
    elif case == "nan cash":
        f["cash"][2] = np.nan
    elif case == "zero wage":
        f["wage"][f["city"][2], ENGINEER] = 0.0
    else:
        f["revenue"][2] = 1e22
    team = StartupTeam(36.0, 0.2, 2.0, 0.3, 24.0)
    per_revenue = np.ones(N_TIERS)
    factor = np.ones((N_CITIES, N_TIERS))
    eng = f["wage"][:, ENGINEER].copy()
    young = ((month - f["birth"]) < 36) & (f["revenue"] < 0.2)
    with np.errstate(all="ignore"):
        team_np = np.where(young, 2 + 0.3 * np.maximum(f["cash"], 0.0)
                           / (24 * (eng[f["city"]] / 12.0)), 0.0)
        expected = np.outer(f["revenue"], per_revenue) * factor[f["city"]]
        expected[:, ENGINEER] = np.maximum(expected[:, ENGINEER], team_np)
    need = firm_needs(n, f["alive"], month, f["birth"], f["revenue"], f["cash"], f["city"],
                      per_revenue, factor, eng, team)
    np.testing.assert_array_equal(need, expected)
    alive = np.arange(n)
    v = Vacancies(*open_positions(need, f["heads"], alive, f["city"], N_CITIES))
    unfilled = whole_openings(v.open, alive)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(unfilled, np.floor(v.open[alive]).sum(axis=0))
    if case == "huge revenue":
        assert unfilled.min() > 1e21                  # not wrapped round to -2^63
    else:
        assert not np.isfinite(need[2]).all()         # the fault shows where it is
        fill, _ = staffing(need, f["heads"], f["wage"], f["city"])
        total = need.sum(axis=1)
        np.testing.assert_array_equal(fill, np.where(total > 0, np.minimum(
            1.0, f["heads"].sum(axis=1) / np.maximum(total, 1e-12)), 1.0))


def test_mismatched_firm_arrays_raise_as_numpy_did():
    need, heads = np.ones((4, N_TIERS)), np.ones((3, N_TIERS), dtype=np.int64)
    with pytest.raises(ValueError, match="differ in shape"):
        layoff_probabilities(need, heads, 0.1, 0.1)
    with pytest.raises(ValueError, match="differ in shape"):
        open_positions(need, heads, np.arange(3), np.zeros(4, dtype=np.int64), N_CITIES)
    with pytest.raises(ValueError, match="differ in shape"):
        staffing(need, heads, np.ones((N_CITIES, N_TIERS)), np.zeros(4, dtype=np.int64))


def numpy_arrivals(lam, weights, overseas_share, rng, present, by_city):
    """The arrivals as talent_supply drew them with numpy before `arrivals_kernel`."""
    from model.aggregates import RESEARCHERS, SEEKERS
    from model.rules import choose_index
    from model.state import RESEARCH_INSTITUTE, SEEKING, TOP

    arrivals, counts_out = [], []
    for c in range(len(lam)):
        counts = rng.poisson(np.maximum(lam[c], 0.0))
        counts_out.append(counts)
        for k in range(N_TIERS):
            n = int(counts[k])
            if n == 0:
                continue
            u = rng.random((n, 2))
            city = np.array([choose_index(weights[k], x) for x in u[:, 0]], dtype=np.int64)
            to_institute = k == TOP and c != 2
            arrivals.append((np.full(n, k), city,
                             np.full(n, RESEARCH_INSTITUTE if to_institute else SEEKING),
                             u[:, 1] < overseas_share))
            arrived = np.bincount(city, minlength=N_CITIES)
            present[:, k] += arrived
            by_city[:, k, RESEARCHERS if to_institute else SEEKERS] += arrived
    columns = [np.concatenate(c) for c in zip(*arrivals)] if arrivals else [np.empty(0)] * 4
    return np.array(counts_out), *columns


@pytest.mark.parametrize("scale", [0.0, 0.01, 1.0, 40.0])
def test_arrivals_kernel_draws_numpys_numbers_in_numpys_order(scale):
    from model.phases.talent_supply import arrivals_kernel

    rng = np.random.default_rng(3)
    lam = rng.random((3, N_TIERS)) * 20 * scale
    lam[0, 0] = -1.0                                   # clipped to 0, as np.maximum did
    weights = rng.random((N_TIERS, N_CITIES))
    weights[2, :5] = 0.0
    present = rng.integers(0, 50, (N_CITIES, N_TIERS))
    by_city = rng.integers(0, 50, (N_CITIES, N_TIERS, 3))
    want_present, want_by_city = present.copy(), by_city.copy()
    want = numpy_arrivals(lam, weights, 0.3, np.random.default_rng(9), want_present,
                          want_by_city)
    got = arrivals_kernel(np.maximum(lam, 0.0), weights, 0.3, np.random.default_rng(9),
                          present, by_city)
    for a, b in zip(got, want):
        assert np.array_equal(a, b)
    assert np.array_equal(present, want_present) and np.array_equal(by_city, want_by_city)
    assert scale == 0.0 or len(got[1]) > 0


def test_arrivals_refuse_a_nan_expectation_with_a_message(monkeypatch):
    from model import AIEcosystemModel

    m = AIEcosystemModel(seed=1, scale=0.02)
    m.step()
    m.params.market_inflow_per_vacancy_per_month = float("nan")
    with pytest.raises(ValueError, match="expected arrivals must be finite"):
        m.step()


def test_arrivals_without_a_city_to_choose_raise_instead_of_writing_city_minus_one():
    from model.phases.talent_supply import arrivals_kernel

    lam = np.zeros((3, N_TIERS))
    lam[0, 2] = 50.0
    weights = np.full((N_TIERS, N_CITIES), np.nan)       # NaN utilities: no city to choose
    present = np.zeros((N_CITIES, N_TIERS), dtype=np.int64)
    by_city = np.zeros((N_CITIES, N_TIERS, 3), dtype=np.int64)
    with pytest.raises(ValueError, match="no city with a positive logit weight"):
        arrivals_kernel(lam, weights, 0.3, np.random.default_rng(1), present, by_city)
    assert present[-1].sum() == 0                      # nothing counted in the last city
