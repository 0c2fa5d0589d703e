"""A throw-away PostgreSQL server for the findings tests (Debian's ``postgresql`` package).

The server refuses to run as root, so as root ``initdb`` and ``pg_ctl`` run as
the ``postgres`` user on a temporary folder it owns.  It listens on loopback with
trust authentication (any role name is accepted: the tests connect as each
reviewer's own role) and on a Unix socket in its own folder with **peer**
authentication (the role must be the connecting process's OS user, as in a
JupyterHub deployment), and is stopped and removed when the test session ends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is absent."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server; ``url(db, user)`` gives a SQLAlchemy URL."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="wb-pg-"))
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o755)   # the socket is reachable by other OS users (peer auth)
        self._run("initdb", "-D", str(self.dir / "data"), "--auth-host=trust",
                  "--auth-local=peer", "-U", "postgres", "--no-sync")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-w", "-l", str(self.dir / "log"),
                  "-m", "fast", "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                  f"-k {self.dir} -c fsync=off -c max_connections=100", action)

    def restart(self) -> None:
        """Restart the server (fast shutdown: open sessions are cut off)."""
        self._pg_ctl("restart")

    def socket_url(self, db: str, user: str | None = None) -> str:
        """SQLAlchemy URL of ``db`` over the Unix socket (peer authentication); without
        ``user`` the driver sends the OS user's name, as a deployment would."""
        who = f"{user}@" if user else ""
        return f"postgresql+psycopg://{who}/{db}?host={self.dir}&port={self.port}"

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def url(self, db: str = "postgres", user: str = "postgres") -> str:
        """SQLAlchemy URL of database ``db`` as ``user``."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
