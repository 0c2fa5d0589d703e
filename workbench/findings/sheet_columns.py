"""The columns of findings sheets: every exported field and audit-history column with
its zh / en header, the coded fields with their code lists, and the headers an import
accepts.  Shared by :mod:`.sheet_import` and :mod:`.sheet_export`.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.findings.codes import ACTIONS, CATEGORIES, SEVERITIES, STATUSES
from workbench.findings.model import EDITABLE_FIELDS

Label = tuple[str, str]
Codes = Mapping[str, Label]

#: The exported fields in column order, with their zh / en headers.
FIELD_LABELS: dict[str, Label] = {
    "id": ("问题编号", "Finding ID"),
    "enterprise_id": ("统一社会信用代码", "Enterprise ID"),
    "province": ("省份", "Province"),
    "unit_id": ("机组编号", "Unit ID"),
    "periods": ("所属期", "Periods"),
    "title": ("问题标题", "Title"),
    "category": ("问题类别", "Category"),
    "severity": ("严重程度", "Severity"),
    "description": ("问题描述", "Description"),
    "materiality_t": ("影响排放量 Δ (tCO2)", "Emission impact Δ (tCO2)"),
    "recommended_action": ("建议措施", "Recommended action"),
    "due_date": ("整改期限", "Due date"),
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
}
EXPORT_COLUMNS = tuple(FIELD_LABELS)
#: Coded fields of a finding and their code lists (labelled in a column of their own).
CODED: dict[str, Codes] = {"category": CATEGORIES, "severity": SEVERITIES,
                           "recommended_action": ACTIONS, "status": STATUSES}
#: Audit-log actions (``workbench.findings.store``).
AUDIT_ACTIONS: dict[str, Label] = {"create": ("新建", "Created"), "import": ("导入", "Imported"),
                                   "update": ("修改", "Updated"),
                                   "transition": ("状态变更", "Status changed"),
                                   "dispose": ("预警处理", "Flag disposed")}
HISTORY_LABELS: dict[str, Label] = {
    "seq": ("序号", "Seq"), "at": ("时间 (UTC)", "Time (UTC)"), "actor": ("操作人", "Actor"),
    "action": ("操作", "Action"), "finding_id": FIELD_LABELS["id"],
    "title": FIELD_LABELS["title"], "version": FIELD_LABELS["version"],
    "changes": ("变更（前 → 后）", "Changes (before → after)"),
    "dataset_fingerprint": FIELD_LABELS["dataset_fingerprint"],
    "hash": ("哈希 (SHA-256)", "Hash (SHA-256)"),
    "status": FIELD_LABELS["status"], "reason": ("原因与整改证明", "Reason and evidence"),
}
FLAG_LABELS: dict[str, Label] = {
    "check_id": ("预警规则", "Check"), "unit_id": FIELD_LABELS["unit_id"],
    "period": ("期间", "Period"), "parameter_code": ("参数", "Parameter"),
    "dataset_fingerprint": FIELD_LABELS["dataset_fingerprint"],
}
REPORT_TITLE: Label = ("碳排放数据质量审核问题清单", "Findings of the carbon data-quality review")
SOURCE_LABEL: Label = ("来源文件", "Source file")
NONE_LABEL: Label = ("无", "none")
#: Fields whose change an audit entry shows as before → after.
TRACKED_FIELDS = (*EDITABLE_FIELDS, "status", "status_reason", "rectification_ref",
                  "rectification_date")


def _with_label_columns(labels: Mapping[str, Label], coded: Mapping[str, Codes]
                        ) -> dict[str, Label]:
    """Column headers: ``labels`` with a ``<key>_label`` column after each coded column."""
    out = {}
    for key, (zh, en) in labels.items():
        out[key] = (zh, en)
        if key in coded:
            out[f"{key}_label"] = (f"{zh}（中英文）", f"{en} (zh / en)")
    return out


#: Columns of the XLSX findings and history sheets: codes plus their zh / en labels.
FINDING_COLUMNS = _with_label_columns(FIELD_LABELS, CODED)
HISTORY_COLUMNS = _with_label_columns(HISTORY_LABELS, {"action": AUDIT_ACTIONS})


REQUIRED_COLUMNS = ("enterprise_id", "title", "severity", "category", "description")
HEADER_ALIASES = {
    "统一社会信用代码": "enterprise_id", "企业编号": "enterprise_id", "企业代码": "enterprise_id",
    "机组编号": "unit_id", "机组": "unit_id",
    "期间": "periods", "所属期": "periods", "所属期间": "periods", "涉及期间": "periods",
    "月份": "periods", "period": "periods",
    "标题": "title", "问题标题": "title", "问题": "title",
    "严重程度": "severity", "严重性": "severity", "等级": "severity",
    "类别": "category", "问题类别": "category", "问题类型": "category",
    "描述": "description", "问题描述": "description", "情况说明": "description",
    "影响量": "materiality_t", "影响排放量": "materiality_t", "影响排放量(tCO2)": "materiality_t",
    "影响排放量（tCO2）": "materiality_t",
    "建议措施": "recommended_action", "处理建议": "recommended_action",
    "整改期限": "due_date", "整改截止日期": "due_date",
    "预警": "flags", "关联预警": "flags",
}


def compact_header(name: str) -> str:
    """A header as compared on import: without spaces, case-folded."""
    return str(name).strip().replace(" ", "").casefold()


#: Either header of an export column (``严重程度`` or ``Severity``) -> its field name.
HEADER_FIELDS = {compact_header(text): key
                 for key, pair in FINDING_COLUMNS.items() for text in pair}
