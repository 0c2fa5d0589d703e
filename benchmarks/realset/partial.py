"""What real platform exports leave out.

* own use (厂用电量) is not in the export of 25 % of enterprises (all their units);
* daily data (以日保月) exist for 60 % of units only;
* purchased electricity is missing for 20 % of units, the load factor for 15 %.

Omissions are decided per enterprise or unit with their own random stream, so a
build with and without injected problems leaves out the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SHARES = {"no_own_use_enterprises": 0.25, "daily_units": 0.60,
          "no_purchased_units": 0.20, "no_load_factor_units": 0.15}


@dataclass(frozen=True)
class Partial:
    """Enterprises and units whose data the export leaves out (or, for daily data, keeps)."""

    no_own_use: frozenset[str]
    daily_units: frozenset[str]
    no_purchased: frozenset[str]
    no_load_factor: frozenset[str]

    def counts(self) -> dict[str, int]:
        """How many enterprises/units each omission covers."""
        return {"no_own_use_enterprises": len(self.no_own_use),
                "daily_units": len(self.daily_units),
                "no_purchased_units": len(self.no_purchased),
                "no_load_factor_units": len(self.no_load_factor)}


def choose(ents: pd.DataFrame, units: pd.DataFrame, rng: np.random.Generator) -> Partial:
    """Draw the omissions (see the module docstring)."""
    e = np.array(sorted(ents["enterprise_id"]))
    u = np.array(sorted(units["unit_id"]))

    def pick(pool: np.ndarray, share: float) -> frozenset[str]:
        return frozenset(str(x) for x in pool[rng.random(len(pool)) < share])

    return Partial(pick(e, SHARES["no_own_use_enterprises"]), pick(u, SHARES["daily_units"]),
                   pick(u, SHARES["no_purchased_units"]), pick(u, SHARES["no_load_factor_units"]))


def omit(monthly: pd.DataFrame, units: pd.DataFrame, p: Partial) -> pd.DataFrame:
    """The monthly rows an export holds."""
    ent = monthly["unit_id"].map(units.set_index("unit_id")["enterprise_id"])
    code = monthly["parameter_code"]
    drop = ((code == "own_use_mwh") & ent.isin(p.no_own_use)
            | (code == "purchased_electricity_mwh") & monthly["unit_id"].isin(p.no_purchased)
            | (code == "load_factor") & monthly["unit_id"].isin(p.no_load_factor))
    return monthly[~drop].reset_index(drop=True)
