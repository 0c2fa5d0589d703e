"""The supervisors' dashboard as a JupyterHub service: Hub OAuth in front of the
hardened Voilà server that ``workbench dashboard`` runs.

JupyterHub starts this as the managed service ``dashboard`` (see
``jupyterhub_config.py``), as the OS user the service config names, with
``JUPYTERHUB_SERVICE_PREFIX`` (``/services/dashboard/``), ``JUPYTERHUB_SERVICE_URL``
and its API token in the environment.  It starts ``workbench dashboard DATASET
--base-url PREFIX`` on a loopback port and forwards every request and websocket under
the prefix to it — only for a browser whose Hub login carries the scope
``access:services!service=dashboard`` (HubOAuth checks it; anyone else is sent to log in
or gets 403).  Voilà keeps all its own hardening (no sources, no execute requests, Host
allowlist, kernel cap); its findings connection is the service user's own read-only
database role.

    python hub_dashboard.py DATASET            (JupyterHub runs it; not meant by hand)
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import httpclient, web, websocket
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

#: Headers that belong to one hop of the connection, never forwarded (RFC 9110 §7.6.1).
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                        "te", "trailer", "transfer-encoding", "upgrade", "content-length",
                        "host", "origin"})
#: Seconds Voilà may take to answer a page request (a kernel starting on demand).
UPSTREAM_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DashboardProxy(HubOAuthenticated, websocket.WebSocketHandler):
    """Forward an authenticated request (plain HTTP or a websocket) to the local Voilà."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

    def initialize(self, upstream: str) -> None:
        self.upstream = upstream
        self.upstream_ws: websocket.WebSocketClientConnection | None = None

    def _upstream_headers(self) -> dict[str, str]:
        out = {k: v for k, v in self.request.headers.get_all() if k.lower() not in HOP_BY_HOP}
        host = urlparse(self.upstream).netloc
        return {**out, "Host": host, "Origin": f"http://{host}"}

    # -- plain HTTP ----------------------------------------------------------------------
    @web.authenticated
    async def get(self, *args, **kwargs):
        if self.request.headers.get("Upgrade", "").lower() == "websocket":
            return await super().get(*args, **kwargs)
        return await self._forward()

    @web.authenticated
    async def _proxied(self, *args, **kwargs):
        return await self._forward()

    head = post = put = patch = delete = _proxied

    def check_xsrf_cookie(self) -> None:
        """Voilà behind checks its own XSRF token; this hop adds no form of its own."""

    async def _forward(self) -> None:
        method = self.request.method
        body = self.request.body if method in ("POST", "PUT", "PATCH") else None
        request = httpclient.HTTPRequest(
            self.upstream + self.request.uri, method=method, headers=self._upstream_headers(),
            body=body, follow_redirects=False, decompress_response=False,
            allow_nonstandard_methods=True, request_timeout=UPSTREAM_TIMEOUT_S)
        response = await httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        if response.code == 599:
            raise web.HTTPError(502, f"dashboard unavailable: {response.error}")
        self.clear()
        self.set_status(response.code, response.reason)
        for name, value in response.headers.get_all():
            if name.lower() == "set-cookie":
                self.add_header(name, value)
            elif name.lower() not in HOP_BY_HOP:
                self.set_header(name, value)
        if response.body and method != "HEAD":
            self.write(response.body)
        await self.finish()

    # -- websockets -----------------------------------------------------------------------
    def check_origin(self, origin: str) -> bool:
        """Same origin only: the page that opens the socket came through the Hub's proxy."""
        return urlparse(origin).netloc == self.request.headers.get("Host")

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        return subprotocols[0] if subprotocols else None

    async def open(self, *args, **kwargs) -> None:
        ws_url = "ws" + self.upstream[len("http"):] + self.request.uri
        protocols = [p.strip() for p in
                     self.request.headers.get("Sec-WebSocket-Protocol", "").split(",") if p]
        try:
            self.upstream_ws = await websocket.websocket_connect(
                httpclient.HTTPRequest(ws_url, headers=self._upstream_headers()),
                subprotocols=protocols or None, max_message_size=1 << 30)
        except (OSError, websocket.WebSocketError, httpclient.HTTPClientError):
            self.close(1011, "dashboard unavailable")
            return
        asyncio.ensure_future(self._pump())

    async def _pump(self) -> None:
        while self.upstream_ws is not None:
            message = await self.upstream_ws.read_message()
            if message is None:
                self.close()
                return
            try:
                await self.write_message(message, binary=isinstance(message, bytes))
            except websocket.WebSocketClosedError:
                return

    async def on_message(self, message: str | bytes) -> None:
        if self.upstream_ws is not None:
            await self.upstream_ws.write_message(message, binary=isinstance(message, bytes))

    def on_close(self) -> None:
        if self.upstream_ws is not None:
            self.upstream_ws.close()
            self.upstream_ws = None


def start_dashboard(dataset: str, prefix: str, port: int) -> subprocess.Popen:
    """``workbench dashboard`` for ``dataset`` on 127.0.0.1:``port`` under ``prefix``, in its
    own process group (stopped with this service)."""
    cmd = [sys.executable, "-m", "workbench", "dashboard", dataset, "--port", str(port),
           "--base-url", prefix, "--no-browser"]
    if os.environ.get("WORKBENCH_RESULTS"):
        cmd += ["--results", os.environ["WORKBENCH_RESULTS"]]
    return subprocess.Popen(cmd, start_new_session=True)  # noqa: S603 - our own command


def main() -> None:
    """Start Voilà and the authenticating proxy in front of it."""
    dataset = sys.argv[1]
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    upstream_port = _free_port()
    voila = start_dashboard(dataset, prefix, upstream_port)
    upstream = f"http://127.0.0.1:{upstream_port}"
    app = web.Application([
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        (prefix.rstrip("/") + r"(/.*)?", DashboardProxy, {"upstream": upstream}),
    ], cookie_secret=os.urandom(32), websocket_max_message_size=1 << 30)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    HTTPServer(app, xheaders=True).listen(url.port, url.hostname)

    def stop(*_args) -> None:
        if voila.poll() is None:
            os.killpg(voila.pid, signal.SIGTERM)
        IOLoop.current().add_callback_from_signal(IOLoop.current().stop)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    IOLoop.current().start()


if __name__ == "__main__":
    main()
