"""Killing a child process at a chosen moment (the crash tests of the findings store)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def kill_when_ready(child, marker: Path, where: str) -> None:
    """Wait (at most 120 s) until ``child`` writes ``marker`` — it is then ``where`` — and
    SIGKILL it there."""
    deadline = time.monotonic() + 120
    while not marker.exists() and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), f"the child never reached {where}"
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert child.exitcode == -signal.SIGKILL
