"""The configuration as a typed model: every table and key of ``defaults.toml``.

One pydantic model per TOML table, each refusing keys it does not know
(``extra="forbid"``) and taking values strictly as TOML types them: a string is
not a number, ``true`` is not 1, and 40.0 is not a number of days.  Every field
says what it means (``Field(description=...)``, from the comments in
``defaults.toml``, units included); the thresholds the checks read say it in Chinese
too (:data:`DESCRIPTIONS_ZH`, :func:`field_description`).

``workbench/defaults.toml`` stays the one source of default values: no field
here has a default.  :func:`workbench.config.load_config` validates the merged
configuration (defaults + the user's file) with :class:`WorkbenchConfig` and
returns its :meth:`~pydantic.BaseModel.model_dump` (``by_alias=True``), a
plain dict holding the same values as the TOML it came from: numbers keep the
type they were written with, by-year tables stay keyed by year strings, band
tables by group name, and lists stay lists.

**A new key in defaults.toml needs a field here**, in the model of its table
(screening thresholds in :class:`Checks`, which is sectioned like the
``[checks]`` table), with its type, limits and description.  Until it has one,
loading the configuration fails, naming the key and ``defaults.toml``.

:func:`config_key_exists` says whether a dotted key names a field or table
(used for the checks' ``config_keys``), and :func:`explain` turns a
:class:`~pydantic.ValidationError` into one bilingual line per problem.
"""

from __future__ import annotations

import codecs
import difflib
import json
from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated, Any, Literal, get_args

import annotated_types
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from workbench.schema import FUEL_CODES, UNIT_CATEGORY_CODES
from workbench.sector_contract import CLINKER_TYPES, STEEL_ROUTES

# --- value types ---------------------------------------------------------------------------


def _expected(en: str, zh: str, got: tuple[str, str] | None = None,
              hint: tuple[str, str] = ("", "")) -> PydanticCustomError:
    """An error saying what was expected; ``got`` (English, Chinese) replaces the rendered
    input, and ``hint`` (English, Chinese) follows it."""
    ctx = {"en": en, "zh": zh, "hint_en": hint[0], "hint_zh": hint[1]}
    if got is not None:
        ctx["got_en"], ctx["got_zh"] = got
    return PydanticCustomError("expected", "expected {en}", ctx)


def _expect(en: str, zh: str) -> WrapValidator:
    """Report any failure of the wrapped value as one error saying what was expected."""

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise _expected(en, zh) from None

    return WrapValidator(validate)


_BOUND_WORDS = {"gt": (">", "大于"), "ge": (">=", "不小于"), "lt": ("<", "小于"),
                "le": ("<=", "不大于")}
_BOUND_TYPES = {"gt": annotated_types.Gt, "ge": annotated_types.Ge, "lt": annotated_types.Lt,
                "le": annotated_types.Le}


def _number(*, integer: bool = False, **bounds: float) -> Any:
    """A TOML number within ``bounds`` (``gt``, ``ge``, ``lt``, ``le``): an integer when
    ``integer``, else an integer or a float, kept as written (``200`` stays ``200``)."""
    en = " and ".join(f"{_BOUND_WORDS[k][0]} {v:g}" for k, v in bounds.items())
    zh = " 且".join(f"{_BOUND_WORDS[k][1]} {v:g}" for k, v in bounds.items())
    noun_en, noun_zh = ("an integer", "整数") if integer else ("a number", "数")
    return Annotated[int if integer else int | float,
                     *(_BOUND_TYPES[k](v) for k, v in bounds.items()),
                     _expect(f"{noun_en} {en}".strip(), f"{zh} 的{noun_zh}" if zh else noun_zh)]


Positive = _number(gt=0)
NonNegative = _number(ge=0)
AtLeastOne = _number(ge=1)
#: A share strictly between 0 and 1 (a relative tolerance that stands alone, a share).
Share = _number(gt=0, lt=1)
#: A share from 0 up to 1 (exclusive), for a relative part added to an absolute one.
ShareOrZero = _number(ge=0, lt=1)
#: A share from 0 to 1, both included.
UnitInterval = _number(ge=0, le=1)
#: A rate above 0 and at most 1 (oxidation rates, efficiencies).
Rate = _number(gt=0, le=1)
Count = _number(integer=True, ge=1)
CountOfTwo = _number(integer=True, ge=2)
NonNegativeInt = _number(integer=True, ge=0)

Text = Annotated[str, _expect("a string", "字符串")]
NonEmptyText = Annotated[str, annotated_types.MinLen(1),
                         _expect("a non-empty string", "非空字符串")]
Locale = Annotated[Literal["zh-CN", "en"], _expect('"zh-CN" or "en"', '"zh-CN" 或 "en"')]
Mode = Annotated[Literal["reviewer", "readonly"],
                 _expect('"reviewer" or "readonly"', '"reviewer" 或 "readonly"')]
Year = Annotated[str, Field(pattern=r"^\d{4}$"), _expect("a 4-digit year", "四位数年份")]


def _known_encoding(name: str) -> str:
    """``name`` when Python has a codec of that name."""
    try:
        codecs.lookup(name)
    except LookupError as exc:
        raise ValueError(str(exc)) from None
    return name


Encoding = Annotated[str, AfterValidator(_known_encoding),
                     _expect("the name of a text encoding Python knows (e.g. gb18030)",
                             "Python 支持的文本编码名称（如 gb18030）")]
DatabaseUrl = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.\-]*://"),
                        _expect("a SQLAlchemy database URL (e.g. sqlite:///findings.sqlite)",
                                "SQLAlchemy 数据库 URL（如 sqlite:///findings.sqlite）")]


def _increasing(values: list[float]) -> list[float]:
    """``values`` when each is above the one before."""
    if any(a >= b for a, b in zip(values, values[1:], strict=False)):
        raise ValueError("not increasing")
    return values


def _edges(what_en: str, what_zh: str, count: int | None = None) -> Any:
    """Band edges: numbers > 0 in increasing order, ``count`` of them (else at least one)."""
    size_en, size_zh = (f"{count} ", f"{count} 个") if count else ("a non-empty list of ", "")
    return Annotated[list[Annotated[int | float, annotated_types.Gt(0)]],
                     annotated_types.Len(count or 1, count), AfterValidator(_increasing),
                     _expect(f"{size_en}{what_en} > 0 in increasing order",
                             f"{size_zh}递增、大于 0 的{what_zh}")]


CapacityEdges = _edges("capacities (MW)", "装机容量（MW）")
#: Two edges: three coal ranks (``workbench.checks.peers.coal_rank``).
RankEdges = _edges("NCVs (GJ/t)", "低位发热量（GJ/t）", count=2)


def _by_year(value: Any) -> Any:
    """A by-year table: at least one 4-digit year (a string key), each with a ``value``."""
    return Annotated[dict[Year, value], annotated_types.MinLen(1)]


# --- bands ---------------------------------------------------------------------------------

#: Groups a band may be given for: a fuel, a unit category, or ``all`` (ungrouped quantities).
BAND_GROUPS = ("all", *FUEL_CODES, *UNIT_CATEGORY_CODES)
CRITICAL = "_critical"


def _low_below_high(pair: list[float]) -> list[float]:
    """``pair`` when its low is below its high."""
    if not pair[0] < pair[1]:
        raise ValueError("low >= high")
    return pair


Band = Annotated[list[int | float], annotated_types.Len(2, 2), AfterValidator(_low_below_high),
                 _expect("a [low, high] pair of numbers with low < high",
                         "[下限, 上限] 数对，且下限小于上限")]


#: Groups a band of the 2025 sectors may be given for: ``all``, a steel route, a clinker type.
SECTOR_BAND_GROUPS = ("all", *STEEL_ROUTES, *CLINKER_TYPES)


def _group_of(groups: tuple[str, ...]) -> Callable[[str], str]:
    """A validator: ``name`` when it is one of ``groups``, optionally ``_critical`` (else
    say which are)."""

    def check(name: str) -> str:
        if name.removesuffix(CRITICAL) in groups:
            return name
        names = [*groups, *(g + CRITICAL for g in groups)]
        close = difflib.get_close_matches(name, names, n=1)
        hint = (f"; did you mean {close[0]}?", f"；是否应为 {close[0]}？") if close else ("", "")
        raise _expected(f"a group: {', '.join(groups)}, each optionally + {CRITICAL}",
                        f"分组名：{'、'.join(groups)}，可加后缀 {CRITICAL}", hint=hint)

    return check


BandGroup = Annotated[str, AfterValidator(_group_of(BAND_GROUPS))]
SectorBandGroup = Annotated[str, AfterValidator(_group_of(SECTOR_BAND_GROUPS))]


def _critical_widens_warning(bands: dict[str, list[float]]) -> dict[str, list[float]]:
    """Each ``<group>_critical`` band needs its ``<group>`` band and must contain it."""
    for name, (clow, chigh) in bands.items():
        group = name.removesuffix(CRITICAL)
        if group == name:
            continue
        if group not in bands:
            raise _expected(f"a {group} band beside {name} (a critical band widens a band)",
                            f"与 {name} 并列的 {group} 范围（严重范围是对普通范围的放宽）",
                            got=(f"{name} alone", f"只有 {name}"))
        low, high = bands[group]
        if not (clow <= low and high <= chigh):
            both = f"{group} = {_render([low, high])}, {name} = {_render([clow, chigh])}"
            raise _expected(f"{name} to contain {group}", f"{name} 包含 {group}",
                            got=(both, both))
    return bands


BandTable = Annotated[dict[BandGroup, Band], annotated_types.MinLen(1),
                      AfterValidator(_critical_widens_warning)]
SectorBandTable = Annotated[dict[SectorBandGroup, Band], annotated_types.MinLen(1),
                            AfterValidator(_critical_widens_warning)]


# --- tables --------------------------------------------------------------------------------


class Table(BaseModel):
    """Base of every table: unknown keys refused, values taken strictly as TOML types them."""

    model_config = ConfigDict(extra="forbid", strict=True)


class General(Table):
    """``[general]``: language, mode, findings database, reviewer."""

    locale: Locale = Field(description="zh-CN or en: the language of labels and messages.")
    mode: Mode = Field(
        description="reviewer (read-write) or readonly (supervisor dashboards; the findings "
                    "database is opened read-only).")
    database_url: DatabaseUrl = Field(
        description="Findings database (SQLAlchemy URL), one for every role.  A relative "
                    "SQLite path is resolved against the folder of the file that sets it (for "
                    "the defaults: $XDG_DATA_HOME/carbon-audit-workbench, XDG_DATA_HOME "
                    "defaulting to ~/.local/share).")
    reviewer: Text = Field(
        description="Reviewer identity when JUPYTERHUB_USER / WORKBENCH_USER are not set.")


class Import(Table):
    """``[import]``: reading platform exports."""

    fallback_encodings: list[Encoding] = Field(
        description="Encodings tried, in order, when a CSV is not valid UTF-8 (GB18030 is a "
                    "superset of GBK and GB2312).")
    max_text_length: Count = Field(
        description="Maximum length of a free-text cell (characters); longer cells are "
                    "quarantined.")
    max_file_mb: Positive = Field(
        description="Largest input file accepted (MB); larger files are refused before reading.")
    max_extra_columns: Count = Field(
        description="Unknown extra columns accepted per file; a file with more is refused.")
    max_header_length: Count = Field(
        description="Longest header cell accepted (characters); a file with a longer one is "
                    "refused.")
    lock_timeout_s: NonNegative = Field(
        description="Seconds an import waits for another import into the same dataset to "
                    "finish before it gives up.")


class NaturalGas(Table):
    """``[policy.natural_gas]``: natural gas defaults (confirmed in a platform replica;
    = GB/T 32150 defaults)."""

    ncv_gj_per_knm3: Positive = Field(
        description="Net calorific value of natural gas (GJ/10^3 Nm3; 389.31 GJ/10^4 Nm3).")
    cc_tc_per_gj: Positive = Field(description="Carbon content per unit heat (tC/GJ).")
    oxidation_rate: Rate = Field(description="Carbon oxidation rate (share, at most 1).")


class Coal(Table):
    """``[policy.coal]``."""

    oxidation_rate: Rate = Field(
        description="Default coal oxidation rate (share; uncertain: 99% under the 2021/2022 "
                    "guidelines).")


class Benchmark(Table):
    """One data year of ``[policy.benchmark]``: allocation benchmark per unit category."""

    coal_gt300: Positive = Field(
        description="Conventional coal units above 300 MW (tCO2/MWh supplied).")
    coal_le300: Positive = Field(
        description="Conventional coal units of 300 MW or less (tCO2/MWh supplied).")
    coal_unconventional: Positive = Field(
        description="Unconventional coal units (gangue, CFB...) (tCO2/MWh supplied).")
    gas: Positive = Field(description="Gas units (tCO2/MWh supplied).")
    heat_coal: Positive = Field(description="Heat supplied by coal units (tCO2/GJ).")
    heat_gas: Positive = Field(description="Heat supplied by gas units (tCO2/GJ).")


class Policy(Table):
    """``[policy]``: deadlines and default factors of the national ETS, by data year where
    they change (years after a table's last entry use the last entry)."""

    deposit_deadline_days: NonNegativeInt = Field(
        description="Monthly evidence (月度存证) must be deposited within this many days "
                    "after month end (confirmed: 环办气候函〔2022〕111号, from April 2022).")
    lab_report_deadline_days: NonNegativeInt = Field(
        description="Lab reports due within this many days after month end (confirmed, same "
                    "notice).")
    default_coal_cc_tc_per_gj: _by_year(Positive) = Field(
        description="Default carbon content per unit heat of coal when carbon is not "
                    "measured, by data year (tC/GJ).  0.03356: 2021 guideline; 0.03085 from "
                    "the MEE notice of 8 June 2022, for 2021 and 2022 data (confirmed: "
                    "chemlinked).  Later years are assumed unchanged (uncertain).")
    natural_gas: NaturalGas = Field(
        description="Natural gas defaults (confirmed in a platform replica; = GB/T 32150 "
                    "defaults).")
    coal: Coal = Field(description="Coal defaults.")
    grid_ef_tco2_per_mwh: _by_year(Positive) = Field(
        description="Purchased-electricity emission factor by data year (tCO2/MWh).  "
                    "2019-2020 0.6101 and 2021 0.5810 confirmed (环办气候函〔2022〕111号); "
                    "2022 0.5703 confirmed (Feb 2023 notice); 2023 0.5306 uncertain.")
    benchmark: _by_year(Benchmark) = Field(
        description="Allocation benchmarks (tCO2/MWh supplied; heat tCO2/GJ) by data year and "
                    "unit category.  2019-2020 confirmed (ICAP; S&P, Nov 2020 draft); 2021 and "
                    "2022 uncertain (unsourced, consistent with ICAP's 6.5-18.8% cuts); 2023 "
                    "onward NOT FOUND in public sources: the 2022 values are carried forward "
                    "and must be replaced from the 2023/2024 allocation plan (Oct 2024).")


class Bands(Table):
    """``[checks.bands]``: plausibility bands by quantity, each a table of [low, high] by
    group (fuel code, unit category or ``all``).  A value outside a group's band is a
    warning; outside the wider ``<group>_critical`` band, critical."""

    cc_tc_per_gj: BandTable = Field(
        description="Carbon content per unit heat, by fuel (tC/GJ).")
    ncv_gj_per_t: BandTable = Field(description="NCV (as received), by fuel (GJ/t).")
    carbon_ar_pct: BandTable = Field(description="Carbon (as received), by fuel (%).")
    hydrogen_ad_pct: BandTable = Field(description="Hydrogen (air-dried basis) (%).")
    sulfur_total_pct: BandTable = Field(description="Total sulphur (%).")
    total_moisture_pct: BandTable = Field(description="Total moisture (%).")
    oxidation_rate: BandTable = Field(description="Carbon oxidation rate (share).")
    supply_coal_gce_per_kwh: BandTable = Field(
        description="Supply coal consumption (gce/kWh) by unit category (§6.3).")
    load_factor: BandTable = Field(
        description="Load (output) factor of months the unit ran: at most 1 by definition; "
                    "below about 0.2 a running unit is implausible (domain notes §6.3: "
                    "typical 0.5-0.85).")
    own_use_rate: BandTable = Field(
        description="Own-use rate (own use / generation) by unit category (share).")


class SectorChecks(Table):
    """``[checks.sectors]``: tolerances of the 2025 sectors' identities and balances
    (sectors-2025.md §2.6, §3.5, §4.5): a formula or physical law that does not hold is
    critical, an oddity a warning."""

    identity_rel_tol: Share = Field(
        description="Filed CO2 vs the guideline formula recomputed from the filed inputs "
                    "(relative).")
    sum_rel_tol: Share = Field(
        description="A total filed twice: crude steel vs BOF + EAF steel, the enterprise's tar "
                    "and benzene vs its coke ovens' (relative).")
    gas_balance_rel_tol: Share = Field(
        description="By-product gas imbalance / generated above which a warning (§2.6 check "
                    "3: above about 3-5 % is an alert).")
    gas_balance_critical_rel: Share = Field(
        description="By-product gas imbalance / generated above which critical.")
    ef_chemistry_abs_tol: Positive = Field(
        description="Filed clinker EF vs the EF of the filed CaO/MgO (tCO2/t).")
    ef_default_abs_tol: Positive = Field(
        description="A default clinker EF must equal its type's default to this (tCO2/t).")
    stock_carry_abs_t: NonNegative = Field(
        description="Opening clinker stock vs the previous month's closing stock (t).")
    default_match_min_months: Count = Field(
        description="Months on the fuel table's default a measured fuel CC needs before it is "
                    "critical (fewer: a warning, possibly chance).")
    filed_vs_report_abs_pct: Positive = Field(
        description="Filed clinker CaO/MgO, anode S/ash vs their lab report (points).")
    net_anode_abs_t_per_t: Positive = Field(
        description="Filed net anode consumption vs (gross − butts) / output (t/t).")
    ce_filed_abs_pct: Positive = Field(
        description="Filed current efficiency vs Faraday's for the output (points), warning.")
    history_min_months: CountOfTwo = Field(
        description="Months a facility needs before its own history judges a month.")
    history_rel_floor: Share = Field(
        description="Scale floor of the own-history z as a share of the facility's median.")
    peer_min_units: CountOfTwo = Field(
        description="Facilities a peer group (sector and route or clinker type) needs.")
    peer_rel_floor: Share = Field(
        description="Scale floor of the peer z as a share of the peer median.")


class SectorBands(Table):
    """``[checks.sector_bands]``: typical bands of the 2025 sectors by quantity, each a table
    of [low, high] by group (``all``, a steel route, a clinker type): a warning outside,
    critical outside the wider ``<group>_critical`` band (set only where the bound is
    physical).  The notes' values (§2.5, §3.4, §4.4), tagged uncertain there."""

    steel_intensity_t_per_t: SectorBandTable = Field(
        description="tCO2 per t crude steel by route (§2.5: BF-BOF 1.7-2.3, EAF 0.05-0.35).")
    metallic_yield: SectorBandTable = Field(
        description="Crude steel per t metallic charge (§2.6 check 5: 0.88-0.93).")
    coke_rate_kg_per_t_hm: SectorBandTable = Field(description="Coke rate (kg/t hot metal).")
    bfg_nm3_per_t_hm: SectorBandTable = Field(description="BFG generated (Nm3/t hot metal).")
    hot_metal_per_bof_steel: SectorBandTable = Field(
        description="Hot metal per t BOF steel (t/t).")
    tar_yield: SectorBandTable = Field(description="Coal tar per t coal charged (t/t).")
    benzene_yield: SectorBandTable = Field(description="Crude benzene per t coal charged.")
    clinker_intensity_t_per_t: SectorBandTable = Field(
        description="tCO2 per t clinker (§3.4: 0.78-0.90).")
    kiln_heat_gj_per_t: SectorBandTable = Field(description="Kiln fuel heat (GJ/t clinker).")
    raw_meal_ratio: SectorBandTable = Field(description="Raw meal per t clinker (t/t).")
    cao_clinker_pct: SectorBandTable = Field(description="Clinker CaO by clinker type (%).")
    mgo_clinker_pct: SectorBandTable = Field(description="Clinker MgO by clinker type (%).")
    ef_measured_tco2_per_t: SectorBandTable = Field(
        description="A measured or calculated clinker EF by type (tCO2/t).")
    capacity_use: SectorBandTable = Field(
        description="Clinker / (rated t/d × operating days) (share).")
    clinker_factor: SectorBandTable = Field(
        description="Clinker the mills used by the stock balance / cement made (share).")
    deduction_share: SectorBandTable = Field(
        description="Non-carbonate deductions / (Q × EF) (share).")
    carbide_share: SectorBandTable = Field(description="Carbide slag / raw meal (share).")
    ac_kwh_per_t: SectorBandTable = Field(description="Electrolysis AC kWh per t aluminium.")
    ce_implied_pct: SectorBandTable = Field(
        description="Current efficiency the output implies by Faraday's law (%).")
    net_anode_t_per_t: SectorBandTable = Field(description="Net anode per t aluminium (t/t).")
    s_plus_ash_pct: SectorBandTable = Field(description="Anode sulphur + ash (%).")
    aem_min_per_cell_day: SectorBandTable = Field(
        description="Anode-effect minutes per cell-day.")
    alumina_t_per_t: SectorBandTable = Field(description="Alumina per t aluminium (t/t).")
    aluminium_intensity_t_per_t: SectorBandTable = Field(
        description="tCO2e (anode CO2 + PFC) per t aluminium (§4.5 check 6: 1.45-1.9).")


class Checks(Table):
    """``[checks]``: thresholds of the screening checks.

    Bands are plausibility limits, not rules of law: a value outside them is a prompt for
    review.  Sections follow ``defaults.toml``; a new key there needs a field here.
    """

    # -- accounting identities ------------------------------------------------------------
    co2_recompute_rel_tol: Share = Field(
        description="Relative tolerance when recomputing CO2 = FC × NCV × CC × OF × 44/12 "
                    "(§7 check 1: 0.5%).")
    carbon_identity_abs_pct: Positive = Field(
        description="Filed C_ar (%) vs 100 × CC × NCV: absolute tolerance in percentage "
                    "points.")
    filed_vs_report_abs_carbon_pct: Positive = Field(
        description="Filed monthly C_ar vs the attached lab report's value (percentage "
                    "points); the deposit must carry the lab's number, so only rounding is "
                    "allowed.")
    filed_vs_report_abs_ncv_gj_per_t: Positive = Field(
        description="Filed monthly NCV vs the attached lab report's value (GJ/t); only "
                    "rounding is allowed.")
    default_match_abs_tc_per_gj: Positive = Field(
        description="A CC within this of the year's default (tC/GJ) *is* the default "
                    "(defaults have 5 decimals).")
    basis_conversion_abs_pct: Positive = Field(
        description="Lab C_ar recomputed from C_ad, M_t, M_ad vs the reported C_ar "
                    "(percentage points).")
    gbt213_ncv_abs_gj_per_t: Positive = Field(
        description="GB/T 213 NCV from gross CV, H and moisture vs the reported NCV (GJ/t).")
    gbt213_critical_factor: AtLeastOne = Field(
        description="Beyond this many times gbt213_ncv_abs_gj_per_t the NCV is critical "
                    "(rounding of the lab's inputs cannot explain it); between 1 and this "
                    "factor, a warning.")

    # -- consistency of operating data ----------------------------------------------------
    capacity_hours_rel_tol: ShareOrZero = Field(
        description="Generation may exceed capacity × operating hours by this share plus "
                    "capacity_hours_abs_mwh (rounding of hours and capacity), no more.")
    capacity_hours_abs_mwh: Positive = Field(
        description="Generation may exceed capacity × operating hours by "
                    "capacity_hours_rel_tol plus this many MWh, no more.")
    load_factor_abs_tol: Positive = Field(
        description="Filed load factor vs generation / (capacity × hours): absolute "
                    "tolerance.")
    energy_balance_abs_mwh: Positive = Field(
        description="supply = generation - own use: tolerance (MWh), plus "
                    "energy_balance_rel of generation.")
    energy_balance_rel: ShareOrZero = Field(
        description="supply = generation - own use: the relative share of generation added "
                    "to energy_balance_abs_mwh.")
    heat_allocation_efficiency: Rate = Field(
        description="Fuel heat per GJ of heat supplied is 1 / this efficiency when heat is "
                    "taken out of the supply coal consumption (boiler and network efficiency; "
                    "assumption, not a rule).")
    heat_drop_share: Share = Field(
        description="Heat supplied per MWh this far (share) below the highest of the 4 months "
                    "before and after in the same season is a heat drop.")
    daily_sum_rel_tol: Share = Field(
        description="Daily sums vs monthly value: relative tolerance.")

    # -- evidence -------------------------------------------------------------------------
    batch_min_reports: CountOfTwo = Field(
        description="Batch back-testing: this many or more of one unit's monthly reports "
                    "numbered in sequence (or reported within batch_report_days of each "
                    "other) look like one batch.")
    batch_rate_factor: AtLeastOne = Field(
        description="Back-to-back numbers also count when the lab's other reports advance so "
                    "fast that the run's dates should span more than this many times the "
                    "numbers they do.")
    batch_report_days: NonNegativeInt = Field(
        description="Batch back-testing: reports within this many days of each other look "
                    "like one batch.")

    # -- digits ---------------------------------------------------------------------------
    benford_min_n: Count = Field(
        description="Minimum population for the first-digit Benford test.  Nigrini's MAD "
                    "ignores N: a population that follows Benford exactly still shows an "
                    "expected MAD of about 0.26/sqrt(N), so below this size conforming data "
                    "would be called nonconforming.")
    benford_min_n_first_two: Count = Field(
        description="Minimum population for the first-two-digits Benford test (expected MAD "
                    "of conforming data about 0.084/sqrt(N)).")
    round_number_min_t: Positive = Field(
        description="Round-number test: only monthly coal figures of at least this many "
                    "tonnes are judged.")
    round_number_min_months: Count = Field(
        description="Round-number test: only enterprises with at least this many such "
                    "figures are judged.")
    round_number_share: Share = Field(
        description="Digits tests: share of values ending in 0 or 5 beyond which rounding is "
                    "suspected.")

    # -- statistical checks: time series and peers ----------------------------------------
    robust_z_warning: Positive = Field(
        description="Robust z-score, (x − median) / (1.4826·MAD), beyond which a value is "
                    "unusual.  Statistical checks raise warnings only (critical needs "
                    "corroboration, workbench/corroboration.py).")
    change_robust_z: Positive = Field(
        description="Robust z of a month-on-month change beyond which a step is flagged "
                    "(changes are noisier than levels).")
    stat_min_months: Count = Field(
        description="Statistical checks judge a unit only on this many months (or more) of "
                    "its own.")
    stat_min_operating_share: UnitInterval = Field(
        description="Quantities per MWh are judged only in months the unit ran at least this "
                    "share of the month (operating hours / hours of the month).")
    stat_min_capacity_share: UnitInterval = Field(
        description="Where operating hours are not filed: generation at least this share of "
                    "capacity × hours of the month.")
    seasonal_amplitude_min: AtLeastOne = Field(
        description="A unit's series is seasonal (district heating) when its 90th percentile "
                    "is at least this many times its median.")
    seasonal_min_units: Count = Field(
        description="Peers' seasonal profiles come from one province's units of a class, or "
                    "nationally when the province has fewer than this many.")
    seasonal_own_spread_min_months: Count = Field(
        description="A unit's own spread widens its seasonal band only once it has this many "
                    "months of the series.")
    seasonal_regime_factor: AtLeastOne = Field(
        description="Without other years, a unit-month is compared with the unit's months "
                    "whose peers' seasonal profile is within this factor of its own.")
    seasonal_scale_min_units: Count = Field(
        description="The scale of seasonal deviations is learned per peer group and month only "
                    "where at least this many units share it (else per month over all units).")
    seasonal_min_log_scale: Positive = Field(
        description="Floor of the learned log-ratio scale of seasonal baselines (0.02 ≈ 2 %).")
    peer_min_size: CountOfTwo = Field(
        description="Peer groups need at least this many units to be compared.")
    capacity_band_edges_mw: CapacityEdges = Field(
        description="Capacity bands split units at these capacities (MW): <200, 200-400, "
                    "400-700, >=700.")
    peer_min_rel_scale: Share = Field(
        description="Peer robust scale floor as a share of the population median.")
    carbon_ncv_rank_edges_gj_per_t: RankEdges = Field(
        description="Coal rank edges (GJ/t, the unit's median NCV): below the first "
                    "lignite-like, between sub-bituminous-like, above bituminous and better.")
    carbon_ncv_min_reports: CountOfTwo = Field(
        description="A rank with fewer reports than this joins its fuel's C_ar–NCV fit.")
    carbon_ncv_min_own_reports: CountOfTwo = Field(
        description="A unit with at least this many reports is judged against its own typical "
                    "residual and scatter.")
    carbon_ncv_min_scale_pct: Positive = Field(
        description="Floor of the C_ar–NCV band's scale (percentage points of C_ar).")

    # -- plausibility bands ---------------------------------------------------------------
    bands: Bands = Field(
        description="Plausibility bands by quantity.  [low, high]; \"warning\" outside the "
                    "band, \"critical\" outside the wider \"critical\" band.")
    sectors: SectorChecks = Field(
        description="Tolerances of the 2025 sectors' identities and balances.")
    sector_bands: SectorBands = Field(description="Typical bands of the 2025 sectors.")


class Materiality(Table):
    """``[materiality]`` (EU AVR art. 23: 5% for category A/B, 2% for category C > 500 kt)."""

    level_low: Share = Field(
        description="Materiality level of large installations (share of filed emissions; "
                    "2%).")
    level_high: Share = Field(
        description="Materiality level of the others (share of filed emissions; 5%).")
    large_installation_t: Positive = Field(
        description="Filed emissions (tCO2 a year) above which an installation is large and "
                    "level_low applies.")

    @field_validator("level_high")
    @classmethod
    def _high_above_low(cls, value: float, info: ValidationInfo) -> float:
        return _above(value, info, "level_low", "materiality")


class PerSeverity(Table):
    """A value per flag severity (``[risk] weights``, ``check_cap``)."""

    critical: NonNegative = Field(description="For critical flags.")
    warning: NonNegative = Field(description="For warning flags.")
    info: NonNegative = Field(description="For info flags.")


class Risk(Table):
    """``[risk]``: risk score and on-site spot-check sample."""

    weights: PerSeverity = Field(
        description="Risk score: weight per severity; a flag contributes weight × min(score, "
                    "cap).")
    score_cap: Positive = Field(
        description="Cap on a flag's score in its risk contribution, weight × min(score, cap).")
    repeat_decay: UnitInterval = Field(
        description="Repeated flags of one check on one unit saturate: the k-th strongest "
                    "counts repeat_decay^(k-1) of its points (1: no decay).")
    check_cap: PerSeverity = Field(
        description="Together the flags of one check on one unit count at most "
                    "check_cap[worst severity] points, so many warnings of one statistical "
                    "check on one unit (at most 9) never outrank one critical rule break (10+).")
    warning_total_cap: Positive = Field(
        description="An enterprise's warnings together approach but never reach this many "
                    "points (cap × (1 − e^(−total/cap))), so no amount of statistical "
                    "oddities outranks one critical rule break.")
    info_total_cap: Positive = Field(
        description="An enterprise's info flags together approach but never reach this many "
                    "points.")
    spot_check_per_city: NonNegativeInt = Field(
        description="City on-site spot checks: sample size per city (risk-weighted, seeded).")
    spot_check_seed: NonNegativeInt = Field(
        description="Seed of the spot-check sample, recorded in the results manifest so the "
                    "draw can be reproduced and audited.")


class CheckHealth(Table):
    """``[check_health]``: when reviewers' dismissals mark a check for tuning."""

    max_dismissal_share: Share = Field(
        description="A check whose decided findings were dismissed more often than this "
                    "share is listed for tuning (a dismissal is a labelled false alarm).")
    min_reviewed: Count = Field(
        description="... once at least this many findings citing it were decided.")


class Dashboard(Table):
    """``[dashboard]``: the supervisor dashboard (``workbench dashboard``: Voila serving
    notebooks/supervisor_dashboard.ipynb read-only)."""

    pool_size: NonNegativeInt = Field(
        description="Kernels kept preheated: each has loaded the dataset and drawn the "
                    "dashboard before a viewer comes, and holds the dataset in memory (about "
                    "0.35 GB at province scale, 0.72 GB at national scale).  0 starts a kernel "
                    "per viewer.  `--pool-size` overrides it.")
    refill_delay_s: NonNegative = Field(
        description="Seconds before a used pool kernel is replaced (a starting kernel takes "
                    "the CPU the viewers' pages need; docs/performance.md).")
    max_extra_kernels: NonNegativeInt = Field(
        description="Kernels beyond the pool a burst of viewers may start: at most "
                    "pool_size + max_extra_kernels kernels are alive or starting at once (at "
                    "least 1).  A viewer beyond the cap gets a busy page (HTTP 503, Chinese and "
                    "English) that retries by itself every 5 s; a used pool kernel is replaced "
                    "only when there is room.")
    cull_closed_s: Positive = Field(
        description="A kernel whose page has closed (no websocket connection left, or never "
                    "connected after the page was served) is shut down after this many "
                    "seconds.  Pool kernels waiting for a viewer are never culled.")
    cull_idle_s: NonNegativeInt = Field(
        description="Kernels idle this long (seconds) are shut down, pages still open "
                    "included.")
    heatmap_cities: Count = Field(
        description="Rows of the city x month heatmap: the cities with most problems (every "
                    "city is listed in the risk-by-city table).")
    allowed_hosts: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$"),
                                  _expect("a host name without port (e.g. audit.example.org)",
                                          "不含端口的主机名（如 audit.example.org）")]] = Field(
        description="Host names the dashboard answers to besides localhost and loopback "
                    "addresses (without the port); a request whose Host header names anything "
                    "else is refused (403), against DNS rebinding.")


class Findings(Table):
    """``[findings]``: the findings store (database: general.database_url)."""

    reviewer_provinces: dict[NonEmptyText, list[NonEmptyText]] = Field(
        description="Provinces each reviewer may write findings for; \"*\" grants every "
                    "province.  A reviewer with no entry (or no identity) may write nothing.")
    max_title_length: Count = Field(
        description="Maximum length (characters) of a finding's title; longer input is "
                    "refused, not cut.")
    max_text_length: Count = Field(
        description="Maximum length (characters) of a finding's description and any other "
                    "free text (dismissal reason); longer input is refused, not cut.")
    duplicate_window_s: Count = Field(
        description="Seconds within which a save repeating a reviewer's untouched finding "
                    "(same enterprise, content and evidence flags) returns that finding "
                    "instead of storing a duplicate.")
    four_eyes_close: Annotated[bool, _expect("true or false", "true 或 false")] = Field(
        description="Closing a finding needs a reviewer other than the one who marked it "
                    "rectified (per the audit log); a reason is needed either way.")


# --- factor tables (the 2025 sectors) -------------------------------------------------------

#: The factor tables of ``[factors.tables]``, each with versions keyed by guideline.
FACTOR_TABLES = ("fuels", "carbonates", "steel", "cement", "aluminium", "gwp")
#: What a factor row is: fuel NCV, carbon content per unit heat, oxidation factor; carbonate
#: factor; steel process material (``input``) or carbon-fixing product (``deduction``, also a
#: cement non-carbonate deduction factor); clinker EF; aluminium default, PFC slope factor,
#: C2F6/CF4 ratio, default PFC factor; global warming potential.
FACTOR_KINDS = ("ncv", "cc", "of", "carbonate", "input", "deduction", "clinker_ef", "default",
                "slope", "ratio", "pfc_default", "gwp")
#: Confidence tags of the domain notes (shared/domain/sectors-2025.md §0).
CONFIDENCE_TAGS = ("C", "T", "K", "U")

FactorCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$"),
                       _expect("a factor code (lower-case letters, digits and _)",
                               "因子代码（小写字母、数字和下划线）")]
FactorVersionName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
                              _expect("a version name (letters, digits, . _ -)",
                                      "版本名（字母、数字及 . _ -）")]
Confidence = Annotated[Literal[CONFIDENCE_TAGS],
                       _expect('a confidence tag: "C", "T", "K" or "U"',
                               '置信度标记："C"、"T"、"K" 或 "U"')]
FactorKind = Annotated[Literal[FACTOR_KINDS],
                       _expect(f"a factor kind: {', '.join(FACTOR_KINDS)}",
                               f"因子类型：{'、'.join(FACTOR_KINDS)}")]
Flag = Annotated[bool, _expect("true or false", "true 或 false")]


class FactorRow(Table):
    """One factor of a version of a factor table (``[factors.tables.<table>.<version>.rows.
    <code>]``): its value with unit, where it comes from and how sure that is."""

    label_zh: NonEmptyText = Field(description="Name in Chinese.")
    label_en: NonEmptyText = Field(description="Name in English.")
    kind: FactorKind = Field(description="What the factor is (FACTOR_KINDS).")
    value: Positive = Field(description="The value, in unit.")
    unit: NonEmptyText = Field(description="Unit of the value (tCO2/t, tC/GJ, GJ/t, %...).")
    source: NonEmptyText = Field(
        description="Document and section the value comes from (sectors-2025.md section).")
    confidence: Confidence = Field(
        description="Confidence tag of the domain notes: C confirmed, T third-party "
                    "implementation, K well-known reference value, U uncertain.")
    uncertain: Flag = Field(
        description="true where the notes mark the value open: use it only with its note.")
    note: Text = Field(description="Alternatives, caveats, what to confirm.")

    @field_validator("uncertain")
    @classmethod
    def _tag_u_is_uncertain(cls, value: bool, info: ValidationInfo) -> bool:
        if info.data.get("confidence") == "U" and not value:
            raise _expected("uncertain = true for a value tagged U",
                            "标记为 U 的取值须设 uncertain = true")
        return value


class FactorVersion(Table):
    """One version of a factor table, keyed by guideline: its rows and what the notes do not
    give (``not_found``, never invented)."""

    guideline: NonEmptyText = Field(description="Guideline (code) or reference of the version.")
    title_zh: NonEmptyText = Field(description="Title in Chinese.")
    title_en: NonEmptyText = Field(description="Title in English.")
    note: Text = Field(description="How the version's rows are used; caveats.")
    not_found: list[NonEmptyText] = Field(
        description="Values this version would need that the notes do not give.")
    rows: Annotated[dict[FactorCode, FactorRow], annotated_types.MinLen(1)] = Field(
        description="The factors, by code.")


FactorVersions = Annotated[dict[FactorVersionName, FactorVersion], annotated_types.MinLen(1)]


class FactorTables(Table):
    """``[factors.tables]``: every factor table, each a set of versions."""

    fuels: FactorVersions = Field(
        description="Fossil fuel defaults: NCV (GJ/t, GJ/10^4 Nm3), carbon content per unit "
                    "heat (tC/GJ) and oxidation factor, by version.")
    carbonates: FactorVersions = Field(
        description="Carbonate decomposition factors (tCO2/t), by version.")
    steel: FactorVersions = Field(
        description="Steel: process materials (tCO2/t) and carbon-fixing products deducted "
                    "(tCO2/t), by version.")
    cement: FactorVersions = Field(
        description="Cement clinker: default process EF by clinker type (tCO2/t clinker) and "
                    "non-carbonate deduction factors (tCO2/t), by version.")
    aluminium: FactorVersions = Field(
        description="Aluminium: anode defaults, PFC slope factor, C2F6/CF4 ratio and default "
                    "PFC factors, by version.")
    gwp: FactorVersions = Field(
        description="Global warming potentials of CF4 and C2F6 (tCO2e/t), by IPCC set.")


class Factors(Table):
    """``[factors]``: the factor tables of the 2025 sectors and the version of each in force
    (one line each)."""

    tables: FactorTables = Field(
        description="The factor tables, each with versions keyed by guideline.")
    fuels: FactorVersionName = Field(
        description="Version in force of factors.tables.fuels.")
    carbonates: FactorVersionName = Field(
        description="Version in force of factors.tables.carbonates.")
    steel: FactorVersionName = Field(description="Version in force of factors.tables.steel.")
    cement: FactorVersionName = Field(description="Version in force of factors.tables.cement.")
    aluminium: FactorVersionName = Field(
        description="Version in force of factors.tables.aluminium.")
    gwp: FactorVersionName = Field(
        description="GWP set in force for CF4 and C2F6 (a version of factors.tables.gwp; "
                    "uncertain: AR5 in a tool for the 2024 guideline, SAR in the 2013 era).")

    @field_validator(*FACTOR_TABLES)
    @classmethod
    def _a_version_of_its_table(cls, value: str, info: ValidationInfo) -> str:
        tables = info.data.get("tables")
        if tables is None:
            return value
        versions = list(getattr(tables, info.field_name))
        if value not in versions:
            raise _expected(f"a version of factors.tables.{info.field_name}: "
                            f"{', '.join(versions)}",
                            f"factors.tables.{info.field_name} 中的版本：{'、'.join(versions)}")
        return value


class WorkbenchConfig(Table):
    """The whole configuration: one field per top-level table of ``defaults.toml``."""

    general: General = Field(description="Language, mode, findings database, reviewer.")
    import_: Import = Field(alias="import", description="Reading platform exports.")
    policy: Policy = Field(description="Deadlines and default factors of the national ETS.")
    checks: Checks = Field(description="Thresholds and bands of the screening checks.")
    materiality: Materiality = Field(description="Materiality levels (EU AVR art. 23).")
    risk: Risk = Field(description="Risk score weights and the on-site spot-check sample.")
    check_health: CheckHealth = Field(description="Check health: dismissals and tuning.")
    dashboard: Dashboard = Field(description="The supervisor dashboard (Voila).")
    findings: Findings = Field(description="The findings store.")
    factors: Factors = Field(
        description="Versioned factor tables of the 2025 sectors and the versions in force.")


def _above(value: float, info: ValidationInfo, other: str, table: str) -> float:
    """``value`` when it exceeds the already validated field ``other`` (absent: invalid)."""
    low = info.data.get(other)
    if low is not None and not value > low:
        raise _expected(f"a number > {table}.{other} ({low:g})",
                        f"大于 {table}.{other}（{low:g}）的数")
    return value


# --- keys and messages ---------------------------------------------------------------------


def _key(name: str, field: FieldInfo) -> str:
    """The TOML key of a field (its alias: ``import``)."""
    return field.alias or name


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The table model of a field, or None for a value (or a keyed table of values)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _walk(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """(dotted key, field) of every field and table under ``model``, depth first."""
    for name, field in model.model_fields.items():
        dotted = prefix + _key(name, field)
        yield dotted, field
        sub = _submodel(field.annotation)
        if sub is not None:
            yield from _walk(sub, dotted + ".")


@cache
def config_fields() -> dict[str, FieldInfo]:
    """Every field and table of the configuration by dotted key (``checks.bands``,
    ``checks.bands.cc_tc_per_gj``, ``policy.natural_gas.cc_tc_per_gj``...), in the order
    of the model.  Entries of keyed tables (a year of a by-year table, a group of a band
    table) are data, not keys."""
    return dict(_walk(WorkbenchConfig))


def config_key_exists(dotted: str) -> bool:
    """Whether ``dotted`` names a field or a table of the configuration."""
    return dotted in config_fields()


#: The meaning of every threshold a check reads (its ``config_keys``) in Chinese, by dotted
#: key: the ``description`` of its field, for a reader in 中文 (:func:`field_description`).
DESCRIPTIONS_ZH: dict[str, str] = {
    "checks.co2_recompute_rel_tol":
        "按 CO2 = FC × NCV × CC × OF × 44/12 重算排放量"
        "时允许的相对偏差（默认 0.5%）。",
    "checks.carbon_identity_abs_pct":
        "填报的收到基元素碳含量 C_ar（%）与 100 × CC × NCV 之差的绝"
        "对容差（百分点）。",
    "checks.basis_conversion_abs_pct":
        "由空气干燥基元素碳含量 C_ad、全水分 M_t、空气干燥基水分 M_ad 换算"
        "出的收到基元素碳含量与检测报告所载 C_ar 之差的容差（百分点）。",
    "checks.filed_vs_report_abs_carbon_pct":
        "月度填报的收到基元素碳含量与所附检测报告数值之差的容差（百分点）；存证必须如实填"
        "报检测结果，只允许修约误差。",
    "checks.filed_vs_report_abs_ncv_gj_per_t":
        "月度填报的收到基低位发热量与所附检测报告数值之差的容差（GJ/t）；只允许修约误"
        "差。",
    "policy.default_coal_cc_tc_per_gj":
        "未实测含碳量时燃煤单位热值含碳量的缺省值，按数据年度（tC/GJ）。0.0335"
        "6 为2021年核算指南的取值；0.03085 来自生态环境部2022年6月8日"
        "通知，适用于2021和2022年度数据（已核实）。此后年度假定不变（尚待确认）。",
    "checks.default_match_abs_tc_per_gj":
        "单位热值含碳量与当年缺省值之差在此范围内（tC/GJ）即视为就是缺省值（缺省值有"
        "5位小数）。",
    "checks.bands.cc_tc_per_gj":
        "单位热值含碳量的合理范围，按燃料类别（tC/GJ）。",
    "checks.bands.ncv_gj_per_t":
        "收到基低位发热量的合理范围，按燃料类别（GJ/t）。",
    "checks.bands.carbon_ar_pct":
        "收到基元素碳含量的合理范围，按燃料类别（%）。",
    "checks.bands.oxidation_rate":
        "碳氧化率的合理范围（比例）。",
    "checks.bands.hydrogen_ad_pct":
        "空气干燥基氢含量的合理范围（%）。",
    "checks.bands.sulfur_total_pct":
        "全硫的合理范围（%）。",
    "checks.bands.total_moisture_pct":
        "全水分的合理范围（%）。",
    "checks.bands.supply_coal_gce_per_kwh":
        "供电煤耗的合理范围（gce/kWh），按机组类别。",
    "checks.bands.own_use_rate":
        "厂用电率（厂用电量 / 发电量）的合理范围，按机组类别（比例）。",
    "checks.bands.load_factor":
        "机组运行月份的负荷（出力）系数：按定义不超过 1；运行中的机组低于约 0.2 不"
        "合常理（典型值为 0.5–0.85）。",
    "checks.gbt213_ncv_abs_gj_per_t":
        "按 GB/T 213 由高位发热量、氢和水分算出的低位发热量与检测报告所载低位发"
        "热量之差的容差（GJ/t）。",
    "checks.gbt213_critical_factor":
        "偏差超过 gbt213_ncv_abs_gj_per_t 的这一倍数时判为严重（"
        "检测机构输入值的修约无法解释）；介于 1 倍与该倍数之间判为警告。",
    "checks.energy_balance_abs_mwh":
        "供电量 = 发电量 − 厂用电量：绝对容差（MWh），另加发电量的 energy"
        "_balance_rel 比例。",
    "checks.energy_balance_rel":
        "供电量 = 发电量 − 厂用电量：在 energy_balance_abs_mw"
        "h 之外另加的容差，占发电量的比例。",
    "checks.capacity_hours_rel_tol":
        "发电量最多可超过装机容量 × 运行小时的这一比例，另加 capacity_hou"
        "rs_abs_mwh（运行小时和容量的修约误差），不得再多。",
    "checks.capacity_hours_abs_mwh":
        "发电量最多可超过装机容量 × 运行小时的 capacity_hours_rel_"
        "tol 比例，另加这么多 MWh，不得再多。",
    "checks.load_factor_abs_tol":
        "填报的负荷系数与 发电量 / (装机容量 × 运行小时) 之差的绝对容差。",
    "checks.daily_sum_rel_tol":
        "日数据之和与月度值之差的相对容差。",
    "checks.heat_allocation_efficiency":
        "从供电煤耗中扣除供热部分时，每 GJ 供热量对应的燃料热量为 1 / 该效率（锅"
        "炉及管网效率；属于假设，并非规定）。",
    "policy.lab_report_deadline_days":
        "检测报告须在月后这么多天内出具（已确认，依据同一通知）。",
    "checks.batch_min_reports":
        "批量补测：同一机组的月度检测报告中，有这么多份或更多份编号连续（或在 batch"
        "_report_days 天内相继出具），即视为同一批次。",
    "checks.batch_report_days":
        "批量补测：相互间隔在这么多天以内出具的报告视为同一批次。",
    "checks.batch_rate_factor":
        "若该检测机构其他报告的编号推进很快，使这一串连续编号按日期本应跨越的编号数超过实"
        "际编号数的这一倍数，连续编号也计入。",
    "policy.deposit_deadline_days":
        "月度存证须在月后这么多天内完成（已确认：环办气候函〔2022〕111号，自202"
        "2年4月起）。",
    "checks.robust_z_warning":
        "稳健 z 值 (x − 中位数) / (1.4826 × 绝对中位差) 超过此值"
        "即视为异常。统计类检查只给出警告（升为严重需有同一机组同月的独立证据佐证）。",
    "checks.stat_min_months":
        "统计类检查只对自身数据至少有这么多个月的机组作出判断。",
    "checks.seasonal_amplitude_min":
        "机组序列的第90百分位数至少为其中位数的这一倍数时，视为具有季节性（集中供暖）。",
    "checks.seasonal_min_units":
        "同类机组的季节曲线取自同一省份同类别的机组；该省此类机组少于这一数量时改用全国数"
        "据。",
    "checks.seasonal_scale_min_units":
        "只有在某同类组某月份至少有这么多台机组时，才按同类组和月份学习季节偏差的尺度（否"
        "则按月份在全部机组上学习）。",
    "checks.seasonal_min_log_scale":
        "季节基线学习得到的对数比尺度的下限（0.02 约合 2%）。",
    "checks.seasonal_own_spread_min_months":
        "机组在该序列上至少有这么多个月的数据后，才用其自身离散程度放宽季节区间。",
    "checks.seasonal_regime_factor":
        "没有其他年份数据时，将某机组某月与该机组同类机组季节曲线值相差在这一倍数以内的其"
        "他月份相比较。",
    "checks.stat_min_operating_share":
        "按每兆瓦时计的量只在机组运行时间至少达到当月这一比例（运行小时 / 当月小时数）"
        "的月份判断。",
    "checks.stat_min_capacity_share":
        "未填报运行小时时：发电量至少达到 装机容量 × 当月小时数 的这一比例。",
    "checks.heat_drop_share":
        "每兆瓦时发电量的供热量比同一季节前后各4个月中的最高值低出这一比例，即为供热量骤"
        "降。",
    "checks.change_robust_z":
        "环比变化的稳健 z 值超过此值即标记为台阶式变化（变化量的噪声比水平值大）。",
    "checks.peer_min_size":
        "同类机组组至少要有这么多台机组才进行比较。",
    "checks.capacity_band_edges_mw":
        "按这些装机容量（MW）划分容量档：<200、200–400、400–700、≥7"
        "00。",
    "checks.peer_min_rel_scale":
        "同类机组稳健尺度的下限，以总体中位数的比例表示。",
    "checks.carbon_ncv_min_reports":
        "报告数少于此值的煤种并入其所属燃料的 C_ar–NCV 总体拟合。",
    "checks.carbon_ncv_min_own_reports":
        "至少有这么多份报告的机组，按其自身典型残差和离散程度判断。",
    "checks.carbon_ncv_min_scale_pct":
        "C_ar–NCV 回归带尺度的下限（收到基元素碳含量的百分点）。",
    "checks.carbon_ncv_rank_edges_gj_per_t":
        "煤种分界（GJ/t，取机组收到基低位发热量的中位数）：低于第一个值近似褐煤，两值"
        "之间近似次烟煤，高于第二个值为烟煤及以上。",
    "checks.benford_min_n":
        "首位数字本福特检验所需的最小样本量。平均绝对偏差的符合性区间不考虑样本量 N：即"
        "使完全服从本福特定律的总体，其平均绝对偏差的期望值也约为 0.26/√N，样本量"
        "低于此值时，符合规律的数据也会被判为不符合。",
    "checks.benford_min_n_first_two":
        "前两位数字本福特检验所需的最小样本量（符合规律的数据平均绝对偏差的期望值约为 0"
        ".084/√N）。",
    "checks.round_number_share":
        "数字特征检验：以 0 或 5 结尾的数值占比超过此值即怀疑经过凑整。",
    "checks.round_number_min_t":
        "整数检验：只判断至少达到这么多吨的月度耗煤量。",
    "checks.round_number_min_months":
        "整数检验：只判断至少有这么多个此类数值的企业。",
    "checks.sectors.identity_rel_tol":
        "钢铁、水泥、电解铝：按核算指南公式由填报参数重算排放量时允许的相对偏差。",
    "checks.sectors.sum_rel_tol":
        "同一总量两处填报（粗钢产量与转炉钢 + 电炉钢，"
        "企业层级与焦化工序的焦油、粗苯）允许的相对偏差。",
    "checks.sectors.gas_balance_rel_tol":
        "副产煤气平衡差额（产生 − 燃用 − 外供 − 放散）占产生量超过此比例即预警。",
    "checks.sectors.gas_balance_critical_rel":
        "副产煤气平衡差额占产生量超过此比例即为严重（煤气柜只能容纳数小时产量）。",
    "checks.sectors.ef_chemistry_abs_tol":
        "填报熟料排放因子与由熟料 CaO、MgO 算出的排放因子之差的容差（tCO2/t）。",
    "checks.sectors.ef_default_abs_tol":
        "标为缺省值的熟料排放因子须与其熟料类别的缺省值相差不超过此值（tCO2/t）。",
    "checks.sectors.stock_carry_abs_t":
        "熟料期初库存与上月期末库存之差的容差（t）。",
    "checks.sectors.default_match_min_months":
        "实测燃料单位热值含碳量有这么多个月等于燃料缺省值（典型值）即为严重；月数更少可能是巧合，为预警。",
    "checks.sectors.filed_vs_report_abs_pct":
        "填报的熟料 CaO、MgO 和炭阳极硫分、灰分与检测报告之差的容差（百分点），只允许修约误差。",
    "checks.sectors.net_anode_abs_t_per_t":
        "填报吨铝阳极净耗与 (毛耗 − 残极) / 铝液产量 之差的容差（t/t）。",
    "checks.sectors.ce_filed_abs_pct":
        "填报电流效率与按法拉第定律由产量推算的电流效率之差超过此值即预警（百分点）。",
    "checks.sectors.history_min_months":
        "设施至少有这么多个月的数据，才以其自身历史判断某月是否异常。",
    "checks.sectors.history_rel_floor":
        "自身历史稳健 z 值的尺度下限，占该设施中位数的比例（熟料过程排放因子应基本恒定，±2%）。",
    "checks.sectors.peer_min_units":
        "同类（同行业、同工艺路线或同熟料类别）至少有这么多个设施才做对标。",
    "checks.sectors.peer_rel_floor":
        "同类对标稳健 z 值的尺度下限，占同类中位数的比例。",
    "checks.sector_bands.steel_intensity_t_per_t":
        "吨粗钢排放量（tCO2/t）按工艺路线的合理范围（长流程 1.7–2.3，电炉 0.05–0.35）。",
    "checks.sector_bands.metallic_yield":
        "粗钢产量 / 金属料（铁水 + 废钢 + 生铁 + 直接还原铁）"
        "的合理范围；超过 1 即钢多于投入的金属。",
    "checks.sector_bands.coke_rate_kg_per_t_hm":
        "高炉焦比（kg/t 铁水）的合理范围。",
    "checks.sector_bands.bfg_nm3_per_t_hm":
        "吨铁高炉煤气发生量（Nm3/t 铁水）的合理范围。",
    "checks.sector_bands.hot_metal_per_bof_steel":
        "转炉钢铁水比（t 铁水 / t 转炉钢）的合理范围。",
    "checks.sector_bands.tar_yield":
        "焦油产量占装炉煤的比例的合理范围；超过严重上限即多于炼焦煤挥发分所能产出。",
    "checks.sector_bands.benzene_yield":
        "粗苯产量占装炉煤的比例的合理范围。",
    "checks.sector_bands.clinker_intensity_t_per_t":
        "吨熟料排放量（tCO2/t）的合理范围。",
    "checks.sector_bands.kiln_heat_gj_per_t":
        "吨熟料燃料热耗（GJ/t）的合理范围。",
    "checks.sector_bands.raw_meal_ratio":
        "料耗比（生料 / 熟料，t/t）的合理范围。",
    "checks.sector_bands.cao_clinker_pct":
        "按熟料类别的熟料 CaO 含量（%）合理范围；低于严重下限的样品不是硅酸盐水泥熟料。",
    "checks.sector_bands.mgo_clinker_pct":
        "按熟料类别的熟料 MgO 含量（%）合理范围。",
    "checks.sector_bands.ef_measured_tco2_per_t":
        "实测或计算的熟料排放因子（tCO2/t）合理范围，超出须说明理由。",
    "checks.sector_bands.capacity_use":
        "熟料产量 / (额定日产能 × 运转天数) 的合理范围；允许超额定 10%，超 25% 为严重。",
    "checks.sector_bands.clinker_factor":
        "按熟料库存平衡推算的自用熟料量 / 水泥产量 的合理范围；超过 1 即磨用熟料多于所产水泥。",
    "checks.sector_bands.deduction_share":
        "非碳酸盐替代原料扣减量占 熟料产量 × 排放因子 的比例，"
        "通常低于 5%；掺电石渣的生产线天然更高，故超过 8% 才预警。",
    "checks.sector_bands.carbide_share":
        "电石渣占生料的比例；超过 15% 可豁免基准线法配额分配，须核实。",
    "checks.sector_bands.ac_kwh_per_t":
        "铝液交流电耗（kWh/t）的合理范围。",
    "checks.sector_bands.ce_implied_pct":
        "按法拉第定律由产量推算的电流效率（%）合理范围；超过 100% 在物理上不可能。",
    "checks.sector_bands.net_anode_t_per_t":
        "吨铝炭阳极净耗（t/t）合理范围；低于 0.334 即少于还原所需的碳。",
    "checks.sector_bands.s_plus_ash_pct":
        "炭阳极硫分与灰分之和（%）的合理上限（超过 3.5% 须警惕）。",
    "checks.sector_bands.aem_min_per_cell_day":
        "平均每天每槽阳极效应持续时间（分钟）的合理范围。",
    "checks.sector_bands.alumina_t_per_t":
        "吨铝氧化铝单耗（t/t）合理范围；低于 1.889 即少于金属所含的氧化铝。",
    "checks.sector_bands.aluminium_intensity_t_per_t":
        "吨铝排放量（阳极 CO2 + 全氟化碳，tCO2e/t）的合理范围。",
    "factors":
        "2025年新纳入行业（钢铁、水泥、铝冶炼）的分版本因子表及各表当前采用的版本。",
    "factors.tables":
        "全部因子表，每张表按核算指南分版本。",
    "factors.tables.fuels":
        "化石燃料缺省值：低位发热量（GJ/t、GJ/万Nm3）、单位热值含碳量（tC/GJ）和碳氧化率，"
        "按版本。",
    "factors.tables.carbonates":
        "碳酸盐分解排放因子（tCO2/t），按版本。",
    "factors.tables.steel":
        "钢铁：原料（熔剂、电极、外购含碳原料）排放因子和固碳产品扣减因子（tCO2/t），按版本。",
    "factors.tables.cement":
        "水泥熟料：按熟料类别的过程排放因子缺省值（tCO2/t 熟料）和非碳酸盐替代原料扣减系数"
        "（tCO2/t），按版本。",
    "factors.tables.aluminium":
        "铝冶炼：炭阳极参数缺省值、CF4 斜率系数、C2F6/CF4 比值和 PFC 缺省排放因子，按版本。",
    "factors.tables.gwp":
        "CF4 和 C2F6 的全球变暖潜势（tCO2e/t），按 IPCC 评估报告版本。",
    "factors.fuels":
        "当前采用的 factors.tables.fuels 版本。",
    "factors.carbonates":
        "当前采用的 factors.tables.carbonates 版本。",
    "factors.steel":
        "当前采用的 factors.tables.steel 版本。",
    "factors.cement":
        "当前采用的 factors.tables.cement 版本。",
    "factors.aluminium":
        "当前采用的 factors.tables.aluminium 版本。",
    "factors.gwp":
        "当前采用的 CF4、C2F6 全球变暖潜势版本（factors.tables.gwp 中的版本；尚待确认："
        "实施2024年指南的工具采用 AR5，2013年指南时期采用 SAR）。",
}


def field_description(dotted: str, locale: str) -> str:
    """What the configuration key ``dotted`` means, in ``locale``: its Chinese description
    (:data:`DESCRIPTIONS_ZH`) for ``zh-CN``, else (and where it has none) its field's
    ``description``."""
    if locale.startswith("zh") and dotted in DESCRIPTIONS_ZH:
        return DESCRIPTIONS_ZH[dotted]
    return config_fields()[dotted].description or ""


def _model_at(keys: list[str]) -> type[BaseModel] | None:
    """The table model at ``keys`` below the root, through entries of keyed tables (a year
    of ``policy.benchmark``); None when that is not a table."""
    model: type[BaseModel] | None = WorkbenchConfig
    annotation: Any = None
    for part in keys:
        if model is None:                  # an entry of a keyed table: the entries' type
            annotation = get_args(annotation)[-1] if get_args(annotation) else None
        else:
            annotation = {_key(n, f): f for n, f in model.model_fields.items()}[part].annotation
        model = _submodel(annotation)
    return model


def _suggest(keys: list[str]) -> list[str]:
    """Known dotted keys close to the unknown one at ``keys``: siblings first, else keys of
    the same name (or nearly) in other tables."""
    parent, name = keys[:-1], keys[-1]
    model = _model_at(parent)
    siblings = [_key(n, f) for n, f in model.model_fields.items()] if model else []
    close = difflib.get_close_matches(name, siblings, n=1)
    if close:
        return [".".join([*parent, close[0]])]
    by_name: dict[str, list[str]] = {}
    for dotted in config_fields():
        by_name.setdefault(dotted.rsplit(".", 1)[-1], []).append(dotted)
    return [dotted for c in difflib.get_close_matches(name, by_name, n=1, cutoff=0.8)
            for dotted in by_name[c]]


def _render(value: Any) -> str:
    """A value as TOML would show it (``"abc"``, ``true``, ``[1, 2]``)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _dotted(loc: tuple[str | int, ...]) -> str:
    """``checks.bands.ncv_gj_per_t.coal``; list items as ``import.fallback_encodings[1]``."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _unknown(keys: list[str], value: Any) -> tuple[str, str]:
    """(English, Chinese) of an unknown key or table, with the keys it may have meant."""
    what_en, what_zh = ("table", "表") if isinstance(value, dict) else ("key", "键")
    close = _suggest(keys)
    if close:
        return (f"unknown {what_en}; did you mean {' or '.join(close)}?",
                f"未知的{what_zh}，是否应为 {' 或 '.join(close)}？")
    table = ".".join(keys[:-1])
    where_en, where_zh = (f"[{table}]", f"[{table}]") if table else ("the top level", "顶层")
    return (f"unknown {what_en} (the keys of {where_en} are in workbench/defaults.toml)",
            f"未知的{what_zh}（{where_zh}的键见 workbench/defaults.toml）")


def _problem(error: Any) -> tuple[str, str]:
    """(English, Chinese) of one pydantic error."""
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "expected":
        got_en, got_zh = ctx.get("got_en", _render(value)), ctx.get("got_zh", _render(value))
        return (f"expected {ctx['en']}, got {got_en}{ctx['hint_en']}",
                f"应为{ctx['zh']}，实为 {got_zh}{ctx['hint_zh']}")
    if kind == "extra_forbidden":
        return _unknown([str(p) for p in error["loc"]], value)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a table, got {_render(value)}", f"应为表，实为 {_render(value)}"
    if kind == "list_type":
        return f"expected a list, got {_render(value)}", f"应为列表，实为 {_render(value)}"
    if kind == "too_short":
        n = ctx["min_length"]
        return (f"expected at least {n} entries, got {len(value)}",
                f"应至少有 {n} 项，实为 {len(value)} 项")
    return error["msg"], "取值无效"


def _missing(table: str, keys: list[str]) -> str:
    """The line for the missing keys of one table."""
    return (f"{table}: missing {', '.join(keys)} (a table of this kind needs all its keys) / "
            f"缺少 {'、'.join(keys)}（此类表须列出全部键）")


def explain(exc: ValidationError) -> list[str]:
    """One line per problem: ``dotted.key: English / 中文``, saying what was expected and
    what was found (for an unknown key, the known key it may have meant).  The missing keys
    of one table (a new year of ``policy.benchmark`` lacking some) make one line."""
    items: list[str | tuple[str, list[str]]] = []
    missing: dict[str, list[str]] = {}
    for error in exc.errors():
        if error["type"] != "missing":
            items.append(f"{_dotted(error['loc'])}: {' / '.join(_problem(error))}")
            continue
        table = _dotted(error["loc"][:-1])
        if table not in missing:
            missing[table] = []
            items.append((table, missing[table]))
        missing[table].append(str(error["loc"][-1]))
    return [item if isinstance(item, str) else _missing(*item) for item in items]
