"""Coal labs and their reports: who tests each unit's monthly sample, when, under which number.

* Labs: a few CMA-accredited coal labs per province plus three national ones; each
  has a 12-digit CMA number, a typical turnaround and its other clients (coal
  traders, steel, cement), who keep its counters moving between our reports.
* Each enterprise sends its samples to one lab, some (30 %) to two: its units
  split between them, or a switch of lab during the two years.
* Each coal unit-month that burnt coal has one monthly composite sample: sampled
  over the month, received 1-6 days after month end, tested, reported after the
  lab's turnaround.  An enterprise's samples of one month travel and are reported
  together.
* Numbering: a lab has ONE running report number per year across all its clients,
  issued in report-date order (``SXMZ02-2024-00317``); sample numbers run likewise
  in receipt order (``SXMZ02-24S01234``).  Our reports take their place in that
  stream: between two of them the lab issued reports to others.
* Results: the true monthly analysis (:mod:`.months`) rounded as labs report it;
  NCV is computed from the reported gross CV, H and moisture (GB/T 213) and C_ar
  from C_ad, M_t and M_ad (GB/T 483), so a report is internally consistent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.accounting import power

#: GB/T 2260 letter codes of the provinces, used in lab codes.
PROVINCE_LETTERS = {"黑龙江": "HL", "吉林": "JL", "辽宁": "LN", "内蒙古": "NM", "北京": "BJ",
                    "天津": "TJ", "河北": "HE", "山西": "SX", "山东": "SD", "河南": "HA",
                    "江苏": "JS", "浙江": "ZJ", "安徽": "AH", "湖北": "HB", "福建": "FJ",
                    "广东": "GD"}
_LAB_WORDS = ("正衡", "科鉴", "信谱", "诚检", "德源", "晟测", "谱华", "衡准", "金标", "中检",
              "华鉴", "精诚", "博测", "远谱")
NATIONAL_LABS = 3
ENTERPRISES_PER_LAB = 8
#: Latest report day after month end in clean data (the rule allows 40).
REPORT_DEADLINE_DAYS = 32
RESULT_COLUMNS = ("carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
                  "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_ar_gj_per_t",
                  "carbon_ar_pct")


def network(ents: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The labs: code, name, CMA number, province ("" = national), turnaround, other clients."""
    rows = []
    words = list(rng.permutation(_LAB_WORDS))
    for k in range(NATIONAL_LABS):
        rows.append({"lab_code": f"CNMZ{k + 1:02d}", "province": "",
                     "lab_name": f"{words[k % len(words)]}检验检测（集团）有限公司",
                     "prov2": "00"})
    for province in sorted(ents["province"].unique()):
        n = max(1, int(np.ceil((ents["province"] == province).sum() / ENTERPRISES_PER_LAB)))
        for k in range(n):
            word = words[(NATIONAL_LABS + len(rows) + k) % len(words)]
            branch = "" if k == 0 else f"第{k + 1}分公司"
            prov2 = ents.loc[ents["province"] == province, "province_code"].iloc[0]
            rows.append({"lab_code": PROVINCE_LETTERS[province] + f"MZ{k + 1:02d}",
                         "province": province, "prov2": prov2,
                         "lab_name": f"{province}{word}煤质检测有限公司{branch}"})
    labs = pd.DataFrame(rows)
    n = len(labs)
    labs["lab_accreditation_no"] = [f"{y:02d}{p}{d:08d}" for y, p, d in zip(
        rng.integers(15, 24, n), labs["prov2"], rng.integers(0, 10**8, n), strict=True)]
    labs["turnaround_days"] = rng.uniform(3.0, 10.0, n)
    labs["others_per_day"] = rng.uniform(1.0, 6.0, n)
    return labs.drop(columns="prov2")


def assign(w: pd.DataFrame, ents: pd.DataFrame, labs: pd.DataFrame,
           rng: np.random.Generator) -> pd.Series:
    """The lab code of every row of ``w`` (its unit's lab that month)."""
    local = {p: labs.loc[labs["province"] == p, "lab_code"].tolist() for p in labs["province"]}
    national = labs.loc[labs["province"] == "", "lab_code"].tolist()
    first, second, split, switch = {}, {}, {}, {}
    periods = sorted(w["period"].unique())
    for e in ents.itertuples():
        own = local.get(e.province, [])
        primary = (str(rng.choice(own)) if own and rng.random() < 0.75
                   else str(rng.choice(national)))
        first[e.enterprise_id] = primary
        if rng.random() < 0.3:
            others = [c for c in own + national if c != primary]
            second[e.enterprise_id] = str(rng.choice(others))
            split[e.enterprise_id] = rng.random() < 0.5
            switch[e.enterprise_id] = periods[int(rng.integers(3, len(periods) - 3))]
    ent = w["enterprise_id"]
    lab = ent.map(first)
    has2 = ent.isin(second)
    multi = w.groupby("enterprise_id")["unit_id"].transform("nunique") > 1
    by_unit = has2 & ent.map(split).fillna(False).astype(bool) & multi
    by_time = has2 & ~by_unit
    even = w["unit_no"] % 2 == 0
    later = w["period"] >= ent.map(switch).fillna("9999-99")
    use2 = (by_unit & even) | (by_time & later)
    return lab.where(~use2, ent.map(second))


def reports(w: pd.DataFrame, rows: pd.Index, labs: pd.DataFrame,
            rng: np.random.Generator) -> pd.DataFrame:
    """One report per row of ``w`` in ``rows``: dates, rounded results, report and sample ids."""
    s = w.loc[rows, ["enterprise_id", "unit_id", "period", "month_end", "lab_code"]].copy()
    month_start = pd.to_datetime(s["period"] + "-01")
    batch = s[["enterprise_id", "period", "lab_code"]].drop_duplicates()
    nb = len(batch)
    tat = batch["lab_code"].map(labs.set_index("lab_code")["turnaround_days"]).to_numpy()
    end = pd.to_datetime(batch["period"] + "-01") + pd.offsets.MonthEnd(0)
    late_start = rng.random(nb) < 0.2
    early_end = rng.random(nb) < 0.2
    sample_end = end - pd.to_timedelta(early_end.astype(int), unit="D")
    received = sample_end + pd.to_timedelta(1 + np.minimum(rng.poisson(1.5, nb), 5), unit="D")
    test = received + pd.to_timedelta(rng.integers(0, 3, nb), unit="D")
    report = test + pd.to_timedelta(1 + rng.poisson(np.maximum(tat - 1.0, 0.5)), unit="D")
    report = report.where(report <= end + pd.Timedelta(days=REPORT_DEADLINE_DAYS),
                          end + pd.Timedelta(days=REPORT_DEADLINE_DAYS))
    test = test.where(test <= report, report)
    dates = pd.DataFrame({"late_start": late_start, "sampling_end_date": sample_end.to_numpy(),
                          "received_date": received.to_numpy(), "test_date": test.to_numpy(),
                          "report_date": report.to_numpy()}, index=batch.index)
    key = ["enterprise_id", "period", "lab_code"]
    s = s.merge(pd.concat([batch, dates], axis=1), on=key, how="left").set_index(rows)
    s["sampling_start_date"] = month_start.to_numpy() + pd.to_timedelta(
        s.pop("late_start").astype(int).to_numpy(), unit="D")
    s = pd.concat([s, results(w.loc[rows])], axis=1)
    s["report_id"] = number(s, labs, "report_date", "-{year}-", rng)
    s["sample_id"] = number(s, labs, "received_date", "-{yy}S", rng)
    s["lab_name"] = s["lab_code"].map(labs.set_index("lab_code")["lab_name"])
    s["lab_accreditation_no"] = s["lab_code"].map(labs.set_index("lab_code")[
        "lab_accreditation_no"])
    return s.drop(columns=["month_end"])


def unmeasured(w: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Coal unit-months lawfully filed with the default CC: no sample was tested (sample lost,
    lab late).  About 6 % of coal enterprises, 1-3 months each; True on those rows."""
    coal = (w["family"] == "coal").to_numpy()
    ents = np.array(sorted(w.loc[coal, "enterprise_id"].unique()))
    users = ents[rng.random(len(ents)) < 0.06]
    out = pd.Series(False, index=w.index)
    for e in users:
        rows = w.index[(w["enterprise_id"] == e) & (w["coal_consumption_t"] > 0)]
        if len(rows):
            out[rng.choice(rows, min(len(rows), int(rng.integers(1, 4))), replace=False)] = True
    return out


def results(w: pd.DataFrame) -> pd.DataFrame:
    """The month's true analysis rounded as a lab reports it, with NCV and C_ar recomputed."""
    m_t = np.round(w["true_m_t"].to_numpy(), 1)
    m_ad = np.round(w["true_m_ad"].to_numpy(), 2)
    h_ad = np.round(w["true_h_ad"].to_numpy(), 2)
    c_ad = np.round(w["true_c_ad"].to_numpy(), 2)
    gross = np.round(w["true_q_gr_ad"].to_numpy(), 3)
    out = pd.DataFrame({"carbon_ad_pct": c_ad, "total_moisture_pct": m_t,
                        "moisture_ad_pct": m_ad, "hydrogen_ad_pct": h_ad,
                        "sulfur_total_pct": np.round(w["true_s_d"].to_numpy(), 2),
                        "gross_cv_ad_mj_per_kg": gross}, index=w.index)
    return recompute(out)


def recompute(lab: pd.DataFrame) -> pd.DataFrame:
    """NCV (GB/T 213) and C_ar (GB/T 483) of reports from their other results (in place)."""
    lab["ncv_ar_gj_per_t"] = np.round(power.ncv_ar_from_gross_ad(
        lab["gross_cv_ad_mj_per_kg"], lab["hydrogen_ad_pct"], lab["total_moisture_pct"],
        lab["moisture_ad_pct"]), 3)
    lab["carbon_ar_pct"] = np.round(power.carbon_ar_from_ad(
        lab["carbon_ad_pct"], lab["total_moisture_pct"], lab["moisture_ad_pct"]), 2)
    return lab


def number(s: pd.DataFrame, labs: pd.DataFrame, date_col: str, infix: str,
           rng: np.random.Generator) -> pd.Series:
    """Running numbers per lab and year in ``date_col`` order, with other clients in between.

    ``infix`` is formatted with the year (``{year}``, ``{yy}``); an enterprise's
    reports of one day are consecutive, between two of its batches the lab
    issued about ``others_per_day`` × days reports to others.
    """
    order = s.sort_values([date_col, "enterprise_id", "unit_id"]).index
    d = s.loc[order]
    year = d[date_col].dt.year
    rate = d["lab_code"].map(labs.set_index("lab_code")["others_per_day"]).to_numpy()
    group = [d["lab_code"], year]
    prev_date = d.groupby(group)[date_col].shift()
    prev_ent = d.groupby(group)["enterprise_id"].shift()
    start_of_year = pd.to_datetime(year.astype(str) + "-01-01")
    days = ((d[date_col] - prev_date.fillna(start_of_year)).dt.days).to_numpy()
    same_batch = (prev_ent == d["enterprise_id"]) & (prev_date == d[date_col])
    others = np.where(same_batch, 0, rng.poisson(rate * days + 0.3))
    seq = pd.Series(1 + others, index=order).groupby([d["lab_code"], year]).cumsum()
    text = [code + infix.format(year=y, yy=f"{y % 100:02d}") + f"{n:05d}"
            for code, y, n in zip(d["lab_code"], year, seq, strict=True)]
    return pd.Series(text, index=order).reindex(s.index)
