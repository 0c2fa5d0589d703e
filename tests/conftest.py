"""Shared fixtures: the demo dataset generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.samples.generator import Generated, generate, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo() -> Generated:
    """The demo dataset in memory (default seed and problem rate)."""
    return generate("demo")


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory, demo) -> Path:
    """The demo dataset written to a temporary folder."""
    out = tmp_path_factory.mktemp("demo") / "ds"
    write(demo, out, "demo", 7, 0.25)
    return out
