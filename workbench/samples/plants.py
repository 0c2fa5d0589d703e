"""Master data for the sample generator, built on real Chinese power plants.

Plants come from the WRI Global Power Plant Database, China source table
(CC BY 4.0, World Resources Institute): 1,071 coal and gas plants with name,
capacity, location and owner.  This module turns them into the contract's
``enterprises`` and ``units``:

* province from the free-text location, else from the nearest plant whose
  province is known (latitude/longitude); city likewise, written as its official
  Chinese name (南京市) from the administrative divisions (:mod:`workbench.ingest.divisions`;
  romanised names the table does not know are mapped by ``_CITY_FIXES``);
* the enterprise's name in Chinese from the plant's owner group and places
  (:mod:`workbench.samples.names_zh`: 大唐南京发电有限公司);
* plants split into units of realistic sizes for their capacity, each unit
  classed into the four allocation categories (coal_gt300, coal_le300,
  coal_unconventional, gas);
* a plant becomes one enterprise, or at national scale several (phase I/II/...)
  when the plant has enough units; capacity is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import creditcode
from workbench.samples.names_zh import city_zh, enterprise_names

DATA = Path(__file__).with_name("data")

#: Province: (zh name, GB/T 2260 two-digit code, north = heating season with CHP heat,
#: dry = mostly air-cooled units).
PROVINCES: dict[str, tuple[str, str, bool, bool]] = {
    "Beijing": ("北京", "11", True, False), "Tianjin": ("天津", "12", True, False),
    "Hebei": ("河北", "13", True, False), "Shanxi": ("山西", "14", True, True),
    "Inner Mongolia": ("内蒙古", "15", True, True), "Liaoning": ("辽宁", "21", True, False),
    "Jilin": ("吉林", "22", True, False), "Heilongjiang": ("黑龙江", "23", True, False),
    "Shanghai": ("上海", "31", False, False), "Jiangsu": ("江苏", "32", False, False),
    "Zhejiang": ("浙江", "33", False, False), "Anhui": ("安徽", "34", False, False),
    "Fujian": ("福建", "35", False, False), "Jiangxi": ("江西", "36", False, False),
    "Shandong": ("山东", "37", True, False), "Henan": ("河南", "41", True, False),
    "Hubei": ("湖北", "42", False, False), "Hunan": ("湖南", "43", False, False),
    "Guangdong": ("广东", "44", False, False), "Guangxi": ("广西", "45", False, False),
    "Hainan": ("海南", "46", False, False), "Chongqing": ("重庆", "50", False, False),
    "Sichuan": ("四川", "51", False, False), "Guizhou": ("贵州", "52", False, False),
    "Yunnan": ("云南", "53", False, False), "Tibet": ("西藏", "54", False, True),
    "Shaanxi": ("陕西", "61", True, True), "Gansu": ("甘肃", "62", True, True),
    "Qinghai": ("青海", "63", True, True), "Ningxia": ("宁夏", "64", True, True),
    "Xinjiang": ("新疆", "65", True, True),
}
_MISSPELT = {"Bejing": "Beijing", "Shaanxi Province": "Shaanxi"}
_EXCLUDED_LOCATIONS = ("Hong Kong", "Macau", "Taiwan")
PHASES = ("", "一期", "二期", "三期", "四期")


@dataclass(frozen=True)
class MasterData:
    """Enterprises and units in contract form, plus generator-only attributes.

    ``units`` carries extra columns used by the filing generator (``province``,
    ``is_north``); they are dropped before writing.
    """

    enterprises: pd.DataFrame
    units: pd.DataFrame


def load_plants() -> pd.DataFrame:
    """The real coal and gas plants with a province and city assigned."""
    p = pd.read_csv(DATA / "gppd_china_coal_gas.csv")
    p = p[p["status"].fillna("Operational").isin(["Operational"])]
    loc = p["location"].fillna("")
    p = p[~loc.str.contains("|".join(_EXCLUDED_LOCATIONS))].copy()
    p["province"] = p["location"].fillna("").map(_province_of)
    p["city"] = p["location"].fillna("").map(_city_of)
    p = _fill_by_nearest(p, "province")
    p = _fill_by_nearest(p, "city", within="province")
    return p.sort_values("wri_plant_id").reset_index(drop=True)


def _province_of(location: str) -> str | None:
    for wrong, right in _MISSPELT.items():
        location = location.replace(wrong, right)
    found = [name for name in PROVINCES if re.search(rf"\b{name}\b", location, re.IGNORECASE)]
    if "Shaanxi" in found:
        return "Shaanxi"
    return found[0] if found else None


_CITY = re.compile(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:City|city|Prefecture|prefecture)")
#: Names the pattern takes from a location that are not a city the import accepts for the
#: province (``import`` checks cities against the divisions): the words before
#: "Autonomous Prefecture", a place that is now a district or county (its prefecture
#: instead), a misreading.
_CITY_FIXES = {"Hui Autonomous": "Changji", "Kazakh Autonomous": "Ili",
               "Mongol Autonomous": "Bayingolin", "Northern Shihezi": "Shihezi",
               "Gaocheng": "Shijiazhuang", "Huantai": "Zibo", "Leqing": "Yueqing"}
#: City of a plant whose province has no located plant to borrow one from.
_CAPITALS = {"Sichuan": "Chengdu"}


def _city_of(location: str) -> str | None:
    m = _CITY.search(location)
    if m and m.group(1) not in PROVINCES:
        return _CITY_FIXES.get(m.group(1), m.group(1))
    return None


def _fill_by_nearest(p: pd.DataFrame, col: str, within: str | None = None) -> pd.DataFrame:
    """Fill missing ``col`` from the nearest plant (great-circle proxy) that has it."""
    known = p[p[col].notna() & p["latitude"].notna()]
    missing = p.index[p[col].isna()]
    for i in missing:
        pool = known if within is None else known[known[within] == p.at[i, within]]
        if pool.empty or pd.isna(p.at[i, "latitude"]):
            p.at[i, col] = _CAPITALS.get(p.at[i, within], p.at[i, within]) if within else None
            continue
        d = ((pool["latitude"] - p.at[i, "latitude"]) ** 2
             + ((pool["longitude"] - p.at[i, "longitude"])
                * np.cos(np.radians(p.at[i, "latitude"]))) ** 2)
        p.at[i, col] = pool.loc[d.idxmin(), col]
    return p.dropna(subset=[col])


def unit_sizes(capacity_mw: float, is_gas: bool, rng: np.random.Generator) -> list[float]:
    """Split a plant's capacity into units of a size typical for that plant size (MW)."""
    if is_gas:
        size = 390.0 if capacity_mw >= 700 else max(capacity_mw / 2, 50.0)
    elif capacity_mw >= 3000:
        size = rng.choice([660.0, 1000.0])
    elif capacity_mw >= 1200:
        size = rng.choice([600.0, 660.0])
    elif capacity_mw >= 600:
        size = rng.choice([300.0, 330.0, 350.0])
    elif capacity_mw >= 250:
        size = rng.choice([125.0, 135.0, 150.0])
    else:
        size = 50.0
    n = max(1, int(round(capacity_mw / size)))
    return [round(capacity_mw / n, 1)] * n


def build_master_data(plants: pd.DataFrame, rng: np.random.Generator,
                      n_enterprises: int | None) -> MasterData:
    """Make enterprises and units from ``plants``.

    With ``n_enterprises`` larger than the number of plants, plants with several
    units are split into phases (一期, 二期, ...) until the target is met, so
    total capacity stays the real capacity.
    """
    plan = []
    for row in plants.itertuples():
        is_gas = row.fuel != "Coal"
        plan.append((row, unit_sizes(float(row.capacity_mw), is_gas, rng)))
    phases = np.ones(len(plan), dtype=int)
    if n_enterprises and n_enterprises > len(plan):
        n_units = np.array([len(u) for _, u in plan])
        order = np.argsort(-n_units, kind="stable")
        while phases.sum() < n_enterprises:
            grew = False
            for i in order:
                if phases[i] < min(n_units[i], len(PHASES) - 1):
                    phases[i] += 1
                    grew = True
                    if phases.sum() >= n_enterprises:
                        break
            if not grew:
                raise ValueError(f"cannot make {n_enterprises} enterprises from these plants")
    ent_rows, unit_rows = [], []
    for (row, sizes), k in zip(plan, phases, strict=True):
        groups = np.array_split(np.arange(len(sizes)), k)
        for phase, members in enumerate(groups, start=1 if k > 1 else 0):
            ent_rows.append(_enterprise(row, PHASES[phase]))
            for j in members:
                unit_rows.append(_unit(row, len(ent_rows) - 1, int(j), sizes[j], rng))
    ents = pd.DataFrame(ent_rows)
    ents["enterprise_name"] = enterprise_names(ents.rename(columns={"plant_name": "name"}),
                                               list(ents.pop("phase")))
    ents["city"] = [city_zh(p, c) for p, c in zip(ents["province"], ents["city"],
                                                   strict=True)]
    ents = ents.drop(columns=["plant_name", "owner", "fuel"])
    region = [PROVINCES[p][1] + f"{rng.integers(1, 20):02d}{rng.integers(0, 30):02d}"
              for p in ents["province_en"]]
    ents["enterprise_id"] = creditcode.make_codes(rng, region)
    units = pd.DataFrame(unit_rows)
    units["enterprise_id"] = ents["enterprise_id"].to_numpy()[units.pop("ent_idx").to_numpy()]
    units["unit_id"] = units["enterprise_id"].str[-6:] + "-U" + units["unit_no"].astype(str)
    dup = units["unit_id"].duplicated(keep=False)
    units.loc[dup, "unit_id"] = units.loc[dup, "enterprise_id"] + "-U" + units.loc[dup, "unit_no"]\
        .astype(str)
    units = units.drop(columns="unit_no")
    return MasterData(ents, units)


def _enterprise(row, phase: str) -> dict:
    """The enterprise of one plant (phase): its Chinese name is given once every plant is
    known (:func:`workbench.samples.names_zh.enterprise_names` keeps names unique)."""
    return {"plant_name": row.name, "owner": row.owner, "fuel": row.fuel, "phase": phase,
            "province": PROVINCES[row.province][0], "province_en": row.province,
            "city": row.city, "industry_code": "power", "wri_plant_id": row.wri_plant_id,
            "latitude": row.latitude, "longitude": row.longitude}


def _unit(row, ent_idx: int, j: int, size: float, rng: np.random.Generator) -> dict:
    is_gas = row.fuel != "Coal"
    tech = str(row.technology or "").lower()
    north, dry = PROVINCES[row.province][2], PROVINCES[row.province][3]
    if is_gas:
        category, fuel = "gas", "natural_gas"
    elif "cfb" in tech or "fluidi" in tech or (size <= 150 and rng.random() < 0.35):
        category, fuel = "coal_unconventional", "gangue_coal"
    else:
        category, fuel = ("coal_gt300" if size >= 600 else "coal_le300"), "coal"
    chp_p = (0.55 if north else 0.2) if size <= 350 else (0.3 if north else 0.05)
    year = row.commissioning_year
    if pd.isna(year):
        year = int(rng.integers(1995, 2020))
    return {"ent_idx": ent_idx, "unit_no": j + 1, "unit_category_code": category,
            "capacity_mw": size, "fuel_code": fuel, "is_chp": bool(rng.random() < chp_p),
            "cooling_code": "air" if (dry and rng.random() < 0.8) else "water",
            "commissioning_year": min(int(year) + 2 * j, 2022),
            "province": row.province, "is_north": north}
