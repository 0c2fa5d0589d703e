"""National-scale screening: wall time and peak memory, against one plain DuckDB pass.

usage: python benchmarks/bench_screen.py [--dataset DIR] [--engine pandas dask]

Without ``--dataset`` a national dataset (seed 7) is generated first.  Each
measurement runs in its own Python process (peak RSS is that process's; for
the Dask engine the workers' memory is reported by the cluster separately and
is not included).  The DuckDB baseline reads every Parquet part of the
dataset once and aggregates it (count, sum per table and key): the least any
screen must do, so the ratio says what the checks cost on top of reading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

SCREEN = """
import json, resource, sys, time
from workbench.screen import screen
t = time.perf_counter()
m = screen(sys.argv[1], sys.argv[2], engine=sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - t, "flags": m["flags"],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

DUCKDB = """
import json, resource, sys, time
from workbench.dataset import Dataset
ds = Dataset(sys.argv[1])
t = time.perf_counter()
con = ds.duckdb()
rows = 0
for table in ds.row_counts():
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    key = "unit_id" if "unit_id" in cols else "enterprise_id"
    num = next((c for c in ("value", "carbon_ar_pct", "reported_co2_t") if c in cols), None)
    agg = f"sum({num})" if num else "count(*)"
    rows += con.execute(f"SELECT count(*) FROM (SELECT {key}, count(*), {agg} "
                        f"FROM {table} GROUP BY {key})").fetchone()[0]
print(json.dumps({"seconds": time.perf_counter() - t, "groups": rows,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=None)
    ap.add_argument("--engine", nargs="+", default=["pandas", "dask"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="wb-screen-") as tmp:
        ds = args.dataset
        if ds is None:
            ds = Path(tmp) / "national"
            subprocess.run([sys.executable, "-m", "workbench", "sample", "--scale", "national",
                            "--out", str(ds)], check=True, capture_output=True)
        records = sum(json.loads((ds / "manifest.json").read_text())["tables"][t]["rows"]
                      for t in json.loads((ds / "manifest.json").read_text())["tables"])
        base = run(DUCKDB, str(ds))
        summary = {"date": datetime.now(UTC).date().isoformat(), "records": records,
                   "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                   "duckdb_pass": base}
        print(f"records {records:,}; DuckDB aggregation pass {base['seconds']:.2f} s, "
              f"peak {base['peak_rss_mb']:,.0f} MB")
        for engine in args.engine:
            r = run(SCREEN, str(ds), str(Path(tmp) / f"res-{engine}"), engine)
            r["ratio_to_duckdb"] = r["seconds"] / base["seconds"]
            summary[engine] = r
            print(f"screen ({engine}): {r['seconds']:.1f} s, peak {r['peak_rss_mb']:,.0f} MB, "
                  f"{r['flags']:,} flags, {r['ratio_to_duckdb']:.0f}× the DuckDB pass")
        if len(args.engine) > 1:
            summary["same_flags"] = same_flags(*(Path(tmp) / f"res-{e}" for e in args.engine))
            print(f"same flags from {' and '.join(args.engine)}: {summary['same_flags']}")
        summary["flags_by_sector"] = flags_by_sector(ds, Path(tmp) / f"res-{args.engine[0]}")
        print("flags by sector:", summary["flags_by_sector"])
        print(json.dumps(summary))


#: What makes two flags tables the same: every flag's key, severity and numbers.
FLAG_KEY = ["check_id", "enterprise_id", "unit_id", "period", "year", "report_id",
            "parameter_code", "severity", "observed", "expected"]


def same_flags(a: Path, b: Path) -> bool:
    """Whether two screening results hold the same flags (order aside)."""
    import pandas as pd

    fa, fb = (pd.read_parquet(d / "flags.parquet")[FLAG_KEY].sort_values(FLAG_KEY)
              .reset_index(drop=True) for d in (a, b))
    return bool(fa.equals(fb))


def flags_by_sector(dataset: Path, results: Path) -> dict[str, dict[str, int]]:
    """Enterprises and flags (critical, all) per industry of a screened dataset."""
    import pandas as pd

    ents = pd.read_parquet(dataset / "tables" / "enterprises")[["enterprise_id",
                                                                "industry_code"]]
    f = pd.read_parquet(results / "flags.parquet").merge(ents, on="enterprise_id")
    return {str(k): {"enterprises": int((ents["industry_code"] == k).sum()),
                     "flags": int(len(g)), "critical": int((g["severity"] == "critical").sum())}
            for k, g in f.groupby("industry_code")}


if __name__ == "__main__":
    main()
