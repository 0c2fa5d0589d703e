"""The frames every check reads, built once per screening run.

Checks never read Parquet themselves: they receive an :class:`Inputs` with

* ``monthly`` — one row per unit and period (the latest revision of each
  parameter as a column, named by parameter code; a code nobody filed is an
  all-missing column), the fuel heat ``fuel_heat_gj`` (GJ: coal t × NCV GJ/t,
  or gas knm3 × GJ/knm3), with the unit's and
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

import numpy as np
import pandas as pd

from workbench import schema, sector_contract
from workbench.dataset import Dataset

#: Monthly parameters whose source code and lab report the checks need: the power sector's
#: coal quality, and the 2025 sectors' fuel qualities, clinker chemistry and EF, anode
#: quality and PFC inputs (``source_<code>``, ``report_<code>`` columns where filed).
SOURCED = ("cc_tc_per_gj", "carbon_ar_pct", "ncv_gj_per_t")
SECTOR_SOURCED = (
    *(p.code for p in sector_contract.PARAMETERS
      if p.code.endswith(("_cc_tc_per_gj", "_ncv_gj_per_t", "_ncv_gj_per_1e4nm3"))),
    "ef_clinker_tco2_per_t", "cao_clinker_pct", "mgo_clinker_pct", "anode_sulfur_pct",
    "anode_ash_pct", "anode_net_consumption_t_per_t", "aem_min_per_cell_day",
    "ef_cf4_kg_per_t", "ef_c2f6_kg_per_t")
#: A facility attribute (``units``) named like a monthly parameter (a potline's design
#: line current beside the month's) reads ``<name>_unit`` in the monthly frame.
UNIT_SUFFIX = "_unit"


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

        ``name`` is a field (``"labs"``), ``"monthly:<column>"`` or ``"daily"``
        (any daily sum beside the monthly values).
        """
        return bool(len(self.holders(name)))

    def holders(self, name: str) -> pd.Index:
        """Enterprises for which the input ``name`` (see :meth:`has`) holds data.

        This is what tells a reviewer that "no flag" for an enterprise can mean
        "not checked": a check runs for an enterprise only where all it needs exists.
        """
        if name.startswith("monthly:") or name == "daily":
            m = self.monthly
            if name == "daily":
                cols = [c for c in m.columns if c.startswith("daily_")
                        and not c.startswith("daily_days_")]
                present = m[cols].notna().any(axis=1) if cols else pd.Series(False, m.index)
            else:
                col = name.split(":", 1)[1]
                if col not in m.columns:
                    return pd.Index([], dtype=object)
                present = m[col].notna()
            return pd.Index(m.loc[present, "enterprise_id"].dropna().unique())
        df = getattr(self, name)
        if df.empty:
            return pd.Index([], dtype=object)
        return pd.Index(df["enterprise_id"].dropna().unique())

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
    fc, ncv = fuel_use(monthly)
    monthly["fuel_heat_gj"] = fc * ncv
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
        return _complete(pd.DataFrame(columns=[*key, *units.columns.drop("unit_id")]))
    latest = long.sort_values("revision").drop_duplicates([*key, "parameter_code"], keep="last")
    wide = latest.pivot(index=key, columns="parameter_code", values="value")
    wide.columns = list(wide.columns)
    sourced = latest[latest["parameter_code"].isin((*SOURCED, *SECTOR_SOURCED))]
    for what in ("source_code", "report_id"):
        part = sourced.pivot(index=key, columns="parameter_code", values=what)
        part.columns = [f"{what.split('_')[0]}_{c}" for c in part.columns]
        wide = wide.join(part)
    first = long[long["revision"] == 0].groupby(key)["submitted_at"].min().rename("submitted_at")
    revs = long.groupby(key)["revision"].max().rename("max_revision")
    wide = wide.join(first).join(revs).reset_index()
    wide = wide.merge(units, on="unit_id", how="left", suffixes=("", UNIT_SUFFIX))
    wide = _complete(wide)
    start = pd.to_datetime(wide["period"] + "-01")
    wide["year"] = start.dt.year
    wide["month_end"] = start + pd.offsets.MonthEnd(0)
    wide["hours_in_month"] = start.dt.days_in_month * 24
    return wide


#: The parameters the power sector's checks read (a sector parameter nobody filed is not
#: made a column: no check of the power sector reads it).
POWER_PARAMETERS = tuple(c for c, p in schema.PARAMETERS.items() if p.sector == "power"
                         or any(c in req for req in schema.REQUIRED_PARAMETERS.values()))


def _complete(wide: pd.DataFrame) -> pd.DataFrame:
    """Every power parameter code (and the source/report of the sourced ones) as a column.

    A real export rarely carries every parameter: a code nobody filed becomes an
    all-missing column, so a check that uses it sees "no value" (and says it
    could not check) instead of failing on a missing column.
    """
    wanted = [*POWER_PARAMETERS, *(f"{w}_{c}" for w in ("source", "report") for c in SOURCED),
              "submitted_at", "max_revision"]
    absent = [c for c in wanted if c not in wide.columns]
    if not absent:
        return wide
    fill = {c: pd.Series(pd.NA if c.startswith(("source_", "report_")) else np.nan,
                         index=wide.index,
                         dtype="string" if c.startswith(("source_", "report_")) else
                         ("datetime64[ms]" if c == "submitted_at" else "float64"))
            for c in absent}
    return pd.concat([wide, pd.DataFrame(fill)], axis=1)


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
