"""The application (demand) sectors: the parts of Zhejiang's economy that adopt AI.

`state.SECTORS` are the seven product sectors AI firms sell in (二.(二)'s five product
lines plus software and services). The sectors that *buy* and *use* AI are a second axis,
the demonstration domains of 二.(四): manufacturing (二.(四).1), agriculture (二.(四).2),
the consumer services of 二.(四).3 split into commerce/finance/logistics and
health/education/culture, and public services (二.(四).4, with 二.(二).1 security).
Each has its own Bass adoption per city (`phases/adoption.py`), its own saturation
ceiling and its own policy lever, and buys from the product sectors by `PURCHASE_MIX`.

The tables are data, not behaviour: shares of GDP come from Zhejiang's 2017 output
structure, value-added ratios from China's 2017 input-output table; the purchase mix,
the ceilings and the SME shares are stated assumptions (docs/ODD.md, "Demand").
"""

from __future__ import annotations

import numpy as np

from .state import N_SECTORS

APPLICATION_SECTORS = (
    "manufacturing",          # 二.(四).1 智能制造 ("智能一代")
    "agriculture",            # 二.(四).2 智能农业
    "commerce_finance",       # 二.(四).3 智能金融, 智能商务, 智能物流
    "health_education",       # 二.(四).3 智能医疗, 智能教育, 智能文创, 健康养老
    "public_services",        # 二.(四).4 智能政务, 智慧法庭, 智能交通, 智能环保; 二.(二).1
)
N_APPLICATION_SECTORS = len(APPLICATION_SECTORS)

# the lever through which the plan pushes each sector's adoption (model/levers.py)
SECTOR_LEVERS = tuple(f"ai_application_{name}" for name in APPLICATION_SECTORS)

# share of city GDP (value added) produced in each sector, 2017. Zhejiang Statistical
# Yearbook 2018: primary 3.7%, secondary 42.9% (industry and construction), tertiary
# 53.4%; tertiary split by its branches (trade, finance, transport, IT, real estate,
# business services ~ 33%; health, education, culture ~ 10%; public administration
# and other public services ~ 10%). The same structure is assumed in every city.
GDP_SHARE = np.array([0.43, 0.037, 0.333, 0.10, 0.10])

# value added over gross output (China 2017 input-output table, 42 sectors, rounded):
# manufacturing about 0.22, agriculture 0.58, trade/finance/logistics 0.55,
# health/education/culture 0.50, public administration 0.55
VALUE_ADDED_RATIO = np.array([0.22, 0.58, 0.55, 0.50, 0.55])

# purchase mix: share of a sector's AI purchases bought from each product sector
# (state.SECTORS order: security, vehicles, robots, home, hardware, software, services).
# Assumption (no evidence): manufacturers buy robots, hardware and industrial software;
# agriculture sensors and services; commerce software and platforms; health and
# education devices and services; public services security systems (City Brain).
PURCHASE_MIX = np.array([
    [0.10, 0.10, 0.30, 0.05, 0.20, 0.15, 0.10],   # manufacturing
    [0.05, 0.05, 0.15, 0.00, 0.35, 0.20, 0.20],   # agriculture
    [0.10, 0.05, 0.10, 0.15, 0.15, 0.25, 0.20],   # commerce_finance
    [0.05, 0.00, 0.10, 0.20, 0.20, 0.20, 0.25],   # health_education
    [0.40, 0.10, 0.00, 0.00, 0.10, 0.20, 0.20],   # public_services
])

# relative saturation ceiling of adoption (times `adoption_ceiling`): the share of a
# sector's potential adopters for whom AI pays at all. Assumption: process-heavy
# manufacturing, commerce and public services can adopt widely, agriculture least.
CEILING_RELATIVE = np.array([1.0, 0.6, 1.1, 0.9, 1.1])

# share of each sector's output produced by small and medium adopters (those for whom
# AI-as-a-service lowers the fixed cost of adoption, 二.(五).3). Zhejiang's industry is
# SME-heavy (块状经济); assumption within 0.3-0.8 for manufacturing
SME_OUTPUT_SHARE = np.array([0.6, 0.9, 0.6, 0.4, 0.1])

assert PURCHASE_MIX.shape == (N_APPLICATION_SECTORS, N_SECTORS)
assert np.allclose(PURCHASE_MIX.sum(axis=1), 1.0) and abs(GDP_SHARE.sum() - 1.0) < 1e-9


def ceilings(P, aiaas: float) -> np.ndarray:
    """Saturation ceiling of each sector's adoption: the base ceiling, raised by
    AI-as-a-service (二.(五).3) for the small adopters it makes worth serving."""
    base = np.minimum(P.adoption_ceiling * CEILING_RELATIVE, 1.0)
    return base + (1.0 - base) * P.aiaas_small_adopter_ceiling_uplift * aiaas * SME_OUTPUT_SHARE


def sector_gdp(cs) -> np.ndarray:
    """GDP by city and application sector (cities x sectors), 1e8 yuan/year: the trend
    structure times each sector's AI productivity gain."""
    return cs.gdp_trend_100m_yuan[:, None] * GDP_SHARE[None, :] * (1.0 + cs.ai_productivity_gain)


def adopters_output(cs) -> np.ndarray:
    """Gross output of AI adopters by city and sector (cities x sectors), 1e8 yuan/year."""
    return cs.sector_adoption * sector_gdp(cs) / VALUE_ADDED_RATIO[None, :]


def purchases_by_product(cs, demand_factor: np.ndarray) -> np.ndarray:
    """Adopting GDP bought from each product sector (length N_SECTORS), before the
    purchase share per unit of adopting GDP: sum over cities and application sectors of
    adoption x sector GDP x demand shock x purchase mix."""
    adopting = cs.sector_adoption * sector_gdp(cs) * demand_factor[:, None]
    return adopting.sum(axis=0) @ PURCHASE_MIX
