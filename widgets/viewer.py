"""Who is looking: the query string of the page a dashboard kernel serves.

Voilà passes a page's query string (``?enterprise=...``) to its kernel as
``QUERY_STRING``.  A *preheated* kernel runs the notebook before any viewer comes, so it
must wait for Voilà to hand the request over; Voilà does that through a websocket at
``/voila/query/<kernel id>`` (what ``voila.utils.get_query_string`` does).  This module
does the same without importing ``voila``: importing it inside a kernel costs 10–14 s
(``jupyterlab_server`` builds dozens of URI grammars at import), which would add to every
preheated kernel's start-up.
"""

from __future__ import annotations

import json
import os

from websockets.sync.client import connect


def _query_url() -> str:
    """The websocket where Voilà sends this kernel its viewer's request."""
    env = os.environ
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL", "/")
    return (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
            f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env['VOILA_KERNEL_ID']}")


def viewer_query(open_timeout_s: float = 5) -> str:
    """The viewer's query string (``""`` when none).

    Outside a preheated Voilà kernel (JupyterLab, a plain Voilà kernel, tests) this is
    ``QUERY_STRING`` as it is; in a preheated one it blocks until a viewer's request
    arrives and then also sets the request's variables in ``os.environ`` as Voilà does.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return os.environ.get("QUERY_STRING", "")
    with connect(_query_url(), open_timeout=open_timeout_s, max_size=None) as ws:
        info = json.loads(ws.recv())
    os.environ.update({k: str(v) for k, v in info.items()})
    return os.environ.get("QUERY_STRING", "")
