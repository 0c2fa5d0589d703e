"""The generated documents (``docs/checks.md`` from the check registry, ``docs/factors.md``
from the configured factor tables) are current, and their command prints them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench import checks_doc, factors_doc

ROOT = Path(__file__).resolve().parents[1]
DOCS = [(checks_doc, "checks_doc"), (factors_doc, "factors_doc")]


@pytest.mark.parametrize(("module", "name"), DOCS, ids=[n for _, n in DOCS])
def test_the_document_is_current_and_its_command_prints_it(module, name):
    doc = module.DOC_PATH.read_text(encoding="utf-8")
    assert doc == module.render(), (
        f"{module.DOC_PATH.relative_to(ROOT)} is stale: python -m workbench.{name} --write")
    out = subprocess.run([sys.executable, "-m", f"workbench.{name}"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert out.stdout == doc
