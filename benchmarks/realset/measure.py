"""Score a screened build against its truth: detection figures and flags on clean unit-months.

usage: python -m benchmarks.realset.measure BUILD [--results DIR] [--json]

``BUILD`` is the output folder of :mod:`.build` (``BUILD/dataset``); the flags are
read from ``BUILD/results`` (``workbench screen BUILD/dataset --out BUILD/results``).
Prints :func:`workbench.detection.evaluate` (recall per kind, critical precision,
clean enterprises with a critical flag, top-N) and, per check and severity, how
many clean unit-months (no injected problem) it flagged.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from workbench.dataset import Dataset
from workbench.detection import evaluate, to_markdown


def clean_flags(flags: pd.DataFrame, truth: pd.DataFrame, monthly: pd.DataFrame) -> pd.DataFrame:
    """Per check and severity: clean unit-months flagged, and their share of all clean ones."""
    bad = pd.MultiIndex.from_frame(truth[["unit_id", "period"]])
    months = pd.MultiIndex.from_frame(monthly[["unit_id", "period"]].drop_duplicates())
    n_clean = int((~months.isin(bad)).sum())
    f = flags[flags["unit_id"].fillna("") != ""]
    f = f[~pd.MultiIndex.from_frame(f[["unit_id", "period"]].fillna("")).isin(bad)]
    counts = (f.drop_duplicates(["check_id", "severity", "unit_id", "period"])
              .groupby(["check_id", "severity"]).size().unstack(fill_value=0))
    for sev in ("critical", "warning", "info"):
        if sev not in counts:
            counts[sev] = 0
    counts = counts[["critical", "warning", "info"]]
    counts["share_of_clean_unit_months"] = (counts.sum(axis=1) / n_clean).round(4)
    counts.attrs["clean_unit_months"] = n_clean
    return counts.sort_values("share_of_clean_unit_months", ascending=False)


def measure(build: Path, results: Path) -> tuple[dict, pd.DataFrame]:
    """The detection figures and the clean-flag table of one screened build."""
    ds = Dataset(build / "dataset")
    truth = pd.read_csv(build / "dataset" / "truth.csv", dtype=str, keep_default_na=False)
    flags = pd.read_parquet(results / "flags.parquet")
    risk = pd.read_parquet(results / "risk.parquet")
    figures = evaluate(flags, risk, truth, ds.read("enterprises")["enterprise_id"])
    return figures, clean_flags(flags, truth, ds.read("monthly_parameters"))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("--results", type=Path, default=None)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    figures, table = measure(args.build, args.results or args.build / "results")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(to_markdown(figures))
    print(f"\nflags on clean unit-months ({table.attrs['clean_unit_months']:,} in all):\n")
    print(table.to_string())


if __name__ == "__main__":
    main()
