"""National-scale generation and import: records/s and peak memory.

Each phase runs in its own Python process so its peak resident memory is its own:

1. ``generate``: ``workbench.samples.generator.generate("national")`` + write the dataset;
2. ``import``:  ``workbench.ingest.import_files`` of every table's Parquet parts into a new
   dataset, with full validation (types, codes, bounds, checksums, keys, references).

usage: python benchmarks/bench_generate_import.py [--scale national] [--workdir DIR]
Prints one line per phase and a JSON summary; copy the figures to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

PHASES = {
    "generate": """
import json, resource, sys, time
from workbench.samples.generator import generate, write
t = time.perf_counter()
gen = generate(sys.argv[1])
write(gen, sys.argv[2], sys.argv[1], 7, 0.25)
print(json.dumps({"records": gen.record_count(), "seconds": time.perf_counter() - t,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""",
    "import": """
import json, resource, sys, time
from pathlib import Path
from workbench.ingest import import_files
src = Path(sys.argv[2])
parts = sorted(src.glob("tables/*/*.parquet"))
staged = Path(sys.argv[3]) / "staged"
staged.mkdir()
files = []
for p in parts:                       # name each part after its table, as an export would be
    f = staged / f"{p.parent.name}_{p.stem}.parquet"
    f.symlink_to(p.resolve())
    files.append(f)
t = time.perf_counter()
report = import_files(files, Path(sys.argv[3]) / "imported")
out = report.to_json()
records = sum(v["read"] for v in out["tables"].values())
print(json.dumps({"records": records, "seconds": time.perf_counter() - t,
                  "quarantined": sum(v["quarantined"] for v in out["tables"].values()),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""",
}


def run_phase(name: str, *args: str) -> dict:
    """Run one phase in a fresh interpreter and return its JSON line."""
    out = subprocess.run([sys.executable, "-c", PHASES[name], *args], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["records_per_s"] = result["records"] / result["seconds"]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="national", choices=["demo", "province", "national"])
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="wb-bench-"))
    dataset = work / "generated"
    if dataset.exists():
        shutil.rmtree(dataset)
    summary = {"date": datetime.now(UTC).date().isoformat(), "scale": args.scale,
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                          f"Python {platform.python_version()}"}
    for phase, phase_args in (("generate", (args.scale, str(dataset))),
                              ("import", (args.scale, str(dataset), str(work)))):
        r = run_phase(phase, *phase_args)
        summary[phase] = r
        print(f"{phase:<9} {r['records']:>10,} records  {r['seconds']:7.1f} s  "
              f"{r['records_per_s']:>10,.0f} records/s  peak {r['peak_rss_mb']:,.0f} MB")
    print(json.dumps(summary))
    if args.workdir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
