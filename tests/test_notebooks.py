"""Notebooks run end to end in a real Jupyter kernel on the demo data."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Text each notebook must print besides displaying its widget.
#: Notebooks whose output is an ipywidgets app (the investigation notebooks are reports).
APPS = ("reviewer_workbench.ipynb", "supervisor_dashboard.ipynb")
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
    if path.name in APPS:
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                   for o in outputs), "the app widget was not displayed"
    for expected in EXPECTED.get(path.name, ()):
        assert expected.format(dataset=os.fspath(demo_dir)) in text, expected


#: Run in the dashboard's own kernel after its notebook: every way to write is refused.
WRITE_ATTEMPTS = '''
import sqlalchemy as sa
store = dashboard._store
before = len(store.list())


def raw(sql):
    with store.engine.begin() as conn:
        conn.execute(sa.text(sql))


for name, attempt in [
    ("store.create", lambda: store.create({"enterprise_id": store.list()[0].enterprise_id,
        "periods": ["2024-03"], "category": "other", "title": "x", "severity": "info"},
        dashboard._review.ds)),
    ("store.transition", lambda: store.transition(store.list()[0].id, "closed", 1)),
    ("raw UPDATE", lambda: raw("UPDATE findings SET title = 'forged'")),
    ("raw DELETE", lambda: raw("DELETE FROM findings")),
]:
    try:
        attempt()
        print("WROTE", name)
    except Exception as exc:
        print("refused", name, type(exc).__name__, str(exc).splitlines()[0][:80])
print("findings", before, len(store.list()),
      [f.title for f in store.list()] == ["kept"] * before)
'''


@pytest.mark.slow
def test_dashboard_kernel_cannot_write(demo_dir, monkeypatch, tmp_path):
    """The supervisor notebook's kernel holds a read-only store: writes through the store
    and raw SQL on its connection both fail, and the findings stay as they were."""
    from workbench.config import load_config
    from workbench.findings import open_store
    from workbench.review import ReviewData

    db = tmp_path / "f.sqlite"
    config = tmp_path / "workbench.toml"
    config.write_text(f'[general]\ndatabase_url = "sqlite:///{db}"\nreviewer = "w"\n'
                      '[findings]\nreviewer_provinces = { "w" = ["江苏"] }\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    monkeypatch.setenv("WORKBENCH_DATASET", str(demo_dir))
    review = ReviewData.open(demo_dir)
    writer = open_store(f"sqlite:///{db}", config=load_config(), actor="w")
    ent = review.enterprise_list()["enterprise_id"].iloc[0]
    writer.create({"enterprise_id": ent, "periods": ["2024-03"], "category": "other",
                   "title": "kept", "severity": "warning"}, review.ds)
    writer.close()
    path = ROOT / "notebooks" / "supervisor_dashboard.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WRITE_ATTEMPTS))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert "WROTE" not in text, text
    for name in ("store.create", "store.transition", "raw UPDATE", "raw DELETE"):
        assert f"refused {name}" in text, text
    assert "refused store.create ReadOnlyStore" in text, text
    assert text.count("OperationalError) attempt to write a readonly database") == 2, text
    assert "findings 1 1 True" in text, text
