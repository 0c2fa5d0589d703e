"""Chinese enterprises and units made from the pool of real US units.

One US plant becomes one enterprise with its units; when more enterprises are
asked for than there are plants, the plants with most units are split into
phases (一期, 二期, ...), each its own enterprise, as many Chinese plants are.
The province follows the plant's US state (:mod:`.geography`); city, name,
unified social credit code, CHP status, cooling and each unit's typical coal
quality, own-use rate and load are drawn here (all from the seeded ``rng``).

CHP (README.md "CHP"): in the heating provinces a share of enterprises supply
district heat in the heating season (a few supply industrial steam instead);
southern CHP enterprises supply steady industrial steam all year.  Heat rate at
full heating load: district 0.6-1.5 GJ/h per MW of capacity, steam 0.15-0.6;
electricity given up per MWh of heat extracted (β): district 0.20-0.28 (low-
pressure extraction), steam 0.28-0.38 (higher-pressure extraction).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarks.realset import coal, geography
from benchmarks.realset.units import OWN_USE_MAX, Pool
from workbench import creditcode

PHASES = ("一期", "二期", "三期", "四期", "五期", "六期")
_BRAND_CHARS = tuple("恒瑞丰鑫泰盛源通宏昌晟兴达润嘉弘汇众和信")
_AGENCY_HEADS = ("衡正", "碳衡", "中核信", "绿标", "远衡", "清源", "国鉴", "华衡", "北测", "南核")
_AGENCY_TAILS = ("碳核查技术有限公司", "认证有限公司", "节能低碳评估中心", "环境技术有限公司")
_DISTRICTS = ("02", "03", "04", "05", "21", "22", "23", "24", "81", "82")
_MUNICIPAL_DISTRICTS = ("05", "06", "08", "11", "12", "13", "14", "15", "16")
#: Typical average load while running (share of capacity) by technology: assumption.
LOAD_RUN = {"coal_steam": (0.66, 0.86), "gas_cc": (0.55, 0.82), "gas_steam": (0.45, 0.70)}
#: Chinese pipeline gas net calorific value (GJ/knm3 = MJ/Nm3): unit mean and spread.
GAS_NCV = (35.8, 0.6)


@dataclass(frozen=True)
class Master:
    """Enterprises and units in contract form plus build-only attributes.

    ``enterprises`` adds ``province_code``, ``season`` and ``orispl``; ``units``
    adds the real unit's identity and everything :mod:`.months` needs (load,
    own-use rate, heat supply, coal quality...).
    """

    enterprises: pd.DataFrame
    units: pd.DataFrame


def _phases(sizes: pd.Series, n: int) -> pd.Series:
    """How many enterprises each plant becomes so there are ``n`` in all (ValueError if not)."""
    phases = pd.Series(1, index=sizes.index)
    if n <= len(sizes):
        return phases
    if n > sizes.sum():
        raise ValueError(f"asked for {n} enterprises, the real units allow at most {sizes.sum()}")
    order = sizes.sort_values(ascending=False, kind="stable").index
    while phases.sum() < n:
        for plant in order:
            if phases[plant] < min(sizes[plant], len(PHASES)) and phases.sum() < n:
                phases[plant] += 1
    return phases


def _choose_plants(pool: Pool, n_enterprises: int, gas_share: float,
                   rng: np.random.Generator) -> list[tuple[int, int, np.ndarray]]:
    """(plant, phase number, unit rows) per enterprise; phase 0 = plant not split."""
    units = pool.units
    out = []
    n_gas = int(round(n_enterprises * gas_share))
    for family, n in (("coal", n_enterprises - n_gas), ("gas", n_gas)):
        sizes = units[units["family"] == family].groupby("orispl").size()
        plants = rng.permutation(sizes.index.to_numpy())
        if n <= len(plants):
            plants = np.sort(plants[:n])
        phases = _phases(sizes.loc[plants], n)
        for plant in np.sort(plants):
            rows = units.index[units["orispl"] == plant].to_numpy()
            k = int(phases[plant])
            for j, part in enumerate(np.array_split(rows, k)):
                out.append((int(plant), j + 1 if k > 1 else 0, part))
    return out


def _brands(n: int, rng: np.random.Generator) -> list[str]:
    pairs = [a + b for a in _BRAND_CHARS for b in _BRAND_CHARS if a != b]
    return [pairs[i] for i in rng.choice(len(pairs), n, replace=False)]


def _enterprise_rows(pool: Pool, plan: list[tuple[int, int, np.ndarray]],
                     rng: np.random.Generator) -> pd.DataFrame:
    """One row per enterprise; the phases of one plant share its site (province, city, region)."""
    units = pool.units
    rows, sites = [], {}
    for plant, phase, members in plan:
        u = units.loc[members[0]]
        province = geography.province_of(u["state"], u["family"])
        if plant not in sites:
            city, city_code = geography.CITIES[province][int(rng.integers(len(
                geography.CITIES[province])))]
            pool_d = _MUNICIPAL_DISTRICTS if province in ("北京", "天津") else _DISTRICTS
            sites[plant] = (city, geography.PROVINCES[province][0] + city_code
                            + str(rng.choice(pool_d)))
        city, region = sites[plant]
        rows.append({"orispl": plant, "phase": phase, "family": u["family"],
                     "province": province, "city": city, "region": region,
                     "province_code": geography.PROVINCES[province][0],
                     "season": geography.season_group(province)})
    ents = pd.DataFrame(rows)
    codes = creditcode.make_codes(rng, list(ents["region"]))
    while len(set(codes)) < len(codes):
        codes = creditcode.make_codes(rng, list(ents["region"]))
    ents["enterprise_id"] = codes
    ents["industry_code"] = "power"
    return ents


def _chp(ents: pd.DataFrame, max_capacity: pd.Series,
         rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(is CHP, heat kind) per enterprise: ``district`` | ``steam`` | ``""``."""
    n = len(ents)
    north = ents["season"] != "south"
    gas = ents["family"] == "gas"
    capital_gas = gas & ents["province"].isin(["北京", "天津"])
    p = np.select([capital_gas, north & gas, north & (max_capacity <= 350), north, gas],
                  [0.9, 0.35, 0.55, 0.3, 0.1], 0.15)
    is_chp = rng.random(n) < p
    steam = ~north | (~gas & (rng.random(n) < 0.2))
    kind = np.where(is_chp, np.where(steam, "steam", "district"), "")
    return is_chp, kind


def _names(ents: pd.DataFrame, unconventional: pd.Series, rng: np.random.Generator) -> list[str]:
    brand = dict(zip(ents["orispl"].unique(), _brands(ents["orispl"].nunique(), rng),
                     strict=True))
    out = []
    for e, unconv in zip(ents.itertuples(), unconventional, strict=True):
        kind = ("燃气" if e.family == "gas" else "综合利用" if unconv else "") + (
            "热电" if e.is_chp else "发电")
        phase = f"（{PHASES[e.phase - 1]}）" if e.phase else ""
        city = e.city[:-1] if e.city.endswith(("市", "盟")) else e.city
        out.append(f"{city}{brand[e.orispl]}{kind}有限公司{phase}")
    return out


def _verifiers(ents: pd.DataFrame, rng: np.random.Generator) -> list[str]:
    pool = [h + t for h in _AGENCY_HEADS for t in _AGENCY_TAILS]
    local = {p: rng.choice(pool, 4, replace=False) for p in sorted(ents["province"].unique())}
    return [str(rng.choice(local[p])) for p in ents["province"]]


def _category(u: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(unit category, fuel code): waste coal and fluidised beds are unconventional."""
    gas = u["family"] == "gas"
    waste = u["egrid_fuel"] == "WC"
    cfb = u["firing"].fillna("").str.upper().str.contains("FLUIDIZED")
    category = np.select([gas, waste | cfb, u["capacity_mw"] >= 400],
                         ["gas", "coal_unconventional", "coal_gt300"], "coal_le300")
    fuel = np.select([gas, waste], ["natural_gas", "gangue_coal"], "coal")
    return category, fuel


def _coal_quality(u: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Each coal unit's typical coal (daf CV, H, C; ash; moisture; sulphur); NaN for gas."""
    n = len(u)
    cols = {k: np.full(n, np.nan) for k in ("q_gr_daf", "h_daf", "c_daf", "ash_d", "m_t",
                                           "m_ad", "s_d")}
    z = rng.standard_normal((6, n))
    for name, r in coal.RANKS.items():
        i = (u["rank"] == name).to_numpy()
        cols["q_gr_daf"][i] = r.q_gr_daf + r.q_gr_daf_unit * z[0, i]
        cols["h_daf"][i] = r.h_daf + 0.2 * z[1, i]
        cols["ash_d"][i] = np.clip(r.ash_d + r.ash_unit * z[2, i], 3.0, 65.0)
        cols["m_t"][i] = np.clip(r.m_t + r.m_t_unit * z[3, i], 4.0, 45.0)
        cols["m_ad"][i] = np.clip(r.m_ad + r.m_ad_unit * z[4, i], 0.5, cols["m_t"][i] - 2.5)
        cols["s_d"][i] = np.clip(r.s_d * np.exp(r.s_sd * z[5, i]), 0.15, 4.5)
    cols["c_daf"] = 100.0 * u["c_gross"].to_numpy() * cols["q_gr_daf"]
    return pd.DataFrame(cols, index=u.index)


def build_master(pool: Pool, n_enterprises: int, gas_share: float,
                 rng: np.random.Generator) -> Master:
    """Enterprises and units for ``n_enterprises`` enterprises (see the module docstring)."""
    plan = _choose_plants(pool, n_enterprises, gas_share, rng)
    ents = _enterprise_rows(pool, plan, rng)
    members = np.concatenate([m for _, _, m in plan])
    owner = np.repeat(np.arange(len(plan)), [len(m) for _, _, m in plan])
    u = pool.units.loc[members].reset_index(drop=True)
    u["ent"] = owner
    u["enterprise_id"] = ents["enterprise_id"].to_numpy()[owner]
    u["unit_no"] = u.groupby("ent").cumcount() + 1
    u["unit_id"] = u["enterprise_id"].str[-8:] + "-" + u["unit_no"].map("{:02d}".format)
    if u["unit_id"].duplicated().any():
        u["unit_id"] = u["enterprise_id"] + "-" + u["unit_no"].map("{:02d}".format)
    u["unit_category_code"], u["fuel_code"] = _category(u)
    max_cap = u.groupby("ent")["capacity_mw"].max().reindex(range(len(ents)))
    is_chp, kind = _chp(ents, max_cap, rng)
    ents["is_chp"] = is_chp
    unconv = (u.groupby("ent")["unit_category_code"]
              .agg(lambda s: (s == "coal_unconventional").mean() > 0.5).reindex(range(len(ents))))
    ents["enterprise_name"] = _names(ents, unconv, rng)
    ents["verifier_name"] = _verifiers(ents, rng)
    for col in ("province", "city", "season"):
        u[col] = ents[col].to_numpy()[owner]
    n = len(u)
    u["is_chp"] = is_chp[owner]
    u["heat_kind"] = kind[owner]
    district = u["heat_kind"] == "district"
    u["heat_q"] = np.where(district, rng.uniform(0.6, 1.5, n),
                           np.where(u["heat_kind"] == "steam", rng.uniform(0.15, 0.6, n), 0.0))
    u["heat_beta"] = np.where(district, rng.uniform(0.20, 0.28, n), rng.uniform(0.28, 0.38, n))
    air = rng.random(n) < u["province"].map(geography.AIR_COOLED_SHARE).fillna(0.0)
    u["cooling_code"] = np.where(air & (u["family"] == "coal"), "air", "water")
    gas = (u["family"] == "gas").to_numpy()
    rate = np.where(gas, 0.023 + 0.003 * rng.standard_normal(n),
                    0.050 + 0.005 * rng.standard_normal(n)
                    + np.where(u["cooling_code"] == "air", 0.012, 0.0)
                    + np.where(u["unit_category_code"] == "coal_unconventional", 0.02, 0.0))
    u["own_use_rate"] = rate.clip(0.015, OWN_USE_MAX)
    lo = u["tech"].map({k: v[0] for k, v in LOAD_RUN.items()}).to_numpy()
    hi = u["tech"].map({k: v[1] for k, v in LOAD_RUN.items()}).to_numpy()
    u["load_run"] = lo + (hi - lo) * rng.random(n)
    u["gas_ncv"] = np.where(gas, GAS_NCV[0] + GAS_NCV[1] * rng.standard_normal(n), np.nan)
    u = pd.concat([u, _coal_quality(u, rng)], axis=1)
    u["commissioning_year"] = u["commissioning_year"].astype("Int64")
    ents = ents.drop(columns=["region"])
    return Master(ents, u.drop(columns=["ent"]))
