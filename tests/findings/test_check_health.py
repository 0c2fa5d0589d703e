"""Check health: flag rates from the screening, dismissals from the findings store."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from workbench.check_health import check_health, for_tuning
from workbench.cli import main
from workbench.findings import open_store
from workbench.screen import empty_flags


def _finding(store, draft, dataset, check_id: str, to: str | None):
    flag = {"check_id": check_id, "enterprise_id": draft["enterprise_id"], "period": "2024-03"}
    f = store.create({**draft, "flags": [flag]}, dataset)
    if to == "dismissed":
        f = store.transition(f.id, "dismissed", f.version, reason="同批次正常波动")
    elif to:
        f = store.transition(f.id, to, f.version)
    return f


def test_dismissals_mark_a_check_for_tuning(tmp_path, cfg, draft, dataset):
    cfg["check_health"] = {"max_dismissal_share": 0.5, "min_reviewed": 3}
    store = open_store(f"sqlite:///{tmp_path / 'f.sqlite'}", config=cfg, actor="alice")
    for to in ("dismissed", "dismissed", "dismissed", "sent_for_rectification", None):
        _finding(store, draft, dataset, "timeseries.unit_level_shift", to)
    for to in ("sent_for_rectification", "sent_for_rectification", "sent_for_rectification"):
        _finding(store, draft, dataset, "evidence.date_order", to)
    health = check_health(empty_flags(), ["timeseries.unit_level_shift", "evidence.date_order",
                                          "digits.benford"], 1000, store.list(), cfg)
    h = health.set_index("check_id")
    shift = h.loc["timeseries.unit_level_shift"]
    assert (shift["cited"], shift["reviewed"], shift["dismissed"]) == (5, 4, 3)
    assert shift["dismissal_share"] == 0.75 and shift["needs_tuning"]
    assert not h.loc["evidence.date_order", "needs_tuning"]
    assert h.loc["digits.benford", "cited"] == 0 and not h.loc["digits.benford", "needs_tuning"]
    assert for_tuning(health) == ["timeseries.unit_level_shift"]
    store.close()


def test_screen_json_reports_flag_rates_and_dismissals(tmp_path, cfg, draft, dataset,
                                                       monkeypatch):
    db = tmp_path / "f.sqlite"
    store = open_store(f"sqlite:///{db}", config=cfg, actor="alice")
    for _ in range(5):
        _finding(store, draft, dataset, "peers.carbon_ncv_regression", "dismissed")
    store.close()
    (tmp_path / "wb.toml").write_text(f'[general]\ndatabase_url = "sqlite:///{db}"\n',
                                      encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "wb.toml"))
    ds = tmp_path / "demo"
    shutil.copytree(dataset.path, ds)
    result = CliRunner().invoke(main, ["screen", str(ds), "--out", str(tmp_path / "out"),
                                       "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    rows = {r["check_id"]: r for r in out["check_health"]}
    assert out["findings_note"] == ""
    assert rows["peers.carbon_ncv_regression"]["dismissed"] == 5
    assert "peers.carbon_ncv_regression" in out["for_tuning"]
    total = sum(r["flags"] for r in rows.values())
    assert total == out["flags"]
    assert all(r["flags_per_1000"] >= 0 for r in rows.values())


def test_flag_dispositions_count_as_reviews(tmp_path, cfg, draft, dataset, enterprises):
    """误报 counts as dismissed, 已核实 / 已解释 as kept; a link counts through its finding."""
    cfg["check_health"] = {"max_dismissal_share": 0.5, "min_reviewed": 3}
    store = open_store(f"sqlite:///{tmp_path / 'f.sqlite'}", config=cfg, actor="alice")
    check = "timeseries.unit_level_shift"
    for i, (disposition, note) in enumerate((("false_positive", "正常检修"),
                                             ("false_positive", "煤种切换"),
                                             ("explained", "新机组投运"), ("verified", None))):
        store.dispose({"check_id": check, "enterprise_id": enterprises[i],
                       "period": "2024-03"}, disposition, dataset, note=note)
    f = _finding(store, draft, dataset, check, None)
    store.dispose({"check_id": check, "enterprise_id": draft["enterprise_id"],
                   "period": "2024-04"}, "linked", dataset, finding_id=f.id)
    h = check_health(empty_flags(), [check], 1000, store.list(), cfg,
                     store.dispositions()).set_index("check_id").loc[check]
    assert (h["cited"], h["reviewed"], h["dismissed"]) == (1, 4, 2)
    assert h["dismissal_share"] == 0.5 and not h["needs_tuning"]
    store.close()
