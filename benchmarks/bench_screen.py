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
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
