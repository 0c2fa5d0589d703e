"""Supervisor dashboard under a burst of viewers: kernel cap, busy page, memory.

Serves ``workbench dashboard`` (Voilà through ``workbench.dashboard_server``: at most
``pool_size + max_extra_kernels`` kernels, closed pages culled after ``cull_closed_s``)
over a dataset and sends ``--viewers`` headless Chromium pages to it from localhost,
arriving evenly within ``--within`` seconds.  Each viewer opens the page and waits until
the dashboard's KPI cards are drawn; a viewer beyond the cap gets the busy page (HTTP
503), which retries by itself every 5 s.  Once served, a viewer keeps the page open
``--dwell`` seconds and leaves: every other viewer leaves normally (navigates away, so
Voilà's unload beacon asks for its kernel's shutdown), the others vanish without it (the
tab is closed without unload handlers, as a crashed browser or a lost network would), so
their kernels wait for the closed-page culler.

The server's whole process tree (Voilà and its kernels) is sampled every second: resident
memory (RSS) and kernel count.  Printed: peak RSS and kernels against the cap, how many
viewers saw the busy page, that every viewer was served (and how long it waited), and RSS
and kernels ``--after`` seconds after the last viewer left.

    python benchmarks/bench_dashboard_load.py --scale province [--viewers 20] [--within 60]
    python benchmarks/bench_dashboard_load.py --scale province --uncapped   # as before

``--uncapped`` serves plain Voilà with the command line ``workbench dashboard`` used before
the cap (``workbench.cli.voila_command`` without the capped kernel manager and with
Jupyter Server's idle culler as it was): for comparison.

Prints the figures; record them in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from playwright.async_api import async_playwright  # noqa: E402
from voila_server import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    stop,
    voila_server,
    wait_until_answering,
)

from workbench.config import load_config  # noqa: E402
from workbench.review import ReviewData  # noqa: E402
from workbench.samples.generator import generate, write  # noqa: E402

TIMEOUT_MS = 600_000
CULLED = "its page has had no connection for"     # the closed-page culler's log line


def _server(port: int) -> psutil.Process:
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if f"--port={port}" in cmd and ("workbench.dashboard_server" in cmd or "voila" in cmd):
            return proc
    raise RuntimeError(f"no dashboard server on port {port}")


@contextmanager
def _uncapped_server(dataset: Path, config: Path, log: Path, pool_size: int):
    """Plain Voilà with the dashboard's command line as it was before the cap (no kernel
    cap, no closed-page culling, idle culling of unconnected kernels only); yields its URL."""
    from workbench.cli import voila_command
    from workbench.config import child_environment
    from workbench.dataset import Dataset
    from workbench.review import cached_results

    os.environ["WORKBENCH_CONFIG"] = str(config)
    cfg = load_config()
    results = cached_results(Dataset(dataset), cfg)
    env = child_environment(WORKBENCH_DATASET=str(dataset.resolve()),
                            WORKBENCH_RESULTS=str(results.resolve()))
    port = free_port()
    cmd = [arg for arg in voila_command(ROOT, port, True, {**cfg["dashboard"],
                                                           "pool_size": pool_size})
           if "CappedKernelManager" not in arg and "cull_connected" not in arg]
    cmd[2] = "voila"
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_answering(url + "api/status", proc, log, 600)
            yield url
        finally:
            stop(proc, 60)


def _tree(server: psutil.Process) -> tuple[float, int]:
    """Resident MB of the server and all its descendants, and how many are kernels."""
    mb, kernels = 0.0, 0
    for proc in [server, *server.children(recursive=True)]:
        try:
            mb += proc.memory_info().rss / 2**20
            if any("ipykernel" in part for part in proc.cmdline()):
                kernels += 1
        except psutil.Error:
            continue
    return mb, kernels


class Sampler(threading.Thread):
    """(seconds since start, RSS MB, kernels) of the server's tree, every second."""

    def __init__(self, server: psutil.Process):
        super().__init__(daemon=True)
        self.server, self.t0, self.rows = server, time.monotonic(), []
        self.stop = threading.Event()

    def run(self) -> None:
        while True:
            mb, kernels = _tree(self.server)
            self.rows.append((time.monotonic() - self.t0, mb, kernels))
            if self.stop.wait(1.0):
                return

    def between(self, t0: float, t1: float) -> list[tuple[float, float, int]]:
        return [r for r in self.rows if t0 <= r[0] <= t1]


def _wait_settled(server: psutil.Process, kernels: int, timeout_s: float = 300) -> None:
    """Until ``kernels`` kernels run and the tree used no CPU for 3 s (the pool is ready)."""
    deadline = time.monotonic() + timeout_s
    before = None
    while time.monotonic() < deadline:
        cpu = 0.0
        for proc in [server, *server.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            cpu += times.user + times.system
        if before is not None and cpu - before < 0.1 and _tree(server)[1] >= kernels:
            return
        before = cpu
        time.sleep(3)
    raise RuntimeError("the kernel pool did not settle in time")


async def _viewers(url: str, n: int, within_s: float, dwell_s: float, t0: float):
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)

        async def one(i: int) -> dict:
            await asyncio.sleep(i * within_s / n)
            page = await browser.new_page(viewport={"width": 1400, "height": 1000})
            statuses: list[int] = []
            page.on("response", lambda r: statuses.append(r.status)
                    if r.request.resource_type == "document" and r.frame == page.main_frame
                    else None)
            out = {"arrived": time.monotonic() - t0, "error": None}
            try:
                await page.goto(url, timeout=TIMEOUT_MS)
                await page.wait_for_selector(".wb-kpi", timeout=TIMEOUT_MS)
                out["served"] = time.monotonic() - t0
                await asyncio.sleep(dwell_s)
            except Exception as exc:  # noqa: BLE001 - report every failure, keep measuring
                out["error"] = f"{type(exc).__name__}: {exc}"[:200]
            out["busy"] = statuses.count(503)
            out["beacon"] = i % 2 == 0
            if out["beacon"]:      # leaves normally: the unload beacon goes out
                await page.goto("about:blank")
            await page.close()
            out["left"] = time.monotonic() - t0
            return out

        results = await asyncio.gather(*(one(i) for i in range(n)))
        await browser.close()
        return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="province", choices=["demo", "province", "national"])
    ap.add_argument("--dataset", type=Path, default=None, help="use this dataset instead")
    ap.add_argument("--viewers", type=int, default=20)
    ap.add_argument("--within", type=float, default=60, help="seconds over which they arrive")
    ap.add_argument("--dwell", type=float, default=20,
                    help="seconds a served viewer keeps the page open")
    ap.add_argument("--after", type=float, default=90,
                    help="seconds of sampling after the last viewer left")
    ap.add_argument("--pool-size", type=int, default=None, help="default: config")
    ap.add_argument("--max-extra-kernels", type=int, default=None, help="default: config")
    ap.add_argument("--cull-closed-s", type=float, default=None, help="default: config")
    ap.add_argument("--uncapped", action="store_true",
                    help="plain Voilà as served before the cap, for comparison")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-load-"))
    dataset = args.dataset
    if dataset is None:
        dataset = work / "ds"
        write(generate(args.scale), dataset, args.scale, 7, 0.25)
    dash = dict(load_config()["dashboard"])
    for key in ("pool_size", "max_extra_kernels", "cull_closed_s"):
        if getattr(args, key) is not None:
            dash[key] = getattr(args, key)
    cap = max(dash["pool_size"] + dash["max_extra_kernels"], 1)
    config = work / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{work / "f.sqlite"}"\n'
                      f'[dashboard]\nmax_extra_kernels = {dash["max_extra_kernels"]}\n'
                      f'cull_closed_s = {dash["cull_closed_s"]}\n', encoding="utf-8")
    review = ReviewData.open(dataset)
    n_records = sum(len(review.ds.read(t)) for t in ("monthly_parameters",
                                                     "daily_parameters", "lab_reports"))
    serving = (f"UNCAPPED (plain Voilà as before the cap): pool {dash['pool_size']}, idle "
               f"culling after {dash['cull_idle_s']} s" if args.uncapped else
               f"pool {dash['pool_size']}, extra {dash['max_extra_kernels']} -> cap {cap} "
               f"kernels; closed pages culled after {dash['cull_closed_s']} s")
    print(f"dataset {dataset}: {len(review.enterprises)} enterprises, {n_records:,} records; "
          f"{serving}; refill delay {dash['refill_delay_s']} s; {psutil.cpu_count()} cores; "
          f"chromium {chromium_path()}")
    del review
    log = work / "voila.log"
    serve = _uncapped_server if args.uncapped else voila_server
    with serve(dataset, config, log, pool_size=dash["pool_size"]) as url:
        server = _server(int(url.rstrip("/").rsplit(":", 1)[1]))
        _wait_settled(server, dash["pool_size"])
        sampler = Sampler(server)
        sampler.start()
        time.sleep(2)
        idle_mb, idle_k = _tree(server)
        print(f"before the viewers: {idle_k} kernels, server tree RSS {idle_mb:,.0f} MB")
        t_start = time.monotonic() - sampler.t0
        results = asyncio.run(_viewers(url, args.viewers, args.within, args.dwell,
                                       sampler.t0))
        t_left = max(r["left"] for r in results)
        time.sleep(args.after)
        sampler.stop.set()
        sampler.join()
        text = log.read_text(errors="replace")
        refused = text.count("Dashboard busy:")
        started, culled = text.count("Kernel started:"), text.count(CULLED)
        stopped = text.count("Kernel shutdown:")

    during = sampler.between(t_start, t_left)
    after = sampler.between(t_left, t_left + args.after + 5)
    peak = max(during, key=lambda r: r[1])
    errors = [r["error"] for r in results if r["error"]]
    served = [r for r in results if "served" in r]
    waits = sorted(r["served"] - r["arrived"] for r in served)
    busy = [r for r in results if r["busy"]]
    back = next((t - t_left for t, _, k in after if k <= dash["pool_size"]), None)
    print(f"{args.viewers} viewers arriving within {args.within:.0f} s (last arrived "
          f"{max(r['arrived'] for r in results) - t_start:.0f} s after the first), each "
          f"keeping the page {args.dwell:.0f} s; half left normally (unload beacon), half "
          f"vanished")
    print(f"served: {len(served)}/{args.viewers}; errors: {errors or 'none'}")
    print(f"busy page: {len(busy)} viewers saw it ({sum(r['busy'] for r in results)} "
          f"busy responses to them; server refusals logged: {refused}); wait from arrival to "
          f"KPIs: median {statistics.median(waits):.1f} s, max {waits[-1]:.1f} s; without "
          f"busy page: max "
          f"{max((r['served'] - r['arrived'] for r in served if not r['busy']), default=0):.1f} s")
    print(f"peak during the burst: {max(k for _, _, k in during)} kernels "
          f"(cap {'none' if args.uncapped else cap}), server "
          f"tree RSS {peak[1]:,.0f} MB; all viewers gone after {t_left - t_start:.0f} s")
    print(f"kernels started {started}, stopped {stopped}: {culled} by the closed-page "
          f"culler, {stopped - culled} on the unload beacon (or at exit)")
    last = after[-1]
    print(f"{last[0] - t_left:.0f} s after the last viewer left: {last[2]} kernels, RSS "
          f"{last[1]:,.0f} MB; back to the pool size ({dash['pool_size']} kernels) after "
          f"{'—' if back is None else f'{back:.0f} s'}")
    marks, step = [], 10
    for t, mb, k in sampler.rows:
        if t >= t_start + step * len(marks):
            marks.append(f"{t - t_start:.0f}: {k} / {mb:,.0f}")
    print(f"timeline (s since the first viewer: kernels / RSS MB), every {step} s: "
          + ", ".join(marks))


if __name__ == "__main__":
    main()
