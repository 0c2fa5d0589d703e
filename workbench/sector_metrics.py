"""What a steel, cement or aluminium filing implies, one row per facility-month.

The screening checks of the 2025 sectors and the views read the same derived frames, built
from the monthly wide frame of :mod:`workbench.checks.inputs` (one row per facility and
period, parameters as columns) by pure functions:

* :func:`steel_works` — one row per steel works and month, on its enterprise-level
  facility: crude steel and what the processes filed (BOF + EAF steel, hot metal, metallic
  charge), the enterprise identity recomputed (E_fuel + E_proc − R_prod, §2.2), the route
  mix, intensity (tCO2/t crude steel) and by-product yields;
* :func:`gas_balances` — one row per works, month and by-product gas (COG, BFG, LDG):
  generated, burnt, exported and flared over all the works' facilities (§2.6 check 3);
* :func:`cement_lines` — one row per clinker line and month: process CO2 and the line's CO2
  recomputed (§3.2), EF from the filed chemistry, kiln heat per t, raw meal per t, capacity
  use, the clinker the mills must have used by the stock balance, intensity;
* :func:`potlines` — one row per potline and month: the current efficiency the output
  implies (Faraday), AC and DC electricity per t, net anode use, anode CO2 and PFC
  recomputed (§4.2), intensity;
* :func:`aluminium_smelters` — one row per smelter and month, on its enterprise-level
  facility: its CO2 recomputed from its fuels, carbonates and its potlines' anode CO2.

A quantity that cannot be computed because a filed value is absent is NaN: the checks then
say "not checked" for that row, they never fill a value in.  Factors come from the factor
tables in force (:mod:`workbench.factors`).  Section numbers are those of
``shared/domain/sectors-2025.md``.

Contract readings (docs/data-format.md): a steel works files its purchased fuels, fluxes,
metallics and carbon products and its CO2 (E_ent) on the ``steel_enterprise`` facility and
its processes' outputs and gases on the process facilities; a clinker line's ``co2_t`` is
fuel + process CO2, the substitutes deducted unless a measured EF already nets their
non-carbonate oxides out (CaO_nc / MgO_nc filed); a potline's ``co2_t`` is its anode CO2 and
``pfc_co2e_t`` its PFC; an aluminium smelter's enterprise-level ``co2_t`` is its E_ent in
CO2e as §4.2 defines it: fuels + carbonates + the potlines' anode CO2 and PFC.
"""

from __future__ import annotations

import functools
import json
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from workbench.accounting import aluminium as alu
from workbench.accounting import cement as cem
from workbench.accounting import steel as stl
from workbench.accounting.common import CO2_PER_C, per
from workbench.factors import factor, factors, fuel_defaults, gwp
from workbench.sector_contract import BY_PRODUCT_GASES, FUELS, STEEL_FACILITIES

KEY = ["enterprise_id", "period"]
_FRAMES: dict[int, tuple[weakref.ref, dict]] = {}


def derived(fn: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Compute a derived frame once per monthly frame (and factor tables): the checks of a
    screening run read the same steel works, clinker lines and potlines many times.  The
    frame returned is shared: callers copy before they change it (``assign``)."""

    @functools.wraps(fn)
    def once(m: pd.DataFrame, *args: Any) -> pd.DataFrame:
        entry = _FRAMES.get(id(m))
        if entry is None or entry[0]() is not m:
            key = id(m)
            entry = (weakref.ref(m, lambda _ref, k=key: _FRAMES.pop(k, None)), {})
            _FRAMES[key] = entry
        arg_key = (fn.__name__, *(json.dumps(a.get("factors"), sort_keys=True)
                                  if isinstance(a, dict) else id(a) for a in args))
        if arg_key not in entry[1]:
            entry[1][arg_key] = fn(m, *args)
        return entry[1][arg_key]

    return once
#: Steel process materials (parameter code -> steel factor code), §2.3.
STEEL_MATERIALS = {"limestone_t": "limestone", "dolomite_t": "dolomite",
                   "electrode_t": "electrode", "purchased_pig_iron_t": "pig_iron",
                   "dri_t": "dri", "scrap_t": "scrap"}
#: Carbon products deducted at the steel enterprise level (parameter code -> factor code).
STEEL_PRODUCTS = {"crude_steel_output_t": "crude_steel",
                  "crude_benzene_output_t": "crude_benzene", "coal_tar_output_t": "coal_tar"}
#: Non-carbonate raw materials of a clinker line (parameter code -> cement factor code).
CEMENT_SUBSTITUTES = {"carbide_slag_t": "df_carbide_slag", "steel_slag_t": "df_steel_slag"}
GAS_FUELS = {code for code, _, _, gas in FUELS if gas}


def col(m: pd.DataFrame, code: str) -> pd.Series:
    """Column ``code`` of ``m`` as floats; all-NaN when nobody filed it."""
    if code in m.columns:
        return pd.to_numeric(m[code], errors="coerce").astype(float)
    return pd.Series(np.nan, index=m.index)


def of_kind(m: pd.DataFrame, *kinds: str) -> pd.DataFrame:
    """The facility-months of ``m`` whose facility is of one of ``kinds``."""
    return m[m["unit_category_code"].isin(kinds)]


#: Facilities whose ``co2_t`` is part of a total filed on their enterprise level (a steel
#: process's gross CO2, a potline's anode CO2): not counted again in the enterprise's total.
COUNTED_ON_ENTERPRISE_LEVEL = (*stl.PROCESSES, "potline")


def counted_co2_t(m: pd.DataFrame) -> pd.Series:
    """The emissions each facility-month adds to its enterprise's total (t CO2e), on ``m``'s
    index: a power unit's or clinker line's ``co2_t``; a steel works' E_ent on its
    enterprise level (its processes' gross CO2 is not added again, §2.2); an aluminium
    smelter's E_ent (CO2e) on its enterprise level (its potlines' anode CO2 and PFC are in
    that total, §4.2).  Summing it per enterprise gives each enterprise's emissions once."""
    co2 = col(m, "co2_t")
    if "unit_category_code" not in m.columns:        # facilities of no kind: each counts
        return co2
    return co2.where(~m["unit_category_code"].isin(COUNTED_ON_ENTERPRISE_LEVEL), 0.0)


def _fuel_columns(fuel: str) -> tuple[str, str, str]:
    volume = "1e4nm3" if fuel in GAS_FUELS else "t"
    return (f"{fuel}_consumption_{volume}", f"{fuel}_ncv_gj_per_{volume}",
            f"{fuel}_cc_tc_per_gj")


def fuel_heat_and_carbon(m: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Heat (GJ), carbon (tC) and whether every burnt fuel had its NCV and CC, per row, over
    the fuel block of :data:`workbench.sector_contract.FUELS` plus the power codes of coal
    (``coal_consumption_t`` × ``ncv_gj_per_t`` × ``cc_tc_per_gj``).  A fuel burnt (> 0)
    without its NCV or CC makes the row incomplete."""
    heat = pd.Series(0.0, index=m.index)
    carbon = pd.Series(0.0, index=m.index)
    complete = pd.Series(True, index=m.index)
    blocks = [_fuel_columns(code) for code, _, _, _ in FUELS]
    blocks.append(("coal_consumption_t", "ncv_gj_per_t", "cc_tc_per_gj"))
    for cons, ncv, cc in blocks:
        ad, q, c = col(m, cons), col(m, ncv), col(m, cc)
        burnt = ad.fillna(0.0) > 0
        complete &= ~(burnt & (q.isna() | c.isna()))
        h = (ad * q).where(burnt, 0.0).fillna(0.0)
        heat += h
        carbon += (h * c).where(burnt, 0.0).fillna(0.0)
    return heat, carbon, complete


def _absent_this_month(rows: pd.DataFrame, codes: list[str]) -> pd.Series:
    """Rows missing a value of ``codes`` that their facility files in other months."""
    out = pd.Series(False, index=rows.index)
    for code in codes:
        v = col(rows, code)
        out |= v.isna() & v.notna().groupby(rows["unit_id"]).transform("any")
    return out


def _sum_by_works(rows: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Σ of ``codes`` over ``rows`` per enterprise-month (NaN where none filed it)."""
    data = pd.DataFrame({c: col(rows, c) for c in codes}, index=rows.index)
    data[KEY] = rows[KEY]
    return data.groupby(KEY)[codes].sum(min_count=1)


@derived
def steel_works(m: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """One row per steel works and month (see the module docstring).

    Columns: the enterprise-level facility's ``unit_id``, ``period``, ``enterprise_id``,
    ``crude_steel_t``, ``co2_filed_t``, ``e_fuel_t``, ``e_proc_t``, ``r_prod_t``,
    ``e_ent_t`` (recomputed; NaN when a burnt fuel lacks its NCV or CC), ``process_steel_t``
    (BOF + EAF steel the processes filed), ``bof_share`` (of process steel), ``route``
    (``bf_bof`` / ``eaf`` / ``mixed`` / ``other``: a converter shop on purchased
    iron), ``metallic_charge_t`` (hot metal + scrap + pig iron
    + DRI), ``metallic_yield``, ``intensity_t_per_t``, ``tar_t``, ``benzene_t`` (enterprise
    level), ``coking_tar_t``, ``coking_benzene_t`` (coking facility), ``coal_charged_t``
    (cleaned coal to the ovens), ``tar_yield``, ``benzene_yield``.
    """
    ent = of_kind(m, "steel_enterprise")
    procs = of_kind(m, *stl.PROCESSES)
    heat, carbon, complete = fuel_heat_and_carbon(ent)
    # a line item the works files in other months, or the tar and benzene of a works with
    # coke ovens, absent this month: E_ent cannot be recomputed (not judged, never a zero)
    complete &= ~_absent_this_month(ent, [*STEEL_MATERIALS, *STEEL_PRODUCTS])
    ovens = set(of_kind(m, "coking")["enterprise_id"])
    for code in ("coal_tar_output_t", "crude_benzene_output_t"):
        complete &= ~(ent["enterprise_id"].isin(ovens) & col(ent, code).isna())
    e_fuel = (carbon * CO2_PER_C).where(complete)
    ef = factors(cfg, "steel")
    e_proc = stl.process_material_co2_t(
        {f: col(ent, c).fillna(0.0) for c, f in STEEL_MATERIALS.items()}, ef)
    r_prod = stl.product_deduction_t(
        {f: col(ent, c).fillna(0.0) for c, f in STEEL_PRODUCTS.items()}, ef)
    for gas in BY_PRODUCT_GASES:
        d = fuel_defaults(cfg, gas)
        _, ncv, cc = _fuel_columns(gas)
        r_prod = r_prod + stl.exported_gas_deduction_t(
            col(ent, f"{gas}_exported_1e4nm3").fillna(0.0),
            col(ent, ncv).fillna(d["ncv"]), col(ent, cc).fillna(d["cc"]))
    out = ent[["enterprise_id", "unit_id", "period"]].copy()
    out["crude_steel_t"] = col(ent, "crude_steel_output_t")
    out["co2_filed_t"] = col(ent, "co2_t")
    out["e_fuel_t"], out["e_proc_t"], out["r_prod_t"] = e_fuel, e_proc, r_prod
    out["e_ent_t"] = stl.enterprise_co2_t(e_fuel, e_proc, r_prod)
    sums = _sum_by_works(procs, ["bof_steel_output_t", "eaf_steel_output_t",
                                 "hot_metal_output_t", "scrap_t", "purchased_pig_iron_t",
                                 "dri_t"])
    coking = _sum_by_works(of_kind(m, "coking"), ["coal_tar_output_t", "crude_benzene_output_t",
                                                  "cleaned_coal_consumption_t"])
    idx = pd.MultiIndex.from_frame(out[KEY])
    s, k = sums.reindex(idx), coking.reindex(idx)
    bof, eaf = s["bof_steel_output_t"].to_numpy(), s["eaf_steel_output_t"].to_numpy()
    process_steel = np.nansum(np.c_[bof, eaf], axis=1)
    filed_any = ~(np.isnan(bof) & np.isnan(eaf))
    out["process_steel_t"] = np.where(filed_any, process_steel, np.nan)
    out["bof_share"] = per(pd.Series(np.nan_to_num(bof), index=out.index),
                           out["process_steel_t"])
    # the route of the intensity bands (§2.5): BF-BOF makes its own hot metal; a converter
    # shop on purchased iron is neither route ("other": no band)
    makes_iron = (s["hot_metal_output_t"].fillna(0.0) > 0).to_numpy()
    out["route"] = np.select(
        [out["bof_share"] <= 0.1, makes_iron & (out["bof_share"] >= 0.9), makes_iron],
        ["eaf", "bf_bof", "mixed"], "other")
    out.loc[out["bof_share"].isna(), "route"] = pd.NA
    # metallic charge: hot metal from the BF, scrap / pig iron / DRI as the enterprise level
    # files them (else as its processes do)
    charge = s["hot_metal_output_t"].fillna(0.0).to_numpy()
    for code in ("scrap_t", "purchased_pig_iron_t", "dri_t"):
        ent_v = col(ent, code).to_numpy()
        charge = charge + np.where(np.isnan(ent_v), np.nan_to_num(s[code].to_numpy()), ent_v)
    has_charge = ~(s[["hot_metal_output_t", "scrap_t"]].isna().all(axis=1)).to_numpy() | \
        col(ent, "scrap_t").notna().to_numpy()
    out["metallic_charge_t"] = np.where(has_charge, charge, np.nan)
    out["metallic_yield"] = per(out["crude_steel_t"], out["metallic_charge_t"])
    out["intensity_t_per_t"] = per(out["co2_filed_t"], out["crude_steel_t"])
    out["tar_t"] = col(ent, "coal_tar_output_t")
    out["benzene_t"] = col(ent, "crude_benzene_output_t")
    out["coking_tar_t"] = k["coal_tar_output_t"].to_numpy()
    out["coking_benzene_t"] = k["crude_benzene_output_t"].to_numpy()
    coal = col(ent, "cleaned_coal_consumption_t").to_numpy()
    out["coal_charged_t"] = np.where(np.isnan(k["cleaned_coal_consumption_t"].to_numpy()), coal,
                                     k["cleaned_coal_consumption_t"].to_numpy())
    out["tar_yield"] = per(out["tar_t"], out["coal_charged_t"])
    out["benzene_yield"] = per(out["benzene_t"], out["coal_charged_t"])
    return out.reset_index(drop=True)


@derived
def ironmaking(m: pd.DataFrame) -> pd.DataFrame:
    """One row per blast furnace facility and month: ``coke_rate_kg_per_t_hm`` and
    ``bfg_nm3_per_t_hm`` (§2.5)."""
    bf = of_kind(m, "ironmaking")
    out = bf[["enterprise_id", "unit_id", "period"]].copy()
    hm = col(bf, "hot_metal_output_t")
    out["hot_metal_t"] = hm
    out["coke_rate_kg_per_t_hm"] = per(col(bf, "coke_consumption_t") * 1000.0, hm)
    out["bfg_nm3_per_t_hm"] = per(col(bf, "bfg_generated_1e4nm3") * 1e4, hm)
    return out.reset_index(drop=True)


@derived
def converters(m: pd.DataFrame) -> pd.DataFrame:
    """One row per BOF facility and month of a works that makes hot metal:
    ``hot_metal_per_bof_steel``, the works' hot metal per t of its BOF steel (§2.5: 0.80–0.95;
    hot metal an EAF takes counts in the works' total, so a works with both reads high)."""
    bof = of_kind(m, "bof")
    out = bof[["enterprise_id", "unit_id", "period"]].copy()
    works = _sum_by_works(of_kind(m, "ironmaking", "bof"),
                          ["hot_metal_output_t", "bof_steel_output_t"])
    works = works.reindex(pd.MultiIndex.from_frame(out[KEY]))
    has_eaf = set(of_kind(m, "eaf")["enterprise_id"])
    hm = pd.Series(works["hot_metal_output_t"].to_numpy(), index=out.index)
    steel = pd.Series(works["bof_steel_output_t"].to_numpy(), index=out.index)
    out["hot_metal_per_bof_steel"] = per(hm, steel).where(~out["enterprise_id"].isin(has_eaf))
    return out.reset_index(drop=True)


@derived
def site_inputs(m: pd.DataFrame) -> pd.DataFrame:
    """One row per steel works, month and input its processes file: the purchased fuels
    (every fuel of the fuel block but coke and the by-product gases, which the works makes
    itself) and the process materials (fluxes, electrodes, pig iron, DRI, scrap).
    ``enterprise_t`` (the enterprise level's consumption), ``processes_t`` (Σ over its
    processes), on the enterprise-level facility (``unit_id``)."""
    ent = of_kind(m, "steel_enterprise")
    procs = of_kind(m, *stl.PROCESSES)
    codes = [f"{fuel}_consumption_t" for fuel, _, _, gas in FUELS
             if not gas and fuel != "coke"] + list(STEEL_MATERIALS)
    frames = []
    for code in codes:
        used = _sum_by_works(procs, [code])[code]
        used = used[used.fillna(0.0) > 0]
        if used.empty:
            continue
        e = ent[[*KEY, "unit_id"]].assign(enterprise_t=col(ent, code)).set_index(KEY)
        e = e.join(used.rename("processes_t"), how="inner")
        frames.append(e.reset_index().assign(parameter_code=code))
    cols = [*KEY, "unit_id", "parameter_code", "enterprise_t", "processes_t"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def gas_balances(m: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per steel works, month and by-product gas with a generation filed.

    ``generated``, ``consumed`` (burnt by the works' facilities), ``exported``, ``flared``
    (10^4 Nm3) and ``imbalance_rel`` = (generated − consumed − exported − flared) /
    generated; ``unit_id`` is the facility that generates the gas.  Exports are counted
    once: as the processes file them, else as the works' enterprise level does.
    ``complete`` is False where a facility of the works (``units``) filed nothing that month:
    the balance then lacks a participant and cannot be judged.
    """
    steel = of_kind(m, *STEEL_FACILITIES)
    is_ent = steel["unit_category_code"] == "steel_enterprise"
    frames = []
    for gas in BY_PRODUCT_GASES:
        gen_c = f"{gas}_generated_1e4nm3"
        gen = col(steel, gen_c)
        if gen.notna().sum() == 0:
            continue
        procs = steel.loc[~is_ent]
        parts = {}
        for what, code in (("consumed", f"{gas}_consumption_1e4nm3"),
                           ("exported", f"{gas}_exported_1e4nm3"),
                           ("flared", f"{gas}_flared_1e4nm3")):
            parts[what] = _sum_by_works(procs, [code])[code]
        ent_exp = _sum_by_works(steel.loc[is_ent], [f"{gas}_exported_1e4nm3"])[
            f"{gas}_exported_1e4nm3"]
        generating = steel.loc[gen.notna(), [*KEY, "unit_id"]].assign(generated=gen[gen.notna()])
        g = generating.groupby(KEY).agg(unit_id=("unit_id", "first"),
                                        generated=("generated", "sum"))
        g["consumed"] = parts["consumed"].reindex(g.index).fillna(0.0)
        exp = parts["exported"].reindex(g.index)
        g["exported"] = exp.fillna(ent_exp.reindex(g.index)).fillna(0.0)
        g["flared"] = parts["flared"].reindex(g.index).fillna(0.0)
        g["imbalance"] = g["generated"] - g["consumed"] - g["exported"] - g["flared"]
        g["imbalance_rel"] = per(g["imbalance"], g["generated"])
        g["gas"] = gas
        frames.append(g.reset_index())
    cols = [*KEY, "gas", "unit_id", "generated", "consumed", "exported", "flared", "imbalance",
            "imbalance_rel", "complete"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["complete"] = True if units is None else ~silent_facility(out, m, units)
    return out[cols]


def silent_facility(rows: pd.DataFrame, m: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """For each enterprise-month of ``rows``: whether one of the enterprise's facilities
    (``units``) filed nothing in ``m`` that month, so a total over its facilities lacks a
    part (that facility's missing deposit is a finding of its own)."""
    keys = rows[KEY].drop_duplicates()
    registered = units.loc[units["enterprise_id"].isin(set(keys["enterprise_id"])),
                           ["enterprise_id", "unit_id"]]
    grid = registered.merge(keys, on="enterprise_id")
    filed = pd.MultiIndex.from_frame(m[["unit_id", "period"]])
    silent = grid[~pd.MultiIndex.from_frame(grid[["unit_id", "period"]]).isin(filed)]
    gap = pd.MultiIndex.from_frame(silent[KEY].drop_duplicates())
    return pd.Series(pd.MultiIndex.from_frame(rows[KEY]).isin(gap), index=rows.index)


@derived
def cement_lines(m: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """One row per clinker line and month (see the module docstring).

    Columns: ``clinker_t``, ``clinker_type`` (the line's, Portland when not given),
    ``ef_filed``, ``ef_source``, ``ef_default`` (of the clinker type), ``cao_pct``, ``mgo_pct``,
    ``ef_chemistry`` (from the filed CaO/MgO and their non-carbonate parts), ``deduction_t``
    (Σ AD × DF),
    ``deduction_share`` (of Q × EF), ``net_process_ef`` (EF less the deductions per t),
    ``e_fuel_t``, ``co2_expected_t``, ``co2_filed_t``,
    ``intensity_t_per_t``, ``kiln_heat_gj_per_t``, ``raw_meal_ratio``, ``capacity_use``
    (clinker / (rated t/d × operating days)), ``mill_use_t`` (opening + produced + purchased
    − sold − closing), ``clinker_factor`` (mill use / cement), ``carbide_share`` (carbide slag
    / raw meal).
    """
    ln = of_kind(m, "clinker_line")
    out = ln[["enterprise_id", "unit_id", "period"]].copy()
    q = col(ln, "clinker_output_t")
    ctype = (ln["clinker_type_code"] if "clinker_type_code" in ln.columns
             else pd.Series(pd.NA, index=ln.index)).astype("string").fillna("portland")
    defaults = factors(cfg, "cement", kind="clinker_ef")
    out["clinker_t"], out["clinker_type"] = q, ctype
    out["ef_filed"] = col(ln, "ef_clinker_tco2_per_t")
    src = (ln["source_ef_clinker_tco2_per_t"] if "source_ef_clinker_tco2_per_t" in ln.columns
           else pd.Series(pd.NA, index=ln.index))
    out["ef_source"] = src.astype("string")
    out["ef_default"] = ctype.map(lambda t: cem.default_clinker_ef(t, defaults)).astype(float)
    out["cao_pct"], out["mgo_pct"] = col(ln, "cao_clinker_pct"), col(ln, "mgo_clinker_pct")
    out["ef_chemistry"] = cem.clinker_ef_from_oxides(
        out["cao_pct"], out["mgo_pct"],
        col(ln, "cao_nc_pct").fillna(0.0), col(ln, "mgo_nc_pct").fillna(0.0))
    df = factors(cfg, "cement", kind="deduction")
    ded = cem.substitutes_deduction_t(
        {f: col(ln, c).fillna(0.0) for c, f in CEMENT_SUBSTITUTES.items()}, df)
    out["deduction_t"] = ded
    out["deduction_share"] = per(ded, q * out["ef_filed"])
    out["net_process_ef"] = out["ef_filed"] - per(ded, q)
    # the substitutes are deducted unless a measured EF already nets their non-carbonate
    # oxides out (CaO_nc / MgO_nc filed): counted once, never twice or not at all
    measured = out["ef_source"].isin(["measured", "calculated"]).fillna(False)
    nets_out = measured & ((col(ln, "cao_nc_pct").fillna(0.0) > 0)
                           | (col(ln, "mgo_nc_pct").fillna(0.0) > 0))
    out["deduction_applied"] = ~nets_out
    e_proc = cem.clinker_process_co2_t(q, out["ef_filed"], ded.where(~nets_out, 0.0))
    heat, carbon, complete = fuel_heat_and_carbon(ln)
    ox = col(ln, "oxidation_rate").fillna(1.0)
    # the fuel block has no oxidation factor of its own: the line's applies to all its fuels
    e_fossil = (carbon * ox * CO2_PER_C).where(complete)
    alt = cem.alt_fuel_co2_t(col(ln, "alt_fuel_t").fillna(0.0),
                             col(ln, "alt_fuel_ncv_gj_per_t").fillna(0.0),
                             col(ln, "alt_fuel_cc_tc_per_gj").fillna(0.0), ox,
                             col(ln, "alt_fuel_biomass_pct").fillna(0.0) / 100.0)
    out["e_fuel_t"] = e_fossil
    out["co2_expected_t"] = cem.clinker_co2_t(e_fossil, alt, e_proc)
    out["co2_filed_t"] = col(ln, "co2_t")
    out["intensity_t_per_t"] = per(out["co2_filed_t"], q)
    alt_heat = (col(ln, "alt_fuel_t") * col(ln, "alt_fuel_ncv_gj_per_t")).fillna(0.0)
    out["kiln_heat_gj_per_t"] = per((heat + alt_heat).where(heat + alt_heat > 0), q)
    out["raw_meal_ratio"] = per(col(ln, "raw_meal_feed_t"), q)
    rated = col(ln, "rated_capacity_t_per_d")
    out["capacity_use"] = per(q, rated * col(ln, "kiln_operating_days"))
    opening, closing = col(ln, "clinker_opening_stock_t"), col(ln, "clinker_closing_stock_t")
    out["opening_t"], out["closing_t"] = opening, closing
    out["mill_use_t"] = (opening + q + col(ln, "clinker_purchased_t").fillna(0.0)
                         - col(ln, "clinker_sold_t").fillna(0.0) - closing)
    out["cement_t"] = col(ln, "cement_output_t")
    out["clinker_factor"] = per(out["mill_use_t"], out["cement_t"])
    out["carbide_share"] = per(col(ln, "carbide_slag_t"), col(ln, "raw_meal_feed_t"))
    return out.reset_index(drop=True)


@derived
def potlines(m: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """One row per potline and month (see the module docstring).

    Columns: ``al_t`` (liquid aluminium), ``hours`` (24 × days of the month), ``ce_implied_pct``
    (Faraday), ``ce_filed_pct``, ``ac_kwh_per_t``, ``dc_mwh`` (current × voltage × cells ×
    hours), ``ac_mwh``, ``nc_filed``, ``nc_from_gross`` ((gross − butts) / output),
    ``s_plus_ash_pct``, ``anode_co2_expected_t``, ``co2_filed_t``, ``ef_cf4_filed``,
    ``ef_cf4_expected`` (slope × AEM), ``ef_c2f6_filed``, ``ef_c2f6_expected``,
    ``pfc_expected_t``, ``pfc_filed_t``, ``alumina_t_per_t``, ``intensity_t_per_t`` (anode CO2
    + PFC per t).
    """
    p = of_kind(m, "potline")
    out = p[["enterprise_id", "unit_id", "period"]].copy()
    al = col(p, "liquid_al_output_t")
    hours = pd.Series(p["hours_in_month"].astype(float).to_numpy(), index=p.index)
    current = col(p, "line_current_ka").fillna(col(p, "line_current_ka_unit"))
    cells = col(p, "cells_in_operation")
    out["al_t"], out["hours"] = al, hours
    out["ce_implied_pct"] = alu.current_efficiency_pct(al, current, cells, hours)
    out["ce_filed_pct"] = col(p, "current_efficiency_pct")
    out["ac_mwh"] = col(p, "electrolysis_ac_electricity_mwh")
    out["ac_kwh_per_t"] = alu.ac_electricity_kwh_per_t(out["ac_mwh"], al)
    out["dc_mwh"] = current * col(p, "avg_cell_voltage_v") * cells * hours / 1000.0
    out["nc_filed"] = col(p, "anode_net_consumption_t_per_t")
    out["nc_from_gross"] = alu.net_anode_consumption_t_per_t(
        col(p, "anode_gross_consumption_t"), col(p, "anode_butts_returned_t"), al)
    s, a = col(p, "anode_sulfur_pct"), col(p, "anode_ash_pct")
    out["s_plus_ash_pct"] = s + a
    out["anode_co2_expected_t"] = alu.anode_co2_t(al, out["nc_filed"], s, a)
    out["co2_filed_t"] = col(p, "co2_t")
    sef, ratio = factor(cfg, "aluminium", "sef_cf4"), factor(cfg, "aluminium", "c2f6_cf4_ratio")
    out["aem"] = col(p, "aem_min_per_cell_day")
    out["ef_cf4_filed"] = col(p, "ef_cf4_kg_per_t")
    out["ef_c2f6_filed"] = col(p, "ef_c2f6_kg_per_t")
    out["ef_cf4_expected"] = alu.cf4_ef_slope_kg_per_t(out["aem"], sef)
    out["ef_c2f6_expected"] = alu.c2f6_ef_kg_per_t(out["ef_cf4_filed"], ratio)
    g = gwp(cfg)
    out["pfc_expected_t"] = alu.pfc_co2e_t(al, out["ef_cf4_filed"], out["ef_c2f6_filed"],
                                          g["cf4"], g["c2f6"])
    out["pfc_filed_t"] = col(p, "pfc_co2e_t")
    out["alumina_t_per_t"] = per(col(p, "alumina_consumption_t"), al)
    out["intensity_t_per_t"] = per(out["co2_filed_t"] + out["pfc_filed_t"].fillna(0.0), al)
    return out.reset_index(drop=True)


@derived
def aluminium_smelters(m: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """One row per smelter and month, on its enterprise-level facility: ``co2_filed_t`` and
    ``co2_expected_t`` = E_ent of §4.2 (t CO2e): its fuels (the filed oxidation rate, else
    the fuel table's) + carbonates (limestone × EF) + Σ of its potlines' filed anode CO2
    (``co2_t``) and PFC (``pfc_co2e_t``)."""
    ent = of_kind(m, "aluminium_enterprise")
    out = ent[["enterprise_id", "unit_id", "period"]].copy()
    e_fuel = pd.Series(0.0, index=ent.index)
    complete = pd.Series(True, index=ent.index)
    filed_of = col(ent, "oxidation_rate")
    blocks = [(*_fuel_columns(code), fuel_defaults(cfg, code).get("of", 1.0))
              for code, _, _, _ in FUELS]
    blocks += [("gas_consumption_knm3", "ncv_gj_per_knm3", "cc_tc_per_gj",
                fuel_defaults(cfg, "natural_gas").get("of", 1.0)),
               ("coal_consumption_t", "ncv_gj_per_t", "cc_tc_per_gj", 1.0)]
    for cons, ncv, cc, of in blocks:
        ad = col(ent, cons)
        burnt = ad.fillna(0.0) > 0
        e = ad * col(ent, ncv) * col(ent, cc) * filed_of.fillna(of) * CO2_PER_C
        complete &= ~(burnt & e.isna())
        e_fuel += e.where(burnt, 0.0).fillna(0.0)
    carb = col(ent, "limestone_t").fillna(0.0) * factor(cfg, "carbonates", "limestone")
    pots = _sum_by_works(of_kind(m, "potline"), ["co2_t", "pfc_co2e_t", "liquid_al_output_t"])
    idx = pd.MultiIndex.from_frame(out[KEY])
    anode = pots["co2_t"].reindex(idx).to_numpy()
    pfc = pots["pfc_co2e_t"].reindex(idx).to_numpy()
    out["co2_filed_t"] = col(ent, "co2_t")
    out["co2_expected_t"] = (e_fuel + carb + anode + pfc).where(complete)
    out["al_t"] = pots["liquid_al_output_t"].reindex(idx).to_numpy()
    out["ingot_t"] = col(ent, "al_ingot_output_t")
    return out.reset_index(drop=True)
