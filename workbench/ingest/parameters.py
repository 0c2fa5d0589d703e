"""Checks of the long ``monthly_parameters`` table that depend on the parameter code.

Each row's ``unit`` must be the parameter's canonical unit or convertible to
it (:mod:`workbench.ingest.units`); a convertible row is converted, keeps its
filed value and unit in ``original_value``/``original_unit`` and is counted in
the import's conversions.  The converted value must then lie within the
parameter's physically possible range (:data:`workbench.schema.PARAMETERS`),
and operating hours cannot exceed the hours of the month.  Work is done once
per distinct (parameter, unit) pair and per distinct period, then broadcast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.ingest import units
from workbench.ingest.issues import Issues, fmt_numbers
from workbench.ingest.reasons import Bi

TABLE = "monthly_parameters"
HOURS_CODE = "operating_hours_h"
_OK, _SKIP, _UNKNOWN, _MISMATCH = 0, 1, 2, 3


def _label(column: str) -> Bi:
    c = schema.TABLES[TABLE].column(column)
    return Bi(f"{c.label_zh}({c.name})", c.name)


def _unit_status(code: str | None, filed: str | None) -> tuple[int, float]:
    """(status, factor) of one distinct (parameter, filed unit) pair."""
    if code is None or filed is None:
        return _SKIP, np.nan
    try:
        return _OK, units.factor(filed, schema.PARAMETERS[code].unit)
    except units.UnitError:
        try:
            units.lookup(filed)
        except units.UnitError:
            return _UNKNOWN, np.nan
        return _MISMATCH, np.nan


def check_parameters(frame: pd.DataFrame, filed_value: pd.Series, issues: Issues
                     ) -> list[units.Conversion]:
    """Convert units, then check per-parameter bounds and monthly hours (``frame`` is modified).

    ``frame`` holds the parsed canonical columns, ``filed_value`` the value cells
    as read; rows whose parameter code or unit is missing or malformed are left
    to the column checks.
    """
    p_codes, p_uniques = pd.factorize(frame["parameter_code"])
    u_codes, u_uniques = pd.factorize(frame["unit"])
    width = len(u_uniques) + 1
    pair, pairs = pd.factorize(p_codes.astype(np.int64) * width + u_codes + 1)
    statuses, factors = [], []
    for value in pairs:
        pi, ui = divmod(int(value), width)
        code = p_uniques[pi] if pi >= 0 else None
        filed = u_uniques[ui - 1] if ui > 0 else None
        status, f = _unit_status(code, filed)
        statuses.append(status)
        factors.append(f)
    status = np.asarray(statuses, dtype=np.int64)[pair] if pairs.size else np.zeros(0, int)
    factor = np.asarray(factors, dtype=float)[pair] if pairs.size else np.zeros(0)

    canon = np.array([schema.PARAMETERS[c].unit for c in p_uniques] + [""], dtype=object)
    zh = np.array([f"{schema.PARAMETERS[c].label_zh}({c})" for c in p_uniques] + [""],
                  dtype=object)
    en = np.array(list(p_uniques) + [""], dtype=object)
    canon_unit, parameter = canon[p_codes], Bi(zh[p_codes], en[p_codes])
    filed_unit = frame["unit"]
    issues.add(status == _UNKNOWN, "unknown_unit", "unit", filed_unit, column=_label("unit"),
               parameter=parameter, expected=canon_unit)
    issues.add(status == _MISMATCH, "unit_mismatch", "unit", filed_unit, column=_label("unit"),
               parameter=parameter, expected=canon_unit)

    ok = status == _OK
    parsed = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    converted = ok & (filed_unit.to_numpy(dtype=object, na_value="") != canon_unit)
    value = np.where(converted, parsed * factor, parsed)
    frame["value"] = value
    frame["unit"] = pd.Series(np.where(ok, canon_unit, filed_unit.to_numpy(dtype=object)),
                              dtype="string")
    frame["original_value"] = frame["original_value"].mask(converted, parsed)
    frame["original_unit"] = frame["original_unit"].mask(converted, filed_unit)
    _check_bounds(frame, filed_value, value, ok, p_codes, p_uniques, canon_unit, parameter,
                  issues)
    return _conversions(converted, pair, pairs, width, p_uniques, u_uniques, factor)


def _check_bounds(frame: pd.DataFrame, filed_value: pd.Series, value: np.ndarray,
                  ok: np.ndarray, p_codes: np.ndarray, p_uniques: pd.Index,
                  canon_unit: np.ndarray, parameter: Bi, issues: Issues) -> None:
    """Parameter min/max and operating hours within the month, on converted values."""
    lo = np.array([_bound(schema.PARAMETERS[c].min_value, -np.inf) for c in p_uniques]
                  + [-np.inf])[p_codes]
    hi = np.array([_bound(schema.PARAMETERS[c].max_value, np.inf) for c in p_uniques]
                  + [np.inf])[p_codes]
    shown = np.isfinite(value) & ok
    period_codes, periods = pd.factorize(frame["period"])
    hours = np.array([schema.hours_in_period(p) for p in periods] + [np.inf])[period_codes]
    is_hours = np.array([c == HOURS_CODE for c in p_uniques] + [False])[p_codes]
    over = shown & is_hours & (value > hours)  # the month's hours are the tighter bound
    below, above = shown & (value < lo), shown & (value > hi) & ~over
    column = _label("value")
    for mask, code, bound in ((below, "param_below_min", lo), (above, "param_above_max", hi)):
        issues.add(mask, code, "value", filed_value, column=column,
                   parameter=parameter, value=fmt_numbers(value, mask, canon_unit),
                   expected=fmt_numbers(bound, mask, canon_unit))
    issues.add(over, "hours_exceed", "value", filed_value, column=column,
               value=fmt_numbers(value, over), expected=fmt_numbers(hours, over),
               period=frame["period"].astype(str))


def _bound(value: float | None, default: float) -> float:
    return default if value is None else float(value)


def _conversions(converted: np.ndarray, pair: np.ndarray, pairs: np.ndarray, width: int,
                 p_uniques: pd.Index, u_uniques: pd.Index, factor: np.ndarray
                 ) -> list[units.Conversion]:
    """One record per distinct (parameter, filed unit) that was converted."""
    out = []
    for k in np.unique(pair[converted]):
        pi, ui = divmod(int(pairs[k]), width)
        code = p_uniques[pi]
        rows = pair == k
        out.append(units.Conversion(TABLE, {"parameter_code": code}, u_uniques[ui - 1],
                                    schema.PARAMETERS[code].unit, float(factor[rows][0]), rows))
    return out
