"""Serving that stays up: the real ``workbench dashboard`` with a pool of 1 and a cap of 2
kernels (``dashboard.max_extra_kernels = 1``), driven by headless Chromium and plain HTTP.

Two viewers get kernels; a third (HTTP or browser) gets the busy page (503, Chinese and
English, retrying by itself) while the two pages stay open, longer than
``dashboard.cull_closed_s``: open pages are not culled.  When one page goes away without
saying so (closed without its unload beacon, as a crashed browser or a lost network
would), its kernel is culled, and the waiting browser's next retry is served.  A page
left normally has its kernel stopped at once by Voilà's unload beacon.  The server's
kernel processes never exceed the cap.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from voila_server import chromium, chromium_path, voila_server

from workbench.dashboard_server import BUSY_TEXT

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser"),
              pytest.mark.skipif(chromium_path() is None,
                                 reason="no chromium on PATH (scripts/setup.sh test installs it)")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PAGE_TIMEOUT_MS = 240_000          # a cold kernel on a busy 2-core CI machine
CAP = 2                            # pool 1 + 1 extra
CULL_CLOSED_S = 6
CULLED = "its page has had no connection for"     # the closed-page culler's log line


def _server_kernels(port: int) -> int:
    """Kernel processes of the dashboard server listening on ``port``."""
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if "workbench.dashboard_server" in cmd and f"--port={port}" in cmd:
            n = 0
            for child in proc.children(recursive=True):
                try:
                    if child.status() != psutil.STATUS_ZOMBIE and any(
                            "ipykernel" in part for part in child.cmdline()):
                        n += 1
                except psutil.Error:
                    continue
            return n
    raise AssertionError(f"no dashboard server on port {port}")


class _KernelSampler(threading.Thread):
    """The most kernel processes the server had, sampled every 0.2 s."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.peak, self.samples = port, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, _server_kernels(self.port))
            self.samples += 1


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:  # noqa: S310 - localhost
            return resp.status, dict(resp.headers), resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


def _expect_busy_page(status: int, headers: dict, body: str) -> None:
    assert status == 503
    assert headers["Content-Type"].startswith("text/html") and headers["Retry-After"] == "5"
    for title, text in BUSY_TEXT.values():
        assert title in body and text.format(cap=CAP, retry=5) in body
    assert '<meta http-equiv="refresh" content="5">' in body
    assert "<script" not in body and "://" not in body and " src=" not in body   # self-contained


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(".wb-kpi", timeout=PAGE_TIMEOUT_MS)
    return page


@pytest.fixture()
def capped_server(demo_dir, tmp_path):
    config = tmp_path / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{tmp_path / "f.sqlite"}"\n'
                      f"[dashboard]\nmax_extra_kernels = {CAP - 1}\nrefill_delay_s = 0.5\n"
                      f"cull_closed_s = {CULL_CLOSED_S}\n", encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "voila-capacity.log"
    with voila_server(demo_dir, config, log, pool_size=1) as url:
        yield url, int(url.rstrip("/").rsplit(":", 1)[1]), log


def test_viewers_beyond_the_cap_wait_on_the_busy_page_until_a_kernel_is_released(capped_server):
    url, port, log = capped_server
    sampler = _KernelSampler(port)
    sampler.start()
    with chromium() as browser:
        try:
            first = _open(browser, url)             # the pool's kernel
            second = _open(browser, url)            # the extra kernel
            assert _server_kernels(port) == CAP     # the pool's refill waits for a place

            _expect_busy_page(*_get(url))           # a third viewer, plain HTTP

            third = browser.new_page(viewport={"width": 1200, "height": 900})
            statuses: list[int] = []
            third.on("response", lambda r: statuses.append(r.status)
                     if r.request.resource_type == "document" else None)
            third.goto(url, timeout=PAGE_TIMEOUT_MS)
            for title, _ in BUSY_TEXT.values():
                playwright.expect(third.get_by_text(title)).to_be_visible()
            third.screenshot(path=ARTIFACTS / "busy.png", full_page=True)
            # It retries by itself; by its third refusal (two retries, 5 s apart) the two
            # open pages have been connected longer than cull_closed_s: not culled.
            while statuses.count(503) < 3:
                third.wait_for_event("response", timeout=60_000)
            assert 200 not in statuses
            assert _server_kernels(port) == CAP
            assert _get(url)[0] == 503
            playwright.expect(first.locator(".wb-kpi")).to_have_count(6)
            playwright.expect(second.locator(".wb-kpi")).to_have_count(6)

            # The first viewer goes away without the unload beacon: the culler frees its
            # kernel, the refill takes the place, and the waiting page is served.
            first.close(run_before_unload=False)
            third.wait_for_selector(".wb-kpi", timeout=PAGE_TIMEOUT_MS)
            assert statuses[:3] == [503] * 3 and 200 in statuses
            playwright.expect(third.locator(".wb-kpi")).to_have_count(6)
            third.screenshot(path=ARTIFACTS / "served_after_busy.png", full_page=True)
            playwright.expect(second.locator(".wb-kpi")).to_have_count(6)
            text = log.read_text(errors="replace")
            assert text.count(CULLED) == 1 and text.count("Kernel shutdown:") == 1
            assert "Dashboard busy: 2 kernels live, cap 2" in text

            # The second viewer leaves normally: Voilà's unload beacon (with the _xsrf
            # cookie the server now sets) stops its kernel at once, not the culler.
            second.goto("about:blank")
            deadline = time.monotonic() + 60
            while log.read_text(errors="replace").count("Kernel shutdown:") < 2:
                assert time.monotonic() < deadline, "the unload beacon stopped no kernel"
                time.sleep(0.2)
            assert log.read_text(errors="replace").count(CULLED) == 1
        finally:
            sampler.stop.set()
            sampler.join()
    assert sampler.samples > 10 and 0 < sampler.peak <= CAP
