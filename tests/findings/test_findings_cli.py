"""``workbench findings`` end to end with click's runner."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from workbench.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A config file granting alice 江苏, and alice as the reviewer."""
    conf = tmp_path / "workbench.toml"
    conf.write_text('[findings]\nreviewer_provinces = { alice = ["江苏"] }\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(conf))
    monkeypatch.setenv("WORKBENCH_USER", "alice")
    return conf


@pytest.fixture
def sheet(tmp_path, enterprises):
    path = tmp_path / "现场核查.csv"
    pd.DataFrame({
        "统一社会信用代码": [enterprises[0], enterprises[1], "91320000NOSUCHONE1"],
        "所属期": ["2024-01", "2024-02", "2024-03"],
        "问题标题": ["煤样未留存", "", "未知企业"],
        "严重程度": ["严重", "警告", "提示"],
        "问题类别": ["检测报告证据", "燃料消耗量", "其他"],
        "问题描述": ["现场核查发现", "说明", "说明"],
    }).to_csv(path, index=False)
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["findings", *args])


def test_findings_commands_have_bilingual_help():
    for cmd in ([], ["verify"], ["anchor"], ["import"], ["export"], ["list"]):
        res = run(*cmd, "--help")
        assert res.exit_code == 0, cmd
        assert any("\u4e00" <= ch <= "\u9fff" for ch in res.output), cmd
        assert "--db" in res.output or not cmd


def test_import_list_export_verify(env, sheet, sqlite_url, tmp_path, dataset, enterprises):
    res = run("import", str(sheet), "--dataset", str(dataset.path), "--db", sqlite_url,
              "--locale", "en")
    assert res.exit_code == 1, res.output
    assert "3 rows read, 1 imported, 2 rejected" in res.output
    assert "row 3: title: must not be empty" in res.output
    assert "row 4: enterprise_id: enterprise 91320000NOSUCHONE1 is not in the dataset" in res.output

    res = run("list", "--db", sqlite_url, "--json", "--enterprise", enterprises[0])
    assert res.exit_code == 0
    [finding] = json.loads(res.output)
    assert (finding["title"], finding["created_by"], finding["category"]) == (
        "煤样未留存", "alice", "lab_evidence")
    assert "1 findings" in run("list", "--db", sqlite_url, "--status", "open").output
    assert "0 findings" in run("list", "--db", sqlite_url, "--status", "closed").output

    for fmt in ("xlsx", "csv", "json"):
        out = tmp_path / f"export.{fmt}"
        res = run("export", "--format", fmt, "--out", str(out), "--db", sqlite_url)
        assert res.exit_code == 0 and out.stat().st_size > 0, res.output

    res = run("verify", "--db", sqlite_url)
    assert res.exit_code == 0 and "intact: 1 entries" in res.output
    anchor = res.output.split("锚点 ")[1].strip()
    assert run("verify", "--db", sqlite_url, "--anchor", anchor).exit_code == 0
    res = run("verify", "--db", sqlite_url, "--anchor", "1:nothex")
    assert res.exit_code == 2 and "expected SEQ:HASH" in res.output
    res = run("verify", "--db", sqlite_url, "--anchor", "1:" + "0" * 64)
    assert res.exit_code == 1 and "recorded anchor" in res.output
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
    engine.dispose()
    res = run("verify", "--db", sqlite_url)
    assert res.exit_code == 1 and "broken at entry 1" in res.output


def test_import_json_report_and_a_clean_sheet_exits_0(env, sheet, sqlite_url, dataset):
    clean = sheet.with_name("clean.csv")
    pd.read_csv(sheet, dtype=str).iloc[:1].to_csv(clean, index=False)
    res = run("import", str(clean), "--dataset", str(dataset.path), "--db", sqlite_url,
              "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["rows_read"] == 1 and len(report["imported"]) == 1 and not report["rejected"]


def test_read_only_mode_and_missing_database_exit_2(env, sheet, tmp_path, dataset, sqlite_url,
                                                    monkeypatch):
    missing = f"sqlite:///{tmp_path / 'none.sqlite'}"
    res = run("verify", "--db", missing)
    assert res.exit_code == 2 and "no database file" in res.output
    assert run("verify", "--db", sqlite_url).exit_code == 2
    assert run("list", "--db", sqlite_url).exit_code == 2
    CliRunner().invoke(main, ["findings", "import", str(sheet), "--dataset", str(dataset.path),
                              "--db", sqlite_url])
    readonly = tmp_path / "readonly.toml"
    readonly.write_text(env.read_text(encoding="utf-8") + '[general]\nmode = "readonly"\n',
                        encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(readonly))
    res = run("import", str(sheet), "--dataset", str(dataset.path), "--db", sqlite_url)
    assert res.exit_code == 2 and "read-only" in res.output
    assert "1 findings" in run("list", "--db", sqlite_url).output
    res = run("import", str(sheet), "--dataset", str(tmp_path), "--db", sqlite_url)
    assert res.exit_code == 2 and "not a workbench dataset" in res.output


def test_an_anchor_file_exposes_a_wholesale_rewrite(env, sqlite_url, tmp_path, dataset, draft):
    """SQLite has no anchor table: the anchor goes to a file, and verify reads it back."""
    from workbench.config import load_config
    from workbench.findings import audit, open_store

    store = open_store(sqlite_url, config=load_config())
    store.create(draft, dataset)
    store.create({**draft, "title": "第二个"}, dataset)
    assert run("anchor", "--db", sqlite_url).exit_code == 2        # no table: says use --out
    anchors = tmp_path / "anchors.txt"
    res = run("anchor", "--db", sqlite_url, "--out", str(anchors))
    assert res.exit_code == 0, res.output
    assert anchors.read_text(encoding="utf-8").startswith("2:")
    assert run("verify", "--db", sqlite_url, "--anchor-file", str(anchors)).exit_code == 0
    with store.engine.begin() as conn:                             # rewrite everything
        rows = [dict(r) for r in conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq"))
                .mappings()]
        prev = audit.GENESIS
        for row in rows:
            row["actor"] = "mallory"
            row["hash"] = audit.entry_hash(prev, row)
            conn.execute(sa.text("UPDATE audit_log SET actor = :a, prev_hash = :p, hash = :h "
                                 "WHERE seq = :s"),
                         {"a": row["actor"], "p": prev, "h": row["hash"], "s": row["seq"]})
            prev = row["hash"]
        conn.execute(sa.text("UPDATE audit_head SET hash = :h"), {"h": prev})
    assert run("verify", "--db", sqlite_url).exit_code == 0        # the database alone
    res = run("verify", "--db", sqlite_url, "--anchor-file", str(anchors))
    assert res.exit_code == 1 and "rewritten" in res.output
    anchors.write_text("12:nothex\n", encoding="utf-8")
    res = run("verify", "--db", sqlite_url, "--anchor-file", str(anchors))
    assert res.exit_code == 2 and "line 1" in res.output
