"""Fixtures of the sector validation set: one small build shared by the module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:          # ``benchmarks`` is not an installed package
    sys.path.insert(0, str(REPO))

#: The shared real data, beside the repository.
REAL = REPO.parent / "shared" / "data" / "real"
SEED = 3
PROBLEM_RATE = 0.75
SIZES = {"steel": 14, "cement": 14, "aluminium": 8}


@pytest.fixture(scope="session")
def real() -> Path:
    """The folder of the real files (the tests are skipped, with the reason, when absent)."""
    if not (REAL / "gem_steel_plants_china.csv").is_file():
        pytest.skip(f"real data not found at {REAL} (shared/data/real beside the repository)")
    return REAL
