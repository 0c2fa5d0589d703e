"""Time to a usable reviewer app from the README's command, in headless Chromium.

Runs ``python -m workbench demo`` (the README's first command after setup) or
``python -m workbench lab DATASET`` and measures, per run:

* **address printed** — from starting the command to its last line (the address with the
  port in use and the token): JupyterLab is up;
* **usable** — from starting the command to the app on screen in the browser, ready: the
  enterprise header card of the highest-ranked enterprise ("风险排名 1/N") and the flags
  grid drawn (Voilà inside JupyterLab runs the working copy of the reviewer notebook in a
  fresh kernel: imports, dataset, screening results, widgets);
* **switch** — choosing another enterprise in the picker until its header card shows.

A "cold" run screens a copy of the dataset with no cached results; a "warm" run reuses the
results the cold run cached (what a reviewer meets every time after the first).

    python benchmarks/bench_reviewer_app.py [--dataset data_samples/demo] [--runs 3]

Prints the figures; record them in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from playwright.sync_api import expect  # noqa: E402
from voila_server import chromium  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(browser, command: list[str], workdir: Path, env: dict) -> dict:
    """Start ``command``, wait for its address line, open it and wait for the app."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([*command, "--no-browser", f"--port={_free_port()}",
                             f"--workdir={workdir}"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        url = ""
        while True:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the command ended before printing its address: {command}")
            if "reviewer workbench: http" in line:
                url = line.split(": ", 1)[1].strip()
                break
        printed = time.perf_counter() - t0
        page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(300_000)
        page.goto(url)
        card = page.locator(".wb-card").first
        expect(card).to_contain_text("风险排名 1/")
        page.locator(".lm-DataGrid:visible").first.wait_for()
        usable = time.perf_counter() - t0
        picker = page.locator(".widget-select select").first
        t1 = time.perf_counter()
        picker.select_option(index=1)
        expect(card).to_contain_text("风险排名 2/")
        switch = time.perf_counter() - t1
        page.close()
        return {"printed": printed, "usable": usable, "switch": switch}
    finally:
        proc.terminate()
        proc.wait(60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=ROOT / "data_samples" / "demo")
    ap.add_argument("--runs", type=int, default=3, help="warm runs after the cold one")
    ap.add_argument("--readme", action="store_true",
                    help="time `workbench demo` itself (the committed demo, warm) as well")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        tmp = Path(tmp)
        copy = tmp / "dataset"
        shutil.copytree(args.dataset, copy,
                        ignore=shutil.ignore_patterns(".screen"))
        cfg = tmp / "workbench.toml"
        cfg.write_text(f'[general]\ndatabase_url = "sqlite:///{tmp / "f.sqlite"}"\n',
                       encoding="utf-8")
        env = dict(os.environ, WORKBENCH_CONFIG=str(cfg))
        lab = [sys.executable, "-m", "workbench", "lab", str(copy)]
        rows = [("cold", one_run(browser, lab, tmp / "w0", env))]
        rows += [("warm", one_run(browser, lab, tmp / f"w{i + 1}", env))
                 for i in range(args.runs)]
        if args.readme:
            demo = [sys.executable, "-m", "workbench", "demo"]
            rows += [("demo", one_run(browser, demo, tmp / "wd", env))]
    for kind, r in rows:
        print(f"{kind:5s} address printed {r['printed']:6.1f} s · usable {r['usable']:6.1f} s"
              f" · switch {r['switch']:5.2f} s")
    warm = [r for k, r in rows if k == "warm"]
    if warm:
        print(f"warm median: address {statistics.median(r['printed'] for r in warm):.1f} s,"
              f" usable {statistics.median(r['usable'] for r in warm):.1f} s,"
              f" switch {statistics.median(r['switch'] for r in warm):.2f} s")


if __name__ == "__main__":
    main()
