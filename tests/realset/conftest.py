"""Fixtures of the real-record validation set: one small build, and its clean twin in memory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:          # ``benchmarks`` is not an installed package
    sys.path.insert(0, str(REPO))

#: The shared real data, beside the repository.
REAL = Path(__file__).parents[2].parent / "shared" / "data" / "real"
SEED = 1
ENTERPRISES = 24
PROBLEM_RATE = 0.6


def _need_real() -> None:
    if not (REAL / "egrid2021_units.csv").is_file():
        pytest.skip(f"real data not found at {REAL} (shared/data/real beside the repository)")


@pytest.fixture(scope="session")
def real() -> Path:
    """The folder of the real files (the test is skipped, with the reason, when absent)."""
    _need_real()
    return REAL


@pytest.fixture(scope="session")
def build_args() -> dict:
    """Seed, size and problem rate of the test build."""
    return {"seed": SEED, "enterprises": ENTERPRISES, "problem_rate": PROBLEM_RATE}


@pytest.fixture(scope="session")
def built(real, build_args, tmp_path_factory) -> Path:
    """A 24-enterprise build (Chinese labels), exported and imported."""
    from benchmarks.realset.build import build

    out = tmp_path_factory.mktemp("realset") / "a"
    build(real, out, **build_args)
    return out


@pytest.fixture(scope="session")
def injected(real):
    """The same set in memory."""
    from benchmarks.realset.build import generate

    return generate(real, SEED, ENTERPRISES, PROBLEM_RATE)


@pytest.fixture(scope="session")
def clean(real):
    """The same seed without injected problems."""
    from benchmarks.realset.build import generate

    return generate(real, SEED, ENTERPRISES, 0.0)
