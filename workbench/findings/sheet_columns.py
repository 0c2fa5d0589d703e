"""The columns of findings sheets: every exported field and audit-history column with
its zh / en header, the coded fields with their code lists, and the headers an import
accepts.  Shared by :mod:`.sheet_import` and :mod:`.sheet_export`.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.findings.model import EDITABLE_FIELDS
from workbench.labels import (
    ACTIONS,
    AUDIT_ACTIONS,
    CATEGORIES,
    SEVERITIES,
    STATUSES,
    Codes,
    Label,
    columns_of,
)

#: The exported fields in column order, with their zh / en headers.
FIELD_LABELS: dict[str, Label] = columns_of((
    "id", "enterprise_id", "province", "unit_id", "periods", "title", "category", "severity",
    "description", "materiality_t", "recommended_action", "due_date", "status",
    "status_reason", "rectification_ref", "rectification_date", "dataset_fingerprint",
    "created_by", "created_at", "updated_by", "updated_at", "version", "flags"))
EXPORT_COLUMNS = tuple(FIELD_LABELS)
#: Coded fields of a finding and their code lists (labelled in a column of their own).
CODED: dict[str, Codes] = {"category": CATEGORIES, "severity": SEVERITIES,
                           "recommended_action": ACTIONS, "status": STATUSES}
HISTORY_LABELS: dict[str, Label] = columns_of((
    "seq", "at", "actor", "action", "finding_id", "title", "version", "changes",
    "dataset_fingerprint", "hash", "status", "reason"))
FLAG_LABELS: dict[str, Label] = columns_of((
    "check_id", "unit_id", "period", "parameter_code", "dataset_fingerprint"))
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
    "EnterpriseID": "enterprise_id",            # the English header of earlier exports
}


def compact_header(name: str) -> str:
    """A header as compared on import: without spaces, case-folded."""
    return str(name).strip().replace(" ", "").casefold()


#: Either header of an export column (``严重程度`` or ``Severity``) -> its field name.
HEADER_FIELDS = {compact_header(text): key
                 for key, pair in FINDING_COLUMNS.items() for text in pair}
