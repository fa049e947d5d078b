"""PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), and CART boxes, for
scenario discovery.

Given runs `x` (one row per run, one column per factor) and a binary "case of interest" `y`,
PRIM looks for a box — an interval per numeric factor, a set of levels per categorical one —
where the cases concentrate (Bryant & Lempert 2010 call this scenario discovery):

- peeling: starting from the box of all runs, repeatedly remove the slab that most raises
  the box's density (the mean of `y` inside) per run removed: the lowest or highest
  `alpha`-quantile of one numeric factor, or one level of a discrete factor, as long as
  the box keeps at least `min_mass` of the runs. Each box on the way is a point of the
  peeling trajectory;
- choosing: a box on the trajectory trades coverage (share of all cases inside the box)
  against density (share of the box's runs that are cases); `PrimResult.default_choice`
  documents the rule used when the analyst does not pick one;
- pasting: the chosen box is grown back along its restricted factors, one slab at a time,
  while the density does not fall — peeling is greedy and may have cut too far.

Factors with at most `MAX_LEVELS` distinct numeric values (a grid design's levels, small
integer counts) are peeled a level at a time from either end; non-numeric factors are
categorical and lose any one level per peel. Box limits are closed and lie on observed
values, so `low <= x <= high` reproduces the box's runs exactly.

`cart_boxes` gives the comparison scenario discovery usually shows beside PRIM (Lempert
et al. 2008): the leaves of a shallow classification tree that predict a case, as boxes.

Written from the paper. The vocabulary (coverage, density, mass, quasi-p-values) follows
EMA Workbench (Kwakkel 2017), whose code was not used; nor is the GPL `prim` package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import hypergeom

MAX_LEVELS = 10          # numeric factors with at most this many values are peeled by levels
_EPS = 1e-12             # tolerance when comparing densities

Limit = tuple[float, float] | frozenset


class PrimError(ValueError):
    """Inputs PRIM cannot work on (empty data, y not binary, lengths differ)."""


@dataclass(frozen=True)
class Box:
    """Closed limits per factor: (low, high) for a numeric factor, a frozenset of levels
    for a categorical one."""

    limits: dict

    def contains(self, x: pd.DataFrame) -> np.ndarray:
        """Boolean mask of the rows of `x` inside the box."""
        inside = np.ones(len(x), dtype=bool)
        for name, lim in self.limits.items():
            col = x[name]
            if isinstance(lim, frozenset):
                inside &= col.isin(lim).to_numpy()
            else:
                v = col.to_numpy(dtype=float)
                inside &= (v >= lim[0]) & (v <= lim[1])
        return inside

    def restricted(self, full: Box) -> list[str]:
        """Factors whose limits are narrower than in `full` (the box of all runs)."""
        return [n for n, lim in self.limits.items() if lim != full.limits[n]]

    def contains_box(self, other: Box) -> bool:
        """True if every limit of `other` lies within this box's."""
        for name, lim in self.limits.items():
            o = other.limits[name]
            if isinstance(lim, frozenset):
                if not o <= lim:
                    return False
            elif not (lim[0] <= o[0] and o[1] <= lim[1]):
                return False
        return True


@dataclass(frozen=True)
class BoxStats:
    coverage: float       # cases inside / all cases
    density: float        # cases inside / runs inside
    mass: float           # runs inside / all runs
    n: int                # runs inside
    cases: int            # cases inside


def box_stats(inside: np.ndarray, y: np.ndarray) -> BoxStats:
    """Coverage, density and mass of the runs in `inside` for the cases `y`."""
    n = int(inside.sum())
    cases = int(y[inside].sum())
    total = int(y.sum())
    return BoxStats(coverage=cases / total if total else float("nan"),
                    density=cases / n if n else float("nan"), mass=n / len(y), n=n, cases=cases)


@dataclass
class PrimBox:
    """A box chosen from the trajectory, after pasting, with its statistics."""

    index: int            # position on the peeling trajectory it was chosen from
    peeled: Box           # the box as peeling left it
    box: Box              # after pasting
    stats: BoxStats
    limits: pd.DataFrame  # factor, kind, low, high, levels, restricted, qp_value


@dataclass
class PrimResult:
    """The peeling trajectory of one PRIM run and the means to choose and paste a box."""

    x: pd.DataFrame
    y: np.ndarray
    alpha: float
    min_mass: float
    kinds: dict                       # factor -> "continuous" | "levels" | "categorical"
    full: Box                         # the box of all runs
    boxes: list = field(default_factory=list)        # Box per trajectory step
    trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)

    def default_choice(self, min_coverage: float = 0.8) -> int:
        """The trajectory box chosen when the analyst picks none: among the boxes with
        coverage >= `min_coverage`, the one with the largest coverage whose density is
        within one standard error of the densest.

        Bryant & Lempert (2010) weigh coverage against density by eye, with a coverage
        floor of about 0.8 as the usual start; the one-standard-error rule (Breiman et al.
        1984, as for pruning CART trees) keeps noise in the last few runs from buying a
        narrower box with more restrictions. The standard error is the binomial one of the
        densest box, with the (cases + 1) / (n + 2) estimate so a box of cases only still
        has one. The full box (coverage 1) always qualifies, so there is always a choice.
        """
        t = self.trajectory
        ok = t[t.coverage >= min_coverage - _EPS]
        top = ok.loc[ok.density.idxmax()]
        p = (top.cases + 1) / (top.n + 2)
        se = float(np.sqrt(p * (1 - p) / top.n))
        near = ok[ok.density >= top.density - se - _EPS]
        return int(near.sort_values(["coverage", "box"], ascending=[False, True]).box.iloc[0])

    def choose(self, i: int | None = None, paste: bool = True,
               min_coverage: float = 0.8) -> PrimBox:
        """Box `i` of the trajectory (default: `default_choice`), pasted unless told not to."""
        if i is None:
            i = self.default_choice(min_coverage)
        if not 0 <= i < len(self.boxes):
            raise IndexError(f"box {i} is not on the trajectory (0..{len(self.boxes) - 1})")
        peeled = self.boxes[i]
        box = paste_box(self.x, self.y, peeled, self.full, self.kinds, self.alpha) \
            if paste else peeled
        stats = box_stats(box.contains(self.x), self.y)
        return PrimBox(index=i, peeled=peeled, box=box, stats=stats,
                       limits=self.limits(box))

    def limits(self, box: Box) -> pd.DataFrame:
        """One row per factor: limits, whether restricted, and the quasi-p-value of the
        restriction (Bryant & Lempert 2010; NaN for unrestricted factors)."""
        rows = []
        inside = box.contains(self.x)
        n, k = int(inside.sum()), int(self.y[inside].sum())
        for name, lim in box.limits.items():
            restricted = lim != self.full.limits[name]
            qp = float("nan")
            if restricted:
                # how likely a box this dense, drawn at random from the box without this
                # restriction: hypergeometric upper tail
                loose = Box({**box.limits, name: self.full.limits[name]}).contains(self.x)
                qp = float(hypergeom.sf(k - 1, int(loose.sum()), int(self.y[loose].sum()), n))
            cat = isinstance(lim, frozenset)
            rows.append({"factor": name, "kind": self.kinds[name],
                         "low": np.nan if cat else lim[0], "high": np.nan if cat else lim[1],
                         "levels": _levels_text(lim) if cat else "",
                         "restricted": restricted, "qp_value": qp})
        return pd.DataFrame(rows)


def _levels_text(levels: frozenset) -> str:
    return "{" + ", ".join(sorted(map(str, levels))) + "}"


def factor_kinds(x: pd.DataFrame, max_levels: int = MAX_LEVELS) -> dict:
    """How each factor is peeled: "categorical" (non-numeric), "levels" (numeric with at
    most `max_levels` distinct values) or "continuous" (quantile slabs)."""
    kinds = {}
    for name in x.columns:
        col = x[name]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            kinds[name] = "categorical"
        elif col.nunique() <= max_levels:
            kinds[name] = "levels"
        else:
            kinds[name] = "continuous"
    return kinds


def full_box(x: pd.DataFrame, kinds: dict) -> Box:
    """The smallest box holding every run."""
    limits = {}
    for name in x.columns:
        if kinds[name] == "categorical":
            limits[name] = frozenset(x[name].unique())
        else:
            v = x[name].to_numpy(dtype=float)
            limits[name] = (float(v.min()), float(v.max()))
    return Box(limits)


def _peels(x: pd.DataFrame, inside: np.ndarray, box: Box, kinds: dict, alpha: float):
    """Candidate peels of `box`: (new box, mask of the runs it keeps)."""
    n_box = int(inside.sum())
    k = max(1, int(alpha * n_box))
    for name, lim in box.limits.items():
        kind = kinds[name]
        if kind == "categorical":
            col = x[name].to_numpy()
            present = pd.unique(col[inside])
            if len(present) < 2:
                continue
            for level in present:
                keep = inside & (col != level)
                yield Box({**box.limits, name: lim - {level}}), keep
            continue
        v = x[name].to_numpy(dtype=float)
        values = np.sort(v[inside])
        distinct = np.unique(values)
        if len(distinct) < 2:
            continue
        if kind == "levels":
            # a whole level from either end, whatever its share of the box
            low_cut, high_cut = distinct[1], distinct[-2]
        else:
            # the alpha-quantile slab; with ties at the edge, at least the edge value
            low_cut = values[k] if values[k] > distinct[0] else distinct[1]
            high_cut = values[-1 - k] if values[-1 - k] < distinct[-1] else distinct[-2]
        yield Box({**box.limits, name: (float(low_cut), lim[1])}), inside & (v >= low_cut)
        yield Box({**box.limits, name: (lim[0], float(high_cut))}), inside & (v <= high_cut)


def peel_score(density: float, new_density: float, removed: int) -> float:
    """How good a peel is: the gain in density per run removed, or, if the density falls,
    the fall itself.

    Friedman & Fisher's criterion — the density after the peel — compares like with like
    only when every slab holds about `alpha` of the box. A level of a discrete factor can
    hold a third of the runs, and its removal wins by chance far too often; dividing the
    gain by the runs removed (EMA Workbench's "lenient1") puts slabs of any size on one
    footing. A loss is not divided, or a large useless peel would look better than a
    small one.
    """
    gain = new_density - density
    return gain / removed if gain > 0 else gain


def prim(x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05, min_mass: float = 0.05,
         kinds: dict | None = None) -> PrimResult:
    """Peel a box around the cases `y` (0/1 per row of `x`) and return the trajectory.

    Each step removes the candidate slab (see `_peels`) with the best `peel_score`, the
    smaller slab on ties (Friedman & Fisher 1999, "patient" peeling). It
    stops when no peel leaves at least `min_mass` of the runs, or the box holds only cases.
    `kinds` overrides `factor_kinds(x)` per factor (e.g. a grid design's levels).
    """
    y = np.asarray(y)
    if len(x) != len(y):
        raise PrimError(f"x has {len(x)} rows but y has {len(y)} values")
    if len(y) == 0:
        raise PrimError("no runs")
    if not np.isin(y, (0, 1)).all():
        raise PrimError("y must hold 0/1 (False/True) values only")
    if not 0 < alpha < 0.5:
        raise PrimError(f"alpha must lie in (0, 0.5), got {alpha}")
    if not 0 < min_mass <= 1:
        raise PrimError(f"min_mass must lie in (0, 1], got {min_mass}")
    y = y.astype(int)
    x = x.reset_index(drop=True)
    kinds = {**factor_kinds(x), **(kinds or {})}
    full = full_box(x, kinds)
    result = PrimResult(x=x, y=y, alpha=alpha, min_mass=min_mass, kinds=kinds, full=full)
    box, inside = full, np.ones(len(y), dtype=bool)
    min_n = min_mass * len(y)
    boxes, rows = [], []
    while True:
        s = box_stats(inside, y)
        boxes.append(box)
        rows.append({"box": len(rows), "coverage": s.coverage, "density": s.density,
                     "mass": s.mass, "n_restricted": len(box.restricted(full)),
                     "n": s.n, "cases": s.cases})
        if s.density >= 1 - _EPS:
            break
        best = None
        for cand, keep in _peels(x, inside, box, kinds, alpha):
            n_keep = int(keep.sum())
            if n_keep < min_n - _EPS or n_keep == s.n:
                continue
            score = (peel_score(s.density, y[keep].sum() / n_keep, s.n - n_keep), n_keep)
            if best is None or score[0] > best[0][0] + _EPS or (
                    abs(score[0] - best[0][0]) <= _EPS and score[1] > best[0][1]):
                best = (score, cand, keep)
        if best is None:
            break
        box, inside = best[1], best[2]
    result.boxes = boxes
    result.trajectory = pd.DataFrame(rows)
    return result


def _pastes(x: pd.DataFrame, box: Box, full: Box, kinds: dict, k: int):
    """Candidate pastes of `box`: each widens one restricted factor by about `k` runs
    (or one level)."""
    for name in box.restricted(full):
        lim, whole = box.limits[name], full.limits[name]
        others = Box({**box.limits, name: whole}).contains(x)
        kind = kinds[name]
        if kind == "categorical":
            for level in whole - lim:
                yield Box({**box.limits, name: lim | {level}})
            continue
        v = x[name].to_numpy(dtype=float)
        if kind == "levels":
            levels = np.unique(v)
            below, above = levels[levels < lim[0]], levels[levels > lim[1]]
            if len(below):
                yield Box({**box.limits, name: (float(below[-1]), lim[1])})
            if len(above):
                yield Box({**box.limits, name: (lim[0], float(above[0]))})
            continue
        below = np.sort(v[others & (v < lim[0])])[::-1]
        above = np.sort(v[others & (v > lim[1])])
        if len(below):
            yield Box({**box.limits, name: (float(below[min(k, len(below)) - 1]), lim[1])})
        if len(above):
            yield Box({**box.limits, name: (lim[0], float(above[min(k, len(above)) - 1]))})
        # a slab with no runs of the box's other limits still widens the limit to the
        # full range when nothing else is left outside
        if not len(below) and lim[0] > whole[0]:
            yield Box({**box.limits, name: (whole[0], lim[1])})
        if not len(above) and lim[1] < whole[1]:
            yield Box({**box.limits, name: (lim[0], whole[1])})


def paste_box(x: pd.DataFrame, y: np.ndarray, box: Box, full: Box, kinds: dict,
              alpha: float = 0.05) -> Box:
    """Grow `box` one slab at a time along its restricted factors while the density does
    not fall, taking the paste with the highest density, then the largest (Friedman &
    Fisher 1999, §6). The result contains `box` and is at least as dense."""
    inside = box.contains(x)
    current = box_stats(inside, y)
    while True:
        k = max(1, int(alpha * current.n))
        best = None
        for cand in _pastes(x, box, full, kinds, k):
            s = box_stats(cand.contains(x), y)
            if s.density < current.density - _EPS:
                continue
            if best is None or s.density > best[1].density + _EPS or (
                    abs(s.density - best[1].density) <= _EPS and s.n > best[1].n):
                best = (cand, s)
        if best is None:
            return box
        box, current = best


# CART for comparison: a shallow tree's leaves as boxes (Breiman et al. 1984)


@dataclass
class CartBox:
    """A class-1 leaf of the decision tree as a box (limits snapped to observed values)."""

    leaf: int             # 1, 2, ... in order of falling density
    box: Box
    stats: BoxStats


def cart_boxes(x: pd.DataFrame, y: np.ndarray, max_depth: int = 3, min_mass: float = 0.05,
               kinds: dict | None = None, seed: int = 0) -> list[CartBox]:
    """Leaves of a shallow classification tree that predict the case of interest, as boxes
    (sibling leaves that both predict it merged into their parent's box).

    Categorical factors enter one-hot (a split "c == level" keeps or drops one level); a
    leaf holds at least `min_mass` of the runs. A split "x <= t" becomes the closed limit
    at the largest observed value <= t (and "x > t" the smallest above), so a box holds
    exactly its leaf's runs.
    """
    from sklearn.tree import DecisionTreeClassifier

    x = x.reset_index(drop=True)
    y = np.asarray(y).astype(int)
    kinds = {**factor_kinds(x), **(kinds or {})}
    full = full_box(x, kinds)
    columns, encoded = [], []          # (factor, level or None) per tree feature
    for name in x.columns:
        if kinds[name] == "categorical":
            for level in sorted(full.limits[name], key=str):
                columns.append((name, level))
                encoded.append((x[name] == level).to_numpy(dtype=float))
        else:
            columns.append((name, None))
            encoded.append(x[name].to_numpy(dtype=float))
    features = np.column_stack(encoded)
    if len(np.unique(y)) < 2:
        return []
    tree = DecisionTreeClassifier(max_depth=max_depth, random_state=seed,
                                  min_samples_leaf=max(1, math.ceil(min_mass * len(y))))
    tree.fit(features, y)
    t = tree.tree_
    leaf = t.children_left == -1
    # a subtree whose leaves all predict a case is one box: splits below it (the tree
    # growing purer leaves of the same class) say nothing about where cases are
    all_cases = np.zeros(t.node_count, dtype=bool)
    for node in range(t.node_count - 1, -1, -1):      # children come after their parent
        if leaf[node]:
            all_cases[node] = tree.classes_[int(np.argmax(t.value[node]))] == 1
        else:
            all_cases[node] = all_cases[t.children_left[node]] and \
                all_cases[t.children_right[node]]
    found = []

    def walk(node: int, limits: dict) -> None:
        if all_cases[node]:
            found.append(Box(limits))
            return
        if leaf[node]:
            return
        name, level = columns[t.feature[node]]
        cut = t.threshold[node]
        left, right = dict(limits), dict(limits)
        if level is not None:                      # one-hot: left is "!= level"
            left[name] = limits[name] - {level}
            right[name] = limits[name] & {level}
        else:
            v = features[:, t.feature[node]]
            lo, hi = limits[name]
            left[name] = (lo, min(hi, float(v[v <= cut].max())))
            right[name] = (max(lo, float(v[v > cut].min())), hi)
        walk(t.children_left[node], left)
        walk(t.children_right[node], right)

    walk(0, dict(full.limits))
    stats = [box_stats(b.contains(x), y) for b in found]
    order = sorted(range(len(found)), key=lambda i: (-stats[i].density, -stats[i].coverage))
    return [CartBox(leaf=n + 1, box=found[i], stats=stats[i]) for n, i in enumerate(order)]
