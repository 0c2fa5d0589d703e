"""Generated documentation is current."""

from pathlib import Path

from workbench import contract_doc

ROOT = Path(__file__).resolve().parents[1]


def test_data_format_doc_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert committed == contract_doc.render(ROOT / "data_samples" / "demo"), (
        "docs/data-format.md is stale: python -m workbench.contract_doc data_samples/demo "
        "> docs/data-format.md")
