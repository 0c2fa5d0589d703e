"""Labs, verifiers, review workflow and annual reports for the sample generator.

* Labs: a few CMA-accredited coal labs per province; each enterprise sends its
  monthly composite samples to one lab, which numbers reports and samples in
  the order it receives them.
* Review events: the enterprise deposits (submitted), a city reviewer may
  return the month for correction (the corrected value is a legitimate new
  revision filed before approval), and the province approves.
* Annual reports: reported CO2 = sum of the year's monthly CO2 (latest
  revisions), verified with small corrections, allowances by the benchmark
  method, surrender after the deadline has passed.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from workbench.config import by_year

_AGENCY_HEADS = ("中环", "华碳", "国测", "绿源", "天衡", "中能", "东方", "北辰", "南方", "信达",
                 "正和", "安泰")
_AGENCY_TAILS = ("认证中心有限公司", "碳核查技术有限公司", "环境科技有限公司", "低碳评估中心")


def assign_verifiers(ents: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """A verification agency per enterprise from a national pool (fictional names)."""
    pool = [h + t for h in _AGENCY_HEADS for t in _AGENCY_TAILS]
    out = []
    for province in ents["province"]:
        local = np.random.default_rng(zlib.crc32(province.encode())).choice(pool, 5, replace=False)
        out.append(str(rng.choice(local)))
    return pd.Series(out, index=ents.index)


def assign_labs(w: pd.DataFrame, ents: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Lab name, CMA number, report and sample numbers for each measured unit-month row of ``w``."""
    province_of = ents.set_index("enterprise_id")["province"]
    prov_code = ents.set_index("enterprise_id")["province_code"]
    labs = {}
    for prov, code in zip(province_of, prov_code, strict=True):
        if prov not in labs:
            n = max(2, int((province_of == prov).sum() // 12))
            labs[prov] = [(f"{prov}煤质检测中心第{k + 1}实验室",
                           f"{19 + k % 5}{code}{rng.integers(10**7, 10**8)}",
                           f"L{code}{k + 1:02d}") for k in range(n)]
    ent_lab = {e: labs[province_of[e]][int(rng.integers(len(labs[province_of[e]])))]
               for e in ents["enterprise_id"]}
    lab = w["enterprise_id"].map(ent_lab)
    w["lab_name"] = lab.map(lambda x: x[0])
    w["lab_accreditation_no"] = lab.map(lambda x: x[1])
    w["lab_code"] = lab.map(lambda x: x[2])
    return renumber_reports(w, rng)


def renumber_reports(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Number reports per lab and year in report-date order, samples in receipt order.

    A lab also tests other clients' coal (traders, steel, cement), so between
    two reports of ours its counter moves on by a random number of reports.
    """
    yr, seq = _lab_sequence(w, "report_date", rng)
    w["report_id"] = w["lab_code"] + "-" + yr + "-" + seq.map("{:05d}".format)
    ryr, sseq = _lab_sequence(w, "received_date", rng)
    w["sample_id"] = w["lab_code"] + "-YP" + ryr.str[2:] + sseq.map("{:05d}".format)
    return w


def _lab_sequence(w: pd.DataFrame, date_col: str,
                  rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    """(year, running number) per row: a lab's counter in date order, restarting each year."""
    yr = w[date_col].dt.year.astype(str)
    order = w.sort_values([date_col, "unit_id"]).index
    step = pd.Series(1 + rng.poisson(15, len(w)), index=order)
    seq = step.groupby([w.loc[order, "lab_code"], yr.loc[order]]).cumsum()
    return yr, seq.reindex(w.index)


def _days(x: np.ndarray) -> pd.TimedeltaIndex:
    """Fractional days as a timedelta rounded to whole seconds."""
    return pd.to_timedelta(np.round(x * 86400), unit="s")


def review_events(deposits: pd.DataFrame, ents: pd.DataFrame, rng: np.random.Generator,
                  return_rate: float = 0.12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events per enterprise-period from the unit deposit times.

    Returns ``(events, returned)``; ``returned`` lists enterprise-periods that
    were returned, with the resubmission time, so the caller can file the
    corrected revision.
    """
    g = deposits.groupby(["enterprise_id", "period"], sort=True)["submitted_at"].max().reset_index()
    n = len(g)
    city = g["enterprise_id"].map(ents.set_index("enterprise_id")["city"])
    prov = g["enterprise_id"].map(ents.set_index("enterprise_id")["province"])
    is_ret = rng.random(n) < return_rate
    ret_at = g["submitted_at"] + _days(rng.uniform(2, 8, n))
    resub_at = ret_at + _days(rng.uniform(1, 6, n))
    last = resub_at.where(is_ret, g["submitted_at"])
    appr_at = last + _days(rng.uniform(3, 20, n))
    filer = "filer-" + g["enterprise_id"].str[-6:]
    city_actor = "city-" + city.astype(str) + "-r" + pd.Series(rng.integers(1, 4, n)).astype(str)
    prov_actor = ("province-" + prov.astype(str) + "-r"
                  + pd.Series(rng.integers(1, 6, n)).astype(str))
    base = {"enterprise_id": g["enterprise_id"], "period": g["period"]}
    parts = [
        pd.DataFrame({**base, "event_code": "submitted", "event_at": g["submitted_at"],
                      "level_code": "city", "actor": filer, "note": pd.NA}),
        pd.DataFrame({**base, "event_code": "approved", "event_at": appr_at,
                      "level_code": "province", "actor": prov_actor, "note": pd.NA}),
    ]
    r = is_ret
    parts += [
        pd.DataFrame({"enterprise_id": g["enterprise_id"][r], "period": g["period"][r],
                      "event_code": "returned", "event_at": ret_at[r], "level_code": "city",
                      "actor": city_actor[r],
                      "note": "供电量与台账不一致，请核实更正 / supply does not match the ledger"}),
        pd.DataFrame({"enterprise_id": g["enterprise_id"][r], "period": g["period"][r],
                      "event_code": "submitted", "event_at": resub_at[r], "level_code": "city",
                      "actor": filer[r], "note": "已更正 / corrected"}),
    ]
    events = pd.concat(parts, ignore_index=True)
    events = events.sort_values(["enterprise_id", "period", "event_at"])
    returned = g.loc[r, ["enterprise_id", "period"]].assign(resubmitted_at=resub_at[r],
                                                            approved_at=appr_at[r])
    approved = g[["enterprise_id", "period"]].assign(approved_at=appr_at)
    return events.reset_index(drop=True), returned.merge(approved, how="outer")


def annual_reports(w: pd.DataFrame, ents: pd.DataFrame, policy: dict, as_of: pd.Timestamp,
                   rng: np.random.Generator) -> pd.DataFrame:
    """One annual report per enterprise and complete year of ``w`` (12 months present)."""
    months = w.groupby("year")["month"].nunique()
    full = months[months == 12].index
    y = w[w["year"].isin(full)].copy()
    bm = y["year"].map(lambda yr: by_year(policy["benchmark"], int(yr)))
    y["alloc"] = [b[c] * s + b["heat_gas" if c == "gas" else "heat_coal"] * h
                  for b, c, s, h in zip(bm, y["unit_category_code"], y["supply_mwh"],
                                        y["heat_supply_gj"], strict=True)]
    a = y.groupby(["enterprise_id", "year"]).agg(reported_co2_t=("co2_t", "sum"),
                                                 allowance_allocated_t=("alloc", "sum"))
    a = a.reset_index()
    n = len(a)
    a["reported_co2_t"] = a["reported_co2_t"].round(2)
    verified_by = pd.to_datetime((a["year"] + 1).astype(str) + "-06-30")
    done = verified_by <= as_of
    adj = np.where(rng.random(n) < 0.2, rng.normal(0, 0.004, n), 0.0)
    a["verified_co2_t"] = (a["reported_co2_t"] * (1 + adj)).round(2).where(done)
    a["verifier_name"] = a["enterprise_id"].map(ents.set_index("enterprise_id")["verifier_name"])
    a["verification_conclusion"] = pd.Series(
        np.where(adj == 0, "pass", "pass_with_corrections"), index=a.index).where(done)
    a["allowance_allocated_t"] = a["allowance_allocated_t"].round(0)
    deadline = pd.to_datetime((a["year"] + 1).astype(str) + "-12-31")
    surrendered = deadline <= as_of
    a["allowance_surrendered_t"] = a["verified_co2_t"].round(0).where(surrendered)
    a["surrendered_date"] = (deadline - pd.to_timedelta(rng.integers(0, 40, n), unit="D")) \
        .where(surrendered)
    return a
