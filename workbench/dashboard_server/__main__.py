"""``python -m workbench.dashboard_server``: Voilà serving the supervisor dashboard with
the kernel cap (:mod:`workbench.dashboard_server`).

Voilà's page handler is replaced by :class:`CappedVoilaHandler`, which asks the kernel
manager for a place before Voilà hands out a pool kernel or starts one, and shows the busy
page without one.  This module alone imports Voilà (the package itself must import without
UI packages, like the rest of ``workbench``).
"""

from __future__ import annotations

import asyncio

import tornado.web
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from workbench.dashboard_server import BUSY_RETRY_S, CappedKernelManager, DashboardBusy, busy_page


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler asking the kernel manager for a place first (module
    docstring); the busy page (503) when there is none."""

    @tornado.web.authenticated
    async def get(self, path=None):
        km = self.kernel_manager
        if path or not isinstance(km, CappedKernelManager):
            return await super().get(path=path)
        notebook = self.notebook_path
        try:
            notebook_data = km.notebook_data.get(notebook, {})
            pool_size = km.get_pool_size(notebook)
        except AttributeError:
            notebook_data, pool_size = {}, 0
        use_pool = self.should_use_rendered_notebook(
            notebook_data, pool_size, self.get_argument("template", None),
            self.get_argument("theme", None), self.request.arguments)
        token = km.admit(use_pool, getattr(km, "_pools", {}).get(notebook))
        if token is None:
            self._write_busy(km.max_kernels)
            return None
        # Voilà's page asks for its kernel's shutdown when it is unloaded, with the _xsrf
        # cookie's value; Voilà never sets that cookie, so the request was refused (403)
        # and the kernel lived on.  Reading the token sets the cookie.
        _ = self.xsrf_token
        try:
            return await super().get(path=path)
        finally:
            if token is asyncio.current_task():
                km.release(token)
            km.page_finished(token)

    def _write_busy(self, cap: int) -> None:
        self.clear()
        self.set_status(503, reason="Dashboard busy")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Retry-After", str(BUSY_RETRY_S))
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(busy_page(cap))

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, DashboardBusy):
            self._write_busy(exc.cap)
            return
        super().write_error(status_code, **kwargs)


class DashboardVoila(Voila):
    """Voilà serving the dashboard notebook with :class:`CappedVoilaHandler`."""

    def init_handlers(self):
        return [(spec[0], CappedVoilaHandler, *spec[2:])
                if len(spec) > 1 and spec[1] is TornadoVoilaHandler else spec
                for spec in super().init_handlers()]


if __name__ == "__main__":
    DashboardVoila.launch_instance()
