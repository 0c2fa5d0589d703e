"""What the sector generators share: places and codes of enterprises, the month frame,
deposit times, the long form of monthly parameters, lab numbering and problem targets.

Cities come from the real places a name mentions (唐山, 武安) or, failing that, from the
nearest real power plant of the same province (:func:`workbench.samples.plants.load_plants`),
so every city is a division of its province that the import accepts.  Credit codes are
valid GB 32100 codes whose region is the city's GB/T 2260 code.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from workbench import creditcode, schema
from workbench.ingest.divisions import cities, city_key
from workbench.samples import plants as power_plants
from workbench.samples import workflow

#: Levels of a division that the import accepts as a city (the four municipalities' own
#: districts included).
_CITY_LEVELS = ("prefecture", "county_city", "municipal_district")
#: pandas' text dtype as the power generator writes it (missing = NaN).
STR = pd.StringDtype(na_value=np.nan)


def province_zh(province: str | None) -> str | None:
    """The Chinese short name of a province given in Chinese (江苏) or English (Jiangsu)."""
    if province is None:
        return None
    for en, (zh, *_rest) in power_plants.PROVINCES.items():
        if province in (en, zh) or city_key(province) == city_key(en):
            return zh
    raise KeyError(f"unknown province {province!r}")


def province_en(zh: str) -> str:
    """The English name of a province's Chinese short name."""
    return {v[0]: k for k, v in power_plants.PROVINCES.items()}[zh]


@cache
def _divisions() -> pd.DataFrame:
    d = cities()
    d = d[d["level"].isin(_CITY_LEVELS)].copy()
    d["short1"] = d["short"].fillna("").str.split("|").str[0]
    return d


@cache
def _power_cities() -> pd.DataFrame:
    """The real power plants with their province (zh), official city and coordinates."""
    p = power_plants.load_plants()
    p = p.dropna(subset=["latitude", "longitude"])
    from workbench.samples.names_zh import city_zh

    return pd.DataFrame({
        "province": p["province"].map(lambda x: power_plants.PROVINCES[x][0]),
        "city": [city_zh(pr, c) for pr, c in zip(p["province"].map(
            lambda x: power_plants.PROVINCES[x][0]), p["city"], strict=True)],
        "lat": p["latitude"].to_numpy(float), "lon": p["longitude"].to_numpy(float)})


def valid_city(province: str, city: str) -> bool:
    """Whether ``city`` names a division of ``province`` the import accepts."""
    d = _divisions()
    d = d[d["province"] == province]
    return city in set(d["city"])


def city_in_text(province: str, texts: list[str]) -> str | None:
    """The official name of the first division of ``province`` whose short form (or full
    name) the Chinese ``texts`` mention, longest names first (武安 before 安)."""
    d = _divisions()
    d = d[d["province"] == province]
    names = sorted(((n, c) for c, s in zip(d["city"], d["short1"], strict=True)
                    for n in {c, s} if isinstance(n, str) and len(n) >= 2),
                   key=lambda x: -len(x[0]))
    for text in texts:
        if not isinstance(text, str):
            continue
        for name, city in names:
            if name in text:
                return city
    return None


def city_by_pinyin(province: str, word: str) -> str | None:
    """The official name of a division of ``province`` whose pinyin is ``word``."""
    if not isinstance(word, str) or not word.isascii():
        return None
    key = city_key(word)
    d = _divisions()
    d = d[d["province"] == province]
    for city, pinyin in zip(d["city"], d["pinyin"].fillna(""), strict=True):
        if key and key in {city_key(p) for p in pinyin.split("|") if p}:
            return city
    return None


def nearest_city(province: str, lat: float, lon: float, rng: np.random.Generator) -> str:
    """The city of the real power plant of ``province`` nearest to (lat, lon); a random
    plant's city when the coordinates are missing."""
    pool = _power_cities()
    pool = pool[pool["province"] == province]
    pool = pool[[valid_city(province, c) for c in pool["city"]]]
    if pool.empty:
        return _divisions().query("province == @province")["city"].iloc[0]
    if not np.isfinite(lat) or not np.isfinite(lon):
        return str(pool["city"].iloc[int(rng.integers(len(pool)))])
    d = (pool["lat"] - lat) ** 2 + ((pool["lon"] - lon) * np.cos(np.radians(lat))) ** 2
    return str(pool.loc[d.idxmin(), "city"])


def random_cities(province: str, n: int, rng: np.random.Generator) -> list[str]:
    """``n`` cities of ``province`` drawn from its real power plants (industry sits where
    power plants are), each a division the import accepts."""
    pool = _power_cities()
    pool = [c for c in pool.loc[pool["province"] == province, "city"] if valid_city(province, c)]
    if not pool:
        pool = list(_divisions().query("province == @province and level == 'prefecture'")
                    ["city"])
    return [str(pool[i]) for i in rng.integers(0, len(pool), n)]


def short_city(province: str, city: str) -> str:
    """The short form of a city (南京市 -> 南京)."""
    d = _divisions()
    hit = d[(d["province"] == province) & (d["city"] == city)]
    return str(hit["short1"].iloc[0]) if len(hit) and hit["short1"].iloc[0] else city


def region_codes(province: str, cities_: list[str]) -> list[str]:
    """The GB/T 2260 code of each city (a municipality district: its own code)."""
    d = _divisions()
    d = d[d["province"] == province].drop_duplicates("city").set_index("city")
    prov = power_plants.PROVINCES[province_en(province)][1] + "0000"
    out = []
    for c in cities_:
        code = str(d.at[c, "code"]) if c in d.index else ""
        parent = d.at[c, "parent"] if c in d.index else ""
        if not code.strip() and isinstance(parent, str) and parent in d.index:
            code = str(d.at[parent, "code"])
        code = code.split(".")[0].strip()
        out.append(code if re.fullmatch(r"\d{6}", code) else prov)
    return out


def enterprise_ids(rng: np.random.Generator, provinces: list[str], cities_: list[str]
                   ) -> list[str]:
    """Valid, distinct credit codes whose region is each enterprise's city."""
    regions = []
    for p, c in zip(provinces, cities_, strict=True):
        regions.extend(region_codes(p, [c]))
    out = creditcode.make_codes(rng, regions)
    tails: set[str] = set()
    for i, code in enumerate(out):
        while code[-6:] in tails:          # unit ids are built from the last six
            code = creditcode.make_codes(rng, [regions[i]])[0]
        tails.add(code[-6:])
        out[i] = code
    return out


def enterprises(names, provinces, cities_, industry: str, rng: np.random.Generator
                ) -> pd.DataFrame:
    """The enterprises table of one sector: credit codes of their cities
    (:func:`enterprise_ids`), names, places, industry, and verification agencies assigned
    as the power generator assigns them."""
    ents = pd.DataFrame({"enterprise_id": enterprise_ids(rng, list(provinces), list(cities_)),
                         "enterprise_name": list(names), "province": list(provinces),
                         "city": list(cities_), "industry_code": industry})
    ents["verifier_name"] = workflow.assign_verifiers(ents, rng).to_numpy()
    return ents


def deposit_times(w: pd.DataFrame, rng: np.random.Generator, after: pd.Series | None = None
                  ) -> pd.Series:
    """When each enterprise-month of ``w`` was deposited: 3 to 39 days after month end
    (the 40-day deadline, 环办气候函〔2022〕111号), after ``after`` (a lab report date) where
    given, at an office hour."""
    n = len(w)
    end = w["month_end"]
    earliest = end + pd.Timedelta(days=3)
    if after is not None:
        earliest = pd.concat([earliest, after + pd.Timedelta(days=1)], axis=1).max(axis=1)
    latest = end + pd.Timedelta(days=39)
    span = (latest - earliest).dt.days.clip(lower=0).to_numpy()
    day = earliest + pd.to_timedelta((rng.random(n) * (span + 1)).astype(int).clip(max=span),
                                     unit="D")
    return day + pd.to_timedelta(rng.integers(8 * 3600, 20 * 3600, n), unit="s")


def lab_dates(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Sampling over the month, receipt 1–6 days after, test 0–4 days later, report 1–5
    days after the test (the power generator's schedule)."""
    n = len(w)
    start = pd.to_datetime(w["period"] + "-01")
    received = w["month_end"] + pd.to_timedelta(rng.integers(1, 7, n), unit="D")
    test = received + pd.to_timedelta(rng.integers(0, 5, n), unit="D")
    report = test + pd.to_timedelta(rng.integers(1, 6, n), unit="D")
    return pd.DataFrame({"sampling_start_date": start, "sampling_end_date": w["month_end"],
                         "received_date": received, "test_date": test,
                         "report_date": report}, index=w.index)


def assign_labs(w: pd.DataFrame, ents: pd.DataFrame, what: str, tag: str,
                rng: np.random.Generator) -> pd.DataFrame:
    """Lab name, CMA number, report and sample numbers for the lab rows of ``w`` (one per
    facility-month, dates from :func:`lab_dates`): a few labs of ``what`` (建材 / 炭素) per
    province, numbered as the power generator numbers coal labs."""
    prov = ents.set_index("enterprise_id")["province"]
    code = prov.map(lambda p: power_plants.PROVINCES[province_en(p)][1])
    labs: dict[str, list[tuple[str, str, str]]] = {}
    for p, c in zip(prov, code, strict=True):
        if p not in labs:
            k_max = max(2, int((prov == p).sum() // 12))
            labs[p] = [(f"{p}{what}检测中心第{k + 1}实验室",
                        f"{19 + k % 5}{c}{rng.integers(10**7, 10**8)}",
                        f"{tag}{c}{k + 1:02d}") for k in range(k_max)]
    ent_lab = {e: labs[prov[e]][int(rng.integers(len(labs[prov[e]])))] for e in prov.index}
    lab = w["enterprise_id"].map(ent_lab)
    w = w.copy()
    w["lab_name"] = lab.map(lambda x: x[0])
    w["lab_accreditation_no"] = lab.map(lambda x: x[1])
    w["lab_code"] = lab.map(lambda x: x[2])
    return workflow.renumber_reports(w, rng)


def long_rows(w: pd.DataFrame, spec: list[tuple[str, str, object]]) -> pd.DataFrame:
    """Monthly parameter rows (revision 0) of the facility-months of ``w``: ``spec`` lists
    (parameter code, column of ``w``, source code or a column of ``w`` holding it); a
    missing value is not filed.  ``w`` holds ``unit_id``, ``period``, ``submitted_at`` and
    ``report_id`` (linked to the rows whose source is measured and whose code ends in
    ``_pct``/``ef_clinker``, see the sector modules)."""
    frames = []
    for code, column, source in spec:
        if column not in w.columns:
            continue
        v = w[column]
        keep = v.notna().to_numpy()
        if not keep.any():
            continue
        sub = w.loc[keep]
        src = (sub[source] if isinstance(source, str) and source in w.columns
               else pd.Series(source, index=sub.index))
        rep_col = f"report_{code}"
        report = (sub[rep_col] if rep_col in sub.columns
                  else pd.Series(pd.NA, index=sub.index, dtype=object))
        frames.append(pd.DataFrame({
            "unit_id": sub["unit_id"].to_numpy(), "period": sub["period"].to_numpy(),
            "parameter_code": code, "value": v[keep].astype(float).to_numpy(),
            "unit": schema.PARAMETERS[code].unit, "source_code": src.to_numpy(),
            "report_id": report.astype(object).to_numpy(),
            "submitted_at": sub["submitted_at"].to_numpy(), "revision": 0}))
    if not frames:
        return pd.DataFrame(columns=["unit_id", "period", "parameter_code", "value", "unit",
                                     "source_code", "report_id", "submitted_at", "revision"])
    return pd.concat(frames, ignore_index=True)


def pick_targets(keys: pd.DataFrame, eligible: np.ndarray, rate: float, n_kinds: int,
                 used: set, rng: np.random.Generator, max_run: int = 3) -> pd.Index:
    """Rows of ``keys`` (columns enterprise_id, period; one per facility-month or
    enterprise-month, in period order within an enterprise) to inject one kind into.

    About ``rate / n_kinds`` of the eligible enterprises (at least one when ``rate`` > 0),
    each for a run of 1..``max_run`` consecutive months; an enterprise-month already
    ``used`` by another kind is avoided so that each kind's effect stays its own.
    """
    if rate <= 0:
        return pd.Index([])
    ents = np.unique(keys.loc[eligible, "enterprise_id"].to_numpy())
    if len(ents) == 0:
        return pd.Index([])
    n = int(min(len(ents), max(1, round(rate * len(ents) / n_kinds))))
    chosen = rng.choice(ents, n, replace=False)
    periods = np.sort(keys["period"].unique())
    out = []
    for e in sorted(chosen):
        free = [p for p in periods if (e, p) not in used]
        if not free:
            continue
        run = int(rng.integers(1, max_run + 1))
        start = int(rng.integers(0, max(1, len(free) - run + 1)))
        months = set(free[start:start + run])
        used.update((e, p) for p in months)
        hit = eligible & (keys["enterprise_id"] == e).to_numpy() & \
            keys["period"].isin(months).to_numpy()
        out.extend(keys.index[hit])
    return pd.Index(out)


def truth_rows(kind: str, w: pd.DataFrame, rows: pd.Index, unit_col: str,
               codes: tuple[str, ...]) -> list[tuple[str, str, str, str, str]]:
    """Truth entries (kind, enterprise, unit, period, parameter) of the ``rows`` of ``w``."""
    out = []
    for i in rows:
        for code in codes:
            out.append((kind, w.at[i, "enterprise_id"], w.at[i, unit_col], w.at[i, "period"],
                        code))
    return out


#: Text columns the power generator leaves to ``frame_of`` (its nullable ``string``).
_SECTOR_ONLY = ("clinker_type_code", "original_unit")


def conform(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table in contract order via ``frame_of``, with the dtypes the power generator
    writes: text as ``str`` (a column only these sectors fill as ``frame_of`` makes it),
    timestamps and dates as ``datetime64[us]``, the monthly
    report number as objects; empty power-only columns keep their nullable dtype."""
    spec = {"enterprises": schema.ENTERPRISES, "units": schema.UNITS,
            "monthly_parameters": schema.MONTHLY_PARAMETERS, "lab_reports": schema.LAB_REPORTS}
    out = {}
    for name, table in spec.items():
        df = table.frame_of(tables[name].reset_index(drop=True))
        for c in table.columns:
            s = df[c.name]
            if c.kind in ("str", "period") and c.name in _SECTOR_ONLY:
                df[c.name] = s.astype(object).where(s.notna(), pd.NA).astype("string")
            elif c.kind in ("str", "period"):
                df[c.name] = s.astype(object).where(s.notna(), np.nan).astype(STR)
            elif c.kind in ("date", "timestamp"):
                df[c.name] = pd.to_datetime(s).astype("datetime64[us]")
            elif c.kind == "float":
                df[c.name] = s.astype("float64")
            elif c.kind == "int" and s.notna().all() and len(s):
                df[c.name] = s.astype("int64") if c.name != "cells" else s.astype("Int64")
            elif c.kind == "int":
                df[c.name] = s.astype("Int64")
        if name == "monthly_parameters":
            df["report_id"] = df["report_id"].astype(object).where(df["report_id"].notna(),
                                                                   pd.NA)
        out[name] = df
    return out
