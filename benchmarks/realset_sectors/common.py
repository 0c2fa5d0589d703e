"""What the three sectors share: months, random streams, the filing store, names and codes,
cities, deposit times, labs and the truth rows.

A filing is held as ``{(unit_id, period): {parameter_code: Entry}}``; every value is
rounded to the decimals it is filed with (:data:`DECIMALS`) the moment it is stored, so
emissions computed afterwards from the store are computed from exactly what the export
says (the identities hold on the filed numbers, not on hidden unrounded ones).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from workbench import creditcode, schema
from workbench.ingest import divisions

YEAR = 2024
PERIODS = tuple(f"{YEAR}-{m:02d}" for m in range(1, 13))
DAYS = {p: calendar.monthrange(YEAR, int(p[5:]))[1] for p in PERIODS}

#: Decimals a value is filed with, in its canonical unit (by parameter code; others by
#: :func:`decimals`).
DECIMALS: dict[str, int] = {
    "oxidation_rate": 3, "ef_clinker_tco2_per_t": 4, "kiln_operating_days": 1,
    "clinker_electricity_kwh_per_t": 1, "anode_net_consumption_t_per_t": 4,
    "aem_min_per_cell_day": 4, "cells_in_operation": 0, "line_current_ka": 1,
    "avg_cell_voltage_v": 3, "current_efficiency_pct": 2, "ef_cf4_kg_per_t": 6,
    "ef_c2f6_kg_per_t": 7, "pfc_co2e_t": 3, "co2_t": 2, "gas_consumption_knm3": 3,
    "ncv_gj_per_knm3": 3, "ncv_gj_per_t": 3, "alt_fuel_ncv_gj_per_t": 3,
}


def decimals(code: str) -> int:
    """Decimals of ``code`` as filed (canonical unit)."""
    if code in DECIMALS:
        return DECIMALS[code]
    unit = schema.PARAMETERS[code].unit
    return {"t": 2, "万Nm3": 3, "GJ/t": 3, "GJ/万Nm3": 2, "tC/GJ": 5, "%": 2, "MWh": 3,
            "GJ": 1, "kWh/t": 1}.get(unit, 4)


#: Unit as filed (the platform's spelling) and filed value per canonical unit.
FILED_UNIT: dict[str, tuple[str, float]] = {
    "t": ("吨", 1.0), "万Nm3": ("万立方米", 1.0), "GJ/t": ("GJ/t", 1.0),
    "GJ/万Nm3": ("GJ/万Nm3", 1.0), "tC/GJ": ("tC/GJ", 1.0), "%": ("%", 1.0),
    "MWh": ("MWh", 1.0), "GJ": ("GJ", 1.0), "kWh/t": ("kWh/t", 1.0), "t/t": ("t/t", 1.0),
    "tCO2/t": ("tCO2/t", 1.0), "d": ("天", 1.0), "min/(cell·d)": ("分钟/(槽·日)", 1.0),
    "1": ("1", 1.0), "kA": ("kA", 1.0), "V": ("V", 1.0), "kg/t": ("kg/t", 1.0),
}
#: Parameters filed in another unit than the canonical one (the importer converts).
FILED_OVERRIDE: dict[str, tuple[str, float, int]] = {
    "oxidation_rate": ("%", 100.0, 1),
    "gas_consumption_knm3": ("万立方米", 0.1, 4),
    "ncv_gj_per_knm3": ("GJ/万Nm3", 10.0, 2),
    "co2_t": ("tCO2", 1.0, 2),
    "pfc_co2e_t": ("tCO2e", 1.0, 3),
}


@dataclass
class Entry:
    """One filed monthly value: value (canonical unit, rounded), source, lab report id."""

    value: float
    source: str = "measured"
    report_id: str = ""


@dataclass
class Filing:
    """The monthly values of one sector as filed, by (unit_id, period)."""

    rows: dict[tuple[str, str], dict[str, Entry]] = field(default_factory=dict)

    def put(self, unit: str, period: str, code: str, value: float, source: str = "measured",
            report_id: str = "") -> None:
        """Store ``value`` rounded to its filed decimals."""
        if code not in schema.PARAMETERS:
            raise KeyError(code)
        v = round(float(value), decimals(code))
        self.rows.setdefault((unit, period), {})[code] = Entry(v + 0.0, source, report_id)

    def get(self, unit: str, period: str, code: str, default: float = 0.0) -> float:
        """The filed value (``default`` where none is filed)."""
        e = self.rows.get((unit, period), {}).get(code)
        return default if e is None else e.value

    def has(self, unit: str, period: str, code: str) -> bool:
        return code in self.rows.get((unit, period), {})

    def drop(self, unit: str, period: str, code: str) -> None:
        self.rows.get((unit, period), {}).pop(code, None)

    def long(self, submitted: dict[tuple[str, str], datetime]) -> pd.DataFrame:
        """The monthly rows (canonical values), ``submitted`` per (unit, period)."""
        out = []
        for (unit, period), codes in self.rows.items():
            at = submitted[(unit, period)]
            for code, e in codes.items():
                out.append((unit, period, code, e.value, schema.PARAMETERS[code].unit,
                            e.source, e.report_id, at, 0))
        df = pd.DataFrame(out, columns=["unit_id", "period", "parameter_code", "value", "unit",
                                        "source_code", "report_id", "submitted_at",
                                        "revision"])
        return df.sort_values(["unit_id", "period", "parameter_code"]).reset_index(drop=True)


def streams(seed: int, sector: str, names: tuple[str, ...]) -> dict[str, np.random.Generator]:
    """One independent generator per stage of a sector (so injected problems never move
    the clean part of a set)."""
    tag = {"steel": 1, "cement": 2, "aluminium": 3, "shared": 4}[sector]
    return {n: np.random.default_rng([seed, tag, i]) for i, n in enumerate(names)}


# -- places and names ------------------------------------------------------------------------
PINYIN_PROVINCE = {"Hebei": "河北", "Shanxi": "山西", "Henan": "河南", "Shandong": "山东",
                   "Inner Mongolia": "内蒙古", "InnerMongolia": "内蒙古", "Anhui": "安徽"}


def prefectures(province: str) -> pd.DataFrame:
    """Prefecture-level cities of a province (city, code) from the importer's city list."""
    c = divisions.cities()
    return c[(c["province"] == province) & (c["level"] == "prefecture")][["city", "code"]]


def city_of(municipality: str, province: str, rng: np.random.Generator) -> tuple[str, str, bool]:
    """(city, 6-digit region code, matched) for a GEM municipality: the prefecture whose
    name, short form or pinyin it is (a county-level city maps to its parent prefecture),
    else a prefecture of the province drawn at random (matched False)."""
    c = divisions.cities()
    mine = c[c["province"] == province]
    key = divisions.city_key(str(municipality))
    for row in mine.itertuples(index=False):
        names = [row.city, *row.short.split("|"), *row.pinyin.split("|")]
        if key and key in {divisions.city_key(n) for n in names if n}:
            if row.level == "prefecture":
                return row.city, row.code, True
            if row.level == "county_city" and row.parent:
                par = mine[mine["city"] == row.parent]
                if len(par):
                    return row.parent, par["code"].iloc[0], True
    pref = prefectures(province)
    i = int(rng.integers(len(pref)))
    return pref["city"].iloc[i], pref["code"].iloc[i], False


def credit_code(region_code: str, rng: np.random.Generator) -> str:
    """A valid unified social credit code in ``region_code`` (district digits varied)."""
    region = region_code[:4] + f"{int(rng.integers(2, 30)):02d}"
    return creditcode.make_codes(rng, [region])[0]


BRAND = tuple("恒瑞丰鑫泰盛源通宏昌晟兴达润嘉弘汇众和信金冠华远祥")


def brand(rng: np.random.Generator, taken: set[str]) -> str:
    """A two-character invented brand not used yet."""
    while True:
        b = "".join(rng.choice(BRAND, 2, replace=False))
        if b not in taken:
            taken.add(b)
            return b


AGENCIES = ("衡正碳核查技术有限公司", "中核信认证有限公司", "绿标节能低碳评估中心",
            "远衡环境技术有限公司", "清源碳资产评估有限公司", "国鉴认证有限公司")


def short_city(city: str) -> str:
    for suffix in ("市", "地区", "盟"):
        if city.endswith(suffix) and len(city) > len(suffix) + 1:
            return city[: -len(suffix)]
    return city


# -- deposits and labs -----------------------------------------------------------------------
def month_end(period: str) -> datetime:
    return datetime(YEAR, int(period[5:]), DAYS[period])


#: Latest report date after month end, and the earliest deposit (a month's deposit waits
#: for its lab reports), days.
REPORT_BY_DAYS = 15
DEPOSIT_FROM_DAYS = 17


def deposit_times(ents: list[str], rng: np.random.Generator) -> dict[tuple[str, str], datetime]:
    """When each enterprise deposited each month: 17-36 days after month end (after its
    lab reports, within the 40-day window), office hours, to the second."""
    out = {}
    for e in ents:
        lag = rng.uniform(DEPOSIT_FROM_DAYS + 1, 32)
        for p in PERIODS:
            d = month_end(p) + timedelta(days=float(np.clip(lag + rng.normal(0, 3),
                                                            DEPOSIT_FROM_DAYS, 36)))
            d = d.replace(hour=int(rng.integers(8, 18)), minute=int(rng.integers(60)),
                          second=int(rng.integers(60)))
            out[(e, p)] = d
    return out


@dataclass
class Lab:
    """A laboratory: code, name, CMA number, turnaround (days), running counters."""

    code: str
    name: str
    cma: str
    turnaround: float
    counter: int = 0
    samples: int = 0


def make_lab(code: str, name: str, rng: np.random.Generator) -> Lab:
    cma = (f"{int(rng.integers(15, 24)):02d}{int(rng.integers(10, 65)):02d}"
           f"{int(rng.integers(10**8)):08d}")
    return Lab(code, name, cma, float(rng.uniform(2, 8)), int(rng.integers(20, 400)),
               int(rng.integers(100, 3000)))


def lab_report(lab: Lab, enterprise_id: str, unit_id: str, period: str, sample_type: str,
               rng: np.random.Generator, **results) -> dict:
    """A monthly composite sample's report: sampled over the month, received 1-5 days
    after month end, tested, reported after the lab's turnaround; numbered in the lab's
    running series (other clients' reports in between)."""
    first = datetime(YEAR, int(period[5:]), 1)
    end = month_end(period)
    received = end + timedelta(days=int(rng.integers(1, 6)))
    test = received + timedelta(days=int(rng.integers(0, 3)))
    report = test + timedelta(days=int(max(1, round(lab.turnaround + rng.normal(0, 1)))))
    report = min(report, end + timedelta(days=REPORT_BY_DAYS))
    lab.counter += int(rng.integers(1, 12))
    lab.samples += int(rng.integers(1, 30))
    row = {"report_id": f"{lab.code}-{YEAR}-{lab.counter:05d}", "enterprise_id": enterprise_id,
           "unit_id": unit_id, "lab_name": lab.name, "lab_accreditation_no": lab.cma,
           "sample_id": f"{lab.code}-{YEAR % 100}S{lab.samples:05d}", "covered_period": period,
           "sampling_start_date": first, "sampling_end_date": end, "received_date": received,
           "test_date": test, "report_date": report, "sample_type_code": sample_type}
    row.update(results)
    return row


def coal_sample(rng: np.random.Generator, qgr_ad: float, c_ad: float, mt: float
                ) -> dict[str, float]:
    """A coal analysis whose as-received NCV and carbon follow from the air-dried results
    (GB/T 213: Qnet,ar = (Qgr,ad − 0.206 H_ad) × (100 − Mt)/(100 − Mad) − 0.023 Mt;
    C_ar = C_ad × (100 − Mt)/(100 − Mad)); values rounded as labs report them."""
    mad = round(float(rng.uniform(0.8, 2.5)), 2)
    had = round(float(rng.uniform(3.2, 4.2)), 2)
    qgr = round(qgr_ad, 3)
    c = round(c_ad, 2)
    mt = round(mt, 1)
    ncv = round((qgr - 0.206 * had) * (100 - mt) / (100 - mad) - 0.023 * mt, 3)
    car = round(c * (100 - mt) / (100 - mad), 2)
    return {"carbon_ad_pct": c, "total_moisture_pct": mt, "moisture_ad_pct": mad,
            "hydrogen_ad_pct": had, "sulfur_total_pct": round(float(rng.uniform(0.4, 1.4)), 2),
            "gross_cv_ad_mj_per_kg": qgr, "ncv_ar_gj_per_t": ncv, "carbon_ar_pct": car}


def coal_cc(sample: dict[str, float]) -> float:
    """Carbon per unit heat of a coal report (tC/GJ) = C_ar/100 / NCV_ar."""
    return sample["carbon_ar_pct"] / 100.0 / sample["ncv_ar_gj_per_t"]


# -- truth -----------------------------------------------------------------------------------
TRUTH_COLUMNS = ("kind", "enterprise_id", "unit_id", "period", "parameter_code")


@dataclass
class Truth:
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    #: kind -> mechanism and magnitudes drawn (for build.json)
    detail: list[dict] = field(default_factory=list)

    def add(self, kind: str, ent: str, unit: str, period: str, code: str) -> None:
        self.rows.append((kind, ent, unit, period, code))

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=list(TRUTH_COLUMNS)).drop_duplicates()
        return df.sort_values(list(TRUTH_COLUMNS)).reset_index(drop=True)


def plan_problems(ents: list[str], kinds: tuple[str, ...], rate: float,
                  rng: np.random.Generator, eligible=None) -> dict[str, str]:
    """Enterprise -> kind for round(rate × n) enterprises, one kind each (problem
    enterprise-months are disjoint between kinds).

    Kinds are served first, the one with the fewest eligible enterprises
    (``eligible(enterprise, kind)``) first, each taking a random eligible enterprise not
    yet taken, so every kind appears when there are enough problem enterprises; the
    remaining places go to random enterprises, each with its least-used eligible kind."""
    ok = eligible or (lambda e, k: True)
    n = int(round(rate * len(ents)))
    shuffled = [kinds[i] for i in rng.permutation(len(kinds))]
    order = sorted(shuffled, key=lambda k: sum(ok(e, k) for e in ents))
    out: dict[str, str] = {}
    for k in order:
        if len(out) >= n:
            break
        free = [e for e in ents if e not in out and ok(e, k)]
        if free:
            out[free[int(rng.integers(len(free)))]] = k
    used = {k: sum(v == k for v in out.values()) for k in kinds}
    for i in rng.permutation(len(ents)):
        if len(out) >= n:
            break
        e = ents[i]
        if e in out:
            continue
        fits = [k for k in shuffled if ok(e, k)]
        if fits:
            k = min(fits, key=lambda k: used[k])
            used[k] += 1
            out[e] = k
    return dict(sorted(out.items()))


def run_of_months(rng: np.random.Generator, low: int, high: int) -> list[str]:
    """A run of consecutive months of length low..high."""
    n = int(rng.integers(low, high + 1))
    start = int(rng.integers(0, 12 - n + 1))
    return list(PERIODS[start:start + n])


def pick_months(rng: np.random.Generator, months: list[str], low: int, high: int) -> list[str]:
    """A run of consecutive months of ``months`` (low..high long, at most all of them)."""
    n = min(len(months), int(rng.integers(low, high + 1)))
    start = int(rng.integers(0, len(months) - n + 1))
    return months[start:start + n]
