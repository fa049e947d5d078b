"""The dashboard's model side, without a browser: units on the sliders, calendar years,
the baseline beside the live run, the public cost so far, a scenario file (a
recommended.toml) loaded, and the trajectories as CSV."""

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

app = pytest.importorskip("model.app")
PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan.toml"


def test_slider_labels_name_units():
    params = app.model_params()
    assert params["fiscal_ai_funding_100m_yuan_per_year"]["label"].endswith("[1e8 yuan/year]")
    assert params["incubator_seats"]["label"].endswith("[start-up places]")
    assert params["scenario_file"]["type"] == "InputText"


def test_years_baseline_cost_and_csv(tmp_path):
    rec = tmp_path / "recommended.toml"
    rec.write_text(f'[scenario]\nname = "rec"\nextends = "{PLAN}"\n[levers]\n'
                   "incubator_seats = { 2017 = 100, 2018 = 900 }\n", encoding="utf-8")
    m = app.DashboardModel(scale=0.02, scenario_file=str(rec))
    assert m.scenario_label == "rec"
    for _ in range(14):
        m.step()
    assert m.year == 2018 and m.public_cost_so_far() > 0
    base = app.baseline_series(1, 0.02, m.month)
    assert len(base["engineers"]) == m.month + 1
    fig, ax = plt.subplots()
    app._year_axis(ax, m.month)
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["2017", "2018"]
    plt.close(fig)
    csv = m.trajectories_csv()
    assert csv.startswith("scenario,seed,month,year,region,indicator,value")
    assert "\nrec,1,12,2017,Zhejiang,talent_engineers," in csv and "monthly:public_cost" in csv
