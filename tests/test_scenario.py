"""Scenario files: extends chains, schedules, per-city levers and clear errors."""

import numpy as np
import pytest

from model import AIEcosystemModel, ScenarioError, load_scenario
from model.levers import LEVERS, schedule_value


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_extends_chain_merges_levers_and_keeps_child_name(tmp_path):
    _write(tmp_path, "a.toml", '[scenario]\nname = "a"\nseed = 1\n[levers]\n'
           "key_rd_projects_per_year = 20\nincubator_seats = 50\n")
    _write(tmp_path, "b.toml", '[scenario]\nextends = "a.toml"\nseed = 2\n[levers]\n'
           "key_rd_projects_per_year = { 2017 = 20, 2019 = 60 }\n")
    c = _write(tmp_path, "c.toml", '[scenario]\nname = "c"\nextends = "b.toml"\n'
               "[levers.city.Ningbo]\nincubator_seats = 300\n")
    sc = load_scenario(c)
    assert sc.name == "c" and sc.seed == 2
    assert sc.levers["incubator_seats"] == 50
    assert sc.levers["key_rd_projects_per_year"] == {2017: 20.0, 2019: 60.0}
    assert sc.city_levers == {"Ningbo": {"incubator_seats": 300.0}}
    assert len(sc.files) == 3


def test_schedule_holds_between_years():
    spec = {2017: 1.0, 2020: 5.0}
    assert [schedule_value(spec, y) for y in (2016, 2017, 2019, 2020, 2030)] == [1, 1, 1, 5, 5]


def test_city_override_replaces_the_layout_share():
    m = AIEcosystemModel(levers={"incubator_seats": 1000}, city_levers={"Ningbo": {
        "incubator_seats": 7}}, seed=1, scale=0.02, end_year=2017)
    seats = m.city_lever("incubator_seats")
    ningbo = m.city_names.index("Ningbo")
    assert seats[ningbo] == 7
    others = np.delete(seats, ningbo)
    assert others.sum() < 1000 and others.min() > 0


@pytest.mark.parametrize("text, key, needle", [
    ("[scenario]\nname = 1\n", "scenario.name", "expected a string"),
    ("[scenario]\nnmae = 'x'\n", "scenario.nmae", "did you mean 'name'"),
    ("[levers]\nkey_rd_project_per_year = 50\n", "levers.key_rd_project_per_year",
     "did you mean 'key_rd_projects_per_year'"),
    ("[levers]\nland_guarantee = 2\n", "levers.land_guarantee", "expected a value in [0, 1]"),
    ("[levers]\nland_guarantee = 'high'\n", "levers.land_guarantee", "expected a number"),
    ("[levers.city.Hangzou]\nincubator_seats = 5\n", "levers.city.Hangzou",
     "did you mean 'Hangzhou'"),
    ("[levers.city.Hangzhou]\ntax_incentive_pct_points = 5\n",
     "levers.city.Hangzhou.tax_incentive_pct_points", "province-wide"),
    ("[parameters]\nbass_imitation = 0.2\n", "parameters.bass_imitation", "did you mean"),
    ("[levers]\nincubator_seats = { 20x7 = 5 }\n", "levers.incubator_seats.20x7", "year"),
    ("[scenario]\nscale = 0\n", "scenario.scale", "expected a value"),
    ("[[events]]\nkind = 'demand_shok'\nstart = 2020\n", "events[0].kind", "did you mean"),
    ("[[events]]\nkind = 'funding_freeze'\nstart = 2020\nregions = ['Ningbo']\n",
     "events[0].regions", "acts on the whole province"),
    ("[[events]]\nkind = 'lever_change'\nstart = 2020\nlever = 'land_guarantee'\nvalue = 3\n",
     "events[0].value", "expected a value in [0, 1]"),
])
def test_bad_values_name_file_and_key(tmp_path, text, key, needle):
    p = _write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    assert info.value.key == key
    assert needle in str(info.value)
    assert str(p) in str(info.value)


def test_bad_toml_syntax_reports_line_and_column(tmp_path):
    p = _write(tmp_path, "bad.toml", "[levers]\nland_guarantee = = 1\n")
    with pytest.raises(ScenarioError, match="line 2"):
        load_scenario(p)


def test_missing_extends_and_cycles(tmp_path):
    p = _write(tmp_path, "a.toml", '[scenario]\nextends = "nope.toml"\n')
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(p)
    _write(tmp_path, "x.toml", '[scenario]\nextends = "y.toml"\n')
    y = _write(tmp_path, "y.toml", '[scenario]\nextends = "x.toml"\n')
    with pytest.raises(ScenarioError, match="cycle in extends"):
        load_scenario(y)


def test_shipped_scenarios_load_and_name_every_lever(scenarios_dir):
    base = load_scenario(scenarios_dir / "baseline.toml")
    assert set(base.levers) == set(LEVERS)
    assert all(base.levers[k] == LEVERS[k].default for k in LEVERS)
    plan = load_scenario(scenarios_dir / "plan.toml")
    assert plan.levers["key_rd_projects_per_year"][2018] >= 50


def test_events_act_in_their_window_and_regions():
    ev = [{"kind": "demand_shock", "start": 2018, "duration": 0.5, "magnitude": 0.5,
           "regions": ["Ningbo"]},
          {"kind": "lever_change", "start": 2019, "duration": 1,
           "lever": "land_guarantee", "value": 0.2}]
    m = AIEcosystemModel(events=ev, seed=1, scale=0.02, end_year=2020)
    nb, hz = m.city_names.index("Ningbo"), m.city_names.index("Hangzhou")
    seen = []
    while m.running:
        seen.append((m.year, m.month % 12, m.event_factor("demand_shock", nb),
                     m.event_factor("demand_shock", hz), m.lever("land_guarantee")))
        assert m.event_factor("demand_shock") == 1.0    # a Ningbo shock is not province-wide
        m.step()
    shock = [(y, mo) for y, mo, f_nb, _, _ in seen if f_nb == 0.5]
    assert shock == [(2018, k) for k in range(6)]
    assert all(f_hz == 1.0 for *_, f_hz, _ in seen)
    assert {lg for y, _, _, _, lg in seen if y == 2019} == {0.2}
    assert {lg for y, _, _, _, lg in seen if y != 2019} == {0.5}
