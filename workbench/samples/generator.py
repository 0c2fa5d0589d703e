"""Deterministic sample datasets, from one demo province to national scale.

``generate(scale, seed, problem_rate)`` builds every table of the contract from
real plants (see :mod:`workbench.samples.plants`), physically consistent
filings (:mod:`workbench.samples.filings`), a review workflow and annual
reports (:mod:`workbench.samples.workflow`), then injects problems
(:mod:`workbench.samples.problems`) and returns the truth list.  Each stage has
its own random stream derived from the seed, so the clean part of a dataset is
the same with or without injected problems and the same seed gives the same
bytes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import schema
from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.samples import (
    DEFAULT_PROBLEM_RATE,
    DEFAULT_SEED,
    filings,
    plants,
    problems,
    workflow,
)


@dataclass(frozen=True)
class Scale:
    """Size of a generated dataset."""

    provinces: tuple[str, ...] | None     # English province names; None = all
    max_plants: int | None
    n_enterprises: int | None             # split plants into phases up to this many
    start: str                            # first period, YYYY-MM
    months: int


SCALES: dict[str, Scale] = {
    "demo": Scale(("Jiangsu",), 60, None, "2023-01", 24),
    "province": Scale(("Jiangsu",), None, 200, "2023-01", 24),
    "national": Scale(None, None, 2100, "2024-01", 12),
}

TRUTH_COLUMNS = problems.TRUTH_COLUMNS


@dataclass
class Generated:
    """A generated dataset in memory: contract tables plus the truth list."""

    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame

    def record_count(self) -> int:
        """Rows over all tables."""
        return sum(len(t) for t in self.tables.values())


def _streams(seed: int) -> dict[str, np.random.Generator]:
    names = ("master", "ops", "quality", "labs", "events", "daily", "annual", "inject")
    return {n: np.random.default_rng([seed, i]) for i, n in enumerate(names)}


def _master(scale: Scale, rng: np.random.Generator) -> plants.MasterData:
    p = plants.load_plants()
    if scale.provinces:
        p = p[p["province"].isin(scale.provinces)]
    if scale.max_plants and len(p) > scale.max_plants:
        p = p.loc[np.sort(rng.choice(p.index, scale.max_plants, replace=False))]
    md = plants.build_master_data(p, rng, scale.n_enterprises)
    md.enterprises["province_code"] = md.enterprises["province_en"].map(
        lambda x: plants.PROVINCES[x][1])
    md.enterprises["verifier_name"] = workflow.assign_verifiers(md.enterprises, rng)
    return md


def _periods(scale: Scale) -> list[str]:
    return [str(p) for p in pd.period_range(scale.start, periods=scale.months, freq="M")]


def generate(scale: str | Scale = "demo", seed: int = DEFAULT_SEED,
             problem_rate: float = DEFAULT_PROBLEM_RATE) -> Generated:
    """Generate a dataset (see the module docstring)."""
    sc = SCALES[scale] if isinstance(scale, str) else scale
    if not 0.0 <= problem_rate <= 1.0:
        raise ValueError(f"problem_rate must be within 0..1, got {problem_rate}")
    rng = _streams(seed)
    policy = load_config()["policy"]
    md = _master(sc, rng["master"])
    ents = md.enterprises
    units = md.units.merge(ents[["enterprise_id", "city"]], on="enterprise_id")
    w = filings.month_frame(units, _periods(sc))
    w = filings.simulate_operations(w, rng["ops"])
    w = filings.simulate_fuel_and_quality(w, rng["quality"], policy)
    w = filings.lab_schedule(w, rng["labs"])
    w["has_lab"] = (w["fuel_code"] != "natural_gas") & (w["cc_source_code"] == "measured")
    lab_rows = w.loc[w["has_lab"]].copy()
    w.loc[w["has_lab"], ["lab_name", "lab_accreditation_no", "lab_code", "report_id",
                         "sample_id"]] = workflow.assign_labs(lab_rows, ents, rng["labs"])[
        ["lab_name", "lab_accreditation_no", "lab_code", "report_id", "sample_id"]]
    daily = filings.daily_values(w, rng["daily"])
    as_of = w["month_end"].max() + pd.DateOffset(months=6)

    w["co2_t"] = filings.filed_co2(w)
    clean_annual = workflow.annual_reports(w, ents, policy, as_of, np.random.default_rng(0))
    plans = problems.plan_injections(w, clean_annual, problem_rate, rng["inject"])
    draft = problems.Draft(w=w, policy=policy)
    for stage in ("lab", "filing"):
        _apply(draft, plans, stage, rng["inject"])
    w["co2_t"] = filings.filed_co2(w)
    _apply(draft, plans, "co2", rng["inject"])

    draft.monthly = monthly_long(w)
    events, approvals = workflow.review_events(w[["enterprise_id", "period", "submitted_at"]],
                                               ents, rng["events"])
    draft.monthly = _legitimate_corrections(draft.monthly, approvals, w)
    draft.approvals = approvals
    draft.annual = workflow.annual_reports(w, ents, policy, as_of, rng["annual"])
    _apply(draft, plans, "workflow", rng["inject"])
    _apply(draft, plans, "annual", rng["inject"])

    tables = {
        "enterprises": ents[schema.ENTERPRISES.column_names],
        "units": schema.UNITS.frame_of(md.units),
        "monthly_parameters": draft.monthly.sort_values(
            ["unit_id", "period", "parameter_code", "revision"]).reset_index(drop=True),
        "daily_parameters": daily,
        "lab_reports": _lab_reports(w),
        "review_events": events,
        "annual_reports": draft.annual[schema.ANNUAL_REPORTS.column_names],
    }
    truth = pd.DataFrame(draft.truth, columns=list(TRUTH_COLUMNS))
    truth = truth.sort_values(list(TRUTH_COLUMNS)).reset_index(drop=True)
    return Generated(tables, truth)


def _apply(d: problems.Draft, plans: list[problems.Plan], stage: str,
           rng: np.random.Generator) -> None:
    for plan in plans:
        if plan.kind.stage == stage:
            d.truth.extend(plan.kind.apply(d, plan.rows, rng))


#: monthly parameter -> wide column; source code per row is decided in monthly_long.
_MEASURED = ("coal_consumption_t", "gas_consumption_knm3", "ncv_gj_per_t", "carbon_ar_pct",
             "generation_mwh", "own_use_mwh", "supply_mwh", "heat_supply_gj",
             "operating_hours_h", "purchased_electricity_mwh")
_WITH_REPORT = ("ncv_gj_per_t", "carbon_ar_pct", "cc_tc_per_gj")


def monthly_long(w: pd.DataFrame) -> pd.DataFrame:
    """The wide unit-month frame as long ``monthly_parameters`` rows (revision 0).

    Missing values (gas units' coal parameters, unmeasured carbon) are not filed.
    """
    frames = []
    for code, param in schema.PARAMETERS.items():
        if code not in w.columns:
            continue
        v = w[code]
        keep = v.notna().to_numpy()
        sub = w.loc[keep]
        if code in _MEASURED:
            source = pd.Series("measured", index=sub.index)
        elif code == "cc_tc_per_gj":
            source = sub["cc_source_code"].map({"measured": "calculated", "default": "default"})
        elif code in ("oxidation_rate", "ncv_gj_per_knm3"):
            source = pd.Series("default", index=sub.index)
        else:
            source = pd.Series("calculated", index=sub.index)
        report = (sub["report_id"].where(sub["has_lab"]) if code in _WITH_REPORT
                  else pd.Series(pd.NA, index=sub.index)).astype("string")
        frames.append(pd.DataFrame({
            "unit_id": sub["unit_id"], "period": sub["period"], "parameter_code": code,
            "value": v[keep].astype(float), "unit": param.unit, "source_code": source,
            "report_id": report, "submitted_at": sub["submitted_at"], "revision": 0,
        }))
    return pd.concat(frames, ignore_index=True)


def _legitimate_corrections(monthly: pd.DataFrame, approvals: pd.DataFrame,
                            w: pd.DataFrame) -> pd.DataFrame:
    """Months returned by the city: one unit's revision-0 supply had a typo, revision 1 fixes it."""
    ret = approvals.dropna(subset=["resubmitted_at"])
    if ret.empty:
        return monthly
    first_unit = w.groupby("enterprise_id")["unit_id"].min()
    ret = ret.assign(unit_id=ret["enterprise_id"].map(first_unit))
    key = monthly.merge(ret[["unit_id", "period", "resubmitted_at"]], on=["unit_id", "period"],
                        how="left")
    hit = (key["resubmitted_at"].notna() & (monthly["parameter_code"] == "supply_mwh")
           & (monthly["revision"] == 0)).to_numpy()
    fixed = monthly.loc[hit].copy()
    fixed["revision"] = 1
    fixed["submitted_at"] = key.loc[hit, "resubmitted_at"].to_numpy()
    monthly = monthly.copy()
    # a transposed digit: the kind of typo a city reviewer returns a month for
    monthly.loc[hit, "value"] = np.round(monthly.loc[hit, "value"] * 0.9, 3)
    return pd.concat([monthly, fixed], ignore_index=True)


def _lab_reports(w: pd.DataFrame) -> pd.DataFrame:
    lab = w.loc[w["has_lab"]].rename(columns={"period": "covered_period",
                                              "ncv_gj_per_t": "ncv_ar_gj_per_t"})
    lab = schema.LAB_REPORTS.frame_of(lab.assign(sample_type_code="coal"))
    return lab.sort_values("report_id").reset_index(drop=True)


def write(gen: Generated, out: str | Path, scale: str, seed: int, problem_rate: float) -> Dataset:
    """Write ``gen`` as a canonical dataset folder plus ``truth.csv``.

    The output is byte-for-byte deterministic for a seed (no wall-clock time is recorded).
    """
    out = Path(out)
    ds = Dataset(out)
    if ds.exists():
        raise FileExistsError(f"{out} already holds a dataset; choose an empty folder")
    ds.append(gen.tables, log_entry={"source": "workbench sample", "scale": scale, "seed": seed,
                                     "problem_rate": problem_rate}, stamp=False)
    gen.truth.to_csv(out / "truth.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    return ds
