"""Re-imports against the dataset: repeats, new revisions of monthly filings, conflicts."""

import pandas as pd
from conftest import enterprises, monthly, quarantine, write_csv

from workbench.dataset import Dataset
from workbench.ingest import import_files


def _coal(stored, revision=None):
    rows = stored[stored["parameter_code"] == "coal_consumption_t"]
    if revision is not None:
        rows = rows[rows["revision"] == revision]
    return rows


def test_reimporting_the_same_file_adds_nothing(tmp_path, master):
    path = write_csv(tmp_path / "monthly_parameters.csv", monthly())
    first = import_files([path], master)
    parts = Dataset(master).manifest["tables"]["monthly_parameters"]["parts"]
    again = import_files([path], master)
    counts = again.tables["monthly_parameters"]
    assert again.exit_code == 0
    assert (counts.read, counts.imported, counts.already_present) == (13, 13, 13)
    assert counts.revisions_added == 0 and counts.quarantined == 0
    assert Dataset(master).manifest["tables"]["monthly_parameters"]["parts"] == parts
    assert len(Dataset(master).read("monthly_parameters")) == 13
    assert again.fingerprint == first.fingerprint
    assert len(Dataset(master).manifest["imports"]) == 3  # master + both imports are logged


def test_a_changed_value_becomes_revision_1_and_keeps_revision_0(tmp_path, master):
    import_files([write_csv(tmp_path / "monthly_parameters.csv", monthly())], master)
    changed = monthly()
    changed.loc[changed["parameter_code"] == "coal_consumption_t", "value"] = "101000"
    path = write_csv(tmp_path / "monthly_parameters_v2.csv", changed)
    report = import_files([path], master)
    counts = report.tables["monthly_parameters"]
    assert (counts.imported, counts.already_present, counts.revisions_added) == (13, 12, 1)
    ds = Dataset(master)
    stored = ds.read("monthly_parameters")
    assert len(stored) == 14
    assert _coal(stored, 0)["value"].item() == 100000.0
    assert _coal(stored, 1)["value"].item() == 101000.0
    assert _coal(ds.latest_monthly())["value"].item() == 101000.0
    assert import_files([path], master).tables["monthly_parameters"].already_present == 13


def test_a_file_may_not_rewrite_an_existing_revision(tmp_path, master):
    import_files([write_csv(tmp_path / "monthly_parameters.csv", monthly())], master)
    changed = monthly()
    changed["revision"] = "0"
    changed.loc[changed["parameter_code"] == "coal_consumption_t", "value"] = "99"
    report = import_files([write_csv(tmp_path / "monthly_parameters_x.csv", changed)], master)
    q = quarantine(report, "monthly_parameters")
    assert report.exit_code == 1 and len(q) == 1
    assert "revision 0 already exists" in q["reason_en"][0] and q["columns"][0] == "revision"
    assert len(Dataset(master).read("monthly_parameters")) == 13


def test_history_named_by_revision_is_recognised_and_new_revisions_are_numbered(tmp_path,
                                                                                master):
    import_files([write_csv(tmp_path / "monthly_parameters.csv", monthly())], master)
    history = monthly()
    history["revision"] = "0"
    coal = history[history["parameter_code"] == "coal_consumption_t"]
    fixes = coal.assign(value=["101000"], revision=["3"])
    more = coal.assign(value=["102000"], revision=["7"])
    report = import_files([write_csv(tmp_path / "monthly_parameters_h.csv",
                                     pd.concat([history, fixes, more]))], master)
    counts = report.tables["monthly_parameters"]
    assert (counts.read, counts.already_present, counts.revisions_added) == (15, 13, 2)
    stored = _coal(Dataset(master).read("monthly_parameters")).sort_values("revision")
    assert stored[["revision", "value"]].values.tolist() == [[0, 100000.0], [1, 101000.0],
                                                              [2, 102000.0]]


def test_exported_dataset_reimports_as_already_present(tmp_path, master):
    import_files([write_csv(tmp_path / "monthly_parameters.csv", monthly())], master)
    changed = monthly()
    changed.loc[changed["parameter_code"] == "co2_t", "value"] = "1"
    import_files([write_csv(tmp_path / "monthly_parameters_2.csv", changed)], master)
    export = tmp_path / "monthly_parameters_export.parquet"
    Dataset(master).read("monthly_parameters").to_parquet(export)
    report = import_files([export], master)
    assert report.tables["monthly_parameters"].already_present == 14
    assert report.exit_code == 0


def test_master_data_changes_are_quarantined_not_applied(tmp_path, master):
    same = import_files([write_csv(tmp_path / "enterprises.csv", enterprises())], master)
    assert same.tables["enterprises"].already_present == 2
    renamed = enterprises()
    renamed.loc[0, "enterprise_name"] = "南京新名称电厂"
    report = import_files([write_csv(tmp_path / "企业.csv", renamed)], master)
    q = quarantine(report, "enterprises")
    assert report.exit_code == 1 and report.tables["enterprises"].already_present == 1
    assert "conflicts with existing record" in q["reason_en"][0]
    assert "enterprise_name: existing 南京示范电厂, imported 南京新名称电厂" in q["reason_en"][0]
    assert "主数据的修改不会被静默应用" in q["reason_zh"][0]
    assert Dataset(master).read("enterprises")["enterprise_name"][0] == "南京示范电厂"
