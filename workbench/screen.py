"""The screening engine: run every registered check and write flags, risk and a manifest.

Two engines run the same check functions:

* ``pandas`` — everything in this process;
* ``dask`` — enterprise-scoped checks run on a Dask distributed cluster
  (a ``LocalCluster`` by default, or the scheduler at ``--scheduler``), one
  task per group of whole enterprises, each task reading only its
  enterprises' rows from the Parquet dataset; population-scoped checks
  (peers, reuse across enterprises, digits) run once over the whole
  population in the client, on inputs without the daily table.

Both produce identical flags (sorted, same columns, same values): a test runs
them side by side on the demo data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import __version__, checks, schema
from workbench.checks.inputs import Inputs, build_inputs
from workbench.checks.registry import FLAG_COLUMNS, REGISTRY, Check, Computed
from workbench.config import config_hash, load_config
from workbench.corroboration import corroborate
from workbench.dataset import Dataset
from workbench.i18n import parameter_label
from workbench.results import check_replaceable, staged

Progress = Callable[[str, int, int], None]


#: Columns of the coverage table: which enterprise a check could not (fully) check, and why.
COVERAGE_COLUMNS = ("enterprise_id", "check_id", "status", "missing")


@dataclass
class RunLog:
    """Per-check timings, counts, skips and per-enterprise coverage of one run."""

    timings_s: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    coverage: list[pd.DataFrame] = field(default_factory=list)
    computed: dict[str, list[pd.DataFrame]] = field(default_factory=dict)

    def merge(self, other: RunLog) -> None:
        """Add another partition's log to this one."""
        for k, v in other.timings_s.items():
            self.timings_s[k] = self.timings_s.get(k, 0.0) + v
        for k, v in other.counts.items():
            self.counts[k] = self.counts.get(k, 0) + v
        for k, v in other.skipped.items():
            self.skipped.setdefault(k, v)
        self.coverage.extend(other.coverage)
        for k, v in other.computed.items():
            self.computed.setdefault(k, []).extend(v)

    def computed_tables(self) -> dict[str, pd.DataFrame]:
        """What the checks computed (see :class:`~workbench.checks.registry.Computed`)."""
        return {k: pd.concat(v, ignore_index=True) for k, v in sorted(self.computed.items())}

    def coverage_table(self) -> pd.DataFrame:
        """One row per enterprise and check it could not fully check (see :func:`coverage`)."""
        parts = [c for c in self.coverage if len(c)]
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype="string") for c in COVERAGE_COLUMNS})
        out = pd.concat(parts, ignore_index=True).astype("string")
        return out.sort_values(["enterprise_id", "check_id"], kind="stable").reset_index(drop=True)


def coverage(x: Inputs, c: Check, holders: dict[str, pd.Index]) -> pd.DataFrame:
    """Enterprises check ``c`` could not check (an input it needs holds nothing for them:
    ``not_checked``) or checked only in part (an input it uses is missing: ``partial``),
    with the missing inputs named.  ``holders`` caches :meth:`Inputs.holders` per input."""
    ents = pd.Index(x.enterprises["enterprise_id"].dropna().unique())

    def lacking(names: tuple[str, ...], skip: dict[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for n in names:
            if n not in holders:
                holders[n] = x.holders(n)
            for e in ents.difference(holders[n]):
                if e not in skip:
                    out.setdefault(e, []).append(n)
        return out

    not_checked = lacking(c.needs, {})
    partial = lacking(c.uses, not_checked)
    rows = [(e, c.id, status, "; ".join(names))
            for status, found in (("not_checked", not_checked), ("partial", partial))
            for e, names in found.items()]
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def in_sectors(x: Inputs, sectors: tuple[str, ...]) -> Inputs:
    """``x`` restricted to the enterprises of ``sectors`` (``x`` itself when it holds no
    other)."""
    industry = x.enterprises["industry_code"]
    if industry.isin(sectors).all():
        return x
    return x.subset(x.enterprises.loc[industry.isin(sectors), "enterprise_id"])


def sectors_without_checks(x: Inputs, selected: list[Check]) -> dict[str, int]:
    """Enterprises per industry that none of ``selected`` applies to (not screened at
    all: their sector has no checks yet)."""
    covered = {s for c in selected for s in c.sectors}
    left = x.enterprises.loc[~x.enterprises["industry_code"].isin(covered), "industry_code"]
    return {str(k): int(v) for k, v in left.value_counts().sort_index().items()}


SectorInputs = dict[tuple[str, ...], tuple[Inputs, dict[str, pd.Index]]]


def run_checks(x: Inputs, cfg: dict, selected: list[Check],
               by_sectors: SectorInputs | None = None) -> tuple[pd.DataFrame, RunLog]:
    """Run ``selected`` checks over ``x``, each over the enterprises of its sectors;
    returns raw flag rows and the run log.  ``by_sectors`` keeps each sector set's inputs
    (and the frames derived from them) across calls over the same ``x``."""
    log = RunLog()
    frames = []
    by_sectors = {} if by_sectors is None else by_sectors
    for c in selected:
        if c.sectors not in by_sectors:
            by_sectors[c.sectors] = (in_sectors(x, c.sectors), {})
        x_c, holders = by_sectors[c.sectors]
        if x_c.enterprises.empty and not x.enterprises.empty:
            continue                                   # none of its sectors in this data
        log.coverage.append(coverage(x_c, c, holders))
        missing = c.missing_inputs(x_c)
        if missing:
            log.skipped[c.id] = missing
            continue
        t0 = time.perf_counter()
        raw = c.fn(x_c, cfg)
        if isinstance(raw, Computed):
            for name, table in raw.tables.items():
                log.computed.setdefault(name, []).append(table)
            raw = raw.flags
        log.timings_s[c.id] = time.perf_counter() - t0
        log.counts[c.id] = len(raw)
        if len(raw):
            frames.append(_standardise(raw, c))
    flags = pd.concat(frames, ignore_index=True) if frames else empty_flags()
    return flags, log


def empty_flags() -> pd.DataFrame:
    """A flags table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_FLAG_DTYPES[c]) for c in FLAG_COLUMNS})


_FLAG_DTYPES = schema.result_dtypes("flags")
_FLOATS = tuple(c for c, d in _FLAG_DTYPES.items() if d == "float64")
_TEXTS = tuple(c for c, d in _FLAG_DTYPES.items() if d == "string")
#: Subjects whose flags are about a year (or no period at all), not a month.
_NOT_MONTHLY = ("annual_report", "unit_year", "enterprise", "population")


def _standardise(raw: pd.DataFrame, c: Check) -> pd.DataFrame:
    """Candidate rows -> flags table rows (contract columns and dtypes, subject, year,
    messages).  Year-level subjects keep their year in ``year`` and an empty ``period``."""
    out = raw.copy()
    out["check_id"] = c.id
    out["subject_code"] = c.subject
    if "severity" not in out:
        out["severity"] = c.severity
    if "value_unit" not in out:
        out["value_unit"] = c.value_unit
    for col in FLAG_COLUMNS:
        if col not in out:
            out[col] = np.nan if col in _FLOATS else ""
    out = out[list(FLAG_COLUMNS)]
    for col in _FLOATS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in _TEXTS:
        out[col] = out[col].astype("string").fillna("")
    out["year"] = pd.to_numeric(out["period"].str[:4], errors="coerce").astype("Int64")
    if c.subject in _NOT_MONTHLY:
        out["period"] = ""
    rows = out.assign(period=out["period"].where(out["period"] != "",
                                                 out["year"].astype("string").fillna("")))
    rows = rows.to_dict(orient="records")
    out["message_zh"] = [_fmt(c.message_zh, {**r, "evidence": evidence_in(r["evidence"], 0),
                                             "parameter": _parameter(r, "zh-CN")})
                         for r in rows]
    out["message_en"] = [_fmt(c.message_en, {**r, "evidence": evidence_in(r["evidence"], 1),
                                             "parameter": _parameter(r, "en")})
                         for r in rows]
    return out


def _parameter(row: dict, locale: str) -> str:
    """The name of a flag row's parameter in ``locale`` (``{parameter}`` in a message; its
    code when the contract does not know it)."""
    code = row["parameter_code"]
    return parameter_label(code, locale) if code in schema.PARAMETERS else code


def evidence_in(evidence: str, language: int) -> str:
    """A flag's evidence in one language: of each ``" · "``-separated part written
    ``"<中文> / <English>"`` the side of ``language`` (0 zh, 1 en); parts without a
    translation (IDs, dates, names) as they are."""
    parts = []
    for part in str(evidence).split(" · "):
        sides = part.split(" / ")
        parts.append(sides[language] if len(sides) == 2 else part)
    return " · ".join(parts)


def _fmt(template: str, row: dict) -> str:
    try:
        return template.format(**row)
    except (ValueError, TypeError):      # a missing number in a numeric format field
        return template.format(**{k: ("—" if isinstance(v, float) and np.isnan(v) else v)
                                  for k, v in row.items()}).replace("{", "")


def _conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A result table in its contract's column order and dtypes (``schema.RESULT_TABLES``)."""
    dtypes = schema.result_dtypes(table)
    return df[list(dtypes)].astype(dtypes)


def sort_flags(flags: pd.DataFrame) -> pd.DataFrame:
    """Canonical order (so both engines' outputs compare equal)."""
    key = ["check_id", "enterprise_id", "unit_id", "period", "year", "report_id",
           "parameter_code", "evidence"]
    flags = flags.astype(_FLAG_DTYPES)
    return flags.sort_values(key, kind="stable").reset_index(drop=True)


def select_checks(scope: str | None = None) -> list[Check]:
    """Registered checks, optionally of one scope, in registry order."""
    checks.load_all()
    return [c for c in REGISTRY.values() if scope is None or c.scope == scope]


# -- engines ------------------------------------------------------------------------------
def screen_pandas(ds: Dataset, cfg: dict, progress: Progress | None = None
                  ) -> tuple[pd.DataFrame, RunLog, Inputs]:
    """All checks in this process; returns flags, the run log and the inputs read."""
    x = _load(ds)
    selected = select_checks()
    log = RunLog()
    parts = []
    by_sectors: SectorInputs = {}
    for i, c in enumerate(selected):
        if progress:
            progress(c.id, i, len(selected))
        f, lg = run_checks(x, cfg, [c], by_sectors)
        parts.append(f)
        log.merge(lg)
    flags = pd.concat(parts, ignore_index=True) if parts else empty_flags()
    return sort_flags(flags), log, x


def _load(ds: Dataset, tables: tuple[str, ...] = tuple(schema.TABLES),
          unit_ids: list[str] | None = None, enterprise_ids: list[str] | None = None) -> Inputs:
    """Check inputs from the dataset, optionally only some tables, units or enterprises
    (filters are applied while reading the Parquet parts)."""
    frames = {}
    for name in tables:
        if not ds.has(name):
            continue
        cols = schema.TABLES[name].column_names
        filters = None
        if enterprise_ids is not None and "enterprise_id" in cols:
            filters = [("enterprise_id", "in", enterprise_ids)]
        elif unit_ids is not None and "unit_id" in cols:
            filters = [("unit_id", "in", unit_ids)]
        frames[name] = ds.read(name, filters=filters)
    return build_inputs(frames)


def _partition_task(path: str, enterprise_ids: list[str], cfg: dict) -> tuple[pd.DataFrame,
                                                                               RunLog]:
    """One Dask task: enterprise-scoped checks over some whole enterprises."""
    ds = Dataset(path)
    units = ds.read("units", columns=["unit_id", "enterprise_id"])
    unit_ids = units.loc[units["enterprise_id"].isin(enterprise_ids), "unit_id"].tolist()
    x = _load(ds, unit_ids=unit_ids, enterprise_ids=enterprise_ids)
    return run_checks(x, cfg, select_checks("enterprise"))


def screen_dask(ds: Dataset, cfg: dict, scheduler: str | None = None, partitions: int | None = None,
                progress: Progress | None = None) -> tuple[pd.DataFrame, RunLog, Inputs]:
    """Enterprise checks on a Dask cluster, population checks in the client; returns flags,
    the run log and the client's inputs (everything but the daily table)."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=":0")     # any free port, never a clash
        client = Client(cluster)
    try:
        ents = sorted(ds.read("enterprises", columns=["enterprise_id"])["enterprise_id"])
        workers = len(client.scheduler_info()["workers"]) or 1
        # a few tasks per worker: enough to balance, few enough that each task's
        # read of its enterprises' rows stays a small share of the work
        n = partitions or min(len(ents), 2 * workers)
        groups = [list(g) for g in np.array_split(np.array(ents, dtype=object), n) if len(g)]
        futures = client.map(_partition_task, [str(ds.path)] * len(groups), groups,
                             [cfg] * len(groups), pure=False)
        # population checks meanwhile, in the client, without the daily table
        pop_tables = tuple(t for t in schema.TABLES if t != "daily_parameters")
        population = _load(ds, pop_tables)
        pop_flags, log = run_checks(population, cfg, select_checks("population"))
        parts = [pop_flags]
        for done, fut in enumerate(as_completed(futures), start=1):
            f, lg = fut.result()
            parts.append(f)
            log.merge(lg)
            if progress:
                progress("partitions", done, len(futures))
        return sort_flags(pd.concat(parts, ignore_index=True)), log, population
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def screen(dataset: str | Path, out: str | Path, engine: str = "pandas",
           scheduler: str | None = None, cfg: dict | None = None,
           progress: Progress | None = None, spot_check_seed: int | None = None) -> dict:
    """Screen a dataset; write ``flags.parquet``, ``risk.parquet`` (per enterprise),
    ``risk_units.parquet`` (per unit), ``spot_checks.parquet`` (risk-weighted on-site
    sample per city, seeded), ``coverage.parquet`` (per enterprise, the checks that could
    not run or ran only in part, and the inputs they missed), ``computed/`` and
    ``manifest.json`` into ``out``, atomically: into a new folder that then replaces ``out``
    (:func:`workbench.results.staged`; ``ResultsError`` when ``out`` holds other files)."""
    from workbench import risk

    cfg = cfg or load_config()
    ds = Dataset(dataset)
    check_replaceable(out)   # before the work, not only when writing
    t0 = time.perf_counter()
    if engine == "pandas":
        flags, log, base = screen_pandas(ds, cfg, progress)
    elif engine == "dask":
        flags, log, base = screen_dask(ds, cfg, scheduler, progress=progress)
    else:
        raise ValueError(f"unknown engine {engine!r}; use pandas or dask")
    flags = corroborate(flags, REGISTRY)
    cover = log.coverage_table()
    # ranked: the enterprises some check screened (a sector without checks is not ranked)
    screened = in_sectors(base, tuple({s for c in select_checks() for s in c.sectors}))
    scores = risk.risk_table(flags, screened.monthly, cfg)
    unit_scores = risk.risk_table(flags, screened.monthly, cfg,
                                  keys=("enterprise_id", "unit_id"))
    seed = cfg["risk"]["spot_check_seed"] if spot_check_seed is None else spot_check_seed
    spots = risk.spot_check_sample(scores, base.enterprises, cfg["risk"]["spot_check_per_city"],
                                   seed)
    with staged(out) as folder:   # a new folder, renamed into place when complete
        scores, unit_scores = _conform(scores, "risk"), _conform(unit_scores, "risk_units")
        flags.to_parquet(folder / "flags.parquet", index=False)
        scores.to_parquet(folder / "risk.parquet", index=False)
        unit_scores.to_parquet(folder / "risk_units.parquet", index=False)
        spots.to_parquet(folder / "spot_checks.parquet", index=False)
        _conform(cover, "coverage").to_parquet(folder / "coverage.parquet", index=False)
        computed = log.computed_tables()
        (folder / "computed").mkdir()
        for name, table in computed.items():
            table.to_parquet(folder / "computed" / f"{name}.parquet", index=False)
        not_checked = cover[cover["status"] == "not_checked"].groupby("check_id").size()
        partial = cover[cover["status"] == "partial"].groupby("check_id").size()
        manifest = {
            "dataset": str(ds.path), "dataset_fingerprint": ds.fingerprint,
            "config_hash": config_hash(cfg), "package_version": __version__, "engine": engine,
            "seconds": round(time.perf_counter() - t0, 3), "unit_months": len(base.monthly),
            "flags": len(flags),
            "flags_by_severity": flags["severity"].value_counts().to_dict(),
            "checks": {c.id: {"family": c.family, "severity": c.severity,
                              "seconds": round(log.timings_s.get(c.id, 0.0), 4),
                              "candidates": log.counts.get(c.id, 0),
                              "flags": int((flags["check_id"] == c.id).sum()),
                              "skipped_missing": log.skipped.get(c.id),
                              "enterprises_not_checked": int(not_checked.get(c.id, 0)),
                              "enterprises_partly_checked": int(partial.get(c.id, 0))}
                       for c in select_checks()},
            "skipped": sorted(log.skipped),
            # enterprises no check applies to (their sector has no checks yet): not screened
            "sectors_without_checks": sectors_without_checks(base, select_checks()),
            "computed": {name: len(table) for name, table in computed.items()},
            "coverage": {"file": "coverage.parquet",
                         "enterprises_with_checks_not_run": int(cover.loc[
                             cover["status"] == "not_checked", "enterprise_id"].nunique()),
                         "enterprises_partly_checked": int(
                             cover.loc[cover["status"] == "partial", "enterprise_id"].nunique())},
            "spot_checks": {"seed": seed, "per_city": cfg["risk"]["spot_check_per_city"],
                            "enterprises": len(spots)},
        }
        (folder / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest
