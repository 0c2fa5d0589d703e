"""Start the supervisor dashboard's Voilà server (the real ``workbench dashboard``
command) and find Debian's Chromium, for the browser tests and the dashboard benchmark."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

#: Chromium flags for a locked-down container (no sandbox, no GPU, no network chatter).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own browser download is not used)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila_server(dataset: Path, config: Path, log: Path, pool_size: int = 2,
                 timeout_s: float = 180):
    """Serve the dashboard over ``dataset`` with ``config`` (``WORKBENCH_CONFIG``) by
    ``workbench dashboard``; yields the base URL and stops the server afterwards.
    Output goes to ``log``."""
    port = free_port()
    env = dict(os.environ, WORKBENCH_CONFIG=str(config))
    cmd = [sys.executable, "-m", "workbench", "dashboard", str(dataset), f"--port={port}",
           f"--pool-size={pool_size}", "--no-browser"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"voila exited with {proc.returncode}: "
                                       + log.read_text(errors="replace")[-2000:])
                try:
                    urllib.request.urlopen(url + "api/status", timeout=2).close()  # noqa: S310
                    break
                except urllib.error.HTTPError:
                    break  # the server answers (a refusal still means it is up)
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("voila did not answer in time") from None
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
