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


@contextmanager
def chromium():
    """Debian's headless Chromium launched by Playwright with :data:`CHROMIUM_ARGS`;
    closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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
            wait_until_answering(url + "api/status", proc, log, timeout_s)
            yield url
        finally:
            stop(proc)


def wait_until_answering(url: str, proc: subprocess.Popen, log: Path, timeout_s: float,
                         any_status: bool = True) -> None:
    """Wait until the server ``proc`` (its output in ``log``) answers ``url``: with any HTTP
    status when ``any_status`` (a refusal still means it is up), else only with 200 (a proxy
    answers 404 before its routes exist).  RuntimeError with the log's tail when the server
    exits or does not answer within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: "
                               + log.read_text(errors="replace")[-3000:])
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - localhost
            return
        except urllib.error.HTTPError:
            if any_status:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {timeout_s} s: "
                               + log.read_text(errors="replace")[-3000:])
        time.sleep(0.3)


def stop(proc: subprocess.Popen, timeout_s: float = 20) -> None:
    """Terminate ``proc``, killing it when it does not end within ``timeout_s``."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
