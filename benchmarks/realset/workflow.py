"""Deposits, the review workflow and annual reports.

* Deposit: an enterprise deposits a month's data for all its units at once, 1-8
  days after the last of its lab reports for that month arrived (3-20 days after
  month end when it has none), within office hours and always within the 40-day
  rule (clean data).
* Review (三级联审): submitted at city level; 10 % of enterprise-months are returned
  by the city (one figure keyed wrong: revision 0 differs, revision 1 has the right
  value, filed on resubmission); then approved by the city and by the province.
* Annual report: reported CO2 = the year's monthly CO2 (latest deposited revision;
  the enterprise's own figure where a month was never deposited); verified by 30
  June with small corrections for a fifth ("基本符合"); allowances by the benchmark
  method; surrender of the year's verified CO2 before the 31 December deadline of the
  next year, where that deadline has passed on the export date (2025-09-30).

Random draws are made over the full grid of enterprise-months, so a problem
injected in one place moves nothing elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.config import by_year

EXPORT_DATE = pd.Timestamp("2025-09-30")
DEADLINE_DAYS = 40
RETURN_RATE = 0.10
#: Figures a city reviewer returns a month for, and how a keying error changes them.
TYPO_PARAMETERS = ("supply_mwh", "generation_mwh", "heat_supply_gj", "purchased_electricity_mwh")


def _days(x: np.ndarray) -> pd.TimedeltaIndex:
    """Fractional days as a timedelta in whole seconds."""
    return pd.to_timedelta(np.round(np.asarray(x) * 86400), unit="s")


def deposit_times(w: pd.DataFrame, lab: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """The clean deposit time of every unit-month of ``w`` (see the module docstring)."""
    report = lab["report_date"].reindex(w.index)
    last = report.groupby([w["enterprise_id"], w["period"]]).transform("max")
    grid = w[["enterprise_id", "period"]].drop_duplicates().sort_values(["enterprise_id",
                                                                          "period"])
    n = len(grid)
    after_report = pd.Series(rng.integers(1, 9, n), index=pd.MultiIndex.from_frame(grid))
    no_report = pd.Series(rng.integers(3, 21, n), index=after_report.index)
    clock = pd.Series(rng.uniform(8.5, 19.5, n) * 3600, index=after_report.index)
    key = pd.MultiIndex.from_frame(w[["enterprise_id", "period"]])
    base = np.where(last.notna(), last + pd.to_timedelta(after_report.reindex(key).to_numpy(),
                                                          unit="D"),
                    w["month_end"] + pd.to_timedelta(no_report.reindex(key).to_numpy(),
                                                     unit="D"))
    base = pd.Series(pd.to_datetime(base), index=w.index).dt.normalize()
    latest = w["month_end"].dt.normalize() + pd.Timedelta(days=DEADLINE_DAYS - 1)
    day = base.where(base <= latest, latest)
    seconds = clock.reindex(key).to_numpy() + 60.0 * (w["unit_no"].to_numpy() - 1)
    return day + pd.to_timedelta(np.round(seconds), unit="s")


def review(monthly: pd.DataFrame, units: pd.DataFrame, ents: pd.DataFrame,
           rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Review events and legitimate corrections; returns (monthly, events, approvals).

    ``monthly`` gains the revision-1 rows of returned months; ``approvals`` has the
    province approval time of every enterprise-month that was deposited.
    """
    ent_of = units.set_index("unit_id")["enterprise_id"]
    periods = sorted(monthly["period"].unique())
    grid = pd.MultiIndex.from_product([sorted(ents["enterprise_id"]), periods],
                                      names=["enterprise_id", "period"]).to_frame(index=False)
    n = len(grid)
    draws = {"returned": rng.random(n) < RETURN_RATE, "ret": rng.uniform(2, 6, n),
             "resub": rng.uniform(1, 5, n), "city": rng.uniform(2, 8, n),
             "prov": rng.uniform(3, 15, n), "typo": rng.integers(len(TYPO_PARAMETERS), size=n),
             "factor": rng.uniform(0.8, 0.95, n) * np.where(rng.random(n) < 0.5, 1, 1.2),
             "city_r": rng.integers(1, 4, n), "prov_r": rng.integers(1, 6, n)}
    first = monthly[monthly["revision"] == 0]
    sub = (first.assign(enterprise_id=first["unit_id"].map(ent_of))
           .groupby(["enterprise_id", "period"])["submitted_at"].max().reset_index())
    grid = grid.merge(sub, on=["enterprise_id", "period"], how="left")
    g = grid.assign(**draws).dropna(subset=["submitted_at"])
    g["submitted_at"] = pd.to_datetime(g["submitted_at"])
    info = ents.set_index("enterprise_id")
    g["returned_at"] = g["submitted_at"] + _days(g["ret"])
    g["resubmitted_at"] = g["returned_at"] + _days(g["resub"])
    last = g["resubmitted_at"].where(g["returned"], g["submitted_at"])
    g["city_at"] = last + _days(g["city"])
    g["approved_at"] = g["city_at"] + _days(g["prov"])
    filer = "填报员-" + g["enterprise_id"].str[-6:]
    city = "市级审核-" + g["enterprise_id"].map(info["city"]) + "-" + g["city_r"].astype(str)
    prov = "省级审核-" + g["enterprise_id"].map(info["province"]) + "-" + g["prov_r"].astype(str)
    base = g[["enterprise_id", "period"]]
    r = g["returned"].to_numpy()
    parts = [
        base.assign(event_code="submitted", event_at=g["submitted_at"], level_code="city",
                    actor=filer, note=pd.NA),
        base[r].assign(event_code="returned", event_at=g["returned_at"][r], level_code="city",
                       actor=city[r], note="数据与台账不一致，请核实后重新提交"),
        base[r].assign(event_code="submitted", event_at=g["resubmitted_at"][r],
                       level_code="city", actor=filer[r], note="已按台账更正"),
        base.assign(event_code="approved", event_at=g["city_at"], level_code="city", actor=city,
                    note=pd.NA),
        base.assign(event_code="approved", event_at=g["approved_at"], level_code="province",
                    actor=prov, note=pd.NA),
    ]
    events = pd.concat(parts, ignore_index=True).sort_values(
        ["enterprise_id", "period", "event_at", "event_code"], ignore_index=True)
    monthly = _corrections(monthly, g[g["returned"]], units)
    return monthly, events, g[["enterprise_id", "period", "approved_at"]].reset_index(drop=True)


def _corrections(monthly: pd.DataFrame, returned: pd.DataFrame,
                 units: pd.DataFrame) -> pd.DataFrame:
    """Revision 0 of one figure of the enterprise's first unit was keyed wrong; revision 1
    (filed on resubmission) has the right value."""
    first_unit = units.sort_values("unit_no").groupby("enterprise_id")["unit_id"].first()
    ret = returned.assign(unit_id=returned["enterprise_id"].map(first_unit),
                          parameter_code=[TYPO_PARAMETERS[i] for i in returned["typo"]])
    key = ["unit_id", "period", "parameter_code"]
    hit = monthly.reset_index().merge(ret[[*key, "resubmitted_at", "factor"]], on=key)
    hit = hit[(hit["revision"] == 0) & (hit["value"] > 0)]
    fixed = monthly.loc[hit["index"]].copy()
    fixed["revision"] = 1
    fixed["submitted_at"] = hit["resubmitted_at"].to_numpy()
    out = monthly.copy()
    out.loc[hit["index"], "value"] = np.round(hit["value"].to_numpy() * hit["factor"].to_numpy(), 3)
    return pd.concat([out, fixed]).sort_values(["unit_id", "period", "parameter_code",
                                                "revision"], ignore_index=True)


def annual_reports(w: pd.DataFrame, monthly: pd.DataFrame, ents: pd.DataFrame, policy: dict,
                   rng: np.random.Generator) -> pd.DataFrame:
    """One report per enterprise and year (see the module docstring)."""
    latest = monthly.sort_values("revision").drop_duplicates(
        ["unit_id", "period", "parameter_code"], keep="last")
    filed = latest[latest["parameter_code"] == "co2_t"].set_index(["unit_id", "period"])["value"]
    key = pd.MultiIndex.from_frame(w[["unit_id", "period"]])
    co2 = pd.Series(filed.reindex(key).to_numpy(), index=w.index).fillna(w["co2_t"])
    bench = w["year"].map(lambda y: by_year(policy["benchmark"], int(y)))
    heat_key = np.where(w["unit_category_code"] == "gas", "heat_gas", "heat_coal")
    alloc = [b[c] * s + b[h] * q for b, c, s, h, q in zip(
        bench, w["unit_category_code"], w["supply_mwh"], heat_key, w["heat_supply_gj"],
        strict=True)]
    y = pd.DataFrame({"enterprise_id": w["enterprise_id"], "year": w["year"], "co2": co2,
                      "alloc": alloc})
    a = y.groupby(["enterprise_id", "year"], as_index=False).agg(
        reported_co2_t=("co2", "sum"), allowance_allocated_t=("alloc", "sum"))
    n = len(a)
    corrected = rng.random(n) < 0.2
    adj = np.where(corrected, rng.normal(0.0, 0.004, n), 0.0)
    a["reported_co2_t"] = a["reported_co2_t"].round(2)
    a["verified_co2_t"] = (a["reported_co2_t"] * (1.0 + adj)).round(2)
    a["verifier_name"] = a["enterprise_id"].map(ents.set_index("enterprise_id")["verifier_name"])
    a["verification_conclusion"] = np.where(corrected, "pass_with_corrections", "pass")
    a["allowance_allocated_t"] = a["allowance_allocated_t"].round(0)
    deadline = pd.to_datetime((a["year"] + 1).astype(str) + "-12-31")
    due = deadline <= EXPORT_DATE
    a["allowance_surrendered_t"] = a["verified_co2_t"].round(0).where(due)
    a["surrendered_date"] = (deadline - pd.to_timedelta(rng.integers(3, 75, n), unit="D")
                             ).where(due)
    return a
