"""Serving the supervisor dashboard so that it stays up: a hard cap on live kernels and
prompt culling of the kernels of closed pages.

``workbench dashboard`` runs this package (``python -m workbench.dashboard_server``, its
``__main__``), which is Voilà (:class:`voila.app.Voila`) with two changes:

* **A kernel manager with a cap** (:class:`CappedKernelManager`, set as Voilà's
  ``VoilaConfiguration.multi_kernel_manager_class``; Voilà's preheating pool is built on
  top of it).  At most ``max_kernels`` kernels are alive or starting at any time, the pool's
  included (``dashboard.pool_size + dashboard.max_extra_kernels``).  A used pool kernel is
  replaced only when a place is free: the refill waits, it does not push the count over
  the cap.
* **A page handler that asks first** (``CappedVoilaHandler`` in ``__main__``, in place of
  Voilà's ``TornadoVoilaHandler``).  Before Voilà hands a viewer a pool kernel or starts
  one, the handler asks the kernel manager for a place (:meth:`CappedKernelManager.admit`).
  Without one the viewer gets :func:`busy_page`: HTTP 503 with ``Retry-After``, a small page
  in Chinese and English, no external resource, that reloads itself every
  :data:`BUSY_RETRY_S` seconds until a place is free.

This package imports no UI package (Voilà is imported by ``__main__`` alone), as the rest
of ``workbench``.

Culling closed pages: a kernel that served a page and has no websocket connection left
(the page closed; or the page was fetched but never connected, as a script fetching the
HTML does) is shut down ``cull_closed_s`` seconds later (``dashboard.cull_closed_s``),
checked every few seconds.  Voilà's page also asks for its kernel's shutdown when it is
unloaded (a beacon on ``beforeunload`` carrying the ``_xsrf`` cookie, which the handler
sets: Voilà does not, so its beacon was refused with 403); the culler covers the pages
that could not send it (a crashed or killed browser, a lost network, a discarded tab).
Pool kernels waiting for a viewer are never culled.  Pages that stay open but idle are
culled by Jupyter Server's idle culler (``dashboard.cull_idle_s``, with ``cull_connected``).

How Voilà 0.5 starts kernels (voila/handler.py, voila/voila_kernel_manager.py): the page
handler either pops the first task of the notebook's pool (``_pools[notebook][0]``,
awaiting it if it is still starting) and schedules a refill ``fill_delay`` seconds later,
or, when the pool is empty or cannot serve the request, calls ``start_kernel`` itself.
Both paths, and every refill, go through :meth:`CappedKernelManager.start_kernel`.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections import OrderedDict

import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Integer

#: Seconds between the busy page's automatic retries (also its ``Retry-After``).
BUSY_RETRY_S = 5

#: What the busy page says, in Chinese and English: (title, explanation) per language.
BUSY_TEXT = {
    "zh": ("看板繁忙，正在自动重试",
           "同时打开看板的人数已达服务器上限（{cap} 个内核）。本页每 {retry} 秒自动重试，"
           "一有空位即打开看板，请保持本页打开，无需手动刷新。"),
    "en": ("The dashboard is busy, retrying",
           "As many viewers as this server allows have the dashboard open ({cap} kernels). "
           "This page retries by itself every {retry} seconds and opens the dashboard as "
           "soon as a place is free; keep it open, there is no need to reload."),
}


def busy_page(cap: int, retry_s: int = BUSY_RETRY_S) -> str:
    """The self-contained page a viewer beyond the cap gets (no script, no external
    resource): it reloads the same address every ``retry_s`` seconds."""
    zh_title, zh_text = BUSY_TEXT["zh"]
    en_title, en_text = BUSY_TEXT["en"]
    zh_text = zh_text.format(cap=cap, retry=retry_s)
    en_text = en_text.format(cap=cap, retry=retry_s)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="{int(retry_s)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(zh_title)} · {html.escape(en_title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0;
       background: #f5f6f8; color: #1f2933; }}
main {{ max-width: 40rem; margin: 12vh auto; padding: 2rem; background: #fff;
       border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }}
h1 {{ font-size: 1.4rem; margin: 0 0 .5rem; }}
p {{ line-height: 1.6; margin: 0 0 1.5rem; }}
</style>
</head>
<body>
<main class="wb-busy" role="status" aria-live="polite">
<h1>{html.escape(zh_title)}</h1>
<p>{html.escape(zh_text)}</p>
<h1 lang="en">{html.escape(en_title)}</h1>
<p lang="en">{html.escape(en_text)}</p>
</main>
</body>
</html>
"""


class DashboardBusy(tornado.web.HTTPError):
    """No place for another kernel: the viewer gets the busy page (503)."""

    def __init__(self, cap: int):
        super().__init__(503, "dashboard busy: %d kernels live (the cap)", cap,
                         reason="Dashboard busy")
        self.cap = cap


class CappedKernelManager(AsyncMappingKernelManager):
    """Jupyter Server's kernel manager with a cap on live kernels and culling of closed
    pages' kernels (module docstring).

    A *place* is held by every kernel alive or starting and by every start admitted but
    not begun yet (a viewer waiting for a pool kernel that is still in its refill delay).
    The holders of a place awaiting their start are tokens: the asyncio task that will
    call :meth:`start_kernel` (a pool task, or the page request's own task).
    """

    max_kernels = Integer(4, config=True, help=(
        "At most this many kernels alive or starting, the preheated pool's included "
        "(dashboard.pool_size + dashboard.max_extra_kernels).  A viewer beyond gets the busy "
        "page (HTTP 503), which retries by itself."))
    cull_closed_s = Float(30.0, config=True, help=(
        "A kernel that served a page and has had no websocket connection for this many "
        "seconds (the page closed, or never connected) is shut down."))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reserved: set = set()          # tokens holding a place, not started yet
        self._starting: set = set()          # tokens inside start_kernel
        self._waiting: OrderedDict = OrderedDict()   # pool tasks waiting for a place -> future
        self._kernel_of: dict = {}           # token -> kernel id it started
        self._pool_task_of: dict = {}        # kernel id -> pool task that started it
        self._pages: set[str] = set()        # kernels that served (or serve) a page
        self._closed_since: dict[str, float] = {}    # page kernel -> when it went unconnected
        self._closed_culler: PeriodicCallback | None = None
        self.refused = 0                     # busy pages shown so far
        self._closing = False

    # ---- places ---------------------------------------------------------------------

    def live_kernels(self) -> int:
        """Kernels alive or starting plus places promised to a start not begun yet."""
        return len(self._kernels) + len(self._starting) + len(self._reserved)

    def free_places(self) -> int:
        return max(self.max_kernels, 1) - self.live_kernels()

    def _hold(self, token) -> None:
        """Give ``token`` a place (the caller has checked there is one)."""
        self._reserved.add(token)
        waiter = self._waiting.pop(token, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        if isinstance(token, asyncio.Future):
            token.add_done_callback(self.release)

    def release(self, token) -> None:
        """Give back a place promised to ``token`` that it did not use (idempotent)."""
        if token in self._reserved:
            self._reserved.discard(token)
            self._dispatch()

    def _dispatch(self) -> None:
        """Hand free places to the pool refills waiting for one, oldest first."""
        if self._closing:
            return
        while self._waiting and self.free_places() > 0:
            token, waiter = next(iter(self._waiting.items()))
            del self._waiting[token]
            if waiter.done():          # its task was cancelled
                continue
            self._reserved.add(token)
            waiter.set_result(None)

    def admit(self, use_pool: bool, pool: list | None):
        """A place for the page request being handled now, or ``None`` (busy).

        ``use_pool``: Voilà will hand this request ``pool[0]`` (it pops the first pool
        task and awaits it); otherwise it starts a kernel in this request's task.  The
        returned token is that pool task or this request's task.
        """
        if use_pool and pool:
            token = pool[0]
            if token.done() or token in self._reserved or token in self._starting:
                return token
        else:
            token = asyncio.current_task()
            if token is None:
                return None
        if self.free_places() <= 0:
            self.refused += 1
            self.log.warning("Dashboard busy: %d kernels live, cap %d; busy page shown "
                             "(%d so far)", self.live_kernels(), self.max_kernels, self.refused)
            return None
        self._hold(token)
        return token

    # ---- starting and removing kernels -----------------------------------------------

    async def start_kernel(self, **kwargs):
        token = asyncio.current_task()
        pooled = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        if self._closing:
            self._reserved.discard(token)
            raise RuntimeError("the dashboard server is stopping")
        if token in self._reserved:
            self._reserved.discard(token)
        elif self.free_places() > 0 and not (pooled and self._waiting):
            pass
        elif pooled:          # a pool refill waits for a place
            waiter = asyncio.get_running_loop().create_future()
            self._waiting[token] = waiter
            self.log.info("Kernel cap %d reached: a pool refill waits for a place",
                          self.max_kernels)
            try:
                await waiter
            finally:
                self._waiting.pop(token, None)
                self._reserved.discard(token)
        else:
            raise DashboardBusy(self.max_kernels)
        self._starting.add(token)
        try:
            kernel_id = await super().start_kernel(**kwargs)
        finally:
            self._starting.discard(token)
            self._dispatch()
        if token is not None:
            self._kernel_of[token] = kernel_id
        if pooled:
            self._pool_task_of[kernel_id] = token
        return kernel_id

    async def shutdown_all(self, *args, **kwargs):
        """Server stopping: refills waiting for a place fail instead of starting a kernel
        only to stop it (Voilà awaits its pool's tasks after this)."""
        self._closing = True
        for waiter in self._waiting.values():
            if not waiter.done():
                waiter.set_exception(RuntimeError("the dashboard server is stopping"))
        self._waiting.clear()
        return await super().shutdown_all(*args, **kwargs)

    def remove_kernel(self, kernel_id):
        km = super().remove_kernel(kernel_id)
        self._pages.discard(kernel_id)
        self._closed_since.pop(kernel_id, None)
        token = self._pool_task_of.pop(kernel_id, None)
        self._kernel_of.pop(token, None)
        self._dispatch()
        return km

    # ---- culling the kernels of closed pages ----------------------------------------

    def page_finished(self, token) -> None:
        """The page request holding ``token`` has finished (served, failed or abandoned):
        its kernel now lives only as long as the page keeps a connection to it."""
        kernel_id = self._kernel_of.pop(token, None)
        if kernel_id is None and isinstance(token, asyncio.Future) and token.done() \
                and not token.cancelled() and token.exception() is None:
            result = token.result()
            kernel_id = result.get("kernel_id") if isinstance(result, dict) else None
        if kernel_id is None or kernel_id not in self._kernels:
            return
        self._pages.add(kernel_id)
        if not self._kernel_connections.get(kernel_id, 0):
            self._closed_since.setdefault(kernel_id, time.monotonic())

    def notify_connect(self, kernel_id):
        super().notify_connect(kernel_id)
        self._closed_since.pop(kernel_id, None)

    def notify_disconnect(self, kernel_id):
        super().notify_disconnect(kernel_id)
        if kernel_id in self._pages and not self._kernel_connections.get(kernel_id, 0):
            self._closed_since[kernel_id] = time.monotonic()

    def closed_check_interval_s(self) -> float:
        """How often closed pages are looked for: a third of ``cull_closed_s``, 1–5 s."""
        return min(max(self.cull_closed_s / 3, 1.0), 5.0)

    def initialize_culler(self):
        super().initialize_culler()
        if self._closed_culler is None:
            self._closed_culler = PeriodicCallback(self.cull_closed_pages,
                                                   1000 * self.closed_check_interval_s())
            self._closed_culler.start()
            self.log.info("Culling the kernels of pages closed for > %s s (cap: %d kernels)",
                          self.cull_closed_s, self.max_kernels)

    async def cull_closed_pages(self) -> None:
        now = time.monotonic()
        for kernel_id, since in list(self._closed_since.items()):
            if kernel_id not in self._kernels:
                self._closed_since.pop(kernel_id, None)
                continue
            if self._kernel_connections.get(kernel_id, 0):
                self._closed_since.pop(kernel_id, None)
                continue
            if now - since < self.cull_closed_s:
                continue
            self.log.warning("Culling kernel %s: its page has had no connection for %d s",
                             kernel_id, now - since)
            self._closed_since.pop(kernel_id, None)
            try:
                await self.shutdown_kernel(kernel_id)
            except Exception:  # noqa: BLE001 - one kernel failing to stop must not stop culling
                self.log.exception("Could not shut down kernel %s", kernel_id)
        self._dispatch()
