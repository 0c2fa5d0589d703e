"""Screening results are written whole or not at all (a run killed mid-write leaves the
previous results complete), never over other files, and opened only for the dataset and
configuration they were computed from."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest

from workbench.config import config_hash, load_config
from workbench.dataset import Dataset
from workbench.results import ResultsError, check_results
from workbench.review import ReviewData, cached_results
from workbench.screen import screen


def _contents(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def screened(demo_dir, tmp_path_factory) -> Path:
    """The demo dataset's results, screened once (tests copy them)."""
    out = tmp_path_factory.mktemp("screened") / "results"
    screen(demo_dir, out)
    return out


@pytest.fixture
def results(screened, tmp_path) -> Path:
    out = tmp_path / "results"
    shutil.copytree(screened, out)
    return out


def _fail_on_write(monkeypatch, after: int, action) -> None:
    """Make the ``after``-th Parquet write of this process run ``action`` instead."""
    real, count = pd.DataFrame.to_parquet, [0]

    def write(self, *args, **kwargs):
        count[0] += 1
        if count[0] == after:
            action()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", write)


def test_a_run_failing_half_way_leaves_the_previous_results_intact(demo_dir, results,
                                                                   monkeypatch):
    before = _contents(results)

    def boom() -> None:
        raise OSError("disk full")

    _fail_on_write(monkeypatch, 3, boom)
    with pytest.raises(OSError, match="disk full"):
        screen(demo_dir, results, spot_check_seed=99)
    assert _contents(results) == before
    assert sorted(p.name for p in results.parent.iterdir()) == ["results"]  # nothing left
    monkeypatch.undo()
    assert len(ReviewData.open(demo_dir, results).flags)


def _screen_and_die(dataset: str, out: str) -> None:
    """Child: screen ``dataset`` into ``out`` and be SIGKILLed at the fourth Parquet write."""
    real = pd.DataFrame.to_parquet
    count = [0]

    def write(self, *args, **kwargs):
        count[0] += 1
        if count[0] == 4:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, *args, **kwargs)

    pd.DataFrame.to_parquet = write
    screen(dataset, out, spot_check_seed=99)


def test_a_run_killed_mid_write_leaves_the_previous_results_complete(demo_dir, results):
    before = _contents(results)
    child = multiprocessing.get_context("spawn").Process(
        target=_screen_and_die, args=(str(demo_dir), str(results)))
    child.start()
    child.join(300)
    assert child.exitcode == -signal.SIGKILL
    assert _contents(results) == before
    assert len(ReviewData.open(demo_dir, results).flags)
    left = [p.name for p in results.parent.iterdir() if p.name != "results"]
    assert len(left) == 1 and left[0].startswith(f".results.new-{child.pid}-")
    # the next run replaces them and removes what the killed run left
    manifest = screen(demo_dir, results, spot_check_seed=99)
    assert json.loads((results / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert manifest["spot_checks"]["seed"] == 99
    assert sorted(p.name for p in results.parent.iterdir()) == ["results"]


def test_rescreening_replaces_every_file(demo_dir, results):
    (results / "computed" / "stale_table.parquet").write_bytes(b"old")
    screen(demo_dir, results, spot_check_seed=5)
    assert not (results / "computed" / "stale_table.parquet").exists()
    assert json.loads((results / "manifest.json").read_text())["spot_checks"]["seed"] == 5
    assert sorted(p.name for p in results.parent.iterdir()) == ["results"]


def test_a_folder_holding_other_files_is_never_replaced(demo_dir, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ResultsError, match="notes.txt") as err:
        screen(demo_dir, tmp_path)
    assert "不会被替换" in err.value.zh
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_results_of_another_dataset_are_refused(demo_dir, results):
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    theirs = "f" * 64
    manifest["dataset_fingerprint"] = theirs
    (results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ResultsError) as err:
        ReviewData.open(demo_dir, results)
    ours = Dataset(demo_dir).fingerprint
    assert theirs in err.value.en and ours in err.value.en and "dataset fingerprint" in err.value.en
    assert theirs in err.value.zh and ours in err.value.zh and "数据集指纹" in err.value.zh


def test_results_of_another_configuration_are_refused(demo_dir, results):
    cfg = load_config()
    cfg["risk"]["spot_check_per_city"] += 1
    with pytest.raises(ResultsError, match="configuration hash") as err:
        ReviewData.open(demo_dir, results, cfg=cfg)
    assert config_hash(cfg) in err.value.en and "配置哈希" in err.value.zh


def test_results_without_a_manifest_or_their_flags_are_refused(demo_dir, results):
    fingerprint, cfg_hash = Dataset(demo_dir).fingerprint, config_hash(load_config())
    assert check_results(results, fingerprint, cfg_hash)["dataset_fingerprint"] == fingerprint
    (results / "flags.parquet").unlink()
    with pytest.raises(ResultsError, match="lacks flags.parquet"):
        check_results(results, fingerprint, cfg_hash)
    (results / "manifest.json").unlink()
    with pytest.raises(ResultsError, match="no manifest.json") as err:
        ReviewData.open(demo_dir, results)
    assert "workbench screen" in err.value.zh


def test_an_absent_or_empty_results_folder_is_screened_into(demo_dir, tmp_path):
    for out in (tmp_path / "absent", tmp_path / "empty"):
        if out.name == "empty":
            out.mkdir()
        review = ReviewData.open(demo_dir, out)
        assert review.results == out and (out / "manifest.json").is_file()
        assert len(review.flags)


def test_cached_results_are_screened_once_into_a_new_cache_folder(demo_dir, tmp_path,
                                                                  monkeypatch):
    folder = tmp_path / "not yet" / "cache"   # e.g. the temporary fallback, never created
    monkeypatch.setattr("workbench.review.results_folder", lambda ds, cfg: folder)
    ds, cfg = Dataset(demo_dir), load_config()
    assert cached_results(ds, cfg) == folder
    check_results(folder, ds.fingerprint, config_hash(cfg))
    before = _contents(folder)
    monkeypatch.setattr("workbench.screen.screen", lambda *a, **k: pytest.fail("screened"))
    assert cached_results(ds, cfg) == folder and _contents(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["cache"]


def test_screen_cli_refuses_a_folder_with_other_files_cleanly(demo_dir, tmp_path):
    from click.testing import CliRunner

    from workbench.cli import main

    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["screen", str(demo_dir), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
