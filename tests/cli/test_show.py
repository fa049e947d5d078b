"""zjai show: the resolved scenario, as a TOML file that loads the same."""


def test_show_prints_schedules_and_city_tables(scenarios_dir, zjai):
    res = zjai("show", str(scenarios_dir / "plan.toml"))
    assert res.returncode == 0
    assert "key_rd_projects_per_year = { 2017 = 15, 2018 = 50 }" in res.stdout
    assert "[levers.city.Huzhou]" in res.stdout


def test_show_output_is_a_scenario_that_loads_the_same(tmp_path, scenarios_dir, zjai):
    from model import load_scenario

    res = zjai("show", str(scenarios_dir / "covid_2020.toml"))
    resolved = tmp_path / "resolved.toml"
    resolved.write_text(res.stdout, encoding="utf-8")
    a, b = load_scenario(resolved), load_scenario(scenarios_dir / "covid_2020.toml")
    assert (a.name, a.levers, a.city_levers, a.events, a.description) == (
        b.name, b.levers, b.city_levers, b.events, b.description)
