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


@pytest.fixture(scope="session")
def clean_tables() -> dict:
    """A small clean dataset (no injected problems): 12 power enterprises of the demo
    province (the demo's other sectors left out: the power checks' tests screen these)."""
    gen = generate("demo", problem_rate=0.0, sectors=("power",))
    ents = sorted(gen.tables["enterprises"]["enterprise_id"])[:12]
    units = gen.tables["units"]
    unit_ids = set(units.loc[units["enterprise_id"].isin(ents), "unit_id"])
    out = {}
    for name, df in gen.tables.items():
        if "enterprise_id" in df.columns:
            df = df[df["enterprise_id"].isin(ents)]
        elif "unit_id" in df.columns:
            df = df[df["unit_id"].isin(unit_ids)]
        out[name] = df.reset_index(drop=True)
    return out
