"""Browser dashboard for planners (Mesa SolaraViz): `zjai ui` serves it on 127.0.0.1.

Pick a scenario, move the main levers, step or run the model month by month, and watch the
key indicators against the plan's 2022 and 2030 targets, the 11 cities, and the attainment
table. The dashboard model is `AIEcosystemModel` built from a scenario file with the
sliders' lever values from 2018 on (plain keywords, as SolaraViz rebuilds it on reset).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mesa  # noqa: E402
import numpy as np  # noqa: E402
import solara  # noqa: E402
from mesa.visualization import SolaraViz, make_plot_component  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402

from model.ecosystem import AIEcosystemModel  # noqa: E402
from model.indicators import live_values  # noqa: E402
from model.scenario import load_scenario  # noqa: E402
from model.state import ENGINEER, HIGH_SKILL  # noqa: E402
from model.targets import load_targets  # noqa: E402

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SCENARIO_NAMES = sorted(p.stem for p in SCENARIOS.glob("*.toml")
                        if p.stem != "calibrated" and not p.stem.startswith("targets"))
SLIDER_LEVERS = {
    "fiscal_ai_funding_100m_yuan_per_year": (0, 100, 1),
    "talent_program_engineers_per_year": (0, 5000, 100),
    "incubator_seats": (0, 2000, 50),
    "public_data_opening": (0.0, 1.0, 0.05),
    "demonstration_zones_per_year": (0, 10, 0.5),
}
CHARTS = {   # chart measure -> (label, indicator of its target)
    "core_industry_revenue": ("core industry revenue, 1e8 yuan/yr", "core_industry_revenue_100m_yuan"),
    "related_industry_revenue": ("related industry revenue, 1e8 yuan/yr",
                                 "related_industry_revenue_100m_yuan"),
    "engineers": ("AI engineers", "talent_engineers"),
    "register_firms": ("AI enterprises in the register", "ai_enterprises"),
}


LIVE_INDICATORS = {"core": "core_industry_revenue_100m_yuan",
                   "related": "related_industry_revenue_100m_yuan",
                   "engineers": "talent_engineers", "high_skill": "talent_high_skill",
                   "firms": "ai_enterprises"}


class DashboardModel(AIEcosystemModel):
    """The model with flat keyword parameters and a monthly DataCollector for live charts."""

    def __init__(self, scenario: str = "plan", seed: int = 1, scale: float = 0.05,
                 fiscal_ai_funding_100m_yuan_per_year: float | None = None,
                 talent_program_engineers_per_year: float | None = None,
                 incubator_seats: float | None = None, public_data_opening: float | None = None,
                 demonstration_zones_per_year: float | None = None):
        levers = {k: v for k, v in {
            "fiscal_ai_funding_100m_yuan_per_year": fiscal_ai_funding_100m_yuan_per_year,
            "talent_program_engineers_per_year": talent_program_engineers_per_year,
            "incubator_seats": incubator_seats, "public_data_opening": public_data_opening,
            "demonstration_zones_per_year": demonstration_zones_per_year}.items()
            if v is not None}
        sc = load_scenario(SCENARIOS / f"{scenario}.toml")
        merged = dict(sc.levers)
        for name, value in levers.items():
            merged[name] = {2017: _value_2017(sc.levers.get(name), name), 2018: float(value)}
        kwargs = sc.model_kwargs()
        kwargs["levers"] = merged
        super().__init__(**kwargs, seed=int(seed), scale=float(scale))
        self.datacollector = mesa.DataCollector(model_reporters={
            "core_industry_revenue": lambda m: m.live()["core"],
            "related_industry_revenue": lambda m: m.live()["related"],
            "engineers": lambda m: m.live()["engineers"],
            "register_firms": lambda m: m.live()["firms"],
        })
        self._live = None
        self.datacollector.collect(self)

    def step(self):
        self._live = None          # the base step collects after the month's phases
        super().step()

    def live(self) -> dict:
        """Province values of the charted indicators now (annualised revenue)."""
        if self._live is None:
            v = live_values(self, LIVE_INDICATORS.values())
            self._live = {key: v[name] for key, name in LIVE_INDICATORS.items()}
        return self._live


def _value_2017(spec, name):
    from model.levers import LEVERS, schedule_value

    return schedule_value(spec if spec is not None else LEVERS[name].default, 2017)


def _targets_for(indicator: str):
    return [t for t in load_targets(SCENARIOS / "targets.toml") if t.indicator == indicator]


def _with_targets(measure: str):
    label, indicator = CHARTS[measure]

    def post(ax):
        for t in _targets_for(indicator):
            month = (t.year - 2017 + 1) * 12
            ax.axhline(t.value, color="black", linestyle="--", linewidth=1)
            ax.annotate(f"{t.year} target {t.value:,.0f}", (month, t.value), fontsize=8,
                        xytext=(0, 3), textcoords="offset points", ha="right")
        ax.set_xlabel("month since January 2017")
        ax.set_ylabel(label)
    return post


@solara.component
def CityPanel(model):
    """The 11 cities: register firms, annualised revenue and AI talent now."""
    update_counter.get()
    e = model.state.enterprises
    n = e.n
    alive = e.alive[:n]
    firms = np.bincount(e.city[:n][alive], minlength=model.n_cities) / model.scale
    revenue = np.bincount(e.city[:n][alive], weights=e.revenue_year_100m_yuan[:n][alive],
                          minlength=model.n_cities) / model.scale
    talent = model.talent_by_city_tier()[:, ENGINEER:HIGH_SKILL + 1].sum(axis=1) / model.scale
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
    for ax, values, title in zip(axes, (firms, revenue, talent),
                                 ("AI firms", "revenue, 1e8 yuan/yr", "engineers + high-skill")):
        ax.bar(model.city_names, values)
        ax.set_title(f"{title} ({model.year})", fontsize=9)
        ax.tick_params(axis="x", rotation=60, labelsize=7)
    fig.tight_layout()
    solara.FigureMatplotlib(fig)
    plt.close(fig)


@solara.component
def AttainmentTable(model):
    """The latest recorded year's values against the 2022 and 2030 targets."""
    update_counter.get()
    frame = model.recorder.frame()
    lines = ["| target | year | value | latest recorded |", "|---|---:|---:|---:|"]
    for t in load_targets(SCENARIOS / "targets.toml"):
        sel = frame[(frame.region == "Zhejiang") & (frame.indicator == t.indicator)]
        if sel.empty:
            latest = "—"
        else:
            row = sel.iloc[-1]
            mark = "met" if row.value >= t.value else "below"
            latest = f"{row.value:,.0f} in {int(row.year)} ({mark})"
        lines.append(f"| {t.indicator} | {t.year} | {t.value:,.0f} | {latest} |")
    solara.Markdown(f"**Month {model.month} ({model.year})**\n\n" + "\n".join(lines))


def model_params() -> dict:
    params = {
        "scenario": {"type": "Select", "value": "plan", "values": SCENARIO_NAMES,
                     "label": "scenario"},
        "seed": {"type": "InputText", "value": 1, "label": "seed"},
        "scale": 0.05,
    }
    plan = load_scenario(SCENARIOS / "plan.toml")
    for name, (low, high, step) in SLIDER_LEVERS.items():
        value = plan.levers.get(name)
        value = value[max(value)] if isinstance(value, dict) else value
        is_float = isinstance(step, float)
        params[name] = {"type": "SliderFloat" if is_float else "SliderInt",
                        "value": float(value) if is_float else int(value), "min": low,
                        "max": high, "step": step, "label": name}
    return params


def make_page():
    model = DashboardModel()
    components = [make_plot_component(m, post_process=_with_targets(m)) for m in CHARTS]
    components += [CityPanel, AttainmentTable]
    return SolaraViz(model, components=components, model_params=model_params(),
                     name="zjai: Zhejiang AI plan dashboard", play_interval=50)


page = make_page()
