"""Digit tests: Benford's law at population level, round numbers per enterprise.

Benford first-digit and first-two-digit tests with Nigrini's MAD conformity
classes run over a population (a province's monthly coal consumption), never
over one enterprise's few dozen numbers: below
``checks.benford_min_n`` values the test refuses to conclude, and says so
with a "not concluded" info row (score 0).  Like IDEA, only
values ≥ 10 are tested.  A population flag has no enterprise; it names the
population in ``evidence``.

Round-number test: an enterprise whose filed coal consumption ends in 0 (to the
tonne) far more often than one time in ten was probably typing estimates.

Source: Nigrini (2012) MAD cut-offs as in R benford.analysis; CaseWare IDEA
digit tests; practices notes A.1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

#: Nigrini MAD cut-offs: (close, acceptable, marginal) upper bounds; above = nonconformity.
NIGRINI = {"first": (0.006, 0.012, 0.015), "first_two": (0.0012, 0.0018, 0.0022)}


def benford_expected(test: str) -> pd.Series:
    """Benford proportions of first digits (1-9) or first two digits (10-99)."""
    d = np.arange(1, 10) if test == "first" else np.arange(10, 100)
    return pd.Series(np.log10(1 + 1 / d), index=d)


def leading_digits(values: pd.Series, test: str) -> pd.Series:
    """First (or first two) significant digits of values ≥ 10."""
    v = values[values >= 10].astype(float)
    exp = np.floor(np.log10(v))
    k = 0 if test == "first" else 1
    return np.floor(v / 10 ** (exp - k)).astype(int)


def benford_mad(values: pd.Series, test: str) -> tuple[float, int, str]:
    """(MAD, N, Nigrini class) of ``values`` against Benford."""
    digits = leading_digits(values, test)
    n = len(digits)
    expected = benford_expected(test)
    observed = digits.value_counts(normalize=True).reindex(expected.index, fill_value=0.0)
    mad = float((observed - expected).abs().mean()) if n else float("nan")
    close, acceptable, marginal = NIGRINI[test]
    cls = ("close" if mad <= close else "acceptable" if mad <= acceptable
           else "marginal" if mad <= marginal else "nonconformity")
    return mad, n, cls


def _population_row(code: str, evidence: str, **numbers: float) -> dict:
    """A flag about a population (no enterprise, unit or period)."""
    return {"enterprise_id": "", "unit_id": "", "period": "", "parameter_code": code,
            "evidence": evidence, **numbers}


@check(id="digits.benford", family="digits", subject="population", severity="info", basis="statistical",
       title_zh="数字分布不符合本福特定律", title_en="Digits do not follow Benford's law",
       message_zh="本福特检验 {evidence}",
       message_en="Benford test {evidence}",
       needs=("monthly:coal_consumption_t",), scope="population",
       config_keys=("checks.benford_min_n", "checks.benford_min_n_first_two"),
       rationale="Naturally occurring amounts follow Benford's law; a province's or lab's "
                 "numbers that do not were possibly made up. A population prompt, not a verdict.",
       rationale_zh="自然形成的数量服从本福特定律；某省或某检测机构的数据不服从，可能是编造的。这"
                    "只是对总体的提示，不是结论。",
       source="Nigrini (2012); practices notes A.1")
def benford(x: Inputs, cfg: dict) -> pd.DataFrame:
    m = x.monthly
    c = cfg["checks"]
    min_n = {"first": c["benford_min_n"], "first_two": c["benford_min_n_first_two"]}
    rows = []
    # amounts spanning orders of magnitude only: coal by province (carbon content or NCV
    # live in narrow bands and are not Benford quantities)
    populations = [("province", p, "coal_consumption_t", g["coal_consumption_t"])
                   for p, g in m.groupby("province")]
    for kind, name, code, values in populations:
        for test in ("first", "first_two"):
            mad, n, cls = benford_mad(values.dropna(), test)
            if n < min_n[test]:
                rows.append(_population_row(code, f"{kind}={name} · {test} digit · N={n} < "
                                                  f"{min_n[test]}: 不下结论 / not concluded",
                                            observed=float(n), expected_low=float(min_n[test]),
                                            score=0.0))
            elif cls == "nonconformity":
                bound = NIGRINI[test][2]
                rows.append(_population_row(
                    code, f"{kind}={name} · {test} digit · N={n} · MAD {mad:.4f} > {bound} "
                          "(Nigrini: 不符合 / nonconformity)",
                    observed=mad, expected_high=bound, score=mad / bound))
    return pd.DataFrame(rows)


@check(id="digits.round_numbers", family="digits", subject="enterprise", severity="info", basis="statistical",
       title_zh="耗煤量尾数过多为整", title_en="Too many round coal figures",
       message_zh="{observed:.0%} 的月度耗煤量是整十吨（正常约10%）",
       message_en="{observed:.0%} of monthly coal figures are whole tens of tonnes "
                  "(about 10% expected)",
       needs=("monthly:coal_consumption_t",),
       config_keys=("checks.round_number_share", "checks.round_number_min_t",
                    "checks.round_number_min_months"),
       rationale="Weighed coal rarely lands on round tens; many round figures suggest estimates "
                 "typed in rather than measured.",
       rationale_zh="过磅称重的煤量很少恰好是十的整数倍；大量整数说明数据是估算后录入的，而非实际"
                    "计量。",
       source="IDEA last-digit tests; practices notes A.1")
def round_numbers(x: Inputs, cfg: dict) -> pd.DataFrame:
    c = cfg["checks"]
    m = x.monthly[x.monthly["coal_consumption_t"] >= c["round_number_min_t"]]
    is_round = (m["coal_consumption_t"] % 10).abs() < 1e-9
    g = is_round.groupby(m["enterprise_id"]).agg(["mean", "count"])
    hit = (g["mean"] > c["round_number_share"]) & (g["count"] >= c["round_number_min_months"])
    rows = g[hit].reset_index().assign(unit_id="", period="")
    return flag_rows(rows, "coal_consumption_t", rows["mean"], 0.1, score=rows["mean"] / 0.1)
