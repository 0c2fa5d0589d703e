"""Units of measure and the explicit conversions between them.

Every unit the importer accepts is listed in :data:`UNITS` with the exact
factor that turns one of it into the canonical unit of its quantity (the unit
the data contract stores, e.g. ``GJ/t`` for heating value per mass).  The
factor between any two units of the same quantity follows from these, so
``factor("kcal/kg", "GJ/t") == 4.1868e-3`` and ``factor("GJ/t", "kcal/kg")``
is its exact inverse.  Nothing is guessed: a unit that is not listed, or a
pair of units that measure different quantities, raises :class:`UnitError`
and the importer rejects the row.

Unit strings are matched after :func:`normalise`: Unicode NFKC (full-width
``（）／％`` and superscript ``³`` become ASCII), whitespace and multiplication
dots removed, ``^`` dropped and case folded, so ``万 Nm³``, ``万Nm3`` and
``万nm^3`` are the same unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np


class UnitError(ValueError):
    """A unit is unknown, or cannot be converted to the unit asked for."""


@dataclass(frozen=True)
class Unit:
    """A unit: ``1 symbol = factor × base`` where ``base`` is its quantity's canonical unit."""

    symbol: str
    base: str
    factor: float
    aliases: tuple[str, ...] = ()


#: kcal (international table calorie) in kJ: the factor behind every kcal conversion.
KCAL_KJ = 4.1868

_DEFINITIONS = (
    # mass and emissions (t)
    Unit("t", "t", 1.0, ("吨", "tCO2", "吨二氧化碳", "tCO2e")),
    Unit("kg", "t", 1e-3, ("千克", "公斤")),
    Unit("kt", "t", 1e3, ("千吨", "10^3t")),
    Unit("万t", "t", 1e4, ("万吨", "10^4t", "万tCO2", "万吨二氧化碳")),
    # gas volume at normal conditions (knm3 = 1000 Nm3)
    Unit("knm3", "knm3", 1.0, ("千立方米", "千标准立方米", "10^3Nm3", "10^3m3")),
    Unit("Nm3", "knm3", 1e-3, ("m3", "立方米", "标准立方米", "标方")),
    Unit("万Nm3", "knm3", 10.0, ("万立方米", "万标准立方米", "万m3", "万标方", "10^4Nm3",
                                "10^4m3")),
    Unit("亿Nm3", "knm3", 1e5, ("亿立方米", "亿m3")),
    # heating value per mass (GJ/t); 1 MJ/kg = 1 GJ/t
    Unit("GJ/t", "GJ/t", 1.0, ("吉焦/吨",)),
    Unit("MJ/kg", "GJ/t", 1.0, ("兆焦/千克",)),
    Unit("kJ/kg", "GJ/t", 1e-3, ("J/g", "千焦/千克", "焦/克")),
    Unit("kcal/kg", "GJ/t", KCAL_KJ * 1e-3, ("cal/g", "大卡/千克", "千卡/千克", "大卡/公斤")),
    # heating value per gas volume (GJ/knm3); 1 MJ/Nm3 = 1 GJ/knm3
    Unit("GJ/knm3", "GJ/knm3", 1.0, ("GJ/10^3Nm3", "GJ/千立方米")),
    Unit("MJ/Nm3", "GJ/knm3", 1.0, ("MJ/m3", "兆焦/立方米")),
    Unit("kJ/Nm3", "GJ/knm3", 1e-3, ("kJ/m3", "千焦/立方米")),
    Unit("kcal/Nm3", "GJ/knm3", KCAL_KJ * 1e-3, ("kcal/m3", "大卡/立方米")),
    Unit("GJ/万Nm3", "GJ/knm3", 0.1, ("GJ/万m3", "GJ/万立方米", "GJ/10^4Nm3", "吉焦/万立方米")),
    # electricity (MWh)
    Unit("MWh", "MWh", 1.0, ("兆瓦时", "千千瓦时")),
    Unit("kWh", "MWh", 1e-3, ("千瓦时", "度")),
    Unit("万kWh", "MWh", 10.0, ("万千瓦时", "万度")),
    Unit("GWh", "MWh", 1e3, ("吉瓦时", "百万千瓦时")),
    Unit("亿kWh", "MWh", 1e5, ("亿千瓦时", "亿度")),
    # heat and energy (GJ)
    Unit("GJ", "GJ", 1.0, ("吉焦", "百万千焦")),
    Unit("MJ", "GJ", 1e-3, ("兆焦",)),
    Unit("kJ", "GJ", 1e-6, ("千焦",)),
    Unit("TJ", "GJ", 1e3, ("太焦",)),
    Unit("万GJ", "GJ", 1e4, ("万吉焦",)),
    # power (MW)
    Unit("MW", "MW", 1.0, ("兆瓦",)),
    Unit("kW", "MW", 1e-3, ("千瓦",)),
    Unit("万kW", "MW", 10.0, ("万千瓦",)),
    Unit("GW", "MW", 1e3, ("吉瓦", "百万千瓦")),
    # fractions (dimensionless 1); the contract files carbon content in %
    Unit("1", "1", 1.0, ("无量纲", "dimensionless", "fraction")),
    Unit("%", "1", 1e-2, ("percent", "百分比")),
    # carbon per unit heat (tC/GJ)
    Unit("tC/GJ", "tC/GJ", 1.0, ("吨碳/吉焦",)),
    Unit("tC/TJ", "tC/GJ", 1e-3, ("吨碳/太焦",)),
    Unit("kgC/GJ", "tC/GJ", 1e-3, ("千克碳/吉焦",)),
    # time (h) and days (d)
    Unit("h", "h", 1.0, ("小时", "hr", "hrs", "hours")),
    Unit("d", "d", 1.0, ("天", "日", "days")),
    # the 2025 sectors: electricity per t of product, mass ratios, emission factors per t,
    # anode-effect minutes, line current and cell voltage, rated daily output
    Unit("kWh/t", "kWh/t", 1.0, ("千瓦时/吨", "度/吨")),
    Unit("MWh/t", "kWh/t", 1e3, ("兆瓦时/吨",)),
    Unit("t/t", "t/t", 1.0, ("吨/吨",)),
    Unit("kg/t", "t/t", 1e-3, ("千克/吨", "公斤/吨")),
    Unit("tCO2/t", "tCO2/t", 1.0, ("吨二氧化碳/吨",)),
    Unit("kgCO2/t", "tCO2/t", 1e-3, ("千克二氧化碳/吨",)),
    Unit("min/(cell·d)", "min/(cell·d)", 1.0, ("分钟/(槽·日)", "min/cell-day", "分钟/槽日")),
    Unit("kA", "kA", 1.0, ("千安",)),
    Unit("A", "kA", 1e-3, ("安", "安培")),
    Unit("V", "V", 1.0, ("伏", "伏特")),
    Unit("mV", "V", 1e-3, ("毫伏",)),
    Unit("t/d", "t/d", 1.0, ("吨/天", "吨/日")),
)

#: Every accepted unit by its symbol.
UNITS: dict[str, Unit] = {u.symbol: u for u in _DEFINITIONS}

_DROP = re.compile(r"[\s·•⋅∙^]+")


def normalise(text: str) -> str:
    """The lookup key of a unit string: NFKC, no whitespace/dots/carets, case folded."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _index() -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for unit in _DEFINITIONS:
        for spelling in (unit.symbol, *unit.aliases):
            key = normalise(spelling)
            if key in out and out[key] is not unit:
                raise RuntimeError(f"unit spelling {spelling!r} is ambiguous")
            out[key] = unit
    return out


_BY_KEY = _index()


def lookup(text: str) -> Unit:
    """The unit a string names (:class:`UnitError` if none does)."""
    unit = _BY_KEY.get(normalise(text))
    if unit is None:
        raise UnitError(f"unknown unit {text!r}")
    return unit


def factor(from_unit: str, to_unit: str) -> float:
    """Multiply a value in ``from_unit`` by this to get it in ``to_unit``.

    Raises :class:`UnitError` when either unit is unknown or they measure
    different quantities (e.g. ``kWh`` and ``t``).
    """
    src, dst = lookup(from_unit), lookup(to_unit)
    if src.base != dst.base:
        raise UnitError(f"{from_unit!r} ({src.base}) cannot be converted to {to_unit!r} "
                        f"({dst.base})")
    if src is dst:
        return 1.0
    return src.factor / dst.factor


@dataclass
class Conversion:
    """A conversion applied to some rows of an import, for the report and the import log.

    ``target`` is ``{"column": name}`` (a unit-bearing header) or
    ``{"parameter_code": code}`` (a monthly row filed in another unit); ``rows``
    marks the converted rows of the table.
    """

    table: str
    target: dict[str, str]
    from_unit: str
    to_unit: str
    factor: float
    rows: np.ndarray = field(repr=False)

    def entry(self, accepted: np.ndarray) -> dict[str, object]:
        """The JSON record, counting only converted rows that were accepted."""
        return {"table": self.table, **self.target, "from_unit": self.from_unit,
                "to_unit": self.to_unit, "factor": self.factor,
                "rows": int((self.rows & accepted).sum())}
