"""Notebooks run end to end in a real Jupyter kernel on the demo data."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Text each notebook must print besides displaying its widget.
EXPECTED = {"reviewer_workbench.ipynb": ("monthly_parameters", "{dataset}", "reviewer: nb-test")}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, demo_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DATASET", str(demo_dir))
    config = tmp_path / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{tmp_path / "f.sqlite"}"\n'
                      'reviewer = "nb-test"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    nb = nbformat.read(path, as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), "no parameters cell"
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = "".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "")
                   for o in outputs)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in outputs), "the app widget was not displayed"
    for expected in EXPECTED.get(path.name, ()):
        assert expected.format(dataset=os.fspath(demo_dir)) in text, expected
