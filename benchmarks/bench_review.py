"""Switching enterprise in the reviewer workbench: server-side time to refresh every view.

usage: python benchmarks/bench_review.py [--dataset DIR] [--switches N] [--industry CODE]

Opens the dataset (screening it once if needed), builds the ReviewerApp
without a browser (with a findings store in a temporary SQLite file), then
sets the picker to N enterprises in turn and times each switch, once with each
of the flags, history and peers tabs open (a switch refreshes the flags panel,
the finding form and the enterprise's findings, and the open tab's figures and
tables; hidden tabs are drawn when opened), then times opening the history and
peers tabs after a switch.  Prints median, p95 and max in ms.  Target: < 300 ms.
With ``--industry`` (power, steel, cement, aluminium) only enterprises of that industry
are picked.
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
    ap.add_argument("--industry", default=None,
                    choices=["power", "steel", "cement", "aluminium"])
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
        listed = review.enterprise_list()
        if args.industry:
            listed = listed[listed["industry_code"] == args.industry]
        ids = listed["enterprise_id"].tolist()
        rng = np.random.default_rng(0)
        picks = rng.choice(ids, size=min(args.switches, len(ids)), replace=False)
        tabs = app._tab_keys
        result = {"enterprises": len(ids), "industry": args.industry or "all",
                  "open_s": round(opened, 1),
                  "build_s": round(built, 1), "switches": len(picks)}
        print(f"open {opened:.1f} s (incl. screening), app {built:.1f} s; "
              f"{len(picks)} switches per line")
        for tab in ("flags", "history", "peers"):      # switching with this tab open
            app._w_tabs.selected_index = tabs.index(tab)
            result[f"switch_{tab}"] = _summary([_timed(lambda e=e: setattr(app, "value", e))
                                                for e in picks])
            print(f"switch enterprise, {tab} tab open: {_text(result[f'switch_{tab}'])}")
        for tab in ("history", "peers"):               # opening a tab after a switch
            opened_ms = []
            for e in picks:
                app._w_tabs.selected_index = tabs.index("flags")
                app.value = e
                opened_ms.append(_timed(lambda t=tab: setattr(
                    app._w_tabs, "selected_index", tabs.index(t))))
            result[f"open_{tab}"] = _summary(opened_ms)
            print(f"open the {tab} tab after a switch: {_text(result[f'open_{tab}'])}")
        print(json.dumps(result))


def _timed(action) -> float:
    t0 = time.perf_counter()
    action()
    return (time.perf_counter() - t0) * 1000


def _summary(ms: list[float]) -> dict[str, float]:
    a = np.array(ms)
    return {"median_ms": round(float(np.median(a)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "max_ms": round(float(a.max()), 1)}


def _text(s: dict[str, float]) -> str:
    return f"median {s['median_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms"


if __name__ == "__main__":
    main()
