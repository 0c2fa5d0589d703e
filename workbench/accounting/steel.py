"""Iron and steel accounting (钢铁行业核算), enterprise and process level.

Pure, vectorised functions: scalars, NumPy arrays and pandas Series all work (a Series
keeps its index).  Factors are arguments: take them from the factor table in force with
:func:`workbench.factors.factors` (``factors(cfg, "steel", kind="input")``...), never from
code.  Section numbers are those of ``shared/domain/sectors-2025.md``.

The notes' enterprise level (§2.2, a reproduced 2025 月度存证, [T]) is a carbon mass
balance::

    E_ent  = E_fuel + E_proc − R_prod                                     [tCO2]
    E_fuel = Σ_i AD_i × NCV_i × CC_i × 44/12       (no oxidation factor at this level)
    E_proc = Σ_j M_j × EF_j                        (fluxes, electrodes, carbon-bearing inputs)
    R_prod = Σ_k P_k × EF_k                        (carbon fixed in crude steel, benzene, tar…)

Purchased electricity and heat are **not** counted: the 2025 sectors cover direct
emissions only, and the notes list net purchased power and heat as reporting items
(§1.2, §2.4).  The process level (工序层级, §2.1, §2.2) balances carbon in and out of each
process, captive power plants included, and the summary sheet satisfies
``企业层级 = 工序层级 + 掺烧自产二次能源的化石燃料发电设施 + 其他`` (§2.2, a hard check).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.accounting.common import CO2_PER_C, per, weighted_sum
from workbench.sector_contract import STEEL_FACILITIES, STEEL_ROUTES

#: Processes of the process level (工序), §2.1 (the facilities of a steel works but its
#: enterprise level).
PROCESSES = {k: v for k, v in STEEL_FACILITIES.items() if k != "steel_enterprise"}
#: Production routes of the intensity (§2.5).
ROUTES = STEEL_ROUTES


def fuel_co2_t(consumption, ncv, cc_tc_per_gj):
    """CO2 of one fuel at the steel enterprise level (t), §1.4 and §2.2.

    ``E = AD × NCV × CC × 44/12``: ``consumption`` (AD) in t or 10^4 Nm3, ``ncv`` in GJ/t or
    GJ/10^4 Nm3 to match, ``cc_tc_per_gj`` in tC/GJ.  There is **no oxidation factor**: the
    enterprise level is a carbon mass balance, and the carbon that does not burn leaves in a
    product or by-product, where it is accounted (a reproduced real deposit computes it so,
    [T]; 2,317.68 t anthracite × 25.024 GJ/t × 0.02749 tC/GJ × 44/12 = 5,845.97 tCO2).
    """
    return consumption * ncv * cc_tc_per_gj * CO2_PER_C


def fuels_co2_t(consumption: Mapping[str, Any], ncv: Mapping[str, Any],
                cc_tc_per_gj: Mapping[str, Any]):
    """E_fuel (t): :func:`fuel_co2_t` summed over the fuels of ``consumption`` (§2.2).

    The three mappings are keyed by fuel; ``ncv`` and ``cc_tc_per_gj`` hold measured values
    or the defaults of the fuel table (:func:`workbench.factors.fuel_defaults`).  A fuel
    without its NCV or CC is an error.
    """
    missing = sorted(set(consumption) - (set(ncv) & set(cc_tc_per_gj)))
    if missing:
        raise KeyError(f"no NCV or carbon content for {', '.join(missing)}")
    total: Any = 0.0
    for fuel, ad in consumption.items():
        total = total + fuel_co2_t(ad, ncv[fuel], cc_tc_per_gj[fuel])
    return total


def process_material_co2_t(materials_t: Mapping[str, Any], ef_tco2_per_t: Mapping[str, float]):
    """E_proc (t): Σ_j M_j × EF_j over process materials (§2.2, §2.3).

    ``materials_t`` maps a material code (limestone, dolomite, electrode, pig_iron, dri,
    scrap, ferroalloys…) to its consumption in t; ``ef_tco2_per_t`` maps codes to their
    factors in tCO2/t (the ``input`` rows of the steel table: limestone 0.440, dolomite
    0.476 or 0.471, electrode 3.663, purchased pig iron 0.172…).  Fluxes release the CO2 of
    their carbonate; electrodes and carbon-bearing metallics bring carbon that leaves as CO2.
    """
    return weighted_sum(materials_t, ef_tco2_per_t, "process-material")


def product_deduction_t(products_t: Mapping[str, Any], ef_tco2_per_t: Mapping[str, float]):
    """R_prod (tCO2): carbon fixed in products and by-products leaving the site, Σ_k P_k × EF_k
    (§2.2, §2.3).

    ``products_t`` maps a product code to its output in t (crude_steel, crude_benzene,
    coal_tar; methanol in the 2013 version); ``ef_tco2_per_t`` holds the ``deduction`` rows
    of the steel table (crude steel 0.037 in the 2025 example vs 0.0154 in 2013: uncertain).
    The carbon stays in the product, so it is deducted from the mass balance.
    """
    return weighted_sum(products_t, ef_tco2_per_t, "product-deduction")


def exported_gas_deduction_t(volume_1e4nm3, ncv_gj_per_1e4nm3, cc_tc_per_gj):
    """CO2-equivalent carbon of a by-product gas exported from the site (tCO2) [U].

    The notes list exported gas as a possible carbon-fixing product (§2.4 "sold coke or gas
    if exported") but give it no factor; this is its carbon in the mass-balance form of
    E_fuel, ``V × NCV × CC × 44/12`` (10^4 Nm3, GJ/10^4 Nm3, tC/GJ).  Count a gas once: either
    here or as a product row, never both (§2.7).
    """
    return fuel_co2_t(volume_1e4nm3, ncv_gj_per_1e4nm3, cc_tc_per_gj)


def enterprise_co2_t(e_fuel_t, e_proc_t, r_prod_t):
    """Enterprise-level emissions E_ent = E_fuel + E_proc − R_prod (tCO2), §2.2.

    Direct emissions only: purchased electricity and heat are not added (§1.2, §2.4).
    Example month (§2.2): 1,229,176.10 + 32,394.60 − 47,513.21 = 1,214,057.49 tCO2.
    """
    return e_fuel_t + e_proc_t - r_prod_t


def enterprise_identity_residual(e_ent_t, e_fuel_t, e_proc_t, r_prod_t):
    """Reported E_ent minus E_fuel + E_proc − R_prod (tCO2), §2.6 check 2: zero when the
    enterprise identity holds."""
    return e_ent_t - enterprise_co2_t(e_fuel_t, e_proc_t, r_prod_t)


def carbon_flow_t(quantity, carbon_t_per_unit):
    """Carbon carried by one stream (tC): quantity (t or 10^4 Nm3) × carbon per unit (tC/t,
    i.e. the mass fraction, or tC/10^4 Nm3)."""
    return quantity * carbon_t_per_unit


def gas_carbon_t_per_1e4nm3(ncv_gj_per_1e4nm3, cc_tc_per_gj):
    """Carbon per 10^4 Nm3 of a gas (tC/10^4 Nm3) = NCV × CC, to enter COG, BFG or LDG in a
    process balance (§2.2)."""
    return ncv_gj_per_1e4nm3 * cc_tc_per_gj


def _carbon_sum(streams: Mapping[str, tuple[Any, Any]]) -> Any:
    total: Any = 0.0
    for quantity, carbon in streams.values():
        total = total + carbon_flow_t(quantity, carbon)
    return total


def process_balance_co2_t(carbon_in: Mapping[str, tuple[Any, Any]],
                          carbon_out: Mapping[str, tuple[Any, Any]]):
    """Emissions of one process by carbon mass balance (tCO2), §2.1, §2.2:
    ``E_p = (Σ_in m × C − Σ_out m × C) × 44/12``.

    Each mapping names a stream and gives ``(quantity, carbon per unit)``: quantity in t (or
    10^4 Nm3 for gases) and carbon in tC/t (mass fraction) or tC/10^4 Nm3
    (:func:`gas_carbon_t_per_1e4nm3`).  Inputs are fuels, received secondary energy (coke,
    COG, BFG, LDG), coal to the coke ovens, carbonates, scrap, pig iron, DRI, ferroalloys,
    electrodes; outputs the main product (coke, sinter, pellets, hot metal, crude steel),
    secondary energy sent out (COG, BFG, LDG) and by-products (tar, crude benzene, dust).
    The notes give the principle [C] but not the exact symbols or the default carbon
    contents [U] (§2.2, §8 item 1), so the caller supplies them.  A process exporting more
    carbon than it receives (a coke plant sending out COG) may come out negative.
    """
    return (_carbon_sum(carbon_in) - _carbon_sum(carbon_out)) * CO2_PER_C


def process_balances_co2_t(streams_by_process: Mapping[str, tuple[Mapping[str, tuple[Any, Any]],
                                                                   Mapping[str, tuple[Any, Any]]]]
                           ) -> dict[str, Any]:
    """:func:`process_balance_co2_t` of each process (tCO2), keyed by the processes of
    :data:`PROCESSES` (coking, sintering, pelletising, ironmaking, bof, eaf, lime,
    captive_power), each given as ``(carbon_in, carbon_out)``; an unknown process is an
    error (§2.1, §2.2)."""
    unknown = sorted(set(streams_by_process) - set(PROCESSES))
    if unknown:
        raise KeyError(f"unknown process {', '.join(unknown)}; known: {', '.join(PROCESSES)}")
    return {process: process_balance_co2_t(carbon_in, carbon_out)
            for process, (carbon_in, carbon_out) in streams_by_process.items()}


def sum_over_processes(by_process: Mapping[str, Any]):
    """Σ of per-process emissions (tCO2) over processes of :data:`PROCESSES` (an unknown
    name is an error).

    The gross sum of per-process balances, before netting transfers of secondary energy,
    exceeds the net process-level total (3,417,173.66 vs 390,764.54 tCO2 in the example,
    §2.2): that is expected, not a finding.
    """
    unknown = sorted(set(by_process) - set(PROCESSES))
    if unknown:
        raise KeyError(f"unknown process {', '.join(unknown)}; known: {', '.join(PROCESSES)}")
    total: Any = 0.0
    for value in by_process.values():
        total = total + value
    return total


def summary_identity_residual(e_enterprise_t, e_process_level_t, e_captive_power_t,
                              e_other_t):
    """企业层级排放总量 − (工序层级 + 掺烧自产二次能源的化石燃料发电设施 + 其他) (tCO2), §2.2.

    Zero when the summary sheet's identity holds; the notes treat it as a hard check to
    0.01 t (§2.6 check 1).  Example: 1,214,057.49 − (390,764.54 + 314,203.08 + 509,089.87)
    = 0.
    """
    return e_enterprise_t - (e_process_level_t + e_captive_power_t + e_other_t)


def intensity_tco2_per_t(e_t, crude_steel_t):
    """Emission intensity (tCO2/t crude steel), NaN where the output is not positive (§2.2).

    Example month: 1,214,057.49 tCO2 / 595,279 t = 2.0395 tCO2/t (BF-BOF, captive power
    included).  Typical bands (§2.5, [U]): BF-BOF 1.7–2.3, scrap EAF 0.05–0.35 tCO2/t.
    """
    return per(e_t, crude_steel_t)


def intensity_by_route(e_by_route_t: Mapping[str, Any], crude_steel_by_route_t: Mapping[str, Any]
                       ) -> dict[str, Any]:
    """Intensity (tCO2/t crude steel) per production route of :data:`ROUTES` (``bf_bof``,
    ``eaf``): the emissions and the crude steel of each route, as the allocation compares
    them (§2.5, §2.8)."""
    routes = set(e_by_route_t) | set(crude_steel_by_route_t)
    unknown = sorted(routes - set(ROUTES))
    if unknown:
        raise KeyError(f"unknown route {', '.join(unknown)}; known: {', '.join(ROUTES)}")
    unpaired = sorted(routes ^ (set(e_by_route_t) & set(crude_steel_by_route_t)))
    if unpaired:
        raise KeyError(f"route {', '.join(unpaired)} needs both its emissions and its output")
    return {route: intensity_tco2_per_t(e_by_route_t[route], crude_steel_by_route_t[route])
            for route in ROUTES if route in routes}
