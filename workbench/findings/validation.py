"""Validate a finding's content against the code lists, the limits and the dataset.

One function, :func:`validate`, serves the store (every create and update) and the
sheet import (every row), so a form and a spreadsheet are refused for the same
reasons with the same zh/en messages.  It returns the normalised content or
raises :class:`ValidationError` listing every problem, not just the first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from workbench.findings.codes import (
    ACTIONS,
    CATEGORIES,
    DISPOSITIONS,
    NOTE_REQUIRED,
    SEVERITIES,
    code_from_label,
)
from workbench.findings.errors import Problem, ValidationError
from workbench.findings.model import CONTENT_FIELDS, FlagRef

#: Control characters no title, description or reason holds (tab and line breaks are
#: text); PostgreSQL cannot even store U+0000.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00:00)?$")
LIST_SEPARATORS = re.compile(r"[,;，；、\s]+")
#: Longest key (check id, unit, parameter code, fingerprint) the tables hold.
KEY_LENGTH = 64


@dataclass(frozen=True)
class Limits:
    """Length limits of free text (characters), from config ``[findings]``."""

    max_title_length: int = 200
    max_text_length: int = 4000

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> Limits:
        """Limits from the ``[findings]`` config section."""
        sec = cfg.get("findings", {})
        return cls(int(sec.get("max_title_length", cls.max_title_length)),
                   int(sec.get("max_text_length", cls.max_text_length)))


@dataclass(frozen=True)
class EnterpriseIndex:
    """What validation needs from a dataset: each enterprise's province and units."""

    fingerprint: str | None
    provinces: Mapping[str, str]
    units: Mapping[str, frozenset[str]]


@lru_cache(maxsize=8)
def _index(path: str, fingerprint: str | None) -> EnterpriseIndex:
    from workbench.dataset import Dataset

    ds = Dataset(path)
    ents = ds.read("enterprises", columns=["enterprise_id", "province"])
    units = ds.read("units", columns=["unit_id", "enterprise_id"])
    by_ent = units.groupby("enterprise_id")["unit_id"].agg(frozenset).to_dict()
    return EnterpriseIndex(fingerprint, dict(zip(ents["enterprise_id"], ents["province"],
                                                 strict=True)), by_ent)


def enterprise_index(dataset: Any) -> EnterpriseIndex:
    """The enterprise index of a ``workbench.dataset.Dataset`` (cached by fingerprint)."""
    return _index(str(dataset.path), dataset.fingerprint)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _text(name: str, value: Any, limit: int, required: bool, out: list[Problem]) -> str | None:
    if _blank(value):
        if required:
            out.append(Problem(name, "不能为空", "must not be empty"))
        return "" if required else None
    text = str(value).strip()
    if len(text) > limit:
        out.append(Problem(name, f"过长：{len(text)} 个字符，上限 {limit}",
                           f"too long: {len(text)} characters, the limit is {limit}"))
    bad = CONTROL_CHARS.search(text)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        out.append(Problem(name, f"含有控制字符 {code}（第 {bad.start() + 1} 个字符）",
                           f"contains the control character {code} (character "
                           f"{bad.start() + 1})"))
    return text


def _code(name: str, value: Any, codes: dict[str, tuple[str, str]], required: bool,
          out: list[Problem]) -> str | None:
    if _blank(value):
        if required:
            out.append(Problem(name, "不能为空", "must not be empty"))
        return None
    code = code_from_label(codes, str(value))
    if code is None:
        allowed = ", ".join(codes)
        out.append(Problem(name, f"未知代码 {value!r}，可选：{allowed}",
                           f"unknown code {value!r}; use one of: {allowed}"))
    return code


def _periods(value: Any, out: list[Problem]) -> tuple[str, ...]:
    if _blank(value):
        items = []
    elif isinstance(value, list | tuple | set | frozenset):
        items = [str(v) for v in value]
    else:
        items = LIST_SEPARATORS.split(str(value).strip())
    items = [p.strip() for p in items if p.strip()]
    if not items:
        out.append(Problem("periods", "至少需要一个期间（YYYY-MM 或 YYYY）",
                           "at least one period is needed (YYYY-MM or YYYY)"))
    bad = [p for p in items if not PERIOD_RE.match(p)]
    if bad:
        out.append(Problem("periods", f"期间格式错误：{', '.join(bad)}（应为 YYYY-MM 或 YYYY）",
                           f"bad period: {', '.join(bad)} (use YYYY-MM or YYYY)"))
    return tuple(sorted(set(items)))


def _date(name: str, value: Any, out: list[Problem]) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = DATE_RE.match(str(value).strip())
    try:
        if m is None:
            raise ValueError(value)
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        out.append(Problem(name, f"日期无效 {value!r}（应为 YYYY-MM-DD）",
                           f"invalid date {value!r} (use YYYY-MM-DD)"))
        return None


def _number(name: str, value: Any, out: list[Problem]) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        out.append(Problem(name, f"不是有效数值 {value!r}", f"not a finite number {value!r}"))
        return None
    return number


@lru_cache(maxsize=1)
def registered_checks() -> frozenset[str]:
    """IDs of every check in the registry (``workbench.checks``): the only checks a
    finding's evidence flag can name."""
    from workbench import checks

    return frozenset(checks.registry())


def _flag(where: str, item: Mapping[str, Any], enterprise_id: str | None,
          fingerprint: str | None, out: list[Problem]) -> FlagRef | None:
    before = len(out)
    check_id = _text(f"{where}.check_id", item.get("check_id"), KEY_LENGTH, True, out)
    if check_id and check_id not in registered_checks():
        out.append(Problem(f"{where}.check_id", f"未知的检查项 {check_id!r}",
                           f"unknown check {check_id!r}"))
    if item.get("enterprise_id") != enterprise_id:
        out.append(Problem(where, "预警所属企业与问题不一致",
                           "the flag belongs to another enterprise than the finding"))
    period = _text(f"{where}.period", item.get("period"), KEY_LENGTH, False, out)
    if period is not None and not MONTH_RE.match(period):
        out.append(Problem(where, f"期间格式错误 {period!r}", f"bad period {period!r}"))
    ref = FlagRef(
        check_id=check_id or "", enterprise_id=enterprise_id or "",
        unit_id=_text(f"{where}.unit_id", item.get("unit_id"), KEY_LENGTH, False, out),
        period=period,
        parameter_code=_text(f"{where}.parameter_code", item.get("parameter_code"),
                             KEY_LENGTH, False, out),
        dataset_fingerprint=_text(f"{where}.dataset_fingerprint",
                                  item.get("dataset_fingerprint"), KEY_LENGTH, False, out)
        or fingerprint)
    return ref if len(out) == before else None


def _flags(value: Any, enterprise_id: str | None, fingerprint: str | None,
           out: list[Problem]) -> tuple[FlagRef, ...]:
    if _blank(value):
        return ()
    if isinstance(value, str | Mapping):
        out.append(Problem("flags", "应为预警列表", "must be a list of flags"))
        return ()
    refs = []
    for i, raw in enumerate(value):
        item = raw.__dict__ if isinstance(raw, FlagRef) else raw
        if not isinstance(item, Mapping):
            out.append(Problem(f"flags[{i}]", "不是预警记录", "not a flag record"))
            continue
        ref = _flag(f"flags[{i}]", item, enterprise_id, fingerprint, out)
        if ref is not None:
            refs.append(ref)
    return tuple(refs)


def validate(draft: Mapping[str, Any], index: EnterpriseIndex, limits: Limits) -> dict[str, Any]:
    """Normalised content of ``draft`` (``CONTENT_FIELDS`` plus ``flags``) or ValidationError.

    Codes may be given as code, zh label or en label; periods as a list or a
    separated string; dates as ``date`` or ``YYYY-MM-DD`` text.
    """
    out: list[Problem] = []
    unknown = sorted(set(draft) - set(CONTENT_FIELDS) - {"flags"})
    if unknown:
        out.append(Problem(", ".join(unknown), "未知字段", "unknown field"))
    ent = _text("enterprise_id", draft.get("enterprise_id"), KEY_LENGTH, True, out)
    if ent and ent not in index.provinces:
        out.append(Problem("enterprise_id", f"数据集中没有企业 {ent}",
                           f"enterprise {ent} is not in the dataset"))
    unit = _text("unit_id", draft.get("unit_id"), KEY_LENGTH, False, out)
    if unit and ent in index.provinces and unit not in index.units.get(ent, frozenset()):
        out.append(Problem("unit_id", f"机组 {unit} 不属于企业 {ent}",
                           f"unit {unit} does not belong to enterprise {ent}"))
    content = {
        "enterprise_id": ent,
        "unit_id": unit,
        "periods": _periods(draft.get("periods"), out),
        "title": _text("title", draft.get("title"), limits.max_title_length, True, out),
        "category": _code("category", draft.get("category"), CATEGORIES, True, out),
        "severity": _code("severity", draft.get("severity"), SEVERITIES, True, out),
        "description": _text("description", draft.get("description"),
                             limits.max_text_length, False, out) or "",
        "materiality_t": _number("materiality_t", draft.get("materiality_t"), out),
        "recommended_action": _code("recommended_action", draft.get("recommended_action"),
                                    ACTIONS, False, out),
        "due_date": _date("due_date", draft.get("due_date"), out),
        "flags": _flags(draft.get("flags"), ent, index.fingerprint, out),
    }
    if out:
        raise ValidationError(out)
    return content


def validate_disposition(flag: Mapping[str, Any] | FlagRef, disposition: Any, note: Any,
                         finding_id: Any, index: EnterpriseIndex, limits: Limits
                         ) -> dict[str, Any]:
    """Normalised content of a flag disposition or ValidationError: the flag (a known
    check, an enterprise of the dataset, a unit of that enterprise, YYYY-MM period), a
    disposition code (code or zh/en label), the note (required for ``explained`` and
    ``false_positive``) and, for ``linked``, the finding it is linked to."""
    out: list[Problem] = []
    item = flag.__dict__ if isinstance(flag, FlagRef) else dict(flag)
    ent = _text("enterprise_id", item.get("enterprise_id"), KEY_LENGTH, True, out)
    if ent and ent not in index.provinces:
        out.append(Problem("enterprise_id", f"数据集中没有企业 {ent}",
                           f"enterprise {ent} is not in the dataset"))
    ref = _flag("flag", item, item.get("enterprise_id"), index.fingerprint, out)
    if ref and ref.unit_id and ent in index.provinces \
            and ref.unit_id not in index.units.get(ent, frozenset()):
        out.append(Problem("flag.unit_id", f"机组 {ref.unit_id} 不属于企业 {ent}",
                           f"unit {ref.unit_id} does not belong to enterprise {ent}"))
    code = _code("disposition", disposition, DISPOSITIONS, True, out)
    text = _text("note", note, limits.max_text_length, code in NOTE_REQUIRED, out)
    linked = _text("finding_id", finding_id, KEY_LENGTH, code == "linked", out)
    if linked and code != "linked":
        out.append(Problem("finding_id", "只有“已关联问题”才关联问题记录",
                           "only a 'linked' disposition names a finding"))
    if out:
        raise ValidationError(out)
    return {**ref.__dict__, "disposition": code, "note": text, "finding_id": linked}


def validate_evidence(evidence: Mapping[str, Any] | None, limits: Limits,
                      today: date) -> tuple[str, date]:
    """Rectification evidence ``{"ref": ..., "date": ...}``: the reference of the document
    showing the rectification (required, at most ``max_title_length`` characters) and its
    date (required, YYYY-MM-DD, not after ``today``)."""
    evidence = evidence or {}
    out: list[Problem] = []
    ref = _text("rectification_ref", evidence.get("ref"), limits.max_title_length, False, out)
    if ref is None:
        out.append(Problem("rectification_ref", "需填写整改证明文件（编号或名称）",
                           "the rectification document (its reference or name) is needed"))
    when = _date("rectification_date", evidence.get("date"), out)
    if _blank(evidence.get("date")):
        out.append(Problem("rectification_date", "需填写整改证明文件的日期",
                           "the date of the rectification document is needed"))
    elif when is not None and when > today:
        out.append(Problem("rectification_date", f"日期 {when.isoformat()} 晚于今天",
                           f"date {when.isoformat()} is after today"))
    if out:
        raise ValidationError(out)
    return ref or "", when


def validate_reason(reason: Any, limits: Limits) -> str:
    """A dismissal or closing reason: required, at most ``max_text_length`` characters."""
    out: list[Problem] = []
    text = _text("reason", reason, limits.max_text_length, True, out)
    if out:
        raise ValidationError(out)
    return text or ""
