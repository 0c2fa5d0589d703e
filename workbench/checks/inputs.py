"""The frames every check reads, built once per screening run.

Checks never read Parquet themselves: they receive an :class:`Inputs` with

* ``monthly`` — one row per unit and period (the latest revision of each
  parameter as a column, named by parameter code), with the unit's and
  enterprise's attributes, the source code and lab report of the carbon and
  NCV rows, the first deposit time, calendar helpers (``year``,
  ``month_end``, ``hours_in_month``) and the daily sums (``daily_<code>``);
* ``monthly_long`` — every revision of every monthly row;
* ``labs`` — lab reports, with ``covered_period`` named ``period`` like every
  other frame a flag is raised on;
* ``events``, ``annual``, ``units``, ``enterprises`` — the tables as imported.

``Inputs`` can be restricted to a set of enterprises (:meth:`Inputs.subset`),
which is how the Dask engine splits a national run into partitions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from workbench import schema
from workbench.dataset import Dataset

#: Monthly parameters whose source code and lab report the checks need.
SOURCED = ("cc_tc_per_gj", "carbon_ar_pct", "ncv_gj_per_t")


@dataclass
class Inputs:
    """Everything a check may read (see the module docstring)."""

    monthly: pd.DataFrame
    monthly_long: pd.DataFrame
    labs: pd.DataFrame
    events: pd.DataFrame
    annual: pd.DataFrame
    units: pd.DataFrame
    enterprises: pd.DataFrame

    def has(self, name: str) -> bool:
        """True when the frame or monthly column ``name`` holds data.

        ``name`` is a field (``"labs"``) or ``"monthly:<column>"``.
        """
        if name.startswith("monthly:"):
            col = name.split(":", 1)[1]
            return col in self.monthly.columns and self.monthly[col].notna().any()
        return not getattr(self, name).empty

    def subset(self, enterprise_ids: pd.Index | list[str]) -> Inputs:
        """The same inputs restricted to some enterprises (whole histories kept)."""
        ids = set(enterprise_ids)
        units = set(self.units.loc[self.units["enterprise_id"].isin(ids), "unit_id"])
        out = {}
        for f in fields(self):
            df = getattr(self, f.name)
            if "enterprise_id" in df.columns:
                out[f.name] = df[df["enterprise_id"].isin(ids)]
            else:
                out[f.name] = df[df["unit_id"].isin(units)]
        return Inputs(**out)


def build_inputs(tables: dict[str, pd.DataFrame]) -> Inputs:
    """Build :class:`Inputs` from contract tables (missing tables read as empty)."""
    t = {name: tables.get(name, _empty(name)) for name in schema.TABLES}
    units = t["units"].merge(t["enterprises"][["enterprise_id", "province", "city"]],
                             on="enterprise_id", how="left")
    long = t["monthly_parameters"].merge(units[["unit_id", "enterprise_id"]], on="unit_id",
                                         how="left")
    monthly = _wide(long, units)
    monthly = _add_daily(monthly, t["daily_parameters"])
    labs = t["lab_reports"].rename(columns={"covered_period": "period"})
    return Inputs(monthly=monthly, monthly_long=long, labs=labs,
                  events=t["review_events"], annual=t["annual_reports"], units=units,
                  enterprises=t["enterprises"])


def load_inputs(ds: Dataset) -> Inputs:
    """Read a canonical dataset and build :class:`Inputs`."""
    return build_inputs({name: ds.read(name) for name in schema.TABLES if ds.has(name)})


def fuel_use(m: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Fuel consumption and its NCV per unit-month, whichever fuel the unit files.

    Coal units: t and GJ/t; gas units: knm3 and GJ/knm3 (their product is GJ either way).
    """
    gas = m["fuel_code"] == "natural_gas"
    missing = pd.Series(float("nan"), index=m.index)
    fc = m.get("coal_consumption_t", missing).where(~gas, m.get("gas_consumption_knm3", missing))
    ncv = m.get("ncv_gj_per_t", missing).where(~gas, m.get("ncv_gj_per_knm3", missing))
    return fc.astype(float), ncv.astype(float)


def _empty(table: str) -> pd.DataFrame:
    spec = schema.TABLES[table]
    return pd.DataFrame({c.name: pd.Series(dtype=schema.PANDAS_DTYPES[c.kind])
                         for c in spec.columns})


def _wide(long: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    key = ["unit_id", "period"]
    if long.empty:
        return pd.DataFrame(columns=[*key, *units.columns.drop("unit_id")])
    latest = long.sort_values("revision").drop_duplicates([*key, "parameter_code"], keep="last")
    wide = latest.pivot(index=key, columns="parameter_code", values="value")
    wide.columns = list(wide.columns)
    sourced = latest[latest["parameter_code"].isin(SOURCED)]
    for what in ("source_code", "report_id"):
        part = sourced.pivot(index=key, columns="parameter_code", values=what)
        part.columns = [f"{what.split('_')[0]}_{c}" for c in part.columns]
        wide = wide.join(part)
    first = long[long["revision"] == 0].groupby(key)["submitted_at"].min().rename("submitted_at")
    revs = long.groupby(key)["revision"].max().rename("max_revision")
    wide = wide.join(first).join(revs).reset_index()
    wide = wide.merge(units, on="unit_id", how="left")
    start = pd.to_datetime(wide["period"] + "-01")
    wide["year"] = start.dt.year
    wide["month_end"] = start + pd.offsets.MonthEnd(0)
    wide["hours_in_month"] = start.dt.days_in_month * 24
    return wide


def _add_daily(monthly: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Sum daily values to the month: ``daily_<code>`` and ``daily_days_<code>`` columns."""
    if daily.empty or monthly.empty:
        return monthly
    d = daily.assign(period=daily["date"].dt.strftime("%Y-%m"))
    g = d.groupby(["unit_id", "period", "parameter_code"])["value"].agg(["sum", "count"])
    sums = g["sum"].unstack("parameter_code")
    sums.columns = [f"daily_{c}" for c in sums.columns]
    counts = g["count"].unstack("parameter_code")
    counts.columns = [f"daily_days_{c}" for c in counts.columns]
    return monthly.merge(sums.join(counts).reset_index(), on=["unit_id", "period"], how="left")
