"""Supervisor dashboard in a real browser: first render, filter response, concurrent viewers.

Serves ``workbench dashboard`` (Voilà with a preheated kernel pool) over a dataset and
drives Debian's headless Chromium with Playwright:

* **first render** — from navigation to the first screen complete (six KPI cards with
  their sparklines, the risk ranking listing every enterprise), for a viewer who finds a
  preheated kernel (the pool refilled between viewers);
* **trends tab** — from clicking the tab to its plotly trend and heatmap being drawn (the
  first plotly figures of the page: plotly.js is evaluated then);
* **filter response** — choosing a city until the risk ranking shows that city's
  enterprises (the count in the browser equals the count computed here);
* **concurrent viewers** — N pages opened at once; each must render its KPIs without a
  page error; time to KPIs per viewer (viewers beyond the pool wait for a new kernel).

    python benchmarks/bench_dashboard.py --scale province [--viewers 5] [--pool-size 2]

Prints the figures; record them in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests"))

from grid_ui import exported  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402
from voila_server import CHROMIUM_ARGS, chromium, chromium_path, voila_server  # noqa: E402

from widgets.labels import LABELS  # noqa: E402
from workbench.config import load_config  # noqa: E402
from workbench.review import ReviewData  # noqa: E402
from workbench.samples.generator import generate, write  # noqa: E402

TIMEOUT_MS = 300_000


def _processes() -> dict[str, tuple[bytes, float, float]]:
    """Every process: pid -> (command line, CPU seconds, resident MB)."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes()
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            rss = next((line for line in (proc / "status").read_text().splitlines()
                        if line.startswith("VmRSS")), "VmRSS: 0 kB")
        except OSError:
            continue
        out[proc.name] = (cmd, (int(stat[11]) + int(stat[12])) / tick,
                          int(rss.split()[1]) / 1024)
    return out


def _kernels() -> dict[str, tuple[float, float]]:
    """Running ipykernel processes: pid -> (CPU seconds, resident MB)."""
    return {pid: (cpu, mb) for pid, (cmd, cpu, mb) in _processes().items()
            if b"ipykernel" in cmd}


def _cpu_by_role() -> dict[str, float]:
    """CPU seconds used so far by the browser (Chromium) and by the server (Voilà and its
    kernels), over the processes alive now."""
    out = {"browser": 0.0, "server": 0.0}
    for cmd, cpu, _ in _processes().values():
        if b"chrom" in cmd:
            out["browser"] += cpu
        elif b"ipykernel" in cmd or b"voila" in cmd or b"workbench" in cmd:
            out["server"] += cpu
    return out


def _wait_for_pool(size: int, timeout_s: float = 300) -> dict[str, tuple[float, float]]:
    """Wait until Voilà has refilled its pool (its refill delay has passed), at least
    ``size`` kernels run and none used CPU for 2 s (the pool's kernels have executed the
    dashboard and wait for a viewer)."""
    time.sleep(load_config()["dashboard"]["refill_delay_s"] + 1)
    deadline = time.monotonic() + timeout_s
    before = _kernels()
    while True:
        time.sleep(2)
        now = _kernels()
        busy = [pid for pid, (cpu, _) in now.items() if cpu - before.get(pid, (0, 0))[0] > 0.05]
        if len(now) >= size and not busy:
            return now
        if time.monotonic() > deadline:
            raise RuntimeError("the kernel pool did not settle in time")
        before = now


#: True once the ranking's note says it ranks ``n`` (its argument, as printed) enterprises:
#: the note and the ranking grid are drawn by the same refresh.
RANKED = ("(document.querySelector('.wb-ranking-note')?.innerText || '')"
          ".includes('：' + n + ' 家企业有预警')")


def _first_render(browser, url: str, n_ranked: int) -> tuple[float, float]:
    """Seconds to the complete first screen, then seconds from clicking the trends tab to
    its figures being drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(
        "n => document.querySelectorAll('.wb-kpi svg.wb-spark').length === 6 && "
        "document.querySelector('.wb-grid-ranking .lm-DataGrid canvas') !== null && "
        + RANKED, arg=f"{n_ranked:,}", timeout=TIMEOUT_MS)
    first = time.perf_counter() - t0
    assert len(exported(page, page.locator(".wb-grid-ranking"))) == n_ranked
    t0 = time.perf_counter()
    page.get_by_text(LABELS["dash_trends"][0], exact=True).first.click()
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length === 2"
        " && document.querySelector('.js-plotly-plot .heatmaplayer') !== null",
        timeout=TIMEOUT_MS)
    trends = time.perf_counter() - t0
    page.close()
    return first, trends


def _filter_responses(browser, url: str, review: ReviewData, n: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(".wb-kpi", timeout=TIMEOUT_MS)
    city_select = page.locator(".widget-dropdown", has_text=LABELS["city"][0]).locator("select")
    ents = review.enterprises.set_index("enterprise_id")
    flagged = review.risk[review.risk["risk_score"] > 0]     # the ranking lists these
    ranked = ents.loc[flagged["enterprise_id"], "city"]
    times = []
    for city in ranked.value_counts().index[:n]:
        expected = int((ranked == city).sum())
        t0 = time.perf_counter()
        city_select.select_option(label=city)
        page.wait_for_function(f"n => {RANKED}", arg=f"{expected:,}", timeout=60_000)
        times.append(time.perf_counter() - t0)
        assert len(exported(page, page.locator(".wb-grid-ranking"))) == expected
    page.close()
    return times


def _figure_redraws(browser, url: str, review: ReviewData, n: int) -> list[float]:
    """Seconds from choosing a city, with the trends tab open, to both figures drawn anew."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(".wb-kpi", timeout=TIMEOUT_MS)
    page.get_by_text(LABELS["dash_trends"][0], exact=True).first.click()
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=TIMEOUT_MS)
    city_select = page.locator(".widget-dropdown", has_text=LABELS["city"][0]).locator("select")
    times = []
    for city in review.enterprises["city"].value_counts().index[:n]:
        page.evaluate("() => document.querySelectorAll('.js-plotly-plot')"
                      ".forEach(e => e.dataset.old = '1')")
        t0 = time.perf_counter()
        city_select.select_option(label=city)
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot:not([data-old]) .scatterlayer "
            ".trace').length === 2 && document.querySelector('.js-plotly-plot:not([data-old]) "
            ".heatmaplayer') !== null", timeout=60_000)
        times.append(time.perf_counter() - t0)
    page.close()
    return times


async def _viewers(url: str, n: int) -> tuple[list[tuple[float, list[str]]], dict[str, float]]:
    """Each viewer's seconds to KPIs and errors, and the CPU seconds the browser and the
    server spent during the burst (all on the same machine here; real viewers' browsers
    run on their own)."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)

        async def one() -> tuple[float, list[str]]:
            page = await browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            t0 = time.perf_counter()
            try:
                await page.goto(url, timeout=TIMEOUT_MS)
                await page.wait_for_selector(".wb-kpi", timeout=TIMEOUT_MS)
            except Exception as exc:  # noqa: BLE001 - report every failure, keep measuring
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return time.perf_counter() - t0, errors

        before = _cpu_by_role()
        out = await asyncio.gather(*(one() for _ in range(n)))
        after = _cpu_by_role()
        await browser.close()
        return out, {k: after[k] - before[k] for k in after}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="province", choices=["demo", "province", "national"])
    ap.add_argument("--dataset", type=Path, default=None, help="use this dataset instead")
    ap.add_argument("--pool-size", type=int, default=2)
    ap.add_argument("--first-renders", type=int, default=3)
    ap.add_argument("--filters", type=int, default=8)
    ap.add_argument("--viewers", type=int, default=5)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    dataset = args.dataset
    if dataset is None:
        dataset = work / "ds"
        write(generate(args.scale), dataset, args.scale, 7, 0.25)
    config = work / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{work / "f.sqlite"}"\n',
                      encoding="utf-8")
    review = ReviewData.open(dataset)
    n_records = sum(len(review.ds.read(t)) for t in ("monthly_parameters",
                                                     "daily_parameters", "lab_reports"))
    print(f"dataset {dataset}: {len(review.enterprises)} enterprises, {n_records:,} records; "
          f"pool size {args.pool_size}; chromium {chromium_path()}")
    log = work / "voila.log"
    with voila_server(dataset, config, log, pool_size=args.pool_size) as url:
        pool = _wait_for_pool(args.pool_size)
        print(f"kernel pool ready; kernel RSS MB: {sorted(round(m) for _, m in pool.values())}")
        with chromium() as browser:
            renders = []
            ranked = int((review.risk["risk_score"] > 0).sum())    # enterprises with flags
            for _ in range(args.first_renders):
                renders.append(_first_render(browser, url, ranked))
                _wait_for_pool(args.pool_size)
            kpis = [k for k, _ in renders]
            trends = [t for _, t in renders]
            print(f"first render (preheated kernel; cards, sparklines, ranking): median "
                  f"{statistics.median(kpis):.2f} s max {max(kpis):.2f} s; trends tab drawn "
                  f"after its click: median {statistics.median(trends):.2f} s max "
                  f"{max(trends):.2f} s (n={len(kpis)})")
            times = _filter_responses(browser, url, review, args.filters)
            print(f"filter response (city -> ranking): median {statistics.median(times):.2f} s "
                  f"max {max(times):.2f} s (n={len(times)})")
            _wait_for_pool(args.pool_size)
            times = _figure_redraws(browser, url, review, args.filters)
            print(f"filter response with the trends tab open (city -> trend and heatmap "
                  f"redrawn): median {statistics.median(times):.2f} s max {max(times):.2f} s "
                  f"(n={len(times)})")
        _wait_for_pool(args.pool_size)
        results, cpu = asyncio.run(_viewers(url, args.viewers))
        errors = [e for _, errs in results for e in errs]
        ready = sorted(t for t, _ in results)
        print(f"{args.viewers} concurrent viewers: all rendered={not errors}; time to KPIs "
              f"{', '.join(f'{t:.1f}' for t in ready)} s; errors: {errors or 'none'}; CPU "
              f"during the burst: browser {cpu['browser']:.1f} s, server (Voilà + kernels) "
              f"{cpu['server']:.1f} s")


if __name__ == "__main__":
    main()
