"""One verification agency's case: its enterprises, their risk, flags and returns, verified
vs filed CO2, and its standing among all agencies.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench import kpi
from workbench.investigate.case import (
    Case,
    by_check,
    critical_enterprises,
    flag_counts,
    known_ids,
    resolve_id,
)
from workbench.review import ReviewData
from workbench.sector_metrics import counted_co2_t


@dataclass
class VerifierCase(Case):
    """One verification agency (see :func:`verifier_case`)."""

    enterprises: pd.DataFrame
    flag_counts: pd.DataFrame
    flags_by_check: pd.DataFrame
    returns: pd.DataFrame
    co2: pd.DataFrame
    co2_all: pd.DataFrame
    comparison: pd.DataFrame


def verification_differences(review: ReviewData) -> pd.DataFrame:
    """Every annual report: filed (reported) CO2, the sum of the monthly filed CO2, verified
    CO2 (t), and verified − reported in t and as a fraction of reported."""
    x = review.inputs()
    monthly = counted_co2_t(x.monthly).groupby([x.monthly["enterprise_id"], x.monthly["year"]]
                                               ).sum().rename("monthly_co2_t").reset_index()
    a = x.annual.merge(monthly.astype({"year": x.annual["year"].dtype}),
                       on=["enterprise_id", "year"], how="left")
    a = a.merge(review.enterprises[["enterprise_id", "enterprise_name"]], on="enterprise_id")
    diff = a["verified_co2_t"] - a["reported_co2_t"]
    return a.assign(verified_minus_reported_t=diff,
                    share_verified_minus_reported=diff / a["reported_co2_t"])[
        ["verifier_name", "enterprise_id", "enterprise_name", "year", "reported_co2_t",
         "monthly_co2_t", "verified_co2_t", "verified_minus_reported_t",
         "share_verified_minus_reported", "verification_conclusion"]]


def verifier_case(review: ReviewData, verifier: str | None) -> VerifierCase:
    """The case file of one verification agency (``verifier_name``; empty or "auto" = the
    agency with the largest share of enterprises with a critical flag)."""
    x = review.inputs()
    comparison = kpi.verifier_scorecard(x, review.flags)
    name = resolve_id("verifier", verifier, known_ids("verifier", review.enterprises, review.labs),
                      comparison["verifier_name"].iloc[0])
    ranking = review.enterprise_list()
    mine = ranking[ranking["verifier_name"] == name]
    ids = set(mine["enterprise_id"])
    returns = x.events[(x.events["event_code"] == "returned") & x.events["enterprise_id"].isin(
        ids)].merge(mine[["enterprise_id", "enterprise_name"]], on="enterprise_id")
    co2_all = verification_differences(review)
    co2 = co2_all[co2_all["verifier_name"] == name].drop(columns="verifier_name")
    enterprises = mine[["enterprise_id", "enterprise_name", "city", "risk_score", "rank",
                        "n_critical", "n_warning", "materiality_level"]].assign(
        returns=mine["enterprise_id"].map(returns.groupby("enterprise_id").size())
        .fillna(0).astype(int))
    flags = review.flags[review.flags["enterprise_id"].isin(ids)]
    card = comparison.set_index("verifier_name").loc[name]
    critical = critical_enterprises(review.flags)
    verified = review.enterprises.dropna(subset=["verifier_name"])["enterprise_id"]
    summary = {"verifier_name": name, "enterprises": len(mine), "enterprise_years": len(co2),
               "returns": len(returns), "returns_per_period": float(card["returns_per_period"]),
               "share_with_critical": float(card["share_with_critical"]),
               "share_with_critical_all": float(verified.isin(critical).mean()),
               "share_corrected": float(card["share_corrected"]),
               "verified_minus_reported_t": float(co2["verified_minus_reported_t"].sum())}
    return VerifierCase(
        kind="verifier", case_id=name, name=name, summary=summary, enterprises=enterprises,
        flag_counts=flag_counts(flags), flags_by_check=by_check(flags),
        returns=returns[["enterprise_id", "enterprise_name", "period", "event_at", "level_code",
                         "actor", "note"]].sort_values(["enterprise_id", "period"])
        .reset_index(drop=True),
        co2=co2.reset_index(drop=True), co2_all=co2_all,
        comparison=comparison.assign(is_this_case=comparison["verifier_name"] == name))
