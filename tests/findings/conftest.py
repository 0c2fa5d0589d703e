"""Fixtures of the findings tests: the demo dataset, a config with reviewer
provinces, and a store on SQLite or on a real PostgreSQL server."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa
from pg_server import Server, binaries

from workbench.config import load_config
from workbench.dataset import Dataset
from workbench.findings import open_store

ROOT = Path(__file__).resolve().parents[2]
_db_names = itertools.count()


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The committed demo dataset (every enterprise is in 江苏)."""
    return Dataset(ROOT / "data_samples" / "demo")


@pytest.fixture(scope="session")
def enterprises(dataset) -> list[str]:
    """Enterprise ids of the demo dataset, sorted."""
    return sorted(dataset.read("enterprises")["enterprise_id"])


@pytest.fixture(scope="session")
def units(dataset) -> dict[str, list[str]]:
    """Unit ids of each demo enterprise."""
    df = dataset.read("units")
    return df.groupby("enterprise_id")["unit_id"].agg(sorted).to_dict()


@pytest.fixture
def cfg() -> dict:
    """Config: alice reviews 江苏, bob 浙江, nat every province; small text limits."""
    out = load_config()
    out["general"]["mode"] = "reviewer"
    out["findings"] = {"reviewer_provinces": {"alice": ["江苏"], "bob": ["浙江"], "nat": ["*"]},
                       "max_title_length": 50, "max_text_length": 200}
    return out


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session (skipped only when it is not installed)."""
    bindir = binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb missing; "
                    "bash scripts/setup.sh test installs it)")
    server = Server(bindir)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """URL of a fresh, empty PostgreSQL database."""
    name = f"t{next(_db_names)}"
    engine = sa.create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return pg_server.url(name)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """URL of a new SQLite file."""
    return f"sqlite:///{tmp_path / 'findings.sqlite'}"


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request) -> str:
    """A fresh database URL on each backend."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def store(db_url, cfg):
    """A reviewer-mode store for alice (江苏)."""
    s = open_store(db_url, config=cfg, actor="alice")
    yield s
    s.close()


@pytest.fixture
def draft(enterprises) -> dict:
    """A valid finding for the first demo enterprise."""
    return {"enterprise_id": enterprises[0], "periods": ["2024-03"], "title": "元素碳含量偏低",
            "category": "carbon_content", "severity": "critical",
            "description": "实测元素碳含量明显低于同类机组", "materiality_t": 1234.5,
            "recommended_action": "request_correction", "due_date": "2025-06-30"}
