"""Build the held-out validation set of the 2025 sectors: exports, imported dataset, truth,
build.json.

usage: python -m benchmarks.realset_sectors.build --real DIR --out DIR [--seed 7]
       [--problem-rate 0.4] [--steel 40] [--cement 60] [--aluminium 15]

Writes ``OUT/exports/*.csv`` (platform-style exports), imports them with the project's
importer into ``OUT/dataset``, writes ``OUT/dataset/truth.csv`` (kind, enterprise_id,
unit_id, period, parameter_code) and ``OUT/build.json`` (seed, counts, partial exports,
sources with SHA-256).  The same seed gives the same exports, truth and build.json.  The
build fails, printing the import report, if any row is quarantined.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.realset.build import QuarantineError, import_exports
from benchmarks.realset_sectors import aluminium, cement, common, export, steel
from workbench import schema
from workbench.config import load_config

DEFAULT_REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
DEFAULT_SEED = 7
DEFAULT_PROBLEM_RATE = 0.4
DEFAULT_SIZES = {"steel": 40, "cement": 60, "aluminium": 15}
SOURCES = ("gem_steel_plants_china.csv", "aluminium_capacity_by_province.csv")


@dataclass
class Generated:
    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame
    summary: dict


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate(real: Path, seed: int = DEFAULT_SEED, problem_rate: float = DEFAULT_PROBLEM_RATE,
             sizes: dict[str, int] | None = None) -> Generated:
    """Every table in memory, the truth and the summary (without import counts)."""
    if not 0.0 <= problem_rate <= 1.0:
        raise ValueError(f"problem_rate must be within 0..1, got {problem_rate}")
    sizes = {**DEFAULT_SIZES, **(sizes or {})}
    cfg = load_config()
    taken: set[str] = set()
    parts = {}
    if sizes["steel"]:
        parts["steel"] = steel.generate(real, sizes["steel"], seed, problem_rate, cfg, taken)
    if sizes["cement"]:
        parts["cement"] = cement.generate(sizes["cement"], seed, problem_rate, cfg, taken)
    if sizes["aluminium"]:
        parts["aluminium"] = aluminium.generate(real, sizes["aluminium"], seed, problem_rate,
                                                cfg, taken)
    ents, units, monthly, labs, truths, summary = [], [], [], [], [], {}
    for sector, (e, u, f, lab, truth, partial, info, eids, drng) in parts.items():
        ents += e
        units += u
        labs += lab
        times = common.deposit_times(eids, drng)
        owner = {x["unit_id"]: x["enterprise_id"] for x in u}
        sub = {(unit, p): times[(owner[unit], p)] for (unit, p) in f.rows}
        monthly.append(f.long(sub))
        tf = truth.frame()
        truths.append(tf)
        summary[sector] = {
            "enterprises": len(e), "units": len(u),
            "units_by_kind": pd.Series([x["unit_category_code"] for x in u]).value_counts()
            .sort_index().to_dict(),
            "enterprises_by_province": pd.Series([x["province"] for x in e]).value_counts()
            .sort_index().to_dict(),
            "truth": {"rows": len(tf), "enterprises": int(tf["enterprise_id"].nunique()),
                      "by_kind": tf["kind"].value_counts().sort_index().to_dict()},
            "problems": truth.detail, "partial": partial, **info}
    ent_df = pd.DataFrame(ents).sort_values("enterprise_id").reset_index(drop=True)
    if ent_df["enterprise_id"].duplicated().any():
        raise RuntimeError("duplicate enterprise ids")
    unit_df = pd.DataFrame(units)
    for col in ("clinker_type_code", "rated_capacity_t_per_d", "cells", "line_current_ka",
                "design_capacity_kt", "commissioning_year"):
        if col not in unit_df:
            unit_df[col] = pd.NA
    unit_df = unit_df.sort_values("unit_id").reset_index(drop=True)
    lab_cols = schema.LAB_REPORTS.column_names
    lab_df = pd.DataFrame(labs, columns=list(dict.fromkeys(
        [*lab_cols, *(k for x in labs for k in x)])))
    lab_df = lab_df.sort_values("report_id").reset_index(drop=True)
    mon = pd.concat(monthly, ignore_index=True)
    tables = {"enterprises": ent_df, "units": unit_df, "lab_reports": lab_df,
              "monthly_parameters": mon}
    truth = (pd.concat(truths, ignore_index=True) if truths else
             pd.DataFrame(columns=list(common.TRUTH_COLUMNS)))
    return Generated(tables, truth.reset_index(drop=True), summary)


def build(real: Path, out: Path, seed: int = DEFAULT_SEED,
          problem_rate: float = DEFAULT_PROBLEM_RATE, sizes: dict[str, int] | None = None
          ) -> dict:
    """Generate, export, import, and write truth.csv and build.json; returns the summary."""
    if (out / "exports").exists() or (out / "dataset").exists():
        raise FileExistsError(f"{out} already holds a build; choose an empty folder")
    sizes = {**DEFAULT_SIZES, **(sizes or {})}
    gen = generate(real, seed, problem_rate, sizes)
    paths = export.write(gen.tables, out / "exports")
    imported = import_exports(paths, out / "dataset")
    gen.truth.to_csv(out / "dataset" / "truth.csv", index=False, lineterminator="\n")
    t = gen.tables
    summary = {
        "seed": seed, "problem_rate": problem_rate, "sizes": sizes,
        "periods": [common.PERIODS[0], common.PERIODS[-1]],
        "exports": {export.FILES[k][0]: len(v) for k, v in t.items()},
        "imported": imported,
        "truth": {"rows": len(gen.truth), "enterprises": int(gen.truth["enterprise_id"].nunique()),
                  "by_kind": gen.truth["kind"].value_counts().sort_index().to_dict()},
        "lab_reports_by_sample_type": t["lab_reports"]["sample_type_code"].value_counts()
        .sort_index().to_dict(),
        "sectors": gen.summary,
        "sources": {name: {"sha256": _sha(real / name), "used_by": use}
                    for name, use in zip(SOURCES, ("steel", "aluminium"), strict=True)
                    if (real / name).is_file()},
        "factor_versions": _versions(),
    }
    (out / "build.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2,
                                               default=_json) + "\n", encoding="utf-8")
    return summary


def _versions() -> dict[str, str]:
    from workbench import factors as F
    cfg = load_config()
    return {t: F.active_version(cfg, t) for t in F.TABLES}


def _json(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    raise TypeError(type(x))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL,
                    help="folder with gem_steel_plants_china.csv and "
                         "aluminium_capacity_by_province.csv")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--problem-rate", type=float, default=DEFAULT_PROBLEM_RATE)
    for sector, n in DEFAULT_SIZES.items():
        ap.add_argument(f"--{sector}", type=int, default=n, help=f"enterprises (default {n})")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    sizes = {"steel": args.steel, "cement": args.cement, "aluminium": args.aluminium}
    try:
        summary = build(args.real, args.out, args.seed, args.problem_rate, sizes)
    except QuarantineError as exc:
        print(f"build failed: the importer quarantined rows\n{exc}", file=sys.stderr)
        return 1
    except (ValueError, FileExistsError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({k: summary[k] for k in ("exports", "imported", "truth")},
                     ensure_ascii=False))
    print(f"built in {time.perf_counter() - t0:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
