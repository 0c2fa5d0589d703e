"""The severity rule, corroboration and a risk score that rewards evidence, not volume."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.checks.registry import REGISTRY, Check
from workbench.config import load_config
from workbench.corroboration import corroborate
from workbench.risk import risk_table
from workbench.screen import empty_flags, select_checks

#: Checks the issue names as rule breaks that must be critical on their own.
RULE_BREAKS = ("accounting.co2_recompute", "accounting.carbon_identity",
               "accounting.basis_conversion", "accounting.default_as_measured",
               "evidence.date_order", "evidence.result_reused", "evidence.accreditation",
               "evidence.report_deadline", "timeliness.late_deposit",
               "consistency.energy_balance", "consistency.daily_sum")


def _flag(check_id: str, severity: str, unit: str = "U1", period: str = "2024-03",
          enterprise: str = "E1", score: float = 1.0, parameter: str = "carbon_ar_pct") -> dict:
    return {"check_id": check_id, "severity": severity, "enterprise_id": enterprise,
            "unit_id": unit, "period": period, "parameter_code": parameter, "score": score,
            "year": int(period[:4]),
            "evidence": "", "corroborated_by": "", "delta_co2_t": float("nan")}


def _flags(rows: list[dict]) -> pd.DataFrame:
    base = empty_flags()
    return pd.concat([base, pd.DataFrame(rows)], ignore_index=True).astype(base.dtypes)


def test_statistical_checks_are_never_critical_on_their_own():
    select_checks()
    statistical = [c for c in REGISTRY.values() if c.basis == "statistical"]
    assert {c.family for c in statistical} >= {"timeseries", "peers", "digits"}
    assert all(c.severity != "critical" for c in statistical)
    with pytest.raises(ValueError, match="statistical"):
        Check(id="x.y", family="peers", severity="critical", title_zh="", title_en="",
              message_zh="", message_en="", needs=(), rationale="", source="",
              fn=lambda x, cfg: pd.DataFrame(), basis="statistical")


def test_rule_breaks_are_critical():
    select_checks()
    for cid in RULE_BREAKS:
        assert REGISTRY[cid].basis == "rule" and REGISTRY[cid].severity == "critical", cid


def test_a_statistical_flag_alone_stays_a_warning_even_if_its_check_said_critical():
    f = corroborate(_flags([_flag("timeseries.unit_level_shift", "critical")]), REGISTRY)
    assert list(f["severity"]) == ["warning"] and list(f["corroborated_by"]) == [""]


def test_a_rule_break_on_the_same_unit_month_corroborates_and_is_named():
    f = corroborate(_flags([_flag("timeseries.unit_level_shift", "warning"),
                            _flag("consistency.daily_sum", "critical")]), REGISTRY)
    shift = f[f["check_id"] == "timeseries.unit_level_shift"].iloc[0]
    assert shift["severity"] == "critical"
    assert shift["corroborated_by"] == "consistency.daily_sum"


def test_another_statistical_family_corroborates_but_the_same_family_does_not():
    same = corroborate(_flags([_flag("timeseries.unit_level_shift", "warning"),
                               _flag("timeseries.change", "warning")]), REGISTRY)
    assert set(same["severity"]) == {"warning"}
    other = corroborate(_flags([_flag("timeseries.unit_level_shift", "warning"),
                                _flag("peers.carbon_ncv_regression", "warning")]), REGISTRY)
    assert set(other["severity"]) == {"critical"}
    assert set(other["corroborated_by"]) == {"peers.carbon_ncv_regression",
                                             "timeseries.unit_level_shift"}
    cc = corroborate(_flags([_flag("timeseries.unit_level_shift", "warning",
                                   parameter="cc_tc_per_gj"),
                             _flag("peers.carbon_ncv_regression", "warning")]), REGISTRY)
    assert set(cc["severity"]) == {"critical"}


def test_statistical_oddities_about_different_quantities_do_not_corroborate():
    f = corroborate(_flags([_flag("timeseries.change", "warning",
                                  parameter="coal_consumption_t"),
                            _flag("consistency.fuel_triangle", "warning", parameter="co2_t")]),
                    REGISTRY)
    assert set(f["severity"]) == {"warning"}


def test_evidence_elsewhere_does_not_corroborate():
    """A rule break in another month or another unit, a range warning on the same month, or
    an annual flag say nothing about this unit-month."""
    f = corroborate(_flags([
        _flag("timeseries.unit_level_shift", "warning"),
        _flag("consistency.daily_sum", "critical", period="2024-04"),
        _flag("consistency.daily_sum", "critical", unit="U2"),
        _flag("ranges.ncv_gj_per_t", "warning"),
        _flag("peers.unit_vs_peers", "warning", period="2024")
        | {"period": "", "year": 2024},
    ]), REGISTRY)
    shift = f[f["check_id"] == "timeseries.unit_level_shift"].iloc[0]
    assert shift["severity"] == "warning" and shift["corroborated_by"] == ""
    assert f.loc[f["check_id"] == "peers.unit_vs_peers", "severity"].item() == "warning"


def _monthly(enterprises: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"enterprise_id": enterprises, "unit_id": "U1", "period": "2024-03",
                         "co2_t": 1e5})


def test_many_warnings_of_one_check_on_one_unit_do_not_outrank_one_rule_break():
    cfg = load_config()
    noisy = [_flag("timeseries.unit_level_shift", "warning", enterprise="NOISY",
                   period=f"2024-{m:02d}", score=50.0) for m in range(1, 13)]
    broken = [_flag("evidence.accreditation", "critical", enterprise="BROKEN", score=1.0)]
    risk = risk_table(_flags(noisy + broken), _monthly(["NOISY", "BROKEN"]), cfg)
    assert list(risk["enterprise_id"]) == ["BROKEN", "NOISY"]
    noisy_score = risk.set_index("enterprise_id").at["NOISY", "risk_score"]
    assert noisy_score <= cfg["risk"]["check_cap"]["warning"]


def test_repeated_flags_of_one_check_saturate_but_other_checks_add():
    cfg = load_config()
    one = risk_table(_flags([_flag("evidence.accreditation", "critical")]), _monthly(["E1"]),
                     cfg)["risk_score"].item()
    many = risk_table(_flags([_flag("evidence.accreditation", "critical",
                                    period=f"2024-{m:02d}") for m in range(1, 13)]),
                      _monthly(["E1"]), cfg)["risk_score"].item()
    two = risk_table(_flags([_flag("evidence.accreditation", "critical"),
                             _flag("evidence.date_order", "critical")]), _monthly(["E1"]),
                     cfg)["risk_score"].item()
    assert one < many <= 2 * one
    assert two == pytest.approx(2 * one)


def test_risk_still_explains_itself_per_family():
    cfg = load_config()
    risk = risk_table(_flags([_flag("evidence.accreditation", "critical"),
                              _flag("timeseries.unit_level_shift", "warning")]),
                      _monthly(["E1"]), cfg)
    row = risk.iloc[0]
    assert row["contrib_evidence"] > row["contrib_timeseries"] > 0
    assert row["risk_score"] == pytest.approx(row["contrib_evidence"] + row["contrib_timeseries"])
    assert row["top_reasons"].startswith("evidence.accreditation")
