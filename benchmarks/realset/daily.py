"""Daily data (以日保月): daily fuel and generation that add up exactly to the month.

For a unit-month the unit ran ``ceil(hours / 24)`` days; the idle days form one
block at a random place.  Running days share the month's generation by a daily
load (gamma-distributed, a little lower at weekends); fuel follows generation with
±2 % day-to-day scatter.  Values are split in their last reported digit (0.001
MWh, 0.01 t, 0.001 knm3) by largest remainders, so the days add up to the
monthly value exactly.  Built from the clean frame: an enterprise that later
under-reports its monthly coal leaves its daily records (DCS, weighbridge) alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Daily parameter -> (wide column, decimals).
SERIES = {"generation_mwh": ("generation_mwh", 3), "coal_consumption_t": ("coal_consumption_t", 2),
          "gas_consumption_knm3": ("gas_consumption_knm3", 3)}


def _split(total: np.ndarray, weight: np.ndarray, decimals: int) -> np.ndarray:
    """Rows of ``weight`` (n × 31) scaled to ``total`` exactly in the last digit."""
    scale = 10 ** decimals
    units = np.round(np.nan_to_num(total) * scale).astype(np.int64)
    share = weight / np.where(weight.sum(axis=1, keepdims=True) > 0,
                              weight.sum(axis=1, keepdims=True), 1.0)
    raw = units[:, None] * share
    base = np.floor(raw).astype(np.int64)
    left = units - base.sum(axis=1)
    order = np.argsort(-(raw - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(order.shape[1])[None, :], axis=1)
    return (base + (rank < left[:, None])) / scale


def daily_values(w: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Long daily rows (``unit_id``, ``date``, ``parameter_code``, ``value``) of all of ``w``."""
    n = len(w)
    days = w["days"].to_numpy()
    day = np.arange(31)[None, :]
    valid = day < days[:, None]
    hours = w["operating_hours_h"].to_numpy()
    run_days = np.minimum(np.ceil(hours / 24.0).astype(int), days)
    idle = days - run_days
    idle_start = (rng.random(n) * (days - idle + 1)).astype(int)
    off = (day >= idle_start[:, None]) & (day < (idle_start + idle)[:, None])
    start = pd.to_datetime(w["period"] + "-01").to_numpy()
    weekday = (pd.DatetimeIndex(start).day_of_week.to_numpy()[:, None] + day) % 7
    load = rng.gamma(25.0, 1.0, (n, 31)) * np.where(weekday >= 5, 0.95, 1.0)
    weight = np.where(valid & ~off, load, 0.0)
    gas = (w["family"] == "gas").to_numpy()
    frames = []
    rows, cols = np.nonzero(valid)
    dates = start[rows] + cols.astype("timedelta64[D]")
    fuel_weight = weight * (1.0 + 0.02 * rng.standard_normal((n, 31))).clip(0.9, 1.1)
    for code, (col, decimals) in SERIES.items():
        mine = {"generation_mwh": np.ones(n, dtype=bool), "coal_consumption_t": ~gas,
                "gas_consumption_knm3": gas}[code]
        wt = weight if code == "generation_mwh" else fuel_weight
        values = _split(w[col].to_numpy(float), wt, decimals)
        keep = mine[rows]
        frames.append(pd.DataFrame({"unit_id": w["unit_id"].to_numpy()[rows][keep],
                                    "date": dates[keep], "parameter_code": code,
                                    "value": values[rows, cols][keep]}))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["unit_id", "date", "parameter_code"]).reset_index(drop=True)
