"""The sample generator with every sector: the demo holds power, steel, cement and aluminium
enterprises, the sectors file the power data's last year, the power part is the same to the
byte with or without them, and ``workbench sample --sectors`` chooses them."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from workbench import schema
from workbench.cli import main
from workbench.dataset import Dataset
from workbench.samples import SECTORS, problems
from workbench.samples.generator import generate, write
from workbench.samples.sectors import KINDS

#: The fingerprint of the power-only demo (seed 7, rate 0.25) as committed before the other
#: sectors were added: ``--sectors power`` must still give exactly that dataset.  (A change
#: to the power generator changes it, as it changes the committed demo.)
POWER_ONLY_DEMO = "808e9beeb007fc1658e360fc40f5791b9344ecd04dd9d058e9ccace5c253312a"
OTHERS = ("steel", "cement", "aluminium")
YEAR_2024 = [f"2024-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def power_only():
    return generate("demo", sectors=("power",))


def _industry(gen) -> pd.Series:
    return gen.tables["enterprises"].set_index("enterprise_id")["industry_code"]


def _sector_of_units(gen) -> pd.Series:
    units = gen.tables["units"].set_index("unit_id")["enterprise_id"]
    return units.map(_industry(gen))


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*")
                  if p.is_file() and p.relative_to(root).parts[0] != ".screen")


def _same_bytes(a: Path, b: Path, skip=("manifest.json",)) -> None:
    files = [f for f in _files(a) if f.name not in skip]
    assert files and files == [f for f in _files(b) if f.name not in skip]
    for f in files:
        assert filecmp.cmp(a / f, b / f, shallow=False), f


def test_the_demo_holds_every_sector_in_its_province(demo):
    ents = demo.tables["enterprises"]
    assert ents["industry_code"].value_counts().to_dict() == {
        "power": 60, "steel": 3, "cement": 3, "aluminium": 2}
    assert set(ents["province"]) == {"江苏"}
    assert ents["enterprise_id"].is_unique and ents["verifier_name"].notna().all()
    # every enterprise has units, monthly filings and review events
    units = demo.tables["units"]
    assert set(units["enterprise_id"]) == set(ents["enterprise_id"])
    m = demo.tables["monthly_parameters"]
    sector = m["unit_id"].map(_sector_of_units(demo))
    assert sector.notna().all() and set(sector) == set(SECTORS)
    # the sectors file the power data's last year, power its 24 months
    assert sorted(m.loc[sector == "power", "period"].unique())[-12:] == YEAR_2024
    assert m.loc[sector == "power", "period"].nunique() == 24
    assert sorted(m.loc[sector != "power", "period"].unique()) == YEAR_2024
    ev = demo.tables["review_events"]
    assert set(ev["enterprise_id"]) == set(ents["enterprise_id"])
    # lab reports of cement (clinker, kiln coal) and aluminium (anode) join power's coal
    lab = demo.tables["lab_reports"]
    assert set(lab["enterprise_id"].map(_industry(demo))) == {"power", "cement", "aluminium"}
    assert lab["report_id"].is_unique and lab["sample_id"].is_unique
    # daily values and annual reports are power's only
    for name in ("daily_parameters", "annual_reports"):
        df = demo.tables[name]
        ent = df["enterprise_id"] if "enterprise_id" in df else df["unit_id"].map(
            demo.tables["units"].set_index("unit_id")["enterprise_id"])
        assert set(ent.map(_industry(demo))) == {"power"}, name
    for name, spec in schema.TABLES.items():
        assert not demo.tables[name].duplicated(list(spec.key)).any(), name


def test_sector_deposits_are_submitted_then_approved(demo):
    ents = demo.tables["enterprises"]
    others = set(ents.loc[ents["industry_code"] != "power", "enterprise_id"])
    ev = demo.tables["review_events"]
    ev = ev[ev["enterprise_id"].isin(others)]
    m = demo.tables["monthly_parameters"]
    m = m.assign(enterprise_id=m["unit_id"].map(
        demo.tables["units"].set_index("unit_id")["enterprise_id"]))
    m = m[m["enterprise_id"].isin(others)]
    last = m.groupby(["enterprise_id", "period"])["submitted_at"].max()
    assert len(last) == len(others) * 12
    counts = ev.groupby(["enterprise_id", "period"])["event_code"].agg(sorted)
    assert (counts.map(tuple) == ("approved", "submitted")).all()     # no month returned
    assert counts.index.equals(last.index)
    sub = ev[ev["event_code"] == "submitted"].set_index(["enterprise_id", "period"])["event_at"]
    appr = ev[ev["event_code"] == "approved"].set_index(["enterprise_id", "period"])["event_at"]
    assert (sub.reindex(last.index) == last).all()
    assert (appr.reindex(last.index) > last).all()
    assert (m["revision"] == 0).all()


def test_truth_has_kinds_of_all_four_sectors(demo):
    kinds = set(demo.truth["kind"])
    sector = {k.split(".")[0] if "." in k else "power" for k in kinds}
    assert sector == set(SECTORS)
    power_kinds = {k for k in kinds if "." not in k}
    assert len(power_kinds) >= 10 and power_kinds <= set(problems.KIND_BY_NAME)
    assert kinds - power_kinds <= {k for ks in KINDS.values() for k in ks}
    assert list(demo.truth.columns) == list(problems.TRUTH_COLUMNS)
    assert demo.truth.equals(demo.truth.sort_values(list(problems.TRUTH_COLUMNS))
                             .reset_index(drop=True))
    ents = _industry(demo)
    prefix = demo.truth["kind"].map(lambda k: k.split(".")[0] if "." in k else "power")
    assert (demo.truth["enterprise_id"].map(ents) == prefix).all()


def test_the_power_part_is_the_same_to_the_byte_with_the_sectors(demo, power_only, tmp_path):
    write(demo.subset(["power"]), tmp_path / "part", "demo", 7, 0.25)
    write(power_only, tmp_path / "alone", "demo", 7, 0.25)
    _same_bytes(tmp_path / "part", tmp_path / "alone", skip=())
    assert Dataset(tmp_path / "alone").fingerprint == POWER_ONLY_DEMO
    for name, df in power_only.tables.items():
        part = demo.subset(["power"]).tables[name]
        pd.testing.assert_frame_equal(part[df.columns], df, check_dtype=False, obj=name)
    pd.testing.assert_frame_equal(demo.subset(["power"]).truth, power_only.truth)


def test_the_sectors_alone_are_the_sector_part_of_the_demo(demo, tmp_path):
    alone = generate("demo", sectors=OTHERS)
    assert set(alone.tables["enterprises"]["industry_code"]) == set(OTHERS)
    assert alone.tables["daily_parameters"].empty and alone.tables["annual_reports"].empty
    write(alone, tmp_path / "alone", "demo", 7, 0.25)
    write(demo.subset(OTHERS), tmp_path / "part", "demo", 7, 0.25)
    _same_bytes(tmp_path / "alone", tmp_path / "part", skip=())
    # one sector does not depend on which others are asked for
    cement = generate("demo", sectors=("cement",))
    write(cement, tmp_path / "cement", "demo", 7, 0.25)
    write(demo.subset(["cement"]), tmp_path / "cement_part", "demo", 7, 0.25)
    _same_bytes(tmp_path / "cement", tmp_path / "cement_part", skip=())
    assert Dataset(tmp_path / "cement").manifest["imports"][-1]["sectors"] == ["cement"]


def test_an_unknown_sector_is_refused():
    with pytest.raises(ValueError, match=r"unknown sector 'coal'.*power, steel, cement"):
        generate("demo", sectors=("power", "coal"))
    with pytest.raises(ValueError, match="no sector"):
        generate("demo", sectors=())
    res = CliRunner().invoke(main, ["sample", "--sectors", "power,coal", "--out", "/nonexistent"])
    assert res.exit_code == 2
    assert "unknown sector: coal" in res.output and "power, steel, cement, aluminium" in \
        res.output


def test_cli_sectors_power_gives_the_old_power_only_demo(tmp_path, power_only):
    res = CliRunner().invoke(main, ["sample", "--sectors", "power", "--out",
                                    str(tmp_path / "p"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["fingerprint"] == POWER_ONLY_DEMO
    assert list(out["sectors"]) == ["power"]
    assert out["sectors"]["power"]["enterprises"] == 60
    assert out["tables"] == {k: len(v) for k, v in power_only.tables.items()}
    assert Dataset(tmp_path / "p").manifest["imports"][-1]["sectors"] == ["power"]


def test_cli_json_counts_by_sector(tmp_path, demo, demo_dir):
    res = CliRunner().invoke(main, ["sample", "--scale", "demo", "--out", str(tmp_path / "d"),
                                    "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["fingerprint"] == Dataset(demo_dir).fingerprint        # the default: all four
    assert list(out["sectors"]) == list(SECTORS)
    assert out["sectors"] == demo.counts_by_sector()
    counts = out["sectors"]
    assert {s: c["enterprises"] for s, c in counts.items()} == {
        "power": 60, "steel": 3, "cement": 3, "aluminium": 2}
    for table, n in out["tables"].items():
        assert sum(c[table] for c in counts.values()) == n, table
    assert sum(c["truth_rows"] for c in counts.values()) == out["truth_rows"]
    for s in OTHERS:
        assert counts[s]["daily_parameters"] == counts[s]["annual_reports"] == 0
        assert counts[s]["monthly_parameters"] > 0 and counts[s]["truth_rows"] > 0
    assert Dataset(tmp_path / "d").manifest["imports"][-1]["sectors"] == list(SECTORS)
    # the text output lists the sectors too
    text = CliRunner().invoke(main, ["sample", "--sectors", "steel,aluminium", "--out",
                                     str(tmp_path / "t")])
    assert text.exit_code == 0, text.output
    assert "steel" in text.output and "aluminium" in text.output and "cement" not in \
        text.output
