"""Browser dashboard for planners (Mesa SolaraViz): `zjai ui` serves it on 127.0.0.1.

Pick a scenario (or load a `recommended.toml` written by `zjai optimize`), move the main
levers (each slider names its unit), step or run the model month by month, and watch the
key indicators by calendar year beside the baseline scenario at the same seed and scale,
against the plan's 2022 and 2030 targets, with the public cost spent so far, the 11 cities
and the attainment table; download the run's trajectories as CSV. The dashboard model is
`AIEcosystemModel` built from a scenario file with the sliders' lever values from 2018 on
(plain keywords, as SolaraViz rebuilds it on reset).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mesa  # noqa: E402
import numpy as np  # noqa: E402
import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402

from model.ecosystem import AIEcosystemModel  # noqa: E402
from model.indicators import live_values  # noqa: E402
from model.levers import LEVERS  # noqa: E402
from model.scenario import load_scenario  # noqa: E402
from model.state import ENGINEER, HIGH_SKILL  # noqa: E402
from model.targets import load_targets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
START_YEAR = 2017
COST_FROM_YEAR = 2018        # public cost counts from the plan's first year
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
    """The model with flat keyword parameters and a monthly DataCollector for live charts.

    `scenario_file`, when given, is loaded instead of the picked `scenario` (e.g. a
    `recommended.toml` written by `zjai optimize`).
    """

    def __init__(self, scenario: str = "plan", seed: int = 1, scale: float = 0.05,
                 fiscal_ai_funding_100m_yuan_per_year: float | None = None,
                 talent_program_engineers_per_year: float | None = None,
                 incubator_seats: float | None = None, public_data_opening: float | None = None,
                 demonstration_zones_per_year: float | None = None,
                 scenario_file: str = ""):
        levers = {k: v for k, v in {
            "fiscal_ai_funding_100m_yuan_per_year": fiscal_ai_funding_100m_yuan_per_year,
            "talent_program_engineers_per_year": talent_program_engineers_per_year,
            "incubator_seats": incubator_seats, "public_data_opening": public_data_opening,
            "demonstration_zones_per_year": demonstration_zones_per_year}.items()
            if v is not None}
        path = Path(scenario_file) if str(scenario_file).strip() else SCENARIOS / f"{scenario}.toml"
        sc = load_scenario(path)
        self.scenario_label = sc.name
        merged = dict(sc.levers)
        for name, value in levers.items():
            merged[name] = {2017: _value_2017(sc.levers.get(name), name), 2018: float(value)}
        kwargs = sc.model_kwargs()
        kwargs["levers"] = merged
        super().__init__(**kwargs, seed=int(seed), scale=float(scale))
        self.dashboard_seed = int(seed)
        self.public_cost_by_year: dict[int, float] = {}
        self.datacollector = mesa.DataCollector(model_reporters={
            "core_industry_revenue": lambda m: m.live()["core"],
            "related_industry_revenue": lambda m: m.live()["related"],
            "engineers": lambda m: m.live()["engineers"],
            "register_firms": lambda m: m.live()["firms"],
            "public_cost": lambda m: m.public_cost_so_far(),
        })
        self._live = None
        self.datacollector.collect(self)

    def step(self):
        self._live = None          # the base step collects after the month's phases
        year = self.year           # the month about to be simulated
        super().step()
        p = self.province
        self.public_cost_by_year[year] = (p.spending_year_100m_yuan
                                          + p.tax_expenditure_year_100m_yuan) / self.scale

    def public_cost_so_far(self) -> float:
        """Public AI spending plus tax expenditure from 2018 to now (1e8 yuan, province)."""
        return float(sum(v for y, v in self.public_cost_by_year.items() if y >= COST_FROM_YEAR))

    def live(self) -> dict:
        """Province values of the charted indicators now (annualised revenue)."""
        if self._live is None:
            v = live_values(self, LIVE_INDICATORS.values())
            self._live = {key: v[name] for key, name in LIVE_INDICATORS.items()}
        return self._live

    def trajectories_csv(self) -> str:
        """The run's trajectories as CSV: tidy yearly indicators (every December recorded so
        far) and the monthly chart series."""
        import pandas as pd

        yearly = self.recorder.frame()
        yearly.insert(0, "month", (yearly.year - START_YEAR + 1) * 12)
        monthly = self.datacollector.get_model_vars_dataframe().reset_index(names="month")
        monthly = monthly.melt(id_vars="month", var_name="indicator", value_name="value")
        monthly["year"] = START_YEAR + (monthly.month - 1).clip(lower=0) // 12
        monthly["region"] = "Zhejiang"
        monthly["indicator"] = "monthly:" + monthly.indicator
        table = pd.concat([yearly, monthly[yearly.columns]], ignore_index=True)
        table.insert(0, "seed", self.dashboard_seed)
        table.insert(0, "scenario", self.scenario_label)
        return table.to_csv(index=False)


_BASELINES: dict = {}


def baseline_series(seed: int, scale: float, months: int) -> dict[str, list[float]]:
    """Monthly chart series of the baseline scenario (no plan) at this seed and scale, run
    (once, then kept) to month `months`, as far as the live run has gone."""
    key = (int(seed), float(scale))
    if key not in _BASELINES:
        if len(_BASELINES) >= 4:
            _BASELINES.pop(next(iter(_BASELINES)))
        _BASELINES[key] = DashboardModel(scenario="baseline", seed=seed, scale=scale)
    m = _BASELINES[key]
    while m.running and m.month < months:
        m.step()
    frame = m.datacollector.get_model_vars_dataframe()
    return {name: frame[name].tolist() for name in frame.columns}


def latest_recommended() -> str:
    """The newest `recommended.toml` under out/ (written by `zjai optimize`), or ""."""
    found = sorted((ROOT / "out").glob("**/recommended.toml"), key=lambda p: p.stat().st_mtime)
    return str(found[-1]) if found else ""


def _value_2017(spec, name):
    from model.levers import LEVERS, schedule_value

    return schedule_value(spec if spec is not None else LEVERS[name].default, 2017)


def _targets_for(indicator: str):
    return [t for t in load_targets(SCENARIOS / "targets.toml") if t.indicator == indicator]


def _year_axis(ax, months: int) -> None:
    """Calendar years on the x-axis of a monthly series (month 0 = January 2017)."""
    last = max(months, 12)
    ticks = list(range(0, last + 1, 12 if last <= 72 else 24))
    ax.set_xticks(ticks, [str(START_YEAR + t // 12) for t in ticks], fontsize=8)
    ax.set_xlabel("year")


@solara.component
def Charts(model):
    """The key indicators by calendar year: the live run, the baseline scenario at the
    same seed and scale, and the plan's targets."""
    update_counter.get()
    frame = model.datacollector.get_model_vars_dataframe()
    base = baseline_series(model.dashboard_seed, float(model.scale), model.month)
    fig, axes = plt.subplots(2, 2, figsize=(11, 6.4))
    months = len(frame) - 1
    for ax, (measure, (label, indicator)) in zip(axes.flat, CHARTS.items()):
        ax.plot(range(len(frame)), frame[measure], color="tab:blue",
                label=f"{model.scenario_label} (live)")
        b = base[measure][:len(frame)]
        ax.plot(range(len(b)), b, color="grey", linestyle="--", label="baseline (no plan)")
        for t in _targets_for(indicator):
            month = (t.year - START_YEAR + 1) * 12
            if month <= max(months, 12) + 24:
                ax.axhline(t.value, color="black", linestyle=":", linewidth=1)
                ax.annotate(f"{t.year} target {t.value:,.0f}", (0, t.value), fontsize=7,
                            xytext=(2, 3), textcoords="offset points")
        ax.set_title(label, fontsize=9)
        _year_axis(ax, months)
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    solara.FigureMatplotlib(fig)
    plt.close(fig)


@solara.component
def PublicCost(model):
    """Public AI spending plus tax expenditure since 2018, beside the baseline's."""
    update_counter.get()
    base = baseline_series(model.dashboard_seed, float(model.scale), model.month)
    b = base["public_cost"][min(model.month, len(base["public_cost"]) - 1)]
    solara.Markdown(f"**Public cost {COST_FROM_YEAR}–{model.year}** (spending + tax "
                    f"expenditure): **{model.public_cost_so_far():,.1f}** 1e8 yuan; baseline "
                    f"{b:,.1f} 1e8 yuan (scenario {model.scenario_label}, seed "
                    f"{model.dashboard_seed}, scale {model.scale:g})")


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


def make_loader(reactive_model):
    """A component that loads a recommended.toml (or any scenario file) into the dashboard."""

    @solara.component
    def LoadRecommended(model):
        path = solara.use_reactive(latest_recommended())
        message = solara.use_reactive("")

        def load():
            try:
                m = DashboardModel(seed=model.dashboard_seed, scale=float(model.scale),
                                   scenario_file=path.value)
            except Exception as exc:  # noqa: BLE001 - shown to the user, not raised
                message.set(f"could not load {path.value}: {exc}")
                return
            reactive_model.value = m
            message.set(f"loaded {m.scenario_label} from {path.value} (Reset returns to the "
                        "sidebar's scenario)")

        with solara.Card("Recommended mix"):
            solara.InputText("path of recommended.toml (from zjai optimize)", value=path)
            solara.Button("load recommended.toml", on_click=load)
            if message.value:
                solara.Markdown(message.value)

    return LoadRecommended


@solara.component
def Download(model):
    """Download the run's trajectories (CSV)."""
    update_counter.get()
    solara.FileDownload(lambda: model.trajectories_csv().encode("utf-8"),
                        filename=f"trajectories_{model.scenario_label}_month{model.month}.csv",
                        label="download trajectories (CSV)")


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
                        "max": high, "step": step,
                        "label": f"{name} [{LEVERS[name].unit}]"}
    params["scenario_file"] = {"type": "InputText", "value": "",
                               "label": "scenario file (overrides the picker), e.g. "
                                        "out/optimize-x/recommended.toml"}
    return params


def make_page():
    model = solara.reactive(DashboardModel())
    components = [Charts, PublicCost, make_loader(model), Download, CityPanel,
                  AttainmentTable]
    return SolaraViz(model, components=components, model_params=model_params(),
                     name="zjai: Zhejiang AI plan dashboard", play_interval=50)


page = make_page()
