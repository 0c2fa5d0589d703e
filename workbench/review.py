"""What a reviewer looks at: one dataset, its screening results, one enterprise at a time.

:class:`ReviewData` loads a dataset and its screening results once and indexes
every table by enterprise, so switching enterprise is a dictionary lookup and
a few small frame operations, not a scan (the reviewer workbench must refresh
all views within 300 ms at national scale).  Results come from a
``workbench screen`` folder, or are computed once and cached under
``DATASET/.screen/<fingerprint>-<config hash>-<checks hash>/`` (a temporary
folder when the dataset is read-only).

All functions here return DataFrames; widgets draw them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import schema, sector_contract
from workbench.config import config_hash, load_config
from workbench.dataset import Dataset
from workbench.results import MANIFEST, check_results

#: Parameters shown first in the filing history (the rest follow in contract order).
KEY_PARAMETERS = ("coal_consumption_t", "ncv_gj_per_t", "carbon_ar_pct", "cc_tc_per_gj",
                  "generation_mwh", "supply_mwh", "heat_supply_gj", "co2_t")
#: The key parameters of every kind of unit: a power unit's above, a steel, cement or
#: aluminium facility's those its kind must file monthly (``sector_contract.REQUIRED``).
ALL_KEY_PARAMETERS = tuple(dict.fromkeys(
    [*KEY_PARAMETERS, *(c for req in sector_contract.REQUIRED.values() for c in req)]))


def key_parameters(unit_category_code: str | None) -> tuple[str, ...]:
    """The key parameters of a unit of this kind (see :data:`ALL_KEY_PARAMETERS`)."""
    return sector_contract.REQUIRED.get(str(unit_category_code), KEY_PARAMETERS)


def checks_fingerprint() -> str:
    """Short hash of the screening code (check modules, engine, risk), so cached results
    are recomputed when the checks change, not only when the data or config do."""
    import hashlib

    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted([*root.joinpath("checks").glob("*.py"), root / "screen.py",
                        root / "risk.py"]):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def results_folder(ds: Dataset, cfg: dict) -> Path:
    """Where cached screening results for this dataset, config and check code live."""
    name = f"{ds.fingerprint[:16]}-{config_hash(cfg)}-{checks_fingerprint()}"
    folder = ds.path / ".screen" / name
    if (folder / MANIFEST).is_file():   # cached already (readable even if not writable)
        return folder
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        probe = folder.parent / ".write-test"
        probe.touch()
        probe.unlink()
    except OSError:
        folder = Path(tempfile.gettempdir()) / "workbench-screen" / name
    return folder


def cached_results(ds: Dataset, cfg: dict) -> Path:
    """The cached screening results of ``ds`` under ``cfg``, screening once when absent.

    Several processes may ask at once (a Voilà server preheats a pool of kernels): each
    screens into its own temporary folder and renames it into place; the first rename
    wins and the others discard theirs, so no reader ever sees half-written results.
    """
    import shutil

    from workbench.screen import screen

    folder = results_folder(ds, cfg)
    if not (folder / MANIFEST).is_file():
        folder.parent.mkdir(parents=True, exist_ok=True)   # the temporary fallback's too
        tmp = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
        screen(ds.path, tmp, cfg=cfg)
        try:
            tmp.rename(folder)
        except OSError:   # another process finished first
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _index(df: pd.DataFrame, key: str) -> dict[str, np.ndarray]:
    return df.groupby(key, sort=False).indices if len(df) else {}


def _read_coverage(folder: Path) -> pd.DataFrame:
    """The screening's ``coverage.parquet`` (empty, with its columns, when the results
    predate it)."""
    path = folder / "coverage.parquet"
    if path.is_file():
        return pd.read_parquet(path)
    return pd.DataFrame({c: pd.Series(dtype=t)
                         for c, t in schema.result_dtypes("coverage").items()})


@dataclass
class ReviewData:
    """A dataset with its screening results, indexed by enterprise (see the module docstring)."""

    ds: Dataset
    cfg: dict
    enterprises: pd.DataFrame
    units: pd.DataFrame
    monthly: pd.DataFrame
    daily: pd.DataFrame
    labs: pd.DataFrame
    flags: pd.DataFrame
    risk: pd.DataFrame
    coverage: pd.DataFrame
    results: Path
    _by: dict[str, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)
    _slices: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)   # computed once, on demand

    @classmethod
    def open(cls, dataset: str | Path, results: str | Path | None = None,
             cfg: dict | None = None) -> ReviewData:
        """Load ``dataset`` and its screening results: those in ``results`` (screened into
        it when it is absent or empty), or the cached ones (computed when absent).

        Results are opened only when complete and of this dataset under this configuration:
        otherwise :class:`workbench.results.ResultsError` names what differs
        (:func:`workbench.results.check_results`)."""
        from workbench.screen import screen

        cfg = cfg or load_config()
        ds = Dataset(dataset)
        folder = Path(results) if results else cached_results(ds, cfg)
        if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
            screen(ds.path, folder, cfg=cfg)
        check_results(folder, ds.fingerprint, config_hash(cfg))
        units = ds.read("units")
        monthly = ds.read("monthly_parameters").merge(units[["unit_id", "enterprise_id"]],
                                                      on="unit_id", how="left")
        daily = ds.read("daily_parameters")
        daily = daily.merge(units[["unit_id", "enterprise_id"]], on="unit_id", how="left")
        data = cls(ds=ds, cfg=cfg, enterprises=ds.read("enterprises"), units=units,
                   monthly=monthly, daily=daily, labs=ds.read("lab_reports"),
                   flags=pd.read_parquet(folder / "flags.parquet"),
                   risk=pd.read_parquet(folder / "risk.parquet"),
                   coverage=_read_coverage(folder), results=folder)
        data._by = {name: _index(getattr(data, name), "enterprise_id")
                    for name in ("units", "monthly", "daily", "labs", "flags", "coverage")}
        return data

    def _rows(self, name: str, enterprise_id: str) -> pd.DataFrame:
        """The rows of table ``name`` that belong to the enterprise (recent slices cached)."""
        key = (name, enterprise_id)
        if key not in self._slices:
            frame = getattr(self, name)
            pos = self._by[name].get(enterprise_id)
            if len(self._slices) >= 64:
                self._slices.pop(next(iter(self._slices)))
            self._slices[key] = frame.iloc[pos] if pos is not None else frame.iloc[:0]
        return self._slices[key]

    # -- the enterprise list ---------------------------------------------------------------
    def enterprise_list(self) -> pd.DataFrame:
        """Every enterprise with its risk score, rank and top reasons, highest risk first."""
        cols = ["enterprise_id", "risk_score", "rank", "top_reasons", "n_critical", "n_warning",
                "materiality", "materiality_level"]
        out = self.enterprises.merge(self.risk[cols], on="enterprise_id", how="left")
        out["risk_score"] = out["risk_score"].fillna(0.0)
        out["rank"] = out["rank"].fillna(len(out)).astype(int)
        return out.sort_values(["rank", "enterprise_id"]).reset_index(drop=True)

    # -- one enterprise --------------------------------------------------------------------
    def units_of(self, enterprise_id: str) -> pd.DataFrame:
        """The enterprise's units."""
        return self._rows("units", enterprise_id)

    def flags_of(self, enterprise_id: str) -> pd.DataFrame:
        """The enterprise's flags, critical first."""
        f = self._rows("flags", enterprise_id)
        order = f["severity"].map({"critical": 0, "warning": 1, "info": 2})
        return f.assign(_o=order).sort_values(["_o", "check_id", "unit_id", "period"]).drop(
            columns="_o")

    def coverage_of(self, enterprise_id: str) -> pd.DataFrame:
        """The checks that could not run for the enterprise (``status`` ``not_checked``) or
        ran only in part (``partial``) because an input was missing from the export, with
        the inputs they missed (``missing``); not-checked first.  Empty when every check
        ran: only then does "no flag" mean "checked and nothing found"."""
        c = self._rows("coverage", enterprise_id)
        return c.assign(_o=c["status"] != "not_checked").sort_values(
            ["_o", "check_id"], kind="stable").drop(columns="_o")

    def labs_of(self, enterprise_id: str) -> pd.DataFrame:
        """The enterprise's lab reports, by unit and covered month."""
        return self._rows("labs", enterprise_id).sort_values(["unit_id", "covered_period"])

    def history(self, enterprise_id: str, unit_id: str, parameter_code: str) -> pd.DataFrame:
        """The monthly series of one parameter: latest value, source, revisions and flags.

        Columns: period, value, source_code, report_id, revisions, first_value,
        flag_severity (worst flag on that month and parameter, or "").
        """
        m = self._rows("monthly", enterprise_id)
        m = m[(m["unit_id"] == unit_id) & (m["parameter_code"] == parameter_code)]
        m = m.sort_values(["period", "revision"])
        g = m.groupby("period", sort=True)
        out = g.tail(1).set_index("period")[["value", "source_code", "report_id",
                                             "submitted_at"]]
        out["revisions"] = g["revision"].max()
        out["first_value"] = g["value"].first()
        f = self._rows("flags", enterprise_id)
        f = f[(f["unit_id"] == unit_id) & (f["parameter_code"] == parameter_code)]
        worst = f.assign(o=f["severity"].map({"critical": 0, "warning": 1, "info": 2})) \
            .sort_values("o").drop_duplicates("period").set_index("period")["severity"]
        out["flag_severity"] = worst.reindex(out.index).fillna("")
        return out.reset_index()

    def revisions_of(self, enterprise_id: str) -> pd.DataFrame:
        """Every revised value: what changed, when, from what (previous revision's value)."""
        m = self._rows("monthly", enterprise_id).sort_values(
            ["unit_id", "period", "parameter_code", "revision"])
        prev = m.groupby(["unit_id", "period", "parameter_code"])["value"].shift()
        prev_at = m.groupby(["unit_id", "period", "parameter_code"])["submitted_at"].shift()
        rev = m.assign(previous_value=prev, previous_at=prev_at)
        rev = rev[rev["revision"] > 0]
        return rev[["unit_id", "period", "parameter_code", "revision", "previous_value", "value",
                    "previous_at", "submitted_at"]].reset_index(drop=True)

    def daily_vs_monthly(self, enterprise_id: str, unit_id: str,
                         parameter_code: str) -> pd.DataFrame:
        """Per month: the filed monthly value and the sum of the daily values (以日保月)."""
        d = self._rows("daily", enterprise_id)
        d = d[(d["unit_id"] == unit_id) & (d["parameter_code"] == parameter_code)]
        sums = d.groupby(d["date"].dt.strftime("%Y-%m"))["value"].sum().rename("daily_sum")
        monthly = self.history(enterprise_id, unit_id, parameter_code).set_index("period")["value"]
        out = pd.concat([monthly.rename("monthly"), sums], axis=1)
        out.index.name = "period"
        return out.reset_index()

    def inputs(self):
        """The check inputs of the whole dataset except the daily table (built once): the
        per-unit-month frame, events, annual reports, labs; for peer views and KPIs."""
        if "inputs" not in self._cache:
            from workbench.checks.inputs import build_inputs

            self._cache["inputs"] = build_inputs({
                "enterprises": self.enterprises, "units": self.units,
                "monthly_parameters": self.monthly.drop(columns="enterprise_id"),
                "review_events": self.ds.read("review_events"),
                "annual_reports": self.ds.read("annual_reports"),
                "lab_reports": self.labs})
        return self._cache["inputs"]

    def computed(self, name: str) -> pd.DataFrame:
        """A table the checks computed while screening (``RESULTS/computed/<name>.parquet``:
        ``peer_values``, ``seasonal_baselines``, ``carbon_ncv_fits``, ``carbon_ncv_reports``),
        read once; empty when the check did not run."""
        key = f"computed:{name}"
        if key not in self._cache:
            path = self.results / "computed" / f"{name}.parquet"
            self._cache[key] = pd.read_parquet(path) if path.is_file() else pd.DataFrame()
        return self._cache[key]

    # -- peers -----------------------------------------------------------------------------
    def unit_typical(self) -> pd.DataFrame:
        """Each unit's typical (median) month of the peer quantities, computed once."""
        if "typical" not in self._cache:
            from workbench.checks.ranges import supply_coal

            x = self.inputs()
            m = x.monthly
            q = pd.DataFrame({
                "unit_id": m["unit_id"],
                "supply_coal_gce_per_kwh": supply_coal(m, self.cfg).where(m["supply_mwh"] > 0),
                "own_use_rate": (m["own_use_mwh"] / m["generation_mwh"]).where(
                    m["generation_mwh"] > 0),
                "load_factor": m["load_factor"].where(m["operating_hours_h"] > 0),
                "cc_tc_per_gj": m["cc_tc_per_gj"].where(m["fuel_code"] != "natural_gas"),
                "ncv_gj_per_t": m.get("ncv_gj_per_t"),
                "supply_intensity_t_per_mwh": (m["co2_t"] / m["supply_mwh"]).where(
                    m["supply_mwh"] > 0),
            })
            typical = q.groupby("unit_id").median().reset_index()
            self._cache["typical"] = typical.merge(x.units, on="unit_id", how="left")
        return self._cache["typical"]

    def sector_quantities(self, enterprise_id: str) -> pd.DataFrame:
        """The peer quantities the sector peer check judged for an enterprise's facilities
        (steel, cement, aluminium): ``unit_id``, ``key`` (``<frame>:<quantity>``),
        ``label_zh``, ``label_en``, ``unit``, latest year first; empty for power."""
        t = self.computed("sector_peer_values")
        if t.empty:
            return pd.DataFrame(columns=["unit_id", "key", "label_zh", "label_en", "unit"])
        mine = t[t["enterprise_id"] == enterprise_id]
        mine = mine.assign(key=mine["sector"] + ":" + mine["quantity"])
        return (mine.sort_values("year", ascending=False)
                .drop_duplicates(["unit_id", "key"])[["unit_id", "key", "label_zh",
                                                      "label_en", "unit"]]
                .reset_index(drop=True))

    def sector_peers_of(self, unit_id: str, key: str) -> tuple[pd.DataFrame, str, str]:
        """A facility's peers on a sector quantity (``key`` of :meth:`sector_quantities`): the
        screening's own comparison, each peer's typical value of the facility's latest year
        in its group (steel route, clinker type, potlines), from
        ``computed/sector_peer_values``.  Returns (frame with unit_id, enterprise_id, value,
        is_self; the peer group's code, :data:`workbench.labels.SECTOR_PEER_GROUPS`; the
        year)."""
        t = self.computed("sector_peer_values")
        frame, quantity = key.split(":", 1)
        q = t[(t["sector"] == frame) & (t["quantity"] == quantity)]
        mine = q[q["unit_id"] == unit_id].sort_values("year")
        if mine.empty:
            return (pd.DataFrame(columns=["unit_id", "enterprise_id", "value", "is_self"]),
                    "", "")
        last = mine.iloc[-1]
        sel = q[(q["year"] == last["year"]) & (q["peer_group"] == last["peer_group"])]
        out = sel[["unit_id", "enterprise_id", "value"]]
        return (out.assign(is_self=out["unit_id"] == unit_id).reset_index(drop=True),
                str(last["peer_group"]), str(last["year"]))

    def peers_of(self, unit_id: str, quantity: str, scope: str = "auto") -> tuple[pd.DataFrame,
                                                                                   str]:
        """The unit's peer group and each peer's typical ``quantity``.

        ``scope``: ``auto`` is the screening's own comparison where the peer check judged
        ``quantity`` (its peer group and each unit's typical value of the unit's latest
        year, read from ``computed/peer_values``); otherwise, and for quantities the check
        does not judge, the reviewer explores: ``province`` (category × capacity band ×
        province), ``band`` (category × capacity band, national) or ``category``
        (category, national), on each unit's median month.
        Returns (frame with unit_id, enterprise_id, value, is_self; group label).
        """
        judged = self.computed("peer_values")
        if scope == "auto" and len(judged) and quantity in set(judged["quantity"]):
            mine = judged[(judged["unit_id"] == unit_id) & (judged["quantity"] == quantity)]
            if len(mine):
                last = mine.sort_values("year").iloc[-1]
                sel = ((judged["quantity"] == quantity) & (judged["year"] == last["year"])
                       & (judged["peer_group"] == last["peer_group"]))
                out = judged.loc[sel, ["unit_id", "enterprise_id", "value"]]
                return (out.assign(is_self=out["unit_id"] == unit_id).reset_index(drop=True),
                        f"{last['peer_group']} · {last['year']}")
        from workbench.checks.peers import capacity_band, peer_group

        t = self.unit_typical()
        c = self.cfg["checks"]
        band = capacity_band(t["capacity_mw"], c["capacity_band_edges_mw"])
        cat = t["unit_category_code"].astype(str)
        labels = {
            "auto": peer_group(t.set_index("unit_id"), c["peer_min_size"],
                               c["capacity_band_edges_mw"]).to_numpy(),
            "province": (cat + "|" + band + "|" + t["province"].astype(str)).to_numpy(),
            "band": (cat + "|" + band + "|national").to_numpy(),
            "category": (cat + "|national").to_numpy(),
        }[scope]
        me = int(np.flatnonzero(t["unit_id"].to_numpy() == unit_id)[0])
        group = labels[me]
        sel = labels == group
        out = t.loc[sel, ["unit_id", "enterprise_id", quantity]].rename(
            columns={quantity: "value"})
        return out.assign(is_self=out["unit_id"] == unit_id).reset_index(drop=True), group

    def carbon_ncv(self, enterprise_id: str, sample: int = 1500) -> dict:
        """The C_ar–NCV bands the screening judged lab reports by, and the enterprise's
        reports in them: ``{"population", "fits", "own"}``, all read from what the check
        wrote (``computed/carbon_ncv_fits`` and ``computed/carbon_ncv_reports``).

        ``population`` is a fixed random sample of at most ``sample`` judged reports (for
        drawing); ``fits`` the fit lines (fit_group, a, b, scale_pct, ncv_min, ncv_max) of
        the groups the enterprise's reports belong to; ``own`` the enterprise's reports with
        the expected value and band (``expected_low``–``expected_high``, %) each was judged
        by, exactly as it flagged them.
        """
        bands = self.computed("carbon_ncv_reports")
        if "carbon_sample" not in self._cache:
            self._cache["carbon_sample"] = (bands.sample(min(sample, len(bands)),
                                                         random_state=0) if len(bands)
                                            else bands)
        if bands.empty:
            return {"population": bands, "fits": bands, "own": bands}
        own = bands[bands["enterprise_id"] == enterprise_id]
        fits = self.computed("carbon_ncv_fits")
        return {"population": self._cache["carbon_sample"],
                "fits": fits[fits["fit_group"].isin(set(own["fit_group"]))], "own": own}

    def parameters_of(self, enterprise_id: str, unit_id: str) -> list[str]:
        """Parameter codes the unit files, key ones first."""
        m = self._rows("monthly", enterprise_id)
        have = set(m.loc[m["unit_id"] == unit_id, "parameter_code"])
        kind = self.units.set_index("unit_id")["unit_category_code"].get(unit_id)
        first = [p for p in key_parameters(kind) if p in have]
        return first + [p for p in schema.PARAMETERS if p in have and p not in first]
