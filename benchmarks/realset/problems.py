"""Injected problems and the truth file, written independently of the sample generator.

The kinds and their truth rows are those of :mod:`workbench.samples.problems`
(same names, same ``parameter_code`` per kind) so one scorer serves both data
sets; every implementation here works on this package's own frames: ``w``
(unit-months as filed), ``lab`` (reports, indexed like ``w``), the long filings,
the approvals and the annual reports.

A fraud is careful: doctored inputs flow into the filed CC and CO2 (CO2 is
recomputed after the ``lab`` and ``filing`` stages), except for
``co2_misstated``.  Stages run in order: ``lab`` (reports), ``filing`` (monthly
values), ``co2``, ``deposit`` (long filings before review), ``approval`` (after
review) and ``annual``.

Planning: ``rate`` × enterprises are affected, a third of them by two kinds
(on different unit-months); each kind is placed at least once when some affected
enterprise is eligible (the scarcest kinds first), then the remaining slots cycle
through the kinds.  Each problem covers a run of consecutive months of one unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarks.realset import labs
from workbench.accounting import power
from workbench.config import by_year
from workbench.samples.problems import TRUTH_COLUMNS  # the truth file's format


@dataclass
class Draft:
    """Everything built so far, altered in place by the injections."""

    w: pd.DataFrame
    lab: pd.DataFrame
    policy: dict
    monthly: pd.DataFrame | None = None
    approvals: pd.DataFrame | None = None
    annual: pd.DataFrame | None = None
    truth: list[dict] = field(default_factory=list)


Apply = Callable[[Draft, pd.Index, np.random.Generator], list[dict]]


@dataclass(frozen=True)
class Kind:
    """An injectable problem: stage, which unit-months qualify, run length, how it is applied."""

    name: str
    stage: str
    eligible: Callable[[Draft], pd.Series]
    months: tuple[int, int]
    apply: Apply


def _truth(kind: str, rows: pd.DataFrame, parameter: str = "") -> list[dict]:
    return [{"kind": kind, "enterprise_id": e, "unit_id": u, "period": p,
             "parameter_code": parameter}
            for e, u, p in zip(rows["enterprise_id"], rows["unit_id"], rows["period"],
                               strict=True)]


def _days(rng: np.random.Generator, lo: int, hi: int, n: int) -> pd.TimedeltaIndex:
    return pd.to_timedelta(rng.integers(lo, hi + 1, n), unit="D")


# --- lab stage -------------------------------------------------------------------------------

def carbon_lowered(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Carbon (air-dried) on the report cut by 8-14 %; NCV, H and moisture untouched."""
    d.lab.loc[idx, "carbon_ad_pct"] = np.round(d.lab.loc[idx, "carbon_ad_pct"]
                                               * rng.uniform(0.86, 0.92, len(idx)), 2)
    _carbon_ar(d.lab, idx)
    return _truth("carbon_lowered", d.w.loc[idx], "carbon_ar_pct")


def _carbon_ar(lab: pd.DataFrame, idx: pd.Index) -> None:
    """The reports' C_ar from their (altered) C_ad and moisture (GB/T 483), NCV left as filed."""
    lab.loc[idx, "carbon_ar_pct"] = np.round(power.carbon_ar_from_ad(
        lab.loc[idx, "carbon_ad_pct"], lab.loc[idx, "total_moisture_pct"],
        lab.loc[idx, "moisture_ad_pct"]), 2)


def moisture_invented(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Total moisture raised 5-9 points for the as-received carbon only (中碳能投): the NCV
    stays as tested, so GB/T 213 no longer ties it to the report's moisture."""
    lab = d.lab
    lab.loc[idx, "total_moisture_pct"] = np.round(lab.loc[idx, "total_moisture_pct"]
                                                  + rng.uniform(5.0, 9.0, len(idx)), 1)
    _carbon_ar(lab, idx)
    return _truth("moisture_invented", d.w.loc[idx], "carbon_ar_pct")


def report_before_sampling(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Report (and receipt, test) dated 3-14 days before sampling ended; numbers kept."""
    lab, n = d.lab, len(idx)
    lab.loc[idx, "report_date"] = lab.loc[idx, "sampling_end_date"] - _days(rng, 3, 14, n)
    lab.loc[idx, "test_date"] = lab.loc[idx, "report_date"] - _days(rng, 0, 2, n)
    lab.loc[idx, "received_date"] = lab.loc[idx, "test_date"] - _days(rng, 0, 2, n)
    return _truth("report_before_sampling", d.w.loc[idx], "carbon_ar_pct")


def _free_block(ids: pd.Series, dates: pd.Series, prefix: str, at: pd.Timestamp, k: int) -> int:
    """First of ``k`` consecutive unused numbers under ``prefix`` in the stream at date ``at``.

    The block sits in the first gap wide enough at or after ``at``, so no other
    client's number changes; after the last number when no gap is wide enough.
    """
    mine = ids.astype(str).str.startswith(prefix)
    s = pd.DataFrame({"n": ids[mine].str[len(prefix):].astype(int), "date": dates[mine]})
    s = s.sort_values(["date", "n"])
    used = set(s["n"].astype(int))
    before = s.loc[s["date"] < at, "n"]
    prev = int(before.max()) if len(before) else 0
    for n in s.loc[s["date"] >= at, "n"]:
        # an earlier injected batch may sit out of date order: the block must be truly free
        if n - prev - 1 >= k and not used & set(range(prev + 1, prev + 1 + k)):
            return prev + 1
        prev = max(prev, int(n))
    return int(s["n"].max()) + 1 if len(s) else 1


def batch_backtesting(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Months of one unit tested as one batch after the fact (辽宁东煤).

    The batch goes to the lab of the unit's last month and is numbered as one
    block at the batch date: consecutive report and sample numbers taken from a
    gap of that lab's running numbers (other clients' numbers unchanged).  Half
    the time the reports carry the true batch dates (received, tested, reported
    within three days; the months are deposited after that); otherwise the dates
    are forged to look monthly and only the numbers give the batch away.
    """
    lab, w = d.lab, d.w
    idx = lab.loc[idx].sort_values("period").index
    last = idx[-1]
    code = lab.loc[last, "lab_code"]
    for col in ("lab_code", "lab_name", "lab_accreditation_no"):
        lab.loc[idx, col] = lab.loc[last, col]
    year = int(lab.loc[last, "report_date"].year)
    day = min(w.loc[last, "month_end"] + pd.Timedelta(days=int(rng.integers(8, 41))),
              pd.Timestamp(f"{year}-12-31"))
    honest = rng.random() < 0.5
    if honest:
        lab.loc[idx, "received_date"] = day - pd.Timedelta(days=1)
        lab.loc[idx, "test_date"] = day
        lab.loc[idx, "report_date"] = day + _days(rng, 1, 3, len(idx))
        ready = lab.loc[idx, "report_date"] + pd.Timedelta(days=2, hours=10)
        filed = w.loc[idx, "submitted_at"]
        w.loc[idx, "submitted_at"] = filed.where(filed >= ready, ready)
    rprefix, sprefix = f"{code}-{year}-", f"{code}-{year % 100:02d}S"
    r0 = _free_block(lab["report_id"], lab["report_date"], rprefix, day, len(idx))
    s0 = _free_block(lab["sample_id"], lab["received_date"], sprefix, day, len(idx))
    lab.loc[idx, "report_id"] = [f"{rprefix}{r0 + i:05d}" for i in range(len(idx))]
    lab.loc[idx, "sample_id"] = [f"{sprefix}{s0 + i:05d}" for i in range(len(idx))]
    return _truth("batch_backtesting", w.loc[idx], "carbon_ar_pct")


def result_reused(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """One result copied to several months: from the unit's month before, or from another
    enterprise's report of the same month."""
    lab, w = d.lab, d.w
    idx = lab.loc[idx].sort_values("period").index
    first = idx[0]
    unit, period = w.loc[first, "unit_id"], w.loc[first, "period"]
    before = lab.index[(w.loc[lab.index, "unit_id"] == unit).to_numpy()
                       & (lab["period"] < period).to_numpy()]
    others = lab.index[(lab["period"] == period).to_numpy()
                       & (lab["enterprise_id"] != w.loc[first, "enterprise_id"]).to_numpy()]
    if len(before) and (rng.random() < 0.5 or not len(others)):
        source = lab.loc[before].sort_values("period").index[-1]
    else:
        source = int(rng.choice(others))
    cols = list(labs.RESULT_COLUMNS)
    lab.loc[idx, cols] = np.tile(lab.loc[source, cols].to_numpy(float), (len(idx), 1))
    return _truth("result_reused", w.loc[idx], "carbon_ar_pct")


def missing_accreditation(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Samples tested in the plant's own assay room, which has no CMA/CNAS accreditation."""
    lab, w = d.lab, d.w
    ent, name = w.loc[idx[0], "enterprise_id"], w.loc[idx[0], "enterprise_name"]
    lab.loc[idx, "lab_code"] = ""
    lab.loc[idx, "lab_name"] = f"{name}燃料化验室"
    lab.loc[idx, "lab_accreditation_no"] = pd.NA
    years = lab.loc[idx, "report_date"].dt.year
    lab.loc[idx, "report_id"] = [f"HY{ent[-6:]}-{y}-{k + 1:03d}" for k, y in enumerate(years)]
    lab.loc[idx, "sample_id"] = [f"HY{ent[-6:]}-{y % 100:02d}-{k + 1:03d}"
                                 for k, y in enumerate(years)]
    return _truth("missing_accreditation", w.loc[idx], "carbon_ar_pct")


# --- filing stage ----------------------------------------------------------------------------

def default_as_measured(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """The default CC filed as if calculated from a measurement (an "experience value"):
    C_ar = default × NCV, the report number kept, the report itself untouched."""
    w = d.w
    cc = w.loc[idx, "year"].map(lambda y: float(by_year(d.policy["default_coal_cc_tc_per_gj"],
                                                        int(y))))
    w.loc[idx, "cc_tc_per_gj"] = cc
    w.loc[idx, "carbon_ar_pct"] = np.round(cc * w.loc[idx, "ncv_gj_per_t"] * 100.0, 2)
    return _truth("default_as_measured", w.loc[idx], "cc_tc_per_gj")


def late_deposit(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """The unit-month deposited 45-100 days after month end (rule: 40)."""
    seconds = np.round(rng.uniform(45, 100, len(idx)) * 86400)
    d.w.loc[idx, "submitted_at"] = d.w.loc[idx, "month_end"] + pd.to_timedelta(seconds, unit="s")
    return _truth("late_deposit", d.w.loc[idx])


def coal_underreported(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Monthly coal cut 10-18 %; the daily records are left alone."""
    d.w.loc[idx, "coal_consumption_t"] = np.round(d.w.loc[idx, "coal_consumption_t"]
                                                  * rng.uniform(0.82, 0.90, len(idx)), 2)
    return _truth("coal_underreported", d.w.loc[idx], "coal_consumption_t")


def heat_underreported(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """District heat of in-season months reported at 30-60 %; the coal burnt unchanged."""
    d.w.loc[idx, "heat_supply_gj"] = np.round(d.w.loc[idx, "heat_supply_gj"]
                                              * rng.uniform(0.3, 0.6, len(idx)), 1)
    return _truth("heat_underreported", d.w.loc[idx], "heat_supply_gj")


# --- co2, deposit, approval and annual stages ------------------------------------------------

def co2_misstated(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Filed CO2 3-8 % below what the filed inputs give."""
    d.w.loc[idx, "co2_t"] = np.round(d.w.loc[idx, "co2_t"] * rng.uniform(0.92, 0.97, len(idx)),
                                     2)
    return _truth("co2_misstated", d.w.loc[idx], "co2_t")


def missing_deposit(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """The unit-month never deposited (its lab report and daily records exist)."""
    rows = d.w.loc[idx]
    key = pd.MultiIndex.from_frame(d.monthly[["unit_id", "period"]])
    drop = key.isin(pd.MultiIndex.from_frame(rows[["unit_id", "period"]]))
    d.monthly = d.monthly[~drop].reset_index(drop=True)
    return _truth("missing_deposit", rows)


def revision_after_approval(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Coal cut 7-15 % and CO2 recomputed in a new revision, 5-60 days after approval."""
    w, m = d.w, d.monthly
    approved = d.approvals.set_index(["enterprise_id", "period"])["approved_at"]
    new = []
    for i in idx:
        r = w.loc[i]
        factor = rng.uniform(0.85, 0.93)
        when = approved[(r["enterprise_id"], r["period"])] + pd.Timedelta(
            seconds=round(rng.uniform(5, 60) * 86400))
        mine = m[(m["unit_id"] == r["unit_id"]) & (m["period"] == r["period"])]
        coal = round(float(r["coal_consumption_t"]) * factor, 2)
        co2 = round(float(power.fuel_co2_t(coal, r["ncv_gj_per_t"], r["cc_tc_per_gj"],
                                           r["oxidation_rate"])), 2)
        for code, value in (("coal_consumption_t", coal), ("co2_t", co2)):
            latest = mine[mine["parameter_code"] == code].sort_values("revision").iloc[-1]
            new.append(latest.to_dict() | {"value": value, "revision": int(latest["revision"]) + 1,
                                           "submitted_at": when})
    d.monthly = pd.concat([m, pd.DataFrame(new)], ignore_index=True).sort_values(
        ["unit_id", "period", "parameter_code", "revision"], ignore_index=True)
    rows = w.loc[idx]
    return (_truth("revision_after_approval", rows, "coal_consumption_t")
            + _truth("revision_after_approval", rows, "co2_t"))


def surrender_shortfall(d: Draft, idx: pd.Index, rng: np.random.Generator) -> list[dict]:
    """Allowances surrendered at 80-95 % of verified CO2 for the year that was due."""
    a = d.annual
    ent = d.w.loc[idx[0], "enterprise_id"]
    due = a.index[(a["enterprise_id"] == ent) & a["allowance_surrendered_t"].notna()]
    row = due[0]
    a.loc[row, "allowance_surrendered_t"] = round(a.loc[row, "verified_co2_t"]
                                                  * rng.uniform(0.8, 0.95), 0)
    return [{"kind": "surrender_shortfall", "enterprise_id": ent, "unit_id": "",
             "period": str(int(a.loc[row, "year"])), "parameter_code": ""}]


# --- eligibility -----------------------------------------------------------------------------

def _tested(d: Draft) -> pd.Series:
    return pd.Series(d.w.index.isin(d.lab.index), index=d.w.index)


def _tested_one_year(d: Draft) -> pd.Series:
    """Tested months whose report falls in the month's own year (a batch numbered in one year)."""
    year = d.lab["report_date"].dt.year.reindex(d.w.index)
    return _tested(d) & (year == d.w["year"])


def _coal_burnt(d: Draft) -> pd.Series:
    return (d.w["family"] == "coal") & (d.w["coal_consumption_t"] > 0)


def _heating_season(d: Draft) -> pd.Series:
    """Whole heating-season months of district-heating units that supplied heat."""
    w = d.w
    return (w["heat_kind"] == "district") & (w["heating_share"] == 1) & (w["heat_supply_gj"] > 0)


def _operating(d: Draft) -> pd.Series:
    return d.w["generation_mwh"] > 0


def _any(d: Draft) -> pd.Series:
    return pd.Series(True, index=d.w.index)


KINDS: tuple[Kind, ...] = (
    Kind("carbon_lowered", "lab", _tested, (3, 6), carbon_lowered),
    Kind("moisture_invented", "lab", _tested, (3, 6), moisture_invented),
    Kind("report_before_sampling", "lab", _tested, (1, 2), report_before_sampling),
    Kind("batch_backtesting", "lab", _tested_one_year, (4, 8), batch_backtesting),
    Kind("result_reused", "lab", _tested, (2, 3), result_reused),
    Kind("missing_accreditation", "lab", _tested, (3, 8), missing_accreditation),
    Kind("default_as_measured", "filing", _tested, (2, 4), default_as_measured),
    Kind("late_deposit", "filing", _any, (1, 3), late_deposit),
    Kind("coal_underreported", "filing", _coal_burnt, (2, 5), coal_underreported),
    Kind("heat_underreported", "filing", _heating_season, (2, 4), heat_underreported),
    Kind("co2_misstated", "co2", _operating, (1, 3), co2_misstated),
    Kind("missing_deposit", "deposit", _any, (1, 2), missing_deposit),
    Kind("revision_after_approval", "approval", _coal_burnt, (1, 2), revision_after_approval),
    Kind("surrender_shortfall", "annual", _any, (1, 1), surrender_shortfall),
)
KIND_NAMES = tuple(k.name for k in KINDS)
STAGES = ("lab", "filing", "co2", "deposit", "approval", "annual")


@dataclass(frozen=True)
class Plan:
    """One injection: its kind and the rows of ``w`` it alters (decided on clean data)."""

    kind: Kind
    rows: pd.Index


def _run(w: pd.DataFrame, ok: np.ndarray, used: set, kind: Kind,
         rng: np.random.Generator) -> pd.Index | None:
    """A run of consecutive eligible, unused months of one unit (None when there is none)."""
    lo, hi = kind.months
    units = sorted(w.loc[ok, "unit_id"].unique())
    for unit in rng.permutation(np.array(units, dtype=object)):
        rows = w.index[(w["unit_id"] == unit).to_numpy()]
        good = ok[rows] & np.array([i not in used for i in rows])
        for k in range(int(rng.integers(lo, hi + 1)), lo - 1, -1):
            window = np.convolve(good.astype(int), np.ones(k, dtype=int), "valid") == k
            starts = np.flatnonzero(window)
            if len(starts):
                s = int(rng.choice(starts))
                return rows[s:s + k]
    return None


def plan(d: Draft, rate: float, rng: np.random.Generator) -> list[Plan]:
    """Which rows each injection alters (see the module docstring)."""
    w = d.w
    ents = np.array(sorted(w["enterprise_id"].unique()))
    n_aff = int(round(rate * len(ents)))
    affected = list(rng.choice(ents, n_aff, replace=False)) if n_aff else []
    slots = {e: 2 if rng.random() < 1 / 3 else 1 for e in affected}
    ok = {k.name: k.eligible(d).to_numpy(bool) for k in KINDS}
    rows_of = {e: w.index[(w["enterprise_id"] == e).to_numpy()] for e in affected}
    used: dict[str, set] = {e: set() for e in affected}
    kinds_of: dict[str, list[str]] = {e: [] for e in affected}
    plans: list[Plan] = []

    def place(kind: Kind, candidates: list[str]) -> bool:
        for e in candidates:
            if slots[e] == len(kinds_of[e]) or kind.name in kinds_of[e]:
                continue
            mask = np.zeros(len(w), dtype=bool)
            mask[rows_of[e]] = ok[kind.name][rows_of[e]]
            rows = _run(w, mask, used[e], kind, rng)
            if rows is not None:
                plans.append(Plan(kind, rows))
                used[e] |= set(rows)
                kinds_of[e].append(kind.name)
                return True
        return False

    scarcity = sorted(KINDS, key=lambda k: sum(ok[k.name][rows_of[e]].any() for e in affected))
    for kind in scarcity:
        place(kind, list(rng.permutation(np.array(affected, dtype=object))))
    cycle = list(rng.permutation(len(KINDS)))
    turn = 0
    for e in affected:
        tries = 0
        while len(kinds_of[e]) < slots[e] and tries < len(KINDS):
            place(KINDS[cycle[turn % len(KINDS)]], [e])
            turn += 1
            tries += 1
    return plans


def apply(d: Draft, plans: list[Plan], stage: str, rng: np.random.Generator) -> None:
    """Apply the plans of one stage, adding their truth rows."""
    for p in plans:
        if p.kind.stage == stage:
            d.truth.extend(p.kind.apply(d, p.rows, rng))


def truth_frame(d: Draft) -> pd.DataFrame:
    """The truth rows, sorted (columns as the generator's ``truth.csv``)."""
    t = pd.DataFrame(d.truth, columns=list(TRUTH_COLUMNS))
    return t.sort_values(list(TRUTH_COLUMNS), ignore_index=True)
