"""Detection measured, not assumed: screen generated data and score the flags against truth.csv.

usage: python benchmarks/measure_detection.py [--scale demo|province|national|real|real-sectors]
       [--seed N ...] [--engine pandas|dask] [--markdown docs/detection.md]

For each seed: build a dataset — with the project's generator (demo, province,
national) or, for ``real``, the independent set built from real plant records
(benchmarks/realset: eGRID 2021 units and EIA-923 monthly generation, imported
from Chinese platform-style exports) or, for ``real-sectors``, the independent steel,
cement and aluminium set (benchmarks/realset_sectors: GEM steel plants and provincial
aluminium capacities, written without reading the checks or the sample generator) —
screen it, and print recall per injected
kind, precision of critical flags at enterprise-period level, the share of
clean enterprises with a critical flag, how many injected enterprises rank in
the top N of the risk list, and per check its flags per 1,000 clean unit-months
(see workbench/detection.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from workbench.checks.inputs import load_inputs
from workbench.dataset import Dataset
from workbench.detection import evaluate, to_markdown
from workbench.samples.generator import generate, write
from workbench.screen import screen


def _dataset(scale: str, seed: int, work: Path) -> Path:
    """Build the dataset of one measurement; returns its folder."""
    if scale in ("real", "real-sectors"):
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # the repo, for benchmarks
        if scale == "real":
            from benchmarks.realset.build import DEFAULT_REAL, build
        else:
            from benchmarks.realset_sectors.build import DEFAULT_REAL, build

        build(DEFAULT_REAL, work / f"{scale}-{seed}", seed=seed)
        return work / f"{scale}-{seed}" / "dataset"
    ds_path = work / f"{scale}-{seed}"
    write(generate(scale, seed), ds_path, scale, seed, 0.25)
    return ds_path


def measure(scale: str, seed: int, engine: str, work: Path) -> dict:
    """Build, screen and evaluate one dataset."""
    ds_path = _dataset(scale, seed, work)
    res = work / f"{scale}-{seed}-results"
    manifest = screen(ds_path, res, engine=engine)
    truth = pd.read_csv(ds_path / "truth.csv", dtype=str, keep_default_na=False)
    ds = Dataset(ds_path)
    monthly = load_inputs(ds).monthly[["unit_id", "enterprise_id", "period"]]
    ents = ds.read("enterprises")
    result = evaluate(pd.read_parquet(res / "flags.parquet"), pd.read_parquet(res / "risk.parquet"),
                      truth, ents["enterprise_id"], monthly,
                      ents.set_index("enterprise_id")["industry_code"])
    result.update(scale=scale, seed=seed, engine=engine, screen_seconds=manifest["seconds"],
                  flags=manifest["flags"])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="province",
                    choices=["demo", "province", "national", "real", "real-sectors"])
    ap.add_argument("--seed", type=int, nargs="+", default=[101])
    ap.add_argument("--engine", default="pandas", choices=["pandas", "dask"])
    ap.add_argument("--markdown", type=Path, default=None,
                    help="append the tables to this Markdown file")
    args = ap.parse_args()
    blocks = []
    with tempfile.TemporaryDirectory(prefix="wb-detect-") as tmp:
        for seed in args.seed:
            r = measure(args.scale, seed, args.engine, Path(tmp))
            print(json.dumps(r, ensure_ascii=False))
            print(to_markdown(r))
            blocks.append(f"### {args.scale}, seed {seed} ({r['flags']:,} flags, screened in "
                          f"{r['screen_seconds']:.1f} s, {datetime.now(UTC).date()})\n\n"
                          + to_markdown(r))
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as fh:
            fh.write("\n\n".join(blocks) + "\n\n")


if __name__ == "__main__":
    main()
