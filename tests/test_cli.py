"""The workbench command end to end (in-process with click's runner, and as a real process)."""

import json
import subprocess
import sys

from click.testing import CliRunner

from workbench.cli import main
from workbench.dataset import Dataset


def test_every_subcommand_has_bilingual_help():
    runner = CliRunner()
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0
    for cmd in ("sample", "import", "info", "lab", "demo"):
        res = runner.invoke(main, [cmd, "--help"])
        assert res.exit_code == 0, cmd
        assert any("\u4e00" <= ch <= "\u9fff" for ch in res.output), f"{cmd} help has no Chinese"


def test_sample_then_info(tmp_path, demo_dir):
    runner = CliRunner()
    out = tmp_path / "ds"
    res = runner.invoke(main, ["sample", "--scale", "demo", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    facts = json.loads(res.output)
    assert facts["records"] == sum(facts["tables"].values()) > 300_000
    assert facts["fingerprint"] == Dataset(demo_dir).fingerprint
    assert (out / "truth.csv").is_file()
    again = runner.invoke(main, ["sample", "--scale", "demo", "--out", str(out)])
    assert again.exit_code != 0 and "already holds a dataset" in again.output
    info = runner.invoke(main, ["info", str(out), "--json", "--locale", "en"])
    assert info.exit_code == 0
    tables = {t["table"]: t for t in json.loads(info.output)["tables"]}
    assert tables["monthly_parameters"]["rows"] == facts["tables"]["monthly_parameters"]
    assert tables["monthly_parameters"]["periods"] == "2023-01 … 2024-12"


def test_info_refuses_a_folder_that_is_not_a_dataset(tmp_path):
    res = CliRunner().invoke(main, ["info", str(tmp_path)])
    assert res.exit_code != 0 and "not a workbench dataset" in res.output


def test_console_entry_point_runs_as_a_process():
    out = subprocess.run([sys.executable, "-m", "workbench", "--version"], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0 and "workbench" in out.stdout


def test_import_examples_quarantines_bad_rows_with_exit_code_1(tmp_path):
    from pathlib import Path

    examples = sorted((Path(__file__).resolve().parents[1] / "data_samples" /
                       "export_examples").glob("*.csv"))
    res = CliRunner().invoke(main, ["import", *map(str, examples), "--into",
                                    str(tmp_path / "ds"), "--json"])
    assert res.exit_code == 1, res.output
    report = json.loads(res.output)
    monthly = report["tables"]["monthly_parameters"]
    assert (monthly["read"], monthly["imported"], monthly["quarantined"]) == (39, 35, 4)
    assert all(t["read"] == t["imported"] + t["quarantined"] for t in report["tables"].values())
    quarantine = Path(monthly["quarantine_file"]).read_text(encoding="utf-8-sig")
    assert "2024-13" in quarantine and "-1250" in quarantine


def test_screen_writes_flags_risk_and_manifest(tmp_path):
    from pathlib import Path

    demo = Path(__file__).resolve().parents[1] / "data_samples" / "demo"
    res = CliRunner().invoke(main, ["screen", str(demo), "--out", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    facts = json.loads(res.output.strip().splitlines()[-1])
    assert facts["flags"] > 0 and facts["dataset_fingerprint"] == Dataset(demo).fingerprint
    for name in ("flags.parquet", "risk.parquet", "risk_units.parquet", "spot_checks.parquet",
                 "manifest.json"):
        assert (tmp_path / name).is_file()
    assert facts["spot_checks"]["seed"] == 2026


def test_demo_config_lets_the_demo_reviewer_write_for_jiangsu(tmp_path, monkeypatch):
    from workbench.cli import _demo_config
    from workbench.config import load_config
    from workbench.findings.identity import assigned_provinces, current_actor

    path = _demo_config(tmp_path / "demo")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    cfg = load_config()
    assert current_actor(cfg) == "demo-reviewer"
    assert assigned_provinces("demo-reviewer", cfg) == {"江苏"}
    assert "database_url =" not in path.read_text(encoding="utf-8")   # the default store
    assert _demo_config(tmp_path / "demo").read_text(encoding="utf-8") == path.read_text(
        encoding="utf-8")


def test_a_broken_config_file_is_named_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "workbench.toml"
    bad.write_text("[general\nlocale = 'en'\n", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(bad))
    res = CliRunner().invoke(main, ["info", str(tmp_path)])
    assert res.exit_code == 2 and str(bad) in res.output and "Traceback" not in res.output
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "missing.toml"))
    res = CliRunner().invoke(main, ["info", str(tmp_path)])
    assert res.exit_code == 2 and "missing.toml" in res.output


def test_dashboard_serving_settings_come_from_the_config():
    from pathlib import Path

    from workbench.cli import voila_command
    from workbench.config import load_config

    settings = {**load_config()["dashboard"], "pool_size": 4, "refill_delay_s": 7}
    cmd = voila_command(Path("/repo"), 9999, True, settings)
    assert "--pool_size=4" in cmd and "--preheat_kernel=True" in cmd
    assert "--VoilaKernelManager.fill_delay=7" in cmd
    assert f"--MappingKernelManager.cull_idle_timeout={settings['cull_idle_s']}" in cmd
    assert "--strip_sources=True" in cmd and "--show_tracebacks=False" in cmd
    hint = [a for a in cmd if a.startswith("--VoilaExecutor.cell_error_instruction=")]
    assert hint and "请联系管理员" in hint[0] and "tell the administrator" in hint[0]
    cold = voila_command(Path("/repo"), 9999, False, {**settings, "pool_size": 0})
    assert "--preheat_kernel=False" in cold and "--no-browser" not in cold
    assert not [a for a in cold if a.startswith("--Voila.base_url")]
    proxied = voila_command(Path("/repo"), 9999, True,
                            {**settings, "base_url": "/services/dashboard/"})
    assert "--Voila.base_url=/services/dashboard/" in proxied
