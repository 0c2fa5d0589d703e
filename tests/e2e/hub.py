"""A real multi-user deployment on localhost for the end-to-end test: ``deploy/setup-host.sh``
installs the workbench and JupyterHub (Debian's python3, configurable-http-proxy), a
PostgreSQL server with peer authentication holds the findings, local OS users log in
by their passwords (PAM), and JupyterHub runs ``deploy/jupyterhub_config.py`` as root.
Needs root (users, spawning as them); everything it creates is removed afterwards
except the installed prefix, which the next run reuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests" / "findings"), str(ROOT / "tests" / "browser")]
from pg_server import Server, binaries  # noqa: E402 - the findings tests' server
from voila_server import stop, wait_until_answering  # noqa: E402

PREFIX = Path(os.environ.get("WB_E2E_PREFIX", "/opt/wb-e2e"))
#: OS users (and database roles of the same name): two reviewers and a supervisor.
REVIEWER_JS, REVIEWER_ZJ, SUPERVISOR = "wbe2e-js", "wbe2e-zj", "wbe2e-sup"
DASHBOARD_USER = "wbe2e-dash"
PASSWORD = "e2e-口令-1"  # noqa: S105 - the test users' password, removed with them


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def _user(name: str, group: str | None) -> None:
    if subprocess.run(["id", name], capture_output=True).returncode != 0:
        _run("useradd", "--create-home", "--shell", "/bin/bash", name)
    if group:
        _run("usermod", "-a", "-G", group, name)
    _run("chpasswd", input=f"{name}:{PASSWORD}\n")


def _drop_user(name: str) -> None:
    """Remove a test user: its processes first (userdel refuses a user still running
    something, and a killed process takes a moment to go)."""
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    for _ in range(50):
        if subprocess.run(["pgrep", "-u", name], capture_output=True).returncode != 0:
            break
        time.sleep(0.1)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


@contextmanager
def deployment(artifacts: Path):
    """Install, configure and start everything; yield the Hub's public URL.  Test runs on
    one machine take turns (the prefix and the OS users are shared): an exclusive lock
    on ``PREFIX``.lock is held throughout."""
    import fcntl

    PREFIX.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{PREFIX}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with _deployment(artifacts) as url:
            yield url


@contextmanager
def _deployment(artifacts: Path):
    env = dict(os.environ, WB_PREFIX=str(PREFIX), WB_DASHBOARD_USER=DASHBOARD_USER)
    _run("bash", str(ROOT / "deploy" / "setup-host.sh"), env=env, cwd=ROOT)
    for name, group in ((REVIEWER_JS, "workbench-reviewers"), (REVIEWER_ZJ, "workbench-reviewers"),
                        (SUPERVISOR, "workbench-supervisors"), (DASHBOARD_USER, None)):
        _user(name, group)
    server = Server(binaries())
    state = Path(tempfile.mkdtemp(prefix="wb-hub-"))
    hub = None
    try:
        _database(server)
        _data()
        url = server.socket_url("findings").replace("postgresql+psycopg", "postgresql")
        for name, extra in (("workbench.toml", ""), ("dashboard.toml", 'mode = "readonly"\n')):
            (PREFIX / "etc" / name).write_text(
                f'[general]\ndatabase_url = "{url}"\n{extra}', encoding="utf-8")
        port = _free_port()
        hub_env = dict(env, WB_HUB_PORT=str(port), WB_HUB_API_PORT=str(_free_port()),
                       WB_PROXY_API_PORT=str(_free_port()), WB_HUB_STATE=str(state),
                       WB_DASHBOARD_SERVICE_PORT=str(_free_port()),
                       WB_DATASET=str(PREFIX / "data" / "dataset"),
                       WB_RESULTS=str(PREFIX / "data" / "results"),
                       WB_REVIEWERS_GROUP="workbench-reviewers",
                       WB_SUPERVISORS_GROUP="workbench-supervisors")
        log = artifacts / "hub.log"
        with log.open("wb") as out:
            hub = subprocess.Popen(  # noqa: S603 - our own command
                [str(PREFIX / "venv" / "bin" / "jupyterhub"), "-f",
                 str(PREFIX / "src" / "deploy" / "jupyterhub_config.py")],
                env=hub_env, cwd=state, stdout=out, stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{port}"
            # 200, not any answer: the proxy says 404 until the Hub has added its route
            wait_until_answering(base + "/hub/login", hub, log, 180, any_status=False)
            yield base
    finally:
        if hub is not None:
            stop(hub, 30)
        for name in (REVIEWER_JS, REVIEWER_ZJ, SUPERVISOR, DASHBOARD_USER):
            _drop_user(name)
        server.stop()
        shutil.rmtree(state, ignore_errors=True)


def _database(server: Server) -> None:
    """The findings database, secured, with the reviewers (江苏 / 浙江), the supervisor
    and the dashboard's read-only role, and the demo's enterprises as master data."""
    import sqlalchemy as sa

    from workbench.dataset import Dataset
    from workbench.findings import db_admin

    engine = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE DATABASE findings"))
    engine.dispose()
    admin = server.url("findings")
    db_admin.init(admin, four_eyes_close=True)
    db_admin.add_member(admin, REVIEWER_JS, "reviewer", ["江苏"])
    db_admin.add_member(admin, REVIEWER_ZJ, "reviewer", ["浙江"])
    db_admin.add_member(admin, SUPERVISOR, "supervisor")
    db_admin.add_member(admin, DASHBOARD_USER, "supervisor")
    db_admin.load_enterprises(admin, Dataset(ROOT / "data_samples" / "demo"))


def _data() -> None:
    """The demo dataset and its screening results, readable by every user."""
    data = PREFIX / "data"
    shutil.rmtree(data / "dataset", ignore_errors=True)
    shutil.rmtree(data / "results", ignore_errors=True)
    shutil.copytree(ROOT / "data_samples" / "demo", data / "dataset",
                    ignore=shutil.ignore_patterns(".screen"))
    _run(sys.executable, "-m", "workbench", "screen", str(data / "dataset"), "--out",
         str(data / "results"))
    _run("chmod", "-R", "a+rX", str(data))
