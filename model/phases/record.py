"""Phase 8, record: incubator tenancies end; each December the year's indicators are
recorded (`model/indicators.py`)."""

from __future__ import annotations

import numpy as np


def record(model) -> None:
    """Release incubator places that ended; in December, record the year's indicators."""
    e, cs = model.state.enterprises, model.state.cities
    n = e.n
    ended = (e.incubated_until[:n] == model.month) & e.alive[:n]
    if ended.any():
        cs.incubator_occupied -= np.bincount(e.city[:n][ended], minlength=model.n_cities)
        np.maximum(cs.incubator_occupied, 0.0, out=cs.incubator_occupied)
    if model.month % 12 == 11:
        model.recorder.record_year(model.year)
        e.view("revenue_prev_year_100m_yuan")[:] = e.view("revenue_ytd_100m_yuan")
