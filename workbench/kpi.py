"""Supervisor indicators (KPIs), pure functions from the dataset, the screening results and
the findings to small tables.

Definitions (per enterprise-period unless noted):

* **on-time deposit rate** — share of unit-months whose first deposit came within the
  deadline (config ``policy.deposit_deadline_days`` after month end);
* **first-time pass rate** — share of enterprise-periods approved without being returned;
* **returns** — number of ``returned`` review events;
* **problems found** — enterprise-periods with at least one critical flag;
* **findings** by status, severity and age (days since created, open ones);
  **rectification progress** — share of findings sent for rectification that are rectified
  or closed;
* **compliance** — share of enterprise-years whose surrender is due and complete;
  **emissions covered** — filed CO2 (t) of the enterprises in scope.

Scorecards rate verification agencies and labs by how the enterprises and reports they
handled fare in screening (returns, flags per report, share of enterprises with problems).

Everything can be restricted to a period (``first``–``last``, ``yyyy-mm``): the flags of a
period (:func:`flags_in_period`), the risk ranking recomputed from them with the score of
:mod:`workbench.risk` (:func:`period_risk`), the scorecards and the findings; and each KPI
is compared with the previous period of equal length (:func:`previous_window`,
:func:`kpi_values`, :func:`compare`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from workbench import schema
from workbench.checks.inputs import Inputs
from workbench.risk import _top_reasons, check_points
from workbench.sector_metrics import counted_co2_t

#: Which way each KPI should move: +1 up is better, -1 down is better, 0 neither.
KPI_BETTER = {"on_time": 1, "first_pass": 1, "returns": -1, "problems": -1, "co2": 0,
              "compliance": 1}
#: The KPIs that are shares (compared in percentage points), the others are amounts.
KPI_SHARES = ("on_time", "first_pass", "compliance")


def enterprises_in_scope(x: Inputs, province: str | None, city: str | None,
           industry: str | None) -> pd.Series:
    """Enterprise ids within the filters (``None`` = any)."""
    e = x.enterprises
    sel = pd.Series(True, index=e.index)
    for col, value in (("province", province), ("city", city), ("industry_code", industry)):
        if value:
            sel &= e[col] == value
    return e.loc[sel, "enterprise_id"]


def monthly_kpis(x: Inputs, flags: pd.DataFrame, cfg: dict, province: str | None = None,
                 city: str | None = None, industry: str | None = None) -> pd.DataFrame:
    """One row per period: on-time deposit rate, first-time pass rate, returns, enterprise-
    periods with a critical flag, and filed CO2 (t) of the enterprises in scope."""
    ents = set(enterprises_in_scope(x, province, city, industry))
    m = x.monthly[x.monthly["enterprise_id"].isin(ents)]
    deadline = m["month_end"] + pd.Timedelta(days=cfg["policy"]["deposit_deadline_days"] + 1)
    on_time = (m["submitted_at"] <= deadline).groupby(m["period"]).mean()
    ev = x.events[x.events["enterprise_id"].isin(ents)]
    returned = ev[ev["event_code"] == "returned"]
    approved = ev[ev["event_code"] == "approved"][["enterprise_id", "period"]].drop_duplicates()
    was_returned = approved.merge(returned[["enterprise_id", "period"]].drop_duplicates()
                                  .assign(r=True), how="left", on=["enterprise_id", "period"])
    first_pass = was_returned["r"].isna().groupby(was_returned["period"]).mean()
    crit = flags[(flags["severity"] == "critical") & flags["enterprise_id"].isin(ents)
                 & (flags["period"] != "")]
    problems = crit.drop_duplicates(["enterprise_id", "period"]).groupby("period").size()
    out = pd.DataFrame({
        "on_time_deposit_rate": on_time,
        "first_time_pass_rate": first_pass,
        "returns": returned.groupby("period").size(),
        "enterprise_periods_with_problems": problems,
        "filed_co2_t": counted_co2_t(m).groupby(m["period"]).sum(),
    })
    out = out.sort_index()
    counts = ["returns", "enterprise_periods_with_problems"]
    out[counts] = out[counts].fillna(0).astype(int)
    return out.rename_axis("period").reset_index()


def by_industry(x: Inputs, flags: pd.DataFrame, risk: pd.DataFrame, cfg: dict,
                enterprise_ids: Iterable[str], first: str, last: str) -> pd.DataFrame:
    """One row per industry of the enterprises in scope, over the months ``first``–``last``:
    enterprises, facilities (units, clinker lines, potlines, steel processes), enterprises
    flagged in the period (``risk`` is :func:`period_risk`), critical flags, enterprise-months
    with a critical flag, on-time deposit rate, and emissions filed (t CO2e, each
    enterprise once: :func:`workbench.sector_metrics.counted_co2_t`).  ``flags`` are the
    period's."""
    e = x.enterprises[x.enterprises["enterprise_id"].isin(set(enterprise_ids))]
    industry = e.set_index("enterprise_id")["industry_code"]
    m = x.monthly[x.monthly["enterprise_id"].isin(industry.index)
                  & x.monthly["period"].between(first, last)]
    of_m = m["enterprise_id"].map(industry)
    deadline = m["month_end"] + pd.Timedelta(days=cfg["policy"]["deposit_deadline_days"] + 1)
    f = flags[flags["enterprise_id"].isin(industry.index)]
    crit = f[f["severity"] == "critical"]
    monthly_crit = crit[crit["period"] != ""].drop_duplicates(["enterprise_id", "period"])
    units = x.units[x.units["enterprise_id"].isin(industry.index)]
    out = pd.DataFrame({
        "enterprises": industry.value_counts(),
        "facilities": units["enterprise_id"].map(industry).value_counts(),
        "enterprises_flagged": risk["enterprise_id"].map(industry).value_counts(),
        "critical_flags": crit["enterprise_id"].map(industry).value_counts(),
        "enterprise_periods_critical": monthly_crit["enterprise_id"].map(industry)
        .value_counts(),
        "share_on_time": (m["submitted_at"] <= deadline).groupby(of_m).mean(),
        "filed_co2_t": counted_co2_t(m).groupby(of_m).sum(),
    })
    order = [c for c in schema.INDUSTRY_CODES if c in out.index]
    out = out.reindex(order)
    counts = ["enterprises", "facilities", "enterprises_flagged", "critical_flags",
              "enterprise_periods_critical"]
    out[counts] = out[counts].fillna(0).astype(int)
    return out.rename_axis("industry_code").reset_index()


def compliance(x: Inputs, enterprise_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Per year: enterprises with surrender due, complete, short, and CO2 verified (t)."""
    a = x.annual if enterprise_ids is None else x.annual[x.annual["enterprise_id"].isin(
        set(enterprise_ids))]
    due = a[a["allowance_surrendered_t"].notna()]
    owed = due["verified_co2_t"].fillna(due["reported_co2_t"]).round(0)
    complete = due["allowance_surrendered_t"] >= owed
    out = pd.DataFrame({
        "enterprises": a.groupby("year").size(),
        "surrender_due": due.groupby("year").size(),
        "surrender_complete": complete.groupby(due["year"]).sum(),
        "verified_co2_t": a.groupby("year")["verified_co2_t"].sum(min_count=1),
    }).fillna({"surrender_due": 0, "surrender_complete": 0})
    out["compliance_rate"] = out["surrender_complete"] / out["surrender_due"].where(
        out["surrender_due"] > 0)
    return out.rename_axis("year").reset_index()


def findings_summary(findings: list, today: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """Findings counted by status and severity, open findings by age band, and
    rectification progress (share of those sent for rectification now rectified or closed)."""
    if not findings:
        empty = pd.DataFrame(columns=["status", "severity", "count"])
        return {"by_status": empty, "by_age": pd.DataFrame(columns=["age", "count"]),
                "rectification": pd.DataFrame({"sent": [0], "done": [0], "progress": [None]})}
    f = pd.DataFrame([{"status": x.status, "severity": x.severity,
                       "created_at": pd.Timestamp(x.created_at).tz_localize(None)
                       if pd.Timestamp(x.created_at).tzinfo is None
                       else pd.Timestamp(x.created_at).tz_convert(None)} for x in findings])
    by_status = f.groupby(["status", "severity"]).size().rename("count").reset_index()
    live = f[~f["status"].isin(["closed", "dismissed"])]
    age = (today - live["created_at"]).dt.days
    bands = pd.cut(age, [-1, 30, 90, 180, 10_000], labels=["≤30 d", "31–90 d", "91–180 d",
                                                          ">180 d"])
    by_age = bands.value_counts().sort_index().rename("count").rename_axis("age").reset_index()
    sent = f["status"].isin(["sent_for_rectification", "rectified", "closed"]).sum()
    done = f["status"].isin(["rectified", "closed"]).sum()
    rect = pd.DataFrame({"sent": [int(sent)], "done": [int(done)],
                         "progress": [done / sent if sent else None]})
    return {"by_status": by_status, "by_age": by_age, "rectification": rect}


def risk_by_city(risk: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Per province and city: enterprises, summed and highest risk, critical flags."""
    r = risk.merge(enterprises[["enterprise_id", "province", "city"]], on="enterprise_id")
    out = r.groupby(["province", "city"]).agg(enterprises=("enterprise_id", "size"),
                                              risk_total=("risk_score", "sum"),
                                              risk_max=("risk_score", "max"),
                                              critical_flags=("n_critical", "sum"))
    return out.sort_values("risk_total", ascending=False).reset_index()


def problems_by_city_month(flags: pd.DataFrame, enterprises: pd.DataFrame,
                           periods: list[str]) -> pd.DataFrame:
    """City × month matrix of enterprises with at least one critical flag that month (the
    dashboard's risk heatmap); rows are cities (``province · city``) ordered by their total,
    columns the monthly ``periods`` (0 where none); cities without a problem are left out."""
    crit = flags[(flags["severity"] == "critical") & (flags["period"] != "")]
    where = enterprises.set_index("enterprise_id")
    c = crit.drop_duplicates(["enterprise_id", "period"])
    city = where["province"].reindex(c["enterprise_id"]).to_numpy() + " · " + \
        where["city"].reindex(c["enterprise_id"]).to_numpy()
    out = pd.crosstab(pd.Series(city, name="city"), c["period"].to_numpy())
    out = out.reindex(columns=periods, fill_value=0)
    out.columns.name = "period"
    return out.loc[out.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def verifier_scorecard(x: Inputs, flags: pd.DataFrame, first: str | None = None,
                       last: str | None = None) -> pd.DataFrame:
    """Per verification agency: enterprises, returns per enterprise-period, share of its
    enterprises with a critical flag, corrections made in verification.  With ``first`` and
    ``last`` (``yyyy-mm``) only the review events of those months and the annual reports of
    the years they touch count (``flags`` are expected to be of the same period)."""
    e = x.enterprises[["enterprise_id", "verifier_name"]].dropna()
    crit = set(flags.loc[flags["severity"] == "critical", "enterprise_id"])
    events, a = x.events, x.annual
    if first and last:
        events = events[events["period"].between(first, last)]
        a = a[a["year"].astype(int).between(int(first[:4]), int(last[:4]))]
    ev = events.merge(e, on="enterprise_id")
    periods = ev.drop_duplicates(["enterprise_id", "period"]).groupby("verifier_name").size()
    returns = ev[ev["event_code"] == "returned"].groupby("verifier_name").size()
    a = a.dropna(subset=["verifier_name"])
    corrected = (a["verification_conclusion"] == "pass_with_corrections").groupby(
        a["verifier_name"]).mean()
    out = pd.DataFrame({
        "enterprises": e.groupby("verifier_name").size(),
        "returns_per_period": returns.reindex(periods.index).fillna(0) / periods,
        "share_with_critical": e["enterprise_id"].isin(crit).groupby(e["verifier_name"]).mean(),
        "share_corrected": corrected,
    })
    return out.rename_axis("verifier_name").reset_index().sort_values(
        "share_with_critical", ascending=False, kind="stable").reset_index(drop=True)


def lab_scorecard(x: Inputs, flags: pd.DataFrame, first: str | None = None,
                  last: str | None = None) -> pd.DataFrame:
    """Per lab: reports, evidence flags per report, share of reports with an evidence flag,
    and how many reports it issued on its busiest day.  With ``first`` and ``last`` only the
    reports covering those months count."""
    lab = x.labs
    if first and last:
        lab = lab[lab["period"].between(first, last)]
    ev = flags[flags["check_id"].str.startswith("evidence.") & (flags["report_id"] != "")]
    flagged = ev.merge(lab[["report_id", "lab_name"]], on="report_id")
    per_report = lab.merge(ev[["report_id"]].drop_duplicates().assign(hit=True),
                           on="report_id", how="left")
    out = pd.DataFrame({
        "reports": lab.groupby("lab_name").size(),
        "accredited": lab.groupby("lab_name")["lab_accreditation_no"].apply(
            lambda s: bool(s.notna().all())),
        "evidence_flags_per_report": flagged.groupby("lab_name").size(),
        "share_flagged": per_report["hit"].notna().groupby(per_report["lab_name"]).mean(),
        "max_reports_per_day": lab.groupby(["lab_name", "report_date"]).size().groupby(
            level=0).max(),
    })
    out["evidence_flags_per_report"] = (out["evidence_flags_per_report"].fillna(0)
                                        / out["reports"])
    return out.rename_axis("lab_name").reset_index().sort_values(
        "share_flagged", ascending=False, kind="stable").reset_index(drop=True)


def flags_in_period(flags: pd.DataFrame, first: str, last: str) -> pd.Series:
    """Mask of the flags whose period lies in ``first``–``last`` (``yyyy-mm``); a flag of a
    whole year (no period) counts when its year overlaps the range."""
    years = flags["year"].between(int(first[:4]), int(last[:4])).fillna(True)
    return (flags["period"].between(first, last)
            | ((flags["period"] == "") & years)).fillna(False).astype(bool)


def periods_overlap(periods: Iterable[str], first: str, last: str) -> bool:
    """Whether any of ``periods`` (``yyyy-mm`` or a year ``yyyy``) lies in ``first``–``last``."""
    for p in periods:
        p = str(p)
        if (len(p) == 4 and first[:4] <= p <= last[:4]) or first <= p <= last:
            return True
    return False


RISK_COLUMNS = ["enterprise_id", "risk_score", "n_critical", "n_warning", "n_info",
                "top_reasons", "rank"]


def period_risk(flags: pd.DataFrame, cfg: dict,
                enterprise_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The risk ranking of the enterprises over ``flags`` (e.g. those of one period, see
    :func:`flags_in_period`), scored as :func:`workbench.risk.risk_table` scores them (the
    same :func:`~workbench.risk.check_points`: severity weights, repeat decay, per-check
    caps and the soft caps on warnings and infos): one row per enterprise with at least one
    flag, ``risk_score``, flag counts by severity, the three checks giving most points
    (``top_reasons``) and ``rank`` (highest score first, ties by credit code).  Population
    flags (no enterprise) are left out."""
    f = flags[flags["enterprise_id"] != ""]
    if enterprise_ids is not None:
        f = f[f["enterprise_id"].isin(set(enterprise_ids))]
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "risk_score" else
                                          "int64" if c.startswith(("n_", "rank")) else object)
                             for c in RISK_COLUMNS})
    pts = check_points(f, cfg, ["enterprise_id"])
    out = pd.DataFrame({"risk_score": pts.groupby("enterprise_id")["points"].sum()})
    counts = f.groupby(["enterprise_id", "severity"]).size().unstack(fill_value=0)
    for sev in ("critical", "warning", "info"):
        col = counts[sev] if sev in counts else pd.Series(dtype="int64")
        out[f"n_{sev}"] = col.reindex(out.index).fillna(0).astype(int)
    out["top_reasons"] = _top_reasons(pts, ["enterprise_id"]).reindex(out.index).fillna("")
    out = out.rename_axis("enterprise_id").reset_index().sort_values(
        ["risk_score", "enterprise_id"], ascending=[False, True], kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)[RISK_COLUMNS]


def previous_window(first: str, last: str, earliest: str) -> tuple[str, str] | None:
    """The months just before ``first``–``last``, as many as it has (``yyyy-mm``), or
    ``None`` when the data (from ``earliest``) do not reach back that far."""
    a, b = pd.Period(first, "M"), pd.Period(last, "M")
    n = b.ordinal - a.ordinal + 1
    lo, hi = a - n, a - 1
    if lo < pd.Period(earliest, "M"):
        return None
    return str(lo), str(hi)


def kpi_values(months: pd.DataFrame) -> dict[str, float | None]:
    """The KPI cards' values over the rows of :func:`monthly_kpis` given: mean monthly
    on-time and first-time pass rates, summed returns, problem enterprise-months and filed
    CO2 (Mt).  ``None`` where there is nothing to measure."""
    def mean(col):
        v = months[col].mean()
        return None if pd.isna(v) else float(v)

    empty = months.empty
    return {"on_time": mean("on_time_deposit_rate"),
            "first_pass": mean("first_time_pass_rate"),
            "returns": None if empty else float(months["returns"].sum()),
            "problems": None if empty else float(months["enterprise_periods_with_problems"]
                                                 .sum()),
            "co2": None if empty else float(months["filed_co2_t"].sum() / 1e6)}


def compare(key: str, current: float | None, previous: float | None) -> dict | None:
    """``current`` against ``previous`` for KPI ``key``: ``delta`` (percentage points for
    shares), ``arrow`` (▲ up, ▼ down, ＝ no change), ``relative`` (change as a share of the
    previous amount, ``None`` for shares or a previous 0) and ``good`` (``True`` if it moved
    the better way, ``False`` the worse, ``None`` when neither or unchanged).  ``None`` when
    either side is missing."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    share = key in KPI_SHARES
    delta = (current - previous) * (100 if share else 1)
    if abs(delta) < 1e-9:
        delta = 0.0
    sign = (delta > 0) - (delta < 0)
    better = KPI_BETTER.get(key, 0)
    return {"delta": delta, "arrow": {1: "▲", -1: "▼", 0: "＝"}[sign],
            "relative": None if share or previous == 0 else delta / previous,
            "good": None if sign == 0 or better == 0 else sign == better}
