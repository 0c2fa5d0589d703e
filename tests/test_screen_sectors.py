"""Each check runs over the enterprises of the sectors it applies to (``Check.sectors``): a
dataset holding a steel works beside the power plants screens the power plants as before,
gives the steel works no power-sector flag and no power check's "could not check" row, and
where a sector has no checks selected the manifest says so (its enterprises were not
screened, and are not ranked as if clean)."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.checks import REGISTRY
from workbench.checks.registry import Check
from workbench.creditcode import check_character
from workbench.dataset import Dataset
from workbench.screen import screen

STEEL = "91320100MA1XY7T20"
STEEL += check_character(STEEL)


def _with_a_steel_works(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` plus one steel enterprise with a blast furnace depositing every month."""
    t = dict(tables)
    ents = t["enterprises"]
    t["enterprises"] = pd.concat([ents, pd.DataFrame([{
        "enterprise_id": STEEL, "enterprise_name": "示范钢铁有限公司", "province": "江苏",
        "city": "南京市", "industry_code": "steel", "verifier_name": None}])],
        ignore_index=True).astype(ents.dtypes)
    units = t["units"]
    furnace = pd.DataFrame([{"unit_id": "STEEL-BF1", "enterprise_id": STEEL,
                             "unit_category_code": "ironmaking", "design_capacity_kt": 3200.0}])
    t["units"] = pd.concat([units, furnace], ignore_index=True)[units.columns]
    monthly = t["monthly_parameters"]
    periods = sorted(monthly["period"].unique())
    rows = pd.DataFrame([{"unit_id": "STEEL-BF1", "period": p, "parameter_code": code,
                          "value": value, "unit": unit, "source_code": "measured",
                          "report_id": None,
                          "submitted_at": pd.Timestamp(f"{p}-01") + pd.DateOffset(months=1,
                                                                                   days=20),
                          "revision": 0, "original_value": None, "original_unit": None}
                         for p in periods
                         for code, value, unit in (("hot_metal_output_t", 250_000.0, "t"),
                                                   ("bfg_generated_1e4nm3", 38_000.0, "万Nm3"),
                                                   ("co2_t", 300_000.0, "t"))])
    t["monthly_parameters"] = pd.concat([monthly, rows.astype(monthly.dtypes)],
                                        ignore_index=True)
    return t


def _power_only(monkeypatch) -> None:
    """Screen with the power sector's checks only (as if steel had none)."""
    from workbench import screen as screen_module

    every = screen_module.select_checks
    monkeypatch.setattr(screen_module, "select_checks", lambda scope=None: [
        c for c in every(scope) if c.sectors == ("power",)])


def test_power_checks_leave_a_steel_works_alone_and_steel_checks_screen_it(clean_tables,
                                                                          tmp_path):
    Dataset(tmp_path / "power").append(clean_tables, log_entry={"source": "test"}, stamp=False)
    alone = screen(tmp_path / "power", tmp_path / "out-power")
    Dataset(tmp_path / "mixed").append(_with_a_steel_works(clean_tables),
                                       log_entry={"source": "test"}, stamp=False)
    mixed = screen(tmp_path / "mixed", tmp_path / "out-mixed")
    flags = pd.read_parquet(tmp_path / "out-mixed" / "flags.parquet")
    cover = pd.read_parquet(tmp_path / "out-mixed" / "coverage.parquet")
    steel_checks = {cid for cid, c in REGISTRY.items() if "steel" in c.sectors}
    assert set(flags.loc[flags["enterprise_id"] == STEEL, "check_id"]) <= steel_checks
    assert set(cover.loc[cover["enterprise_id"] == STEEL, "check_id"]) <= steel_checks
    # the works files no crude steel: the enterprise identity says it could not check it
    assert "accounting.steel_enterprise_identity" in set(
        cover.loc[cover["enterprise_id"] == STEEL, "check_id"])
    assert mixed["sectors_without_checks"] == {} == alone["sectors_without_checks"]
    before = pd.read_parquet(tmp_path / "out-power" / "flags.parquet")
    assert len(flags[flags["enterprise_id"] != STEEL]) == len(before)   # power as before


def test_a_sector_without_checks_is_named_in_the_manifest(clean_tables, tmp_path,
                                                          monkeypatch):
    _power_only(monkeypatch)
    Dataset(tmp_path / "mixed").append(_with_a_steel_works(clean_tables),
                                       log_entry={"source": "test"}, stamp=False)
    mixed = screen(tmp_path / "mixed", tmp_path / "out-mixed")
    flags = pd.read_parquet(tmp_path / "out-mixed" / "flags.parquet")
    assert STEEL not in set(flags["enterprise_id"])
    assert mixed["sectors_without_checks"] == {"steel": 1}


def test_a_check_names_the_sectors_it_applies_to():
    from workbench import schema

    sectors = {s for c in REGISTRY.values() for s in c.sectors}
    assert sectors == set(schema.INDUSTRY_CODES)       # every sector has checks
    for industry in ("steel", "cement", "aluminium"):
        own = [c for c in REGISTRY.values() if c.sectors == (industry,)]
        assert any(c.family == "accounting" and c.severity == "critical" for c in own), industry
    spec = next(iter(REGISTRY.values()))
    with pytest.raises(ValueError, match="sectors"):
        Check(**{**{f: getattr(spec, f) for f in spec.__dataclass_fields__},
                 "sectors": ("shipping",)})


def test_a_works_no_check_screens_is_not_ranked_and_its_card_says_so(clean_tables, tmp_path,
                                                                       monkeypatch):
    from widgets.header import card_html
    from workbench.enterprise_card import enterprise_card
    from workbench.review import ReviewData

    _power_only(monkeypatch)
    Dataset(tmp_path / "mixed").append(_with_a_steel_works(clean_tables),
                                       log_entry={"source": "test"}, stamp=False)
    review = ReviewData.open(tmp_path / "mixed")
    assert STEEL not in set(review.risk["enterprise_id"])       # not ranked as if clean
    assert len(review.risk) == len(clean_tables["enterprises"])
    card = card_html(enterprise_card(review, STEEL), "zh-CN")
    assert "未筛查，不参与风险排名" in card and "风险排名 " not in card
    assert "STEEL-BF1（炼铁工序 · 3,200 kt/a）" in card and "nan" not in card
    power = review.risk.sort_values("rank")["enterprise_id"].iloc[0]
    assert f"风险排名 1/{len(review.risk)}" in card_html(enterprise_card(review, power), "zh-CN")
