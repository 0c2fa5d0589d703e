"""Evidence checks on lab reports: dates, batches, reuse, accreditation.

Source: the MEE typical cases of March 2022 (中碳能投 altered sample, test
and report dates and turned one batch into monthly reports; 辽宁东煤 issued
month-by-month reports with false dates for batch back-testing), the rule
that reports come from CMA/CNAS labs within 40 days of month end
(环办气候函〔2022〕111号); domain notes §3 and §7 checks 6, 7 and 8.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.checks.inputs import Inputs
from workbench.checks.registry import check, flag_rows

_DATES = ("sampling_start_date", "sampling_end_date", "received_date", "test_date",
          "report_date")
#: CMA certificate numbers are 12 digits; CNAS laboratory numbers are L + 4-5 digits.
ACCREDITATION_PATTERN = r"(?:CMA\s*)?\d{12}|CNAS\s*L\d{4,5}"


def _evidence(rows: pd.DataFrame) -> pd.Series:
    return rows["report_id"].astype(str) + " · " + rows["lab_name"].astype(str)


@check(id="evidence.date_order", sectors=schema.INDUSTRY_CODES, family="evidence", subject="lab_report", value_unit="d", severity="critical",
       title_zh="检测报告日期顺序不合理", title_en="Lab report dates out of order",
       message_zh="采样、收样、检测、报告日期顺序不成立（{evidence}）",
       message_en="sampling, receipt, test and report dates are out of order ({evidence})",
       needs=("labs",),
       rationale="A report dated before its sample was taken or received cannot be genuine; "
                 "altered dates are how batch back-tests were disguised as monthly tests.",
       rationale_zh="检测报告日期早于采样日期或收样日期，报告不可能真实；篡改日期正是把批量补测伪"
                    "装成月度检测的手法。",
       source="MEE typical cases 2022 (中碳能投, 辽宁东煤); domain notes §7 check 6")
def date_order(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    bad = pd.Series(False, index=lab.index)
    for a, b in zip(_DATES, _DATES[1:], strict=False):
        bad |= lab[a] > lab[b]
    rows = lab[bad]
    lag = (rows["report_date"] - rows["sampling_end_date"]).dt.days
    return flag_rows(rows, "", lag, None, 0.0, None, score=5.0,
                     evidence=_evidence(rows) + " · 报告日−采样结束 " + lag.astype(str)
                     + " d / report − sampling end " + lag.astype(str) + " d")


@check(id="evidence.report_deadline", sectors=schema.INDUSTRY_CODES, family="evidence", subject="lab_report", value_unit="d", severity="critical",
       title_zh="检测报告超过月后40天", title_en="Lab report after the 40-day deadline",
       message_zh="报告在月末后 {observed:.0f} 天出具（期限 {expected_high:.0f} 天）",
       message_en="report issued {observed:.0f} days after month end (deadline "
                  "{expected_high:.0f})",
       needs=("labs",), config_keys=("policy.lab_report_deadline_days",),
       rationale="Reports long after the month are the other face of batch back-testing.",
       rationale_zh="月后很久才出具的检测报告，是批量补测的另一种表现。",
       source="环办气候函〔2022〕111号 (reports within 40 days of month end)")
def report_deadline(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    month_end = pd.to_datetime(lab["period"] + "-01") + pd.offsets.MonthEnd(0)
    days = (lab["report_date"] - month_end).dt.days
    limit = cfg["policy"]["lab_report_deadline_days"]
    hit = days > limit
    rows = lab[hit]
    return flag_rows(rows, "", days[hit], None, None, float(limit),
                     score=days[hit] / limit, evidence=_evidence(rows))


def _running_number(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split ids into (prefix, trailing number); ids without a number get NaN."""
    parts = ids.astype(str).str.extract(r"^(.*?)(\d+)$")
    return parts[0], pd.to_numeric(parts[1], errors="coerce")


@check(id="evidence.batch_backtesting", family="evidence", subject="lab_report", severity="critical",
       title_zh="疑似批量补测冒充月度检测", title_en="Monthly reports look like one batch",
       message_zh="连续 {observed:.0f} 个月的报告{evidence}",
       message_en="{observed:.0f} consecutive months' reports {evidence}",
       needs=("labs",), scope="population",
       config_keys=("checks.batch_min_reports", "checks.batch_report_days",
                    "checks.batch_rate_factor"),
       rationale="Labs number reports (and samples) as they issue them, one running number "
                 "for all their clients. One unit's monthly reports numbered back to back while "
                 "the same lab's other reports say those numbers belong elsewhere in time (a "
                 "report dated in between, or an earlier one with a higher number) were "
                 "numbered together after the fact; reports of several months issued within days of each other were tested "
                 "together (the 辽宁东煤 case). Back-to-back numbers alone prove nothing: a lab "
                 "with one client numbers that way, so they count only when the lab's own other "
                 "reports contradict them.",
       rationale_zh="检测机构按出具顺序为报告（及样品）编号，所有委托方共用一个流水号。某机组各月"
                    "的报告编号前后紧挨，而同一检测机构的其他报告表明这些编号本应分属不同时间（中"
                    "间夹有日期居中的报告，或日期更早的报告编号反而更大），说明这些报告是事后一起"
                    "编号的；多个月份的报告在几天之内相继出具，说明样品是一起检测的（辽宁东煤案例"
                    "）。仅有连续编号并不能证明问题：只有一个委托方的检测机构本来就会连续编号，因"
                    "此只有当该机构自己的其他报告与之矛盾时才计入。",
       source="MEE typical cases 2022; domain notes §3.4 and §7 check 6")
def batch_backtesting(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs.sort_values(["unit_id", "period"])
    c = cfg["checks"]
    frames = []
    for id_col, label in (("report_id", "报告编号连号，与该机构编号顺序矛盾 / numbered in "
                                        "sequence against the lab's own numbering"),
                          ("sample_id", "样品编号连号，与该机构编号顺序矛盾 / sample numbers "
                                        "in sequence against the lab's own numbering")):
        prefix, num = _running_number(lab[id_col])
        same = (lab["unit_id"] == lab["unit_id"].shift()) & (prefix == prefix.shift())
        step = same & ((num - num.shift()).abs() == 1)
        runs = _run_ids(step, c["batch_min_reports"])
        contradicted = _contradicted_runs(lab, prefix, num, runs, c["batch_rate_factor"])
        frames.append(_flag_runs(lab, runs.where(runs.isin(contradicted)), label))
    days = (lab["report_date"] - lab["report_date"].shift()).dt.days.abs()
    close = (lab["unit_id"] == lab["unit_id"].shift()) & (days <= c["batch_report_days"])
    frames.append(_flag_runs(lab, _run_ids(close, c["batch_min_reports"]),
                             "在几天内集中出具 / issued within days of each other"))
    out = pd.concat(frames)
    if out.empty:
        return out
    return out.drop_duplicates(["unit_id", "period"])


def _run_ids(link: pd.Series, min_len: int) -> pd.Series:
    """Run number of each row in a run of at least ``min_len`` rows each linked to the one
    before (NaN outside such runs)."""
    link = link.fillna(False).astype(bool)
    run_id = (~link).cumsum()
    size = run_id.map(run_id.value_counts())
    return run_id.where(size >= min_len)


def _contradicted_runs(lab: pd.DataFrame, prefix: pd.Series, num: pd.Series,
                       runs: pd.Series, rate_factor: float) -> set:
    """Runs of back-to-back numbers that the same numbering (lab and year prefix)
    contradicts.  A lab numbers in the order it issues, so its other reports fix where the
    run's numbers belong in time: contradicted by another report dated inside the run's span
    (it would have taken a number between), one dated before the run with a higher number
    or after it with a lower one, or by the lab's issuing rate — its other reports advance
    so fast that the run's dates should span more than ``rate_factor`` times the numbers
    they do (reports for clients outside the dataset take numbers too)."""
    out = set()
    members = lab.assign(_prefix=prefix, _num=num, _run=runs).dropna(subset=["_run"])
    if members.empty:
        return out
    dated = lab.assign(_prefix=prefix, _num=num).dropna(subset=["_prefix", "_num",
                                                                  "report_date"])
    by_prefix = {p: (g["report_date"].to_numpy(), g["_num"].to_numpy(float), g.index)
                 for p, g in dated.groupby("_prefix")}
    for run, g in members.groupby("_run"):
        if g["_prefix"].iloc[0] not in by_prefix or g["report_date"].isna().any():
            continue
        dates, nums, idx = by_prefix[g["_prefix"].iloc[0]]
        other = ~np.isin(idx, g.index)
        lo, hi = g["report_date"].min().to_datetime64(), g["report_date"].max().to_datetime64()
        inside = (dates > lo) & (dates < hi)
        before_higher = (dates < lo) & (nums > g["_num"].max())
        after_lower = (dates > hi) & (nums < g["_num"].min())
        if (other & (inside | before_higher | after_lower)).any():
            out.add(run)
            continue
        d, n = dates[other], nums[other]
        span_days = (d.max() - d.min()) / np.timedelta64(1, "D") if len(d) >= 2 else 0.0
        if span_days > 0:
            per_day = (n.max() - n.min()) / span_days
            run_days = (hi - lo) / np.timedelta64(1, "D")
            if per_day * run_days > rate_factor * (g["_num"].max() - g["_num"].min()):
                out.add(run)
    return out


def _flag_runs(lab: pd.DataFrame, runs: pd.Series, label: str) -> pd.DataFrame:
    """Flag rows of the runs in ``runs`` (NaN = not in a run), observed = run length."""
    rows = lab[runs.notna()]
    size = runs[runs.notna()].map(runs.value_counts()).astype(float)
    return flag_rows(rows, "", size, score=5.0,
                     evidence=label + " · " + rows["report_id"].astype(str))


_RESULTS = ("carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
            "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_ar_gj_per_t")


@check(id="evidence.result_reused", family="evidence", subject="lab_report", value_unit="%", severity="critical",
       title_zh="同一检测结果重复使用", title_en="One lab result used more than once",
       message_zh="与 {evidence} 的全部检测值完全相同",
       message_en="every result identical to {evidence}",
       needs=("labs",), scope="population",
       rationale="Seven measured values of two different samples never agree to the last digit;"
                 " identical results were copied from another month or another plant.",
       rationale_zh="两个不同样品的七项实测值不可能每一位数字都相同；完全相同的结果是从其他月份或"
                    "其他电厂复制来的。",
       source="domain notes §3.4 and §7 check 7")
def result_reused(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    key = pd.util.hash_pandas_object(lab[list(_RESULTS)].round(6), index=False)
    dup = key.duplicated(keep=False)
    if not dup.any():
        return pd.DataFrame()
    g = lab[dup].assign(_key=key[dup]).sort_values(["_key", "period", "report_date", "report_id"])
    first = g.groupby("_key").head(1).set_index("_key")
    g = g.assign(_first_ent=g["_key"].map(first["enterprise_id"]),
                 _first_rep=g["_key"].map(first["report_id"]),
                 _other=g.groupby("_key")["report_id"].transform(lambda s: ", ".join(s)))
    # the earliest report of a group may be the genuine one: it is flagged as a warning
    # when the result reappears at another enterprise (both sides need a look), and not
    # at all when only the same enterprise reused it; every later copy is critical
    cross = g.groupby("_key")["enterprise_id"].transform("nunique") > 1
    is_first = g["report_id"] == g["_first_rep"]
    rows = g[~is_first | cross]
    rows = rows.assign(severity=np.where(is_first[rows.index], "warning", "critical"))
    return flag_rows(rows, "carbon_ar_pct", rows["carbon_ad_pct"], score=5.0,
                     evidence=rows["_other"])


@check(id="evidence.sample_id_reused", sectors=schema.INDUSTRY_CODES, family="evidence", subject="lab_report", severity="critical",
       title_zh="样品编号重复", title_en="Sample ID used by several reports",
       message_zh="样品编号被多份报告使用：{evidence}",
       message_en="sample ID used by several reports: {evidence}",
       needs=("labs",), scope="population",
       rationale="One sample yields one report; a sample ID on several reports means one "
                 "test was issued several times.",
       rationale_zh="一个样品只对应一份检测报告；同一样品编号出现在多份报告上，说明一次检测被重复"
                    "出具了多份报告。",
       source="domain notes §7 check 7")
def sample_id_reused(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    key = lab["lab_name"].astype(str) + "|" + lab["sample_id"].astype(str)
    dup = key.duplicated(keep=False)
    rows = lab[dup]
    others = key[dup].map(rows.groupby(key[dup])["report_id"].agg(", ".join))
    return flag_rows(rows, "", np.nan, score=5.0,
                     evidence=rows["sample_id"].astype(str) + ": " + others)


@check(id="evidence.accreditation", sectors=schema.INDUSTRY_CODES, family="evidence", subject="lab_report", severity="critical",
       title_zh="检测机构无有效CMA/CNAS资质编号", title_en="Lab without a valid CMA/CNAS number",
       message_zh="检测机构“{evidence}”未提供有效的CMA/CNAS资质编号",
       message_en="laboratory '{evidence}' gives no valid CMA/CNAS accreditation number",
       needs=("labs",),
       rationale="Monthly coal reports must come from CMA- or CNAS-accredited labs; an "
                 "unaccredited report is not valid evidence and the default value applies.",
       rationale_zh="月度燃煤检测报告必须由具有 CMA 或 CNAS 资质的检测机构出具；无资质"
                    "机构的报告不是有效证据，应按缺省值计算。",
       source="环办气候函〔2022〕111号; domain notes §7 check 8")
def accreditation(x: Inputs, cfg: dict) -> pd.DataFrame:
    lab = x.labs
    no = lab["lab_accreditation_no"].astype("string").str.strip()
    ok = no.str.fullmatch(ACCREDITATION_PATTERN).fillna(False).astype(bool)
    rows = lab[~ok]
    return flag_rows(rows, "", np.nan, score=5.0,
                     evidence=rows["lab_name"].astype(str))
