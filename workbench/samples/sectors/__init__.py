"""Monthly filings of the 2025 sectors (steel, cement, aluminium) for the sample data.

``generate_sectors(scale, seed, periods, province, problem_rate)`` returns the contract
tables of the sector enterprises (``enterprises``, ``units``, ``monthly_parameters``,
``lab_reports``, each conformed with ``schema.<TABLE>.frame_of`` and with the power
generator's dtypes) and ``truth``, the injected problems in the columns of the power
generator's ``truth.csv`` (kinds prefixed by their sector: ``steel.inflated_crude_steel``).

* steel: the real GEM plant list (:mod:`.steel`);
* cement: typical clinker lines, as no plant list exists (:mod:`.cement`);
* aluminium: smelters placed by the real provincial capacities (:mod:`.aluminium`).

Each sector and stage draws from its own random stream of the seed, so one seed gives
the same tables, and a sector's clean data do not change with the problem rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.config import load_config
from workbench.samples.problems import TRUTH_COLUMNS
from workbench.samples.sectors import _common as cm
from workbench.samples.sectors import aluminium, cement, steel

#: Every injected kind, by sector.
KINDS = {"steel": steel.KINDS, "cement": cement.KINDS, "aluminium": aluminium.KINDS}


@dataclass(frozen=True)
class SectorScale:
    """How many enterprises of each sector (None: every real steel plant / the national
    aluminium layout)."""

    steel: int | None
    cement: int
    aluminium: int | None
    national: bool


SCALES = {
    "demo": SectorScale(3, 3, 2, False),
    "province": SectorScale(15, 25, 5, False),
    "national": SectorScale(None, 800, None, True),
}
#: The province of the demo and province scales when none is given (the power demo's).
DEFAULT_PROVINCE = "江苏"


def _streams(seed: int, sector: int) -> dict[str, np.random.Generator]:
    names = ("master", "ops", "labs", "inject", "deposit")
    return {n: np.random.default_rng([seed, 1000 + sector, i]) for i, n in enumerate(names)}


def generate_sectors(scale: str, seed: int, periods: list[str], province: str | None = None,
                     problem_rate: float = 0.25, keep_wide: bool = False) -> dict:
    """The sector tables and truth (see the module docstring).

    ``province`` (Chinese short name or English) limits the demo and province scales to one
    province (default 江苏) and the national scale too when given.  With ``keep_wide`` the
    result also holds each sector's generator frames under ``"wide"`` (for the tests).
    """
    if not 0.0 <= problem_rate <= 1.0:
        raise ValueError(f"problem_rate must be within 0..1, got {problem_rate}")
    sc = SCALES[scale]
    prov = cm.province_zh(province)
    if prov is None and not sc.national:
        prov = DEFAULT_PROVINCE
    cfg = load_config()
    periods = sorted(periods)
    plants = steel.select(steel.load_plants(), sc.steel, prov, _streams(seed, 0)["master"])
    parts = {}
    if len(plants):                     # a province may have no steel works (北京)
        parts["steel"] = steel.generate(plants, periods, problem_rate, _streams(seed, 0), cfg)
    if sc.national and prov is None:
        parts["cement"] = cement.generate(sc.cement, None, periods, problem_rate,
                                          _streams(seed, 1), cfg)
        parts["aluminium"] = aluminium.generate(None, None, periods, problem_rate,
                                                _streams(seed, 2), cfg)
    else:
        parts["cement"] = cement.generate(sc.cement, prov, periods, problem_rate,
                                          _streams(seed, 1), cfg)
        if aluminium.has_smelters(prov):     # nor smelters
            parts["aluminium"] = aluminium.generate(sc.aluminium, prov, periods, problem_rate,
                                                    _streams(seed, 2), cfg)
    tables = {name: pd.concat([p[name] for p in parts.values() if p[name] is not None
                               and len(p[name])], ignore_index=True)
              for name in ("enterprises", "units", "monthly_parameters", "lab_reports")}
    out = cm.conform(tables)
    out["monthly_parameters"] = out["monthly_parameters"].sort_values(
        ["unit_id", "period", "parameter_code", "revision"]).reset_index(drop=True)
    out["lab_reports"] = out["lab_reports"].sort_values("report_id").reset_index(drop=True)
    out["enterprises"] = out["enterprises"].sort_values("enterprise_id").reset_index(drop=True)
    out["units"] = out["units"].sort_values("unit_id").reset_index(drop=True)
    truth = pd.DataFrame([t for p in parts.values() for t in p["truth"]],
                         columns=list(TRUTH_COLUMNS)).astype(cm.STR)
    out["truth"] = truth.sort_values(list(TRUTH_COLUMNS)).reset_index(drop=True)
    if keep_wide:
        out["wide"] = {k: p for k, p in parts.items()}
    return out


__all__ = ["KINDS", "SCALES", "TRUTH_COLUMNS", "generate_sectors"]
