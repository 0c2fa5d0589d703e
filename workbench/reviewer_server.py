"""Serving the reviewer app for ``workbench lab`` and ``workbench demo``.

The reviewer lands in the running app, not in code: JupyterLab serves a **working copy**
of the reviewer notebook, rendered by Voilà's JupyterLab server extension
(``/voila/render/...``: cells run on open, sources hidden).  The tracked notebook under
``notebooks/`` is never opened, so nothing a session does (autosaved widget outputs,
edits) changes it; the copy is refreshed when the tracked notebook's code changes (the
old copy kept beside it).  JupyterLab itself, one click away at ``/lab``, speaks the
user's language (the zh-CN language pack, chosen by config ``general.locale``).

The server runs as a child with its log in the working folder (stopped with this process,
by Ctrl-C or a termination signal); the last line printed is
the address with the real port (a busy one is skipped) and the login token, generated
here and handed over in the environment (never on a command line other users can read).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

#: Seconds JupyterLab may take to answer before the launch is given up.
START_TIMEOUT_S = 120
#: How many ports after the requested one are tried when it is busy.
PORT_ATTEMPTS = 50
#: JupyterLab's language setting per config locale.
LAB_LOCALES = {"zh-CN": "zh_CN", "en": "en"}


def _code_of(notebook: Path) -> list[tuple[str, str]]:
    """The cells' types and sources: what a notebook *is*, outputs aside."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [(c["cell_type"], "".join(c["source"])) for c in cells]


def working_copy(tracked: Path, folder: Path) -> Path:
    """The reviewer's copy of ``tracked`` in ``folder``: made when absent; when the tracked
    notebook's code changed since, the old copy is kept as ``<name>.<time>.ipynb`` and a
    fresh one made (outputs and autosaves never count as a change)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / tracked.name
    if copy.is_file():
        try:
            same = _code_of(copy) == _code_of(tracked)
        except (ValueError, KeyError):          # a copy broken by hand: keep it aside
            same = False
        if same:
            return copy
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        copy.rename(copy.with_name(f"{copy.stem}.{stamp}{copy.suffix}"))
    shutil.copyfile(tracked, copy)
    return copy


def free_port(start: int, attempts: int = PORT_ATTEMPTS) -> int:
    """``start`` or the first free port after it on 127.0.0.1 (OSError when none is)."""
    for port in range(start, start + attempts):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port in {start}-{start + attempts - 1}")


def lab_settings(folder: Path, locale: str) -> Path:
    """A JupyterLab settings folder choosing the interface language for ``locale`` and
    asking nothing of the network (no news, no update checks: provincial networks are
    often offline)."""
    settings = {("translation-extension", "plugin"): {"locale": LAB_LOCALES.get(locale, "en")},
                ("apputils-extension", "notification"): {"fetchNews": "false",
                                                         "checkForUpdates": False}}
    for (extension, plugin), values in settings.items():
        where = folder / "@jupyterlab" / extension
        where.mkdir(parents=True, exist_ok=True)
        (where / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values),
                                                             encoding="utf-8")
    return folder


def app_url(port: int, notebook: str, token: str) -> str:
    """Where the reviewer app answers, with the login token."""
    return f"http://127.0.0.1:{port}/voila/render/{notebook}?token={token}"


def _wait(proc: subprocess.Popen, port: int, token: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    url = f"http://127.0.0.1:{port}/api/status?token={token}"
    while True:
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"JupyterLab exited ({proc.returncode}):\n{tail}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - localhost
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT_S} s; "
                                   f"see {log}") from None
            time.sleep(0.3)


def _interrupted(_signum, _frame) -> None:
    raise KeyboardInterrupt


def serve(tracked: Path, folder: Path, env: dict[str, str], port: int, locale: str,
          open_browser: bool, echo) -> int:
    """Serve the working copy of ``tracked`` from ``folder`` until interrupted; print (with
    ``echo``) the address as the last line once it answers; return JupyterLab's exit code."""
    copy = working_copy(tracked, folder)
    port = free_port(port)
    token = secrets.token_hex(24)
    log = folder / "jupyterlab.log"
    child_env = {**env, "JUPYTER_TOKEN": token,
                 "JUPYTERLAB_SETTINGS_DIR": str(lab_settings(folder / "lab-settings", locale))}
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           "--ServerApp.ip=127.0.0.1", "--no-browser",
           f"--LabApp.default_url=/voila/render/{copy.name}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=child_env, stdout=out,  # noqa: S603 - our command
                                stderr=subprocess.STDOUT)
    signal.signal(signal.SIGTERM, _interrupted)     # stopped by a signal: stop JupyterLab too
    try:
        _wait(proc, port, token, log)
        url = app_url(port, copy.name, token)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        echo(f"审核工作台 / reviewer workbench: {url}")
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait(30)
    except BaseException:
        proc.terminate()
        raise
