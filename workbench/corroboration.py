"""Corroboration: when a statistical flag becomes critical.

The severity rule (see :mod:`workbench.checks.registry` and docs/checks.md):
statistical checks (time series, peers, regression bands, digit tests) raise
warnings.  A statistical warning on a unit-month is raised to ``critical`` only
when independent evidence on the same unit-month backs it:

* a critical flag of a ``rule`` check (the data breaks a rule by itself), or
* a warning of a statistical check of *another family* about the *same
  quantity* (the unit's own history and its peers' C_ar–NCV band both saying its
  carbon is low are independent views of one thing; two time-series views of one
  series are not independent, and two oddities about different quantities are
  two oddities, not evidence).  Carbon per unit heat and as-received carbon count
  as one quantity (CC = C_ar / NCV).

The raised flag names what corroborated it in ``corroborated_by`` (check ids,
comma-separated), so a reviewer sees why a statistical oddity is critical.
Flags about a whole population, an enterprise or a year are never raised:
corroboration is about one unit-month.
"""

from __future__ import annotations

import pandas as pd

from workbench.checks.registry import Check

#: Parameter codes that name one quantity for corroboration (CC = C_ar / NCV).
SAME_QUANTITY = {"cc_tc_per_gj": "carbon_ar_pct"}


def corroborate(flags: pd.DataFrame, registry: dict[str, Check]) -> pd.DataFrame:
    """Cap statistical flags at warning, then raise the corroborated ones to critical.

    Returns a copy of ``flags`` with ``severity`` and ``corroborated_by`` set.
    """
    out = flags.copy()
    basis = out["check_id"].map({k: c.basis for k, c in registry.items()})
    family = out["check_id"].map({k: c.family for k, c in registry.items()})
    statistical = basis == "statistical"
    out.loc[statistical & (out["severity"] == "critical"), "severity"] = "warning"
    out["corroborated_by"] = pd.Series("", index=out.index, dtype="string")
    monthly = (out["unit_id"] != "") & (out["period"] != "")
    key = out["enterprise_id"] + "|" + out["unit_id"] + "|" + out["period"]
    quantity = out["parameter_code"].replace(SAME_QUANTITY)
    backers = pd.DataFrame({
        "key": key, "check_id": out["check_id"], "family": family,
        "statistical": statistical, "quantity": quantity,
    })[monthly & (((basis == "rule") & (out["severity"] == "critical"))
                  | (statistical & (out["severity"] == "warning")))].drop_duplicates()
    targets = pd.DataFrame({"key": key, "family": family, "quantity": quantity,
                            "row": out.index})[
        monthly & statistical & (out["severity"] == "warning")]
    if targets.empty or backers.empty:
        return out
    pairs = targets.merge(backers, on="key", suffixes=("", "_by"))
    independent = ~pairs["statistical"] | ((pairs["family_by"] != pairs["family"])
                                           & (pairs["quantity_by"] == pairs["quantity"]))
    pairs = pairs[independent]
    if pairs.empty:
        return out
    names = (pairs.sort_values("check_id").drop_duplicates(["row", "check_id"])
             .groupby("row")["check_id"].agg(", ".join))
    out.loc[names.index, "corroborated_by"] = names
    out.loc[names.index, "severity"] = "critical"
    return out
