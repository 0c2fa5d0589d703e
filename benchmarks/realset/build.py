"""Build the real-record validation set: exports, imported dataset, truth, build.json.

usage: python -m benchmarks.realset.build [--real DIR] --out DIR [--seed N]
       [--enterprises 200] [--problem-rate 0.4] [--gas-share 0.3] [--labels zh|codes]

Writes ``OUT/exports/*.csv`` (platform-style exports), imports them with the
project's importer into ``OUT/dataset``, writes ``OUT/dataset/truth.csv`` (kind,
enterprise_id, unit_id, period, parameter_code) and ``OUT/build.json`` (seed,
counts, partial exports, sources).  The same seed gives the same exports and
truth.  The build fails, printing the import report, if any row is quarantined.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.realset import (
    daily,
    export,
    filing,
    labs,
    master,
    months,
    partial,
    problems,
    units,
    workflow,
)
from workbench import schema
from workbench.config import load_config
from workbench.ingest import import_files

DEFAULT_REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
DEFAULT_SEED = 7
DEFAULT_PROBLEM_RATE = 0.4
DEFAULT_GAS_SHARE = 0.3
STREAMS = ("master", "ops", "fuel", "labs", "lab_dates", "unmeasured", "deposits", "daily",
           "partial", "plan", "inject", "review", "annual")


class QuarantineError(RuntimeError):
    """The importer quarantined rows of the exports (the message is the import report)."""


@dataclass
class Generated:
    """A set in memory: contract tables (as exported), truth, the unit-month frame, counts."""

    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame
    w: pd.DataFrame
    partial: partial.Partial
    pool: units.Pool


def _streams(seed: int) -> dict[str, np.random.Generator]:
    return {name: np.random.default_rng([seed, i]) for i, name in enumerate(STREAMS)}


def generate(real: Path, seed: int = DEFAULT_SEED, enterprises: int = 200,
             problem_rate: float = DEFAULT_PROBLEM_RATE,
             gas_share: float = DEFAULT_GAS_SHARE) -> Generated:
    """Build every table in memory (each stage has its own random stream, so the clean part
    of a set is the same with or without injected problems)."""
    if not 0.0 <= problem_rate <= 1.0:
        raise ValueError(f"problem_rate must be within 0..1, got {problem_rate}")
    rng = _streams(seed)
    policy = load_config()["policy"]
    pool = units.load_pool(real)
    md = master.build_master(pool, enterprises, gas_share, rng["master"])
    ents = md.enterprises
    u = md.units.merge(ents[["enterprise_id", "enterprise_name"]], on="enterprise_id")
    w = months.month_frame(u, pool.monthly)
    w = months.operations(w, rng["ops"])
    w = months.fuel(w, rng["fuel"])
    network = labs.network(ents, rng["labs"])
    w["lab_code"] = labs.assign(w, ents, network, rng["labs"])
    tested = (w["family"] == "coal") & (w["coal_consumption_t"] > 0)
    tested &= ~labs.unmeasured(w, rng["unmeasured"])
    lab = labs.reports(w, w.index[tested], network, rng["lab_dates"])
    w["submitted_at"] = workflow.deposit_times(w, lab, rng["deposits"])
    omitted = partial.choose(ents, md.units, rng["partial"])
    day = daily.daily_values(w[w["unit_id"].isin(omitted.daily_units)], rng["daily"])

    d = problems.Draft(w=w, lab=lab, policy=policy)
    plans = problems.plan(d, problem_rate, rng["plan"])
    inject = rng["inject"]
    problems.apply(d, plans, "lab", inject)
    filing.file_quality(w, d.lab, policy)
    problems.apply(d, plans, "filing", inject)
    w["co2_t"] = filing.filed_co2(w)
    problems.apply(d, plans, "co2", inject)
    d.monthly = filing.to_long(w)
    problems.apply(d, plans, "deposit", inject)
    d.monthly, events, d.approvals = workflow.review(d.monthly, md.units, ents, rng["review"])
    problems.apply(d, plans, "approval", inject)
    d.annual = workflow.annual_reports(w, d.monthly, ents, policy, rng["annual"])
    problems.apply(d, plans, "annual", inject)

    reports = d.lab.rename(columns={"period": "covered_period"})
    tables = {
        "enterprises": ents[schema.ENTERPRISES.column_names].sort_values("enterprise_id"),
        "units": schema.UNITS.frame_of(md.units).sort_values("unit_id"),
        "lab_reports": schema.LAB_REPORTS.frame_of(reports.assign(sample_type_code="coal"))
        .sort_values("report_id"),
        "monthly_parameters": partial.omit(d.monthly, md.units, omitted),
        "daily_parameters": day,
        "review_events": events,
        "annual_reports": d.annual[schema.ANNUAL_REPORTS.column_names],
    }
    tables = {k: v.reset_index(drop=True) for k, v in tables.items()}
    return Generated(tables, problems.truth_frame(d), w, omitted, pool)


def import_exports(paths: list[Path], into: Path) -> dict:
    """Import the exports; raise :class:`QuarantineError` if anything was not imported."""
    cfg = load_config()
    report = import_files(paths, into, config=cfg)
    if report.exit_code != 0:
        lines = report.summary_lines("en")
        for counts in report.tables.values():
            if counts.quarantine_file:
                q = pd.read_csv(counts.quarantine_file, dtype=str, keep_default_na=False)
                lines += [f"--- {counts.quarantine_file} (first rows)", q.head(8).to_string()]
        raise QuarantineError("\n".join(lines))
    return {name: c.imported for name, c in report.tables.items()}


def _summary(gen: Generated, seed: int, enterprises: int, problem_rate: float,
             gas_share: float, labels: str, imported: dict) -> dict:
    t, u = gen.tables, gen.tables["units"]
    return {
        "seed": seed, "enterprises": enterprises, "problem_rate": problem_rate,
        "gas_share": gas_share, "labels": labels,
        "exports": {export.FILES[k][0]: len(v) for k, v in t.items()},
        "imported": imported,
        "enterprises_by_province": t["enterprises"]["province"].value_counts().sort_index()
        .to_dict(),
        "units": {"total": len(u), "by_category": u["unit_category_code"].value_counts()
                  .sort_index().to_dict(), "chp": int(u["is_chp"].sum()),
                  "heat_kind": gen.w.drop_duplicates("unit_id")["heat_kind"].replace("", "none")
                  .value_counts().sort_index().to_dict()},
        "truth": {"rows": len(gen.truth), "enterprises": int(gen.truth["enterprise_id"]
                                                              .nunique()),
                  "by_kind": gen.truth["kind"].value_counts().sort_index().to_dict()},
        "partial": {**gen.partial.counts(), "shares": partial.SHARES},
        "sources": gen.pool.sources,
        "selection": gen.pool.dropped,
    }


def build(real: Path, out: Path, seed: int = DEFAULT_SEED, enterprises: int = 200,
          problem_rate: float = DEFAULT_PROBLEM_RATE, labels: str = "zh",
          gas_share: float = DEFAULT_GAS_SHARE) -> dict:
    """Generate, export, import, and write truth.csv and build.json; returns the summary."""
    if (out / "exports").exists() or (out / "dataset").exists():
        raise FileExistsError(f"{out} already holds a build; choose an empty folder")
    gen = generate(real, seed, enterprises, problem_rate, gas_share)
    paths = export.write(gen.tables, out / "exports", labels)
    imported = import_exports(paths, out / "dataset")
    gen.truth.to_csv(out / "dataset" / "truth.csv", index=False)
    summary = _summary(gen, seed, enterprises, problem_rate, gas_share, labels, imported)
    (out / "build.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL,
                    help="folder with egrid2021_units.csv and the EIA-923 file")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--enterprises", type=int, default=200)
    ap.add_argument("--problem-rate", type=float, default=DEFAULT_PROBLEM_RATE)
    ap.add_argument("--gas-share", type=float, default=DEFAULT_GAS_SHARE)
    ap.add_argument("--labels", choices=export.LABELS, default="zh")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        summary = build(args.real, args.out, args.seed, args.enterprises, args.problem_rate,
                        args.labels, args.gas_share)
    except QuarantineError as exc:
        print(f"build failed: the importer quarantined rows\n{exc}", file=sys.stderr)
        return 1
    print(json.dumps({k: summary[k] for k in ("exports", "imported", "truth")},
                     ensure_ascii=False))
    print(f"built in {time.perf_counter() - t0:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
