"""Scenario discovery on a finished sweep: which factor ranges lead to a case of interest?

`zjai discover SWEEP_DIR --outcome IND --year Y --below X` (or `--above X`) turns every run
of the sweep into one row (its factor values and whether its outcome crossed the
threshold) and looks for boxes in factor space where such runs concentrate (Bryant &
Lempert 2010): PRIM (model/prim.py) with its peeling trajectory and a chosen, pasted box,
and CART (a shallow scikit-learn decision tree) for comparison. Written atomically into
`SWEEP_DIR/discover_<outcome>_<year>/`: `boxes.csv`, `tradeoff.png`, `summary.md`.

Runs, not points, are the unit: replicates of a point are separate rows, so a box's
density reads as "the share of runs in this box that fail", seed noise included.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .prim import (
    Box,
    BoxStats,
    CartBox,
    PrimBox,
    PrimError,
    PrimResult,
    box_stats,
    cart_boxes,
    prim,
)
from .provenance import write_folder

PROVINCE = "Zhejiang"   # the region of the province totals (model.data.PROVINCE)
MIN_RUNS = 20           # fewer runs than this cannot support a box with any confidence
TIDY_COLUMNS = ("run_id", "point", "replicate", "seed", "year", "region", "indicator", "value")


class DiscoverError(Exception):
    """Input scenario discovery cannot use; the message says what and what was expected."""


# ---------------------------------------------------------------- reading a sweep


@dataclass
class Question:
    """What is asked of the sweep: which runs count as cases."""

    outcome: str
    year: int
    region: str
    below: float | None
    above: float | None

    @property
    def case(self) -> str:
        """The case of interest in words, e.g. "new_startups < 40 in 2030"."""
        sign, value = ("<", self.below) if self.below is not None else (">", self.above)
        where = "" if self.region == PROVINCE else f" ({self.region})"
        return f"{self.outcome} {sign} {_num(value)} in {self.year}{where}"


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _listing(options, limit: int = 8) -> str:
    options = list(options)
    head = ", ".join(map(str, options[:limit]))
    return head + (f", ... ({len(options)} in all)" if len(options) > limit else "")


def _read_json(path: Path) -> dict:
    """A JSON object file of the sweep folder; one DiscoverError if it is not one."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise DiscoverError(f"{path}: not UTF-8; expected the JSON file `zjai sweep` "
                            "writes") from None
    except (ValueError, RecursionError) as exc:
        raise DiscoverError(f"{path}: invalid JSON ({type(exc).__name__}); expected the "
                            "file `zjai sweep` writes") from None
    except OSError as exc:
        raise DiscoverError(f"{path}: cannot be read ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise DiscoverError(f"{path}: expected a JSON object, as `zjai sweep` writes")
    return data


def read_sweep(sweep_dir: Path) -> tuple[pd.DataFrame, list[str], dict, str]:
    """The sweep's tidy results, its factor names, the PRIM kind of each factor (a factor
    with declared levels is peeled by levels) and the experiment's name."""
    sweep_dir = Path(sweep_dir)
    path = sweep_dir / "results.parquet"
    if not sweep_dir.is_dir():
        raise DiscoverError(f"{sweep_dir}: no such folder (expected a finished sweep's folder)")
    if not path.is_file():
        raise DiscoverError(f"{sweep_dir}: no results.parquet here (expected a finished "
                            "sweep's folder; run or resume `zjai sweep` first)")
    try:
        results = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one user error
        raise DiscoverError(f"{path}: cannot be read as Parquet ({exc})") from None
    missing = [c for c in TIDY_COLUMNS if c not in results.columns]
    if missing:
        raise DiscoverError(f"{path}: not a sweep's results table (missing columns "
                            f"{', '.join(missing)})")
    name = sweep_dir.name
    stamp = sweep_dir / "experiment.json"
    if stamp.is_file():
        info = _read_json(stamp)
        name = info.get("name", name) if isinstance(info.get("name", name), str) else name
    # experiment.json holds only the name and hash; the factors are the columns between
    # the run's identity and the outcome, and metadata.json says which have levels
    factors = [c for c in results.columns if c not in TIDY_COLUMNS]
    kinds: dict = {}
    meta = sweep_dir / "metadata.json"
    if meta.is_file():
        listed = _read_json(meta).get("factors", [])
        for f in listed if isinstance(listed, list) else []:
            if isinstance(f, dict) and f.get("name") in factors and f.get("levels"):
                kinds[f["name"]] = "levels"
    if not factors:
        raise DiscoverError(f"{path}: no factor columns (expected one column per factor "
                            "between seed and year)")
    return results, factors, kinds, name


def case_table(results: pd.DataFrame, factors: list[str], q: Question) -> pd.DataFrame:
    """One row per run: run_id, point, replicate, the factors, value and case (0/1)."""
    if len(results) == 0:
        raise DiscoverError("results.parquet holds no runs")
    indicators = sorted(results.indicator.unique())
    if q.outcome not in indicators:
        raise DiscoverError(f"unknown outcome {q.outcome!r}{_suggest(q.outcome, indicators)}; "
                            f"this sweep kept: {_listing(indicators)}")
    regions = sorted(results.region.unique())
    if q.region not in regions:
        raise DiscoverError(f"region {q.region!r} is not in this sweep"
                            f"{_suggest(q.region, regions)}; it kept: {_listing(regions)}")
    sel = results[(results.indicator == q.outcome) & (results.region == q.region)]
    years = sorted(int(y) for y in sel.year.unique())
    if q.year not in years:
        raise DiscoverError(f"year {q.year} is not in this sweep for {q.outcome}; "
                            f"years: {_listing(years)}")
    sel = sel[sel.year == q.year]
    runs = results.drop_duplicates("run_id").set_index("run_id")[["point", "replicate",
                                                                   *factors]]
    values = sel.groupby("run_id").value.mean().dropna()
    table = runs.join(values, how="inner").reset_index()
    if len(table) == 0:
        raise DiscoverError(f"no run has a value of {q.outcome} in {q.year} ({q.region})")
    if len(table) < MIN_RUNS:
        raise DiscoverError(f"only {len(table)} runs have {q.outcome} in {q.year}; scenario "
                            f"discovery needs at least {MIN_RUNS} (sweep more points)")
    v = table.value.to_numpy(dtype=float)
    table["case"] = (v < q.below if q.below is not None else v > q.above).astype(int)
    n_cases = int(table.case.sum())
    span = f"values range {_num(v.min())} to {_num(v.max())}"
    if n_cases == 0:
        raise DiscoverError(f"no run has {q.case} ({span}); choose another threshold")
    if n_cases == len(table):
        raise DiscoverError(f"every run has {q.case} ({span}); choose another threshold")
    return table


# ---------------------------------------------------------------- outputs


def _num(v: float) -> str:
    """A limit or threshold for a reader: four significant digits, no exponent."""
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):d}"
    return f"{v:.0f}" if abs(v) >= 1e4 else f"{v:.4g}"


def box_words(box: Box, full: Box) -> str:
    """The restricted limits of a box, e.g. "fiscal_ai_funding ≤ 11.8 and x in {a, b}"."""
    parts = []
    for name in box.restricted(full):
        lim, whole = box.limits[name], full.limits[name]
        if isinstance(lim, frozenset):
            parts.append(f"{name} in {{{', '.join(sorted(map(str, lim)))}}}")
        elif lim[0] > whole[0] and lim[1] < whole[1]:
            parts.append(f"{_num(lim[0])} ≤ {name} ≤ {_num(lim[1])}")
        elif lim[1] < whole[1]:
            parts.append(f"{name} ≤ {_num(lim[1])}")
        else:
            parts.append(f"{name} ≥ {_num(lim[0])}")
    return " and ".join(parts) if parts else "anywhere in the sweep (no factor restricted)"


def stats_words(s: BoxStats, case: str) -> str:
    return (f"{s.coverage:.0%} of the runs with {case} (coverage), {s.density:.0%} of the "
            f"runs in the box have it (density), {s.mass:.0%} of all runs (mass)")


def boxes_table(result: PrimResult, chosen: PrimBox, cart: list[CartBox]) -> pd.DataFrame:
    """One row per factor per box: every box of the PRIM trajectory ("prim"), the chosen
    box after pasting ("prim_pasted", chosen = True) and CART's class-1 leaves ("cart")."""
    rows = []

    def add(method: str, index: int, box: Box, s: BoxStats, is_chosen: bool) -> None:
        for name, lim in box.limits.items():
            cat = isinstance(lim, frozenset)
            rows.append({"method": method, "box": index, "factor": name,
                         "low": np.nan if cat else lim[0], "high": np.nan if cat else lim[1],
                         "levels": "{" + ", ".join(sorted(map(str, lim))) + "}" if cat else "",
                         "restricted": lim != result.full.limits[name],
                         "coverage": s.coverage, "density": s.density, "mass": s.mass,
                         "chosen": is_chosen})

    for i, box in enumerate(result.boxes):
        add("prim", i, box, box_stats(box.contains(result.x), result.y), False)
    add("prim_pasted", chosen.index, chosen.box, chosen.stats, True)
    for c in cart:
        add("cart", c.leaf, c.box, c.stats, False)
    table = pd.DataFrame(rows)
    qp = chosen.limits.set_index("factor").qp_value
    table["qp_value"] = np.where(table.method == "prim_pasted", table.factor.map(qp), np.nan)
    return table


def plot_tradeoff(result: PrimResult, chosen: PrimBox, cart: list[CartBox], title: str,
                  path: Path) -> None:
    """Coverage against density along the peeling trajectory, the chosen box and CART."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.trajectory
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    most = int(t.n_restricted.max())
    cmap = plt.get_cmap("viridis", most + 1)
    norm = matplotlib.colors.BoundaryNorm(np.arange(-0.5, most + 1.5), cmap.N)
    pts = ax.scatter(t.coverage, t.density, c=t.n_restricted, cmap=cmap, norm=norm, s=18,
                     label="PRIM peeling trajectory")
    fig.colorbar(pts, ax=ax, label="restricted factors", ticks=range(most + 1))
    peeled = t.loc[chosen.index]
    ax.scatter([peeled.coverage], [peeled.density], s=110, facecolors="none",
               edgecolors="tab:red", linewidths=1.5, label=f"chosen box {chosen.index} (peeled)")
    ax.scatter([chosen.stats.coverage], [chosen.stats.density], marker="*", s=220,
               color="tab:red", label="chosen box, pasted")
    if cart:
        ax.scatter([c.stats.coverage for c in cart], [c.stats.density for c in cart],
                   marker="^", s=70, color="black", label="CART leaves (class 1)")
        for c in cart:
            ax.annotate(f"leaf {c.leaf}", (c.stats.coverage, c.stats.density),
                        textcoords="offset points", xytext=(5, -10), fontsize=8)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("coverage (share of all cases inside the box)")
    ax.set_ylabel("density (share of the box's runs that are cases)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


READING = (
    "Coverage: share of all cases inside the box; density: share of the box's runs that are "
    "cases; mass: share of all runs inside the box. A quasi-p-value (Bryant & Lempert 2010) "
    "is the chance that a box this dense arises by luck without that restriction; above "
    "about 0.05 the restriction is weak. Limits are the outermost swept values inside the "
    "box: the edge itself lies between a limit and the next swept value outside."
)
FILES = (
    "- `boxes.csv`: every box of the PRIM trajectory (method prim), the chosen box after "
    "pasting (prim_pasted, chosen = true) and CART's leaves (cart); one row per factor, "
    "unrestricted factors at their full range.\n"
    "- `tradeoff.png`: coverage against density along the trajectory, the chosen box and "
    "CART's leaves."
)


def summary_text(q: Question, table: pd.DataFrame, name: str, sweep_dir: Path,
                 result: PrimResult, chosen: PrimBox, cart: list[CartBox],
                 cart_depth: int, how_chosen: str) -> str:
    """summary.md: the question, the runs, the chosen box in words and the CART leaves."""
    n, cases = len(table), int(table.case.sum())
    s = chosen.stats
    reps = table.groupby("point").size()
    r = int(reps.iloc[0])
    design = (f"{len(reps)} points × {r} replicate{'s' * (r != 1)}" if reps.nunique() == 1
              else f"{len(reps)} points")
    lines = [
        f"# Scenario discovery: {q.case}", "",
        f"Question: which ranges of the swept factors lead to {q.case}?", "",
        (f"Sweep `{sweep_dir}` (experiment {name}, region {q.region}): {n} runs ({design}), "
         f"{cases} with {q.case}: base rate {cases / n:.0%}."), "",
        f"## PRIM (α = {result.alpha:g}, minimum mass {result.min_mass:g})", "",
        (f"Box {chosen.index} of the {len(result.boxes)}-box peeling trajectory ({how_chosen}), "
         f"pasted: when {box_words(chosen.box, result.full)}: {stats_words(s, q.case)}."), "",
        "| factor | in the box | swept range | quasi-p |", "|---|---|---|---|",
    ]
    for r in chosen.limits.itertuples():
        whole = result.full.limits[r.factor]
        if r.kind == "categorical":
            inside, swept = r.levels, "{" + ", ".join(sorted(map(str, whole))) + "}"
        else:
            inside = f"{_num(r.low)} to {_num(r.high)}"
            swept = f"{_num(whole[0])} to {_num(whole[1])}"
        qp = f"{r.qp_value:.2g}" if r.restricted else "unrestricted"
        lines.append(f"| {r.factor} | {inside if r.restricted else 'any'} | {swept} | {qp} |")
    strong = chosen.limits[chosen.limits.restricted & (chosen.limits.qp_value < 0.05)]
    if strong.empty:
        lines += ["", ("**No restriction is significant** (every quasi-p-value ≥ 0.05, or none "
                       "restricted): this sweep shows no clear region where the case "
                       "concentrates. More runs, another threshold or year may help.")]
    lines += ["", READING + " `tradeoff.png` shows the other boxes of the trajectory.", "",
              (f"## CART for comparison (depth ≤ {cart_depth}, leaves ≥ "
               f"{result.min_mass:.0%} of the runs)"), ""]
    if not cart:
        lines.append(f"No leaf of the tree has a majority of runs with {q.case}.")
    for c in cart:
        lines.append(f"- Leaf {c.leaf}: when {box_words(c.box, result.full)}: "
                     f"{stats_words(c.stats, q.case)}.")
    if cart:
        union = np.zeros(n, dtype=bool)
        for c in cart:
            union |= c.box.contains(result.x)
        u = box_stats(union, result.y)
        lines += ["", (f"Together CART's leaves hold {u.coverage:.0%} of the cases at density "
                       f"{u.density:.0%} (PRIM's box: {s.coverage:.0%} at {s.density:.0%}).")]
    lines += ["", "## Files", "", FILES]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the whole analysis


@dataclass
class Discovery:
    out: Path
    question: Question
    table: pd.DataFrame        # one row per run: factors, value, case
    prim: PrimResult
    chosen: PrimBox
    cart: list
    summary: str


def discover(sweep_dir, outcome: str, year: int, below: float | None = None,
             above: float | None = None, region: str = PROVINCE, out=None,
             alpha: float = 0.05, min_mass: float = 0.05, min_coverage: float = 0.8,
             box: int | None = None, cart_depth: int = 3) -> Discovery:
    """Find the factor ranges where `outcome` in `year` ends below `below` (or above
    `above`); write boxes.csv, tradeoff.png and summary.md into `out` (default
    SWEEP_DIR/discover_<outcome>_<year>). `box` picks a trajectory box instead of the
    default choice. Raises DiscoverError on bad input, before writing anything."""
    sweep_dir = Path(sweep_dir)
    if (below is None) == (above is None):
        raise DiscoverError("give exactly one of --below X or --above X (the threshold "
                            "that makes a run a case of interest)")
    for label, v in (("below", below), ("above", above)):
        if v is not None and not math.isfinite(v):
            raise DiscoverError(f"--{label} must be a finite number, got {v}")
    if not 0 < alpha < 0.5:
        raise DiscoverError(f"--alpha must lie in (0, 0.5), got {alpha:g}")
    if not 0 < min_mass < 1:
        raise DiscoverError(f"--min-mass must lie in (0, 1), got {min_mass:g}")
    if not 0 < min_coverage <= 1:
        raise DiscoverError(f"--min-coverage must lie in (0, 1], got {min_coverage:g}")
    if cart_depth < 1:
        raise DiscoverError(f"--cart-depth must be at least 1, got {cart_depth}")
    q = Question(outcome=outcome, year=int(year), region=region, below=below, above=above)
    results, factors, kinds, name = read_sweep(sweep_dir)
    table = case_table(results, factors, q)
    out = Path(out) if out is not None else sweep_dir / f"discover_{outcome}_{q.year}"
    if out.exists() and not out.is_dir():
        raise DiscoverError(f"{out}: exists and is not a folder")
    x, y = table[factors], table.case.to_numpy()
    try:
        result = prim(x, y, alpha=alpha, min_mass=min_mass, kinds=kinds)
        if box is not None and not 0 <= box < len(result.boxes):
            raise DiscoverError(f"--box {box} is not on the peeling trajectory "
                                f"(0..{len(result.boxes) - 1})")
        chosen = result.choose(box, min_coverage=min_coverage)
    except PrimError as exc:
        raise DiscoverError(str(exc)) from None
    cart = cart_boxes(x, y, max_depth=cart_depth, min_mass=min_mass, kinds=result.kinds)
    how = ("asked for" if box is not None else f"the widest within one standard error of "
           f"the densest with coverage ≥ {min_coverage:g}")
    summary = summary_text(q, table, name, sweep_dir, result, chosen, cart, cart_depth, how)
    boxes = boxes_table(result, chosen, cart)
    write_folder(out, {
        "boxes.csv": lambda p: boxes.to_csv(p, index=False),
        "tradeoff.png": lambda p: plot_tradeoff(result, chosen, cart, q.case, p),
        "summary.md": lambda p: p.write_text(summary, encoding="utf-8"),
    })
    return Discovery(out=out, question=q, table=table, prim=result, chosen=chosen,
                     cart=cart, summary=summary)


# ---------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `zjai discover`."""
    parser.add_argument("sweep_dir", help="a finished sweep's folder (with results.parquet)")
    parser.add_argument("--outcome", required=True,
                        help="indicator, e.g. ai_enterprise_revenue_100m_yuan")
    parser.add_argument("--year", type=int, required=True, help="year of the outcome")
    parser.add_argument("--below", type=float, help="a run is a case if its value is below this")
    parser.add_argument("--above", type=float, help="a run is a case if its value is above this")
    parser.add_argument("--region", default=PROVINCE, help=f"region (default: {PROVINCE})")
    parser.add_argument("--out", help="output folder (default: SWEEP_DIR/discover_<outcome>_<year>)")
    parser.add_argument("--alpha", type=float, default=0.05,
                        help="PRIM peeling fraction (default: 0.05)")
    parser.add_argument("--min-mass", type=float, default=0.05,
                        help="smallest share of runs in a box or CART leaf (default: 0.05)")
    parser.add_argument("--min-coverage", type=float, default=0.8,
                        help="coverage floor of the default box choice (default: 0.8)")
    parser.add_argument("--box", type=int,
                        help="pick this box of the peeling trajectory instead (see boxes.csv)")
    parser.add_argument("--cart-depth", type=int, default=3, help="CART tree depth (default: 3)")


def run_cli(args: argparse.Namespace) -> int:
    """Run `zjai discover` from parsed arguments: 0 on success, 2 with one line on stderr
    for bad input."""
    try:
        d = discover(args.sweep_dir, args.outcome, args.year, below=args.below,
                     above=args.above, region=args.region, out=args.out, alpha=args.alpha,
                     min_mass=args.min_mass, min_coverage=args.min_coverage, box=args.box,
                     cart_depth=args.cart_depth)
    except DiscoverError as exc:
        print(f"zjai: error: {exc}", file=sys.stderr)
        return 2
    n, cases = len(d.table), int(d.table.case.sum())
    print(f"{n} runs, {cases} with {d.question.case} (base rate {cases / n:.0%})")
    print(f"PRIM box {d.chosen.index}, pasted: when {box_words(d.chosen.box, d.prim.full)}: "
          f"{stats_words(d.chosen.stats, d.question.case)}")
    for c in d.cart:
        print(f"CART leaf {c.leaf}: when {box_words(c.box, d.prim.full)}: "
              f"coverage {c.stats.coverage:.0%}, density {c.stats.density:.0%}, "
              f"mass {c.stats.mass:.0%}")
    print(f"wrote {d.out}/boxes.csv, tradeoff.png, summary.md")
    return 0
