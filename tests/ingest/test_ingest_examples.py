"""The committed export examples import exactly as their README states."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import quarantine

from workbench.cli import main
from workbench.dataset import Dataset
from workbench.ingest import import_files

EXAMPLES = Path(__file__).resolve().parents[2] / "data_samples" / "export_examples"


def test_examples_import_as_documented(tmp_path):
    sources = sorted(EXAMPLES.glob("*.csv"))
    monthly = EXAMPLES / "月度存证_2024-03.csv"
    with pytest.raises(UnicodeDecodeError):
        monthly.read_bytes().decode("utf-8")  # really GBK
    report = import_files(sources, tmp_path / "x")
    assert report.exit_code == 1 and report.errors == []
    counts = {t: (c.read, c.imported, c.quarantined, c.already_present, c.revisions_added)
              for t, c in report.tables.items()}
    assert counts == {"enterprises": (2, 2, 0, 0, 0), "units": (3, 3, 0, 0, 0),
                      "monthly_parameters": (39, 35, 4, 0, 0)}
    conversions = {(c["parameter_code"], c["from_unit"], c["to_unit"], c["rows"]): c["factor"]
                   for c in report.conversions}
    assert conversions == {("generation_mwh", "万千瓦时", "MWh", 2): 10.0,
                           ("ncv_gj_per_t", "kcal/kg", "GJ/t", 1): pytest.approx(4.1868e-3),
                           ("ncv_gj_per_knm3", "GJ/万Nm3", "GJ/knm3", 1): pytest.approx(0.1)}
    q = quarantine(report, "monthly_parameters")
    assert q["row_number"].tolist() == ["15", "28", "37", "40"]
    assert q["columns"].tolist() == ["value", "unit", "value", "period"]
    assert q["reason_en"][0] == "value: coal_consumption_t is -1250 t, below the minimum 0 t"
    assert "unknown unit '立方英尺'" in q["reason_en"][1]
    assert q["reason_en"][2] == "value: load_factor is 1.3, above the maximum 1"
    assert "'2024-13' is not a valid month" in q["reason_en"][3]
    assert q.columns[:6].tolist() == ["source_file", "row_number", "columns", "values",
                                      "reason_zh", "reason_en"]
    assert "机组编号" in q.columns
    stored = Dataset(tmp_path / "x").read("monthly_parameters").set_index(
        ["unit_id", "parameter_code"])
    assert stored.loc[("NJ-U2", "ncv_gj_per_t"), "value"] == pytest.approx(21.017736)
    assert stored.loc[("NJ-U1", "generation_mwh"), "value"] == 270000.0
    assert stored.loc[("SZ-G1", "ncv_gj_per_knm3"), "value"] == pytest.approx(38.931)

    again = import_files(sources, tmp_path / "x")
    assert [c.already_present for c in again.tables.values()] == [2, 3, 35]
    assert again.tables["monthly_parameters"].quarantined == 4


def test_the_cli_reports_the_same_in_json_and_text(tmp_path):
    sources = [str(p) for p in sorted(EXAMPLES.glob("*.csv"))]
    runner = CliRunner()
    res = runner.invoke(main, ["import", *sources, "--into", str(tmp_path / "x"), "--json"])
    assert res.exit_code == 1
    out = json.loads(res.output)
    assert set(out) >= {"dataset", "import_id", "fingerprint", "tables", "conversions", "errors"}
    assert out["tables"]["monthly_parameters"]["quarantined"] == 4
    assert Path(out["tables"]["monthly_parameters"]["quarantine_file"]).is_file()
    text = runner.invoke(main, ["import", *sources, "--into", str(tmp_path / "x"),
                                "--locale", "en"])
    assert text.exit_code == 1
    assert "quarantined 4" in text.output and "exit code 1" in text.output
