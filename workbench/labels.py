"""The one catalogue of zh-CN / English wording: every code list (severities, statuses,
finding categories, dispositions, check families...), every table header (columns of
flags, revisions, lab reports, findings, exports, case reports, dashboard tables) and every
phrase on a screen.  Widgets, tables, workbook exports, case reports and figures all read
their words here, so a word means one thing everywhere (a test keeps headers and code
words unambiguous: ``tests/test_labels.py``).

Contract columns and monthly parameters carry their labels in the contract itself
(:mod:`workbench.schema`); :func:`header` looks there after :data:`COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench import schema, sector_contract
from workbench.i18n import column_label, parameter_label, pick

Label = tuple[str, str]
Codes = Mapping[str, Label]

# -- code lists (code -> words) ------------------------------------------------------------------

SEVERITIES: dict[str, Label] = {
    "critical": ("严重", "Critical"),
    "warning": ("警告", "Warning"),
    "info": ("提示", "Info"),
}
#: What a finding is about.
CATEGORIES: dict[str, Label] = {
    "carbon_content": ("元素碳含量", "Carbon content"),
    "lab_evidence": ("检测报告证据", "Lab-report evidence"),
    "fuel_consumption": ("燃料消耗量", "Fuel consumption"),
    "production_data": ("生产数据（发电量、供热量）", "Production data (generation, heat)"),
    "timeliness": ("存证及时性", "Timeliness of deposits"),
    "calculation": ("排放量计算", "Emission calculation"),
    "compliance": ("履约", "Compliance"),
    "other": ("其他", "Other"),
}
#: What a reviewer recommends for a finding.
ACTIONS: dict[str, Label] = {
    "request_correction": ("要求更正", "Request correction"),
    "refer_onsite_check": ("移交现场核查", "Refer to on-site check"),
    "refer_investigation": ("移交立案调查", "Refer for investigation"),
}
#: Where a finding stands (the workflow is :mod:`workbench.findings.codes`).
STATUSES: dict[str, Label] = {
    "open": ("待处理", "Open"),
    "sent_for_rectification": ("已发整改", "Sent for rectification"),
    "rectified": ("已整改", "Rectified"),
    "closed": ("已关闭", "Closed"),
    "dismissed": ("已撤销", "Dismissed"),
}
#: What a reviewer concluded about one screening flag (``FindingsStore.dispose``).
DISPOSITIONS: dict[str, Label] = {
    "verified": ("已核实", "Verified"),
    "explained": ("已解释", "Explained"),
    "false_positive": ("误报", "False positive"),
    "linked": ("已关联问题", "Linked to a finding"),
}
#: Audit-log actions (``workbench.findings.store``).
AUDIT_ACTIONS: dict[str, Label] = {
    "create": ("新建", "Created"), "import": ("导入", "Imported"), "update": ("修改", "Updated"),
    "transition": ("状态变更", "Status changed"), "dispose": ("预警处理", "Flag disposed"),
}
#: Peer groups of the 2025 sectors' benchmark (``peers.sector_peers``): steel routes,
#: clinker types, potlines.
SECTOR_PEER_GROUPS: dict[str, Label] = {
    **sector_contract.STEEL_ROUTES, **sector_contract.CLINKER_TYPES,
    "mixed": ("长短流程混合", "Mixed BF-BOF and EAF"),
    "other": ("外购铁水或生铁的转炉", "Converter on purchased iron"),
    "potline": ("电解系列", "Potlines"),
}
#: What an investigation is about.
CASE_KINDS: dict[str, Label] = {
    "enterprise": ("企业", "Enterprise"), "lab": ("检测机构", "Laboratory"),
    "verifier": ("核查机构", "Verification agency"),
}
#: Check families (``Check.family``).
FAMILIES: dict[str, Label] = {
    "accounting": ("核算", "Accounting"), "ranges": ("范围", "Ranges"),
    "consistency": ("一致性", "Consistency"), "evidence": ("检测证据", "Evidence"),
    "timeliness": ("及时性与完整性", "Timeliness"), "timeseries": ("时间序列", "Time series"),
    "peers": ("同类对标", "Peers"), "digits": ("数字特征", "Digits"),
}
#: What a check's flag rests on (``Check.basis``).
BASES: dict[str, Label] = {
    "rule": ("规则：数据本身违反规则", "rule: the data break a rule by themselves"),
    "statistical": ("统计：与通常情况相比的异常", "statistical: an anomaly against what is usual"),
}
#: What a check compares (``Check.scope``).
SCOPES: dict[str, Label] = {
    "enterprise": ("企业自身", "enterprise: compares an enterprise with itself"),
    "population": ("全体", "population: compares across enterprises"),
}
MATERIALITY_LEVELS: dict[str, Label] = {
    "below": ("低于2%", "below 2 %"), "above_2pct": ("超过2%", "above 2 %"),
    "above_5pct": ("超过5%", "above 5 %"),
}
VERIFICATION_CONCLUSIONS: dict[str, Label] = {
    "pass": ("通过", "pass"), "pass_with_corrections": ("修正后通过", "pass with corrections"),
    "fail": ("不通过", "fail"),
}
#: Whether a check could run for an enterprise (``coverage.parquet``).
COVERAGE_STATUSES: dict[str, Label] = {
    "not_checked": ("未检查", "not checked"), "partial": ("部分检查", "partly checked"),
}



#: The domain notes' confidence tags of a factor (sectors-2025.md §0).
CONFIDENCE_TAGS: dict[str, Label] = {
    "C": ("已核实：见于所引来源", "confirmed: read in the cited source"),
    "T": ("第三方实现：见于实施指南的第三方代码或复现的存证", "third-party: found in code "
          "implementing the guideline or reproducing a real deposit"),
    "K": ("公认参考值：引用前须核对原文", "well-known reference value: check the primary "
          "text before quoting"),
    "U": ("不确定：推算或估计，仅作合理性区间或设计假设", "uncertain: derived or estimated; a "
          "plausibility band or design assumption, never a rule value"),
}

#: The factor tables of the configuration (``[factors]``).
FACTOR_TABLE_TITLES: dict[str, Label] = {
    "fuels": ("化石燃料缺省值", "Fossil fuel defaults"),
    "carbonates": ("碳酸盐排放因子", "Carbonate emission factors"),
    "steel": ("钢铁", "Steel"),
    "cement": ("水泥熟料", "Cement clinker"),
    "aluminium": ("铝冶炼", "Aluminium smelting"),
    "gwp": ("全球变暖潜势", "Global warming potentials"),
}
#: Columns whose cells are codes of a list, shown as its words.
CODED_COLUMNS: dict[str, Codes] = {
    "severity": SEVERITIES, "worst_severity": SEVERITIES, "flag_severity": SEVERITIES,
    "family": FAMILIES, "status": STATUSES, "category": CATEGORIES,
    "recommended_action": ACTIONS, "disposition": DISPOSITIONS,
    "materiality_level": MATERIALITY_LEVELS,
    "verification_conclusion": VERIFICATION_CONCLUSIONS, "coverage_status": COVERAGE_STATUSES,
}

# -- table headers (column name -> words); one meaning per name --------------------------------

COLUMNS: dict[str, Label] = {
    # a flag and its evidence
    "check_id": ("检查项", "Check"), "check_code": ("检查项编号", "Check ID"),
    "check_title": ("检查项", "Check"), "family": ("检查类别", "Check family"),
    "severity": ("严重程度", "Severity"), "worst_severity": ("最高严重程度", "Worst severity"),
    "flag_severity": ("预警严重程度", "Flag severity"),
    "critical": ("严重", "Critical"), "warning": ("警告", "Warning"), "info": ("提示", "Info"),
    "total": ("合计", "Total"), "n_flags": ("预警数", "Flags"), "message": ("说明", "Message"),
    "observed": ("观测值", "Observed"), "expected": ("期望值", "Expected"),
    "delta_co2_t": ("排放影响 (tCO2)", "ΔCO2 (t)"), "points": ("风险分贡献", "Risk points"),
    "share_of_score": ("占风险分比例", "Share of the score"),
    "period": ("期间", "Period"), "parameter_code": ("参数", "Parameter"),
    "revisions": ("修订次数", "Revisions"), "revision": ("修订版本", "Revision"),
    "previous_value": ("修订前数值", "Previous value"),
    "previous_at": ("修订前提交时间", "Previous submission"),
    "disposition": ("处理结论", "Disposition"),
    # an enterprise and its rank
    "enterprise": ("企业", "Enterprise"),
    "units": ("机组数", "Units"), "capacity_mw": ("总装机容量 (MW)", "Total capacity (MW)"),
    "risk_score": ("风险分", "Risk score"), "rank": ("风险排名", "Risk rank"),
    "screened": ("已筛查（本行业有检查项）", "Screened (the sector has checks)"),
    "enterprises_ranked": ("参与排名企业数", "Enterprises ranked"),
    "n_critical": ("严重预警数", "Critical flags"), "n_warning": ("警告预警数", "Warning flags"),
    "materiality": ("实质性（最差年份）", "Materiality (worst year)"),
    "materiality_level": ("实质性水平", "Materiality level"),
    "days_after_month_end": ("月末后天数 (d)", "Days after month end (d)"),
    "days_sampling_to_report": ("采样结束至报告天数 (d)", "Sampling end to report (d)"),
    # labs and verification agencies
    "reports": ("报告数", "Reports"),
    "enterprises": ("企业数", "Enterprises"), "periods_covered": ("覆盖月份数", "Months covered"),
    "most_for_one_unit": ("同一机组最多报告数", "Most for one unit"),
    "first_period": ("首个月份", "First month"), "last_period": ("末个月份", "Last month"),
    "flagged_reports": ("有预警的报告数", "Flagged reports"),
    "has_critical": ("有严重预警", "Has a critical flag"),
    "max_reports_per_day": ("单日最多报告数", "Most reports in one day"),
    "share_enterprises_critical": ("有严重预警的企业占比",
                                   "Share of enterprises with a critical flag"),
    "share_enterprises_critical_all": ("全部检测机构：有严重预警的企业占比",
                                       "All labs: share of enterprises with a critical flag"),
    "accredited": ("有资质编号", "Accredited"),
    "evidence_flags_per_report": ("每份报告证据预警数", "Evidence flags per report"),
    "share_flagged": ("有证据预警的报告占比", "Share of reports flagged"),
    "is_this_case": ("本案", "This case"), "evidence": ("证据", "Evidence"),
    "returns": ("退回次数", "Returns"),
    "returns_per_period": ("每企业月退回次数", "Returns per enterprise-month"),
    "enterprise_years": ("核查企业年数", "Enterprise-years verified"),
    "share_with_critical": ("核查的企业中有严重预警的占比",
                            "Share of its enterprises with a critical flag"),
    "share_with_critical_all": ("全部核查机构：有严重预警的企业占比",
                                "All agencies: share of enterprises with a critical flag"),
    "share_corrected": ("核查修正占比", "Share corrected in verification"),
    "monthly_co2_t": ("月度填报排放量合计 (t)", "Sum of monthly filed CO2 (t)"),
    "verified_minus_reported_t": ("核查−报告 (tCO2)", "Verified − reported (tCO2)"),
    "share_verified_minus_reported": ("核查−报告（占报告量）", "Verified − reported (share)"),
    "field": ("项目", "Item"), "value": ("值", "Value"),
    # a factor table (``workbench.factors.factor_table``)
    "code": ("代码", "Code"), "label_zh": ("中文名称", "Chinese name"),
    "label_en": ("英文名称", "English name"), "kind": ("类型", "Kind"), "unit": ("单位", "Unit"),
    "confidence": ("可信度", "Confidence"), "uncertain": ("尚待确认", "Uncertain"),
    # peer benchmark quantities (per unit-month)
    "supply_coal_gce_per_kwh": ("供电煤耗 (gce/kWh)", "Supply coal consumption (gce/kWh)"),
    "supply_intensity_t_per_mwh": ("供电碳排放强度 (tCO2/MWh)",
                                   "Supply CO2 intensity (tCO2/MWh)"),
    "own_use_rate": ("厂用电率", "Own-use rate"),
    "load_factor": ("负荷系数", "Load factor"),
    "cc_tc_per_gj": ("单位热值含碳量 (tC/GJ)", "Carbon content per unit heat (tC/GJ)"),
    "ncv_gj_per_t": ("收到基低位发热量 (GJ/t)", "NCV (GJ/t)"),
    # supervisor dashboard tables
    "risk_total": ("风险分合计", "Risk total"), "risk_max": ("最高风险分", "Highest risk"),
    "top_reasons": ("主要风险来源", "Main reasons"),
    "critical_flags": ("严重预警数", "Critical flags"),
    "industry_code": ("行业", "Industry"), "facilities": ("机组/设施数", "Units / facilities"),
    "enterprise_periods_critical": ("有严重预警的企业月数",
                                    "Enterprise-months with a critical flag"),
    "share_on_time": ("按时存证率", "On-time deposit rate"),
    "filed_co2_t": ("填报排放量 (tCO2e)", "Emissions filed (tCO2e)"),
    "count": ("数量", "Count"), "age": ("已开启时长", "Open for"),
    "created": ("创建日期", "Created"),
    # checks that could not run (coverage) and check health
    "coverage_status": ("检查情况", "Coverage"), "missing": ("缺少的数据", "Missing inputs"),
    "enterprises_flagged": ("有预警企业数", "Enterprises flagged"),
    "flags_per_1000": ("每千机组月预警数", "Flags per 1,000 unit-months"),
    "cited": ("引用的问题记录", "Findings citing it"), "reviewed": ("已处理", "Decided"),
    "dismissed": ("撤销数", "Dismissed"), "share_dismissed": ("撤销比例", "Dismissal share"),
    "needs_tuning": ("需调整", "For tuning"),
    # a check explained ("checks used" tables)
    "basis": ("证据类型", "Basis"), "inputs": ("所需数据", "Inputs"), "rule": ("规则", "Rule"),
    "rationale": ("为何重要", "Why it matters"), "source": ("来源", "Source"),
    "thresholds": ("阈值（当前取值）", "Thresholds (values in force)"),
    # a finding (the export's columns)
    "id": ("问题编号", "Finding ID"),
    "enterprise_id": ("统一社会信用代码", "Unified social credit code"),
    "province": ("省份", "Province"),
    "unit_id": ("机组编号", "Unit ID"),
    "periods": ("所属期", "Periods"),
    "title": ("问题标题", "Title"),
    "category": ("问题类别", "Category"),
    "description": ("问题描述", "Description"),
    "materiality_t": ("影响排放量 Δ (tCO2)", "Emission impact Δ (tCO2)"),
    "recommended_action": ("建议措施", "Recommended action"),
    "due_date": ("整改期限", "Due date"),
    "overdue": ("已逾期", "Overdue"),
    "status": ("状态", "Status"),
    "status_reason": ("状态原因", "Status reason"),
    "rectification_ref": ("整改证明文件", "Rectification document"),
    "rectification_date": ("整改日期", "Rectification date"),
    "dataset_fingerprint": ("数据集指纹", "Dataset fingerprint"),
    "created_by": ("创建人", "Created by"),
    "created_at": ("创建时间 (UTC)", "Created at (UTC)"),
    "updated_by": ("修改人", "Updated by"),
    "updated_at": ("修改时间 (UTC)", "Updated at (UTC)"),
    "version": ("版本", "Version"),
    "flags": ("关联预警", "Evidence flags"),
    "flag": ("预警", "Flag"), "note": ("备注", "Note"),
    "database": ("问题库", "Findings store"),
    # the audit history
    "seq": ("序号", "Seq"), "at": ("时间 (UTC)", "Time (UTC)"), "actor": ("操作人", "Actor"),
    "action": ("操作", "Action"), "finding_id": ("问题编号", "Finding ID"),
    "changes": ("变更（前 → 后）", "Changes (before → after)"),
    "hash": ("哈希 (SHA-256)", "Hash (SHA-256)"),
    "reason": ("原因与整改证明", "Reason and evidence"),
    # "about this report"
    "generated_at": ("生成时间 (UTC)", "Generated at (UTC)"),
    "prepared_by": ("编制人", "Prepared by"),
    "dataset": ("数据集", "Dataset"),
    "workbench_version": ("工作台版本", "Workbench version"),
    "config_hash": ("筛查配置哈希", "Screening configuration hash"),
    "findings_store": ("问题库", "Findings store"),
    "findings_recorded": ("已记录问题数", "Findings recorded"),
}
#: Columns that say the same thing under two names (a finding's ``id`` is the history's
#: ``finding_id``; a check shown by its title under ``check_id`` or ``check_title``; the
#: critical flags counted per enterprise or per city; the findings database).
SYNONYMS = frozenset({("check_id", "check_title"), ("finding_id", "id"),
                      ("critical_flags", "n_critical"), ("database", "findings_store")})

#: The check inputs a coverage row names as missing (``Check.needs`` / ``uses``), as words;
#: monthly parameters (``monthly:<code>``) are named by their contract label.
INPUTS: dict[str, Label] = {
    "labs": ("检测报告", "Lab reports"), "events": ("审核记录", "Review events"),
    "annual": ("年度报告", "Annual reports"), "daily": ("日数据", "Daily data"),
    "monthly_long": ("月度存证修订", "Monthly filing revisions"),
    "monthly:period": ("月度存证数据", "Monthly filings"),
    "monthly:submitted_at": ("存证时间", "Deposit times"),
    "monthly:fuel_heat_gj": ("燃料热量（消耗量×低位发热量）", "Fuel heat (consumption × NCV)"),
    "monthly:source_cc_tc_per_gj": ("单位热值含碳量的数据来源",
                                    "Source of the carbon content per GJ"),
}

#: Workbook sheet of each table of a case report (zh, en); Excel allows 31 characters.
CASE_SHEETS: dict[str, Label] = {
    "risk_by_check": ("风险来源", "Risk by check"), "flag_counts": ("预警统计", "Flag counts"),
    "flags": ("预警", "Flags"), "series": ("关键参数", "Key series"),
    "labs": ("检测报告", "Lab reports"), "revisions": ("修订记录", "Revisions"),
    "reports": ("报告清单", "Reports"), "by_enterprise": ("按企业", "By enterprise"),
    "by_month": ("按月份", "By month"), "per_day": ("每日报告数", "Reports per day"),
    "dates": ("日期逻辑", "Date logic"), "reused": ("重复结果", "Reused results"),
    "flags_by_check": ("按检查项", "Flags by check"), "comparison": ("同类对比", "Comparison"),
    "enterprises": ("核查企业", "Enterprises"), "returns": ("退回", "Returns"),
    "co2": ("排放量核对", "CO2 check"), "co2_all": ("全部机构排放核对", "CO2, all agencies"),
    "checks_used": ("检查项说明", "Checks used"),
}

#: plotly.js's own interface words (its mode bar, hover and double-click hints), keyed by
#: the English text plotly.js asks its locale for; our wording, given to plotly.js as an
#: inline locale (``config.locales``: nothing to download, so figures work offline).
PLOTLY_ZH: dict[str, str] = {
    "Autoscale": "自动调整范围", "Reset axes": "恢复坐标轴", "Zoom": "框选放大", "Pan": "拖动平移",
    "Zoom in": "放大", "Zoom out": "缩小", "Download plot as a PNG": "下载为 PNG 图片",
    "Download plot": "下载图表", "Download plot as JSON": "下载为 JSON 数据",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Image download succeeded": "图片已下载", "JSON download succeeded": "JSON 数据已下载",
    "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败",
    "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 数据下载失败",
    "Double-click on legend to isolate one trace": "双击图例只显示这一组数据",
    "Double-click to zoom back out": "双击恢复原始范围", "trace": "数据组",
}
#: Calendar words plotly.js uses when it formats a date.
PLOTLY_ZH_FORMAT: dict[str, object] = {
    "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    "months": [f"{m}月" for m in range(1, 13)], "shortMonths": [f"{m}月" for m in range(1, 13)],
    "date": "%Y-%m-%d",
}

# -- words on screens (key -> phrase) -----------------------------------------------------------

TEXT: dict[str, Label] = {
    "search": ("搜索：名称、拼音、地市或信用代码", "Search: name, pinyin, city or credit code"),
    "province": ("省份", "Province"), "city": ("地市", "City"), "industry": ("行业", "Industry"),
    "all": ("全部", "All"), "enterprise": ("企业", "Enterprise"), "unit": ("机组", "Unit"),
    "parameter": ("参数", "Parameter"), "quantity": ("指标", "Quantity"),
    "peer_scope": ("对标范围", "Peer group"), "history": ("填报历史", "Filing history"),
    "history_charts": ("曲线图", "Charts"),
    "peers": ("同类对标", "Peer benchmark"), "flags": ("预警", "Flags"),
    "findings": ("问题记录", "Findings"),
    "labs": ("检测报告", "Lab reports"), "revisions": ("修订记录", "Revisions"),
    "daily": ("日数据与月度值", "Daily vs monthly"), "risk": ("风险分", "Risk"),
    "no_flags": ("无预警", "No flags"), "show": ("查看记录", "Show records"),
    "threshold_key": ("配置项", "Config key"), "threshold_value": ("当前取值", "Value in force"),
    "threshold_meaning": ("含义", "Meaning"),
    "language": ("语言", "Language"), "no_revisions": ("无修订", "No revisions"),
    "scope_auto": ("自动（筛查规则）", "Auto (screening rule)"),
    "scope_province": ("类别×容量段×本省", "Category × capacity band × province"),
    "scope_band": ("类别×容量段（全国）", "Category × capacity band (national)"),
    "scope_category": ("类别（全国）", "Category (national)"),
    # evidence grids
    "grid_export": ("导出 XLSX（当前显示的行）", "Export XLSX (rows as shown)"),
    "grid_download": ("下载 {n} 行", "Download {n} rows"),
    "grid_empty": ("无记录", "No records"),
    "grid_pinned_flags": ("所选预警已置于首行并选中（点击列头可重新排序）",
                          "The chosen flag is on the first row, selected (click a header to "
                          "sort again)"),
    "grid_pinned_revisions": ("预警所指的修订记录已置于首行并选中（点击列头可重新排序）",
                              "The revision the flag points at is on the first row, selected "
                              "(click a header to sort again)"),
    "grid_pinned_lab_reports": ("预警所指的检测报告已置于首行并选中（点击列头可重新排序）",
                                "The lab report the flag points at is on the first row, "
                                "selected (click a header to sort again)"),
    "grid_marked_flags": ("严重", "Critical"),
    "grid_marked_revisions": ("有预警", "Flagged"),
    "grid_marked_lab_reports": ("有预警", "Flagged"),
    "grid_marked_findings": ("逾期", "Overdue"),
    "grid_marked_health": ("需调整", "For tuning"),
    "grid_marked_ranking": ("有严重预警", "Has a critical flag"),
    "grid_marked_industries": ("有严重预警", "Has a critical flag"),
    # flag dispositions
    "disposition_save": ("记录处理", "Record disposition"),
    "disposition_note": ("备注（已解释、误报时必填）",
                         "Note (needed for explained / false positive)"),
    "disposition_no_link": ("不关联问题", "No finding linked"),
    # enterprise header card
    "card_verifier": ("核查机构", "Verifier"),
    "card_units": ("{n} 台机组，合计 {mw} MW", "{n} units, {mw} MW in all"),
    "card_facilities": ("{n} 个排放设施", "{n} facilities"),
    "card_not_screened": ("本行业尚无筛查检查项：未筛查，不参与风险排名",
                          "No screening checks for this sector yet: not screened, not ranked"),
    "card_rank": ("风险排名 {rank}/{of} · 风险分 {score}（严重预警 {critical}，警告 {warning}）",
                  "Risk rank {rank}/{of} · score {score} ({critical} critical, {warning} warning "
                  "flags)"),
    "card_materiality": ("实质性 {share}（{level}）", "materiality {share} ({level})"),
    "card_risk_sources": ("风险来源（各检查项的风险分，合计即风险分）",
                          "What the score is made of (risk points per check, summing to the "
                          "score)"),
    "card_more": ("，另有 {n} 项", ", {n} more"),
    "card_coverage": ("{not_checked} 项检查因缺少数据未能运行，{partly} 项仅部分运行",
                      "{not_checked} checks could not run for missing data, {partly} ran only "
                      "in part"),
    "card_no_findings": ("暂无", "none yet"),
    "card_overdue": ("逾期 {n}", "{n} overdue"),
    "card_flags_disposed": ("{total} 条预警，已处理 {done} 条",
                            "{total} flags, {done} disposed of"),
    # finding form and list
    "finding_title": ("标题", "Title"), "finding_category": ("类别", "Category"),
    "finding_severity": ("严重程度", "Severity"),
    "finding_description": ("描述", "Description"),
    "finding_materiality": ("影响量 tCO2", "Impact tCO2"),
    "finding_action": ("建议措施", "Recommended action"), "finding_due": ("整改期限", "Due date"),
    "finding_evidence": ("证据（预警）", "Evidence (flags)"),
    "finding_save": ("保存问题", "Save finding"),
    "finding_saved": ("已保存", "Saved"), "finding_refused": ("未保存", "Not saved"),
    "finding_move": ("变更状态", "Change status"), "finding_reason": ("原因", "Reason"),
    "finding_evidence_ref": ("整改证明文件", "Rectification document"),
    "finding_evidence_date": ("整改日期", "Rectification date"),
    "finding_none": ("暂无问题记录", "No findings yet"), "finding_readonly": ("只读", "Read-only"),
    "finding_already_saved": ("此问题已保存，未重复保存", "Already saved; not stored again"),
    "finding_same_evidence": ("该企业已有问题引用完全相同的证据：{ids}。确需另存请再次点击保存",
                              "A finding of this enterprise already cites exactly this "
                              "evidence: {ids}. Click save again to store another one anyway"),
    "finding_final": ("已是最终状态，无后续步骤", "Final status: no further steps"),
    "finding_history": ("处理记录", "History"),
    # supervisor dashboard
    "dash_title": ("碳排放数据质量监管看板", "Carbon data quality — supervisor dashboard"),
    "dash_on_time": ("按时存证率", "On-time deposits"),
    "dash_first_pass": ("一次通过率", "First-time pass"),
    "dash_returns": ("退回次数", "Returns"),
    "dash_problems": ("问题企业月数", "Enterprise-months with problems"),
    "dash_co2": ("覆盖排放量 (Mt)", "Emissions covered (Mt)"),
    "dash_findings": ("问题记录", "Findings"), "dash_rect": ("整改进度", "Rectification progress"),
    "dash_compliance": ("履约率", "Compliance"), "dash_ranking": ("风险排名", "Risk ranking"),
    "dash_cities": ("地市风险", "Risk by city"),
    "dash_industries": ("分行业概况", "By industry"),
    "dash_trends": ("趋势与地市热力图", "Trends and city heatmap"),
    "dash_heatmap_top": ("（问题最多的 {shown} 个地市，共 {total} 个）",
                         " (the {shown} cities with most problems, of {total})"),
    "dash_heatmap": ("各地市每月问题企业数（严重预警）",
                     "Enterprises with critical flags by city and month"),
    "dash_verifiers": ("核查机构评分", "Verification agencies"),
    "dash_labs": ("检测机构评分", "Laboratories"), "dash_drill": ("企业详情（只读）",
                                                      "Enterprise detail (read-only)"),
    "dash_period": ("期间", "Period"),
    "dash_cell_error": ("看板未能完整显示，请稍后刷新；如仍出错请联系管理员"
                        "（原因已记入服务器日志）",
                        "The dashboard could not be drawn completely: reload in a moment, and "
                        "tell the administrator if it fails again (the reason is in the "
                        "server log)"),
    "dash_no_store": ("问题库不可用，无法显示问题记录（请管理员检查配置 general.database_url，"
                      "原因见服务器日志）",
                      "Findings database unavailable, no findings shown (the administrator "
                      "should check the setting general.database_url; the reason is in the "
                      "server log)"),
    "dash_health": ("检查项健康度", "Check health"),
    "dash_health_scope": ("按当前筛选范围统计，共 {unit_months} 个机组月",
                          "In the current filter: {unit_months} unit-months screened"),
    "dash_health_tuning": ("需调整：复核撤销比例超过 {share}（已处理问题记录至少 {reviewed} 条）",
                           "For tuning: reviewers dismissed more than {share} of the findings "
                           "citing it (at least {reviewed} decided)"),
    "dash_health_none": ("暂无需调整的检查项", "No check needs tuning"),
    "dash_health_no_store": ("问题库不可用：撤销情况无法显示，仅显示预警数",
                             "Findings database unavailable: dismissals not shown, flag "
                             "figures only"),
    # supervisor dashboard: header, period, KPI definitions and comparisons
    "dash_for": ("供监管人员只读查看：按时存证、一次通过、问题企业与履约等关键指标，企业风险排名，"
                 "问题记录整改情况，以及核查机构和检测机构评分。按省份、地市、行业和期间筛选。",
                 "For supervisors, read-only: key indicators (on-time deposits, first-time "
                 "pass, enterprises with problems, compliance), the enterprises' risk "
                 "ranking, how findings are being rectified, and scorecards of verifiers and "
                 "labs. Filter by province, city, industry and period."),
    "dash_data": ("数据：{n} 家企业，{first} 至 {last}，数据指纹 {fingerprint}",
                  "Data: {n} enterprises, {first} to {last}, fingerprint {fingerprint}"),
    "dash_store_ro": ("问题库只读：本页不能新增或修改任何记录",
                      "Findings store read-only: nothing can be added or changed here"),
    "dash_store_none": ("问题库不可用", "Findings store unavailable"),
    "dash_ranking_note": ("按 {first} 至 {last} 期间的预警重新计算风险分并排名："
                          "{flagged} 家企业有预警；另有 {quiet} 家企业在此期间无预警，未列出。"
                          "点击一行打开企业详情。",
                          "Risk scored and ranked from the flags of {first} to {last}: "
                          "{flagged} enterprises flagged; {quiet} more have no flag in this "
                          "period and are not listed. Click a row to open its detail."),
    "dash_drill_all": ("企业详情显示该企业全部期间的预警与填报（不受期间筛选影响），"
                       "风险排名为全部期间的排名。",
                       "The enterprise detail shows all its periods' flags and filings (the "
                       "period filter does not apply); its risk rank is over all periods."),
    "dash_scorecard_note": ("按 {first} 至 {last} 期间统计：该期间的退回记录、预警和检测报告，"
                            "核查修正按所涉年度。",
                            "For {first} to {last}: that period's returns, flags and lab "
                            "reports; corrections in verification by the years it touches."),
    "dash_findings_note": ("仅列出所属期与 {first} 至 {last} 重叠的问题记录",
                           "Only findings whose periods lie in {first} to {last}"),
    "dash_vs_prev": ("较上期 {span}", "vs {span}"),
    "dash_no_prev": ("无等长上期数据可比", "no previous period of equal length in the data"),
    "dash_pp": ("个百分点", "pp"),
    "dash_def_on_time": ("首次存证在截止日前的机组月占比（各月平均）",
                         "Share of unit-months first deposited by the deadline (mean of "
                         "months)"),
    "dash_def_first_pass": ("审核通过且从未被退回的企业月占比（各月平均）",
                            "Share of approved enterprise-months never returned (mean of "
                            "months)"),
    "dash_def_returns": ("审核退回的次数", "Number of times a filing was returned"),
    "dash_def_problems": ("至少有一条严重预警的企业月数",
                          "Enterprise-months with at least one critical flag"),
    "dash_def_co2": ("筛选范围内企业填报的排放量合计（百万吨 CO2）",
                     "Filed CO2 of the enterprises in scope (million t)"),
    "dash_def_compliance": ("应清缴且足额清缴配额的企业占比（期间最后一年）",
                            "Share of enterprises due to surrender that surrendered in full "
                            "(last year of the period)"),
}


def text(key: str, locale: str) -> str:
    """The phrase ``key`` of :data:`TEXT` in ``locale``."""
    return pick(*TEXT[key], locale)


def code_text(codes: Codes, code: str, locale: str) -> str:
    """The words of ``code`` in the code list ``codes`` (the code itself when unlisted)."""
    return pick(*codes[code], locale) if code in codes else code


def columns_of(names: Iterable[str]) -> dict[str, Label]:
    """The headers of ``names``, in that order (a table's columns)."""
    return {name: COLUMNS[name] for name in names}


def header(name: str, locale: str) -> str:
    """The zh/en header of column ``name``: :data:`COLUMNS` first, then monthly parameter
    codes, then contract columns (with their unit); KeyError when none has it."""
    if name in COLUMNS:
        return pick(*COLUMNS[name], locale)
    if name in schema.PARAMETERS:
        return parameter_label(name, locale)
    for table in schema.TABLES.values():
        if name in table.column_names:
            return column_label(table.name, name, locale)
    raise KeyError(f"no zh/en label for column {name!r}")
