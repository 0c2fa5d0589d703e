"""A findings database for the dashboard tests: reviewer alice may write for 江苏; the
dashboard opens it read-only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.config import load_config
from workbench.findings import open_store


def findings_db(folder: Path) -> tuple[object, Callable[..., object]]:
    """(alice's writable store, a function opening the same database read-only)."""
    cfg = load_config()
    cfg["findings"]["reviewer_provinces"] = {"alice": ["江苏"]}
    url = f"sqlite:///{folder / 'f.sqlite'}"
    return (open_store(url, config=cfg, actor="alice"),
            lambda **kw: open_store(url, readonly=True, config=cfg, **kw))
