"""Switching enterprise in the reviewer workbench: server-side time to refresh every view.

usage: python benchmarks/bench_review.py [--dataset DIR] [--switches N]

Opens the dataset (screening it once if needed), builds the ReviewerApp
without a browser (with a findings store in a temporary SQLite file), then
sets the picker to N enterprises in turn and times each switch (history
figure, daily figure, revisions and lab tables, peer figures, flags panel,
finding form and the enterprise's findings).  Prints median, p95 and max in ms.  Target: < 300 ms.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=None)
    ap.add_argument("--switches", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="wb-review-") as tmp:
        ds = args.dataset
        if ds is None:
            ds = Path(tmp) / "national"
            subprocess.run([sys.executable, "-m", "workbench", "sample", "--scale", "national",
                            "--out", str(ds)], check=True, capture_output=True)
        from widgets.apps import ReviewerApp
        from workbench.config import load_config
        from workbench.findings import open_store
        from workbench.review import ReviewData

        t0 = time.perf_counter()
        review = ReviewData.open(ds, Path(tmp) / "results")
        opened = time.perf_counter() - t0
        t0 = time.perf_counter()
        cfg = load_config()
        cfg["findings"]["reviewer_provinces"] = {"bench": ["*"]}
        store = open_store(f"sqlite:///{Path(tmp) / 'findings.sqlite'}", config=cfg,
                           actor="bench")
        app = ReviewerApp(review, store=store)
        built = time.perf_counter() - t0
        ids = review.enterprise_list()["enterprise_id"].tolist()
        rng = np.random.default_rng(0)
        picks = rng.choice(ids, size=min(args.switches, len(ids)), replace=False)
        times = []
        for e in picks:
            t0 = time.perf_counter()
            app.value = e
            times.append((time.perf_counter() - t0) * 1000)
        ms = np.array(times)
        result = {"enterprises": len(ids), "open_s": round(opened, 1), "build_s": round(built, 1),
                  "switches": len(ms), "median_ms": round(float(np.median(ms)), 1),
                  "p95_ms": round(float(np.percentile(ms, 95)), 1),
                  "max_ms": round(float(ms.max()), 1)}
        print(f"open {opened:.1f} s (incl. screening), app {built:.1f} s; switch enterprise: "
              f"median {result['median_ms']} ms, p95 {result['p95_ms']} ms, "
              f"max {result['max_ms']} ms over {len(ms)} switches")
        print(json.dumps(result))


if __name__ == "__main__":
    main()
