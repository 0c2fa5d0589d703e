"""Code labels: each code column accepts its own Chinese labels (and only those), stores the code,
records the label used, and quarantines unknown labels naming the codes and labels accepted."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import COAL_MONTH, E1, E2, credit_code, lab_report, quarantine, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import schema
from workbench.dataset import Dataset
from workbench.ingest import import_files, parse
from workbench.ingest.existing import Existing, Known
from workbench.ingest.headers import map_headers
from workbench.ingest.readers import make_sheet
from workbench.ingest.validate import Part, check

#: Every code and yes/no column of the contract, as (table, column).
CODE_COLUMNS = [(t.name, c.name) for t in schema.TABLES.values() for c in t.columns
                if c.codes is not None or c.kind == "bool"]

#: The labels platform exports write (the real-data exports use exactly these), by column.
EXPORT_LABELS = {
    ("annual_reports", "verification_conclusion"): {
        "符合": "pass", "通过": "pass", "合格": "pass", "核查通过": "pass", "符合要求": "pass",
        "基本符合": "pass_with_corrections", "基本合格": "pass_with_corrections",
        "整改后符合": "pass_with_corrections", "经整改符合": "pass_with_corrections",
        "有条件通过": "pass_with_corrections",
        "不符合": "fail", "不合格": "fail", "不通过": "fail", "未通过": "fail"},
    ("monthly_parameters", "source_code"): {
        "实测值": "measured", "实测": "measured", "检测值": "measured", "实测数据": "measured",
        "缺省值": "default", "缺省": "default", "默认值": "default", "推荐值": "default",
        "计算值": "calculated", "计算": "calculated", "核算值": "calculated",
        "估算值": "estimated", "估算": "estimated"},
    ("review_events", "event_code"): {
        "提交": "submitted", "已提交": "submitted", "报送": "submitted", "存证": "submitted",
        "退回": "returned", "驳回": "returned", "退回修改": "returned",
        "通过": "approved", "审核通过": "approved", "已通过": "approved", "确认": "approved"},
    ("review_events", "level_code"): {
        "市级": "city", "地市": "city", "市": "city", "省级": "province", "省": "province",
        "国家": "national", "国家级": "national", "生态环境部": "national"},
    ("units", "unit_category_code"): {
        "300MW等级以上常规燃煤机组": "coal_gt300", "300MW以上常规燃煤机组": "coal_gt300",
        "300MW等级及以下常规燃煤机组": "coal_le300",
        "燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）": "coal_unconventional",
        "燃煤矸石、煤泥、水煤浆等非常规燃煤机组(含燃煤循环流化床机组)": "coal_unconventional",
        "非常规燃煤机组": "coal_unconventional", "燃气机组": "gas",
        "300 MW等级以上常规燃煤机组": "coal_gt300", "烧结工序": "sintering",
        "转炉炼钢工序": "bof", "熟料生产线": "clinker_line", "电解系列": "potline",
        "钢铁企业层级": "steel_enterprise"},
    ("units", "clinker_type_code"): {"硅酸盐水泥熟料": "portland",
                                     "白色硅酸盐水泥熟料": "white_portland"},
    ("lab_reports", "sample_type_code"): {"煤样": "coal", "熟料": "clinker", "炭阳极": "anode",
                                          "阳极": "anode", "其他燃料": "fuel"},
    ("units", "fuel_code"): {
        "燃煤": "coal", "煤": "coal", "烟煤": "coal", "无烟煤": "coal", "褐煤": "coal",
        "煤矸石": "gangue_coal", "天然气": "natural_gas", "燃气": "natural_gas"},
    ("units", "cooling_code"): {"水冷": "water", "湿冷": "water", "空冷": "air", "干冷": "air"},
    ("units", "is_chp"): {"是": True, "否": False, "有": True, "无": False, "Y": True,
                          "N": False, "true": True, "false": False, "ＹＥＳ": True},
    ("enterprises", "industry_code"): {
        "发电": "power", "电力": "power", "发电行业": "power", "钢铁": "steel",
        "水泥": "cement", "电解铝": "aluminium", "铝冶炼": "aluminium"},
    ("monthly_parameters", "parameter_code"): {
        "燃煤消耗量": "coal_consumption_t", "负荷（出力）系数": "load_factor",
        "Load (output) factor": "load_factor", "排放量": "co2_t"},
    ("daily_parameters", "parameter_code"): {
        "燃煤消耗量": "coal_consumption_t", "发电量": "generation_mwh", "供电量": "supply_mwh"},
}

#: A dataset path that holds nothing: references are not what these checks are about.
NOWHERE = Path("/nonexistent/dataset")


def check_cells(table: str, column: str, cells: list[str]) -> tuple[pd.Series, pd.DataFrame]:
    """Validate ``cells`` in ``table.column`` (every other cell empty).

    Returns the canonical values and, per row, the rejections that concern ``column``
    (columns and reason texts; empty strings where the column was accepted).
    """
    names = schema.TABLES[table].column_names
    body = pd.DataFrame({n: cells if n == column else [""] * len(cells) for n in names},
                        dtype=str)
    body.index = range(2, 2 + len(cells))
    sheet = make_sheet(names, body, Path("t.csv"), "t.csv", table)
    part = Part(sheet, map_headers(table, sheet.headers, list(sheet.frame.columns)))
    checked = check(table, [part], Known(Existing(Dataset(NOWHERE))), 1000)
    summary = checked.issues.summary().reindex(range(len(cells)), fill_value="")
    reasons = pd.DataFrame({"zh": summary["reason_zh"], "en": summary["reason_en"]})
    concerns = summary["columns"].str.split("; ").map(lambda cols: column in cols)
    return checked.frame[column], reasons.where(concerns, "")


def canonical(column: schema.Column, code: str) -> object:
    """The value stored for ``code`` (True/False in a yes/no column)."""
    return code == "true" if column.kind == "bool" else code


@pytest.mark.parametrize(("table", "column"), list(EXPORT_LABELS), ids="{0[0]}.{0[1]}".format)
def test_export_labels_map_to_their_codes(table, column):
    labels = EXPORT_LABELS[(table, column)]
    values, rejected = check_cells(table, column, list(labels))
    assert rejected["en"].eq("").all(), rejected[rejected["en"] != ""]["en"].tolist()
    assert values.tolist() == list(labels.values())


def test_every_code_column_has_its_export_labels_tested():
    assert set(CODE_COLUMNS) == set(EXPORT_LABELS)


@pytest.mark.parametrize(("table", "column"), CODE_COLUMNS, ids="{0[0]}.{0[1]}".format)
def test_labels_of_other_columns_are_refused(table, column):
    col = schema.TABLES[table].column(column)
    own = parse.code_lookup(schema.code_labels(col))
    foreign = sorted({label for other, labels in schema.CODE_LABELS.items() if other != column
                      for names in labels.values() for label in names
                      if parse.label_key(label) not in own})
    _, rejected = check_cells(table, column, foreign)
    refused = "is not a yes/no value" if col.kind == "bool" else "is not a known code"
    assert rejected["en"].str.contains(refused).all(), [
        label for label, reason in zip(foreign, rejected["en"], strict=True) if not reason]


@pytest.mark.parametrize(("table", "column", "label", "code"), [
    ("annual_reports", "verification_conclusion", "通过", "pass"),
    ("review_events", "event_code", "通过", "approved"),
    ("annual_reports", "verification_conclusion", "提交", None),
    ("annual_reports", "verification_conclusion", "审核通过", None),
    ("review_events", "event_code", "符合", None),
    ("review_events", "level_code", "地市", "city"),
    ("enterprises", "industry_code", "市", None),
    ("units", "fuel_code", "燃气", "natural_gas"),
    ("units", "unit_category_code", "燃气", None),
    ("daily_parameters", "parameter_code", "供电量", "supply_mwh"),
    ("daily_parameters", "parameter_code", "收到基低位发热量", None),  # a monthly parameter
])
def test_a_label_counts_only_in_its_own_column(table, column, label, code):
    values, rejected = check_cells(table, column, [label])
    if code is None:
        assert pd.isna(values[0]) and f"'{label}' is not a known code" in rejected["en"][0]
    else:
        assert values[0] == code and rejected["en"][0] == ""


def test_unknown_labels_are_quarantined_naming_column_value_codes_and_labels(tmp_path, master):
    frame = pd.DataFrame({"统一社会信用代码": [E1, E2], "年度": ["2023", "2023"],
                          "报告排放量": ["100", "200"], "核查结论": ["符合", "基本满足"]})
    report = import_files([write_csv(tmp_path / "年度报告.csv", frame, "gbk")], master)
    assert report.tables["annual_reports"].quarantined == 1
    q = quarantine(report, "annual_reports")
    assert q["columns"].tolist() == ["verification_conclusion"]
    assert q["values"].tolist() == ["基本满足"]
    assert q["reason_zh"][0].startswith(
        "核查结论(verification_conclusion)：“基本满足”不是已知代码；可用：")
    assert "pass（符合、通过、合格…）、pass_with_corrections（基本符合、" in q["reason_zh"][0]
    assert "fail（不符合、" in q["reason_zh"][0]
    assert q["reason_en"][0].startswith(
        "verification_conclusion: '基本满足' is not a known code; accepted: "
        "pass (符合, 通过, 合格, …), pass_with_corrections (基本符合, ")
    assert "fail (不符合, " in q["reason_en"][0] and "docs/data-format.md" in q["reason_en"][0]


@pytest.mark.parametrize(("table", "column", "value", "names"), [
    ("units", "is_chp", "也许", ["is_chp: '也许' is not a yes/no value", "true (是, 有, Y, …)",
                                 "false (否, 无, N, …)"]),
    ("review_events", "level_code", "县级", ["level_code: '县级' is not a known code",
                                            "city (市级, 地市, 地市级, …)", "province (省级, 省)",
                                            "national (国家, 国家级, 生态环境部)"]),
    ("daily_parameters", "parameter_code", "热值", ["parameter_code: '热值'",
                                                   "supply_mwh (供电量, Electricity supplied)"]),
])
def test_unknown_label_reasons_list_what_the_column_accepts(table, column, value, names):
    _, rejected = check_cells(table, column, [value])
    for text in names:
        assert text in rejected["en"][0], rejected["en"][0]
    assert f"“{value}”" in rejected["zh"][0] and "可用：" in rejected["zh"][0]


def test_a_gbk_export_of_annual_reports_with_chinese_conclusions(tmp_path, master):
    frame = pd.DataFrame({
        "统一社会信用代码": [E1, E1, E2], "年度": ["2022", "2023", "2023"],
        "报告排放量(万吨)": ["120.5", "118.2", "30.1"], "核查排放量(万吨)": ["120.5", "119.0", ""],
        "核查机构": ["示范核查机构", "示范核查机构", "示范核查机构"],
        "核查结论": ["符合", " 基本符合 ", "不符合"],
        "分配配额": ["1200000", "1150000", ""], "清缴配额": ["", "", ""], "清缴日期": ["", "", ""]})
    path = write_csv(tmp_path / "年度排放报告.csv", frame, "gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    report = import_files([path], master)
    assert report.exit_code == 0, report.to_json()
    assert report.tables["annual_reports"].quarantined == 0
    stored = Dataset(master).read("annual_reports").set_index(["enterprise_id", "year"])
    assert stored["verification_conclusion"].to_dict() == {
        (E1, 2022): "pass", (E1, 2023): "pass_with_corrections", (E2, 2023): "fail"}
    assert stored.loc[(E1, 2023), "verified_co2_t"] == pytest.approx(1190000.0)
    recorded = [{"table": "annual_reports", "column": "verification_conclusion",
                 "label": label, "code": code, "rows": 1}
                for label, code in (("符合", "pass"), ("基本符合", "pass_with_corrections"),
                                    ("不符合", "fail"))]
    assert report.labels == recorded
    assert Dataset(master).manifest["imports"][-1]["labels"] == recorded
    assert ("  code labels: annual_reports.verification_conclusion 符合 -> pass (1 rows), "
            "基本符合 -> pass_with_corrections (1 rows), 不符合 -> fail (1 rows)"
            in report.summary_lines("en"))


def _cycled(pairs: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    return [pairs[i % len(pairs)] for i in range(n)]


def _label_rows(table: str, n: int | None = None) -> tuple[pd.DataFrame, int]:
    """Every (label, code) of each code column of ``table``, cycled over as many rows as
    the longest list, in columns named after the code column with the expected code in
    an extra ``want_<column>`` column."""
    pairs = {c.name: [(label, code) for code, names in schema.code_labels(c).items()
                      for label in (code, *names)]
             for c in schema.TABLES[table].columns if c.codes is not None or c.kind == "bool"}
    n = n or max(len(p) for p in pairs.values())
    out = {}
    for column, p in pairs.items():
        cells = _cycled(p, n)
        out[column] = [label for label, _ in cells]
        out[f"want_{column}"] = [code for _, code in cells]
    return pd.DataFrame(out), n


def _plausible(code: str) -> float:
    """A value of parameter ``code`` inside its bounds."""
    top = schema.PARAMETERS[code].max_value
    return 1.0 if top is None or top > 2 else top / 2


def test_every_declared_label_imports_as_its_code(tmp_path, master):
    files = []
    ent, n = _label_rows("enterprises")
    ent = ent.assign(enterprise_id=[credit_code(100 + i) for i in range(n)],
                     enterprise_name="示范", province="江苏", city="南京", verifier_name="")
    files.append(write_csv(tmp_path / "enterprises.csv", ent, "gbk"))
    uni, n = _label_rows("units")
    uni = uni.assign(unit_id=[f"L{i}" for i in range(n)], enterprise_id=E1, capacity_mw="300",
                     commissioning_year="", rated_capacity_t_per_d="5000", cells="300",
                     line_current_ka="400")
    files.append(write_csv(tmp_path / "units.csv", uni, "gbk"))
    mon, n = _label_rows("monthly_parameters")
    codes = mon["want_parameter_code"]
    mon = mon.assign(unit_id="U1", period=pd.period_range("2020-01", periods=n, freq="M")
                     .astype(str),
                     value=[str(COAL_MONTH.get(c, (_plausible(c),))[0]) for c in codes],
                     unit=[schema.PARAMETERS[c].unit for c in codes], report_id="",
                     submitted_at="2024-04-10 09:30:00")
    files.append(write_csv(tmp_path / "monthly_parameters.csv", mon, "gbk"))
    day, n = _label_rows("daily_parameters")
    day = day.assign(unit_id="U1", value="1",
                     date=pd.date_range("2024-03-01", periods=n).strftime("%Y-%m-%d"))
    files.append(write_csv(tmp_path / "daily_parameters.csv", day, "gbk"))
    rev, n = _label_rows("review_events")
    rev = rev.assign(enterprise_id=E1, period="2024-03", actor="审核员", note="",
                     event_at=pd.date_range("2024-04-01", periods=n, freq="h")
                     .strftime("%Y-%m-%d %H:%M:%S"))
    files.append(write_csv(tmp_path / "review_events.csv", rev, "gbk"))
    lab, n = _label_rows("lab_reports")
    filled = lab_report().iloc[0].drop(["sample_type_code", "report_id"], errors="ignore")
    lab = lab.assign(**filled.to_dict(), report_id=[f"R{i}" for i in range(n)], cao_pct="65",
                     mgo_pct="2", ash_pct="0.4")
    files.append(write_csv(tmp_path / "lab_reports.csv", lab, "gbk"))
    ann, n = _label_rows("annual_reports")
    ann = ann.assign(enterprise_id=E1, year=[str(2013 + i) for i in range(n)],
                     reported_co2_t="1")
    files.append(write_csv(tmp_path / "annual_reports.csv", ann, "gbk"))

    report = import_files(files, master)
    assert report.exit_code == 0, report.to_json()
    dataset = Dataset(master)
    for table, column in CODE_COLUMNS:
        col = schema.TABLES[table].column(column)
        stored = dataset.read(table)
        stored = stored[stored[f"want_{column}"].notna()]
        assert len(stored) >= len(schema.code_labels(col)), (table, column)
        want = [canonical(col, code) for code in stored[f"want_{column}"]]
        assert stored[column].tolist() == want, (table, column)
    recorded = {(e["table"], e["column"], e["label"], e["code"]) for e in report.labels}
    declared = {(t, c, label, code) for t, c in CODE_COLUMNS
                for code, names in schema.code_labels(schema.TABLES[t].column(c)).items()
                for label in names if parse.label_key(label) != code}
    assert recorded == declared


_WHITESPACE = st.text(st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\u200b", "\ufeff"]),
                      max_size=3)


def _width_variant(char: str, choice: int) -> str:
    """``char`` in full width, half width or another letter case (``choice`` picks)."""
    code = ord(char)
    if choice == 1 and 0x21 <= code <= 0x7E:
        return chr(code + 0xFEE0)
    if choice == 1 and 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if choice == 1 and char == "、":
        return "､"  # half-width ideographic comma
    if choice == 2:
        return char.swapcase()
    return char


@st.composite
def decorated_labels(draw):
    table, column = draw(st.sampled_from(CODE_COLUMNS))
    col = schema.TABLES[table].column(column)
    code, names = draw(st.sampled_from(list(schema.code_labels(col).items())))
    label = draw(st.sampled_from((code, *names)))
    choices = draw(st.lists(st.integers(0, 2), min_size=len(label), max_size=len(label)))
    varied = "".join(_width_variant(ch, k) for ch, k in zip(label, choices, strict=True))
    cell = draw(_WHITESPACE) + varied + draw(_WHITESPACE)
    return table, column, cell, canonical(col, code)


@settings(max_examples=150, deadline=None)
@given(decorated_labels())
def test_any_accepted_label_in_any_width_and_spacing_yields_its_code(case):
    table, column, cell, expected = case
    values, rejected = check_cells(table, column, [cell])
    assert rejected["en"][0] == "", (cell, rejected["en"][0])
    assert values[0] == expected, (cell, values[0])
