"""Deterministic sample datasets, from one demo province to national scale.

``generate(scale, seed, problem_rate, sectors)`` builds every table of the contract
for the power sector from real plants (see :mod:`workbench.samples.plants`),
physically consistent filings (:mod:`workbench.samples.filings`), a review
workflow and annual reports (:mod:`workbench.samples.workflow`), then injects
problems (:mod:`workbench.samples.problems`) and returns the truth list.  Each
stage has its own random stream derived from the seed, so the clean part of a
dataset is the same with or without injected problems and the same seed gives
the same bytes.

The steel, cement and aluminium enterprises of :mod:`workbench.samples.sectors`
are merged in (all four sectors by default).  These sectors deposit monthly
since 2025; the sample puts their filings in the last 12 months of the power
periods (2024 at every scale), one data year with power, so that views across
sectors compare like with like.  They draw from random streams of their own:
the power part of a dataset is the same, to the byte, with or without them.
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
    SECTORS,
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
    #: the size of the steel, cement and aluminium part (a scale of
    #: ``workbench.samples.sectors.SCALES``); None: this scale has no other sectors
    sectors: str | None = None


SCALES: dict[str, Scale] = {
    "demo": Scale(("Jiangsu",), 60, None, "2023-01", 24, "demo"),
    "province": Scale(("Jiangsu",), None, 200, "2023-01", 24, "province"),
    "national": Scale(None, None, 2100, "2024-01", 12, "national"),
}

#: How many months of the power periods (the last ones) the other sectors file.
SECTOR_MONTHS = 12

TRUTH_COLUMNS = problems.TRUTH_COLUMNS


@dataclass
class Generated:
    """A generated dataset in memory: contract tables plus the truth list."""

    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame

    def record_count(self) -> int:
        """Rows over all tables."""
        return sum(len(t) for t in self.tables.values())

    def _enterprise_of(self, df: pd.DataFrame) -> pd.Series:
        if "enterprise_id" in df.columns:
            return df["enterprise_id"]
        units = self.tables["units"].set_index("unit_id")["enterprise_id"]
        return df["unit_id"].map(units)

    def subset(self, sectors) -> Generated:
        """The rows of the enterprises of ``sectors`` (industry codes) in every table and
        in the truth list."""
        ents = self.tables["enterprises"]
        keep = set(ents.loc[ents["industry_code"].isin(list(sectors)), "enterprise_id"])
        tables = {name: df[self._enterprise_of(df).isin(keep).to_numpy()].reset_index(drop=True)
                  for name, df in self.tables.items()}
        truth = self.truth[self.truth["enterprise_id"].isin(keep)].reset_index(drop=True)
        return Generated(tables, truth)

    def counts_by_sector(self) -> dict[str, dict[str, int]]:
        """Rows per sector (industry code) of each table and of the truth list."""
        ents = self.tables["enterprises"]
        industry = ents.set_index("enterprise_id")["industry_code"]
        out: dict[str, dict[str, int]] = {
            str(k): {} for k in pd.unique(ents["industry_code"])}
        frames = {**self.tables, "truth": self.truth}
        for name, df in frames.items():
            n = self._enterprise_of(df).map(industry).value_counts()
            for sector, counts in out.items():
                counts[name if name != "truth" else "truth_rows"] = int(n.get(sector, 0))
        return out


def _streams(seed: int) -> dict[str, np.random.Generator]:
    # a new stream goes at the end: the existing ones keep their numbers (and their data)
    names = ("master", "ops", "quality", "labs", "events", "daily", "annual", "inject",
             "sector_events")
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
             problem_rate: float = DEFAULT_PROBLEM_RATE,
             sectors: tuple[str, ...] | list[str] = SECTORS) -> Generated:
    """Generate a dataset of ``sectors`` (see the module docstring).

    ``sectors`` names any of :data:`SECTORS`; ``("power",)`` gives the power-only dataset
    of before, the other sectors alone (without power) work too.  The steel, cement and
    aluminium tables of :func:`workbench.samples.sectors.generate_sectors` (enterprises,
    units, monthly parameters, lab reports; the scale's province, its last 12 months) are
    merged with power's: enterprises and units after power's, monthly parameters, lab
    reports and review events sorted by their keys as power's are, truth rows
    concatenated and sorted.  Their review events come from
    :func:`workbench.samples.workflow.review_events` on their deposits (submitted, then
    approved by the province) with no month returned: a return is followed by a corrected
    revision, which only the power generator files (its supply typo).  Daily parameters
    and annual reports stay power-only (the contract's annual report, with allowances by
    the power benchmarks, is power's).
    """
    sc = SCALES[scale] if isinstance(scale, str) else scale
    if not 0.0 <= problem_rate <= 1.0:
        raise ValueError(f"problem_rate must be within 0..1, got {problem_rate}")
    sectors = _check_sectors(sectors)
    others = [s for s in sectors if s != "power"]
    if others and sc.sectors is None:
        raise ValueError("this scale has no size for the sectors "
                         f"{', '.join(others)}: set Scale.sectors or ask for power only")
    rng = _streams(seed)
    power = _power(sc, problem_rate, rng) if "power" in sectors else None
    if not others:
        return power
    part = _sectors(sc, seed, problem_rate, others, rng["sector_events"])
    return _merge(power, part) if power is not None else part


def _check_sectors(sectors) -> tuple[str, ...]:
    """``sectors`` as a tuple in :data:`SECTORS` order; ValueError for an unknown one."""
    if isinstance(sectors, str):
        sectors = [s.strip() for s in sectors.split(",") if s.strip()]
    unknown = [s for s in sectors if s not in SECTORS]
    if unknown:
        raise ValueError(f"unknown sector {', '.join(map(repr, unknown))}; "
                         f"choose from {', '.join(SECTORS)}")
    if not sectors:
        raise ValueError(f"no sector given; choose from {', '.join(SECTORS)}")
    return tuple(s for s in SECTORS if s in sectors)


def _power(sc: Scale, problem_rate: float, rng: dict[str, np.random.Generator]) -> Generated:
    """The power dataset (every table of the contract) and its truth."""
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


def _sector_province(sc: Scale) -> str | None:
    """The province of the sector part: the scale's one province, None for several."""
    return sc.provinces[0] if sc.provinces and len(sc.provinces) == 1 else None


def _sectors(sc: Scale, seed: int, problem_rate: float, sectors: list[str],
             rng: np.random.Generator) -> Generated:
    """The steel, cement and aluminium part: their four tables, review events for their
    deposits, empty daily parameters and annual reports, and their truth."""
    from workbench.samples.sectors import generate_sectors

    periods = _periods(sc)[-SECTOR_MONTHS:]
    part = generate_sectors(sc.sectors, seed, periods, _sector_province(sc), problem_rate)
    deposits = part["monthly_parameters"][["unit_id", "period", "submitted_at"]].merge(
        part["units"][["unit_id", "enterprise_id"]], on="unit_id")
    # events of every sector, then the asked ones: a sector's rows do not depend on the others
    events, _ = workflow.review_events(deposits[["enterprise_id", "period", "submitted_at"]],
                                       part["enterprises"], rng, return_rate=0.0)
    tables = {name: part[name] for name in ("enterprises", "units", "monthly_parameters",
                                            "lab_reports")}
    tables["review_events"] = events
    for name in ("daily_parameters", "annual_reports"):
        tables[name] = pd.DataFrame({c.name: pd.Series(dtype=schema.PANDAS_DTYPES[c.kind])
                                     for c in schema.TABLES[name].columns})
    gen = Generated({name: tables[name] for name in schema.TABLES}, part["truth"])
    return gen.subset(sectors)


#: How the merged tables are ordered (power's own order; enterprises and units: power's
#: rows first, then the sectors').
_ORDER = {"monthly_parameters": ["unit_id", "period", "parameter_code", "revision"],
          "lab_reports": ["report_id"], "review_events": ["enterprise_id", "period", "event_at"]}


def _merge(power: Generated, part: Generated) -> Generated:
    """Power's tables and truth with the other sectors' rows added."""
    for name, column in (("enterprises", "enterprise_id"), ("units", "unit_id"),
                         ("lab_reports", "report_id")):
        # distinct credit codes, unit suffixes and lab codes make a clash all but impossible
        clash = set(power.tables[name][column]) & set(part.tables[name][column])
        if clash:
            raise ValueError(f"{name}: sector {column} {sorted(clash)[0]} is also a power "
                             "one; try another seed")
    tables = {}
    for name, df in power.tables.items():
        extra = part.tables[name]
        if extra.empty:
            tables[name] = df
            continue
        merged = pd.concat([df, extra], ignore_index=True)
        if name in _ORDER:
            merged = merged.sort_values(_ORDER[name], kind="stable").reset_index(drop=True)
        tables[name] = merged
    truth = pd.concat([power.truth, part.truth], ignore_index=True)
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
    The import log records the sectors the dataset holds.
    """
    out = Path(out)
    ds = Dataset(out)
    if ds.exists():
        raise FileExistsError(f"{out} already holds a dataset; choose an empty folder")
    held = set(gen.tables["enterprises"]["industry_code"])
    ds.append(gen.tables, log_entry={"source": "workbench sample", "scale": scale, "seed": seed,
                                     "problem_rate": problem_rate,
                                     "sectors": [s for s in SECTORS if s in held]},
              stamp=False)
    gen.truth.to_csv(out / "truth.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    return ds
