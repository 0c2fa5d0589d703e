"""Injected problems, drawn from the fraud patterns of the MEE typical cases.

Each kind is a small function that alters a draft the way a real enterprise,
lab or consultant did (shared/domain/power-and-sectors.md §3) and returns the
truth rows it created: ``kind, enterprise_id, unit_id, period, parameter_code``
(``unit_id`` empty for enterprise-level problems, ``parameter_code`` empty for
whole-deposit problems, ``period`` is ``YYYY`` for annual problems).

Kinds run in three stages: ``lab`` and ``filing`` kinds alter the wide
unit-month frame before CO2 is computed (so filed CO2 stays consistent with
the doctored inputs, as a careful fraud would), ``co2`` kinds alter the filed
CO2 afterwards, and ``workflow`` kinds alter the long filings, events and
annual reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.accounting import power
from workbench.config import by_year

#: Columns of ``truth.csv``: one injected problem per row (the kind and where it is).
TRUTH_COLUMNS = ("kind", "enterprise_id", "unit_id", "period", "parameter_code")


@dataclass
class Draft:
    """Everything the generator has built so far (mutated in place by injections)."""

    w: pd.DataFrame
    policy: dict
    monthly: pd.DataFrame | None = None
    approvals: pd.DataFrame | None = None
    annual: pd.DataFrame | None = None
    truth: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    """An injectable problem: its stage, who is eligible and how it is applied."""

    name: str
    stage: str
    eligible: Callable[[pd.DataFrame], pd.Series]
    apply: Callable[[Draft, pd.Index, np.random.Generator], list[dict]]
    months: tuple[int, int]
    label_zh: str
    label_en: str


def _truth(kind: str, rows: pd.DataFrame, parameter: str = "") -> list[dict]:
    return [{"kind": kind, "enterprise_id": e, "unit_id": u, "period": p,
             "parameter_code": parameter}
            for e, u, p in zip(rows["enterprise_id"], rows["unit_id"], rows["period"],
                               strict=True)]


def _lab_rows(w: pd.DataFrame) -> pd.Series:
    return w["has_lab"]


def _any_rows(w: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=w.index)


def _recompute_carbon(w: pd.DataFrame, idx: pd.Index) -> None:
    """Filed C_ar and CC follow the (doctored) lab values of the same report."""
    w.loc[idx, "carbon_ar_pct"] = np.round(power.carbon_ar_from_ad(
        w.loc[idx, "carbon_ad_pct"], w.loc[idx, "total_moisture_pct"],
        w.loc[idx, "moisture_ad_pct"]), 2)
    w.loc[idx, "cc_tc_per_gj"] = np.round(w.loc[idx, "carbon_ar_pct"] / 100.0
                                          / w.loc[idx, "ncv_gj_per_t"], 5)


def carbon_lowered(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Carbon on the lab report cut by 8-14% (NCV, H, moisture untouched)."""
    d.w.loc[idx, "carbon_ad_pct"] = np.round(d.w.loc[idx, "carbon_ad_pct"]
                                             * rng.uniform(0.86, 0.92, len(idx)), 2)
    _recompute_carbon(d.w, idx)
    return _truth("carbon_lowered", d.w.loc[idx], "carbon_ar_pct")


def moisture_invented(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Total moisture raised 5-9 points for the as-received conversion (中碳能投 case)."""
    d.w.loc[idx, "total_moisture_pct"] = np.round(d.w.loc[idx, "total_moisture_pct"]
                                                  + rng.uniform(5, 9, len(idx)), 1)
    _recompute_carbon(d.w, idx)
    return _truth("moisture_invented", d.w.loc[idx], "carbon_ar_pct")


def report_before_sampling(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Report (and test) dated before the sampling period ended."""
    w = d.w
    report = w.loc[idx, "sampling_end_date"] - pd.to_timedelta(rng.integers(3, 15, len(idx)),
                                                                unit="D")
    w.loc[idx, "report_date"] = report
    w.loc[idx, "test_date"] = report - pd.to_timedelta(rng.integers(0, 3, len(idx)), unit="D")
    w.loc[idx, "received_date"] = w.loc[idx, "test_date"] - pd.to_timedelta(
        rng.integers(0, 3, len(idx)), unit="D")
    return _truth("report_before_sampling", w.loc[idx], "carbon_ar_pct")


def batch_backtesting(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Several months' samples tested in one batch after the fact (辽宁东煤 case).

    Either the reports honestly carry the batch dates (all within two days), or
    the dates are forged to look monthly but the report and sample numbers
    run in sequence, as one batch numbered together.
    """
    w = d.w
    idx = w.loc[idx].sort_values("period").index
    first = w.loc[idx[0], "report_id"]
    lab, year = first.rsplit("-", 2)[0], w.loc[idx[-1], "month_end"].year + 1
    report_prefix, sample_prefix = f"{lab}-{year}-", f"{lab}-YP{str(year)[2:]}"
    seq = _next_number(w["report_id"], report_prefix) + int(rng.integers(1, 30))
    sseq = _next_number(w["sample_id"], sample_prefix) + int(rng.integers(1, 30))
    w.loc[idx, "report_id"] = [f"{report_prefix}{seq + k:05d}" for k in range(len(idx))]
    w.loc[idx, "sample_id"] = [f"{sample_prefix}{sseq + k:05d}" for k in range(len(idx))]
    if rng.random() < 0.5:
        day = w.loc[idx[-1], "month_end"] + pd.Timedelta(days=int(rng.integers(50, 120)))
        w.loc[idx, "received_date"] = day
        w.loc[idx, "test_date"] = day + pd.Timedelta(days=1)
        w.loc[idx, "report_date"] = day + pd.to_timedelta(rng.integers(2, 4, len(idx)), unit="D")
        w.loc[idx, "submitted_at"] = w.loc[idx, "report_date"] + pd.Timedelta(days=2, hours=10)
    return _truth("batch_backtesting", w.loc[idx], "carbon_ar_pct")


def _next_number(ids: pd.Series, prefix: str) -> int:
    """One past the highest running number already issued under ``prefix``."""
    taken = ids.dropna().astype(str)
    taken = taken[taken.str.startswith(prefix)].str[len(prefix):]
    return int(taken.astype(int).max()) + 1 if len(taken) else 1


_LAB_RESULTS = ("carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
                "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_gj_per_t", "carbon_ar_pct",
                "cc_tc_per_gj")


def result_reused(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """One lab result reused: copied from the month before, or from another enterprise."""
    w = d.w
    idx = w.loc[idx].sort_values("period").index
    src_row = idx[0]
    targets = idx[1:]
    if rng.random() < 0.5:
        others = w.index[w["has_lab"] & (w["enterprise_id"] != w.loc[src_row, "enterprise_id"])
                         & (w["period"] == w.loc[src_row, "period"])]
        if len(others):
            src_row, targets = int(rng.choice(others)), idx
    cols = list(_LAB_RESULTS)
    w.loc[targets, cols] = np.tile(w.loc[src_row, cols].to_numpy(float), (len(targets), 1))
    return _truth("result_reused", w.loc[targets], "carbon_ar_pct")


def missing_accreditation(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Samples sent to an in-house lab with no CMA/CNAS accreditation."""
    w = d.w
    w.loc[idx, "lab_name"] = w.loc[idx, "city"].astype(str) + "电厂燃料化验室（厂内）"
    w.loc[idx, "lab_accreditation_no"] = None
    return _truth("missing_accreditation", w.loc[idx], "carbon_ar_pct")


def default_as_measured(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """The default CC filled in as if measured (an "experience value")."""
    w = d.w
    cc = w.loc[idx, "year"].map(lambda y: float(by_year(d.policy["default_coal_cc_tc_per_gj"],
                                                        int(y))))
    w.loc[idx, "cc_tc_per_gj"] = cc
    w.loc[idx, "carbon_ar_pct"] = np.round(cc * w.loc[idx, "ncv_gj_per_t"] * 100.0, 2)
    return _truth("default_as_measured", w.loc[idx], "cc_tc_per_gj")


def late_deposit(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Monthly evidence deposited 45-100 days after month end (deadline: 40)."""
    w = d.w
    seconds = np.round(rng.uniform(45, 100, len(idx)) * 86400)
    w.loc[idx, "submitted_at"] = w.loc[idx, "month_end"] + pd.to_timedelta(seconds, unit="s")
    return _truth("late_deposit", w.loc[idx])


def coal_underreported(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Monthly coal consumption cut 10-18% (daily DCS data untouched)."""
    d.w.loc[idx, "coal_consumption_t"] = np.round(d.w.loc[idx, "coal_consumption_t"]
                                                  * rng.uniform(0.82, 0.90, len(idx)), 2)
    return _truth("coal_underreported", d.w.loc[idx], "coal_consumption_t")


def heat_underreported(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Heat supplied reported at 30-60% of the real value."""
    d.w.loc[idx, "heat_supply_gj"] = np.round(d.w.loc[idx, "heat_supply_gj"]
                                              * rng.uniform(0.3, 0.6, len(idx)), 1)
    return _truth("heat_underreported", d.w.loc[idx], "heat_supply_gj")


def co2_misstated(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Filed CO2 3-8% below what the filed inputs give."""
    d.w.loc[idx, "co2_t"] = np.round(d.w.loc[idx, "co2_t"] * rng.uniform(0.92, 0.97, len(idx)), 2)
    return _truth("co2_misstated", d.w.loc[idx], "co2_t")


def missing_deposit(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """A unit's whole monthly deposit never filed."""
    rows = d.w.loc[idx]
    m = d.monthly
    drop = m["unit_id"].isin(rows["unit_id"]) & m["period"].isin(rows["period"])
    d.monthly = m[~drop].reset_index(drop=True)
    return _truth("missing_deposit", rows)


def revision_after_approval(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Coal use and CO2 revised down after the province approved the month."""
    rows = d.w.loc[idx]
    m = d.monthly
    mine = m[m["unit_id"].isin(rows["unit_id"]) & m["period"].isin(rows["period"])]
    approved = d.approvals.set_index(["enterprise_id", "period"])["approved_at"]
    new = []
    for r in rows.itertuples():
        factor = rng.uniform(0.85, 0.93)
        when = approved[(r.enterprise_id, r.period)] + pd.Timedelta(
            seconds=round(rng.uniform(5, 60) * 86400))
        for code in ("coal_consumption_t", "co2_t"):
            cur = mine[(mine["unit_id"] == r.unit_id) & (mine["period"] == r.period)
                       & (mine["parameter_code"] == code)]
            latest = cur.sort_values("revision").iloc[-1]
            new.append(latest.to_dict() | {"value": round(latest["value"] * factor, 2),
                                           "revision": int(latest["revision"]) + 1,
                                           "submitted_at": when})
    d.monthly = pd.concat([m, pd.DataFrame(new)], ignore_index=True)
    return (_truth("revision_after_approval", rows, "coal_consumption_t")
            + _truth("revision_after_approval", rows, "co2_t"))


def surrender_shortfall(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Allowances surrendered short of verified emissions (非履约)."""
    a = d.annual
    ent = d.w.loc[idx[0], "enterprise_id"]
    years = a.index[(a["enterprise_id"] == ent) & a["allowance_surrendered_t"].notna()]
    year_row = years[0]
    a.loc[year_row, "allowance_surrendered_t"] = round(
        a.loc[year_row, "verified_co2_t"] * rng.uniform(0.8, 0.95), 0)
    return [{"kind": "surrender_shortfall", "enterprise_id": ent, "unit_id": "",
             "period": str(a.loc[year_row, "year"]), "parameter_code": ""}]


def _heat_rows(w: pd.DataFrame) -> pd.Series:
    return w["heat_supply_gj"] > 0


def _coal_rows(w: pd.DataFrame) -> pd.Series:
    return (w["fuel_code"] != "natural_gas") & _operating_rows(w)


def _operating_rows(w: pd.DataFrame) -> pd.Series:
    """Months the unit ran: altering a zero (coal, CO2) would change nothing."""
    return w["generation_mwh"] > 0


KINDS: tuple[Kind, ...] = (
    Kind("carbon_lowered", "lab", _lab_rows, carbon_lowered, (3, 6),
         "元素碳含量被调低", "Carbon content lowered"),
    Kind("moisture_invented", "lab", _lab_rows, moisture_invented, (3, 6),
         "编造全水分用于基准换算", "Total moisture invented for the basis conversion"),
    Kind("report_before_sampling", "lab", _lab_rows, report_before_sampling, (1, 2),
         "报告日期早于采样", "Report dated before sampling"),
    Kind("batch_backtesting", "lab", _lab_rows, batch_backtesting, (4, 8),
         "批量补测冒充月度检测", "One batch of back-tested samples issued as monthly reports"),
    Kind("result_reused", "lab", _lab_rows, result_reused, (2, 3),
         "检测结果重复使用", "Lab result reused"),
    Kind("missing_accreditation", "lab", _lab_rows, missing_accreditation, (3, 8),
         "检测机构无CMA/CNAS资质", "Lab without CMA/CNAS accreditation"),
    Kind("default_as_measured", "lab", _lab_rows, default_as_measured, (2, 4),
         "缺省值冒充实测值", "Default value filed as measured"),
    Kind("late_deposit", "filing", _any_rows, late_deposit, (1, 3),
         "逾期存证", "Late monthly deposit"),
    Kind("coal_underreported", "filing", _coal_rows, coal_underreported, (2, 5),
         "少报燃煤消耗量", "Coal consumption under-reported"),
    Kind("heat_underreported", "filing", _heat_rows, heat_underreported, (2, 4),
         "少报供热量", "Heat supply under-reported"),
    Kind("co2_misstated", "co2", _operating_rows, co2_misstated, (1, 3),
         "排放量计算错误", "CO2 misstated against its own inputs"),
    Kind("missing_deposit", "workflow", _any_rows, missing_deposit, (1, 2),
         "缺失月度存证", "Missing monthly deposit"),
    Kind("revision_after_approval", "workflow", _coal_rows, revision_after_approval, (1, 2),
         "审核通过后修改数据", "Data revised after approval"),
    Kind("surrender_shortfall", "annual", _any_rows, surrender_shortfall, (1, 1),
         "未足额清缴配额", "Allowances surrendered short"),
)
KIND_BY_NAME = {k.name: k for k in KINDS}


@dataclass(frozen=True)
class Plan:
    """Which rows of ``w`` each injection alters, decided up front on clean data."""

    kind: Kind
    rows: pd.Index


def plan_injections(w: pd.DataFrame, annual: pd.DataFrame, rate: float,
                    rng: np.random.Generator) -> list[Plan]:
    """Choose ``rate`` × enterprises to alter, cycling through the kinds so all appear.

    Each chosen enterprise gets one kind on one unit over a run of consecutive
    months whose length is drawn from the kind's range.
    """
    by_ent = w.groupby("enterprise_id", sort=True).indices
    ents = np.array(sorted(by_ent))
    n_aff = int(round(rate * len(ents)))
    order = list(rng.permutation(ents))
    surrendered = set(annual.loc[annual["allowance_surrendered_t"].notna(), "enterprise_id"])
    eligible = {k.name: k.eligible(w).to_numpy() for k in KINDS}
    cols = w[["unit_id", "period"]]
    plans: list[Plan] = []
    for i in range(n_aff):
        kind = KINDS[i % len(KINDS)]
        for ent in order:
            if kind.stage == "annual" and ent not in surrendered:
                continue
            pos = by_ent[ent]
            rows = _eligible_run(cols.iloc[pos[eligible[kind.name][pos]]], kind, rng)
            if rows is not None:
                plans.append(Plan(kind, rows))
                order.remove(ent)
                break
    return plans


def _eligible_run(sub: pd.DataFrame, kind: Kind, rng: np.random.Generator) -> pd.Index | None:
    """A run of consecutive months of one unit within ``sub`` (None when there is none)."""
    if sub.empty:
        return None
    lo, hi = kind.months
    units = sub["unit_id"].unique()
    for unit in rng.permutation(units):
        rows = sub[sub["unit_id"] == unit].sort_values("period")
        if len(rows) < lo:
            continue
        k = int(rng.integers(lo, min(hi, len(rows)) + 1))
        start = int(rng.integers(0, len(rows) - k + 1))
        run = rows.iloc[start:start + k]
        # consecutive months only (eligibility may leave gaps)
        if np.ptp(pd.PeriodIndex(run["period"], freq="M").asi8) == k - 1:
            return run.index
    return None
