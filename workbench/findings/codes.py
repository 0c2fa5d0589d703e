"""Code lists of a finding (category, severity, action, status) with zh/en labels,
and the status workflow.

Workflow: ``open → sent_for_rectification → rectified → closed``; a rectification
judged inadequate goes back from ``rectified`` to ``sent_for_rectification``;
``dismissed`` is reachable from every state except ``closed`` and needs a reason.
Closing needs a reason too and, with config ``findings.four_eyes_close``, someone
other than the reviewer who marked the finding rectified.  ``closed`` and
``dismissed`` are final.
"""

from __future__ import annotations

CATEGORIES: dict[str, tuple[str, str]] = {
    "carbon_content": ("元素碳含量", "Carbon content"),
    "lab_evidence": ("检测报告证据", "Lab-report evidence"),
    "fuel_consumption": ("燃料消耗量", "Fuel consumption"),
    "production_data": ("生产数据（发电量、供热量）", "Production data (generation, heat)"),
    "timeliness": ("存证及时性", "Timeliness of deposits"),
    "calculation": ("排放量计算", "Emission calculation"),
    "compliance": ("履约", "Compliance"),
    "other": ("其他", "Other"),
}

SEVERITIES: dict[str, tuple[str, str]] = {
    "critical": ("严重", "Critical"),
    "warning": ("警告", "Warning"),
    "info": ("提示", "Info"),
}

ACTIONS: dict[str, tuple[str, str]] = {
    "request_correction": ("要求更正", "Request correction"),
    "refer_onsite_check": ("移交现场核查", "Refer to on-site check"),
    "refer_investigation": ("移交立案调查", "Refer for investigation"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "open": ("待处理", "Open"),
    "sent_for_rectification": ("已发整改", "Sent for rectification"),
    "rectified": ("已整改", "Rectified"),
    "closed": ("已关闭", "Closed"),
    "dismissed": ("已撤销", "Dismissed"),
}

#: What a reviewer concluded about one screening flag (``FindingsStore.dispose``).
DISPOSITIONS: dict[str, tuple[str, str]] = {
    "verified": ("已核实", "Verified"),
    "explained": ("已解释", "Explained"),
    "false_positive": ("误报", "False positive"),
    "linked": ("已关联问题", "Linked to a finding"),
}
#: Dispositions that need a note saying why (a verification needs none; a link names its
#: finding).
NOTE_REQUIRED = frozenset({"explained", "false_positive"})

#: The moves allowed from each status, the forward step first (the order a form offers them).
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "open": ("sent_for_rectification", "dismissed"),
    "sent_for_rectification": ("rectified", "dismissed"),
    "rectified": ("closed", "sent_for_rectification", "dismissed"),
    "closed": (),
    "dismissed": (),
}

TRANSITIONS: dict[str, frozenset[str]] = {s: frozenset(nxt) for s, nxt in NEXT_STEPS.items()}

#: States in which a finding can no longer be edited or moved.
FINAL_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def code_from_label(codes: dict[str, tuple[str, str]], value: str) -> str | None:
    """The code whose code, zh label or en label equals ``value`` (case-insensitive), else None."""
    key = value.strip().casefold()
    for code, (zh, en) in codes.items():
        if key in (code.casefold(), zh.casefold(), en.casefold()):
            return code
    return None
