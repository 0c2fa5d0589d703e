"""Widget labels in zh-CN and English, and the language switch every view follows."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from workbench.i18n import pick

LABELS: dict[str, tuple[str, str]] = {
    "search": ("搜索：名称、拼音、地市或信用代码", "Search: name, pinyin, city or credit code"),
    "province": ("省份", "Province"), "city": ("地市", "City"), "industry": ("行业", "Industry"),
    "all": ("全部", "All"), "enterprise": ("企业", "Enterprise"), "unit": ("机组", "Unit"),
    "parameter": ("参数", "Parameter"), "quantity": ("指标", "Quantity"),
    "peer_scope": ("对标范围", "Peer group"), "history": ("填报历史", "Filing history"),
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
    "grid_marked_flags": ("严重", "Critical"),
    "grid_marked_revisions": ("有预警", "Flagged"),
    "grid_marked_lab_reports": ("有预警", "Flagged"),
    "grid_marked_findings": ("逾期", "Overdue"),
    # flag dispositions
    "disposition_save": ("记录处理", "Record disposition"),
    "disposition_note": ("说明（已解释、误报时必填）",
                         "Note (needed for explained / false positive)"),
    "disposition_no_link": ("不关联问题", "No finding linked"),
    # enterprise header card
    "card_verifier": ("核查机构", "Verifier"),
    "card_units": ("{n} 台机组，合计 {mw} MW", "{n} units, {mw} MW in all"),
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
    "dash_trends": ("趋势与地市热力图", "Trends and city heatmap"),
    "dash_heatmap_top": ("（问题最多的 {shown} 个地市，共 {total} 个）",
                         " (the {shown} cities with most problems, of {total})"),
    "dash_heatmap": ("各地市每月问题企业数（严重预警）",
                     "Enterprises with critical flags by city and month"),
    "dash_verifiers": ("核查机构评分", "Verification agencies"),
    "dash_labs": ("检测机构评分", "Laboratories"), "dash_drill": ("企业详情（只读）",
                                                      "Enterprise detail (read-only)"),
    "dash_period": ("期间", "Period"),
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
                          "选择一行打开企业详情。",
                          "Risk scored and ranked from the flags of {first} to {last}: "
                          "{flagged} enterprises flagged; {quiet} more have no flag in this "
                          "period and are not listed. Choose a row to open its detail."),
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


def label(key: str, locale: str) -> str:
    """The text of ``key`` in ``locale``."""
    zh, en = LABELS[key]
    return pick(zh, en, locale)


class LanguageSwitch:
    """zh-CN / English toggle; views register a callback to redraw their labels."""

    def __init__(self, locale: str = "zh-CN"):
        self._w_toggle = w.ToggleButtons(options=[("中文", "zh-CN"), ("English", "en")],
                                         value=locale)
        self._callbacks: list[Callable[[str], None]] = []
        self._w_toggle.observe(self._changed, names="value")

    @property
    def value(self) -> str:
        """The current locale."""
        return self._w_toggle.value

    @value.setter
    def value(self, locale: str) -> None:
        self._w_toggle.value = locale

    def on_change(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(locale)`` whenever the language changes."""
        self._callbacks.append(callback)

    def _changed(self, change) -> None:
        for cb in self._callbacks:
            cb(change["new"])

    @property
    def widget(self) -> w.Widget:
        """The toggle to place in a layout."""
        return self._w_toggle
