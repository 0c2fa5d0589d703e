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
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from workbench.checks.inputs import Inputs


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
        "filed_co2_t": m.groupby("period")["co2_t"].sum(),
    })
    out = out.sort_index()
    counts = ["returns", "enterprise_periods_with_problems"]
    out[counts] = out[counts].fillna(0).astype(int)
    return out.rename_axis("period").reset_index()


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


def verifier_scorecard(x: Inputs, flags: pd.DataFrame) -> pd.DataFrame:
    """Per verification agency: enterprises, returns per enterprise-period, share of its
    enterprises with a critical flag, corrections made in verification."""
    e = x.enterprises[["enterprise_id", "verifier_name"]].dropna()
    crit = set(flags.loc[flags["severity"] == "critical", "enterprise_id"])
    ev = x.events.merge(e, on="enterprise_id")
    periods = ev.drop_duplicates(["enterprise_id", "period"]).groupby("verifier_name").size()
    returns = ev[ev["event_code"] == "returned"].groupby("verifier_name").size()
    a = x.annual.dropna(subset=["verifier_name"])
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


def lab_scorecard(x: Inputs, flags: pd.DataFrame) -> pd.DataFrame:
    """Per lab: reports, evidence flags per report, share of reports with an evidence flag,
    and how many reports it issued on its busiest day."""
    lab = x.labs
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
