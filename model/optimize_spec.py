"""Optimisation experiment files (experiments/optimize_*.toml): the base scenario, decision
levers with bounds, objectives, and the search's size and seeds.

```toml
[optimize]
scenario = "../scenarios/plan.toml"   # relative to this file
algorithm = "nsga2"                   # or "nsga3"
population = 12
generations = 5
replicates = 4                        # per candidate (common random numbers)
verification_replicates = 16          # fresh seeds for the recommended mix
seed = 1
scale = 0.03
end = 2022                            # last simulated year
from_year = 2018                      # decision levers hold their value from this year on
cost_years = [2018, 2022]             # public cost window
threshold = 0.8                       # P(met) a recommended mix must reach for every target

[levers]                              # bounds; `lever@City` for one city of a spatial lever
fiscal_ai_funding_100m_yuan_per_year = { low = 5, high = 60 }
"incubator_seats@Hangzhou" = { low = 0, high = 600 }

[objectives]
minimise_public_cost = true
p_met = ["talent_engineers", "new_startups@2022"]        # maximise P(target met)
expected_shortfall = []                                   # minimise E[relative shortfall]
```
Every problem is one `ScenarioError` naming the file, the key and what was expected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .checks import ScenarioError, check_keys, check_number, read_toml, suggest
from .data import cities as city_table
from .evaluation import LeverSlot, target_key
from .levers import LEVERS
from .scenario import Scenario, load_scenario
from .targets import Target, load_targets, targets_path

ALGORITHMS = ("nsga2", "nsga3")
HEAD_KEYS = {"name": str, "description": str, "scenario": str, "algorithm": str,
             "population": int, "generations": int, "replicates": int,
             "verification_replicates": int, "seed": int, "scale": float, "end": int,
             "from_year": int, "cost_years": list, "threshold": float, "retries": int}
INT_BOUNDS = {"population": (4, 10_000), "generations": (1, 10_000), "replicates": (1, 10_000),
              "verification_replicates": (1, 10_000), "seed": (0, 2**63 - 1),
              "end": (2018, 2100), "from_year": (2018, 2100), "retries": (0, 100)}
FLOAT_BOUNDS = {"scale": (1e-4, 10.0), "threshold": (0.0, 1.0)}
OBJECTIVE_KEYS = ("minimise_public_cost", "p_met", "expected_shortfall")
TOP_KEYS = ("optimize", "levers", "objectives")


@dataclass(frozen=True)
class Decision:
    """A decision variable: a lever slot and its bounds."""

    slot: LeverSlot
    low: float
    high: float

    @property
    def name(self) -> str:
        return self.slot.name


@dataclass
class OptimizeSpec:
    name: str
    path: str
    scenario: Scenario
    decisions: list
    p_met: list                 # targets whose P(met) is maximised
    shortfall: list             # targets whose expected relative shortfall is minimised
    minimise_cost: bool = True
    algorithm: str = "nsga2"
    population: int = 12
    generations: int = 5
    replicates: int = 4
    verification_replicates: int = 16
    seed: int = 1
    scale: float = 0.05
    end: int = 2022
    from_year: int = 2018
    cost_years: tuple = (2018, 2022)
    threshold: float = 0.8
    retries: int = 1
    description: str = ""
    text: str = ""
    targets: list = field(default_factory=list)   # every named target, in order

    @property
    def sha256(self) -> str:
        text = self.text + self.scenario.text + self.scenario.draws_id
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def objectives(self) -> list[str]:
        """Objective names in order (every one minimised by the search)."""
        names = ["public_cost_100m_yuan"] if self.minimise_cost else []
        names += [f"p_met:{target_key(t.indicator, t.year)}" for t in self.p_met]
        names += [f"shortfall:{target_key(t.indicator, t.year)}" for t in self.shortfall]
        return names


def _target(file, key: str, name, targets: list[Target], end: int) -> Target:
    if not isinstance(name, str):
        raise ScenarioError(file, key, f"expected a target indicator name, got {name!r}")
    indicator, _, year = name.partition("@")
    matches = [t for t in targets if t.indicator == indicator
               and (not year or str(t.year) == year)]
    if not matches:
        known = sorted({t.indicator for t in targets})
        raise ScenarioError(file, key, f"{name!r} is not a target of the targets file"
                            f"{suggest(indicator, known)}; targets: {', '.join(known)}")
    within = [t for t in matches if t.year <= end]
    if not within:
        raise ScenarioError(file, key, f"target {name!r} is dated {matches[0].year}, after "
                            f"optimize.end = {end}; raise end or choose another target")
    return within[-1]


def _decision(file, name: str, spec) -> Decision:
    key = f'levers."{name}"' if "@" in name else f"levers.{name}"
    lever_name, _, city = name.partition("@")
    if lever_name not in LEVERS:
        raise ScenarioError(file, key, f"unknown lever{suggest(lever_name, LEVERS)}; "
                            "`zjai levers` lists them")
    lever = LEVERS[lever_name]
    if city:
        cities = list(city_table().city)
        if city not in cities:
            raise ScenarioError(file, key, f"unknown city {city!r}{suggest(city, cities)}; "
                                f"expected one of {', '.join(cities)}")
        if lever.spatial == "province":
            raise ScenarioError(file, key, "this lever is province-wide; per-city values "
                                "exist only for spatial levers")
    if not isinstance(spec, dict):
        raise ScenarioError(file, key, "expected a table { low = ..., high = ... }")
    check_keys(file, spec, ("low", "high"), key)
    for k in ("low", "high"):
        if k not in spec:
            raise ScenarioError(file, f"{key}.{k}", "missing: expected a number")
        check_number(file, f"{key}.{k}", spec[k], lever.low, lever.high)
    if not spec["low"] < spec["high"]:
        raise ScenarioError(file, f"{key}.high", f"expected high > low ({spec['low']})")
    return Decision(LeverSlot(lever_name, city or None), float(spec["low"]), float(spec["high"]))


def load_spec(path, posterior: bool = True) -> OptimizeSpec:
    """Load and validate an optimisation experiment file and its base scenario (with
    `posterior` False, the point values: `load_scenario`)."""
    path = Path(path).resolve()
    text, data = read_toml(path)
    check_keys(path, data, TOP_KEYS, what="table")
    head = data.get("optimize")
    if not isinstance(head, dict):
        raise ScenarioError(path, "optimize", "missing: expected an [optimize] table")
    check_keys(path, head, HEAD_KEYS, "optimize")
    values: dict = {}
    for key, value in head.items():
        kind, where = HEAD_KEYS[key], f"optimize.{key}"
        if kind is str and not isinstance(value, str):
            raise ScenarioError(path, where, f"expected a string, got {value!r}")
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise ScenarioError(path, where, f"expected an integer, got {value!r}")
            check_number(path, where, value, *INT_BOUNDS[key], integer=True)
        if kind is float:
            check_number(path, where, value, *FLOAT_BOUNDS[key])
            value = float(value)
        if kind is list:
            if (not isinstance(value, list) or len(value) != 2
                    or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                    or value[0] > value[1]):
                raise ScenarioError(path, where, f"expected [FIRST, LAST] years, got {value!r}")
            value = (int(value[0]), int(value[1]))
        values[key] = value
    if "scenario" not in values:
        raise ScenarioError(path, "optimize.scenario",
                            "missing: expected the base scenario file (relative to this file)")
    algorithm = values.get("algorithm", "nsga2")
    if algorithm not in ALGORITHMS:
        raise ScenarioError(path, "optimize.algorithm", f"expected one of "
                            f"{', '.join(ALGORITHMS)}{suggest(algorithm, ALGORITHMS)}, "
                            f"got {algorithm!r}")
    scenario_path = (path.parent / values.pop("scenario")).resolve()
    if not scenario_path.is_file():
        raise ScenarioError(path, "optimize.scenario", f"file not found: {scenario_path}")
    scenario = load_scenario(scenario_path, posterior)
    end = values.setdefault("end", min(scenario.end, 2022))
    if end > scenario.end:
        raise ScenarioError(path, "optimize.end", f"expected a year <= the base scenario's "
                            f"end ({scenario.end}), got {end}")
    from_year = values.setdefault("from_year", 2018)
    if from_year > end:
        raise ScenarioError(path, "optimize.from_year", f"expected a year <= end ({end})")
    first, last = values.setdefault("cost_years", (from_year, end))
    if not scenario.start <= first or last > end:
        raise ScenarioError(path, "optimize.cost_years", f"expected years within "
                            f"{scenario.start}-{end}, got [{first}, {last}]")
    levers = data.get("levers")
    if not isinstance(levers, dict) or not levers:
        raise ScenarioError(path, "levers", "expected at least one decision lever, e.g. "
                            "fiscal_ai_funding_100m_yuan_per_year = { low = 5, high = 60 }")
    decisions = [_decision(path, name, spec) for name, spec in levers.items()]
    objectives = data.get("objectives")
    if not isinstance(objectives, dict):
        raise ScenarioError(path, "objectives", "missing: expected an [objectives] table")
    check_keys(path, objectives, OBJECTIVE_KEYS, "objectives")
    minimise_cost = objectives.get("minimise_public_cost", True)
    if not isinstance(minimise_cost, bool):
        raise ScenarioError(path, "objectives.minimise_public_cost",
                            f"expected true or false, got {minimise_cost!r}")
    targets = load_targets(targets_path(scenario_path))
    named: dict = {}
    for key in ("p_met", "expected_shortfall"):
        names = objectives.get(key, [])
        if not isinstance(names, list):
            raise ScenarioError(path, f"objectives.{key}", "expected a list of target names")
        named[key] = [_target(path, f"objectives.{key}[{n}]", name, targets, end)
                      for n, name in enumerate(names)]
    if not named["p_met"] and not named["expected_shortfall"]:
        raise ScenarioError(path, "objectives", "expected at least one target under p_met or "
                            "expected_shortfall")
    n_obj = int(minimise_cost) + len(named["p_met"]) + len(named["expected_shortfall"])
    if n_obj < 2:
        raise ScenarioError(path, "objectives", "expected at least two objectives (e.g. "
                            "minimise_public_cost = true and one p_met target)")
    every = []
    for t in named["p_met"] + named["expected_shortfall"]:
        if t not in every:
            every.append(t)
    return OptimizeSpec(name=values.pop("name", path.stem), path=str(path), scenario=scenario,
                        decisions=decisions, p_met=named["p_met"],
                        shortfall=named["expected_shortfall"], minimise_cost=minimise_cost,
                        text=text, targets=every, **values)
