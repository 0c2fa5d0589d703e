"""The dashboard server's kernel cap and closed-page culling, without starting kernels:
Jupyter Server's own kernel start and shutdown are replaced by stand-ins that only record a
kernel, so what is tested is :class:`CappedKernelManager`'s bookkeeping of places.
``tests/browser/test_dashboard_capacity.py`` runs the same with real kernels and pages."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from workbench.cli import voila_command
from workbench.config import load_config
from workbench.dashboard_server import BUSY_TEXT, CappedKernelManager, DashboardBusy, busy_page

POOL = {"env": {"VOILA_PREHEAT": "True"}}
PAGE = {"env": {"VOILA_PREHEAT": "False"}}


@pytest.fixture()
def manager(monkeypatch):
    ids = itertools.count(1)

    async def start(self, **kwargs):
        await asyncio.sleep(0)               # a real start yields to the loop
        kernel_id = f"k{next(ids)}"
        self._kernels[kernel_id] = object()
        self._kernel_connections[kernel_id] = 0
        return kernel_id

    async def shutdown(self, kernel_id, *args, **kwargs):
        self.remove_kernel(kernel_id)

    async def shutdown_all(self, *args, **kwargs):
        for kernel_id in list(self._kernels):
            self.remove_kernel(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)
    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", shutdown)
    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_all", shutdown_all)
    return CappedKernelManager(max_kernels=2, cull_closed_s=1e-6)


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_the_cap_refuses_pages_and_holds_back_pool_refills(manager):
    async def scenario():
        km = manager
        first = asyncio.ensure_future(km.start_kernel(**PAGE))
        second = asyncio.ensure_future(km.start_kernel(**POOL))
        k1, k2 = await first, await second
        assert km.live_kernels() == 2 and km.free_places() == 0
        with pytest.raises(DashboardBusy) as busy:
            await km.start_kernel(**PAGE)
        assert busy.value.status_code == 503
        assert await asyncio.ensure_future(_admit(km, use_pool=False)) is None
        refill = asyncio.ensure_future(km.start_kernel(**POOL))
        await _settle()
        assert not refill.done() and km.live_kernels() == 2      # waits for a place
        km.remove_kernel(k1)                                     # a page's kernel stops
        k3 = await refill
        assert km.live_kernels() == 2 and {k2, k3} == set(km._kernels)
        assert km.refused == 1
    asyncio.run(scenario())


async def _admit(km, use_pool: bool, pool=None):
    return km.admit(use_pool, pool)


def test_stopping_the_server_fails_waiting_refills_instead_of_starting_them(manager):
    async def scenario():
        km = manager
        await km.start_kernel(**PAGE)
        await km.start_kernel(**PAGE)
        refill = asyncio.ensure_future(km.start_kernel(**POOL))
        await _settle()
        await km.shutdown_all()
        with pytest.raises(RuntimeError, match="stopping"):
            await refill
        assert not km._kernels and km.live_kernels() == 0
    asyncio.run(scenario())


def test_a_viewer_admitted_to_a_waiting_pool_task_holds_its_place(manager):
    async def scenario():
        km = manager
        k1 = await km.start_kernel(**PAGE)
        k2 = await km.start_kernel(**PAGE)

        async def pool_task():                   # a refill still in its delay
            await asyncio.sleep(0.01)
            return {"kernel_id": await km.start_kernel(**POOL)}

        head = asyncio.ensure_future(pool_task())
        assert km.admit(True, [head]) is None                    # full: busy
        km.remove_kernel(k1)
        assert km.admit(True, [head]) is head                    # a place for the head
        assert km.free_places() == 0
        assert await asyncio.ensure_future(_admit(km, use_pool=False)) is None
        km.page_finished(head)                   # the page request gave up before it started
        assert (await head)["kernel_id"] in km._kernels and km.live_kernels() == 2
        km.remove_kernel(k2)
        assert km.free_places() == 1
    asyncio.run(scenario())


def test_kernels_of_closed_pages_are_culled_open_pages_and_pool_kernels_are_not(manager):
    async def scenario():
        km = manager
        km.max_kernels = 3

        async def page():
            return await km.start_kernel(**PAGE)

        open_token = asyncio.ensure_future(page())
        closed_token = asyncio.ensure_future(page())
        open_page, closed_page = await open_token, await closed_token
        pooled = await km.start_kernel(**POOL)
        km.notify_connect(open_page)
        km.page_finished(open_token)
        km.notify_connect(closed_page)
        km.page_finished(closed_token)
        await km.cull_closed_pages()
        assert set(km._kernels) == {open_page, closed_page, pooled}   # connected: kept
        km.notify_disconnect(closed_page)
        await asyncio.sleep(0.001)
        await km.cull_closed_pages()
        assert set(km._kernels) == {open_page, pooled}   # the pool kernel never had a page

        never = asyncio.ensure_future(page())    # served, never connected (a script's GET)
        await never
        km.page_finished(never)
        await asyncio.sleep(0.001)
        await km.cull_closed_pages()
        assert set(km._kernels) == {open_page, pooled}
    asyncio.run(scenario())


def test_the_command_line_caps_kernels_at_pool_plus_extras():
    settings = {**load_config()["dashboard"], "pool_size": 3, "max_extra_kernels": 2,
                "cull_closed_s": 12}
    cmd = voila_command(Path("/repo"), 9999, True, settings)
    assert cmd[1:3] == ["-m", "workbench.dashboard_server"]
    assert ("--VoilaConfiguration.multi_kernel_manager_class="
            "workbench.dashboard_server.CappedKernelManager") in cmd
    assert "--CappedKernelManager.max_kernels=5" in cmd
    assert "--CappedKernelManager.cull_closed_s=12" in cmd
    assert "--MappingKernelManager.cull_connected=True" in cmd
    cold = voila_command(Path("/repo"), 9999, True,
                         {**settings, "pool_size": 0, "max_extra_kernels": 0})
    assert "--CappedKernelManager.max_kernels=1" in cold


def test_the_busy_page_is_bilingual_self_contained_and_retries():
    page = busy_page(7, retry_s=5)
    for title, text in BUSY_TEXT.values():
        assert title in page and text.format(cap=7, retry=5) in page
    assert '<meta http-equiv="refresh" content="5">' in page and 'lang="zh-CN"' in page
    assert "<script" not in page and "://" not in page and " src=" not in page
